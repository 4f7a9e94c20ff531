using Terminal.Iso7816;

namespace Terminal.Boards
{
    /// <summary>
    /// What the firmware needs from the hardware it runs on: the card lines of its slots, the keypad,
    /// the display, the indicators, the host port and a clock. The ESP32 board, the Linux board and
    /// the virtual board implement it; everything above talks only to these interfaces.
    /// </summary>
    public interface IBoard
    {
        /// <summary>A short name for logs and the firmware string ("virtual", "esp32-devkitc", ...).</summary>
        string Name { get; }

        /// <summary>Number of card slots (slot 0: Carte Vitale, slot 1: CPx card).</summary>
        int SlotCount { get; }

        /// <summary>The card line of a slot, 0 to <see cref="SlotCount"/> - 1.</summary>
        ICardLine GetCardLine(int slot);

        /// <summary>Voltage classes the slot's interface chip can supply, as CCID bVoltageSupport bits (1 = A, 2 = B, 4 = C).</summary>
        int VoltageSupport { get; }

        /// <summary>The highest data rate the card UART can run, in bits per second.</summary>
        int MaxDataRate { get; }

        /// <summary>The keypad, or null when the board has none.</summary>
        IKeypad? Keypad { get; }

        /// <summary>The character display, or null when the board has none.</summary>
        ITextDisplay? Display { get; }

        /// <summary>The LEDs and the buzzer.</summary>
        IIndicators Indicators { get; }

        /// <summary>The monotonic clock the firmware's timers use (virtual time on the virtual board).</summary>
        IClock Clock { get; }
    }

    /// <summary>A monotonic millisecond clock and a way to wait on it.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary origin; never goes back.</summary>
        long NowMilliseconds { get; }

        /// <summary>Lets <paramref name="milliseconds"/> pass.</summary>
        void Sleep(int milliseconds);
    }

    /// <summary>Keys of the reader's keypad.</summary>
    public enum Key
    {
        /// <summary>No key (a timeout).</summary>
        None = -1,
        /// <summary>Digit 0.</summary>
        Digit0 = 0,

        /// <summary>Digit 1.</summary>
        Digit1 = 1,

        /// <summary>Digit 2.</summary>
        Digit2 = 2,

        /// <summary>Digit 3.</summary>
        Digit3 = 3,

        /// <summary>Digit 4.</summary>
        Digit4 = 4,

        /// <summary>Digit 5.</summary>
        Digit5 = 5,

        /// <summary>Digit 6.</summary>
        Digit6 = 6,

        /// <summary>Digit 7.</summary>
        Digit7 = 7,

        /// <summary>Digit 8.</summary>
        Digit8 = 8,

        /// <summary>Digit 9.</summary>
        Digit9 = 9,


        /// <summary>Green key: validate.</summary>
        Ok = 10,

        /// <summary>Red key: abort.</summary>
        Cancel = 11,

        /// <summary>Yellow key: remove the last digit.</summary>
        Correction = 12,
    }

    /// <summary>A source of debounced key presses.</summary>
    public interface IKeypad
    {
        /// <summary>Waits at most <paramref name="timeoutMilliseconds"/> for the next key press; <see cref="Key.None"/> on timeout.</summary>
        Key ReadKey(int timeoutMilliseconds);

        /// <summary>Forgets keys pressed before now (called before a PIN entry starts).</summary>
        void Flush();
    }

    /// <summary>A character display of <see cref="Rows"/> lines of <see cref="Columns"/> characters.</summary>
    public interface ITextDisplay
    {
        /// <summary>Number of lines (2 on the reference board).</summary>
        int Rows { get; }

        /// <summary>Characters a line (16 on the reference board).</summary>
        int Columns { get; }

        /// <summary>Shows <paramref name="text"/> on line <paramref name="row"/>, cut or padded to the width.</summary>
        void Show(int row, string text);

        /// <summary>Blanks every line.</summary>
        void Clear();
    }

    /// <summary>The LEDs and the buzzer. Only the firmware drives the secure-mode LED.</summary>
    public interface IIndicators
    {
        /// <summary>Lights the secure-mode LED for the whole of a PIN entry, and at no other time.</summary>
        void SetSecureMode(bool on);

        /// <summary>Lights the card-access LED of a slot while an exchange with its card is in flight.</summary>
        void SetCardAccess(int slot, bool on);

        /// <summary>Sounds the buzzer for <paramref name="milliseconds"/>.</summary>
        void Beep(int milliseconds);
    }
}
