using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>
    /// Debian's OpenSC against the virtual CPx card through our reader (issue 7, last "Done when"):
    /// opensc-tool / pkcs15-tool → pcscd → libccid's serial driver → pty → `terminal run`. The same
    /// checks through vsmartcard's vpcd at APDU level are in Simulator/CpsOpenScTests; here the card
    /// sits behind the firmware's T=0 engine, PPS and CCID device. OpenSC reads its own opensc.conf
    /// from the test's directory (OPENSC_CONF): no file cache, so every object really comes from the
    /// card, and a debug log that counts the APDUs it sent.
    /// </summary>
    [Collection(PcscdCollection.Name)]
    public class OpenScEndToEndTests
    {
        private const string OpenScTool = "/usr/bin/opensc-tool";
        private const string Pkcs15Tool = "/usr/bin/pkcs15-tool";

        private readonly ITestOutputHelper _out;

        public OpenScEndToEndTests(ITestOutputHelper output)
        {
            _out = output;
        }

        /// <summary>
        /// SEC1210 with the CPS3 (no TA1: 372/1, no PPS) in the CPx slot, PC/SC reader 1; GemPCPinPad
        /// with the CPS4 (TA1 = 18: the host's PPS through the reader, then TPDUs), its only reader.
        /// </summary>
        [Theory]
        [InlineData("sec1210", "cps3")]
        [InlineData("gempcpinpad", "cps4")]
        public void OpenSc_ThroughPcscdAndTheReader_OpenScToolNamesIasEcc_Pkcs15ToolListsPinTwoKeysTwoCertificates(string profile, string card)
        {
            if (!PcscStack.Installed() || !OpenScInstalled())
            {
                return;
            }
            bool sec1210 = profile == "sec1210";
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            string trace = Path.Combine(stack.Directory, "trace.txt");
            string debugLog = Path.Combine(stack.Directory, "opensc-debug.log");
            string conf = Path.Combine(stack.Directory, "opensc.conf");
            File.WriteAllText(conf,
                "app default {\n" +
                "    debug = 3;\n" +
                $"    debug_file = {debugLog};\n" +
                "    use_file_caching = no;\n" +
                "}\n");
            Dictionary<string, string> env = new Dictionary<string, string> { ["OPENSC_CONF"] = conf };

            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", profile, "--slot1", card, "--trace", trace);
            stack.Start(link, sec1210 ? "SEC1210" : "GemPCPinPad");
            string Diagnostics() => "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd (tail) ---\n" + Tail(stack.Log);
            // The CPx slot: reader 1 of SEC1210 (after the Vitale slot), the GemPC Pinpad's only reader.
            string reader = sec1210 ? "1" : "0";
            string cpxName = sec1210 ? "Terminal 00 01" : "Terminal 00 00";
            Stopwatch total = Stopwatch.StartNew();

            string list = Tool(env, "-l", OpenScTool, "-l");
            Assert.True(Regex.IsMatch(list, "^" + reader + @"\s+Yes\s+.*" + cpxName, RegexOptions.Multiline), "opensc-tool -l\n" + list + Diagnostics());
            if (sec1210)
            {
                Assert.True(Regex.IsMatch(list, @"^0\s+Yes\s+.*Terminal 00 00", RegexOptions.Multiline), "opensc-tool -l, Vitale slot\n" + list + Diagnostics());
                Assert.Contains(ColonAtr("vitale2"), Tool(env, "-a (Vitale slot)", OpenScTool, "-r", "0", "-a"));
            }

            string atr = Tool(env, "-a", OpenScTool, "-r", reader, "-a");
            Assert.True(atr.Contains(ColonAtr(card), StringComparison.Ordinal), "opensc-tool -a\n" + atr + Diagnostics());

            string name = Tool(env, "-n", OpenScTool, "-r", reader, "-n");
            Assert.True(name.Contains("IAS-ECC", StringComparison.Ordinal), "opensc-tool -n\n" + name + Diagnostics());

            string dump = Tool(env, "pkcs15-tool -D", Pkcs15Tool, "-r", reader, "-D");
            foreach (string expected in new[]
            {
                "PIN [PIN CPS]",
                "Private RSA Key [CPS_PRIV_SIG]", "Key ref        : 129 (0x81)", "ID             : e828bd080f8025000001ff001001",
                "Private RSA Key [CPS_PRIV_AUT]", "Key ref        : 130 (0x82)", "ID             : e828bd080f8025000001ff001002",
                "X.509 Certificate [CPS_CERT_SIG]", "X.509 Certificate [CPS_CERT_AUT]",
            })
            {
                Assert.True(dump.Contains(expected, StringComparison.Ordinal), "pkcs15-tool -D lacks \"" + expected + "\"\n" + dump + Diagnostics());
            }
            total.Stop();
            _out.WriteLine($"OpenSC tools ({profile}, {card}): {total.Elapsed.TotalSeconds:F2} s in all");

            // OpenSC read our opensc.conf, and every APDU it sent went to the card as an XfrBlock of
            // our reader (GET RESPONSE after 61xx included: OpenSC sends it itself).
            Assert.True(File.Exists(debugLog), "OPENSC_CONF was not used: no " + debugLog);
            int apdus = Regex.Matches(File.ReadAllText(debugLog), "Outgoing APDU").Count;
            int xfrBlocks = File.ReadAllLines(trace).Count(l => l.Contains(" > 6F", StringComparison.Ordinal));
            _out.WriteLine($"APDUs sent by OpenSC: {apdus}; XfrBlocks the reader received: {xfrBlocks}");
            Assert.True(apdus >= 30, "OpenSC sent only " + apdus + " APDUs");
            Assert.True(xfrBlocks >= apdus, $"{apdus} APDUs from OpenSC but {xfrBlocks} XfrBlocks at the reader" + Diagnostics());
            // Reading two certificates through the reader stays quick (free-running virtual time).
            Assert.True(total.Elapsed.TotalSeconds < 60, $"OpenSC took {total.Elapsed.TotalSeconds:F1} s");
        }

        private string Tool(Dictionary<string, string> env, string what, string tool, params string[] args)
        {
            Stopwatch watch = Stopwatch.StartNew();
            (int code, string output) = PcscStack.Run(tool, 60, env, args);
            _out.WriteLine($"--- {Path.GetFileName(tool)} {what}: exit {code}, {watch.Elapsed.TotalSeconds:F2} s\n{output}");
            Assert.True(code == 0, $"{Path.GetFileName(tool)} {string.Join(" ", args)} exited {code}\n{output}");
            return output;
        }

        /// <summary>True when opensc-tool and pkcs15-tool are there; otherwise skips locally, fails with CI=true.</summary>
        private static bool OpenScInstalled()
        {
            foreach (string f in new[] { OpenScTool, Pkcs15Tool })
            {
                if (!File.Exists(f))
                {
                    Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "CI=true and " + f + " is missing (apt-get install -y opensc)");
                    Console.Error.WriteLine("SKIPPED: missing " + f + " (apt-get install -y opensc)");
                    return false;
                }
            }
            return true;
        }

        // opensc-tool -a prints the ATR as lower-case hex pairs joined by colons.
        private static string ColonAtr(string profile) =>
            string.Join(":", ReaderEndToEndTests.CardAtr(profile).Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

        private static string Tail(string s) => s.Length <= 6000 ? s : s.Substring(s.Length - 6000);
    }
}
