using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>
    /// The nanoFramework entry point (Terminal/Esp32), which no desktop project compiles: it is compiled
    /// here with Roslyn against the desktop twins of the portable packages and a stand-in of
    /// nanoFramework.Hardware.Esp32 generated from its API list, and every nanoFramework-only member it
    /// names is looked up in the lists.
    /// </summary>
    public class Esp32EntryPointTests
    {
        private static string ApiList(string name) => File.ReadAllText(RepoPaths.Of("Terminal.Tests/NanoFramework/Api/" + name));

        private static string Esp32Stub()
        {
            string list = ApiList("nf-nanoFramework.Hardware.Esp32-api.signatures.txt");
            IEnumerable<string> functions = Regex.Matches(list, @"^F:nanoFramework\.Hardware\.Esp32\.DeviceFunction\.(\w+)", RegexOptions.Multiline)
                .Select(m => m.Groups[1].Value);
            Assert.Contains("M:nanoFramework.Hardware.Esp32.Configuration.SetPinFunction(System.Int32,nanoFramework.Hardware.Esp32.DeviceFunction)", list);
            StringBuilder stub = new StringBuilder();
            stub.AppendLine("namespace nanoFramework.Hardware.Esp32 {");
            stub.AppendLine("public enum DeviceFunction { " + string.Join(", ", functions) + " }");
            stub.AppendLine("public static class Configuration { public static void SetPinFunction(int pin, DeviceFunction function) { } }");
            stub.AppendLine("}");
            // Esp32Pwm.cs holds the one call with no desktop twin (PwmChannel.CreateFromPin), checked against the list below.
            stub.AppendLine("namespace Terminal.Esp32 { internal static class Esp32Pwm { internal static System.Device.Pwm.PwmChannel Create(int gpio, int frequencyHz) { return System.Device.Pwm.PwmChannel.Create(0, 0, frequencyHz, 0.5); } } }");
            return stub.ToString();
        }

        [Fact]
        public void Esp32EntryPoint_CompilesAgainstThePortableApiAndTheEsp32List()
        {
            string folder = RepoPaths.Of("Terminal/Esp32");
            List<SyntaxTree> trees = Directory.GetFiles(folder, "*.cs")
                .Where(f => Path.GetFileName(f) != "Esp32Pwm.cs")
                .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), f))
                .ToList();
            trees.Add(CSharpSyntaxTree.ParseText(Esp32Stub(), new CSharpParseOptions(LanguageVersion.Latest), "Esp32Stub.cs"));
            string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
            List<MetadataReference> references = tpa.Split(Path.PathSeparator).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
            foreach (Type t in new[] { typeof(Terminal.Boards.IBoard), typeof(Terminal.Iso7816.ICardLine), typeof(System.Device.Gpio.GpioController), typeof(System.IO.Ports.SerialPort) })
            {
                references.Add(MetadataReference.CreateFromFile(t.Assembly.Location));
            }
            CSharpCompilation compilation = CSharpCompilation.Create("Esp32EntryPoint", trees, references.Distinct(),
                new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, mainTypeName: "Terminal.Esp32.Program"));
            using MemoryStream pe = new MemoryStream();
            var result = compilation.Emit(pe);
            string errors = string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || d.Severity == DiagnosticSeverity.Warning));
            Assert.True(result.Success && errors.Length == 0, errors);

            // And the compiled entry point names only nanoFramework members (the same scan as the drivers').
            string path = Path.Combine(Path.GetTempPath(), "Esp32EntryPoint-" + Environment.ProcessId + ".dll");
            File.WriteAllBytes(path, pe.ToArray());
            try
            {
                List<string> problems = BoardsPortabilityTests.Problems(path, "Terminal.Esp32");
                Assert.True(problems.Count == 0, string.Join("\n", problems));
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public void Esp32EntryPoint_NanoFrameworkOnlyMembers_AreInTheApiLists()
        {
            string esp32 = ApiList("nf-nanoFramework.Hardware.Esp32-api.signatures.txt");
            string pwm = ApiList("nf-System.Device.Pwm-api.signatures.txt");
            string sources = string.Concat(Directory.GetFiles(RepoPaths.Of("Terminal/Esp32"), "*.cs").Select(File.ReadAllText));
            List<string> functions = Regex.Matches(sources, @"DeviceFunction\.(\w+)").Select(m => m.Groups[1].Value).Distinct().ToList();
            Assert.Equal(new[] { "COM2_RX", "COM2_TX", "COM3_RX", "COM3_TX", "PWM1" }, functions.OrderBy(f => f, StringComparer.Ordinal));
            Assert.All(functions, f => Assert.Contains("F:nanoFramework.Hardware.Esp32.DeviceFunction." + f + " ", esp32));
            Assert.Contains("PwmChannel.CreateFromPin(", sources);
            Assert.Contains("M:System.Device.Pwm.PwmChannel.CreateFromPin(System.Int32,System.Int32,System.Double)", pwm);
        }

        [Fact]
        public void ProjectFiles_NfprojListsEveryPortableFile_CsprojLeavesOutEsp32()
        {
            string terminal = RepoPaths.Of("Terminal");
            List<string> expected = Directory.GetFiles(terminal, "*.cs", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(terminal, f).Replace('/', '\\'))
                .Where(f => !f.StartsWith("Desktop\\", StringComparison.Ordinal) && !f.StartsWith("obj\\", StringComparison.Ordinal) && !f.StartsWith("bin\\", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal).ToList();
            List<string> listed = XDocument.Load(Path.Combine(terminal, "Terminal.nfproj")).Descendants()
                .Where(e => e.Name.LocalName == "Compile").Select(e => (string)e.Attribute("Include")!).ToList();
            Assert.Equal(expected, listed);
            Assert.Contains("Esp32\\Program.cs", listed);
            string csproj = File.ReadAllText(Path.Combine(terminal, "Terminal.csproj"));
            Assert.Contains("<Compile Remove=\"Esp32\\**\" />", csproj);
            Assert.DoesNotContain(typeof(Terminal.Boards.IBoard).Assembly.GetTypes(), t => t.Namespace == "Terminal.Esp32");
        }
    }
}
