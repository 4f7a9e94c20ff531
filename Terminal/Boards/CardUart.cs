namespace Terminal.Boards
{
    /// <summary>
    /// The one card UART of the board, shared by the slots through an analog switch on the I/O line
    /// (one card spoken to at a time: bMaxCCIDBusySlots = 1). TX and RX are joined on the I/O line, so
    /// the UART hears its own characters: the card lines remove that echo.
    /// </summary>
    public sealed class CardUart
    {
        private readonly ISerialPort _port;
        private readonly IOutputPin? _select;
        private readonly IClock _clock;
        private readonly byte[] _scratch = new byte[64];
        private readonly object _sync = new object();
        private int _selected = -1;
        private int _baudRate;
        private SerialParity _parity;
        private int _stopBits;

        /// <summary>Wraps the UART and the slot-select output (low: slot 0, high: slot 1; null on a one-slot board).</summary>
        /// <param name="port">The card UART, open.</param>
        /// <param name="select">The analog switch's select input.</param>
        /// <param name="clock">The board clock.</param>
        /// <param name="echo">True when TX and RX are joined, so every character sent comes back.</param>
        /// <param name="latencyMilliseconds">Slack added to every wait for the UART driver's delivery latency.</param>
        public CardUart(ISerialPort port, IOutputPin? select, IClock clock, bool echo, int latencyMilliseconds)
        {
            _port = port;
            _select = select;
            _clock = clock;
            Echo = echo;
            LatencyMilliseconds = latencyMilliseconds;
            _baudRate = port.BaudRate;
            _parity = port.Parity;
            _stopBits = port.StopBits;
        }

        /// <summary>Lock held for a whole exchange step, so that the other slot cannot switch the line.</summary>
        public object SyncRoot
        {
            get { return _sync; }
        }

        /// <summary>The UART.</summary>
        public ISerialPort Port
        {
            get { return _port; }
        }

        /// <summary>The clock.</summary>
        public IClock Clock
        {
            get { return _clock; }
        }

        /// <summary>True when TX and RX are joined on the I/O line.</summary>
        public bool Echo { get; }

        /// <summary>Slack for the UART driver's delivery latency, in milliseconds.</summary>
        public int LatencyMilliseconds { get; }

        /// <summary>The slot whose interface chip has the line, -1 before the first selection.</summary>
        public int Selected
        {
            get { return _selected; }
        }

        /// <summary>Gives the line to <paramref name="slot"/> and drops what the UART heard before.</summary>
        public void Select(int slot)
        {
            if (_selected == slot)
            {
                return;
            }
            if (_select != null)
            {
                _select.Write(slot == 1);
            }
            _selected = slot;
            Discard();
        }

        /// <summary>Sets the character frame, touching the UART only for what changed.</summary>
        public void SetFormat(int baudRate, SerialParity parity, int stopBits)
        {
            if (_baudRate != baudRate)
            {
                _port.BaudRate = baudRate;
                _baudRate = baudRate;
            }
            if (_parity != parity)
            {
                _port.Parity = parity;
                _parity = parity;
            }
            if (_stopBits != stopBits)
            {
                _port.StopBits = stopBits;
                _stopBits = stopBits;
            }
        }

        /// <summary>Drops every byte received so far.</summary>
        public void Discard()
        {
            SerialReader.Discard(_port, _scratch);
        }
    }
}
