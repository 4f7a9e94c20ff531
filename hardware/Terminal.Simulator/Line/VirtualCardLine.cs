using System;
using Terminal.Iso7816;

namespace Terminal.Simulator
{
    /// <summary>
    /// The card contacts of a virtual slot: an <see cref="ICardLine"/> in virtual time. Each
    /// character costs its real duration at the configured Fi/Di and the slot's clock; a timeout
    /// costs its length in virtual time and nothing in real time.
    /// </summary>
    public sealed class VirtualCardLine : ICardLine
    {
        /// <summary>ETU a repetition after an error signal costs (error signal at 10.5 ETU, repeat 2 ETU later at the earliest).</summary>
        public const int RepetitionEtu = 13;

        /// <summary>ETU from a character's leading edge to the end of its parity bit, when a receiver has it.</summary>
        public const int CharacterEtu = 10;

        /// <summary>Transmissions of one character before the card gives up repeating it.</summary>
        public const int MaxTransmissions = 4;

        private readonly object _lock = new object();
        private readonly VirtualClock _clock;
        private readonly VirtualSlot _slot;
        private long _originPs;
        private int _hz = 4_000_000;

        private VoltageClass _vcc = VoltageClass.None;
        private bool _rst;
        private bool _clk;
        private Convention _convention = Convention.Direct;
        private int _fi = 372;
        private int _di = 1;
        private int _guardEtu = 12;
        private bool _errorSignal;
        private long _lastEnd;

        internal VirtualCardLine(VirtualClock clock, VirtualSlot slot)
        {
            _clock = clock;
            _slot = slot;
            _originPs = clock.NowPicoseconds;
        }

        /// <inheritdoc/>
        public int ClockHz
        {
            get { lock (_lock) { return _hz; } }
        }

        internal void SetClockHz(int hz)
        {
            if (hz <= 0) { throw new ArgumentOutOfRangeException(nameof(hz)); }
            lock (_lock)
            {
                long now = NowLocked();
                _hz = hz;
                // Keep Now continuous across the change.
                _originPs = _clock.NowPicoseconds - VirtualClock.CyclesToPicoseconds(now, hz);
                _lastEnd = Math.Min(_lastEnd, now);
                _slot.Card?.Attach(hz);
            }
        }

        /// <inheritdoc/>
        public long Now
        {
            get { lock (_lock) { return NowLocked(); } }
        }

        private long NowLocked() => VirtualClock.PicosecondsToCycles(_clock.NowPicoseconds - _originPs, _hz);

        private void AdvanceToCycle(long cycle)
        {
            long ps = _originPs + VirtualClock.CyclesToPicoseconds(cycle, _hz);
            // Round up so that Now reaches the cycle.
            if (VirtualClock.PicosecondsToCycles(ps - _originPs, _hz) < cycle) { ps++; }
            _clock.AdvanceTo(ps);
        }

        /// <inheritdoc/>
        public bool CardPresent => _slot.Card != null;

        /// <summary>The current VCC class (None when deactivated).</summary>
        public VoltageClass Vcc { get { lock (_lock) { return _vcc; } } }

        /// <summary>RST level.</summary>
        public bool ResetHigh { get { lock (_lock) { return _rst; } } }

        /// <summary>True while the clock runs.</summary>
        public bool ClockRunning { get { lock (_lock) { return _clk; } } }

        /// <summary>The frame last configured: convention.</summary>
        public Convention Convention { get { lock (_lock) { return _convention; } } }

        /// <summary>The frame last configured: Fi.</summary>
        public int Fi { get { lock (_lock) { return _fi; } } }

        /// <summary>The frame last configured: Di.</summary>
        public int Di { get { lock (_lock) { return _di; } } }

        /// <summary>The frame last configured: guard time in ETU.</summary>
        public int GuardTimeEtu { get { lock (_lock) { return _guardEtu; } } }

        /// <summary>Characters sent to the card since the line was made.</summary>
        public long CharactersSent { get; private set; }

        /// <summary>Characters received from the card since the line was made.</summary>
        public long CharactersReceived { get; private set; }

        /// <inheritdoc/>
        public void SetVcc(VoltageClass voltageClass)
        {
            lock (_lock)
            {
                _vcc = voltageClass;
                _lastEnd = NowLocked();
                VirtualCard? card = _slot.Card;
                if (card == null) { return; }
                bool on = voltageClass != VoltageClass.None && Accepts(card, voltageClass);
                card.OnPower(on, NowLocked());
                if (on)
                {
                    card.OnClock(_clk, NowLocked());
                }
            }
        }

        private static bool Accepts(VirtualCard card, VoltageClass c)
        {
            string classes = card.Profile.Classes ?? "AB";
            return classes.IndexOf(c.ToString(), StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <inheritdoc/>
        public void SetReset(bool high)
        {
            lock (_lock)
            {
                _rst = high;
                _lastEnd = NowLocked();
                _slot.Card?.OnReset(high, NowLocked());
            }
        }

        /// <inheritdoc/>
        public void SetClock(bool running)
        {
            lock (_lock)
            {
                _clk = running;
                _lastEnd = NowLocked();
                _slot.Card?.OnClock(running, NowLocked());
            }
        }

        /// <inheritdoc/>
        public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
        {
            if (fi <= 0 || di <= 0 || guardTimeEtu < 11)
            {
                throw new ArgumentOutOfRangeException(nameof(fi), $"bad frame Fi={fi} Di={di} guard={guardTimeEtu}");
            }
            lock (_lock)
            {
                _convention = convention;
                _fi = fi;
                _di = di;
                _guardEtu = guardTimeEtu;
                _errorSignal = errorSignal;
                _lastEnd = Math.Max(_lastEnd, NowLocked());
            }
        }

        /// <inheritdoc/>
        public void Send(byte[] buffer, int offset, int count)
        {
            if (count == 0) { return; }
            lock (_lock)
            {
                long t = NowLocked();
                long charCycles = (long)_guardEtu * _fi / _di;
                VirtualCard? card = _slot.Card;
                for (int i = 0; i < count; i++)
                {
                    if (card != null && _vcc != VoltageClass.None)
                    {
                        if (RemovalDue(card, t)) { card = null; continue; }
                        card.OnReaderCharacter(buffer[offset + i], _convention, _fi, _di, t);
                    }
                    t += charCycles;
                    CharactersSent++;
                }
                _lastEnd = t;
                AdvanceToCycle(t);
            }
            _slot.RaisePendingEvents();
        }

        /// <summary>A card character marked for removal has started by <paramref name="t"/>: the card leaves the slot.</summary>
        private bool RemovalDue(VirtualCard card, long t)
        {
            if (card.TryPeek(out VirtualCard.Outgoing o) && o.Remove && o.Start <= t)
            {
                _slot.RemoveLocked(o.Start);
                return true;
            }
            return false;
        }

        /// <inheritdoc/>
        public int Receive(long timeoutCycles)
        {
            int result;
            lock (_lock)
            {
                result = ReceiveLocked(timeoutCycles);
            }
            _slot.RaisePendingEvents();
            return result;
        }

        private int ReceiveLocked(long timeoutCycles)
        {
            VirtualCard? card = _slot.Card;
            long now = NowLocked();
            if (card == null || _vcc == VoltageClass.None)
            {
                return LineStatus.NoCard;
            }
            // An "infinite" timeout is one virtual hour: the clock stays within its range.
            long deadline = _lastEnd + Math.Clamp(timeoutCycles, 0, 3600L * _hz);
            if (!card.TryPeek(out VirtualCard.Outgoing o) || o.Start > deadline)
            {
                if (deadline > now) { AdvanceToCycle(deadline); }
                return LineStatus.Timeout;
            }
            if (o.Remove)
            {
                if (o.Start > now) { AdvanceToCycle(o.Start); }
                _slot.RemoveLocked(o.Start);
                return LineStatus.NoCard;
            }
            card.Dequeue();
            // The reader's UART has the character at the end of its parity bit (10 ETU); the card's
            // next character starts after its guard time (o.Duration: 12 ETU in T=0, 11 in T=1).
            long end = o.Start + CharacterEtu * o.Fi / o.Di;
            bool sameConvention = o.Convention == _convention;
            bool sameRate = (long)o.Fi * _di == (long)_fi * o.Di;
            int value = o.Value;
            bool parityError = o.BadTransmissions > 0;
            if (!sameConvention)
            {
                value = Invert(value);
                parityError = !parityError;
            }
            if (!sameRate)
            {
                // Sampled at the wrong rate: garbage with a parity error, deterministic for tests.
                value = (value ^ 0xA5) & 0xFF;
                parityError = true;
            }
            if (parityError && _errorSignal && sameRate)
            {
                // The reader signals the error and the card repeats the character.
                int bad = sameConvention ? Math.Min(o.BadTransmissions, MaxTransmissions) : MaxTransmissions;
                long extra = (long)Math.Min(bad, MaxTransmissions - 1) * RepetitionEtu * o.Fi / o.Di;
                end += extra;
                card.Delay(extra);
                parityError = bad >= MaxTransmissions;
            }
            if (end > now) { AdvanceToCycle(end); }
            _lastEnd = Math.Max(end, _lastEnd);
            CharactersReceived++;
            return parityError ? value | LineStatus.ParityError : value;
        }

        /// <summary>The character an inverse-convention byte reads as in direct convention (and back): bit-reversed complement.</summary>
        public static int Invert(int value)
        {
            int v = ~value & 0xFF;
            int r = 0;
            for (int i = 0; i < 8; i++)
            {
                r = (r << 1) | (v & 1);
                v >>= 1;
            }
            return r;
        }

        /// <inheritdoc/>
        public void Wait(long cycles)
        {
            if (cycles <= 0) { return; }
            lock (_lock)
            {
                long now = NowLocked();
                VirtualCard? card = _slot.Card;
                if (card != null) { RemovalDue(card, now + cycles); }
                AdvanceToCycle(now + cycles);
                // A wait restarts the reference of the next Receive timeout (as the engine reads the contract).
                _lastEnd = Math.Max(_lastEnd, now + cycles);
            }
            _slot.RaisePendingEvents();
        }

        internal void OnCardInserted(VirtualCard card)
        {
            // Called under the slot's lock; the contacts are whatever the reader left them.
            card.Attach(_hz);
        }

        internal object SyncRoot => _lock;

        internal long NowCycles => NowLocked();

        internal void CardLeft(VirtualCard card, long at)
        {
            card.OnRemoved(at);
        }
    }
}
