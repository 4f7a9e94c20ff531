using Terminal.Ccid;
using Terminal.HostLink;

namespace Terminal.Tests.Device.Ccid
{
    /// <summary>Called by <see cref="FakeSlot"/> in the middle of an exchange, to act while the "card" works.</summary>
    public delegate void ExchangeHook();

    /// <summary>A slot with a scripted card: a fixed ATR, an echo-with-9000 answer, and injectable errors.</summary>
    public sealed class FakeSlot : ICcidSlot
    {
        public static readonly byte[] DefaultAtr = new byte[] { 0x3B, 0x02, 0x14, 0x50 };

        public bool Present = true;
        public bool Active;
        public int Changes;
        public int PowerOnError = CcidError.None;
        public int TransmitError = CcidError.None;
        public int SetParametersError = CcidError.None;
        public int LastVoltage = -1;
        public int PowerOffCount;
        public int Protocol;
        public byte[] Parameters = new byte[] { 0x11, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00 };
        public byte[] Answer = new byte[0];
        public int AnswerLength = -1;
        public byte[] LastCommand = new byte[300];
        public int LastCommandLength;
        public bool ClockStopped;
        public ExchangeHook? DuringExchange;

        public int IccStatus => !Present ? CcidStatus.IccAbsent : (Active ? CcidStatus.IccActive : CcidStatus.IccInactive);

        public int ClockStatus => ClockStopped ? 1 : 0;

        public int ChangeCount => Changes;

        public void Remove()
        {
            Present = false;
            Active = false;
            Changes++;
        }

        public void Insert()
        {
            Present = true;
            Changes++;
        }

        public int PowerOn(int voltage, byte[] atr, int offset, out int atrLength)
        {
            LastVoltage = voltage;
            atrLength = 0;
            if (!Present)
            {
                return CcidError.IccMute;
            }
            if (PowerOnError != CcidError.None)
            {
                return PowerOnError;
            }
            System.Array.Copy(DefaultAtr, 0, atr, offset, DefaultAtr.Length);
            atrLength = DefaultAtr.Length;
            Active = true;
            return CcidError.None;
        }

        public void PowerOff()
        {
            PowerOffCount++;
            Active = false;
        }

        public int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            return Exchange(command, offset, length, response, responseOffset, responseMax, out responseLength);
        }

        public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            return Exchange(command, offset, length, response, responseOffset, responseMax, out responseLength);
        }

        private int Exchange(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
        {
            responseLength = 0;
            LastCommandLength = length;
            if (length <= LastCommand.Length)
            {
                System.Array.Copy(command, offset, LastCommand, 0, length);
            }
            ExchangeHook? hook = DuringExchange;
            if (hook != null)
            {
                hook();
            }
            if (!Present)
            {
                return CcidError.IccMute;
            }
            if (TransmitError != CcidError.None)
            {
                return TransmitError;
            }
            int n = AnswerLength >= 0 ? AnswerLength : Answer.Length;
            if (n + 2 > responseMax)
            {
                return CcidError.XfrOverrun;
            }
            for (int i = 0; i < n; i++)
            {
                response[responseOffset + i] = Answer.Length == 0 ? (byte)i : Answer[i % Answer.Length];
            }
            response[responseOffset + n] = 0x90;
            response[responseOffset + n + 1] = 0x00;
            responseLength = n + 2;
            return CcidError.None;
        }

        public int GetParameters(byte[] buffer, int offset, out int protocol, out int length)
        {
            protocol = Protocol;
            length = Protocol == 0 ? 5 : 7;
            System.Array.Copy(Parameters, 0, buffer, offset, length);
            return CcidError.None;
        }

        public int SetParameters(int protocol, byte[] data, int offset, int length)
        {
            if (SetParametersError != CcidError.None)
            {
                return SetParametersError;
            }
            Protocol = protocol;
            System.Array.Copy(data, offset, Parameters, 0, length);
            return CcidError.None;
        }

        public int ResetParameters()
        {
            Protocol = 0;
            Parameters[0] = 0x11;
            return CcidError.None;
        }

        public int SetClock(bool stop)
        {
            ClockStopped = stop;
            return CcidError.None;
        }

        public int SetDataRateAndClock(int clockHz, int dataRate, out int actualClockHz, out int actualDataRate)
        {
            actualClockHz = 4000000;
            actualDataRate = dataRate > 10752 ? 10752 : dataRate;
            return CcidError.None;
        }
    }

    /// <summary>An in-memory host: bytes queued for the link to read, and everything it wrote.</summary>
    public sealed class FakeStream : IByteStream
    {
        private byte[] _input = new byte[4096];
        private int _inputStart;
        private int _inputEnd;
        public byte[] Output = new byte[65536];
        public int OutputLength;
        public bool NoHost;
        public int ChunkSize = 4096;

        public void Feed(byte[] bytes)
        {
            System.Array.Copy(bytes, 0, _input, _inputEnd, bytes.Length);
            _inputEnd += bytes.Length;
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            if (NoHost)
            {
                return ByteStream.NoHost;
            }
            int available = _inputEnd - _inputStart;
            if (available == 0)
            {
                return 0;
            }
            int n = available < count ? available : count;
            if (n > ChunkSize)
            {
                n = ChunkSize;
            }
            System.Array.Copy(_input, _inputStart, buffer, offset, n);
            _inputStart += n;
            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            System.Array.Copy(buffer, offset, Output, OutputLength, count);
            OutputLength += count;
        }

        public byte[] TakeOutput()
        {
            byte[] result = new byte[OutputLength];
            System.Array.Copy(Output, result, OutputLength);
            OutputLength = 0;
            return result;
        }
    }

    /// <summary>A wall clock the test moves by hand.</summary>
    public sealed class FakeClock : IWallClock
    {
        public long Now;

        public long NowMilliseconds => Now;
    }

    /// <summary>Helpers to build CCID messages and serial frames.</summary>
    public static class Frames
    {
        public static byte[] Message(byte type, int slot, int seq, byte p7, byte p8, byte p9, byte[] data)
        {
            byte[] m = new byte[10 + data.Length];
            m[0] = type;
            CcidDevice.WriteInt(m, 1, data.Length);
            m[5] = (byte)slot;
            m[6] = (byte)seq;
            m[7] = p7;
            m[8] = p8;
            m[9] = p9;
            System.Array.Copy(data, 0, m, 10, data.Length);
            return m;
        }

        public static byte[] Serial(byte[] message)
        {
            byte[] f = new byte[message.Length + 3];
            f[0] = 0x03;
            f[1] = 0x06;
            int lrc = 0x03 ^ 0x06;
            for (int i = 0; i < message.Length; i++)
            {
                f[2 + i] = message[i];
                lrc ^= message[i];
            }
            f[f.Length - 1] = (byte)lrc;
            return f;
        }

        public static byte[] Slice(byte[] source, int offset, int length)
        {
            byte[] r = new byte[length];
            System.Array.Copy(source, offset, r, 0, length);
            return r;
        }
    }
}
