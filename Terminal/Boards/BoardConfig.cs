namespace Terminal.Boards
{
    /// <summary>
    /// A board description: the values of hardware/boards/&lt;board&gt;.json. The Linux board reads them from
    /// the file (Desktop/Boards/BoardJson.cs); nanoFramework has them compiled in (<see cref="Esp32DevKitC"/>),
    /// and a test checks that the two agree.
    /// </summary>
    /// <remarks>
    /// A pin is a number: a GPIO (0 and up), an output of the 74HC595 chain
    /// (<see cref="ShiftRegisterBase"/> + n, "SRn" in the JSON), or <see cref="NoPin"/>.
    /// </remarks>
    public sealed class BoardConfig
    {
        /// <summary>No pin.</summary>
        public const int NoPin = -1;

        /// <summary>Pin numbers from here on are outputs of the shift-register chain.</summary>
        public const int ShiftRegisterBase = 1000;

        /// <summary>Board name ("esp32-devkitc", "raspberry-pi").</summary>
        public string Name = "";

        /// <summary>Card UART name ("COM2", "/dev/ttyAMA0").</summary>
        public string CardUart = "";

        /// <summary>Card UART TX GPIO.</summary>
        public int CardTxPin = NoPin;

        /// <summary>Card UART RX GPIO.</summary>
        public int CardRxPin = NoPin;

        /// <summary>True when TX and RX are joined on the I/O line (every character sent is heard back).</summary>
        public bool CardEcho = true;

        /// <summary>Card clock (PWM) GPIO.</summary>
        public int CardClockPin = NoPin;

        /// <summary>PWM chip of the card clock (Linux sysfs pwmchip; the timer on the ESP32).</summary>
        public int PwmChip;

        /// <summary>PWM channel of the card clock.</summary>
        public int PwmChannel;

        /// <summary>Card clock frequency f in Hz.</summary>
        public int CardClockHz;

        /// <summary>Highest card data rate the UART path runs, bits per second.</summary>
        public int MaxDataRate;

        /// <summary>Voltage classes as CCID bVoltageSupport bits (1 = A 5 V, 2 = B 3 V).</summary>
        public int VoltageSupport;

        /// <summary>Analog switch select (low: slot 0 has the I/O line, high: slot 1).</summary>
        public int SlotSelectPin = NoPin;

        /// <summary>Time the interface chip's activation sequence takes (CMDVCC low to VCC, I/O and CLK up).</summary>
        public int ActivationMicroseconds;

        /// <summary>Time its deactivation takes.</summary>
        public int DeactivationMicroseconds;

        /// <summary>Slack added to card-line waits for the UART driver's delivery latency.</summary>
        public int SerialLatencyMilliseconds;

        /// <summary>The card slots (0: Carte Vitale, 1: CPx card).</summary>
        public SlotConfig[] Slots = new SlotConfig[0];

        /// <summary>Host UART name ("COM3", "/dev/ttyAMA1").</summary>
        public string HostUart = "";

        /// <summary>Host UART TX GPIO.</summary>
        public int HostTxPin = NoPin;

        /// <summary>Host UART RX GPIO.</summary>
        public int HostRxPin = NoPin;

        /// <summary>Host UART rate.</summary>
        public int HostBaudRate;

        /// <summary>Host UART parity.</summary>
        public SerialParity HostParity;

        /// <summary>Host UART stop bits.</summary>
        public int HostStopBits;

        /// <summary>74HC595 SER GPIO.</summary>
        public int ShiftDataPin = NoPin;

        /// <summary>74HC595 SRCLK GPIO.</summary>
        public int ShiftClockPin = NoPin;

        /// <summary>74HC595 RCLK GPIO.</summary>
        public int ShiftLatchPin = NoPin;

        /// <summary>74HC595 /OE GPIO (pulled up on the board).</summary>
        public int ShiftOutputEnablePin = NoPin;

        /// <summary>Outputs in the chain (8 a register); 0 when there is none.</summary>
        public int ShiftLength;

        /// <summary>Display kind: "hd44780-4bit" or "none".</summary>
        public string DisplayKind = "none";

        /// <summary>Display lines.</summary>
        public int DisplayRows;

        /// <summary>Display characters a line.</summary>
        public int DisplayColumns;

        /// <summary>HD44780 RS.</summary>
        public int LcdRsPin = NoPin;

        /// <summary>HD44780 E.</summary>
        public int LcdEPin = NoPin;

        /// <summary>HD44780 D4, D5, D6, D7.</summary>
        public int[] LcdDataPins = new int[0];

        /// <summary>Keypad row outputs, top to bottom.</summary>
        public int[] KeypadRowPins = new int[0];

        /// <summary>Keypad column inputs, left to right.</summary>
        public int[] KeypadColumnPins = new int[0];

        /// <summary>Key names row by row ("0"-"9", "OK", "CANCEL", "CORRECTION", "" for no key).</summary>
        public string[] KeypadLayout = new string[0];

        /// <summary>Time between keypad scans.</summary>
        public int KeypadScanMilliseconds;

        /// <summary>Scans a key state must last to count.</summary>
        public int KeypadDebounceScans;

        /// <summary>Secure-mode LED.</summary>
        public int SecureLedPin = NoPin;

        /// <summary>Buzzer (active buzzer through a transistor).</summary>
        public int BuzzerPin = NoPin;

        /// <summary>True for a pin of the shift-register chain.</summary>
        public static bool IsShiftRegister(int pin)
        {
            return pin >= ShiftRegisterBase;
        }

        /// <summary>The key a layout name stands for; <see cref="Key.None"/> for "" or an unknown name.</summary>
        public static Key ParseKey(string name)
        {
            if (name.Length == 1 && name[0] >= '0' && name[0] <= '9')
            {
                return (Key)(name[0] - '0');
            }
            if (name == "OK")
            {
                return Key.Ok;
            }
            if (name == "CANCEL")
            {
                return Key.Cancel;
            }
            if (name == "CORRECTION")
            {
                return Key.Correction;
            }
            return Key.None;
        }

        /// <summary>The keypad map for <see cref="MatrixKeypad"/>.</summary>
        public Key[] KeypadMap()
        {
            Key[] map = new Key[KeypadLayout.Length];
            for (int i = 0; i < map.Length; i++)
            {
                map[i] = ParseKey(KeypadLayout[i]);
            }
            return map;
        }
    }

    /// <summary>The pins of one slot's interface chip (TDA8024 / NCN8025) and its LED.</summary>
    public sealed class SlotConfig
    {
        /// <summary>VCCEN: high pulls the chip's CMDVCC low through an N-MOSFET (activation); the gate is pulled down on the board.</summary>
        public int VccEnablePin = BoardConfig.NoPin;

        /// <summary>RSTIN.</summary>
        public int RstInPin = BoardConfig.NoPin;

        /// <summary>5V/3V (high: 5 V).</summary>
        public int ClassSelectPin = BoardConfig.NoPin;

        /// <summary>OFF (open drain, low: no card or fault), an interrupt input.</summary>
        public int OffPin = BoardConfig.NoPin;

        /// <summary>Card-access LED.</summary>
        public int AccessLedPin = BoardConfig.NoPin;
    }
}
