using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Terminal.Ccid;
using Terminal.HostLink;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// The firmware's own cost of relaying one APDU: a framed XfrBlock read from the host link,
    /// LRC check, CCID dispatch, the slot call, the framed DataBlock written back. The link is an
    /// in-memory stream and the card answers at once, so link and card time are excluded. Targets:
    /// 0 bytes allocated per APDU once warm, under 50 µs per APDU.
    /// </summary>
    [MemoryDiagnoser]
    [SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
    public class CcidRelayBenchmarks
    {
        private LoopStream _stream = null!;
        private SerialHostLink _link = null!;

        /// <summary>Command data length of the relayed TPDU (5: a READ BINARY header; 261: the longest message).</summary>
        [Params(5, 261)]
        public int CommandLength;

        [GlobalSetup]
        public void Setup()
        {
            ImmediateSlot slot = new ImmediateSlot();
            CcidDevice device = new CcidDevice(new ICcidSlot[] { slot, new ImmediateSlot() }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            device.RecogniseProfile = false;
            byte[] message = new byte[10 + CommandLength];
            message[0] = CcidMessage.XfrBlock;
            CcidDevice.WriteInt(message, 1, CommandLength);
            message[10] = 0x00;
            message[11] = 0xB0;
            message[14] = (byte)(CommandLength == 5 ? 0xFE : 0x00);
            byte[] frame = new byte[message.Length + 3];
            frame[0] = 0x03;
            frame[1] = 0x06;
            int lrc = 0x03 ^ 0x06;
            for (int i = 0; i < message.Length; i++)
            {
                frame[2 + i] = message[i];
                lrc ^= message[i];
            }
            frame[frame.Length - 1] = (byte)lrc;
            _stream = new LoopStream(frame);
            _link = new SerialHostLink(_stream, device, new FixedClock());
            for (int i = 0; i < 1000; i++)
            {
                RelayOneApdu();
            }
        }

        /// <summary>One APDU: command frame in, answer frame out.</summary>
        [Benchmark]
        public int RelayOneApdu()
        {
            _stream.Arm();
            return _link.Poll(0);
        }

        private sealed class FixedClock : IWallClock
        {
            public long NowMilliseconds => 0;
        }

        /// <summary>Gives the same frame once per Arm; swallows the answers.</summary>
        private sealed class LoopStream : IByteStream
        {
            private readonly byte[] _frame;
            private bool _armed;

            public LoopStream(byte[] frame)
            {
                _frame = frame;
            }

            public int Written;

            public void Arm() => _armed = true;

            public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
            {
                if (!_armed)
                {
                    return 0;
                }
                _armed = false;
                System.Array.Copy(_frame, 0, buffer, offset, _frame.Length);
                return _frame.Length;
            }

            public void Write(byte[] buffer, int offset, int count) => Written += count;
        }

        /// <summary>A card that answers every TPDU at once with 254 data bytes (or as many as fit) and 90 00.</summary>
        private sealed class ImmediateSlot : ICcidSlot
        {
            public int IccStatus => CcidStatus.IccActive;

            public int ClockStatus => 0;

            public int ChangeCount => 0;

            public int PowerOn(int voltage, byte[] atr, int offset, out int atrLength)
            {
                atr[offset] = 0x3B;
                atr[offset + 1] = 0x00;
                atrLength = 2;
                return CcidError.None;
            }

            public void PowerOff()
            {
            }

            public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
            {
                int n = command[offset + 4] == 0 ? 256 : command[offset + 4];
                if (n + 2 > responseMax)
                {
                    n = responseMax - 2;
                }
                response[responseOffset + n] = 0x90;
                response[responseOffset + n + 1] = 0x00;
                responseLength = n + 2;
                return CcidError.None;
            }

            public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
                => TransmitTpdu(command, offset, length, response, responseOffset, responseMax, out responseLength);

            public int GetParameters(byte[] buffer, int offset, out int protocol, out int length)
            {
                protocol = 0;
                length = 5;
                return CcidError.None;
            }

            public int SetParameters(int protocol, byte[] data, int offset, int length) => CcidError.None;

            public int ResetParameters() => CcidError.None;

            public int SetClock(bool stop) => CcidError.None;

            public int SetDataRateAndClock(int clockHz, int dataRate, out int actualClockHz, out int actualDataRate)
            {
                actualClockHz = clockHz;
                actualDataRate = dataRate;
                return CcidError.None;
            }
        }
    }
}
