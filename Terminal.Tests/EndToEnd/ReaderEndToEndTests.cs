using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>
    /// The reader as the stock PC/SC stack sees it: `terminal run` on a pseudo-terminal it creates,
    /// pcscd with libccid's serial driver, pcsc_scan and pyscard (Debian's python). Sequential: one
    /// pcscd per machine. Everything is stopped by PID.
    /// </summary>
    [Collection(PcscdCollection.Name)]
    public class ReaderEndToEndTests
    {
        private readonly ITestOutputHelper _out;

        public ReaderEndToEndTests(ITestOutputHelper output)
        {
            _out = output;
        }

        private const string Preamble =
            "import sys, time\n" +
            "from smartcard.System import readers\n" +
            "from smartcard.CardConnection import CardConnection\n" +
            "from smartcard.util import toHexString\n" +
            "counts = {'61': 0, '6C': 0}\n" +
            "def connect(i, proto):\n" +
            "    rs = readers()\n" +
            "    c = rs[i].createConnection()\n" +
            "    c.connect(proto)\n" +
            "    return c\n" +
            "def t0(c, apdu):\n" +
            "    data, sw1, sw2 = c.transmit(apdu)\n" +
            "    while True:\n" +
            "        if sw1 == 0x6C:\n" +
            "            counts['6C'] += 1\n" +
            "            data, sw1, sw2 = c.transmit(apdu[:4] + [sw2])\n" +
            "        elif sw1 == 0x61:\n" +
            "            counts['61'] += 1\n" +
            "            more, sw1, sw2 = c.transmit([apdu[0] & 0x03, 0xC0, 0x00, 0x00, sw2])\n" +
            "            data = data + more\n" +
            "        else:\n" +
            "            return data, sw1, sw2\n";


        /// <summary>The ATR of a card profile as written in its JSON file (upper-case hex pairs).</summary>
        internal static string CardAtr(string profile)
        {
            string json = File.ReadAllText(Path.Combine(Repository.Root, "hardware", "cards", profile + ".json"));
            return Regex.Match(json, "\"atr\"\\s*:\\s*\"([0-9A-Fa-f ]+)\"").Groups[1].Value.Trim().ToUpperInvariant();
        }

        private sealed class Rig : IDisposable
        {
            public readonly PcscStack Stack = new PcscStack();
            public TerminalProcess? Terminal;
            public string Link => Path.Combine(Stack.Directory, "ttyTerminal");
            public string Trace => Path.Combine(Stack.Directory, "trace.txt");

            /// <summary>--pace for the terminal: free-running virtual time unless a test says real.</summary>
            public string Pace = "free";

            public void StartTerminal(params string[] args)
            {
                Terminal = TerminalProcess.Start(new[] { "--link", "pty:" + Link, "--pace", Pace, "--trace", Trace }.Concat(args).ToArray());
            }

            public string Diagnostics() => "\n--- terminal ---\n" + Terminal?.Output + "\n--- pcscd (tail) ---\n" + Tail(Stack.Log, 6000);

            private static string Tail(string s, int n) => s.Length <= n ? s : s.Substring(s.Length - n);

            public void Dispose()
            {
                Stack.Stop();
                Terminal?.Dispose();
                Stack.Dispose();
            }
        }

        private (int Code, string Output) Python(Rig rig, string body, int timeout = 60)
        {
            (int code, string output) = rig.Stack.Python3(Preamble + body, timeout);
            _out.WriteLine(output);
            return (code, output);
        }

        [Fact]
        public void Sec1210_BothSlotsListedWithTheVirtualCardsAtrs()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal();
            Assert.Contains("DEVICENAME    " + rig.Link + ":SEC1210", rig.Terminal!.Output);
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = PcscStack.Run(PcscStack.PcscScan, 8, "-n", "-t", "4");
            _out.WriteLine(output);
            Assert.True(output.Contains("Terminal 00 00", StringComparison.Ordinal) && output.Contains("Terminal 00 01", StringComparison.Ordinal), output + rig.Diagnostics());
            Assert.True(output.Contains(CardAtr("vitale2"), StringComparison.Ordinal), "Vitale 2 ATR\n" + output + rig.Diagnostics());
            Assert.True(output.Contains(CardAtr("cps3"), StringComparison.Ordinal), "CPS3 ATR\n" + output + rig.Diagnostics());
            // pcscd goes away: the reader deactivates both cards.
            rig.Stack.Stop();
            Assert.True(WaitFor(() => File.ReadAllText(rig.Trace).Contains("* host gone: cards deactivated", StringComparison.Ordinal), 5), "host gone\n" + rig.Diagnostics());
        }

        [Fact]
        public void Vitale2_IdentityReadWithT0ApdusFollowing61xxAnd6Cxx()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal();
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = Python(rig,
                "c = connect(0, CardConnection.T0_protocol)\n" +
                "seq = [[0x00,0xA4,0x00,0x00,0x02,0x3F,0x00], [0x00,0xB0,0x82,0x00,0x00],\n" +
                "       [0x00,0xA4,0x04,0x00,0x0B,0xD2,0x50,0x00,0x00,0x02,0x56,0x49,0x54,0x41,0x4C,0x45], [0x00,0xB0,0x82,0x00,0x00]]\n" +
                "for a in seq:\n" +
                "    data, sw1, sw2 = t0(c, a)\n" +
                "    print('APDU', toHexString(a[:5]), 'SW %02X%02X' % (sw1, sw2), 'LEN', len(data), toHexString(data))\n" +
                "print('FOLLOWED 61xx %d 6Cxx %d' % (counts['61'], counts['6C']))\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            string[] apdus = output.Split('\n').Where(l => l.StartsWith("APDU", StringComparison.Ordinal)).ToArray();
            Assert.Equal(4, apdus.Length);
            Assert.All(apdus, l => Assert.Contains("SW 9000", l));
            // SFI 2 of MF_VITALE: identity TLVs, one 65 per person with 80 (last name).
            Assert.Matches("APDU 00 B0 82 00 00 SW 9000 LEN [1-9][0-9]* 65 ", apdus[1]);
            Assert.DoesNotContain("FOLLOWED 61xx 0 6Cxx 0", output);
        }

        [Fact]
        public void T1_Ifsc32Card_205ByteApduInChainedBlocks_240ByteAnswer()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            // t1-generic without TA3: IFSC stays at the default 32 (ISO 7816-3 §11.4.2).
            string json = File.ReadAllText(Path.Combine(Repository.Root, "hardware", "cards", "t1-generic.json"));
            byte[] atr = { 0x3B, 0xD5, 0x18, 0xFF, 0x81, 0x61, 0x45, 0x01, 0x53, 0x49, 0x4D, 0x54, 0x31, 0x00 };
            int tck = 0;
            for (int i = 1; i < atr.Length - 1; i++)
            {
                tck ^= atr[i];
            }
            atr[^1] = (byte)tck;
            string ifsc32 = Regex.Replace(json, "\"atr\"\\s*:\\s*\"[^\"]*\"", "\"atr\": \"" + BitConverter.ToString(atr).Replace('-', ' ') + "\"");
            ifsc32 = Regex.Replace(ifsc32, "\"name\"\\s*:\\s*\"[^\"]*\"", "\"name\": \"t1-ifsc32\"");
            string profile = Path.Combine(rig.Stack.Directory, "t1-ifsc32.json");
            File.WriteAllText(profile, ifsc32);
            rig.StartTerminal("--slot1", profile);
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = Python(rig,
                "c = connect(1, CardConnection.T1_protocol)\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xA4,0x04,0x00,0x08,0xA0,0x00,0x00,0x00,0x01,0x53,0x49,0x4D])\n" +
                "print('SELECT SW %02X%02X' % (sw1, sw2))\n" +
                "payload = [(i * 7 + 3) & 0xFF for i in range(200)]\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xD6,0x81,0x00,200] + payload)\n" +
                "print('UPDATE SW %02X%02X' % (sw1, sw2))\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xB0,0x81,0x00,240])\n" +
                "print('READ SW %02X%02X LEN %d' % (sw1, sw2, len(data)))\n" +
                "print('MATCH', data[:200] == payload)\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            Assert.Contains("UPDATE SW 9000", output);
            Assert.Contains("READ SW 9000 LEN 240", output);
            Assert.Contains("MATCH True", output);
            // The 205-byte APDU went to the card as I-blocks of at most 32 bytes, chained (M bit).
            int chained = File.ReadAllLines(rig.Trace)
                .Where(l => l.Contains(" > 6F", StringComparison.Ordinal))
                .Select(l => Convert.FromHexString(l.Substring(l.IndexOf(" > ", StringComparison.Ordinal) + 3).Trim()))
                .Count(m => m.Length > 13 && (m[11] & 0x80) == 0 && (m[11] & 0x20) != 0 && m[12] <= 32);
            Assert.True(chained >= 6, "chained I-blocks seen: " + chained + rig.Diagnostics());
        }

        [Fact]
        public void RemovalAndInsertion_SeenByPcscScan()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal();
            rig.Stack.Start(rig.Link, "SEC1210");
            ProcessStartInfo psi = new ProcessStartInfo(PcscStack.PcscScan) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add("-n");
            using Process scan = Process.Start(psi)!;
            System.Text.StringBuilder seen = new System.Text.StringBuilder();
            scan.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (seen) { seen.AppendLine(e.Data); } } };
            scan.BeginOutputReadLine();
            try
            {
                Func<string> text = () => { lock (seen) { return seen.ToString(); } };
                Assert.True(WaitFor(() => Count(text(), "Card inserted") >= 2, 10), "both cards present first\n" + text() + rig.Diagnostics());
                rig.Terminal!.Send("remove 0");
                Assert.True(WaitFor(() => text().Contains("Card removed", StringComparison.Ordinal), 10), "removal\n" + text() + rig.Diagnostics());
                rig.Terminal.Send("insert 0");
                Assert.True(WaitFor(() => Count(text(), "Card inserted") >= 3, 10), "insertion\n" + text() + rig.Diagnostics());
                _out.WriteLine(text());
            }
            finally
            {
                PcscStack.Signal(scan.Id, 15);
                if (!scan.WaitForExit(5000))
                {
                    scan.Kill();
                }
                scan.WaitForExit();
            }
        }

        [Fact]
        public void RestartedReaderProcess_RecoveredByPcscd()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal();
            rig.Stack.Start(rig.Link, "SEC1210");
            string script =
                "deadline = time.time() + 40\n" +
                "while True:\n" +
                "    try:\n" +
                "        c = connect(0, CardConnection.T0_protocol)\n" +
                "        data, sw1, sw2 = t0(c, [0x00,0xA4,0x00,0x00,0x02,0x3F,0x00])\n" +
                "        print('ATR', toHexString(c.getATR()), 'SW %02X%02X' % (sw1, sw2))\n" +
                "        break\n" +
                "    except Exception as e:\n" +
                "        if time.time() > deadline: raise\n" +
                "        time.sleep(0.5)\n";
            (int code, string output) = Python(rig, script);
            Assert.True(code == 0 && output.Contains("SW 9000", StringComparison.Ordinal), output + rig.Diagnostics());
            // The firmware process dies (SIGKILL: no clean-up) while pcscd holds the pty, then comes back.
            rig.Terminal!.Crash();
            rig.Terminal.Dispose();
            Thread.Sleep(1500);
            rig.StartTerminal();
            Assert.Contains("took over the pseudo-terminal", rig.Terminal!.Output);
            (code, output) = Python(rig, script);
            Assert.True(code == 0 && output.Contains("SW 9000", StringComparison.Ordinal), "after restart\n" + output + rig.Diagnostics());
            // A clean stop removes the pty and its link.
            rig.Stack.Stop();
            Assert.Equal(0, rig.Terminal.Stop());
            Assert.False(File.Exists(rig.Link) || new FileInfo(rig.Link).LinkTarget != null, "the pty link disappears on a clean stop");
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        public void ThousandApdusInARow_WithoutError(int slot)
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal();
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = Python(rig,
                "c = connect(" + slot + ", CardConnection.T0_protocol)\n" +
                "ok = 0\n" +
                "start = time.time()\n" +
                "for i in range(1000):\n" +
                "    data, sw1, sw2 = c.transmit([0x00,0xA4,0x00,0x00,0x02,0x3F,0x00])\n" +
                "    if sw1 in (0x90, 0x61): ok += 1\n" +
                "elapsed = time.time() - start\n" +
                "print('OK %d APDU/s %.0f' % (ok, 1000 / elapsed))\n", 240);
            Assert.True(code == 0, output + rig.Diagnostics());
            Assert.Contains("OK 1000 ", output);
        }

        /// <summary>
        /// A PC/SC client's case 4 APDU with Le on the T=0 CPS3: pcsc-lite and libccid pass it to the
        /// TPDU-level reader unchanged (5 + Lc + 1 bytes); the reader sends the C-TPDU without Le
        /// (ISO/IEC 7816-3 §12.2.5) and returns the card's 61xx. It used to answer a CCID error
        /// (bStatus 40) and pyscard "Transaction failed"; through vpcd (APDU level) it always worked.
        /// </summary>
        [Fact]
        public void Iso7816_3_12_2_5_Case4ApduWithLe_ThroughTheTpduLevelReader_Answers61xx_ThenGetResponse()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal();
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = Python(rig,
                "c = connect(1, CardConnection.T0_protocol)\n" +
                "for le in ([], [0x00]):\n" +
                "    data, sw1, sw2 = c.transmit([0x00,0xA4,0x09,0x04,0x04,0x3F,0x00,0x2F,0x01] + le)\n" +
                "    print('SELECT LE %d SW %02X%02X' % (len(le), sw1, sw2))\n" +
                "    data, sw1, sw2 = c.transmit([0x00,0xC0,0x00,0x00,sw2])\n" +
                "    print('GETRESPONSE SW %02X%02X FCP %s' % (sw1, sw2, toHexString(data[:2])))\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            Assert.Contains("SELECT LE 0 SW 6127", output);
            Assert.Contains("SELECT LE 1 SW 6127", output);
            Assert.Equal(2, Count(output, "GETRESPONSE SW 9000 FCP 62 25"));
        }

        /// <summary>
        /// `--pace real` paces card work to the wall clock, also after the reader sat idle: the CPS3
        /// works 1 s of virtual time on a VERIFY (its profile), so a 4-byte VERIFY (tries left) takes
        /// at least about that long on the host's clock; free-running, it costs a few milliseconds.
        /// </summary>
        [Theory]
        [InlineData("real")]
        [InlineData("free")]
        public void Pace_Cps3VerifyAfterIdle_WallTimeFollowsTheVirtualSecondOnlyWhenPacedReal(string pace)
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig { Pace = pace };
            rig.StartTerminal();
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = Python(rig,
                "c = connect(1, CardConnection.T0_protocol)\n" +
                "time.sleep(2)\n" +
                "for i in range(2):\n" +
                "    start = time.time()\n" +
                "    data, sw1, sw2 = c.transmit([0x00,0x20,0x00,0x01])\n" +
                "    print('VERIFY SW %02X%02X WALL %.3f' % (sw1, sw2, time.time() - start))\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            string[] verifies = output.Split('\n').Where(l => l.StartsWith("VERIFY SW 63C3 WALL ", StringComparison.Ordinal)).ToArray();
            Assert.True(verifies.Length == 2, output + rig.Diagnostics());
            foreach (string line in verifies)
            {
                double wall = double.Parse(line.Substring("VERIFY SW 63C3 WALL ".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (pace == "real")
                {
                    // 1 s of card work plus the characters, less the pacing slack (100 ms).
                    Assert.True(wall >= 0.9, $"paced VERIFY took {wall:F3} s of wall time\n" + output);
                }
                else
                {
                    Assert.True(wall < 0.5, $"free-running VERIFY took {wall:F3} s of wall time\n" + output);
                }
            }
        }

        [Fact]
        public void GemPcPinPad_CpxSlotAlone_HostPpsThenApdus()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal("--profile", "gempcpinpad", "--slot1", "cps4");
            Assert.Contains(":GemPCPinPad", rig.Terminal!.Output);
            rig.Stack.Start(rig.Link, "GemPCPinPad");
            (int code, string output) = Python(rig,
                "rs = readers()\n" +
                "print('READERS', len(rs))\n" +
                "c = connect(0, CardConnection.T0_protocol)\n" +
                "print('ATR', toHexString(c.getATR()))\n" +
                "data, sw1, sw2 = t0(c, [0x00,0xA4,0x04,0x00,0x0D,0xE8,0x28,0xBD,0x08,0x0F,0x80,0x25,0x00,0x00,0x01,0xFF,0x00,0x10])\n" +
                "print('SELECT SW %02X%02X' % (sw1, sw2))\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            Assert.Contains("READERS 1", output);
            Assert.Contains("ATR " + CardAtr("cps4"), output);
            Assert.Contains("SELECT SW 90", output);
            // The host negotiated the speed itself: its PPS went to the card inside an XfrBlock.
            Assert.Matches(" > 6F0400000000[0-9A-F]{4}0000FF1", File.ReadAllText(rig.Trace));
        }

        [Fact]
        public void GemPcPinPad_T1Card_HostPpsSetParametersAndIfsThenChainedApdus()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal("--profile", "gempcpinpad", "--slot1", "t1-generic");
            rig.Stack.Start(rig.Link, "GemPCPinPad");
            (int code, string output) = Python(rig,
                "c = connect(0, CardConnection.T1_protocol)\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xA4,0x04,0x00,0x08,0xA0,0x00,0x00,0x00,0x01,0x53,0x49,0x4D])\n" +
                "print('SELECT SW %02X%02X' % (sw1, sw2))\n" +
                "payload = [(i * 5 + 1) & 0xFF for i in range(250)]\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xD6,0x81,0x00,250] + payload)\n" +
                "print('UPDATE SW %02X%02X' % (sw1, sw2))\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xB0,0x81,0x00,0x00])\n" +
                "print('READ SW %02X%02X LEN %d MATCH %s' % (sw1, sw2, len(data), data[:250] == payload))\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            Assert.Contains("UPDATE SW 9000", output);
            Assert.Contains("READ SW 9000 LEN 256 MATCH True", output);
            // The host's PPS for T=1 (PPS0 = 11) went inside an XfrBlock.
            Assert.Matches(" > 6F0400000000[0-9A-F]{4}0000FF11", File.ReadAllText(rig.Trace));
        }

        [Fact]
        public void Vitale1_InverseConventionCardListedAndAnswering()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using Rig rig = new Rig();
            rig.StartTerminal("--slot0", "vitale1");
            rig.Stack.Start(rig.Link, "SEC1210");
            (int code, string output) = Python(rig,
                "c = connect(0, CardConnection.T0_protocol)\n" +
                "print('ATR', toHexString(c.getATR()))\n" +
                "data, sw1, sw2 = c.transmit([0x00,0xA4,0x00,0x00,0x02,0x3F,0x00])\n" +
                "print('SW %02X%02X' % (sw1, sw2))\n");
            Assert.True(code == 0, output + rig.Diagnostics());
            Assert.Contains("ATR " + CardAtr("vitale1"), output);
            Assert.Matches("SW (9000|61[0-9A-F]{2}|6[0-9A-F]{3})", output);
        }

        private static bool WaitFor(Func<bool> condition, int seconds)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
            while (DateTime.UtcNow < deadline)
            {
                if (condition())
                {
                    return true;
                }
                Thread.Sleep(100);
            }
            return condition();
        }

        private static int Count(string text, string what)
        {
            int n = 0;
            int i = 0;
            while ((i = text.IndexOf(what, i, StringComparison.Ordinal)) >= 0)
            {
                n++;
                i += what.Length;
            }
            return n;
        }
    }
}
