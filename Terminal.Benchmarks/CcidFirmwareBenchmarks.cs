using BenchmarkDotNet.Attributes;
using Terminal.Boards;
using Terminal.Ccid;
using Terminal.HostLink;
using Terminal.Iso7816;
using Terminal.PinPad;
using Terminal.Slots;

namespace Terminal.Benchmarks
{
    /// <summary>
    /// The whole firmware path of one relayed APDU: serial frame in, CCID dispatch, the slot, the
    /// ISO 7816 T=0 engine running the procedure bytes, the framed answer out. The host link is in
    /// memory and the card line answers at once (a card that needs no time), so what is measured is
    /// the firmware's own processing. Targets: 0 bytes allocated per APDU once warm, under 50 µs.
    /// </summary>
    [MemoryDiagnoser]
    [SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
    public class CcidFirmwareBenchmarks
    {
        private FrameStream _stream = null!;
        private SerialHostLink _link = null!;

        /// <summary>Le of the READ BINARY relayed (bytes the card returns).</summary>
        [Params(16, 254)]
        public int Le;

        [GlobalSetup]
        public void Setup()
        {
            InstantCardLine line = new InstantCardLine();
            CardSlot slot = new CardSlot(0, line, null, 3, 500000);
            CardSlot[] slots = { slot, new CardSlot(1, new InstantCardLine(), null, 3, 500000) };
            CcidDevice device = new CcidDevice(slots, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            device.RecogniseProfile = false;
            // The PIN pad as shipped: every relayed command meets the pseudo-APDU interceptor and the clear-PIN policy.
            NoBoard none = new NoBoard();
            SecurePinService pins = new SecurePinService(none, null, none, none);
            device.SecureHandler = new CcidPinPad(device, slots, pins, new ReaderProperties(), new PinPolicy(2));
            byte[] power = { CcidMessage.IccPowerOn, 0, 0, 0, 0, 0, 0, 1, 0, 0 };
            device.Process(power, power.Length, new byte[CcidDevice.ResponseBufferLength]);
            byte[] message = { CcidMessage.XfrBlock, 5, 0, 0, 0, 0, 1, 0, 0, 0, 0x00, 0xB0, 0x00, 0x00, (byte)Le };
            byte[] frame = new byte[message.Length + 3];
            frame[0] = 0x03;
            frame[1] = 0x06;
            int lrc = 0x03 ^ 0x06;
            for (int i = 0; i < message.Length; i++)
            {
                frame[2 + i] = message[i];
                lrc ^= message[i];
            }
            frame[^1] = (byte)lrc;
            _stream = new FrameStream(frame);
            _link = new SerialHostLink(_stream, device, new ZeroClock());
            for (int i = 0; i < 2000; i++)
            {
                RelayOneApdu();
            }
            if (_stream.LastAnswerLength != 2 + 10 + Le + 2 + 1)
            {
                throw new System.InvalidOperationException("unexpected answer length " + _stream.LastAnswerLength);
            }
        }

        /// <summary>One READ BINARY relayed end to end inside the firmware.</summary>
        [Benchmark]
        public int RelayOneApdu()
        {
            _stream.Arm();
            return _link.Poll(0);
        }

        private sealed class NoBoard : IKeypad, IIndicators, IClock
        {
            public long NowMilliseconds => 0;

            public void Sleep(int milliseconds)
            {
            }

            public Key ReadKey(int timeoutMilliseconds) => Key.None;

            public void Flush()
            {
            }

            public void SetSecureMode(bool on)
            {
            }

            public void SetCardAccess(int slot, bool on)
            {
            }

            public void Beep(int milliseconds)
            {
            }
        }

        private sealed class ZeroClock : IWallClock
        {
            public long NowMilliseconds => 0;
        }

        private sealed class FrameStream : IByteStream
        {
            private readonly byte[] _frame;
            private bool _armed;

            public FrameStream(byte[] frame) => _frame = frame;

            public int LastAnswerLength;

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

            public void Write(byte[] buffer, int offset, int count) => LastAnswerLength = count;
        }

        /// <summary>A T=0 card on the contacts that answers every character at once: ATR 3B 00, READ BINARY with INS, P3 bytes, 90 00.</summary>
        private sealed class InstantCardLine : ICardLine
        {
            private readonly byte[] _queue = new byte[300];
            private readonly byte[] _header = new byte[5];
            private int _head;
            private int _tail;
            private int _headerCount;
            private bool _powered;
            private long _now;

            public int ClockHz => 4000000;

            public long Now => _now;

            public bool CardPresent => true;

            public void SetVcc(VoltageClass voltageClass) => _powered = voltageClass != VoltageClass.None;

            public void SetReset(bool high)
            {
                _head = _tail = 0;
                _headerCount = 0;
                if (high && _powered)
                {
                    _queue[_tail++] = 0x3B;
                    _queue[_tail++] = 0x00;
                }
            }

            public void SetClock(bool running)
            {
            }

            public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
            {
            }

            public void Send(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    _header[_headerCount++] = buffer[offset + i];
                    if (_headerCount == 5)
                    {
                        _headerCount = 0;
                        _head = _tail = 0;
                        int n = _header[4] == 0 ? 256 : _header[4];
                        _queue[_tail++] = _header[1];
                        for (int j = 0; j < n; j++)
                        {
                            _queue[_tail++] = (byte)j;
                        }
                        _queue[_tail++] = 0x90;
                        _queue[_tail++] = 0x00;
                    }
                }
                _now += count * 372 * 12;
            }

            public int Receive(long timeoutCycles)
            {
                if (_head < _tail)
                {
                    _now += 372 * 12;
                    return _queue[_head++];
                }
                _now += timeoutCycles;
                return LineStatus.Timeout;
            }

            public void Wait(long cycles) => _now += cycles;
        }
    }
}
