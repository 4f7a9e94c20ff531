using System;

namespace Terminal.Simulator
{
    /// <summary>T=0, card side: header, procedure bytes, NULL bytes while working, 61xx and 6Cxx.</summary>
    public sealed partial class VirtualCard
    {
        private readonly byte[] _hdr = new byte[5];
        private int _hdrCount;
        private byte[]? _t0Data;
        private int _t0DataCount;
        private byte[]? _t0Pending;
        private int _t0PendingOffset;

        private void ResetT0()
        {
            _hdrCount = 0;
            _t0Data = null;
            _t0DataCount = 0;
            _t0Pending = null;
            _t0PendingOffset = 0;
        }

        /// <summary>T=0: the card asks for and sends data one byte at a time (~INS procedure bytes). From the profile; tests may change it.</summary>
        public bool ByteByByte { get; set; }

        private void T0Character(byte value, long start)
        {
            if (_t0Data != null)
            {
                _t0Data[_t0DataCount++] = value;
                if (_t0DataCount < _t0Data.Length && ByteByByte)
                {
                    Emit((byte)~_hdr[1], start + Etu(16), 12);
                    return;
                }
                if (_t0DataCount == _t0Data.Length)
                {
                    byte[] data = _t0Data;
                    _t0Data = null;
                    var cmd = new ApduCommand(_hdr[0], _hdr[1], _hdr[2], _hdr[3], data, 256);
                    T0Execute(cmd, start + Etu(16), false);
                }
                return;
            }
            _hdr[_hdrCount++] = value;
            if (_hdrCount < 5) { return; }
            _hdrCount = 0;
            T0Header(start + Etu(16));
        }

        private void T0Header(long t0)
        {
            byte cla = _hdr[0], ins = _hdr[1], p1 = _hdr[2], p2 = _hdr[3];
            int p3 = _hdr[4];
            if ((ins & 0xF0) == 0x60 || (ins & 0xF0) == 0x90)
            {
                Note(ReaderObservationKind.ProtocolError, t0, $"T=0 header with invalid INS {ins:X2}");
                T0Sw(Sw.InsNotSupported, t0);
                return;
            }
            if (cla == 0xFF)
            {
                Note(ReaderObservationKind.ProtocolError, t0, "T=0 header with CLA FF");
                T0Sw(Sw.ClaNotSupported, t0);
                return;
            }
            if (ins == 0xC0 && _t0Pending != null)
            {
                T0GetResponse(p3 == 0 ? 256 : p3, t0);
                return;
            }
            _t0Pending = null;
            bool hasData = Application.CommandHasData(cla, ins, p1, p2);
            if (hasData && p3 > 0)
            {
                Emit(ByteByByte ? (byte)~ins : ins, t0, 12);
                _t0Data = new byte[p3];
                _t0DataCount = 0;
                return;
            }
            int ne = hasData ? 0 : (p3 == 0 ? 256 : p3);
            T0Execute(new ApduCommand(cla, ins, p1, p2, null, ne), t0, ne > 0);
        }

        private void T0Execute(ApduCommand cmd, long t0, bool case2)
        {
            ApduResponse r = Run(cmd);
            long ready = T0Work(t0, WorkCycles(cmd.Ins, r));
            byte[] data = r.Data;
            if (case2)
            {
                if (data.Length == 0)
                {
                    T0Sw(r.Sw, ready);
                }
                else if (data.Length < cmd.Ne)
                {
                    // Le does not match what the card has: tell the reader the right Le (ISO 7816-3 §10.3.3).
                    T0Sw(0x6C00 | data.Length, ready);
                }
                else if (ByteByByte)
                {
                    for (int i = 0; i < cmd.Ne; i++)
                    {
                        Emit((byte)~cmd.Ins, i == 0 ? ready : 0, 12);
                        Emit(data[i], 0, 12);
                    }
                    T0Sw(r.Sw, 0);
                }
                else
                {
                    Emit(cmd.Ins, ready, 12);
                    for (int i = 0; i < cmd.Ne; i++) { Emit(data[i], 0, 12); }
                    T0Sw(r.Sw, 0);
                }
                return;
            }
            if (data.Length > 0 && r.Sw == Sw.Ok)
            {
                _t0Pending = data;
                _t0PendingOffset = 0;
                T0Sw(0x6100 | (data.Length >= 256 ? 0 : data.Length), ready);
                return;
            }
            T0Sw(r.Sw, ready);
        }

        private void T0GetResponse(int le, long t0)
        {
            byte[] pending = _t0Pending!;
            int available = pending.Length - _t0PendingOffset;
            long ready = T0Work(t0, Profile.Timing.ProcessingMicroseconds * (long)_hz / 1_000_000L);
            if (le > available)
            {
                T0Sw(0x6C00 | (available & 0xFF), ready);
                return;
            }
            Emit(0xC0, ready, 12);
            for (int i = 0; i < le; i++) { Emit(pending[_t0PendingOffset + i], 0, 12); }
            _t0PendingOffset += le;
            int rest = available - le;
            if (rest > 0)
            {
                T0Sw(0x6100 | (rest >= 256 ? 0 : rest), 0);
            }
            else
            {
                _t0Pending = null;
                T0Sw(Sw.Ok, 0);
            }
        }

        /// <summary>The card works from t0 for <paramref name="work"/> cycles, sending NULL bytes if its profile says so; returns when it is ready.</summary>
        private long T0Work(long t0, long work)
        {
            long ready = t0 + work;
            long interval = Profile.Timing.NullIntervalMilliseconds * (long)_hz / 1000L;
            if (interval > 0)
            {
                for (long t = t0 + interval; t < ready; t += interval)
                {
                    Emit(0x60, t, 12);
                }
            }
            return ready;
        }

        private void T0Sw(int sw, long earliest)
        {
            Emit((byte)(sw >> 8), earliest, 12);
            Emit((byte)sw, 0, 12);
        }
    }
}
