using System;
using Terminal.HostLink;
using Terminal.Simulator;

namespace Terminal.Desktop.Soak
{
    /// <summary>
    /// The host end of the serial link, in memory and in virtual time: what the host writes waits in
    /// a queue for the firmware's reads, and every byte the firmware writes is kept with the virtual
    /// time of its write, until the host takes it. A read that finds nothing lets its timeout pass on
    /// the board's clock (the host is quiet for that long). A pause mark in the queue makes one read
    /// return "timeout" even if more bytes follow (the host waiting for an answer between writes), and a
    /// host-gone mark one <see cref="ByteStream.NoHost"/>. Allocates nothing once made.
    /// </summary>
    public sealed class HostPipe : IByteStream
    {
        private const int MarkPause = -1;
        private const int MarkGone = -2;

        private readonly VirtualClock _clock;
        private readonly byte[] _input;
        private readonly int[] _marks;
        private readonly int[] _markAt;
        private readonly byte[] _output;
        private readonly long[] _writeTimes;
        private readonly int[] _writeEnds;
        private int _inputStart;
        private int _inputEnd;
        private int _markStart;
        private int _markEnd;
        private int _outputLength;
        private int _writes;
        private bool _gone;

        /// <summary>A pipe on <paramref name="clock"/> holding at most <paramref name="capacity"/> bytes each way.</summary>
        public HostPipe(VirtualClock clock, int capacity)
        {
            _clock = clock;
            _input = new byte[capacity];
            _marks = new int[256];
            _markAt = new int[256];
            _output = new byte[capacity];
            _writeTimes = new long[capacity];
            _writeEnds = new int[capacity];
        }

        /// <summary>Bytes the firmware wrote since <see cref="TakeOutput"/>.</summary>
        public byte[] Output => _output;

        /// <summary>Number of bytes in <see cref="Output"/>.</summary>
        public int OutputLength => _outputLength;

        /// <summary>Number of writes since <see cref="TakeOutput"/>.</summary>
        public int Writes => _writes;

        /// <summary>Bytes the host wrote that the firmware has not read yet.</summary>
        public int Pending => _inputEnd - _inputStart;

        /// <summary>Virtual time (ps) of write <paramref name="index"/>.</summary>
        public long WriteTime(int index) => _writeTimes[index];

        /// <summary>End offset in <see cref="Output"/> of write <paramref name="index"/>.</summary>
        public int WriteEnd(int index) => _writeEnds[index];

        /// <summary>Virtual time (ps) of the write that holds output byte <paramref name="offset"/>.</summary>
        public long TimeOfByte(int offset)
        {
            for (int i = 0; i < _writes; i++)
            {
                if (offset < _writeEnds[i])
                {
                    return _writeTimes[i];
                }
            }
            return _clock.NowPicoseconds;
        }

        /// <summary>The host writes bytes (they follow whatever is still queued).</summary>
        public void HostWrite(byte[] buffer, int offset, int count)
        {
            Compact();
            if (_inputEnd + count > _input.Length)
            {
                throw new InvalidOperationException("host pipe: input overflow");
            }
            Array.Copy(buffer, offset, _input, _inputEnd, count);
            _inputEnd += count;
            _gone = false;
        }

        /// <summary>The host falls quiet here: the read that reaches this point returns a timeout.</summary>
        public void HostPause() => Mark(MarkPause);

        /// <summary>The host closes the link here: the read that reaches this point returns <see cref="ByteStream.NoHost"/>.</summary>
        public void HostGone() => Mark(MarkGone);

        /// <summary>Forgets what the firmware wrote (the host has read it).</summary>
        public void TakeOutput()
        {
            _outputLength = 0;
            _writes = 0;
        }

        /// <summary>Forgets what the host wrote and the firmware has not read.</summary>
        public void DropInput()
        {
            _inputStart = _inputEnd = 0;
            _markStart = _markEnd = 0;
        }

        /// <inheritdoc/>
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            if (_markStart < _markEnd && _markAt[_markStart] == _inputStart)
            {
                int mark = _marks[_markStart++];
                if (mark == MarkGone)
                {
                    _gone = true;
                    return ByteStream.NoHost;
                }
                Quiet(timeoutMilliseconds);
                return 0;
            }
            if (_gone && _inputStart == _inputEnd)
            {
                // No host until it writes again: every read says so (a real stream does the same).
                return ByteStream.NoHost;
            }
            int available = _inputEnd - _inputStart;
            if (_markStart < _markEnd)
            {
                available = _markAt[_markStart] - _inputStart;
            }
            if (available <= 0)
            {
                Quiet(timeoutMilliseconds);
                return 0;
            }
            int n = available < count ? available : count;
            Array.Copy(_input, _inputStart, buffer, offset, n);
            _inputStart += n;
            return n;
        }

        /// <inheritdoc/>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (_outputLength + count > _output.Length || _writes == _writeTimes.Length)
            {
                throw new InvalidOperationException($"host pipe: the reader wrote more than {_output.Length} bytes without the host reading them");
            }
            Array.Copy(buffer, offset, _output, _outputLength, count);
            _outputLength += count;
            _writeTimes[_writes] = _clock.NowPicoseconds;
            _writeEnds[_writes] = _outputLength;
            _writes++;
        }

        private void Quiet(int timeoutMilliseconds)
        {
            if (timeoutMilliseconds > 0)
            {
                _clock.AdvancePicoseconds(timeoutMilliseconds * 1_000_000_000L);
            }
        }

        private void Mark(int kind)
        {
            Compact();
            if (_markEnd == _marks.Length)
            {
                throw new InvalidOperationException("host pipe: too many marks");
            }
            _marks[_markEnd] = kind;
            _markAt[_markEnd] = _inputEnd;
            _markEnd++;
        }

        private void Compact()
        {
            if (_inputStart == _inputEnd && _markStart == _markEnd)
            {
                _inputStart = _inputEnd = 0;
                _markStart = _markEnd = 0;
            }
        }
    }
}

namespace Terminal.Desktop.Soak
{
    /// <summary>
    /// The link's keeper thread on virtual time: every 100 ms of board time it lets the link send a
    /// time request when a command has kept the host waiting a second (what
    /// <see cref="Terminal.HostLink.SerialHostLink.Run"/>'s keeper does on wall time). Allocates nothing.
    /// </summary>
    public sealed class VirtualLinkKeeper
    {
        private const long Interval = 100_000_000_000L;

        private readonly Terminal.Simulator.VirtualClock _clock;
        private readonly Terminal.HostLink.SerialHostLink _link;
        private readonly System.Action _tick;

        /// <summary>Starts keeping <paramref name="link"/> on <paramref name="clock"/>.</summary>
        public VirtualLinkKeeper(Terminal.Simulator.VirtualClock clock, Terminal.HostLink.SerialHostLink link)
        {
            _clock = clock;
            _link = link;
            _tick = Tick;
            _clock.Schedule(_clock.NowPicoseconds + Interval, _tick);
        }

        private void Tick()
        {
            _link.Tick();
            _clock.Schedule(_clock.NowPicoseconds + Interval, _tick);
        }
    }
}
