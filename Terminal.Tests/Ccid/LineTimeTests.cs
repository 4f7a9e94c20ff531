using System;
using System.Text.RegularExpressions;
using Terminal.Ccid;
using Terminal.Desktop.VirtualBoard;
using Terminal.Simulator;
using Terminal.Slots;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Ccid
{
    /// <summary>
    /// A 64 KB read through the firmware (CCID XfrBlock, slot, T=0 engine) from a virtual card, in
    /// virtual time, against the line's minimum at the negotiated speed: every character at 12 ETU,
    /// 16 ETU between leading edges when the reader takes the line back (ISO 7816-3 §7.2), and the card's own
    /// processing time. Target: at least 95 %.
    /// </summary>
    public class LineTimeTests
    {
        private readonly ITestOutputHelper _out;

        public LineTimeTests(ITestOutputHelper output)
        {
            _out = output;
        }

        /// <summary>Result of one measured read.</summary>
        public sealed class Figures
        {
            public long Bytes;
            public int Apdus;
            public double ActualMs;
            public double MinimumMs;
            public int Fi;
            public int Di;
            public double Efficiency => MinimumMs / ActualMs;
        }

        [Theory]
        [InlineData("vitale2", 0, 4)]
        [InlineData("cps4", 1, 12)]
        public void Read64KB_LineTimeIsAtLeast95PercentOfTheEtuMinimum(string profile, int slotIndex, int expectedDi)
        {
            Figures f = Measure(profile, slotIndex, 65536);
            _out.WriteLine(profile + ": " + f.Bytes + " bytes in " + f.Apdus + " APDUs at Fi " + f.Fi + " / Di " + f.Di
                + ": line time " + f.ActualMs.ToString("F1") + " ms, minimum " + f.MinimumMs.ToString("F1") + " ms, efficiency " + (100 * f.Efficiency).ToString("F2") + " %");
            Assert.Equal(expectedDi, f.Di);
            Assert.True(f.Bytes >= 65536);
            Assert.True(f.Efficiency >= 0.95, "efficiency " + f.Efficiency);
        }

        /// <summary>Powers the card on through the CCID device (automatic PPS) and reads <paramref name="total"/> bytes with READ BINARY.</summary>
        public static Figures Measure(string profile, int slotIndex, int total)
        {
            VirtualBoard board = new VirtualBoard();
            board.Slots[slotIndex].Insert(VirtualCard.FromProfile(profile));
            VirtualBoardBinding binding = new VirtualBoardBinding(board);
            CardSlot[] slots = new CardSlot[binding.SlotCount];
            for (int i = 0; i < slots.Length; i++)
            {
                slots[i] = new CardSlot(i, binding.GetCardLine(i), binding.Indicators, binding.VoltageSupport, binding.MaxDataRate);
            }
            CcidDevice device = new CcidDevice(slots, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            byte[] reply = new byte[CcidDevice.ResponseBufferLength];
            byte[] command = new byte[271];

            int Xfr(byte[] tpdu)
            {
                command[0] = CcidMessage.XfrBlock;
                CcidDevice.WriteInt(command, 1, tpdu.Length);
                command[5] = (byte)slotIndex;
                Array.Copy(tpdu, 0, command, 10, tpdu.Length);
                int n = device.Process(command, 10 + tpdu.Length, reply);
                Assert.Equal(0, reply[7] & 0x40);
                return n - 10;
            }

            command[0] = CcidMessage.IccPowerOn;
            CcidDevice.WriteInt(command, 1, 0);
            command[5] = (byte)slotIndex;
            device.Process(command, 10, reply);
            Assert.Equal(CcidStatus.IccActive, reply[7]);

            if (profile.StartsWith("cps", StringComparison.Ordinal))
            {
                // The authentication certificate EF 7001 (881 bytes).
                Xfr(new byte[] { 0x00, 0xA4, 0x08, 0x00, 0x04, 0x00, 0x01, 0x70, 0x01 });
            }
            else
            {
                // VITALE application, EF 2002 (SFI 2): identity and the card certificate.
                Xfr(new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x0B, 0xD2, 0x50, 0x00, 0x00, 0x02, 0x56, 0x49, 0x54, 0x41, 0x4C, 0x45 });
                Xfr(new byte[] { 0x00, 0xB0, 0x82, 0x00, 0x01 });
            }

            // Learn the file size once (not timed): Le 00 answered 6Cxx or 6B00 at the end.
            int fileSize = 0;
            while (true)
            {
                int n = Xfr(new byte[] { 0x00, 0xB0, (byte)(fileSize >> 8), (byte)fileSize, 0x00 });
                int sw = (reply[10 + n - 2] << 8) | reply[10 + n - 1];
                if (sw == 0x9000)
                {
                    fileSize += 256;
                    continue;
                }
                if ((sw & 0xFF00) == 0x6C00)
                {
                    fileSize += sw & 0xFF;
                }
                break;
            }
            Assert.True(fileSize > 0, "file size");

            CardSlot slot = slots[slotIndex];
            int fi = slot.Timing.Fi;
            int di = slot.Timing.Di;
            double etuMs = 1000.0 * fi / di / board.Slots[slotIndex].ClockHz;
            double processingMs = ProcessingMicroseconds(profile) / 1000.0;
            Figures f = new Figures { Fi = fi, Di = di };
            long start = board.Clock.NowPicoseconds;
            int offset = 0;
            while (f.Bytes < total)
            {
                int le = Math.Min(256, fileSize - offset);
                Xfr(new byte[] { 0x00, 0xB0, (byte)(offset >> 8), (byte)offset, (byte)(le & 0xFF) });
                f.Bytes += le;
                f.Apdus++;
                // 5 header characters, the INS procedure byte, the data, SW1 SW2 at 12 ETU each; the reader's
                // 16 ETU between the card's last leading edge and its own next one (§7.2), 4 more than a
                // character; the card's own work (its own turnaround is the card's business).
                f.MinimumMs += ((5 + 1 + le + 2) * 12 + 4) * etuMs + processingMs;
                offset += le;
                if (offset >= fileSize)
                {
                    offset = 0;
                }
            }
            f.ActualMs = (board.Clock.NowPicoseconds - start) / 1e9;
            return f;
        }

        private static int ProcessingMicroseconds(string profile)
        {
            string json = System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "cards", profile + ".json"));
            Match m = Regex.Match(json, "\"processingMicroseconds\"\\s*:\\s*([0-9]+)");
            return m.Success ? int.Parse(m.Groups[1].Value) : 100;
        }
    }
}
