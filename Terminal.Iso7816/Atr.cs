using System;

namespace Terminal.Iso7816
{
    /// <summary>
    /// A parsed Answer-to-Reset (ISO/IEC 7816-3 §8) and every parameter derived from it. Reusable:
    /// <see cref="Parse"/> overwrites the previous content and allocates nothing. An absent interface
    /// byte gives the ISO default; an RFU value gives the property's "unknown" value (documented on
    /// each property) and an <see cref="AtrError"/>. No exception escapes the parser.
    /// </summary>
    public sealed class Atr
    {
        /// <summary>Maximum ATR length, TS included.</summary>
        public const int MaxLength = 33;

        private readonly byte[] _bytes = new byte[MaxLength];
        private readonly int[] _protocols = new int[16];
        private int _length;
        private AtrError _error;
        private Convention _convention;
        private bool _hasTa1;
        private int _ta1;
        private int _n;
        private int _protocolMask;
        private int _protocolCount;
        private bool _specificMode;
        private int _specificProtocol;
        private bool _canChangeMode;
        private bool _implicitParameters;
        private int _wi;
        private int _ifsc;
        private int _cwi;
        private int _bwi;
        private bool _usesCrc;
        private bool _edcRfu;
        private ClockStop _clockStop;
        private int _classMask;
        private bool _hasT15Ta;
        private int _historicalOffset;
        private int _historicalLength;
        private TckStatus _tck;
        private int _strayTck;

        /// <summary>An empty ATR (LastError = Empty).</summary>
        public Atr()
        {
            Clear();
            _error = AtrError.Empty;
        }

        /// <summary>The ATR bytes as logical values (TS is 3F in inverse convention); valid up to <see cref="Length"/>.</summary>
        public byte[] Bytes
        {
            get { return _bytes; }
        }

        /// <summary>Number of ATR bytes held in <see cref="Bytes"/> (at most 33).</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>The result of the last <see cref="Parse"/>.</summary>
        public AtrError LastError
        {
            get { return _error; }
        }

        /// <summary>True when the last parse found no structural error (RFU values allowed).</summary>
        public bool IsUsable
        {
            get { return !IsFatal(_error); }
        }

        /// <summary>Coding convention from TS.</summary>
        public Convention Convention
        {
            get { return _convention; }
        }

        /// <summary>True when TA1 is present.</summary>
        public bool HasTa1
        {
            get { return _hasTa1; }
        }

        /// <summary>TA1's value (0x11 when absent).</summary>
        public int Ta1
        {
            get { return _ta1; }
        }

        /// <summary>The Fi index (high nibble of TA1; 1 when absent).</summary>
        public int FiIndex
        {
            get { return _ta1 >> 4; }
        }

        /// <summary>The Di index (low nibble of TA1; 1 when absent).</summary>
        public int DiIndex
        {
            get { return _ta1 & 0x0F; }
        }

        /// <summary>Clock rate conversion integer Fi (372 when TA1 is absent; 0 for an RFU index).</summary>
        public int Fi
        {
            get { return RateTables.Fi(FiIndex); }
        }

        /// <summary>Baud rate adjustment integer Di (1 when TA1 is absent; 0 for an RFU index).</summary>
        public int Di
        {
            get { return RateTables.Di(DiIndex); }
        }

        /// <summary>Maximum clock frequency in kHz for Fi (5000 when TA1 is absent; 0 for an RFU index).</summary>
        public int FmaxKhz
        {
            get { return RateTables.FmaxKhz(FiIndex); }
        }

        /// <summary>Extra guard time integer N from TC1 (0 when absent).</summary>
        public int N
        {
            get { return _n; }
        }

        /// <summary>Bit t set when a TD byte indicates protocol t (bit 0 alone when there is no TD1); T=15 is not included.</summary>
        public int ProtocolMask
        {
            get { return _protocolMask; }
        }

        /// <summary>Number of distinct protocols indicated by the TD bytes (T=15 excluded; 1 when no TD1).</summary>
        public int ProtocolCount
        {
            get { return _protocolCount; }
        }

        /// <summary>The <paramref name="index"/>th protocol in the order of the TD bytes, or -1 when out of range.</summary>
        public int GetProtocol(int index)
        {
            return index >= 0 && index < _protocolCount ? _protocols[index] : -1;
        }

        /// <summary>True when the ATR offers protocol <paramref name="protocol"/> (or it is the specific mode's).</summary>
        public bool Offers(int protocol)
        {
            if (_specificMode && protocol == _specificProtocol)
            {
                return true;
            }
            return protocol >= 0 && protocol < 15 && (_protocolMask & (1 << protocol)) != 0;
        }

        /// <summary>The protocol used right after the ATR: the TA2 protocol in specific mode, else the first one offered.</summary>
        public int DefaultProtocol
        {
            get { return _specificMode ? _specificProtocol : (_protocolCount > 0 ? _protocols[0] : 0); }
        }

        /// <summary>True when TA2 is present: the card is in specific mode.</summary>
        public bool SpecificMode
        {
            get { return _specificMode; }
        }

        /// <summary>The protocol TA2 imposes (-1 when TA2 is absent).</summary>
        public int SpecificProtocol
        {
            get { return _specificMode ? _specificProtocol : -1; }
        }

        /// <summary>TA2 bit 8 = 0: the card can change to negotiable mode (on a warm reset).</summary>
        public bool CanChangeMode
        {
            get { return _canChangeMode; }
        }

        /// <summary>TA2 bit 5 = 1: the parameters are implicit, not those of TA1.</summary>
        public bool ImplicitParameters
        {
            get { return _implicitParameters; }
        }

        /// <summary>Waiting time integer from TC2 (10 when absent; 0 for the RFU value 0).</summary>
        public int WI
        {
            get { return _wi; }
        }

        /// <summary>T=1 IFSC from the first TA for T=1 (32 when absent; 0 for RFU 00 or FF).</summary>
        public int Ifsc
        {
            get { return _ifsc; }
        }

        /// <summary>T=1 CWI from the first TB for T=1 (13 when absent).</summary>
        public int Cwi
        {
            get { return _cwi; }
        }

        /// <summary>T=1 BWI from the first TB for T=1 (4 when absent; -1 for RFU values above 9).</summary>
        public int Bwi
        {
            get { return _bwi; }
        }

        /// <summary>T=1 error detection code: true for CRC, false for LRC (the default), from the first TC for T=1.</summary>
        public bool UsesCrc
        {
            get { return _usesCrc; }
        }

        /// <summary>True when the first TC for T=1 has RFU bits set (the EDC is then unknown).</summary>
        public bool EdcRfu
        {
            get { return _edcRfu; }
        }

        /// <summary>Clock stop indicator from the first TA for T=15.</summary>
        public ClockStop ClockStop
        {
            get { return _clockStop; }
        }

        /// <summary>Supported classes from the first TA for T=15: bit 0 class A, bit 1 B, bit 2 C; 0 when not indicated.</summary>
        public int ClassMask
        {
            get { return _classMask; }
        }

        /// <summary>True when a TA for T=15 is present (clock stop and class indicator).</summary>
        public bool HasClassIndicator
        {
            get { return _hasT15Ta; }
        }

        /// <summary>Offset of the historical bytes in <see cref="Bytes"/>.</summary>
        public int HistoricalOffset
        {
            get { return _historicalOffset; }
        }

        /// <summary>Number of historical bytes present.</summary>
        public int HistoricalLength
        {
            get { return _historicalLength; }
        }

        /// <summary>TCK presence and check.</summary>
        public TckStatus Tck
        {
            get { return _tck; }
        }

        /// <summary>
        /// The byte that followed an ATR indicating only T=0 and checked as a TCK would (a "stray TCK",
        /// <see cref="AtrError.UnexpectedTck"/>), or -1. It is not part of the ATR: <see cref="Length"/> ends
        /// before it and <see cref="Tck"/> is <see cref="TckStatus.Absent"/> (ISO/IEC 7816-3 §8.2.5).
        /// </summary>
        public int StrayTck
        {
            get { return _strayTck; }
        }

        /// <summary>True for structural errors (the ATR cannot be used); false for None and RFU values.</summary>
        public static bool IsFatal(AtrError error)
        {
            return error != AtrError.None && error != AtrError.UnexpectedTck && (int)error < 20;
        }

        /// <summary>
        /// Parses an ATR of <paramref name="length"/> logical bytes. Copies at most 33 bytes, decodes
        /// every field it can reach and returns the first structural error, else the first RFU value,
        /// else None. Never throws: bad arguments give <see cref="AtrError.Empty"/>.
        /// </summary>
        public AtrError Parse(byte[] buffer, int offset, int length)
        {
            Clear();
            if (buffer == null || offset < 0 || length <= 0 || offset > buffer.Length || length > buffer.Length - offset)
            {
                _error = AtrError.Empty;
                return _error;
            }
            bool tooLong = length > MaxLength;
            int n = tooLong ? MaxLength : length;
            Array.Copy(buffer, offset, _bytes, 0, n);
            _length = n;

            int ts = _bytes[0];
            if (ts == 0x3B)
            {
                _convention = Convention.Direct;
            }
            else if (ts == 0x3F)
            {
                _convention = Convention.Inverse;
            }
            else
            {
                _error = AtrError.BadTs;
                return _error;
            }
            if (n < 2)
            {
                return Structural(AtrError.TruncatedInterfaceBytes);
            }

            int t0 = _bytes[1];
            int y = t0 >> 4;
            int k = t0 & 0x0F;
            int pos = 2;
            int group = 1;
            int groupProtocol = -1;
            bool tckNeeded = false;
            bool t1TaSeen = false;
            bool t1TbSeen = false;
            bool t1TcSeen = false;
            while (true)
            {
                int td = -1;
                for (int which = 0; which < 4; which++)
                {
                    if ((y & (1 << which)) == 0)
                    {
                        continue;
                    }
                    if (pos >= n)
                    {
                        return Structural(tooLong ? AtrError.TooLong : AtrError.TruncatedInterfaceBytes);
                    }
                    int value = _bytes[pos++];
                    if (which == 3)
                    {
                        td = value;
                    }
                    else
                    {
                        Interface(group, which, groupProtocol, value, ref t1TaSeen, ref t1TbSeen, ref t1TcSeen);
                    }
                }
                if (td < 0)
                {
                    break;
                }
                int t = td & 0x0F;
                if (group == 1)
                {
                    // The implicit T=0 of an ATR without TD1 gives way to what the TD bytes indicate.
                    _protocolMask = 0;
                    _protocolCount = 0;
                }
                if (group == 1 && t == 15)
                {
                    Rfu(AtrError.RfuProtocol);
                }
                if (t != 0)
                {
                    tckNeeded = true;
                }
                if (t != 15 && (_protocolMask & (1 << t)) == 0)
                {
                    _protocolMask |= 1 << t;
                    _protocols[_protocolCount++] = t;
                }
                groupProtocol = t;
                y = td >> 4;
                group++;
            }

            _historicalOffset = pos;
            if (pos + k > n)
            {
                _historicalLength = n - pos;
                return Structural(tooLong ? AtrError.TooLong : AtrError.TruncatedHistoricalBytes);
            }
            _historicalLength = k;
            pos += k;

            if (tckNeeded)
            {
                if (pos >= n)
                {
                    return Structural(tooLong ? AtrError.TooLong : AtrError.MissingTck);
                }
                _tck = Xor(1, pos + 1) == 0 ? TckStatus.Correct : TckStatus.Wrong;
                pos++;
            }
            else if (pos == n - 1 && !tooLong && Xor(1, n) == 0)
            {
                // §8.2.5: with only T=0 indicated TCK is absent, so the ATR ended with the historical
                // bytes; the byte after them is kept aside and reported, not made part of the ATR.
                _strayTck = _bytes[pos];
                _length = pos;
                Structural(AtrError.UnexpectedTck);
                return _error;
            }

            if (tooLong)
            {
                return Structural(AtrError.TooLong);
            }
            if (pos < n)
            {
                return Structural(AtrError.ExtraBytes);
            }
            if (_tck == TckStatus.Wrong)
            {
                return Structural(AtrError.BadTck);
            }
            return _error;
        }

        private void Interface(int group, int which, int groupProtocol, int value, ref bool t1TaSeen, ref bool t1TbSeen, ref bool t1TcSeen)
        {
            if (group == 1)
            {
                if (which == 0)
                {
                    _hasTa1 = true;
                    _ta1 = value;
                    if (RateTables.Fi(value >> 4) == 0)
                    {
                        Rfu(AtrError.RfuFi);
                    }
                    if (RateTables.Di(value & 0x0F) == 0)
                    {
                        Rfu(AtrError.RfuDi);
                    }
                }
                else if (which == 2)
                {
                    _n = value;
                }
                // TB1 (programming voltage) is deprecated and ignored (ISO/IEC 7816-3:2006 §8.3).
                return;
            }
            if (group == 2)
            {
                if (which == 0)
                {
                    _specificMode = true;
                    _specificProtocol = value & 0x0F;
                    _canChangeMode = (value & 0x80) == 0;
                    _implicitParameters = (value & 0x10) != 0;
                    if ((value & 0x60) != 0)
                    {
                        Rfu(AtrError.RfuTa2);
                    }
                    return;
                }
                if (which == 2)
                {
                    _wi = value;
                    if (value == 0)
                    {
                        Rfu(AtrError.RfuWi);
                    }
                    return;
                }
                // TB2 is deprecated; T=1 specific bytes start at group 3 ("the first TA for T=1" is TAi, i > 2).
                return;
            }
            if (groupProtocol == 1)
            {
                if (which == 0 && !t1TaSeen)
                {
                    t1TaSeen = true;
                    _ifsc = value;
                    if (value == 0 || value == 0xFF)
                    {
                        _ifsc = 0;
                        Rfu(AtrError.RfuIfsc);
                    }
                }
                else if (which == 1 && !t1TbSeen)
                {
                    t1TbSeen = true;
                    _cwi = value & 0x0F;
                    _bwi = value >> 4;
                    if (_bwi > 9)
                    {
                        _bwi = -1;
                        Rfu(AtrError.RfuBwi);
                    }
                }
                else if (which == 2 && !t1TcSeen)
                {
                    t1TcSeen = true;
                    _usesCrc = (value & 0x01) != 0;
                    if ((value & 0xFE) != 0)
                    {
                        _edcRfu = true;
                        Rfu(AtrError.RfuEdc);
                    }
                }
                return;
            }
            if (groupProtocol == 15 && which == 0 && !_hasT15Ta)
            {
                _hasT15Ta = true;
                switch (value >> 6)
                {
                    case 0: _clockStop = ClockStop.NotSupported; break;
                    case 1: _clockStop = ClockStop.StateL; break;
                    case 2: _clockStop = ClockStop.StateH; break;
                    default: _clockStop = ClockStop.NoPreference; break;
                }
                _classMask = value & 0x07;
                if ((value & 0x3F) == 0)
                {
                    Rfu(AtrError.RfuClassIndicator);
                }
            }
        }

        private int Xor(int from, int to)
        {
            int x = 0;
            for (int i = from; i < to; i++)
            {
                x ^= _bytes[i];
            }
            return x;
        }

        private void Rfu(AtrError error)
        {
            if (_error == AtrError.None)
            {
                _error = error;
            }
        }

        private AtrError Structural(AtrError error)
        {
            if (!IsFatal(_error))
            {
                _error = error;
            }
            return _error;
        }

        private void Clear()
        {
            _length = 0;
            _error = AtrError.None;
            _convention = Convention.Direct;
            _hasTa1 = false;
            _ta1 = 0x11;
            _n = 0;
            _protocolMask = 1;
            _protocols[0] = 0;
            _protocolCount = 1;
            _specificMode = false;
            _specificProtocol = 0;
            _canChangeMode = false;
            _implicitParameters = false;
            _wi = Timing.DefaultWi;
            _ifsc = 32;
            _cwi = Timing.DefaultCwi;
            _bwi = Timing.DefaultBwi;
            _usesCrc = false;
            _edcRfu = false;
            _clockStop = ClockStop.NotIndicated;
            _classMask = 0;
            _hasT15Ta = false;
            _historicalOffset = 0;
            _historicalLength = 0;
            _tck = TckStatus.Absent;
            _strayTck = -1;
        }
    }
}
