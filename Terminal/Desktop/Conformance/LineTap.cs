using System.Collections.Generic;
using Terminal.Iso7816;
using Terminal.Simulator;

namespace Terminal.Desktop.Conformance
{
    /// <summary>One character on a card line as the tap saw it.</summary>
    public struct TapChar
    {
        /// <summary>True when the card sent it.</summary>
        public bool FromCard;
        /// <summary>The byte (parity errors masked off).</summary>
        public byte Value;
        /// <summary>Board time, nanoseconds.</summary>
        public long Nanoseconds;
        /// <summary>Reset count when it crossed (each RST rising edge starts a new epoch).</summary>
        public int Epoch;
        /// <summary>Index among the card's characters since that reset (reader characters: -1).</summary>
        public int CardIndex;
    }

    /// <summary>
    /// An <see cref="ICardLine"/> in front of the simulator's line that records every character both
    /// ways with the board time, for the case traces and for the removal sweep (which needs to know
    /// how many characters the card sends in an exchange). It changes nothing on the line.
    /// </summary>
    public sealed class LineTap : ICardLine
    {
        private readonly ICardLine _line;
        private readonly VirtualClock _clock;
        private readonly List<TapChar> _chars = new List<TapChar>();
        private bool _reset;
        private int _epoch = -1;
        private int _cardIndex;

        /// <summary>Taps <paramref name="line"/>; times come from <paramref name="clock"/>.</summary>
        public LineTap(ICardLine line, VirtualClock clock)
        {
            _line = line;
            _clock = clock;
        }

        /// <summary>Everything seen so far.</summary>
        public List<TapChar> Chars => _chars;

        /// <inheritdoc/>
        public int ClockHz => _line.ClockHz;
        /// <inheritdoc/>
        public long Now => _line.Now;
        /// <inheritdoc/>
        public bool CardPresent => _line.CardPresent;
        /// <inheritdoc/>
        public void SetVcc(VoltageClass voltageClass) => _line.SetVcc(voltageClass);

        /// <inheritdoc/>
        public void SetReset(bool high)
        {
            if (high && !_reset)
            {
                _epoch++;
                _cardIndex = 0;
            }
            _reset = high;
            _line.SetReset(high);
        }

        /// <inheritdoc/>
        public void SetClock(bool running) => _line.SetClock(running);
        /// <inheritdoc/>
        public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal) => _line.Configure(convention, fi, di, guardTimeEtu, errorSignal);

        /// <inheritdoc/>
        public void Send(byte[] buffer, int offset, int count)
        {
            long t = _clock.NowNanoseconds;
            for (int i = 0; i < count; i++)
            {
                _chars.Add(new TapChar { FromCard = false, Value = buffer[offset + i], Nanoseconds = t, Epoch = _epoch, CardIndex = -1 });
            }
            _line.Send(buffer, offset, count);
        }

        /// <inheritdoc/>
        public int Receive(long timeoutCycles)
        {
            int c = _line.Receive(timeoutCycles);
            if (c >= 0)
            {
                _chars.Add(new TapChar { FromCard = true, Value = (byte)(c & 0xFF), Nanoseconds = _clock.NowNanoseconds, Epoch = _epoch, CardIndex = _cardIndex++ });
            }
            return c;
        }

        /// <inheritdoc/>
        public void Wait(long cycles) => _line.Wait(cycles);
    }
}
