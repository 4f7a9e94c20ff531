using System;
using Terminal.Boards;
using Terminal.Iso7816;

namespace Terminal.Desktop.Soak
{
    /// <summary>Told of every call from the firmware into the board (the simulated hardware).</summary>
    public interface IBoardProbe
    {
        /// <summary>The firmware calls into the board.</summary>
        void Enter();

        /// <summary>The board call returned.</summary>
        void Leave();
    }

    /// <summary>
    /// Counts the bytes the current thread allocates inside board calls, so that the firmware's own
    /// allocation is the thread's total minus these (the simulator keeps histories and builds its
    /// answers in fresh arrays; the firmware on an ESP32 has no such board).
    /// </summary>
    public sealed class BoardAllocationMeter : IBoardProbe
    {
        private int _depth;
        private long _enteredAt;
        private long _leftAt = -1;

        /// <summary>
        /// When set, called (with the bytes and a stack trace of the board call that follows) when the
        /// firmware allocated between two board calls: to find where, when the soak reports allocation.
        /// </summary>
        public Action<long, string>? FirmwareAllocated { get; set; }

        /// <summary>Starts a new span of firmware work (the allocation watch compares from here).</summary>
        public void Mark()
        {
            _leftAt = System.GC.GetAllocatedBytesForCurrentThread();
        }

        /// <summary>Bytes allocated inside board calls so far.</summary>
        public long BoardBytes { get; private set; }

        /// <summary>Board calls so far.</summary>
        public long Calls { get; private set; }

        /// <inheritdoc/>
        public void Enter()
        {
            if (_depth++ == 0)
            {
                _enteredAt = System.GC.GetAllocatedBytesForCurrentThread();
                Action<long, string>? watch = FirmwareAllocated;
                if (watch != null && _leftAt >= 0 && _enteredAt != _leftAt)
                {
                    watch(_enteredAt - _leftAt, System.Environment.StackTrace);
                    _enteredAt = System.GC.GetAllocatedBytesForCurrentThread();
                }
            }
            Calls++;
        }

        /// <inheritdoc/>
        public void Leave()
        {
            if (--_depth == 0)
            {
                _leftAt = System.GC.GetAllocatedBytesForCurrentThread();
                BoardBytes += _leftAt - _enteredAt;
            }
        }
    }

    /// <summary>
    /// An <see cref="IBoard"/> that tells a probe of every call into another one: card lines, keypad,
    /// display, LEDs and clock. Used to meter the simulator's allocation apart from the firmware's
    /// (the soak) and to count the steps an input takes (the host-link fuzz harness).
    /// </summary>
    public sealed class ProbedBoard : IBoard, IKeypad, ITextDisplay, IIndicators, IClock
    {
        private readonly IBoard _inner;
        private readonly IBoardProbe _probe;
        private readonly ProbedLine[] _lines;

        /// <summary>Wraps <paramref name="inner"/>, telling <paramref name="probe"/>.</summary>
        public ProbedBoard(IBoard inner, IBoardProbe probe)
        {
            _inner = inner;
            _probe = probe;
            _lines = new ProbedLine[inner.SlotCount];
            for (int i = 0; i < _lines.Length; i++)
            {
                _lines[i] = new ProbedLine(inner.GetCardLine(i), probe);
            }
        }

        /// <inheritdoc/>
        public string Name => _inner.Name;

        /// <inheritdoc/>
        public int SlotCount => _inner.SlotCount;

        /// <inheritdoc/>
        public ICardLine GetCardLine(int slot) => _lines[slot];

        /// <inheritdoc/>
        public int VoltageSupport => _inner.VoltageSupport;

        /// <inheritdoc/>
        public int MaxDataRate => _inner.MaxDataRate;

        /// <inheritdoc/>
        public IKeypad? Keypad => _inner.Keypad == null ? null : this;

        /// <inheritdoc/>
        public ITextDisplay? Display => _inner.Display == null ? null : this;

        /// <inheritdoc/>
        public IIndicators Indicators => this;

        /// <inheritdoc/>
        public IClock Clock => this;

        int ITextDisplay.Rows => _inner.Display!.Rows;

        int ITextDisplay.Columns => _inner.Display!.Columns;

        long IClock.NowMilliseconds
        {
            get
            {
                _probe.Enter();
                try { return _inner.Clock.NowMilliseconds; }
                finally { _probe.Leave(); }
            }
        }

        Key IKeypad.ReadKey(int timeoutMilliseconds)
        {
            _probe.Enter();
            try { return _inner.Keypad!.ReadKey(timeoutMilliseconds); }
            finally { _probe.Leave(); }
        }

        void IKeypad.Flush()
        {
            _probe.Enter();
            try { _inner.Keypad!.Flush(); }
            finally { _probe.Leave(); }
        }

        void ITextDisplay.Show(int row, string text)
        {
            _probe.Enter();
            try { _inner.Display!.Show(row, text); }
            finally { _probe.Leave(); }
        }

        void ITextDisplay.Clear()
        {
            _probe.Enter();
            try { _inner.Display!.Clear(); }
            finally { _probe.Leave(); }
        }

        void IIndicators.SetSecureMode(bool on)
        {
            _probe.Enter();
            try { _inner.Indicators.SetSecureMode(on); }
            finally { _probe.Leave(); }
        }

        void IIndicators.SetCardAccess(int slot, bool on)
        {
            _probe.Enter();
            try { _inner.Indicators.SetCardAccess(slot, on); }
            finally { _probe.Leave(); }
        }

        void IIndicators.Beep(int milliseconds)
        {
            _probe.Enter();
            try { _inner.Indicators.Beep(milliseconds); }
            finally { _probe.Leave(); }
        }

        void IClock.Sleep(int milliseconds)
        {
            _probe.Enter();
            try { _inner.Clock.Sleep(milliseconds); }
            finally { _probe.Leave(); }
        }

        private sealed class ProbedLine : ICardLine
        {
            private readonly ICardLine _line;
            private readonly IBoardProbe _probe;

            public ProbedLine(ICardLine line, IBoardProbe probe)
            {
                _line = line;
                _probe = probe;
            }

            public int ClockHz => _line.ClockHz;

            public long Now
            {
                get
                {
                    _probe.Enter();
                    try { return _line.Now; }
                    finally { _probe.Leave(); }
                }
            }

            public bool CardPresent
            {
                get
                {
                    _probe.Enter();
                    try { return _line.CardPresent; }
                    finally { _probe.Leave(); }
                }
            }

            public void SetVcc(VoltageClass voltageClass)
            {
                _probe.Enter();
                try { _line.SetVcc(voltageClass); }
                finally { _probe.Leave(); }
            }

            public void SetReset(bool high)
            {
                _probe.Enter();
                try { _line.SetReset(high); }
                finally { _probe.Leave(); }
            }

            public void SetClock(bool running)
            {
                _probe.Enter();
                try { _line.SetClock(running); }
                finally { _probe.Leave(); }
            }

            public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
            {
                _probe.Enter();
                try { _line.Configure(convention, fi, di, guardTimeEtu, errorSignal); }
                finally { _probe.Leave(); }
            }

            public void Send(byte[] buffer, int offset, int count)
            {
                _probe.Enter();
                try { _line.Send(buffer, offset, count); }
                finally { _probe.Leave(); }
            }

            public int Receive(long timeoutCycles)
            {
                _probe.Enter();
                try { return _line.Receive(timeoutCycles); }
                finally { _probe.Leave(); }
            }

            public void Wait(long cycles)
            {
                _probe.Enter();
                try { _line.Wait(cycles); }
                finally { _probe.Leave(); }
            }
        }
    }
}
