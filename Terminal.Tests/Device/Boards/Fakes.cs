using System;
using System.Collections;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>One recorded event: virtual time and text ("VCCEN0=1", "CLK on", "sleep 1").</summary>
    public sealed class LogEntry
    {
        /// <summary>Virtual milliseconds.</summary>
        public long Time;

        /// <summary>What happened.</summary>
        public string Text = "";

        /// <summary>For pin writes: the pin name.</summary>
        public string Pin = "";

        /// <summary>For pin writes: the level.</summary>
        public bool High;
    }

    /// <summary>A shared, ordered record of what the drivers did to the fake hardware.</summary>
    public sealed class EventLog
    {
        private readonly ArrayList _entries = new ArrayList();

        /// <summary>Number of entries.</summary>
        public int Count
        {
            get { return _entries.Count; }
        }

        /// <summary>Entry i.</summary>
        public LogEntry this[int index]
        {
            get { return (LogEntry)_entries[index]!; }
        }

        /// <summary>Adds an entry.</summary>
        public void Add(long time, string text, string pin, bool high)
        {
            LogEntry e = new LogEntry();
            e.Time = time;
            e.Text = text;
            e.Pin = pin;
            e.High = high;
            _entries.Add(e);
        }

        /// <summary>Forgets everything.</summary>
        public void Clear()
        {
            _entries.Clear();
        }

        /// <summary>Index of the first entry with this text at or after <paramref name="from"/>, -1 if none.</summary>
        public int IndexOf(string text, int from)
        {
            for (int i = from; i < _entries.Count; i++)
            {
                if (this[i].Text == text)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>The texts joined with spaces, skipping entries whose pin is in <paramref name="ignoredPins"/> (comma list).</summary>
        public string Texts(string ignoredPins)
        {
            string result = "";
            string ignored = "," + ignoredPins + ",";
            for (int i = 0; i < _entries.Count; i++)
            {
                LogEntry e = this[i];
                if (e.Pin.Length > 0 && ignored.IndexOf("," + e.Pin + ",") >= 0)
                {
                    continue;
                }
                result = result.Length == 0 ? e.Text : result + " " + e.Text;
            }
            return result;
        }
    }

    /// <summary>Virtual time: Sleep advances it (and is logged when a log is attached).</summary>
    public sealed class FakeClock : IClock, IMicroDelay
    {
        private long _now;

        /// <summary>Log of sleeps, or null.</summary>
        public EventLog? Log;

        /// <summary>Microseconds of busy waits asked, in total.</summary>
        public long MicrosecondsDelayed;

        /// <summary>Sleep calls since creation.</summary>
        public int Sleeps;

        /// <inheritdoc />
        public long NowMilliseconds
        {
            get { return _now; }
        }

        /// <inheritdoc />
        public void Sleep(int milliseconds)
        {
            Sleeps++;
            if (Log != null)
            {
                Log.Add(_now, "sleep " + milliseconds, "", false);
            }
            if (milliseconds > 0)
            {
                _now += milliseconds;
            }
        }

        /// <summary>Advances time without logging.</summary>
        public void Advance(long milliseconds)
        {
            _now += milliseconds;
        }

        /// <inheritdoc />
        public void DelayMicroseconds(int microseconds)
        {
            MicrosecondsDelayed += microseconds;
            if (Log != null)
            {
                Log.Add(_now, "delay " + microseconds + "us", "", false);
            }
        }
    }

    /// <summary>An output that records every write as "NAME=0|1".</summary>
    public sealed class FakeOutputPin : IOutputPin
    {
        private readonly string _name;
        private readonly EventLog _log;
        private readonly FakeClock _clock;

        /// <summary>Creates the pin.</summary>
        public FakeOutputPin(string name, EventLog log, FakeClock clock)
        {
            _name = name;
            _log = log;
            _clock = clock;
        }

        /// <summary>Last level written.</summary>
        public bool Level;

        /// <summary>Writes so far.</summary>
        public int Writes;

        /// <summary>The pin's name.</summary>
        public string Name
        {
            get { return _name; }
        }

        /// <summary>Called after each write (a card or chip behind the pin reacting to it), or null.</summary>
        public PinWriteHandler? OnWrite;

        /// <inheritdoc />
        public void Write(bool high)
        {
            bool was = Level;
            Level = high;
            Writes++;
            _log.Add(_clock.NowMilliseconds, _name + "=" + (high ? "1" : "0"), _name, high);
            PinWriteHandler? handler = OnWrite;
            if (handler != null)
            {
                handler(this, was, high);
            }
        }
    }

    /// <summary>Signature of <see cref="FakeOutputPin.OnWrite"/>: the level before and after the write.</summary>
    public delegate void PinWriteHandler(FakeOutputPin pin, bool wasHigh, bool high);

    /// <summary>An input whose level the test sets; setting it raises Changed on an edge.</summary>
    public sealed class FakeInputPin : IInputPin
    {
        /// <summary>The level Read returns.</summary>
        public bool Level;

        /// <inheritdoc />
        public event PinChangedHandler Changed
        {
            add { lock (_eventSync) { _changed = (PinChangedHandler?)System.Delegate.Combine(_changed, value); } }
            remove { lock (_eventSync) { _changed = (PinChangedHandler?)System.Delegate.Remove(_changed, value); } }
        }

        // Explicit accessors: a field-like event would compile to the generic Interlocked.CompareExchange<T> on .NET.
        private readonly object _eventSync = new object();
        private PinChangedHandler? _changed;

        /// <inheritdoc />
        public bool Read()
        {
            return Level;
        }

        /// <summary>Sets the level, raising Changed when it changes (the interrupt).</summary>
        public void Set(bool high)
        {
            if (Level == high)
            {
                return;
            }
            Level = high;
            PinChangedHandler? handler = _changed;
            if (handler != null)
            {
                handler(this, high);
            }
        }
    }

    /// <summary>A PWM that logs "CLK on" / "CLK off".</summary>
    public sealed class FakeClockOutput : IClockOutput
    {
        private readonly EventLog _log;
        private readonly FakeClock _clock;
        private readonly int _hz;

        /// <summary>Creates it.</summary>
        public FakeClockOutput(EventLog log, FakeClock clock, int hz)
        {
            _log = log;
            _clock = clock;
            _hz = hz;
        }

        /// <summary>True while started.</summary>
        public bool Running;

        /// <inheritdoc />
        public int FrequencyHz
        {
            get { return _hz; }
        }

        /// <inheritdoc />
        public void Start()
        {
            Running = true;
            _log.Add(_clock.NowMilliseconds, "CLK on", "", false);
        }

        /// <inheritdoc />
        public void Stop()
        {
            Running = false;
            _log.Add(_clock.NowMilliseconds, "CLK off", "", false);
        }
    }

    /// <summary>How the fake port's Read behaves, as the two SerialPort implementations do.</summary>
    public enum ReadBehaviour
    {
        /// <summary>Desktop: returns what is there (here: at most 2 bytes a call), at least one.</summary>
        ReturnsEarly = 0,

        /// <summary>nanoFramework: asked for more than is there, waits out and throws TimeoutException, dropping what it had.</summary>
        BlocksOrThrows = 1,
    }

    /// <summary>
    /// A UART in virtual time: bytes scheduled to arrive at given times, an optional echo of what is
    /// written (TX joined to RX), a record of writes and frame changes, and a responder hook.
    /// </summary>
    public sealed class FakeSerialPort : ISerialPort
    {
        private readonly FakeClock _clock;
        private readonly ArrayList _arrivals = new ArrayList();
        private readonly byte[] _rx = new byte[4096];
        private int _rxHead;
        private int _rxCount;
        private int _baud;
        private SerialParity _parity;
        private int _stopBits;

        /// <summary>Creates the port.</summary>
        public FakeSerialPort(FakeClock clock, ReadBehaviour behaviour)
        {
            _clock = clock;
            Behaviour = behaviour;
            _baud = 13441;
            _parity = SerialParity.Even;
            _stopBits = 2;
        }

        /// <summary>The Read behaviour.</summary>
        public ReadBehaviour Behaviour;

        /// <summary>When true, every byte written is heard back at once (I/O line echo).</summary>
        public bool Echo;

        /// <summary>When set, each byte written is replaced by this in the echo (a collision).</summary>
        public int CorruptEcho = -1;

        /// <summary>Everything written, in order.</summary>
        public readonly ArrayList Written = new ArrayList();

        /// <summary>Log of frame changes ("UART 13441 Even 2"), or null.</summary>
        public EventLog? Log;

        /// <summary>Bytes lost by a Read that threw (must stay 0 with a correct reader).</summary>
        public int BytesLost;

        /// <summary>Reads that asked for more bytes than were waiting.</summary>
        public int OversizedReads;

        /// <summary>Called after each Write with the bytes written; may schedule a response.</summary>
        public WriteHandler? OnWrite;

        /// <summary>Signature of <see cref="OnWrite"/>.</summary>
        public delegate void WriteHandler(FakeSerialPort port, byte[] buffer, int offset, int count);

        /// <inheritdoc />
        public int BaudRate
        {
            get { return _baud; }
            set { _baud = value; LogFrame(); }
        }

        /// <inheritdoc />
        public SerialParity Parity
        {
            get { return _parity; }
            set { _parity = value; LogFrame(); }
        }

        /// <inheritdoc />
        public int StopBits
        {
            get { return _stopBits; }
            set { _stopBits = value; LogFrame(); }
        }

        /// <summary>Schedules <paramref name="bytes"/> to arrive <paramref name="afterMs"/> from now, one a millisecond when spread.</summary>
        public void Arrive(long afterMs, byte[] bytes, bool spread)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                long at = _clock.NowMilliseconds + afterMs + (spread ? i : 0);
                _arrivals.Add(new long[] { at, bytes[i] });
            }
        }

        /// <inheritdoc />
        public int BytesToRead
        {
            get
            {
                Pump();
                return _rxCount;
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            Pump();
            if (count > _rxCount)
            {
                OversizedReads++;
                if (Behaviour == ReadBehaviour.BlocksOrThrows)
                {
                    // Waits its ReadTimeout, then throws; the bytes it took are gone.
                    _clock.Advance(100);
                    Pump();
                    if (count > _rxCount)
                    {
                        BytesLost += _rxCount;
                        _rxHead = (_rxHead + _rxCount) % _rx.Length;
                        _rxCount = 0;
                        throw new TimeoutException();
                    }
                }
            }
            int n = count < _rxCount ? count : _rxCount;
            if (Behaviour == ReadBehaviour.ReturnsEarly && n > 2)
            {
                n = 2;
            }
            for (int i = 0; i < n; i++)
            {
                buffer[offset + i] = _rx[_rxHead];
                _rxHead = (_rxHead + 1) % _rx.Length;
            }
            _rxCount -= n;
            return n;
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                Written.Add(buffer[offset + i]);
                if (Echo)
                {
                    Put(CorruptEcho >= 0 ? (byte)CorruptEcho : buffer[offset + i]);
                }
            }
            WriteHandler? handler = OnWrite;
            if (handler != null)
            {
                handler(this, buffer, offset, count);
            }
        }

        /// <inheritdoc />
        public bool WaitForData(int milliseconds)
        {
            Pump();
            if (_rxCount > 0)
            {
                return true;
            }
            long next = long.MaxValue;
            for (int i = 0; i < _arrivals.Count; i++)
            {
                long at = ((long[])_arrivals[i]!)[0];
                if (at < next)
                {
                    next = at;
                }
            }
            long until = _clock.NowMilliseconds + milliseconds;
            long target = next < until ? next : until;
            if (target > _clock.NowMilliseconds)
            {
                _clock.Advance(target - _clock.NowMilliseconds);
            }
            Pump();
            return _rxCount > 0;
        }

        /// <summary>The written bytes as an array.</summary>
        public byte[] WrittenBytes()
        {
            byte[] result = new byte[Written.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = (byte)Written[i]!;
            }
            return result;
        }

        private void Put(byte b)
        {
            _rx[(_rxHead + _rxCount) % _rx.Length] = b;
            _rxCount++;
        }

        private void Pump()
        {
            long now = _clock.NowMilliseconds;
            int i = 0;
            while (i < _arrivals.Count)
            {
                long[] a = (long[])_arrivals[i]!;
                if (a[0] <= now)
                {
                    Put((byte)a[1]);
                    _arrivals.RemoveAt(i);
                }
                else
                {
                    i++;
                }
            }
        }

        private void LogFrame()
        {
            if (Log != null)
            {
                string p = _parity == SerialParity.Even ? "Even" : _parity == SerialParity.Odd ? "Odd" : "None";
                Log.Add(_clock.NowMilliseconds, "UART " + _baud + " " + p + " " + _stopBits, "", false);
            }
        }
    }
}
