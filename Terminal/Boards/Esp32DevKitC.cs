namespace Terminal.Boards
{
    /// <summary>
    /// The reference board's values compiled in for nanoFramework (which has no file system to read
    /// hardware/boards/esp32-devkitc.json from). A desktop test loads the JSON and compares it with
    /// <see cref="Create"/> field by field; change both together. The pin map is explained pin by pin
    /// in hardware/README.md.
    /// </summary>
    public static class Esp32DevKitC
    {
        private const int Sr = BoardConfig.ShiftRegisterBase;

        /// <summary>A fresh copy of the ESP32-WROOM-32 DevKitC board description.</summary>
        public static BoardConfig Create()
        {
            BoardConfig c = new BoardConfig();
            c.Name = "esp32-devkitc";

            c.CardUart = "COM2";
            c.CardTxPin = 26;
            c.CardRxPin = 27;
            c.CardEcho = true;
            c.CardClockPin = 32;
            c.PwmChip = 0;
            c.PwmChannel = 0;
            c.CardClockHz = 5000000;
            c.MaxDataRate = 250000;
            c.VoltageSupport = 3;
            c.SlotSelectPin = Sr + 11;
            c.ActivationMicroseconds = 1000;
            c.DeactivationMicroseconds = 200;
            c.SerialLatencyMilliseconds = 10;

            SlotConfig vitale = new SlotConfig();
            vitale.VccEnablePin = 21;
            vitale.RstInPin = 4;
            vitale.ClassSelectPin = Sr + 9;
            vitale.OffPin = 34;
            vitale.AccessLedPin = Sr + 6;
            SlotConfig cpx = new SlotConfig();
            cpx.VccEnablePin = 22;
            cpx.RstInPin = 5;
            cpx.ClassSelectPin = Sr + 10;
            cpx.OffPin = 35;
            cpx.AccessLedPin = Sr + 7;
            c.Slots = new SlotConfig[] { vitale, cpx };

            c.HostUart = "COM3";
            c.HostTxPin = 17;
            c.HostRxPin = 16;
            c.HostBaudRate = 115200;
            c.HostParity = SerialParity.None;
            c.HostStopBits = 2;

            c.ShiftDataPin = 13;
            c.ShiftClockPin = 14;
            c.ShiftLatchPin = 2;
            c.ShiftOutputEnablePin = 33;
            c.ShiftLength = 16;

            c.DisplayKind = "hd44780-4bit";
            c.DisplayRows = 2;
            c.DisplayColumns = 16;
            c.LcdRsPin = Sr + 0;
            c.LcdEPin = Sr + 1;
            c.LcdDataPins = new int[] { Sr + 2, Sr + 3, Sr + 4, Sr + 5 };

            c.KeypadRowPins = new int[] { 18, 19, 23, 12 };
            c.KeypadColumnPins = new int[] { 36, 39, 0, 15 };
            c.KeypadLayout = new string[]
            {
                "1", "2", "3", "CANCEL",
                "4", "5", "6", "CORRECTION",
                "7", "8", "9", "",
                "", "0", "", "OK",
            };
            c.KeypadScanMilliseconds = 5;
            c.KeypadDebounceScans = 4;

            c.SecureLedPin = 25;
            c.BuzzerPin = Sr + 8;
            return c;
        }
    }
}
