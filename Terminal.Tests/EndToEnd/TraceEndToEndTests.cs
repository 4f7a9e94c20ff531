using System;
using System.IO;
using System.Linq;
using System.Threading;
using Terminal.Tests.Tracing;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>
    /// `terminal run --trace FILE.pcapng` during a demo session through the real PC/SC stack: the file
    /// opens in Debian's tshark with the host link decoded as USB CCID and both slots as ISO 7816, with
    /// and without the project's Lua dissector (shared design note traces.md).
    /// </summary>
    [Collection(PcscdCollection.Name)]
    public class TraceEndToEndTests
    {
        private readonly ITestOutputHelper _out;

        public TraceEndToEndTests(ITestOutputHelper output)
        {
            _out = output;
        }

        [Fact]
        public void Trace_DemoSession_DecodesAsUsbCcidAndIso7816OnBothSlots()
        {
            if (!PcscStack.Installed() || !Tshark.Available(out _))
            {
                return;
            }
            using PcscStack stack = new PcscStack();
            string link = Path.Combine(stack.Directory, "ttyTerminal");
            string trace = Path.Combine(stack.Directory, "demo.pcapng");
            using (TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + link, "--pace", "free", "--trace", trace))
            {
                stack.Start(link, "SEC1210");
                (int code, string output) = stack.Python3(
                    "from smartcard.System import readers\n" +
                    "from smartcard.CardConnection import CardConnection\n" +
                    "rs = readers()\n" +
                    "v = rs[0].createConnection(); v.connect(CardConnection.T0_protocol)\n" +
                    "d, s1, s2 = v.transmit([0x00,0xA4,0x00,0x00,0x02,0x3F,0x00])\n" +
                    "d, s1, s2 = v.transmit([0x00,0xB0,0x82,0x00,0x00])\n" +
                    "if s1 == 0x6C: d, s1, s2 = v.transmit([0x00,0xB0,0x82,0x00,s2])\n" +
                    "print('VITALE %02X%02X %d' % (s1, s2, len(d)))\n" +
                    "c = rs[1].createConnection(); c.connect(CardConnection.T0_protocol)\n" +
                    "d, s1, s2 = c.transmit([0x00,0xA4,0x04,0x00,0x0D,0xE8,0x28,0xBD,0x08,0x0F,0x80,0x25,0x00,0x00,0x01,0xFF,0x00,0x10])\n" +
                    "print('CPS %02X%02X' % (s1, s2))\n", 60);
                _out.WriteLine(output);
                Assert.True(code == 0, output + "\n" + terminal.Output);
                stack.Stop();
            }

            Assert.True(File.Exists(trace), "no trace written");
            string[] ccid = Tshark.Run("-r", trace, "-Y", "usbccid", "-T", "fields", "-e", "usbccid.bMessageType", "-e", "usbccid.bSlot")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            _out.WriteLine(ccid.Length + " CCID messages");
            Assert.Contains("0x6b\t", ccid.Select(r => r.Substring(0, Math.Min(r.Length, 5))).ToArray()); // Escape (start-up)
            Assert.Contains("0x65\t0", ccid);  // GetSlotStatus, slot 0
            Assert.Contains("0x65\t1", ccid);  // GetSlotStatus, slot 1
            Assert.Contains("0x62\t0", ccid);  // IccPowerOn
            Assert.Contains("0x62\t1", ccid);
            Assert.Contains("0x6f\t0", ccid);  // XfrBlock
            Assert.Contains("0x6f\t1", ccid);
            Assert.Contains("0x80\t0", ccid);  // DataBlock
            Assert.Contains("0x80\t1", ccid);

            string[] iso = Tshark.Run("-r", trace, "-Y", "iso7816", "-T", "fields",
                    "-e", "frame.interface_name", "-e", "exported_pdu.p2p_dir", "-e", "iso7816.atr.init_char", "-e", "iso7816.apdu.ins", "-e", "iso7816.apdu.sw1")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();
            Assert.Contains("iso7816-slot0\t1\t0x3b\t\t", iso);       // Vitale 2 ATR, card to reader
            Assert.Contains("iso7816-slot1\t1\t0x3b\t\t", iso);       // CPS3 ATR
            Assert.Contains(iso, r => r.StartsWith("iso7816-slot0\t0\t\t0xa4", StringComparison.Ordinal)); // SELECT MF, reader to card
            Assert.Contains(iso, r => r.StartsWith("iso7816-slot0\t0\t\t0xb0", StringComparison.Ordinal)); // READ BINARY
            Assert.Contains(iso, r => r.StartsWith("iso7816-slot1\t0\t\t0xa4", StringComparison.Ordinal)); // SELECT IAS AID
            Assert.Contains(iso, r => r.StartsWith("iso7816-slot1\t1\t\t\t0x", StringComparison.Ordinal));  // its status word

            string lua = "lua_script:" + Path.Combine(Repository.Root, "tools", "wireshark", "iso7816-3.lua");
            string withLua = Tshark.Run("-X", lua, "-r", trace, "-Y", "iso7816", "-T", "fields", "-e", "frame.interface_name");
            Assert.Equal(iso.Length, withLua.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            // SEC1210: the reader negotiates PPS for Vitale 2 itself (no CCID message carries it); the
            // card trace shows the request and the echo, decoded with their PCK checked.
            string[] pps = Tshark.Run("-X", lua, "-r", trace, "-Y", "iso7816t1.pps.ppss", "-T", "fields",
                    "-e", "frame.interface_name", "-e", "exported_pdu.p2p_dir", "-e", "iso7816t1.pps.di", "-e", "iso7816t1.pps.pck_good")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();
            Assert.Contains("iso7816-slot0\t0\t4\t1", pps);
            Assert.Contains("iso7816-slot0\t1\t4\t1", pps);
            // T=0 procedure bytes of both slots, as the card sent them.
            string[] procedure = Tshark.Run("-X", lua, "-r", trace, "-Y", "iso7816t1.t0.procedure", "-T", "fields", "-e", "frame.interface_name")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();
            Assert.Contains("iso7816-slot0", procedure);
            Assert.Contains("iso7816-slot1", procedure);
        }
    }
}
