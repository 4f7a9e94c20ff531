using System;
using System.IO;
using System.Linq;
using Terminal.Desktop;
using Terminal.Tracing;
using Xunit;

namespace Terminal.Tests.Tracing
{
    /// <summary>
    /// The pcapng trace as Debian's tshark 4.0 reads it (shared design note traces.md): the host link
    /// decodes as USB CCID, the slots as ISO 7816 with directions, and no PIN digit is in the file.
    /// </summary>
    public sealed class PcapngTraceTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("trace-").FullName;

        public void Dispose() { if (Environment.GetEnvironmentVariable("KEEP_TRACE") == null) { Directory.Delete(_dir, true); } }

        private static readonly byte[] Vitale2Atr = Hex("3B 75 13 00 00 47 09 EA 90 00");
        private static readonly byte[] Cps3Atr = Hex("3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00");

        /// <summary>A configuration descriptor with a CCID class descriptor (CCID rev 1.1 §5.1), as a reader reports it.</summary>
        internal static byte[] TestConfiguration() => Hex(
            "09 02 5D 00 01 01 00 80 32" +
            " 09 04 00 00 03 0B 00 00 00" +
            " 36 21 10 01 01 03 03 00 00 00 A0 0F 00 00 A0 0F 00 00 00 2B 2A 00 00 2B 2A 00 00 00" +
            " FE 00 00 00 00 00 00 00 00 00 00 00 B2 00 01 00 0F 01 00 00 FF FF 02 10 03 01" +
            " 07 05 02 02 40 00 00 07 05 82 02 40 00 00 07 05 83 03 08 00 10");

        private string WriteSession()
        {
            string path = Path.Combine(_dir, "session.pcapng");
            using (FileTraceSink sink = new FileTraceSink(path))
            {
                PcapngTrace trace = new PcapngTrace(sink, 2, TestConfiguration(), "terminal test", 1_000_000);
                long t = 1_000_100;
                Host(trace, ref t, "62 00 00 00 00 00 01 01 00 00");                                  // IccPowerOn slot 0
                trace.Atr(t++, 0, Vitale2Atr, 0, Vitale2Atr.Length);
                byte[] pps = Hex("FF 10 13 FC");
                trace.Pps(t++, 0, PcapngTrace.ReaderToCard, pps, 0, pps.Length);
                trace.Pps(t++, 0, PcapngTrace.CardToReader, pps, 0, pps.Length);
                Reader(trace, ref t, "80 0A 00 00 00 00 01 00 00 00 3B 75 13 00 00 47 09 EA 90 00"); // DataBlock with the ATR
                Host(trace, ref t, "6F 0C 00 00 00 00 02 00 00 00 00 A4 04 00 07 A0 00 00 00 03 10 10");
                byte[] select = Hex("00 A4 04 00 07 A0 00 00 00 03 10 10");
                trace.Command(t++, 0, select, 0, select.Length);
                byte[] ok = Hex("90 00");
                trace.Response(t++, 0, ok, 0, ok.Length);
                Reader(trace, ref t, "80 02 00 00 00 00 02 00 00 00 90 00");

                trace.Atr(t++, 1, Cps3Atr, 0, Cps3Atr.Length);
                Host(trace, ref t, "6F 09 00 00 00 01 03 00 00 00 00 20 00 01 04 31 32 33 34");     // VERIFY with a PIN in clear
                byte[] verify = Hex("00 20 00 01 04 31 32 33 34");
                trace.Command(t++, 1, verify, 0, verify.Length);
                byte[] block = Hex("00 00 09 00 20 00 01 04 31 32 33 34 0C");
                trace.T1Block(t++, 1, PcapngTrace.ReaderToCard, block, 0, block.Length);
                T1(trace, ref t, PcapngTrace.ReaderToCard, "00 C1 01 FE");                               // S(IFS request), LRC
                T1(trace, ref t, PcapngTrace.CardToReader, "00 E1 01 FE");                               // S(IFS response)
                T1(trace, ref t, PcapngTrace.ReaderToCard, "00 40 05 00 B0 00 00 10");                   // I(1) READ BINARY
                byte[] crcBlock = WithCrc(Hex("00 81 00"));                                              // R(1), CRC variant
                trace.T1Block(t++, 1, PcapngTrace.CardToReader, crcBlock, 0, crcBlock.Length);
                byte[] wrong = Hex("63 C2");
                trace.Response(t++, 1, wrong, 0, wrong.Length);
                Reader(trace, ref t, "80 02 00 00 00 01 03 00 00 00 63 C2");
                Reader(trace, ref t, "50 03");                                                           // NotifySlotChange
            }
            return path;
        }

        private static void T1(PcapngTrace trace, ref long t, int direction, string hex)
        {
            byte[] body = Hex(hex);
            byte[] block = new byte[body.Length + 1];
            body.CopyTo(block, 0);
            foreach (byte b in body)
            {
                block[^1] ^= b;
            }
            trace.T1Block(t++, 1, direction, block, 0, block.Length);
        }

        /// <summary>Appends the T=1 CRC as the engine computes it (libccid's variant).</summary>
        private static byte[] WithCrc(byte[] body)
        {
            byte[] block = new byte[body.Length + 2];
            body.CopyTo(block, 0);
            Assert.Equal(2, Terminal.Iso7816.T1Block.AppendEdc(block, 0, body.Length, true));
            return block;
        }

        private static void Host(PcapngTrace trace, ref long t, string hex)
        {
            byte[] m = Hex(hex);
            trace.HostToReader(t++, m, 0, m.Length);
        }

        private static void Reader(PcapngTrace trace, ref long t, string hex)
        {
            byte[] m = Hex(hex);
            trace.ReaderToHost(t++, m, 0, m.Length);
        }

        [Fact]
        public void Trace_HostLink_DecodesAsUsbCcidWithMessageTypesAndSlots()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession();
            string[] rows = Tshark.Run("-r", path, "-Y", "usbccid", "-T", "fields", "-e", "usbccid.bMessageType", "-e", "usbccid.bSlot")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(new[] { "0x62\t0", "0x80\t0", "0x6f\t0", "0x80\t0", "0x6f\t1", "0x80\t1" },
                rows.Select(r => r.Trim('\r')).ToArray());

            // NotifySlotChange travels on the interrupt endpoint (CCID rev 1.1 §6.3.1), which Wireshark 4.0 shows raw.
            string notify = Tshark.Run("-r", path, "-Y", "usb.transfer_type == 1", "-T", "fields", "-e", "usb.endpoint_address", "-e", "usb.capdata");
            Assert.Equal("0x83\t5003", notify.Trim());
        }

        [Fact]
        public void Trace_Slots_DecodeAsIso7816WithAtrApduStatusWordsAndDirections()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession();
            string output = Tshark.Run("-r", path, "-Y", "iso7816", "-T", "fields",
                "-e", "frame.interface_name", "-e", "exported_pdu.p2p_dir", "-e", "iso7816.atr.init_char",
                "-e", "iso7816.apdu.cla", "-e", "iso7816.apdu.ins", "-e", "iso7816.apdu.p1", "-e", "iso7816.apdu.p2",
                "-e", "iso7816.apdu.sw1", "-e", "iso7816.apdu.sw2");
            string[] rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();
            Assert.Equal(new[]
            {
                "iso7816-slot0\t1\t0x3b\t\t\t\t\t\t",
                "iso7816-slot0\t0\t\t0x00\t0xa4\t0x04\t0x00\t\t",
                "iso7816-slot0\t1\t\t\t\t\t\t0x90\t0x00",
                "iso7816-slot1\t1\t0x3b\t\t\t\t\t\t",
                "iso7816-slot1\t0\t\t0x00\t0x20\t0x00\t0x01\t\t",
                "iso7816-slot1\t1\t\t\t\t\t\t0x63\t0xc2",
            }, rows);
        }

        [Fact]
        public void Trace_RawProtocolRecords_AreLabelledData()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession();
            string output = Tshark.Run("-r", path, "-Y", "data && exported_pdu", "-T", "fields", "-e", "frame.interface_name", "-e", "exported_pdu.col_proto_str", "-e", "data.data");
            string[] rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();
            Assert.Equal(new[]
            {
                "iso7816-slot0\tISO 7816-3 PPS\tff1013fc",
                "iso7816-slot0\tISO 7816-3 PPS\tff1013fc",
                "iso7816-slot1\tISO 7816-3 T=1\t000009002000010" + "42a2a2a2a0c",
                "iso7816-slot1\tISO 7816-3 T=1\t00c101fe3e",
                "iso7816-slot1\tISO 7816-3 T=1\t00e101fe1e",
                "iso7816-slot1\tISO 7816-3 T=1\t00400500b0000010e5",
            }, rows.Take(6).ToArray());
        }

        /// <summary>The shipped Lua dissector decodes T=1 blocks (ISO/IEC 7816-3 §11.3) and PPS (§9) with their checks.</summary>
        [Fact]
        public void Trace_WithLuaDissector_DecodesT1BlocksAndPpsWithChecksums()
        {
            if (!Tshark.Available(out _))
            {
                return;
            }
            string path = WriteSession();
            string lua = "lua_script:" + Path.Combine(Repository.Root, "tools", "wireshark", "iso7816-3.lua");
            string[] rows = Tshark.Run("-X", lua, "-r", path, "-Y", "iso7816t1", "-T", "fields",
                    "-e", "iso7816t1.block_type", "-e", "iso7816t1.s_type", "-e", "iso7816t1.ns", "-e", "iso7816t1.edc_good",
                    "-e", "iso7816t1.pps.fi", "-e", "iso7816t1.pps.di", "-e", "iso7816t1.pps.pck_good", "-e", "iso7816.apdu.ins")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(r => r.TrimEnd('\r')).ToArray();
            Assert.Equal(new[]
            {
                "\t\t\t\t372\t4\t1\t",            // PPS request: Fi 372, Di 4, PCK correct
                "\t\t\t\t372\t4\t1\t",            // PPS response
                "I-block\t\t0\t0\t\t\t\t0x20",     // the VERIFY block: PIN masked, so its LRC no longer matches
                "S-block\t0x01\t\t1\t\t\t\t",      // S(IFS request)
                "S-block\t0x21\t\t1\t\t\t\t",      // S(IFS response)
                "I-block\t\t1\t1\t\t\t\t0xb0",     // I(1) READ BINARY handed to the iso7816 dissector
                "R-block\t\t\t1\t\t\t\t",          // R-block with a CRC
            }, rows);
        }

        [Fact]
        public void Trace_PinDigits_AreMaskedEverywhere()
        {
            string path = WriteSession();
            byte[] file = File.ReadAllBytes(path);
            Assert.Equal(-1, IndexOf(file, Hex("31 32 33 34")));
            Assert.True(IndexOf(file, Hex("00 20 00 01 04 2A 2A 2A 2A")) >= 0, "the VERIFY must stay in the trace with its PIN masked");
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

        internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
    }
}
