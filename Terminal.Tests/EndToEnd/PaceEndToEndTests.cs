using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Terminal.Tests.Pace;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>
    /// PACE with the PIN typed on the reader's keypad, end to end (issue 9): pyscard → pcscd → libccid's serial driver
    /// (SEC1210, T=1 at TPDU level) → pty → `terminal run`, the host sending BSI TR-03119 boxing
    /// <c>FF 9A 04 02</c> EstablishPACEChannel with no password, then plain APDUs that the reader protects; against
    /// the simulated PACE card and against the libeac (OpenPACE) card behind the vpcd bridge.
    /// </summary>
    [Collection(PcscdCollection.Name)]
    public class PaceEndToEndTests
    {
        private readonly ITestOutputHelper _out;

        public PaceEndToEndTests(ITestOutputHelper output)
        {
            _out = output;
        }

        // Each step prints "RESULT name SW DATA hex"; the PIN never appears in the script.
        private const string Script =
            "import sys\n" +
            "from smartcard.System import readers\n" +
            "from smartcard.CardConnection import CardConnection\n" +
            "from smartcard.util import toHexString\n" +
            "c = readers()[1].createConnection()\n" +
            "c.connect(CardConnection.T1_protocol)\n" +
            "def tx(name, apdu):\n" +
            "    data, sw1, sw2 = c.transmit(apdu)\n" +
            "    print('RESULT', name, '%02X%02X' % (sw1, sw2), 'DATA', toHexString(data))\n" +
            "    sys.stdout.flush()\n" +
            "READ = [0x00, 0xB0, 0x81, 0x00, 0x00]\n" +
            "tx('plain', READ)\n" +
            "tx('caps', [0xFF, 0x9A, 0x04, 0x01, 0x00])\n" +
            "EST = [0x30, 0x05, 0xA1, 0x03, 0x02, 0x01, 0x03]\n" +
            "tx('establish', [0xFF, 0x9A, 0x04, 0x02, len(EST)] + EST + [0x00])\n" +
            "tx('read1', READ)\n" +
            "tx('read2', [0x00, 0xB0, 0x81, 0x0A, 0x10])\n" +
            "tx('destroy', [0xFF, 0x9A, 0x04, 0x03])\n" +
            "tx('after', READ)\n";

        private static string Tail(string text) => text.Length > 6000 ? text.Substring(text.Length - 6000) : text;

        private static string Result(string output, string name)
        {
            string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT " + name + " ", StringComparison.Ordinal));
            Assert.True(line != null, "no result for " + name + "\n" + output);
            return line!.Trim();
        }

        private static string TextOf(string line)
        {
            string hex = line.Substring(line.IndexOf("DATA", StringComparison.Ordinal) + 4).Replace(" ", "", StringComparison.Ordinal);
            return System.Text.Encoding.ASCII.GetString(Convert.FromHexString(hex));
        }

        private void AssertPaceSession(string output, string diagnostics, string fileText, PcscStack stack, TerminalProcess terminal)
        {
            Assert.Contains(" 6982 ", Result(output, "plain"));
            Assert.Equal("RESULT caps 9000 DATA 30 14 A1 03 01 01 FF A2 03 01 01 00 A3 03 01 01 00 A4 03 01 01 FF", Result(output, "caps"));
            string establish = Result(output, "establish");
            Assert.StartsWith("RESULT establish 9000 DATA 30 ", establish);
            // errorCode 0 and MSE:Set AT 9000 (as OpenSC reads them), then EF.CardAccess.
            Assert.Contains(" A1 06 04 04 00 00 00 00 A2 04 04 02 00 90 A3 ", establish);
            string read1 = Result(output, "read1");
            Assert.StartsWith("RESULT read1 9000 ", read1);
            Assert.Equal(fileText, TextOf(read1));
            string read2 = Result(output, "read2");
            Assert.StartsWith("RESULT read2 9000 ", read2);
            Assert.Equal(fileText.Substring(10, 16), TextOf(read2));
            Assert.Equal("RESULT destroy 9000 DATA", Result(output, "destroy"));
            Assert.Contains(" 6982 ", Result(output, "after"));

            // The firmware ran PACE with the keypad PIN and wiped what it held.
            Assert.Contains("PACE slot 1: EstablishPACEChannel Result 00000000, MSE:Set AT 9000, channel open, password buffers clear", terminal.Output);
            Assert.Contains("PACE slot 1: channel destroyed, keys wiped", terminal.Output);
            // libccid's COMM log holds every byte the host exchanged: the PIN typed on the reader is not among them
            // (neither ASCII nor as digits), the boxed command is.
            Assert.Contains("ff 9a 04 02", stack.Log.ToLowerInvariant());
            Assert.DoesNotContain("31 32 33 34 35 36", stack.Log);
            Assert.DoesNotContain("01 02 03 04 05 06", stack.Log);
            Assert.DoesNotContain("resync", stack.Log, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("123456", terminal.Output);
        }

        [Fact]
        public void TR03119_Boxing_EstablishPaceChannel_KeypadPin_SimulatedCard_HostReadsProtectedFileInPlain()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "sec1210", "--slot1", "pace-test", "--keys", "123456K");
            stack.Start(link, "SEC1210");
            // READ BINARY of the 300-byte EF 0103 with Le 00: 256 bytes and SW, longer than one I-block of the host's
            // IFSD, so the reader chains its answer (ISO/IEC 7816-3 §11.6.2.3) and libccid's T=1 reassembles it;
            // read2 and the rest then show the sequence numbers still in step.
            // Then UPDATE BINARY of 255 bytes (260 > the card's IFSC 254: libccid chains it; the reader gathers and
            // protects the whole command) and the same bytes read back.
            string script = Script.Replace("tx('read2',", "tx('long', [0x00, 0xB0, 0x83, 0x00, 0x00])\n"
                + "tx('write', [0x00, 0xD6, 0x83, 0x00, 0xFF] + [0x61 + i % 26 for i in range(255)])\n"
                + "tx('readback', [0x00, 0xB0, 0x83, 0x00, 0xFF])\ntx('read2',", StringComparison.Ordinal);
            (int code, string output) = stack.Python3(script, 120);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            AssertPaceSession(output, diagnostics, "PROTECTED FILE OF THE PACE TEST CARD: read only under secure messaging", stack, terminal);
            string longRead = Result(output, "long");
            Assert.StartsWith("RESULT long 9000 DATA ", longRead);
            string text = TextOf(longRead);
            Assert.Equal(256, text.Length);
            Assert.StartsWith("LONG FILE UNDER SECURE MESSAGING, CHAINED BY THE READER IN T=1. ABCDEFGHIJKLMNOPQRSTUVWXYZ ", text);
            Assert.Equal("RESULT write 9000 DATA", Result(output, "write"));
            string written = new string(Enumerable.Range(0, 255).Select(i => (char)('a' + i % 26)).ToArray());
            Assert.StartsWith("RESULT readback 9000 ", Result(output, "readback"));
            Assert.Equal(written, TextOf(Result(output, "readback")));
        }

        [Fact]
        public void TR03119_Boxing_EstablishPaceChannel_KeypadPin_LibeacCard_HostReadsProtectedFileInPlain()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            string? binary = LibeacCard.Binary(_out);
            if (binary == null)
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "sec1210", "--slot1", "vicc:127.0.0.1:0", "--keys", "123456K");
            Match port = Regex.Match(terminal.Output, @"waiting for a vicc on 127\.0\.0\.1:(\d+)");
            Assert.True(port.Success, "no bridge port in\n" + terminal.Output);
            var start = new ProcessStartInfo(binary, $"--port {port.Groups[1].Value} --pin 123456 --curve 13 --aes 128")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using Process card = Process.Start(start)!;
            try
            {
                // The card is connected once the firmware's slot sees it (the bridge logs nothing more): give it a moment.
                Thread.Sleep(500);
                stack.Start(link, "SEC1210");
                (int code, string output) = stack.Python3(Script, 120);
                _out.WriteLine(output);
                string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
                Assert.True(code == 0, output + diagnostics);
                AssertPaceSession(output, diagnostics, "PROTECTED FILE OF THE LIBEAC PACE CARD: read only under secure messaging", stack, terminal);
            }
            finally
            {
                if (!card.HasExited)
                {
                    card.Kill();
                    card.WaitForExit(5000);
                }
            }
        }

        [Fact]
        public void TR03119_Boxing_CanFromTheHost_PasswordInNoTraceNorLog_ChannelWorks()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            string pcapng = Path.Combine(stack.Directory, "trace.pcapng");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "sec1210", "--slot1", "pace-test", "--trace", pcapng);
            stack.Start(link, "SEC1210");
            // CAN 500540 given by the host: [2] NumericString "500540".
            string script = Script.Replace("EST = [0x30, 0x05, 0xA1, 0x03, 0x02, 0x01, 0x03]",
                "EST = [0x30, 0x0F, 0xA1, 0x03, 0x02, 0x01, 0x02, 0xA2, 0x08, 0x12, 0x06, 0x35, 0x30, 0x30, 0x35, 0x34, 0x30]", StringComparison.Ordinal);
            (int code, string output) = stack.Python3(script, 120);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            Assert.StartsWith("RESULT establish 9000 DATA 30 ", Result(output, "establish"));
            Assert.Contains(" A1 06 04 04 00 00 00 00 ", Result(output, "establish"));
            Assert.Equal("PROTECTED FILE OF THE PACE TEST CARD: read only under secure messaging", TextOf(Result(output, "read1")));
            Assert.Contains(" 6982 ", Result(output, "after"));
            terminal.Stop();
            byte[] trace = File.ReadAllBytes(pcapng);
            byte[] can = System.Text.Encoding.ASCII.GetBytes("500540");
            Assert.True(trace.Length > 1000, "trace too short");
            Assert.False(trace.AsSpan().IndexOf(can) >= 0, "the CAN is in the pcapng trace");
            Assert.DoesNotContain("500540", terminal.Output);
        }
    }
}
