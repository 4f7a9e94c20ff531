using System;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Terminal.Tests.Tracing;
using Terminal.Tracing;

namespace Terminal.Tests.Properties
{
    /// <summary>The trace never fails on what it is given and never keeps PIN digits.</summary>
    public class TraceProperties
    {
        private sealed class CountingSink : ITraceSink
        {
            public long Bytes;
            public byte[] Last = Array.Empty<byte>();

            public void Write(byte[] buffer, int offset, int count)
            {
                Bytes += count;
                Last = buffer.AsSpan(offset, count).ToArray();
            }

            public void Flush()
            {
            }
        }

        /// <summary>Arbitrary records of every kind, on any slot number, are written or ignored, never thrown on.</summary>
        [Property(MaxTest = 1000)]
        public bool Trace_ArbitraryRecords_NeverThrow(byte[] data, int slot, byte kind)
        {
            CountingSink sink = new CountingSink();
            PcapngTrace trace = new PcapngTrace(sink, 2, PcapngTraceTests.TestConfiguration(), "property", 0);
            long before = sink.Bytes;
            switch (kind % 7)
            {
                case 0: trace.HostToReader(1, data, 0, data.Length); break;
                case 1: trace.ReaderToHost(1, data, 0, data.Length); break;
                case 2: trace.Atr(1, slot, data, 0, data.Length); break;
                case 3: trace.Command(1, slot, data, 0, data.Length); break;
                case 4: trace.Response(1, slot, data, 0, data.Length); break;
                case 5: trace.T1Block(1, slot, slot & 1, data, 0, data.Length); break;
                default: trace.Pps(1, slot, slot & 1, data, 0, data.Length); break;
            }
            bool slotRecord = kind % 7 >= 2;
            bool written = sink.Bytes > before;
            return slotRecord && (slot < 0 || slot > 1) ? !written : written;
        }

        /// <summary>Any VERIFY, CHANGE REFERENCE DATA or RESET RETRY COUNTER: after masking, none of its data remains.</summary>
        [Property(MaxTest = 2000)]
        public Property PinMask_CommandData_IsFullyMasked()
        {
            Gen<(byte ins, byte[] pin)> gen =
                from ins in Gen.Elements((byte)0x20, (byte)0x24, (byte)0x2C)
                from pin in Gen.ArrayOf(Gen.Choose(0x30, 0x39).Select(x => (byte)x)).Where(p => p.Length > 0 && p.Length < 250)
                select (ins, pin);
            return Prop.ForAll(gen.ToArbitrary(), c =>
            {
                byte[] apdu = new byte[5 + c.pin.Length];
                apdu[1] = c.ins;
                apdu[4] = (byte)c.pin.Length;
                c.pin.CopyTo(apdu, 5);
                int masked = PinMask.MaskCommandApdu(apdu, 0, apdu.Length);
                bool allMarker = true;
                for (int i = 5; i < apdu.Length; i++)
                {
                    allMarker &= apdu[i] == PinMask.Marker;
                }
                return (masked == c.pin.Length && allMarker).Label(Convert.ToHexString(apdu));
            });
        }
    }
}
