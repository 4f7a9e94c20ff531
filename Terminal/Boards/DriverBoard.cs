using Terminal.Iso7816;

namespace Terminal.Boards
{
    /// <summary>
    /// <see cref="IBoard"/> on real hardware: the drivers of this folder wired from a
    /// <see cref="BoardConfig"/> onto a <see cref="IBoardPlatform"/>. The ESP32 DevKitC and the
    /// Raspberry Pi are this class with different configs and platforms.
    /// </summary>
    /// <remarks>
    /// Construction order is the board's safe power-up order: VCCEN low (CMDVCC high) and RSTIN low first (no card
    /// may see VCC before the firmware asks), then the shift-register chain cleared before its outputs
    /// are enabled, then everything else.
    /// </remarks>
    public sealed class DriverBoard : IBoard
    {
        private readonly BoardConfig _config;
        private readonly IBoardPlatform _platform;
        private readonly ShiftRegisterOutputs? _shift;
        private readonly Tda8024Contact[] _contacts;
        private readonly UartCardLine[] _lines;
        private readonly CardUart _cardUart;
        private readonly CardClock _cardClock;
        private readonly MatrixKeypad? _keypad;
        private readonly Hd44780Display? _display;
        private readonly PinIndicators _indicators;
        private readonly SerialHostPort _host;

        /// <summary>Opens every pin and port of <paramref name="config"/> on <paramref name="platform"/>.</summary>
        public DriverBoard(BoardConfig config, IBoardPlatform platform)
        {
            _config = config;
            _platform = platform;
            IClock clock = platform.Clock;
            int slots = config.Slots.Length;

            // Contact pins on GPIOs first, in their inactive state.
            IOutputPin[] vccEnable = new IOutputPin[slots];
            IOutputPin[] rstIn = new IOutputPin[slots];
            for (int i = 0; i < slots; i++)
            {
                vccEnable[i] = platform.OpenOutput(config.Slots[i].VccEnablePin, false);
                rstIn[i] = platform.OpenOutput(config.Slots[i].RstInPin, false);
            }

            if (config.ShiftLength > 0)
            {
                // /OE stays released (pulled up: outputs off) until the chain holds zeros; opening it as an
                // output then enables outputs that are already cleared.
                _shift = new ShiftRegisterOutputs(
                    platform.OpenOutput(config.ShiftDataPin, false),
                    platform.OpenOutput(config.ShiftClockPin, false),
                    platform.OpenOutput(config.ShiftLatchPin, false),
                    null,
                    config.ShiftLength);
                if (config.ShiftOutputEnablePin != BoardConfig.NoPin)
                {
                    platform.OpenOutput(config.ShiftOutputEnablePin, false);
                }
            }

            _cardClock = new CardClock(platform.OpenClock(config.CardClockPin, config.PwmChip, config.PwmChannel, config.CardClockHz));
            ISerialPort cardPort = platform.OpenSerial(config.CardUart, (config.CardClockHz + 186) / 372, SerialParity.Even, 2);
            IOutputPin? select = config.SlotSelectPin == BoardConfig.NoPin ? null : Output(config.SlotSelectPin, false);
            _cardUart = new CardUart(cardPort, select, clock, config.CardEcho, config.SerialLatencyMilliseconds);

            _contacts = new Tda8024Contact[slots];
            _lines = new UartCardLine[slots];
            IOutputPin[] access = new IOutputPin[slots];
            for (int i = 0; i < slots; i++)
            {
                SlotConfig s = config.Slots[i];
                _contacts[i] = new Tda8024Contact(i, vccEnable[i], rstIn[i], Output(s.ClassSelectPin, true), platform.OpenInput(s.OffPin, false), clock,
                    config.ActivationMicroseconds, config.DeactivationMicroseconds);
                _contacts[i].Changed += OnContactChanged;
                _lines[i] = new UartCardLine(i, _cardUart, _contacts[i], _cardClock);
                access[i] = Output(s.AccessLedPin, false);
            }

            _indicators = new PinIndicators(Output(config.SecureLedPin, false), access, Output(config.BuzzerPin, false), clock);

            if (config.KeypadRowPins.Length > 0)
            {
                IOutputPin[] rows = new IOutputPin[config.KeypadRowPins.Length];
                for (int r = 0; r < rows.Length; r++)
                {
                    rows[r] = platform.OpenOpenDrainOutput(config.KeypadRowPins[r]);
                }
                IInputPin[] columns = new IInputPin[config.KeypadColumnPins.Length];
                for (int c = 0; c < columns.Length; c++)
                {
                    columns[c] = platform.OpenInput(config.KeypadColumnPins[c], true);
                }
                _keypad = new MatrixKeypad(rows, columns, config.KeypadMap(), clock, config.KeypadScanMilliseconds, config.KeypadDebounceScans);
            }

            if (config.DisplayKind == "hd44780-4bit")
            {
                IHd44780Bus bus;
                if (_shift != null && BoardConfig.IsShiftRegister(config.LcdRsPin) && BoardConfig.IsShiftRegister(config.LcdEPin))
                {
                    int[] data = new int[4];
                    for (int i = 0; i < 4; i++)
                    {
                        data[i] = config.LcdDataPins[i] - BoardConfig.ShiftRegisterBase;
                    }
                    bus = new ShiftRegisterHd44780Bus(_shift, config.LcdRsPin - BoardConfig.ShiftRegisterBase, config.LcdEPin - BoardConfig.ShiftRegisterBase, data);
                }
                else
                {
                    IOutputPin[] data = new IOutputPin[4];
                    for (int i = 0; i < 4; i++)
                    {
                        data[i] = Output(config.LcdDataPins[i], false);
                    }
                    bus = new GpioHd44780Bus(Output(config.LcdRsPin, false), Output(config.LcdEPin, false), data);
                }
                _display = new Hd44780Display(bus, clock, platform.Delay, config.DisplayRows, config.DisplayColumns);
            }

            _host = new SerialHostPort(platform.OpenSerial(config.HostUart, config.HostBaudRate, config.HostParity, config.HostStopBits), clock);
        }

        /// <summary>Raised when a slot's card was inserted or removed or its chip reported a fault (from the GPIO thread).</summary>
        public event SlotEventHandler CardChanged
        {
            add { lock (_eventSync) { _cardChanged = (SlotEventHandler?)System.Delegate.Combine(_cardChanged, value); } }
            remove { lock (_eventSync) { _cardChanged = (SlotEventHandler?)System.Delegate.Remove(_cardChanged, value); } }
        }

        // Explicit accessors: a field-like event would compile to the generic Interlocked.CompareExchange<T> on .NET.
        private readonly object _eventSync = new object();
        private SlotEventHandler? _cardChanged;

        /// <inheritdoc />
        public string Name
        {
            get { return _config.Name; }
        }

        /// <inheritdoc />
        public int SlotCount
        {
            get { return _lines.Length; }
        }

        /// <inheritdoc />
        public int VoltageSupport
        {
            get { return _config.VoltageSupport; }
        }

        /// <inheritdoc />
        public int MaxDataRate
        {
            get { return _config.MaxDataRate; }
        }

        /// <inheritdoc />
        public IKeypad? Keypad
        {
            get { return _keypad; }
        }

        /// <inheritdoc />
        public ITextDisplay? Display
        {
            get { return _display; }
        }

        /// <inheritdoc />
        public IIndicators Indicators
        {
            get { return _indicators; }
        }

        /// <inheritdoc />
        public IClock Clock
        {
            get { return _platform.Clock; }
        }

        /// <summary>The board description it was built from.</summary>
        public BoardConfig Config
        {
            get { return _config; }
        }

        /// <summary>The keypad driver (for the background scan and the self-test's key combinations).</summary>
        public MatrixKeypad? KeypadDriver
        {
            get { return _keypad; }
        }

        /// <summary>The display driver (for its initialisation and the self-test pattern).</summary>
        public Hd44780Display? DisplayDriver
        {
            get { return _display; }
        }

        /// <summary>The host link's byte stream.</summary>
        public IHostPort HostPort
        {
            get { return _host; }
        }

        /// <summary>The card clock shared by the slots.</summary>
        public CardClock CardClock
        {
            get { return _cardClock; }
        }

        /// <inheritdoc />
        public ICardLine GetCardLine(int slot)
        {
            return _lines[slot];
        }

        /// <summary>The UART card line of a slot, with its driver-level members.</summary>
        public UartCardLine GetUartCardLine(int slot)
        {
            return _lines[slot];
        }

        /// <summary>Initialises the display (the datasheet sequence, about 60 ms) and blanks it.</summary>
        public void Start()
        {
            if (_display != null)
            {
                _display.Initialize();
            }
        }

        private IOutputPin Output(int pin, bool initialHigh)
        {
            if (BoardConfig.IsShiftRegister(pin))
            {
                if (_shift == null)
                {
                    throw new System.ArgumentException("board " + _config.Name + ": pin SR" + (pin - BoardConfig.ShiftRegisterBase) + " but no shift register");
                }
                IOutputPin output = _shift.GetOutput(pin - BoardConfig.ShiftRegisterBase);
                output.Write(initialHigh);
                return output;
            }
            return _platform.OpenOutput(pin, initialHigh);
        }

        private void OnContactChanged(int slot)
        {
            SlotEventHandler? handler = _cardChanged;
            if (handler != null)
            {
                handler(slot);
            }
        }
    }
}
