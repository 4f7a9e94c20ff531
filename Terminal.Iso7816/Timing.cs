namespace Terminal.Iso7816
{
    /// <summary>
    /// Every time limit of the engine, in card clock cycles (the unit of <see cref="ICardLine"/>), from
    /// the current transmission parameters: ISO/IEC 7816-3 §7 (activation and ATR), §8.3 (ETU, guard
    /// time), §10.2 (T=0 waiting time), §11.4 (T=1 CWT, BWT, BGT). One reusable object per slot.
    /// </summary>
    public sealed class Timing
    {
        /// <summary>Default rate conversion integer Fd.</summary>
        public const int DefaultFi = 372;

        /// <summary>Default baud rate adjustment integer Dd.</summary>
        public const int DefaultDi = 1;

        /// <summary>Default waiting time integer WI (TC2 absent).</summary>
        public const int DefaultWi = 10;

        /// <summary>Default character waiting time integer CWI (T=1).</summary>
        public const int DefaultCwi = 13;

        /// <summary>Default block waiting time integer BWI (T=1).</summary>
        public const int DefaultBwi = 4;

        /// <summary>
        /// How long RST stays low after the clock starts (cold reset) or before it rises again (warm
        /// reset): ISO asks at least 400 cycles, EMV at least 40 000; 40 000 satisfies both.
        /// </summary>
        public const long ResetLowCycles = 40000;

        /// <summary>Latest start of TS after RST goes high (ISO/IEC 7816-3 §6.2.2: 400 to 40 000 cycles).</summary>
        public const long AtrFirstCharMaxCycles = 40000;

        /// <summary>Cycles of the ETU during the ATR, always Fd/Dd = 372.</summary>
        public const long InitialEtuCycles = 372;

        /// <summary>Maximum delay between two ATR characters: 9 600 ETU at the initial ETU.</summary>
        public const long AtrCharMaxCycles = 9600 * InitialEtuCycles;

        /// <summary>Maximum duration of the whole ATR from the leading edge of TS: 20 160 initial ETU (EMV).</summary>
        public const long AtrTotalMaxCycles = 20160 * InitialEtuCycles;

        /// <summary>Initial waiting time before PPS is done: 9 600 ETU at Fd/Dd (WI = 10).</summary>
        public const long InitialWaitingCycles = 9600 * InitialEtuCycles;

        /// <summary>
        /// After an ATR indicating only T=0 (no TCK, §8.2.5): how long the reader listens for a stray TCK,
        /// from the end of the last historical byte. 16 ETU: a card sending one sends it at its character
        /// pace (2 ETU after the previous one), and the reader's 16 ETU turnaround mostly covers the wait.
        /// </summary>
        public const long StrayTckWindowCycles = 16 * InitialEtuCycles;

        /// <summary>ETUs from the leading edge of a character to the end of its parity bit, used to turn leading-edge limits into limits from the end of a character.</summary>
        public const int CharacterEtu = 10;

        private int _clockHz;
        private int _fi;
        private int _di;
        private int _n;
        private int _wi;
        private int _cwi;
        private int _bwi;
        private long _cardLastSpokeAt;

        /// <summary>Timing for a 4 MHz clock and the default parameters.</summary>
        public Timing()
        {
            Reset(4000000);
        }

        /// <summary>The card clock frequency f in Hz.</summary>
        public int ClockHz
        {
            get { return _clockHz; }
        }

        /// <summary>The rate conversion integer in force.</summary>
        public int Fi
        {
            get { return _fi; }
        }

        /// <summary>The baud rate adjustment integer in force.</summary>
        public int Di
        {
            get { return _di; }
        }

        /// <summary>Extra guard time integer N (TC1).</summary>
        public int N
        {
            get { return _n; }
        }

        /// <summary>Waiting time integer WI (TC2, T=0).</summary>
        public int WI
        {
            get { return _wi; }
        }

        /// <summary>Character waiting time integer (T=1).</summary>
        public int Cwi
        {
            get { return _cwi; }
        }

        /// <summary>Block waiting time integer (T=1).</summary>
        public int Bwi
        {
            get { return _bwi; }
        }

        /// <summary>Back to the defaults of a fresh activation (Fd, Dd, N 0, WI 10, CWI 13, BWI 4) with the given clock.</summary>
        public void Reset(int clockHz)
        {
            _clockHz = clockHz > 0 ? clockHz : 4000000;
            _fi = DefaultFi;
            _di = DefaultDi;
            _n = 0;
            _wi = DefaultWi;
            _cwi = DefaultCwi;
            _bwi = DefaultBwi;
        }

        /// <summary>Sets the rate (after PPS or in specific mode). Invalid values (0 or negative) are ignored.</summary>
        public void SetRate(int fi, int di)
        {
            if (fi > 0 && di > 0)
            {
                _fi = fi;
                _di = di;
            }
        }

        /// <summary>Sets N, WI, CWI and BWI directly (CCID SetParameters). Out-of-range values are ignored.</summary>
        public void SetParameters(int n, int wi, int cwi, int bwi)
        {
            if (n >= 0 && n <= 255)
            {
                _n = n;
            }
            if (wi > 0 && wi <= 255)
            {
                _wi = wi;
            }
            if (cwi >= 0 && cwi <= 15)
            {
                _cwi = cwi;
            }
            if (bwi >= 0 && bwi <= 9)
            {
                _bwi = bwi;
            }
        }

        /// <summary>Takes N, WI, CWI and BWI from a parsed ATR (RFU values keep the defaults). The rate is not changed: that is PPS's business.</summary>
        public void SetFromAtr(Atr atr)
        {
            _n = atr.N;
            _wi = atr.WI > 0 ? atr.WI : DefaultWi;
            _cwi = atr.Cwi >= 0 ? atr.Cwi : DefaultCwi;
            _bwi = atr.Bwi >= 0 ? atr.Bwi : DefaultBwi;
        }

        /// <summary>Cycles of <paramref name="etu"/> elementary time units, rounded up: etu x Fi / Di.</summary>
        public long EtuCycles(int etu)
        {
            return ((long)etu * _fi + _di - 1) / _di;
        }

        /// <summary>Guard time of the reader's characters in ETU: 12 + N; N = 255 means 11 in T=1 and 12 in T=0.</summary>
        public int GuardTimeEtu(int protocol)
        {
            if (_n == 255)
            {
                return protocol == 1 ? 11 : 12;
            }
            return 12 + _n;
        }

        /// <summary>T=0 waiting time WT = 960 x WI x Fi cycles (960 x WI x Fi / f seconds).</summary>
        public long WwtCycles
        {
            get { return 960L * _wi * _fi; }
        }

        /// <summary>T=1 character waiting time (11 + 2^CWI) ETU.</summary>
        public long CwtCycles
        {
            get { return EtuCycles(11 + (1 << _cwi)); }
        }

        /// <summary>T=1 block waiting time: 11 ETU + 2^BWI x 960 x 372 cycles (Fd, not Fi).</summary>
        public long BwtCycles
        {
            get { return EtuCycles(11) + ((960L * DefaultFi) << _bwi); }
        }

        /// <summary>BWT multiplied by a waiting time extension (S(WTX request) INF); a multiplier below 1 counts as 1.</summary>
        public long BwtCyclesWithWtx(int multiplier)
        {
            long bwt = BwtCycles;
            return multiplier > 1 ? bwt * multiplier : bwt;
        }

        /// <summary>T=1 block guard time: 22 ETU between leading edges of characters in opposite directions.</summary>
        public long BgtCycles
        {
            get { return EtuCycles(22); }
        }

        /// <summary>T=0: at least 16 ETU between the leading edge of the card's last character and the reader's next one.</summary>
        public long T0TurnaroundCycles
        {
            get { return EtuCycles(16); }
        }

        /// <summary>
        /// What the reader waits after receiving the card's last character before sending: the
        /// turnaround (T=0: 16 ETU, T=1: BGT 22 ETU) minus the character itself (10 ETU), since the line
        /// returns a character at the end of its parity bit.
        /// </summary>
        public long TurnaroundWaitCycles(int protocol)
        {
            return EtuCycles((protocol == 1 ? 22 : 16) - CharacterEtu);
        }

        /// <summary>
        /// <see cref="ICardLine.Now"/> at the end of the card's last character, as received by any of the
        /// slot's engine objects; <see cref="TurnAround"/> measures the turnaround from it.
        /// </summary>
        public long CardLastSpokeAt
        {
            get { return _cardLastSpokeAt; }
            set { _cardLastSpokeAt = value; }
        }

        /// <summary>
        /// Before the reader sends: waits on <paramref name="line"/> until the turnaround of
        /// <paramref name="protocol"/> (T=0, ATR, PPS: 16 ETU; T=1: BGT 22 ETU, between leading edges)
        /// has passed since the card's last character; no wait when it already has.
        /// </summary>
        public void TurnAround(ICardLine line, int protocol)
        {
            long due = _cardLastSpokeAt + TurnaroundWaitCycles(protocol);
            long now = line.Now;
            if (due > now)
            {
                line.Wait(due - now);
            }
        }

        /// <summary>Converts clock cycles to microseconds at the current clock, rounded up.</summary>
        public long CyclesToMicroseconds(long cycles)
        {
            return (cycles * 1000000L + _clockHz - 1) / _clockHz;
        }

        /// <summary>Converts microseconds to clock cycles at the current clock, rounded up.</summary>
        public long MicrosecondsToCycles(long microseconds)
        {
            return (microseconds * _clockHz + 999999L) / 1000000L;
        }
    }
}
