using System.Threading;
using Terminal.Ccid;

namespace Terminal.HostLink
{
    /// <summary>
    /// CCID over a byte stream in the framing of libccid's serial driver (design/pcsc-serial.md):
    /// SYNC 03, ACK 06, the CCID message, LRC (XOR of every byte before it). Frames with a bad LRC,
    /// a bad length, a lost byte or garbage get NAK `03 15 16` and the receiver resynchronises on the
    /// next SYNC after the line falls quiet. While a command runs longer than the host's timeout the
    /// link sends time-request bytes (0x80); card movements go out as `50 02` / `50 03` after the
    /// command and before its answer (the driver's synchronous notification mode). Allocates nothing
    /// per frame: every buffer is the link's own.
    /// </summary>
    public sealed class SerialHostLink : IHostKeepAlive
    {
        /// <summary>Start of every frame.</summary>
        public const byte Sync = 0x03;
        /// <summary>Second byte of a normal frame.</summary>
        public const byte Ack = 0x06;
        /// <summary>Second byte of a NAK frame.</summary>
        public const byte Nak = 0x15;
        /// <summary>The time-request byte (any value 0x80 or above keeps the host waiting).</summary>
        public const byte TimeRequest = 0x80;

        /// <summary>Silence after which a time-request byte goes out; the host gives up after 3 s without a byte.</summary>
        public const int TimeRequestIntervalMilliseconds = 1000;

        /// <summary>Longest gap allowed between two bytes of one frame (the host writes a frame at once).</summary>
        public const int InterByteTimeoutMilliseconds = 200;

        /// <summary>Quiet time that ends the draining of a bad frame before the NAK.</summary>
        public const int DrainQuietMilliseconds = 30;

        private const int IdlePollMilliseconds = 100;
        private const int FrameOverhead = 3;

        private readonly IByteStream _stream;
        private readonly CcidDevice _device;
        private readonly IWallClock _clock;
        private readonly object _txLock = new object();
        private readonly byte[] _rx = new byte[512];
        private readonly byte[] _message = new byte[CcidMessage.MaxMessageLength];
        private readonly byte[] _response = new byte[CcidDevice.ResponseBufferLength];
        private readonly byte[] _tx = new byte[CcidMessage.MaxMessageLength + FrameOverhead];
        private readonly byte[] _single = new byte[2];
        private readonly byte[] _nak = new byte[] { Sync, Nak, Sync ^ Nak };
        private int _rxPosition;
        private int _rxEnd;
        private bool _hostPresent;
        private bool _commandActive;
        private long _lastTransmit;
        private bool _running;
        private Thread? _keeper;
        private int _framesReceived;
        private int _naksSent;
        private int _timeRequestsSent;

        /// <summary>Creates the link; call <see cref="Run"/> (blocking) or <see cref="Poll"/>.</summary>
        public SerialHostLink(IByteStream stream, CcidDevice device, IWallClock clock)
        {
            _stream = stream;
            _device = device;
            _clock = clock;
        }

        /// <summary>Optional trace of messages and link events.</summary>
        public ILinkTrace? Trace { get; set; }

        /// <summary>Frames received with a good LRC.</summary>
        public int FramesReceived => _framesReceived;

        /// <summary>NAKs sent.</summary>
        public int NaksSent => _naksSent;

        /// <summary>Time-request bytes sent.</summary>
        public int TimeRequestsSent => _timeRequestsSent;

        /// <summary>True while a host holds the other end.</summary>
        public bool HostPresent => _hostPresent;

        /// <summary>Receives and answers frames until <see cref="Stop"/>; time requests run on their own thread.</summary>
        public void Run()
        {
            _running = true;
            StartKeeper();
            while (_running)
            {
                Poll(IdlePollMilliseconds);
            }
            Thread? keeper = _keeper;
            if (keeper != null)
            {
                keeper.Join();
            }
        }

        /// <summary>Ends <see cref="Run"/> within about 100 ms.</summary>
        public void Stop()
        {
            _running = false;
        }

        /// <summary>Starts the thread that sends time requests while a command runs (Run does it).</summary>
        public void StartKeeper()
        {
            _running = true;
            if (_keeper == null)
            {
                _keeper = new Thread(KeepAlive);
                _keeper.Start();
            }
        }

        /// <summary>
        /// Waits up to <paramref name="timeoutMilliseconds"/> for a frame and handles it. Returns 1
        /// when a command was answered, 0 when idle, -1 when a bad frame was NAKed, -2 with no host.
        /// </summary>
        public int Poll(int timeoutMilliseconds)
        {
            int b = NextByte(timeoutMilliseconds);
            if (b == ByteStream.NoHost)
            {
                if (_hostPresent)
                {
                    _hostPresent = false;
                    _device.HostReset();
                    TraceEvent("host gone: cards deactivated");
                }
                return -2;
            }
            if (b < 0)
            {
                return 0;
            }
            if (!_hostPresent)
            {
                _hostPresent = true;
                TraceEvent("host connected");
            }
            if (b != Sync)
            {
                return Reject("NAK: garbage before SYNC");
            }
            b = NextByte(InterByteTimeoutMilliseconds);
            if (b != Ack)
            {
                return Reject(b < 0 ? "NAK: frame cut after SYNC" : "NAK: no ACK after SYNC");
            }
            for (int i = 0; i < CcidMessage.HeaderLength; i++)
            {
                b = NextByte(InterByteTimeoutMilliseconds);
                if (b < 0)
                {
                    return Reject("NAK: frame cut in the header");
                }
                _message[i] = (byte)b;
            }
            int dataLength = CcidDevice.ReadInt(_message, 1);
            if (dataLength < 0 || dataLength > CcidMessage.MaxDataLength)
            {
                return Reject("NAK: dwLength over 261");
            }
            int length = CcidMessage.HeaderLength + dataLength;
            for (int i = CcidMessage.HeaderLength; i < length; i++)
            {
                b = NextByte(InterByteTimeoutMilliseconds);
                if (b < 0)
                {
                    return Reject("NAK: frame shorter than dwLength");
                }
                _message[i] = (byte)b;
            }
            int lrc = NextByte(InterByteTimeoutMilliseconds);
            if (lrc < 0)
            {
                return Reject("NAK: no LRC");
            }
            int check = Sync ^ Ack ^ lrc;
            for (int i = 0; i < length; i++)
            {
                check ^= _message[i];
            }
            if (check != 0)
            {
                return Reject("NAK: bad LRC");
            }
            _framesReceived++;
            Handle(length);
            return 1;
        }

        private void Handle(int length)
        {
            ILinkTrace? trace = Trace;
            if (trace != null)
            {
                trace.Message(true, _message, 0, length);
            }
            _device.Recognise(_message, length);
            lock (_txLock)
            {
                _commandActive = true;
                if (_device.Profile.Echo)
                {
                    // The GemPC drivers read and drop one frame before the answer; a header-only copy
                    // of the command is valid and never overflows their buffer.
                    System.Array.Copy(_message, 0, _response, 0, CcidMessage.HeaderLength);
                    CcidDevice.WriteInt(_response, 1, 0);
                    SendFrame(_response, CcidMessage.HeaderLength);
                }
            }
            int replyLength = _device.Process(_message, length, _response);
            lock (_txLock)
            {
                int movement;
                while ((movement = _device.TakeMovement()) != 0)
                {
                    _single[0] = CcidMessage.NotifySlotChange;
                    _single[1] = (byte)movement;
                    Transmit(_single, 2);
                    TraceEvent(movement == 2 ? "notify: card removed" : "notify: card inserted");
                }
                if (replyLength > 0)
                {
                    SendFrame(_response, replyLength);
                }
                _commandActive = false;
            }
            if (trace != null && replyLength > 0)
            {
                trace.Message(false, _response, 0, replyLength);
            }
        }

        private int Reject(string reason)
        {
            Drain();
            lock (_txLock)
            {
                Transmit(_nak, _nak.Length);
            }
            _naksSent++;
            // The reasons are constants with their prefix: a NAK, like a frame, allocates nothing.
            TraceEvent(reason);
            return -1;
        }

        private void SendFrame(byte[] message, int length)
        {
            _tx[0] = Sync;
            _tx[1] = Ack;
            int lrc = Sync ^ Ack;
            for (int i = 0; i < length; i++)
            {
                byte v = message[i];
                _tx[2 + i] = v;
                lrc ^= v;
            }
            _tx[2 + length] = (byte)lrc;
            Transmit(_tx, length + FrameOverhead);
        }

        private void Transmit(byte[] buffer, int length)
        {
            _stream.Write(buffer, 0, length);
            _lastTransmit = _clock.NowMilliseconds;
        }

        /// <summary>Sends a time-request byte when a command has kept the host waiting for a second; the keeper thread calls it.</summary>
        public void Tick()
        {
            bool sent = false;
            lock (_txLock)
            {
                if (_commandActive && _clock.NowMilliseconds - _lastTransmit >= TimeRequestIntervalMilliseconds)
                {
                    _single[0] = TimeRequest;
                    Transmit(_single, 1);
                    _timeRequestsSent++;
                    sent = true;
                }
            }
            if (sent)
            {
                TraceEvent("time request");
            }
        }

        /// <inheritdoc/>
        public void KeepHostWaiting()
        {
            Tick();
        }

        private void KeepAlive()
        {
            while (_running)
            {
                Thread.Sleep(100);
                Tick();
            }
        }

        /// <summary>Marks the start of a command without a frame (tests of the time requests).</summary>
        internal void BeginCommandForTest()
        {
            lock (_txLock)
            {
                _commandActive = true;
                _lastTransmit = _clock.NowMilliseconds;
            }
        }

        private int NextByte(int timeoutMilliseconds)
        {
            if (_rxPosition < _rxEnd)
            {
                return _rx[_rxPosition++];
            }
            int n = _stream.Read(_rx, 0, _rx.Length, timeoutMilliseconds);
            if (n == ByteStream.NoHost)
            {
                _rxPosition = 0;
                _rxEnd = 0;
                return ByteStream.NoHost;
            }
            if (n <= 0)
            {
                return -3;
            }
            _rxPosition = 1;
            _rxEnd = n;
            return _rx[0];
        }

        private void Drain()
        {
            _rxPosition = 0;
            _rxEnd = 0;
            while (_stream.Read(_rx, 0, _rx.Length, DrainQuietMilliseconds) > 0)
            {
            }
        }

        private void TraceEvent(string text)
        {
            ILinkTrace? trace = Trace;
            if (trace != null)
            {
                trace.Event(text);
            }
        }
    }
}
