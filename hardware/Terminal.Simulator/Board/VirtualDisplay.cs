using System;
using System.Collections.Generic;

namespace Terminal.Simulator
{
    /// <summary>What the display showed, and when.</summary>
    /// <param name="AtPicoseconds">Virtual time of the change.</param>
    /// <param name="Line0">Top line (padded).</param>
    /// <param name="Line1">Bottom line (padded).</param>
    public sealed record DisplaySnapshot(long AtPicoseconds, string Line0, string Line1);

    /// <summary>The virtual 2x16 character display; tests read its lines and history.</summary>
    public sealed class VirtualDisplay
    {
        private readonly object _lock = new object();
        private readonly VirtualClock _clock;
        private readonly string[] _lines;
        private readonly List<DisplaySnapshot> _history = new List<DisplaySnapshot>();

        internal VirtualDisplay(VirtualClock clock, int rows = 2, int columns = 16)
        {
            _clock = clock;
            Rows = rows;
            Columns = columns;
            _lines = new string[rows];
            for (int i = 0; i < rows; i++) { _lines[i] = new string(' ', columns); }
        }

        /// <summary>Lines.</summary>
        public int Rows { get; }

        /// <summary>Characters a line.</summary>
        public int Columns { get; }

        /// <summary>Raised after each change, with the new text.</summary>
        public event EventHandler<string>? Changed;

        /// <summary>Shows text on a line, cut or padded to the width.</summary>
        public void Show(int row, string text)
        {
            if (row < 0 || row >= Rows) { throw new ArgumentOutOfRangeException(nameof(row)); }
            string t = text ?? "";
            t = t.Length > Columns ? t.Substring(0, Columns) : t.PadRight(Columns);
            string now;
            lock (_lock)
            {
                _lines[row] = t;
                Snapshot();
                now = TextLocked();
            }
            Changed?.Invoke(this, now);
        }

        /// <summary>Blanks every line.</summary>
        public void Clear()
        {
            string now;
            lock (_lock)
            {
                for (int i = 0; i < Rows; i++) { _lines[i] = new string(' ', Columns); }
                Snapshot();
                now = TextLocked();
            }
            Changed?.Invoke(this, now);
        }

        /// <summary>A line as shown (padded to the width).</summary>
        public string GetLine(int row) { lock (_lock) { return _lines[row]; } }

        /// <summary>Both lines, trimmed at the end, joined by a newline.</summary>
        public string Text { get { lock (_lock) { return TextLocked(); } } }

        /// <summary>Every state the display went through.</summary>
        public IReadOnlyList<DisplaySnapshot> History { get { lock (_lock) { return _history.ToArray(); } } }

        /// <summary>True when some state of the history contained <paramref name="text"/> on a line.</summary>
        public bool EverShowed(string text)
        {
            lock (_lock)
            {
                foreach (DisplaySnapshot s in _history)
                {
                    if (s.Line0.Contains(text, StringComparison.Ordinal) || s.Line1.Contains(text, StringComparison.Ordinal)) { return true; }
                }
                return false;
            }
        }

        private string TextLocked() => string.Join("\n", Array.ConvertAll(_lines, l => l.TrimEnd()));

        private void Snapshot()
        {
            if (RecordHistory) { _history.Add(new DisplaySnapshot(_clock.NowPicoseconds, _lines[0], Rows > 1 ? _lines[1] : "")); }
        }

        /// <summary>False to keep no <see cref="History"/> (long soaks: the list would grow without end). True by default.</summary>
        public bool RecordHistory { get; set; } = true;
    }

    /// <summary>A change of an indicator.</summary>
    /// <param name="AtPicoseconds">Virtual time.</param>
    /// <param name="Name">"secure", "access0", "access1" or "beep".</param>
    /// <param name="Value">On/off, or the beep's milliseconds.</param>
    public sealed record IndicatorEvent(long AtPicoseconds, string Name, int Value);

    /// <summary>The LEDs (secure mode, card access per slot) and the buzzer.</summary>
    public sealed class VirtualIndicators
    {
        private readonly object _lock = new object();
        private readonly VirtualClock _clock;
        private readonly bool[] _access;
        private readonly List<IndicatorEvent> _history = new List<IndicatorEvent>();
        private bool _secure;

        internal VirtualIndicators(VirtualClock clock, int slots)
        {
            _clock = clock;
            _access = new bool[slots];
        }

        /// <summary>The secure-mode LED.</summary>
        public bool SecureMode { get { lock (_lock) { return _secure; } } }

        /// <summary>The card-access LED of a slot.</summary>
        public bool CardAccess(int slot) { lock (_lock) { return _access[slot]; } }

        /// <summary>False to keep no <see cref="History"/> (long soaks: the list would grow without end). True by default.</summary>
        public bool RecordHistory { get; set; } = true;

        /// <summary>Every change, oldest first.</summary>
        public IReadOnlyList<IndicatorEvent> History { get { lock (_lock) { return _history.ToArray(); } } }

        /// <summary>Beeps sounded (virtual time, milliseconds).</summary>
        public IReadOnlyList<IndicatorEvent> Beeps { get { lock (_lock) { return _history.FindAll(e => e.Name == "beep").ToArray(); } } }

        /// <summary>Lights or darkens the secure-mode LED.</summary>
        public void SetSecureMode(bool on)
        {
            lock (_lock)
            {
                if (_secure != on && RecordHistory) { _history.Add(new IndicatorEvent(_clock.NowPicoseconds, "secure", on ? 1 : 0)); }
                _secure = on;
            }
        }

        /// <summary>Lights or darkens the card-access LED of a slot.</summary>
        public void SetCardAccess(int slot, bool on)
        {
            lock (_lock)
            {
                if (_access[slot] != on && RecordHistory) { _history.Add(new IndicatorEvent(_clock.NowPicoseconds, "access" + slot, on ? 1 : 0)); }
                _access[slot] = on;
            }
        }

        /// <summary>Sounds the buzzer (recorded; it takes no virtual time from the caller).</summary>
        public void Beep(int milliseconds)
        {
            lock (_lock)
            {
                if (RecordHistory) { _history.Add(new IndicatorEvent(_clock.NowPicoseconds, "beep", milliseconds)); }
            }
        }
    }
}
