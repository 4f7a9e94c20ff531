using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Xunit;

namespace Terminal.Tests.NanoFramework
{
    /// <summary>
    /// The portability referee at work: every nanoFramework project compiles to IL the nanoCLR runs,
    /// using only members its packages have; and the referee itself catches what it must catch.
    /// </summary>
    public class PortabilityTests
    {
        public static IEnumerable<object[]> NfProjects() =>
            Repository.NfProjects().Select(p => new object[] { Repository.Relative(p) });

        [Theory]
        [MemberData(nameof(NfProjects))]
        public void NanoFramework_Project_UsesOnlyWhatNanoFrameworkRuns(string nfproj)
        {
            IReadOnlyList<Violation> violations = PortabilityReferee.CheckProject(Repository.PathOf(nfproj));
            Assert.True(violations.Count == 0,
                nfproj + ": " + violations.Count + " construct(s) nanoFramework 1.x cannot run:\n" + string.Join("\n", violations));
        }

        [Fact]
        public void Referee_ReportsGenericsLinqAsyncStackallocAndMath()
        {
            const string probe = @"
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
namespace Probe
{
    public class Bad
    {
        public int Lists() { List<int> list = new List<int>(); list.Add(1); return list.Count; }
        public int Linq(int[] values) { return values.Where(v => v > 1).Count(); }
        public async Task<int> Later() { await Task.Delay(1); return 1; }
        public int Stack() { Span<byte> buffer = stackalloc byte[8]; return buffer.Length; }
        public int Maths(int v) { return Math.Abs(v); }
    }
}";
            IReadOnlyList<Violation> violations = PortabilityReferee.CheckSource("Probe/Bad.cs", probe, "nanoFramework.CoreLibrary");
            string all = string.Join("\n", violations);

            Assert.True(violations.Any(v => v.File == "Probe/Bad.cs"), all);
            Assert.True(violations.Any(v => v.Line == 10 && v.Member.Contains("System.Collections.Generic.List", StringComparison.Ordinal)), all);
            Assert.True(violations.Any(v => v.Line == 11 && v.Member.Contains("System.Linq.Enumerable.Where", StringComparison.Ordinal)), all);
            Assert.True(violations.Any(v => v.Line == 12 && v.Member.Contains("System.Threading.Tasks.Task", StringComparison.Ordinal)), all);
            Assert.True(violations.Any(v => v.File == "Probe/Bad.cs" && v.Member.Contains("AsyncTaskMethodBuilder", StringComparison.Ordinal)), all);
            Assert.True(violations.Any(v => v.Line == 13 && v.Member == "IL localloc"), all);
            Assert.True(violations.Any(v => v.Line == 13 && v.Reason.Contains("System.Span", StringComparison.Ordinal)), all);
            Assert.True(violations.Any(v => v.Line == 14 && v.Member == "M:System.Math.Abs(System.Int32)"), all);
        }

        [Fact]
        public void Referee_AcceptsThePortableSubset()
        {
            const string probe = @"
using System;
using System.Collections;
using System.Threading;
namespace Probe
{
    public class Good
    {
        private readonly object _gate = new object();
        private readonly ArrayList _items = new ArrayList();
        private int _count;
        public string Describe(int value)
        {
            lock (_gate)
            {
                _items.Add(value);
                _count++;
                return $""item {value} of {_count}"";
            }
        }
        public void Copy(byte[] a, byte[] b) { Array.Copy(a, 0, b, 0, a.Length); Thread.Sleep(1); }
    }
}";
            IReadOnlyList<Violation> violations = PortabilityReferee.CheckSource("Probe/Good.cs", probe, "nanoFramework.CoreLibrary");
            Assert.True(violations.Count == 0, string.Join("\n", violations));
        }

        [Fact]
        public void Referee_ChecksNanoFrameworkOnlyPackagesAgainstTheirList()
        {
            const string probe = @"
using nanoFramework.Hardware.Esp32;
namespace Probe
{
    public static class Pins
    {
        public static void Wire() { Configuration.SetPinFunction(17, DeviceFunction.COM2_TX); }
        public static string Bad(string a) { return a.Replace(""x"", ""y""); }
    }
}";
            IReadOnlyList<Violation> violations = PortabilityReferee.CheckSource("Probe/Esp32.cs", probe,
                "nanoFramework.CoreLibrary", "nanoFramework.Hardware.Esp32");
            Assert.DoesNotContain(violations, v => v.Member.Contains("Esp32", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Line == 8 && v.Member == "M:System.String.Replace(System.String,System.String)");
        }

        [Theory]
        [InlineData("NullableInt", "public int? Maybe() { return null; }", "System.Nullable")]
        [InlineData("Tuple", "public (int, int) Pair() { return (1, 2); }", "System.ValueTuple")]
        [InlineData("Iterator", "public System.Collections.IEnumerable Items() { yield return 1; }", "")]
        [InlineData("Volatile", "private volatile int _flag; public int Flag() { return _flag; }", "volatile")]
        [InlineData("Record", "public record Point(int X);", "")]
        [InlineData("Decimal", "public decimal Money() { return 1.5m; }", "System.Decimal")]
        public void Referee_ReportsTheOtherForbiddenConstructs(string construct, string member, string expected)
        {
            string probe = "namespace Probe { public class Bad" + construct + " { " + member + " } }";
            IReadOnlyList<Violation> violations = PortabilityReferee.CheckSource("Probe/" + construct + ".cs", probe, "nanoFramework.CoreLibrary");
            Assert.True(violations.Count > 0, construct + " was not reported");
            Assert.True(expected.Length == 0 || violations.Any(v => v.ToString().Contains(expected, StringComparison.Ordinal)),
                construct + ": " + string.Join("\n", violations));
        }

        /// <summary>
        /// What the .csproj compiles outside Desktop folders, the .nfproj compiles too, and the .nfproj
        /// compiles nothing from a Desktop folder: the two builds cannot drift apart.
        /// </summary>
        [Theory]
        [InlineData("Terminal.Iso7816/Terminal.Iso7816.nfproj")]
        [InlineData("Terminal/Terminal.nfproj")]
        [InlineData("Terminal.Tests/Device/Terminal.Tests.Device.nfproj")]
        public void NanoFramework_Project_CompilesEveryPortableSourceFile(string nfproj)
        {
            NfProject project = NfProject.Load(Repository.PathOf(nfproj));
            string dir = Path.GetDirectoryName(project.Path)!;
            HashSet<string> listed = new HashSet<string>(project.Sources.Select(Repository.Relative), StringComparer.Ordinal);

            foreach (string file in listed)
            {
                Assert.True(File.Exists(Repository.PathOf(file)), nfproj + " lists " + file + ", which does not exist");
                Assert.False(file.Split('/').Contains("Desktop"), nfproj + " compiles the desktop-only file " + file);
            }

            IReadOnlyList<string> removed = project.NanoFrameworkOnlyFolders();
            IEnumerable<string> portable = Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
                .Select(Repository.Relative)
                .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
                .Where(f => !Path.GetRelativePath(dir, Repository.PathOf(f)).Split('/').Contains("Desktop"))
                .Where(f => !removed.Any(r => Repository.PathOf(f).StartsWith(r, StringComparison.Ordinal)));
            if (nfproj.StartsWith("Terminal.Tests/", StringComparison.Ordinal))
            {
                portable = portable.Where(f => f.StartsWith("Terminal.Tests/Device/", StringComparison.Ordinal));
            }
            string[] missing = portable.Where(f => !listed.Contains(f)).ToArray();
            Assert.True(missing.Length == 0, nfproj + " does not compile these portable files: " + string.Join(", ", missing));
        }
    }
}
