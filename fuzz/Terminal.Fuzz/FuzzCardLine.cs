using System;
using Terminal.Iso7816;

namespace Terminal.Fuzz
{
    /// <summary>
    /// A card line whose card says whatever the fuzz input says: each <see cref="Receive"/> takes the
    /// next input byte as the card's character. What the reader sends is kept (for checks) and
    /// otherwise ignored. Time moves like a real line: 10 ETU per character received, the guard
    /// time per character sent, the full timeout when nothing comes. Every call is a budget step.
    /// </summary>
    /// <remarks>
    /// With <see cref="Escapes"/> on, the byte <see cref="Escape"/> introduces an event: followed by 00
    /// a timeout (the card is silent for this Receive), 01 the card removed (NoCard from then on), 02 the
    /// next byte with a parity error; followed by anything else, <see cref="Escape"/> itself as a
    /// character. Input exhausted: the card is silent (Timeout) for ever.
    /// </remarks>
    public sealed class FuzzCardLine : ICardLine
    {
        /// <summary>When the environment variable FUZZ_TRACE is set, every Send and Receive is printed to stderr (for triage).</summary>
        public static readonly bool Trace = Environment.GetEnvironmentVariable("FUZZ_TRACE") != null;

        /// <summary>The escape byte (rare in ATRs, T=0 procedure bytes and T=1 prologues).</summary>
        public const byte Escape = 0xF5;

        private readonly byte[] _data;
        private readonly int _end;
        private readonly Budget _budget;
        private int _position;
        private long _now;
        private int _fi = 372;
        private int _di = 1;
        private int _guard = 12;
        private bool _removed;
        private VoltageClass _vcc = VoltageClass.None;
        private long _sent;

        /// <summary>A line playing <paramref name="data"/>[<paramref name="offset"/>..] as the card's characters.</summary>
        public FuzzCardLine(byte[] data, int offset, Budget budget, bool escapes)
        {
            _data = data;
            _position = Math.Min(offset, data.Length);
            _end = data.Length;
            _budget = budget;
            Escapes = escapes;
        }

        /// <summary>Whether <see cref="Escape"/> introduces line events (see the remarks).</summary>
        public bool Escapes { get; }

        /// <summary>Called with every <see cref="Send"/> of the reader (to check what it sends).</summary>
        public Action<byte[], int, int>? OnSend { get; set; }

        /// <summary>Characters the reader sent.</summary>
        public long CharactersSent => _sent;

        /// <summary>Input bytes not yet consumed.</summary>
        public int Remaining => _end - _position;

        /// <summary>The voltage the reader applies.</summary>
        public VoltageClass Vcc => _vcc;

        /// <inheritdoc/>
        public int ClockHz => 4_000_000;

        /// <inheritdoc/>
        public long Now => _now;

        /// <inheritdoc/>
        public bool CardPresent => !_removed;

        /// <inheritdoc/>
        public void SetVcc(VoltageClass voltageClass)
        {
            _budget.Step("SetVcc");
            _vcc = voltageClass;
        }

        /// <inheritdoc/>
        public void SetReset(bool high)
        {
            _budget.Step("SetReset");
        }

        /// <inheritdoc/>
        public void SetClock(bool running)
        {
            _budget.Step("SetClock");
        }

        /// <inheritdoc/>
        public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
        {
            _budget.Step("Configure");
            if (fi <= 0 || di <= 0 || guardTimeEtu <= 0)
            {
                throw new HarnessViolation($"line configured with Fi {fi}, Di {di}, guard time {guardTimeEtu} ETU");
            }
            _fi = fi;
            _di = di;
            _guard = guardTimeEtu;
        }

        /// <inheritdoc/>
        public void Send(byte[] buffer, int offset, int count)
        {
            _budget.Step("Send");
            if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
            {
                throw new HarnessViolation($"Send out of bounds: offset {offset}, count {count}, buffer {buffer?.Length}");
            }
            _sent += count;
            if (Trace)
            {
                Console.Error.WriteLine($"reader> {Convert.ToHexString(buffer, offset, count)}");
            }
            OnSend?.Invoke(buffer, offset, count);
            _now += (long)count * _guard * _fi / _di;
        }

        /// <inheritdoc/>
        public int Receive(long timeoutCycles)
        {
            _budget.Step("Receive");
            if (timeoutCycles < 0)
            {
                throw new HarnessViolation($"Receive with a negative timeout {timeoutCycles}");
            }
            if (_removed)
            {
                return LineStatus.NoCard;
            }
            if (_position >= _end)
            {
                if (Trace)
                {
                    Console.Error.WriteLine("  card< (silent)");
                }
                _now += timeoutCycles;
                return LineStatus.Timeout;
            }
            int c = _data[_position++];
            bool parity = false;
            if (Escapes && c == Escape && _position < _end)
            {
                int e = _data[_position];
                if (e == 0)
                {
                    _position++;
                    _now += timeoutCycles;
                    return LineStatus.Timeout;
                }
                if (e == 1)
                {
                    _position++;
                    _removed = true;
                    return LineStatus.NoCard;
                }
                if (e == 2 && _position + 1 < _end)
                {
                    c = _data[_position + 1];
                    _position += 2;
                    parity = true;
                }
            }
            _now += 10L * _fi / _di;
            if (Trace)
            {
                Console.Error.WriteLine($"  card< {c:X2}{(parity ? " (parity)" : "")}");
            }
            return parity ? c | LineStatus.ParityError : c;
        }

        /// <inheritdoc/>
        public void Wait(long cycles)
        {
            _budget.Step("Wait");
            if (cycles > 0)
            {
                _now += cycles;
            }
        }
    }
}
