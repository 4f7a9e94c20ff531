using System.Threading;

namespace Terminal.Boards
{
    /// <summary>
    /// A key matrix scanned row by row, debounced, with a queue of key presses (<see cref="IKeypad"/>).
    /// </summary>
    /// <remarks>
    /// Rows are outputs, active low (open drain on the board: a released row floats, so two keys of one
    /// column never short two driven rows). Columns are inputs pulled up: low means a key joins the
    /// active row to the column. One scan drives each row in turn and reads every column.
    /// Between scans every row is driven low, so that an idle scan is one read per column: only when a
    /// column is low (or a key is still being debounced) does the scan drive the rows one at a time.
    /// A press counts when a single key has been seen in <c>debounceScans</c> scans in a row after a
    /// stable "no key"; it is queued once. Two or more keys at once (including the phantom of three
    /// keys on a rectangle) count as no key, and a new press needs every key released first, so a
    /// bouncing or rolling finger never enters a digit twice.
    /// The scan runs on its own thread on the device (<see cref="Start"/>); without it,
    /// <see cref="ReadKey"/> scans by itself on the board clock, which is how the tests drive it.
    /// </remarks>
    public sealed class MatrixKeypad : IKeypad
    {
        private const int NoKey = -1;
        private const int SeveralKeys = -2;
        private const int QueueLength = 16;

        private readonly IOutputPin[] _rows;
        private readonly IInputPin[] _columns;
        private readonly Key[] _map;
        private readonly IClock _clock;
        private readonly int _scanIntervalMs;
        private readonly int _debounceScans;
        private readonly int[] _queue = new int[QueueLength];
        private readonly object _sync = new object();
        private readonly AutoResetEvent _pressed = new AutoResetEvent(false);
        private int _head;
        private int _count;
        private int _candidate = NoKey;
        private int _seen;
        private int _stable = NoKey;
        private Thread? _thread;
        private bool _running;

        /// <summary>Builds the keypad.</summary>
        /// <param name="rows">Row outputs, top to bottom.</param>
        /// <param name="columns">Column inputs, left to right.</param>
        /// <param name="map">The key at row r, column c is <c>map[r * columns.Length + c]</c>; <see cref="Key.None"/> where no key sits.</param>
        /// <param name="clock">The board clock.</param>
        /// <param name="scanIntervalMs">Time between scans.</param>
        /// <param name="debounceScans">Scans a state must last to count (debounce time = interval x scans).</param>
        public MatrixKeypad(IOutputPin[] rows, IInputPin[] columns, Key[] map, IClock clock, int scanIntervalMs, int debounceScans)
        {
            _rows = rows;
            _columns = columns;
            _map = map;
            _clock = clock;
            _scanIntervalMs = scanIntervalMs;
            _debounceScans = debounceScans;
            for (int r = 0; r < rows.Length; r++)
            {
                rows[r].Write(true);
            }
            Arm();
        }

        /// <summary>Debounce time in milliseconds.</summary>
        public int DebounceMilliseconds
        {
            get { return _scanIntervalMs * _debounceScans; }
        }

        /// <summary>Starts the background scan thread (on the device).</summary>
        public void Start()
        {
            if (_thread != null)
            {
                return;
            }
            _running = true;
            _thread = new Thread(ScanLoop);
            _thread.Start();
        }

        /// <summary>Stops the scan thread and waits for its last scan to end (so the pins can be closed after it).</summary>
        public void Stop()
        {
            _running = false;
            Thread? thread = _thread;
            if (thread != null && thread != Thread.CurrentThread)
            {
                thread.Join();
            }
            _thread = null;
        }

        /// <summary>
        /// One raw scan: bit (r * columns + c) set for every closed contact. Not debounced; used for
        /// key combinations (the self-test at power-up). Leaves every row driven low.
        /// </summary>
        public int ScanRaw()
        {
            int mask = 0;
            int columns = _columns.Length;
            for (int r = 0; r < _rows.Length; r++)
            {
                _rows[r].Write(true);
            }
            for (int r = 0; r < _rows.Length; r++)
            {
                _rows[r].Write(false);
                for (int c = 0; c < columns; c++)
                {
                    if (!_columns[c].Read())
                    {
                        mask |= 1 << (r * columns + c);
                    }
                }
                _rows[r].Write(true);
            }
            Arm();
            return mask;
        }

        /// <summary>The raw scan bit of <paramref name="key"/>, 0 when the layout has no such key.</summary>
        public int MaskOf(Key key)
        {
            for (int i = 0; i < _map.Length; i++)
            {
                if (_map[i] == key)
                {
                    return 1 << i;
                }
            }
            return 0;
        }

        /// <summary>One debouncing step: scans once and queues a press when one is complete.</summary>
        public void Scan()
        {
            // Idle and nothing pending: the armed rows let one read per column say "no key".
            int mask = _candidate == NoKey && _stable == NoKey && !AnyColumnLow() ? 0 : ScanRaw();
            int now = Classify(mask);
            if (now == _candidate)
            {
                if (_seen < _debounceScans)
                {
                    _seen++;
                }
            }
            else
            {
                _candidate = now;
                _seen = 1;
            }
            if (_seen < _debounceScans || _candidate == _stable)
            {
                return;
            }
            int previous = _stable;
            _stable = _candidate;
            if (previous == NoKey && _stable >= 0 && _map[_stable] != Key.None)
            {
                Enqueue((int)_map[_stable]);
            }
        }

        /// <inheritdoc />
        public Key ReadKey(int timeoutMilliseconds)
        {
            long deadline = _clock.NowMilliseconds + timeoutMilliseconds;
            while (true)
            {
                int key = Dequeue();
                if (key != NoKey)
                {
                    return (Key)key;
                }
                long left = deadline - _clock.NowMilliseconds;
                if (left <= 0)
                {
                    return Key.None;
                }
                if (_thread != null)
                {
                    _pressed.WaitOne((int)left, false);
                }
                else
                {
                    Scan();
                    if (_count == 0)
                    {
                        _clock.Sleep(_scanIntervalMs);
                    }
                }
            }
        }

        /// <inheritdoc />
        public void Flush()
        {
            lock (_sync)
            {
                _head = 0;
                _count = 0;
            }
        }

        private void Arm()
        {
            for (int r = 0; r < _rows.Length; r++)
            {
                _rows[r].Write(false);
            }
        }

        private bool AnyColumnLow()
        {
            for (int c = 0; c < _columns.Length; c++)
            {
                if (!_columns[c].Read())
                {
                    return true;
                }
            }
            return false;
        }

        private static int Classify(int mask)
        {
            if (mask == 0)
            {
                return NoKey;
            }
            if ((mask & (mask - 1)) != 0)
            {
                return SeveralKeys;
            }
            int index = 0;
            while ((mask & 1) == 0)
            {
                mask >>= 1;
                index++;
            }
            return index;
        }

        private void Enqueue(int key)
        {
            lock (_sync)
            {
                if (_count == QueueLength)
                {
                    // Full: the oldest press goes, the newest is what the user just did.
                    _head = (_head + 1) % QueueLength;
                    _count--;
                }
                _queue[(_head + _count) % QueueLength] = key;
                _count++;
            }
            _pressed.Set();
        }

        private int Dequeue()
        {
            lock (_sync)
            {
                if (_count == 0)
                {
                    return NoKey;
                }
                int key = _queue[_head];
                _head = (_head + 1) % QueueLength;
                _count--;
                return key;
            }
        }

        private void ScanLoop()
        {
            while (_running)
            {
                Scan();
                _clock.Sleep(_scanIntervalMs);
            }
        }
    }
}
