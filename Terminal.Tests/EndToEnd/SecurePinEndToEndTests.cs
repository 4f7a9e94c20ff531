using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>
    /// Secure PIN entry through the stock PC/SC stack (issue 8): pyscard → pcscd → libccid's serial
    /// driver → pty → `terminal run` with a scripted keypad, the virtual CPS3 in the CPx slot (PIN 1234,
    /// 3 tries). One keypad script part per PIN prompt; the timers run on virtual time.
    /// </summary>
    [Collection(PcscdCollection.Name)]
    public class SecurePinEndToEndTests
    {
        private readonly ITestOutputHelper _out;

        public SecurePinEndToEndTests(ITestOutputHelper output)
        {
            _out = output;
        }

        // The scenarios, in order, each taking its keypad part(s): wrong, wrong, right, Cancel, no key,
        // modify (current, new, confirmation), verify the new PIN.
        private const string Keys = "1111K,2222K,1234K,C,_,1234K,5678K,5678K,5678K";

        // OpenSC's verify structure for a CPS (design/cps-opensc.md): ASCII, min 4 max 8, OK key,
        // variable-length template with Lc 0.
        private const string PcscVerify = "0x1E,0x1E,0x82,0x00,0x00,0x08,0x04,0x02,0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x05,0x00,0x00,0x00, 0x00,0x20,0x00,0x01,0x00";

        // A modify: current, new and confirmation prompts, two 8-byte FF-padded blocks.
        private const string PcscModify = "0x1E,0x1E,0x82,0x08,0x00,0x00,0x08,0x08,0x04,0x03,0x02,0x03,0x0C,0x04,0x00,0x01,0x02,0x00,0x00,0x00,0x15,0x00,0x00,0x00," +
            " 0x00,0x24,0x00,0x01,0x10" + ",0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF";

        // The CCID forms (PC_to_RDR_Secure abData from bPINOperation) boxed in FF 9A 04 10.
        private const string CcidVerify = "0x00, 0x1E,0x82,0x00,0x00,0x08,0x04,0x02,0x00,0x00,0x00,0x00,0x00,0x00,0x00, 0x00,0x20,0x00,0x01,0x00";
        private const string CcidModify = "0x01, 0x1E,0x82,0x08,0x00,0x00,0x08,0x08,0x04,0x03,0x02,0x03,0x0C,0x04,0x00,0x01,0x02,0x00,0x00,0x00," +
            " 0x00,0x24,0x00,0x01,0x10" + ",0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF,0xFF";

        private const string Common =
            "import sys, time\n" +
            "from smartcard.System import readers\n" +
            "from smartcard.CardConnection import CardConnection\n" +
            "VERIFY = [" + PcscVerify + "]\n" +
            "MODIFY = [" + PcscModify + "]\n" +
            "CVERIFY = [" + CcidVerify + "]\n" +
            "CMODIFY = [" + CcidModify + "]\n" +
            "def sw(r):\n" +
            "    return '%02X%02X' % (r[-2], r[-1]) if len(r) >= 2 else 'SHORT ' + repr(r)\n" +
            "def report(name, r, t0):\n" +
            "    print('RESULT', name, sw(r), 'LEN', len(r), 'WALL %.2f' % (time.time() - t0))\n" +
            "    sys.stdout.flush()\n";

        // FEATURE_VERIFY_PIN_DIRECT / FEATURE_MODIFY_PIN_DIRECT over SCardControl (gempcpinpad).
        private const string ControlScenarios =
            "rs = readers()\n" +
            "c = rs[0].createConnection()\n" +
            "c.connect(CardConnection.T0_protocol)\n" +
            "feat = c.control(0x42000D48, [])\n" +
            "codes = {}\n" +
            "i = 0\n" +
            "while i + 2 <= len(feat):\n" +
            "    tag, l = feat[i], feat[i + 1]\n" +
            "    v = feat[i + 2:i + 2 + l]\n" +
            "    codes[tag] = int.from_bytes(bytes(v), 'big')\n" +
            "    i += 2 + l\n" +
            "print('FEATURES', ' '.join('%02X=%08X' % (k, codes[k]) for k in sorted(codes)))\n" +
            "def verify(name):\n" +
            "    t0 = time.time(); report(name, c.control(codes[0x06], VERIFY), t0)\n" +
            "def modify(name):\n" +
            "    t0 = time.time(); report(name, c.control(codes[0x07], MODIFY), t0)\n";

        // The same through SCardTransmit: PPDU FF C2 01 06/07 or TR-03119 boxing FF 9A 04 10 (sec1210).
        private const string TransmitScenarios =
            "rs = readers()\n" +
            "c = rs[1].createConnection()\n" +
            "c.connect(CardConnection.T0_protocol)\n" +
            "BOXED = len(sys.argv) > 1 and sys.argv[1] == 'boxed'\n" +
            "def box(ab):\n" +
            "    msg = [0x69, len(ab) & 0xFF, len(ab) >> 8, 0, 0, 1, 0, 0, 0, 0] + ab\n" +
            "    return [0xFF, 0x9A, 0x04, 0x10, len(msg)] + msg\n" +
            "def tx(apdu):\n" +
            "    data, sw1, sw2 = c.transmit(apdu)\n" +
            "    return data + [sw1, sw2]\n" +
            "def inner(r):\n" +
            "    # boxed answer: 80 dwLength bSlot bSeq bStatus bError bChain <card answer> 90 00\n" +
            "    if BOXED:\n" +
            "        if len(r) >= 12 and r[0] == 0x80 and r[-2:] == [0x90, 0x00]:\n" +
            "            return r[10:-2] if r[7] & 0x40 == 0 else [0xFB, r[8]]\n" +
            "        return r\n" +
            "    return r\n" +
            "def verify(name):\n" +
            "    t0 = time.time(); report(name, inner(tx(box(CVERIFY) if BOXED else [0xFF, 0xC2, 0x01, 0x06, len(VERIFY)] + VERIFY)), t0)\n" +
            "def modify(name):\n" +
            "    t0 = time.time(); report(name, inner(tx(box(CMODIFY) if BOXED else [0xFF, 0xC2, 0x01, 0x07, len(MODIFY)] + MODIFY)), t0)\n";

        private const string Sequence =
            "verify('wrong1')\n" +
            "verify('wrong2')\n" +
            "verify('right')\n" +
            "verify('cancel')\n" +
            "verify('nokey')\n" +
            "modify('modify')\n" +
            "verify('newpin')\n";

        private void AssertScenarios(string output, string diagnostics)
        {
            string Result(string name)
            {
                string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT " + name + " ", StringComparison.Ordinal));
                Assert.True(line != null, "no result for " + name + "\n" + output + diagnostics);
                return line!;
            }
            Assert.Contains(" 63C2 ", Result("wrong1"));
            Assert.Contains(" 63C1 ", Result("wrong2"));
            Assert.Contains(" 9000 ", Result("right"));
            Assert.Contains(" 6401 ", Result("cancel"));
            string nokey = Result("nokey");
            Assert.Contains(" 6400 ", nokey);
            // 30 s of virtual time: the test does not wait for them.
            double wall = double.Parse(nokey.Substring(nokey.IndexOf("WALL ", StringComparison.Ordinal) + 5).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(wall < 10, "timeout took " + wall + " s of wall time");
            Assert.Contains(" 9000 ", Result("modify"));
            Assert.Contains(" 9000 ", Result("newpin"));
        }

        [Fact]
        public void GemPcPinPad_SCardControl_VerifyAndModifyPinDirect_OnTheReadersKeypad()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "gempcpinpad", "--keys", Keys, "--trace", Path.Combine(stack.Directory, "trace.txt"));
            stack.Start(link, "GemPCPinPad");
            (int code, string output) = stack.Python3(Common + ControlScenarios + Sequence, 120);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            Assert.Contains("06=", output);
            Assert.Contains("07=", output);
            AssertScenarios(output, diagnostics);
        }

        [Theory]
        [InlineData("ppdu")]
        [InlineData("boxed")]
        public void Sec1210_PseudoApdus_VerifyAndModify_OnTheReadersKeypad(string way)
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "sec1210", "--keys", Keys, "--trace", Path.Combine(stack.Directory, "trace.txt"));
            stack.Start(link, "SEC1210");
            string script = Path.Combine(stack.Directory, "pins.py");
            File.WriteAllText(script, Common + TransmitScenarios + Sequence);
            (int code, string output) = PcscStack.Run(PcscStack.Python, 120, script, way);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            AssertScenarios(output, diagnostics);
        }

        [Fact]
        public void Sec1210_T1Card_PseudoApdusInIBlocks_HostSequenceNumbersStayConsistent()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "sec1210", "--slot1", "t1-generic", "--keys", "1234K");
            stack.Start(link, "SEC1210");
            (int code, string output) = stack.Python3(Common +
                "from smartcard.util import toHexString\n" +
                "c = readers()[1].createConnection()\n" +
                "c.connect(CardConnection.T1_protocol)\n" +
                "def tx(name, apdu):\n" +
                "    data, sw1, sw2 = c.transmit(apdu)\n" +
                "    print('RESULT', name, '%02X%02X' % (sw1, sw2), 'DATA', toHexString(data))\n" +
                "    sys.stdout.flush()\n" +
                "SELECT = [0x00,0xA4,0x04,0x00,0x08,0xA0,0x00,0x00,0x00,0x01,0x53,0x49,0x4D]\n" +
                "tx('select1', SELECT)\n" +
                "tx('props', [0xFF,0xC2,0x01,0x0A])\n" +
                "tx('select2', SELECT)\n" +
                "tx('vendor', [0xFF,0x9A,0x01,0x01,0x00])\n" +
                "tx('features', [0xFF,0xC2,0x01,0x00])\n" +
                "tx('select3', SELECT)\n" +
                "tx('clearpin', [0x00,0x20,0x00,0x01,0x04,0x31,0x32,0x33,0x34])\n" +
                "tx('select4', SELECT)\n" +
                "tx('verify', [0xFF,0xC2,0x01,0x06,len(VERIFY)] + VERIFY)\n" +
                "tx('select5', SELECT)\n" +
                "tx('read', [0x00,0xB0,0x00,0x00,0x10])\n", 60);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            string Result(string name) => output.Split('\n').First(l => l.StartsWith("RESULT " + name + " ", StringComparison.Ordinal));
            foreach (string select in new[] { "select1", "select2", "select3", "select4", "select5" })
            {
                Assert.Contains(" 9000 ", Result(select));
            }
            Assert.Contains("9000 DATA 10 02 07 01", Result("props"));
            Assert.Contains("9000 DATA 06 07 0A 12", Result("features"));
            Assert.StartsWith("RESULT vendor 9000", Result("vendor"));
            Assert.Contains(" 6982 ", Result("clearpin"));
            // The verify went to the card (with the host's NAD and PCB): the card's own status word,
            // not a reader status (6400/6401/6F00/6B80).
            string verify = Result("verify");
            Assert.DoesNotContain(" 6400 ", verify);
            Assert.DoesNotContain(" 6401 ", verify);
            Assert.DoesNotContain(" 6F00 ", verify);
            Assert.DoesNotContain(" 6B80 ", verify);
            Assert.DoesNotContain("resync", stack.Log, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("refuse")]
        [InlineData("allow")]
        public void Policy_ClearPinOnCpxSlot_RefusedWith6982_UnlessAllowed(string clearPin)
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "sec1210", "--clear-pin", clearPin);
            stack.Start(link, "SEC1210");
            (int code, string output) = stack.Python3(Common +
                "c = readers()[1].createConnection()\n" +
                "c.connect(CardConnection.T0_protocol)\n" +
                "def tx(name, apdu):\n" +
                "    data, sw1, sw2 = c.transmit(apdu)\n" +
                "    print('RESULT', name, '%02X%02X' % (sw1, sw2))\n" +
                "tx('verify', [0x00,0x20,0x00,0x01,0x04,0x31,0x32,0x33,0x34])\n" +
                "tx('change', [0x00,0x24,0x00,0x01,0x08,0x31,0x32,0x33,0x34,0x31,0x32,0x33,0x34])\n" +
                "tx('query', [0x00,0x20,0x00,0x01])\n", 60);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            string Result(string name) => output.Split('\n').First(l => l.StartsWith("RESULT " + name + " ", StringComparison.Ordinal));
            if (clearPin == "refuse")
            {
                Assert.Contains(" 6982", Result("verify"));
                Assert.Contains(" 6982", Result("change"));
                // VERIFY without data reaches the card: the tries left, untouched by the refused commands.
                Assert.Contains(" 63C3", Result("query"));
            }
            else
            {
                Assert.Contains(" 9000", Result("verify"));
                Assert.Contains(" 9000", Result("change"));
                Assert.Contains(" 9000", Result("query"));
            }
        }

        [Fact]
        public void OpenSc_Pkcs11LoginOnThePinPad_RsaPkcsSignatureVerifiesWithTheCertificate()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            const string module = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";
            const string tool = "/usr/bin/pkcs11-tool";
            const string openssl = "/usr/bin/openssl";
            foreach (string f in new[] { module, tool, openssl })
            {
                if (!File.Exists(f))
                {
                    Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), "CI=true and " + f + " is missing (apt-get install -y opensc openssl)");
                    Console.Error.WriteLine("SKIPPED: missing " + f + " (apt-get install -y opensc openssl)");
                    return;
                }
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            string trace = Path.Combine(stack.Directory, "trace.txt");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "gempcpinpad", "--keys", "1234K", "--trace", trace);
            stack.Start(link, "GemPCPinPad");
            string msg = Path.Combine(stack.Directory, "msg");
            string sig = Path.Combine(stack.Directory, "sig");
            string der = Path.Combine(stack.Directory, "cert.der");
            string pem = Path.Combine(stack.Directory, "cert.pem");
            File.WriteAllText(msg, "fiche de soins");
            // The CPS3 authentication key: ID = IAS AID || 02 (design/cps-opensc.md).
            const string id = "e828bd080f8025000001ff001002";
            (int signCode, string signOutput) = PcscStack.Run(tool, 60, "--module", module, "--login", "--sign", "-m", "RSA-PKCS", "--id", id, "-i", msg, "-o", sig);
            _out.WriteLine(signOutput);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(signCode == 0 && File.Exists(sig), signOutput + diagnostics);
            // The PIN was typed on the reader: one PC_to_RDR_Secure with OpenSC's variable template
            // (block size 0, Lc 0), answered 9000; no VERIFY with data came from the host.
            string[] lines = File.ReadAllLines(trace);
            int secure = Array.FindIndex(lines, l => l.Contains(" > 69", StringComparison.Ordinal));
            Assert.True(secure >= 0, "no PC_to_RDR_Secure in the trace" + diagnostics);
            Assert.EndsWith("0020000100", lines[secure].Trim());
            Assert.EndsWith("9000", lines[secure + 1].Trim());
            Assert.DoesNotContain(lines, l => IsClearVerify(l));
            (int readCode, string readOutput) = PcscStack.Run(tool, 60, "--module", module, "--read-object", "--type", "cert", "--id", id, "-o", der);
            Assert.True(readCode == 0, readOutput + diagnostics);
            (int pemCode, string pemOutput) = PcscStack.Run(openssl, 20, "x509", "-inform", "DER", "-in", der, "-out", pem);
            Assert.True(pemCode == 0, pemOutput);
            string recovered = Path.Combine(stack.Directory, "recovered");
            (int verifyCode, string verifyOutput) = PcscStack.Run(openssl, 20, "pkeyutl", "-verifyrecover", "-certin", "-inkey", pem, "-in", sig, "-out", recovered);
            Assert.True(verifyCode == 0, verifyOutput);
            Assert.Equal("fiche de soins", File.ReadAllText(recovered));
        }

        // An XfrBlock from the host carrying a VERIFY with data (a PIN in clear).
        private static bool IsClearVerify(string traceLine)
        {
            int at = traceLine.IndexOf(" > 6F", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }
            byte[] m = Convert.FromHexString(traceLine.Substring(at + 3).Trim());
            return m.Length > 15 && m[11] == 0x20 && m[14] != 0;
        }

        [Fact]
        public void Leak_SeveralPinEntries_PinInNoHostByteNoLogLineNoTrace_BuffersZeroAfterEach()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            string trace = Path.Combine(stack.Directory, "trace.txt");
            // A CPS3 whose PIN is 86429753: digits unlikely to turn up by chance in the other bytes.
            string card = File.ReadAllText(Path.Combine(Repository.Root, "hardware", "cards", "cps3.json")).Replace("\"pin\": \"1234\"", "\"pin\": \"86429753\"", StringComparison.Ordinal);
            Assert.Contains("86429753", card);
            string cardFile = Path.Combine(stack.Directory, "cps3-leak.json");
            File.WriteAllText(cardFile, card);
            string[] pins = { "97531864", "86429753", "8642", "75318642" };
            // wrong, right, cancel after 4 digits, modify (current, new, confirmation), verify the new one.
            string keys = "97531864K,86429753K,8642C,86429753K,75318642K,75318642K,75318642K";
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--profile", "gempcpinpad", "--slot1", cardFile, "--keys", keys, "--trace", trace, "--log-level", "debug");
            stack.Start(link, "GemPCPinPad");
            (int code, string output) = stack.Python3(Common + ControlScenarios +
                "verify('wrong')\nverify('right')\nverify('cancel')\nmodify('modify')\nverify('newpin')\n", 120);
            _out.WriteLine(output);
            string diagnostics = "\n--- terminal ---\n" + terminal.Output + "\n--- pcscd ---\n" + Tail(stack.Log);
            Assert.True(code == 0, output + diagnostics);
            Assert.Contains("RESULT wrong 63C2", output);
            Assert.Contains("RESULT right 9000", output);
            Assert.Contains("RESULT cancel 6401", output);
            Assert.Contains("RESULT modify 9000", output);
            Assert.Contains("RESULT newpin 9000", output);
            terminal.Stop();
            stack.Stop();

            // Every byte the host received: libccid's COMM log of the serial line (every frame read,
            // echo and time requests included); every log line of pcscd and the firmware; the trace.
            string hostBytes = string.Concat(stack.Log.Split('\n').Where(l => l.Contains("<- ", StringComparison.Ordinal) || l.Contains("-> ", StringComparison.Ordinal))
                .Select(l => HexOf(l.Substring(l.LastIndexOf("-> ", StringComparison.Ordinal) >= 0 ? l.LastIndexOf("-> ", StringComparison.Ordinal) + 3 : l.LastIndexOf("<- ", StringComparison.Ordinal) + 3)) + "|"));
            Assert.True(hostBytes.Length > 1000, "libccid's COMM log is missing: " + Tail(stack.Log));
            string traceBytes = string.Concat(File.ReadAllLines(trace).Where(l => l.Contains(" < ", StringComparison.Ordinal) || l.Contains(" > ", StringComparison.Ordinal))
                .Select(l => l.Substring(l.IndexOf(l.Contains(" < ", StringComparison.Ordinal) ? " < " : " > ", StringComparison.Ordinal) + 3).Trim() + "|"));
            Assert.True(traceBytes.Length > 1000, "trace too short");
            // The search finds what is there: the firmware string the reader sent, the wrong PIN's 63C2.
            Assert.True(ContainsAligned(hostBytes, Encodings("Terminal SESAM")[0]), "firmware string not found in the host bytes");
            Assert.True(ContainsAligned(traceBytes, "63C2"), "63C2 not found in the trace");
            string allText = stack.Log + terminal.Output + File.ReadAllText(trace);
            foreach (string pin in pins)
            {
                foreach (string encoding in Encodings(pin))
                {
                    Assert.False(ContainsAligned(hostBytes, encoding), "PIN " + pin + " (" + encoding + ") in the bytes sent to the host");
                    Assert.False(ContainsAligned(traceBytes, encoding), "PIN " + pin + " (" + encoding + ") in the trace");
                    Assert.DoesNotContain(encoding, HexOf(allText).Replace("|", "", StringComparison.Ordinal), StringComparison.Ordinal);
                }
                Assert.DoesNotContain(pin.Length >= 8 ? pin : pin + "K", allText, StringComparison.Ordinal);
            }
            // The firmware checked its PIN buffers after each of the five entries: all zero.
            string[] checks = terminal.Output.Split('\n').Where(l => l.Contains("secure PIN ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(5, checks.Length);
            Assert.All(checks, l => Assert.Contains("PIN buffers clear", l));
        }

        // ASCII, packed BCD (odd count filled with F) and ISO 9564 format 2, as upper-case hex.
        private static string[] Encodings(string pin)
        {
            string ascii = string.Concat(pin.Select(c => ((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
            string bcd = pin.Length % 2 == 0 ? pin : pin + "F";
            string format2 = ("2" + pin.Length.ToString("X", System.Globalization.CultureInfo.InvariantCulture) + pin).PadRight(16, 'F');
            return new[] { ascii, bcd, format2 };
        }

        private static bool ContainsAligned(string hex, string needle)
        {
            for (int at = hex.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = hex.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                int start = hex.LastIndexOf('|', at) + 1;
                if ((at - start) % 2 == 0)
                {
                    return true;
                }
            }
            return false;
        }

        // The hex digit pairs of a dump line ("6B 01 00 ..." or "6B0100..."), upper case.
        private static string HexOf(string text)
        {
            System.Text.StringBuilder b = new System.Text.StringBuilder();
            foreach (char c in text)
            {
                if (Uri.IsHexDigit(c))
                {
                    b.Append(char.ToUpperInvariant(c));
                }
                else if (c == '\n')
                {
                    b.Append('|');
                }
            }
            return b.ToString();
        }


        private static string Tail(string s) => s.Length <= 8000 ? s : s.Substring(s.Length - 8000);
    }
}
