using System;
using System.Collections.Generic;
using Terminal.Iso7816;

namespace Terminal.Simulator
{
    /// <summary>
    /// A byte-level virtual card: the card side of ISO/IEC 7816-3 (activation, ATR, PPS, T=0, T=1)
    /// in virtual time, hosting an APDU-level <see cref="ICardApplication"/>. It records what it
    /// notices about the reader (<see cref="Observations"/>) and obeys injected <see cref="Faults"/>.
    /// </summary>
    /// <remarks>
    /// The card is reactive: each reader character is handed over with its leading-edge time, and
    /// the card schedules its own characters at absolute line times (cycles). The line delivers
    /// them to the reader. Everything is called under the owning line's lock.
    /// </remarks>
    public sealed partial class VirtualCard
    {
        private enum Phase { Off, ResetLow, Negotiation, Pps, T0, T1, Silent }

        internal struct Outgoing
        {
            public byte Value;
            public long Start;
            public long Duration;
            public Convention Convention;
            public int Fi;
            public int Di;
            public int Index;
            public int BadTransmissions;
            public bool Remove;
        }

        private readonly object _obsLock = new object();
        private readonly List<ReaderObservation> _observations = new List<ReaderObservation>();
        private readonly List<Outgoing> _out = new List<Outgoing>();
        private int _hz = 4_000_000;

        private Phase _phase = Phase.Off;
        private bool _powered;
        private bool _rstHigh;
        private bool _clockRunning;
        private long _clockStart;
        private long _vccOn;
        private long _rstFall = -1;
        private bool _everReset;

        private int _fi = 372;
        private int _di = 1;
        private int _protocol = -1;
        private int _charIndex;
        private long _outEnd;
        private long _busyUntil;
        private long _lastCardStart = long.MinValue / 4;
        private long _lastReaderStart = long.MinValue / 4;
        private bool _lastWasCard;
        private bool _rateMismatchNoted;
        private bool _conventionMismatchNoted;

        private readonly byte[] _pps = new byte[6];
        private int _ppsCount;

        /// <summary>The profile the card was made from.</summary>
        public CardProfile Profile { get; }

        /// <summary>The card's reading of its own ATR.</summary>
        public AtrInfo Atr { get; }

        /// <summary>The APDU-level application the card runs.</summary>
        public ICardApplication Application { get; }

        /// <summary>Faults to inject (see <see cref="CardFaults"/>).</summary>
        public CardFaults Faults { get; } = new CardFaults();

        /// <summary>The protocol in use since the ATR/PPS (-1 before).</summary>
        public int Protocol => _protocol;

        /// <summary>Fi in use.</summary>
        public int CurrentFi => _fi;

        /// <summary>Di in use.</summary>
        public int CurrentDi => _di;

        /// <summary>True once a PPS exchange succeeded since the last reset.</summary>
        public bool PpsDone { get; private set; }

        /// <summary>Number of resets (cold and warm) the card answered.</summary>
        public int ResetCount { get; private set; }

        /// <summary>Number of APDUs the application processed.</summary>
        public int ApduCount { get; private set; }

        /// <summary>What the card noticed about the reader, oldest first.</summary>
        public IReadOnlyList<ReaderObservation> Observations
        {
            get { lock (_obsLock) { return _observations.ToArray(); } }
        }

        /// <summary>Forgets the observations so far.</summary>
        public void ClearObservations()
        {
            lock (_obsLock) { _observations.Clear(); }
        }

        /// <summary>Makes a card running <paramref name="application"/> with the ATR and timing of <paramref name="profile"/>.</summary>
        public VirtualCard(CardProfile profile, ICardApplication application)
        {
            Profile = profile;
            Atr = new AtrInfo(profile.AtrBytes());
            Application = application;
            ByteByByte = profile.Timing.ByteByByte;
            InitT1();
        }

        /// <summary>A card from a profile name (hardware/cards/&lt;name&gt;.json).</summary>
        public static VirtualCard FromProfile(string name) => FromProfile(CardProfile.Load(name));

        /// <summary>A card from a profile file.</summary>
        public static VirtualCard FromProfileFile(string path) => FromProfile(CardProfile.LoadFile(path));

        /// <summary>A card from a loaded profile; the application kind picks the application.</summary>
        public static VirtualCard FromProfile(CardProfile profile) => new VirtualCard(profile, CardApplications.Create(profile));

        internal void Attach(int hz)
        {
            _hz = hz;
        }

        private long Etu(int n) => (long)n * _fi / _di;

        private void Note(ReaderObservationKind kind, long at, string detail)
        {
            lock (_obsLock) { _observations.Add(new ReaderObservation(kind, at, detail)); }
        }

        // ---- contacts --------------------------------------------------------------------------

        internal void OnPower(bool on, long t)
        {
            if (on == _powered) { return; }
            _powered = on;
            if (on)
            {
                _vccOn = t;
                _everReset = false;
                _phase = Phase.ResetLow;
                if (_rstHigh)
                {
                    Note(ReaderObservationKind.ResetTooEarly, t, "VCC applied with RST already high");
                }
            }
            else
            {
                StopAll(t);
                _phase = Phase.Off;
            }
        }

        internal void OnRemoved(long t)
        {
            StopAll(t);
            _out.Clear();
            _powered = false;
            _rstHigh = false;
            _clockRunning = false;
            _phase = Phase.Off;
        }

        internal void OnClock(bool running, long t)
        {
            if (running && !_clockRunning) { _clockStart = t; }
            _clockRunning = running;
        }

        internal void OnReset(bool high, long t)
        {
            if (high == _rstHigh) { return; }
            _rstHigh = high;
            if (!_powered) { return; }
            if (!high)
            {
                _rstFall = t;
                StopAll(t);
                _phase = Phase.ResetLow;
                return;
            }
            if (!_clockRunning)
            {
                Note(ReaderObservationKind.ResetTooEarly, t, "RST released with the clock stopped");
                _phase = Phase.Silent;
                return;
            }
            long since = t - Math.Max(_clockStart, _vccOn);
            if (since < 400)
            {
                Note(ReaderObservationKind.ResetTooEarly, t, $"RST released {since} cycles after clock and VCC (400 at least)");
            }
            if (_everReset && _rstFall >= 0 && t - _rstFall < 400)
            {
                Note(ReaderObservationKind.ResetTooEarly, t, $"RST low for {t - _rstFall} cycles in a warm reset (400 at least)");
            }
            _everReset = true;
            StartAtr(t);
        }

        private void StopAll(long t)
        {
            // Characters already started stay in the reader's receive FIFO; later ones never happen.
            _out.RemoveAll(o => o.Start >= t);
            _outEnd = Math.Min(_outEnd, t);
            _busyUntil = Math.Min(_busyUntil, t);
            Application.Reset();
            ResetT0();
            InitT1();
            _protocol = -1;
            PpsDone = false;
        }

        private void StartAtr(long t)
        {
            ResetCount++;
            _fi = 372;
            _di = 1;
            _charIndex = 0;
            _ppsCount = 0;
            _protocol = -1;
            _rateMismatchNoted = false;
            _conventionMismatchNoted = false;
            _outEnd = t;
            _busyUntil = t;
            _lastReaderStart = long.MinValue / 4;
            if (Faults.NoAtr)
            {
                _phase = Phase.Silent;
                return;
            }
            byte[] atr = (byte[])Atr.Bytes.Clone();
            if (Faults.WrongTs.HasValue) { atr[0] = Faults.WrongTs.Value; }
            if (Faults.WrongTck && Atr.HasTck) { atr[atr.Length - 1] ^= 0x01; }
            long earliest = t + Profile.Timing.AtrDelayCycles;
            for (int i = 0; i < atr.Length; i++)
            {
                Emit(atr[i], i == 0 ? earliest : 0, 12);
            }
            if (Faults.Mute)
            {
                _phase = Phase.Silent;
                return;
            }
            if (Atr.SpecificMode)
            {
                _protocol = Atr.SpecificProtocol;
                if (!Atr.SpecificImplicit) { SetRate(Atr.Ta1); }
                _phase = _protocol == 1 ? Phase.T1 : Phase.T0;
            }
            else
            {
                _protocol = Atr.Protocols[0];
                _phase = Phase.Negotiation;
            }
        }

        private void SetRate(byte ta)
        {
            int fi = AtrInfo.Fi(ta), di = AtrInfo.Di(ta);
            if (fi > 0 && di > 0) { _fi = fi; _di = di; }
        }

        // ---- output ----------------------------------------------------------------------------

        /// <summary>Schedules a card character no earlier than <paramref name="earliest"/>, after the previous one.</summary>
        private long Emit(byte value, long earliest, int durationEtu)
        {
            long start = Math.Max(earliest, _outEnd);
            int index = _charIndex++;
            var o = new Outgoing
            {
                Value = value,
                Convention = Atr.Convention,
                Fi = _fi,
                Di = _di,
                Index = index,
                Duration = Etu(durationEtu),
            };
            if (index == Faults.DelayAt) { start += Faults.DelayCycles; }
            if (index == Faults.ParityErrorAt) { o.BadTransmissions = Math.Max(1, Faults.ParityErrorRepeats); }
            if (index == Faults.RemoveAt) { o.Remove = true; }
            o.Start = start;
            _out.Add(o);
            _outEnd = start + o.Duration;
            _busyUntil = start + Etu(VirtualCardLine.CharacterEtu);
            _lastCardStart = start;
            _lastWasCard = true;
            return _outEnd;
        }

        internal bool TryPeek(out Outgoing o)
        {
            if (_out.Count == 0) { o = default; return false; }
            o = _out[0];
            return true;
        }

        internal void Dequeue()
        {
            _out.RemoveAt(0);
        }

        /// <summary>Repetitions after an error signal push every later character back.</summary>
        internal void Delay(long cycles)
        {
            for (int i = 0; i < _out.Count; i++)
            {
                Outgoing o = _out[i];
                o.Start += cycles;
                _out[i] = o;
            }
            _outEnd += cycles;
            _busyUntil += cycles;
            _lastCardStart += cycles;
        }

        internal bool HasPendingOutput => _out.Count > 0;

        // ---- input -----------------------------------------------------------------------------

        /// <summary>A reader character reaches the card. <paramref name="start"/> is its leading edge.</summary>
        internal void OnReaderCharacter(byte value, Convention readerConvention, int readerFi, int readerDi, long start)
        {
            if (!_powered || !_rstHigh || _phase == Phase.Off || _phase == Phase.ResetLow)
            {
                return;
            }
            // The card holds the line until the end of its last character's parity bit.
            bool collided = _busyUntil > start;
            if (collided)
            {
                Note(ReaderObservationKind.SentWhileCardSending, start, $"reader sent {value:X2} while the card was sending or working until {_busyUntil}");
            }
            else if (_lastWasCard)
            {
                int turn = _phase == Phase.T1 ? 22 : 16;
                if (start < _lastCardStart + Etu(turn))
                {
                    Note(ReaderObservationKind.CharacterTooEarly, start,
                        $"reader character {start - _lastCardStart} cycles after the card's leading edge ({turn} ETU = {Etu(turn)} needed)");
                }
            }
            else
            {
                int n = Atr.ExtraGuard;
                int required = _phase == Phase.T1 ? (n == 255 ? 11 : 12 + n) : (n == 255 ? 12 : 12 + n);
                long spacing = start - _lastReaderStart;
                if (spacing + 1 < Etu(required))
                {
                    Note(ReaderObservationKind.GuardTimeViolation, start, $"reader characters {spacing} cycles apart ({required} ETU = {Etu(required)} needed)");
                }
                if (_phase == Phase.T1 && _t1RxCount > 0 && spacing > CwtCycles())
                {
                    Note(ReaderObservationKind.ReaderCwtExceeded, start, $"{spacing} cycles between block characters, CWT is {CwtCycles()}");
                }
            }
            long previousReaderStart = _lastReaderStart;
            _lastReaderStart = start;
            _lastWasCard = false;
            bool garbled = false;
            if (readerConvention != Atr.Convention)
            {
                garbled = true;
                if (!_conventionMismatchNoted)
                {
                    _conventionMismatchNoted = true;
                    Note(ReaderObservationKind.ConventionMismatch, start, $"reader sends in {readerConvention} convention, card uses {Atr.Convention}");
                }
            }
            if ((long)readerFi * _di != (long)_fi * readerDi)
            {
                garbled = true;
                if (!_rateMismatchNoted)
                {
                    _rateMismatchNoted = true;
                    Note(ReaderObservationKind.RateMismatch, start, $"reader at Fi/Di {readerFi}/{readerDi}, card at {_fi}/{_di}");
                }
            }
            // Mute set during a session silences the card from then on (a card that stopped working).
            if (garbled || collided || _phase == Phase.Silent || Faults.Mute)
            {
                return;
            }
            _ = previousReaderStart;
            switch (_phase)
            {
                case Phase.Negotiation:
                    if (value == 0xFF)
                    {
                        _phase = Phase.Pps;
                        _pps[0] = value;
                        _ppsCount = 1;
                        return;
                    }
                    if (Atr.HasTa1 && Atr.Ta1 != 0x11 && Atr.Ta1 != 0x01)
                    {
                        Note(ReaderObservationKind.MissingPps, start, $"first command without PPS although TA1 = {Atr.Ta1:X2}");
                    }
                    _phase = _protocol == 1 ? Phase.T1 : Phase.T0;
                    Dispatch(value, start);
                    return;
                case Phase.Pps:
                    PpsCharacter(value, start);
                    return;
                default:
                    Dispatch(value, start);
                    return;
            }
        }

        private void Dispatch(byte value, long start)
        {
            if (_phase == Phase.T0) { T0Character(value, start); }
            else if (_phase == Phase.T1) { T1Character(value, start); }
        }

        // ---- PPS -------------------------------------------------------------------------------

        private void PpsCharacter(byte value, long start)
        {
            if (_ppsCount >= _pps.Length)
            {
                _phase = Phase.Silent;
                return;
            }
            _pps[_ppsCount++] = value;
            if (_ppsCount < 2) { return; }
            byte pps0 = _pps[1];
            int need = 3 + ((pps0 & 0x10) != 0 ? 1 : 0) + ((pps0 & 0x20) != 0 ? 1 : 0) + ((pps0 & 0x40) != 0 ? 1 : 0);
            if (_ppsCount < need) { return; }

            byte x = 0;
            for (int i = 0; i < need; i++) { x ^= _pps[i]; }
            int t = pps0 & 0x0F;
            bool hasPps1 = (pps0 & 0x10) != 0;
            byte pps1 = hasPps1 ? _pps[2] : (byte)0x11;
            string? problem = null;
            if (x != 0) { problem = "PCK does not check"; }
            else if ((pps0 & 0x80) != 0) { problem = "PPS0 b8 set"; }
            else if (!ContainsProtocol(t)) { problem = $"T={t} not offered by the ATR"; }
            else if (hasPps1 && !RateAcceptable(pps1)) { problem = $"PPS1 {pps1:X2} not supported (TA1 {Atr.Ta1:X2})"; }
            if (problem != null)
            {
                Note(ReaderObservationKind.InvalidPps, start, $"PPS {Hex.Format(_pps, 0, need)}: {problem}");
                _phase = Phase.Silent;
                return;
            }
            PpsRefusal refusal = Faults.PpsRefusal;
            if (refusal == PpsRefusal.None && hasPps1 && pps1 != 0x11 && !Profile.Timing.AcceptPps)
            {
                refusal = PpsRefusal.DefaultRate;
            }
            if (refusal == PpsRefusal.Mute)
            {
                _phase = Phase.Silent;
                return;
            }
            bool accept1 = hasPps1 && refusal == PpsRefusal.None;
            var reply = new List<byte> { 0xFF };
            byte r0 = (byte)(pps0 & 0x6F);
            if (accept1) { r0 |= 0x10; }
            reply.Add(r0);
            int k = 2;
            if (hasPps1) { if (accept1) { reply.Add(pps1); } k++; }
            if ((pps0 & 0x20) != 0) { reply.Add(_pps[k++]); }
            if ((pps0 & 0x40) != 0) { reply.Add(_pps[k++]); }
            byte pck = 0;
            foreach (byte b in reply) { pck ^= b; }
            reply.Add(pck);
            long earliest = start + Etu(16);
            for (int i = 0; i < reply.Count; i++) { Emit(reply[i], i == 0 ? earliest : 0, 12); }
            _protocol = t;
            if (accept1) { SetRate(pps1); }
            PpsDone = true;
            _phase = t == 1 ? Phase.T1 : Phase.T0;
        }

        private bool ContainsProtocol(int t)
        {
            foreach (int p in Atr.Protocols) { if (p == t) { return true; } }
            return false;
        }

        private bool RateAcceptable(byte pps1)
        {
            if (pps1 == 0x11 || pps1 == 0x01 || pps1 == Atr.Ta1) { return true; }
            int fi = AtrInfo.Fi(pps1), di = AtrInfo.Di(pps1);
            int cardFi = AtrInfo.Fi(Atr.Ta1), cardDi = AtrInfo.Di(Atr.Ta1);
            return fi > 0 && di > 0 && fi == cardFi && di <= cardDi;
        }

        // ---- timing of the card's work ---------------------------------------------------------

        private long WorkCycles(byte ins, ApduResponse response)
        {
            long micros = Profile.Timing.ProcessingMicroseconds;
            Dictionary<string, int>? per = Profile.Timing.InsProcessingMilliseconds;
            if (per != null && per.TryGetValue(ins.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), out int ms))
            {
                micros = ms * 1000L;
            }
            micros += response.ExtraWork.Ticks / 10;
            return micros * _hz / 1_000_000L;
        }

        private ApduResponse Run(ApduCommand command)
        {
            ApduCount++;
            try
            {
                return Application.Process(command);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An application bug must not take down the line: the card answers like a sick card.
                return new ApduResponse(null, Sw.Unknown) { ExtraWork = TimeSpan.Zero };
            }
        }
    }
}
