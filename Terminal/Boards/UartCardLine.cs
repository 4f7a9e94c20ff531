using Terminal.Iso7816;

namespace Terminal.Boards
{
    /// <summary>
    /// <see cref="ICardLine"/> of one slot on real hardware: the shared half-duplex card UART
    /// (<see cref="CardUart"/>, 8E2, or 8O2 for the inverse convention), the slot's interface chip
    /// (<see cref="Tda8024Contact"/>) and the shared card clock (<see cref="CardClock"/>).
    /// </summary>
    /// <remarks>
    /// <para>Echo: TX and RX share the I/O line, so after each chunk sent the line reads the same number
    /// of bytes back and drops them (<see cref="EchoErrors"/> counts echoes that were missing or
    /// different: a collision or a card's error signal).</para>
    /// <para>Inverse convention: the UART stays a direct one (LSB first, high = 1). A character of
    /// logical value v travels as the complement of v with its bits in reverse order, and its parity bit
    /// is inverted too, which a direct UART checks as odd parity. So the line switches the UART to odd
    /// parity and maps every byte through a 256-entry table (complement of the bit reversal, its own
    /// inverse). TS is recognised by itself: the first character after RST rises is read raw, 0x03 is
    /// the inverse TS (logical 3F) and switches the line to the inverse convention.</para>
    /// <para>Rate: after PPS, <see cref="Configure"/> sets the UART to f x Di / Fi bits per second; the
    /// guard time sets the stop bits (12 ETU: two, 11 ETU: one) and, beyond 12 ETU, the line sends one
    /// character at a time with the extra ETUs waited between them.</para>
    /// <para>Timeouts come in card clock cycles and are converted to milliseconds rounded up, plus the
    /// UART driver's delivery latency; they are counted from the end of the last character the line
    /// sent or received, as the engine expects.</para>
    /// <para>Limits of a plain UART: it cannot raise the T=0 error signal nor report a parity error
    /// through the portable SerialPort members, so <see cref="LineStatus.ParityError"/> is never
    /// returned; T=1's EDC and T=0's status words catch corrupted characters instead.</para>
    /// <para>Nothing is allocated per exchange: the buffers belong to the line.</para>
    /// </remarks>
    public sealed class UartCardLine : ICardLine
    {
        private const int Chunk = 32;
        private const int WaitSliceMilliseconds = 50;
        private static readonly byte[] s_inverse = BuildInverseTable();

        private readonly int _slot;
        private readonly CardUart _uart;
        private readonly Tda8024Contact _contact;
        private readonly CardClock _cardClock;
        private readonly IClock _clock;
        private readonly long _originMs;
        private readonly byte[] _rx = new byte[272];
        private readonly byte[] _tx = new byte[Chunk];
        private readonly byte[] _echo = new byte[Chunk];
        private int _rxPos;
        private int _rxCount;
        private Convention _convention;
        private int _fi;
        private int _di;
        private int _guardEtu;
        private bool _errorSignal;
        private int _baudRate;
        private long _lastMs;
        private long _clockSeenMs;
        private bool _expectTs;

        /// <summary>Builds the line of <paramref name="slot"/>.</summary>
        public UartCardLine(int slot, CardUart uart, Tda8024Contact contact, CardClock cardClock)
        {
            _slot = slot;
            _uart = uart;
            _contact = contact;
            _cardClock = cardClock;
            _clock = uart.Clock;
            _originMs = _clock.NowMilliseconds;
            ResetFrame();
        }

        /// <summary>The slot this line serves.</summary>
        public int Slot
        {
            get { return _slot; }
        }

        /// <summary>The slot's interface chip.</summary>
        public Tda8024Contact Contact
        {
            get { return _contact; }
        }

        /// <summary>Echoes that were missing or differed from what was sent, since the line was created.</summary>
        public int EchoErrors { get; private set; }

        /// <summary>The UART rate the line uses now: f x Di / Fi, rounded.</summary>
        public int BaudRate
        {
            get { return _baudRate; }
        }

        /// <summary>The convention in force (set by <see cref="Configure"/> or detected from TS).</summary>
        public Convention Convention
        {
            get { return _convention; }
        }

        /// <summary>True when the engine asked for the T=0 error signal, which this UART cannot produce.</summary>
        public bool ErrorSignalRequested
        {
            get { return _errorSignal; }
        }

        /// <inheritdoc />
        public int ClockHz
        {
            get { return _cardClock.FrequencyHz; }
        }

        /// <inheritdoc />
        public long Now
        {
            get { return (_clock.NowMilliseconds - _originMs) * ClockHz / 1000; }
        }

        /// <inheritdoc />
        public bool CardPresent
        {
            get { return _contact.CardPresent; }
        }

        /// <inheritdoc />
        public void SetVcc(VoltageClass voltageClass)
        {
            if (voltageClass == VoltageClass.None)
            {
                _contact.PowerOff();
                _rxPos = 0;
                _rxCount = 0;
                return;
            }
            lock (_uart.SyncRoot)
            {
                // I/O in reception before VCC rises: the switch gives this slot the line and the UART
                // listens at the initial rate.
                ResetFrame();
                _uart.Select(_slot);
                ApplyFormat();
                _uart.Discard();
                _rxPos = 0;
                _rxCount = 0;
            }
            if (_contact.PowerOn(voltageClass) && _cardClock.IsRequested(_slot))
            {
                _clockSeenMs = _clock.NowMilliseconds;
            }
        }

        /// <inheritdoc />
        public void SetReset(bool high)
        {
            if (high && _contact.Active)
            {
                // ISO/IEC 7816-3 6.2.2: RST stays low at least 400 cycles after CLK starts, whatever the caller waited.
                long minimum = CyclesToMilliseconds(400);
                long since = _clock.NowMilliseconds - _clockSeenMs;
                if (since < minimum)
                {
                    _clock.Sleep((int)(minimum - since));
                }
                lock (_uart.SyncRoot)
                {
                    // Every ATR, cold or warm, comes at the default rate (Fd = 372, Dd = 1) and sets the convention anew.
                    ResetFrame();
                    _uart.Select(_slot);
                    ApplyFormat();
                    _uart.Discard();
                    _rxPos = 0;
                    _rxCount = 0;
                    _expectTs = true;
                }
            }
            _contact.SetReset(high);
            _lastMs = _clock.NowMilliseconds;
        }

        /// <inheritdoc />
        public void SetClock(bool running)
        {
            bool was = _cardClock.IsRequested(_slot);
            _cardClock.Request(_slot, running);
            if (running && !was)
            {
                _clockSeenMs = _clock.NowMilliseconds;
            }
        }

        /// <inheritdoc />
        public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
        {
            if (fi <= 0 || di <= 0)
            {
                // Not a rate: keep the frame in force rather than divide by zero.
                return;
            }
            _convention = convention;
            _fi = fi;
            _di = di;
            _guardEtu = guardTimeEtu < 11 ? 11 : guardTimeEtu;
            _errorSignal = errorSignal;
            _baudRate = (int)(((long)ClockHz * di + fi / 2) / fi);
            lock (_uart.SyncRoot)
            {
                if (_uart.Selected == _slot)
                {
                    ApplyFormat();
                }
            }
        }

        /// <inheritdoc />
        public void Send(byte[] buffer, int offset, int count)
        {
            if (!_contact.Active)
            {
                return;
            }
            lock (_uart.SyncRoot)
            {
                _uart.Select(_slot);
                ApplyFormat();
                ISerialPort port = _uart.Port;
                int extraEtu = _guardEtu > 12 ? _guardEtu - 12 : 0;
                int step = extraEtu > 0 ? 1 : Chunk;
                bool inverse = _convention == Convention.Inverse;
                int sent = 0;
                while (sent < count)
                {
                    int n = count - sent < step ? count - sent : step;
                    for (int i = 0; i < n; i++)
                    {
                        byte b = buffer[offset + sent + i];
                        _tx[i] = inverse ? s_inverse[b] : b;
                    }
                    port.Write(_tx, 0, n);
                    if (_uart.Echo)
                    {
                        RemoveEcho(n);
                    }
                    sent += n;
                    if (extraEtu > 0 && sent < count)
                    {
                        Wait((long)extraEtu * _fi / _di);
                    }
                }
            }
            _lastMs = _clock.NowMilliseconds;
        }

        /// <inheritdoc />
        public int Receive(long timeoutCycles)
        {
            if (!_contact.Active || !_contact.CardPresent)
            {
                return LineStatus.NoCard;
            }
            if (_rxPos < _rxCount)
            {
                return Deliver();
            }
            long deadline = _lastMs + CyclesToMilliseconds(timeoutCycles) + _uart.LatencyMilliseconds;
            lock (_uart.SyncRoot)
            {
                _uart.Select(_slot);
                ApplyFormat();
                ISerialPort port = _uart.Port;
                while (true)
                {
                    int got = SerialReader.ReadWaiting(port, _rx, 0, _rx.Length);
                    if (got > 0)
                    {
                        _rxPos = 0;
                        _rxCount = got;
                        return Deliver();
                    }
                    if (!_contact.Active)
                    {
                        return LineStatus.NoCard;
                    }
                    long left = deadline - _clock.NowMilliseconds;
                    if (left <= 0)
                    {
                        return LineStatus.Timeout;
                    }
                    // In slices, so that a withdrawal (OFF interrupt) ends a long wait early.
                    port.WaitForData(left > WaitSliceMilliseconds ? WaitSliceMilliseconds : (int)left);
                }
            }
        }

        /// <inheritdoc />
        public void Wait(long cycles)
        {
            if (cycles <= 0)
            {
                return;
            }
            _clock.Sleep((int)CyclesToMilliseconds(cycles));
        }

        /// <summary>The logical value of a byte read by a direct UART from an inverse-convention card, and the converse.</summary>
        public static byte InverseConvention(byte value)
        {
            return s_inverse[value];
        }

        private int Deliver()
        {
            byte raw = _rx[_rxPos++];
            if (_expectTs)
            {
                _expectTs = false;
                if (raw == 0x03 && _convention == Convention.Direct)
                {
                    _convention = Convention.Inverse;
                    ApplyFormat();
                }
                else if (raw == 0x3B && _convention == Convention.Inverse)
                {
                    _convention = Convention.Direct;
                    ApplyFormat();
                }
            }
            _lastMs = _clock.NowMilliseconds;
            return _convention == Convention.Inverse ? s_inverse[raw] : raw;
        }

        private void RemoveEcho(int n)
        {
            int frameEtu = _guardEtu > 12 ? 12 : _guardEtu;
            int timeout = (int)CyclesToMilliseconds((long)n * frameEtu * _fi / _di) + _uart.LatencyMilliseconds;
            int got = SerialReader.ReadExactly(_uart.Port, _clock, _echo, 0, n, timeout);
            if (got != n)
            {
                EchoErrors++;
                return;
            }
            for (int i = 0; i < n; i++)
            {
                if (_echo[i] != _tx[i])
                {
                    EchoErrors++;
                    return;
                }
            }
        }

        private void ResetFrame()
        {
            _convention = Convention.Direct;
            _fi = 372;
            _di = 1;
            _guardEtu = 12;
            _errorSignal = false;
            _baudRate = (int)(((long)ClockHz + 186) / 372);
        }

        private void ApplyFormat()
        {
            _uart.SetFormat(_baudRate, _convention == Convention.Inverse ? SerialParity.Odd : SerialParity.Even, _guardEtu <= 11 ? 1 : 2);
        }

        private long CyclesToMilliseconds(long cycles)
        {
            long f = ClockHz;
            return (cycles * 1000 + f - 1) / f;
        }

        private static byte[] BuildInverseTable()
        {
            byte[] table = new byte[256];
            for (int v = 0; v < 256; v++)
            {
                int reversed = 0;
                for (int bit = 0; bit < 8; bit++)
                {
                    if ((v & (1 << bit)) != 0)
                    {
                        reversed |= 0x80 >> bit;
                    }
                }
                table[v] = (byte)(~reversed & 0xFF);
            }
            return table;
        }
    }
}
