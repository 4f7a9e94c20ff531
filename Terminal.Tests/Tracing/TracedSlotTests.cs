using System;
using System.IO;
using System.Linq;
using Terminal.Ccid;
using Terminal.Desktop;
using Terminal.Desktop.Run;
using Terminal.Desktop.VirtualBoard;
using Terminal.PinPad;
using Terminal.Simulator;
using Terminal.Slots;
using Terminal.Tracing;
using Xunit;

namespace Terminal.Tests.Tracing
{
    /// <summary>
    /// The card side of a pcapng trace written by <see cref="TracedSlot"/> against the simulator's
    /// byte-level cards, read back by Debian's tshark with the project's Lua dissector: what the reader
    /// exchanges on its own (automatic PPS, T=0 procedure bytes) and the PIN pad's command to the card,
    /// whose PIN is masked (shared design note traces.md; issue 6 item 1).
    /// </summary>
    public sealed class TracedSlotTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("traced-slot-").FullName;
        private readonly byte[] _buffer = new byte[300];

        public void Dispose() { if (Environment.GetEnvironmentVariable("KEEP_TRACE") == null) { Directory.Delete(_dir, true); } }

        private static string Lua => "lua_script:" + Path.Combine(Repository.Root, "tools", "wireshark", "iso7816-3.lua");

        // OpenSC's CPS verify structure in CCID form (bPINOperation 00, then the PIN verification data
        // structure): ASCII, 4 to 8 digits, Lc = the PIN length, template 00 20 00 01.
        private static readonly byte[] SecureVerify = PcapngTraceTests.Hex("00 1E 82 00 00 08 04 02 00 00 00 00 00 00 00 00 20 00 01 00");

        /// <summary>
        /// A SEC1210 session: both cards powered (the reader negotiates PPS for Vitale 2 itself), a T=0
        /// SELECT on slot 0, then a VERIFY on the CPS typed on the keypad (PIN 1234) through the PIN pad.
        /// </summary>
        private string WriteSession(bool readerDoesPps)
        {
            VirtualBoard board = new VirtualBoard();
            board.Slots[0].Insert("vitale2");
            board.Slots[1].Insert("cps3");
            VirtualBoardBinding binding = new VirtualBoardBinding(board);
            CardSlot[] slots = new CardSlot[2];
            for (int i = 0; i < 2; i++)
            {
                slots[i] = new CardSlot(i, binding.GetCardLine(i), binding.Indicators, binding.VoltageSupport, binding.MaxDataRate);
                slots[i].ReaderDoesPps = readerDoesPps;
            }
            string path = Path.Combine(_dir, "card.pcapng");
            VirtualTraceClock clock = new VirtualTraceClock(board.Clock);
            using (FileTraceSink sink = new FileTraceSink(path))
            {
                PcapngTrace trace = new PcapngTrace(sink, 2, PcapngTraceTests.TestConfiguration(), "terminal test", clock.NowMicroseconds);
                TracedSlot[] traced = { new TracedSlot(slots[0], trace, clock), new TracedSlot(slots[1], trace, clock) };
                CcidDevice device = new CcidDevice(traced, ReaderProfile.Sec1210, "test", 0);
                SecurePinService pins = new SecurePinService(binding.Keypad!, binding.Display, binding.Indicators, binding.Clock);
                CcidPinPad pinPad = new CcidPinPad(device, slots, pins, new ReaderProperties(), new PinPolicy(2));
                pinPad.SetExchange(0, traced[0].PinCommands);
                pinPad.SetExchange(1, traced[1].PinCommands);

                Assert.Equal(CcidError.None, traced[0].PowerOn(0, _buffer, 0, out _));
                Assert.Equal(CcidError.None, traced[0].TransmitTpdu(PcapngTraceTests.Hex("00 A4 00 00 02 3F 00"), 0, 7, _buffer, 0, 261, out _));
                Assert.Equal(CcidError.None, traced[1].PowerOn(0, _buffer, 0, out _));
                board.Keypad.Script("1234K");
                Assert.Equal(CcidError.None, pinPad.Secure(1, SecureVerify, 0, SecureVerify.Length, _buffer, 0, 261, out int n));
                Assert.True(n >= 2, "no status word from the card");
                Assert.True(pinPad.BuffersAreClear);
            }
            return path;
        }

        private static string[] Rows(string output) =>
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();

        [Fact]
        public void Iso7816_3_9_2_ReadersAutomaticPps_RecordedAsPpsRequestAndResponse_LuaDecodesFiDiAndPck()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession(readerDoesPps: true);
            // Vitale 2's TA1 = 13: the reader asks for Fi 372 Di 4 and the card echoes it (§9.3).
            string[] rows = Rows(Tshark.Run("-X", Lua, "-r", path, "-Y", "iso7816t1.pps.ppss", "-T", "fields",
                "-e", "frame.interface_name", "-e", "exported_pdu.p2p_dir", "-e", "iso7816t1.pps.ppss", "-e", "iso7816t1.pps.protocol",
                "-e", "iso7816t1.pps.fi", "-e", "iso7816t1.pps.di", "-e", "iso7816t1.pps.pck_good", "-e", "data.data"));
            Assert.Equal(new[]
            {
                "iso7816-slot0\t0\t0xff\t0\t372\t4\t1\tff1013fc",
                "iso7816-slot0\t1\t0xff\t0\t372\t4\t1\tff1013fc",
            }, rows);
            // In order: the ATR, then the PPS request and response, then the first command.
            string[] slot0 = Rows(Tshark.Run("-X", Lua, "-r", path, "-Y", "frame.interface_name == \"iso7816-slot0\"", "-T", "fields", "-e", "_ws.col.Protocol"));
            Assert.True(slot0.Length >= 4, string.Join("\n", slot0));
            Assert.Equal("ISO 7816-3 PPS", slot0[1]);
            Assert.Equal("ISO 7816-3 PPS", slot0[2]);
        }

        [Fact]
        public void Iso7816_3_9_HostPps_GemPcPinPadProfile_StillRecordedOnce()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            VirtualBoard board = new VirtualBoard();
            board.Slots[1].Insert("cps4");
            VirtualBoardBinding binding = new VirtualBoardBinding(board);
            CardSlot slot = new CardSlot(1, binding.GetCardLine(1), binding.Indicators, binding.VoltageSupport, binding.MaxDataRate) { ReaderDoesPps = false };
            string path = Path.Combine(_dir, "host-pps.pcapng");
            VirtualTraceClock clock = new VirtualTraceClock(board.Clock);
            using (FileTraceSink sink = new FileTraceSink(path))
            {
                PcapngTrace trace = new PcapngTrace(sink, 2, PcapngTraceTests.TestConfiguration(), "terminal test", clock.NowMicroseconds);
                TracedSlot traced = new TracedSlot(slot, trace, clock);
                Assert.Equal(CcidError.None, traced.PowerOn(0, _buffer, 0, out _));
                byte[] pps = { 0xFF, 0x10, 0x18, 0xFF ^ 0x10 ^ 0x18 };
                Assert.Equal(CcidError.None, traced.TransmitTpdu(pps, 0, pps.Length, _buffer, 0, 261, out _));
            }
            string[] rows = Rows(Tshark.Run("-X", Lua, "-r", path, "-Y", "iso7816t1.pps.ppss", "-T", "fields",
                "-e", "exported_pdu.p2p_dir", "-e", "iso7816t1.pps.di", "-e", "iso7816t1.pps.pck_good"));
            Assert.Equal(new[] { "0\t12\t1", "1\t12\t1" }, rows);
        }

        [Fact]
        public void Iso7816_3_10_3_3_T0ProcedureBytes_RecordedAsLabelledData_LuaNamesAckAndSw1()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession(readerDoesPps: true);
            string[] rows = Rows(Tshark.Run("-X", Lua, "-r", path, "-Y", "iso7816t1.t0.procedure", "-T", "fields",
                "-e", "frame.interface_name", "-e", "exported_pdu.p2p_dir", "-e", "iso7816t1.t0.procedure", "-e", "iso7816t1.t0.meaning"));
            // SELECT MF on Vitale 2: ACK A4 (INS: send all the data), then SW1 (61 or 90).
            Assert.True(rows.Length >= 2, string.Join("\n", rows));
            Assert.StartsWith("iso7816-slot0\t1\t0xa4,0x", rows[0], StringComparison.Ordinal);
            Assert.Contains("ACK (INS or its complement),SW1", rows[0], StringComparison.Ordinal);
            // The VERIFY on the CPS has its procedure bytes recorded too (ACK 20, then SW1).
            Assert.Contains(rows, r => r.StartsWith("iso7816-slot1\t1\t0x20,0x", StringComparison.Ordinal));
            // The procedure bytes sit between the command and its response.
            string[] slot0 = Rows(Tshark.Run("-X", Lua, "-r", path, "-Y", "frame.interface_name == \"iso7816-slot0\"", "-T", "fields",
                "-e", "_ws.col.Protocol", "-e", "iso7816.apdu.ins"));
            int command = Array.FindIndex(slot0, r => r.EndsWith("\t0xa4", StringComparison.Ordinal));
            Assert.True(command > 0, string.Join("\n", slot0));
            Assert.StartsWith("ISO 7816-3 T=0", slot0[command + 1], StringComparison.Ordinal);
        }

        [Fact]
        public void PinPad_VerifyToTheCard_InTheCardTrace_PinMasked_NoPinDigitInTheFile()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession(readerDoesPps: true);
            string[] rows = Rows(Tshark.Run("-r", path, "-Y", "iso7816.apdu.ins == 0x20", "-T", "fields",
                "-e", "frame.interface_name", "-e", "exported_pdu.p2p_dir", "-e", "iso7816.apdu.p1", "-e", "iso7816.apdu.p2", "-e", "frame.comment", "-e", "data.data"));
            Assert.Single(rows);
            Assert.StartsWith("iso7816-slot1\t0\t0x00\t0x01\tPIN masked", rows[0], StringComparison.Ordinal);

            byte[] file = File.ReadAllBytes(path);
            // Template Lc 00 and no PIN block size: Lc is the PIN's length, 4; its 4 digits are 2A bytes.
            Assert.True(IndexOf(file, PcapngTraceTests.Hex("00 20 00 01 04 2A 2A 2A 2A")) >= 0, "the VERIFY with its PIN masked");
            foreach (string encoding in new[] { "31 32 33 34", "01 02 03 04", "24 12 34" })
            {
                Assert.True(IndexOf(file, PcapngTraceTests.Hex(encoding)) < 0, "PIN 1234 (" + encoding + ") in the trace");
            }
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }
            return -1;
        }
    }
}
