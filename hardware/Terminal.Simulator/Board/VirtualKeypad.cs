using System;
using System.Collections.Generic;
using System.Threading;

namespace Terminal.Simulator
{
    /// <summary>
    /// The virtual keypad: scripted key sequences for unattended runs and keys pushed from the console.
    /// Keys are characters: '0'-'9', 'K' (OK), 'C' (Cancel), 'R' (Correction); '\0' means none.
    /// </summary>
    /// <remarks>
    /// A script such as "9999K,1234K" holds one part per PIN entry; <see cref="Flush"/> (called by
    /// the firmware before each PIN entry) moves to the next part. In a part, '_' is a one-second
    /// pause. When no key is due, <see cref="ReadKey"/> lets its timeout pass in virtual time (and,
    /// with real-time pacing, waits for console keys in real time).
    /// </remarks>
    public sealed class VirtualKeypad
    {
        private readonly object _lock = new object();
        private readonly VirtualClock _clock;
        private readonly Queue<string> _parts = new Queue<string>();
        private readonly Queue<(char Key, long DuePs)> _current = new Queue<(char, long)>();
        private readonly Queue<char> _interactive = new Queue<char>();
        private readonly List<(long AtPs, char Key)> _history = new List<(long, char)>();
        private bool _started;

        internal VirtualKeypad(VirtualClock clock) { _clock = clock; }

        /// <summary>Virtual time between two scripted keys (100 ms by default).</summary>
        public TimeSpan KeyInterval { get; set; } = TimeSpan.FromMilliseconds(100);

        /// <summary>Keys delivered so far, with their virtual time.</summary>
        public IReadOnlyList<(long AtPicoseconds, char Key)> History { get { lock (_lock) { return _history.ToArray(); } } }

        /// <summary>False to keep no <see cref="History"/> (long soaks: the list would grow without end). True by default.</summary>
        public bool RecordHistory { get; set; } = true;

        /// <summary>Number of PIN entries (flushes) seen.</summary>
        public int Entries { get; private set; }

        /// <summary>Scripted parts not yet started.</summary>
        public int PendingParts { get { lock (_lock) { return _parts.Count; } } }

        /// <summary>Replaces the script: comma-separated parts of digits, K, C, R and _ (one-second pause).</summary>
        public void Script(string script)
        {
            foreach (char c in script)
            {
                if (!IsKey(c) && c != '_' && c != ',' && c != ' ')
                {
                    throw new ArgumentException($"'{c}' is not a key of the script (digits, K, C, R, _ and commas)", nameof(script));
                }
            }
            lock (_lock)
            {
                _parts.Clear();
                _current.Clear();
                _started = false;
                foreach (string p in script.Split(',')) { _parts.Enqueue(p.Replace(" ", "", StringComparison.Ordinal)); }
            }
        }

        /// <summary>Pushes an interactive key (console thread).</summary>
        public void Press(char key)
        {
            key = char.ToUpperInvariant(key);
            if (!IsKey(key)) { throw new ArgumentException($"'{key}' is not a key", nameof(key)); }
            lock (_lock)
            {
                _interactive.Enqueue(key);
                Monitor.PulseAll(_lock);
            }
        }

        /// <summary>Forgets pending keys and starts the next scripted part (a PIN entry begins).</summary>
        public void Flush()
        {
            lock (_lock)
            {
                Entries++;
                _interactive.Clear();
                LoadNextPart();
            }
        }

        private void LoadNextPart()
        {
            _current.Clear();
            _started = true;
            if (_parts.Count == 0) { return; }
            string part = _parts.Dequeue();
            long t = _clock.NowPicoseconds;
            long interval = KeyInterval.Ticks * 100_000L;
            foreach (char c in part)
            {
                if (c == '_') { t += VirtualClock.PicosecondsPerSecond; continue; }
                t += interval;
                _current.Enqueue((c, t));
            }
        }

        /// <summary>Waits at most <paramref name="timeoutMilliseconds"/> (virtual time) for the next key; '\0' on timeout.</summary>
        public char ReadKey(int timeoutMilliseconds)
        {
            long deadline = _clock.NowPicoseconds + Math.Max(0, timeoutMilliseconds) * 1_000_000_000L;
            lock (_lock)
            {
                if (!_started) { LoadNextPart(); }
                while (true)
                {
                    if (_interactive.Count > 0)
                    {
                        return Deliver(_interactive.Dequeue());
                    }
                    if (_current.Count > 0)
                    {
                        (char key, long due) = _current.Peek();
                        if (due <= deadline)
                        {
                            _current.Dequeue();
                            Monitor.Exit(_lock);
                            try { _clock.AdvanceTo(due); }
                            finally { Monitor.Enter(_lock); }
                            return Deliver(key);
                        }
                    }
                    if (!_clock.RealTimePacing)
                    {
                        Monitor.Exit(_lock);
                        try { _clock.AdvanceTo(deadline); }
                        finally { Monitor.Enter(_lock); }
                        return '\0';
                    }
                    // Real-time pacing: wait for a console key in slices of wall time.
                    long left = deadline - _clock.NowPicoseconds;
                    if (left <= 0) { return '\0'; }
                    long sliceMs = Math.Min(50, Math.Max(1, left / 1_000_000_000L));
                    Monitor.Wait(_lock, TimeSpan.FromMilliseconds(sliceMs));
                    if (_interactive.Count == 0)
                    {
                        Monitor.Exit(_lock);
                        try { _clock.AdvanceTo(Math.Min(deadline, _clock.NowPicoseconds + sliceMs * 1_000_000_000L)); }
                        finally { Monitor.Enter(_lock); }
                    }
                }
            }
        }

        private char Deliver(char key)
        {
            if (RecordHistory) { _history.Add((_clock.NowPicoseconds, key)); }
            return key;
        }

        private static bool IsKey(char c) => (c >= '0' && c <= '9') || c == 'K' || c == 'C' || c == 'R';
    }
}
