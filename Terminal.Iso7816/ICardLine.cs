namespace Terminal.Iso7816
{
    /// <summary>
    /// The card's contacts as the protocol engine sees them: I/O characters with timeouts, and
    /// contact control (VCC and class, RST, CLK, presence). A board's UART driver, and the
    /// simulator's byte-level virtual card, implement it; the engine runs unchanged on either.
    /// </summary>
    /// <remarks>
    /// Time is counted in card clock cycles (f = <see cref="ClockHz"/>), the unit of ISO/IEC 7816-3:
    /// ETU = Fi / Di cycles. <see cref="Configure"/> tells the line the character frame to use
    /// (convention, Fi/Di, guard time); the line applies it to both directions. Characters are
    /// always exchanged as logical values: the line does the inverse-convention transform and
    /// removes the echo of what it sent.
    /// </remarks>
    public interface ICardLine
    {
        /// <summary>The card clock frequency f in Hz while the clock runs.</summary>
        int ClockHz { get; }

        /// <summary>A monotonic count of card clock cycles since the line was created.</summary>
        long Now { get; }

        /// <summary>True while a card sits in the connector (the presence switch is closed).</summary>
        bool CardPresent { get; }

        /// <summary>Switches VCC: <see cref="VoltageClass.None"/> removes it, otherwise the class's voltage.</summary>
        void SetVcc(VoltageClass voltageClass);

        /// <summary>Drives RST high (true) or low (false).</summary>
        void SetReset(bool high);

        /// <summary>Starts or stops the card clock; a stopped clock is held in its low state.</summary>
        void SetClock(bool running);

        /// <summary>
        /// Sets the character frame: convention, the rate adjustment Fi/Di, and the guard time (total
        /// ETUs from the start of one reader character to the start of the next: 12 + N, or 11 when
        /// N = 255 in T=1). <paramref name="errorSignal"/> enables the T=0 error signal and
        /// character repetition.
        /// </summary>
        void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal);

        /// <summary>Sends characters to the card, spaced by the configured guard time.</summary>
        void Send(byte[] buffer, int offset, int count);

        /// <summary>
        /// Waits at most <paramref name="timeoutCycles"/> card clock cycles, counted from the end of
        /// the last character sent or received, for the start of the next character from the card.
        /// Returns the character (0 to 255); the character ORed with <see cref="LineStatus.ParityError"/>
        /// when its parity was wrong; <see cref="LineStatus.Timeout"/>; or <see cref="LineStatus.NoCard"/>
        /// when the card is absent or unpowered.
        /// </summary>
        int Receive(long timeoutCycles);

        /// <summary>Lets <paramref name="cycles"/> card clock cycles pass (delays of the activation sequence, BGT).</summary>
        void Wait(long cycles);
    }

    /// <summary>Results of <see cref="ICardLine.Receive"/> other than a plain character.</summary>
    public static class LineStatus
    {
        /// <summary>No character started within the timeout.</summary>
        public const int Timeout = -1;

        /// <summary>The card is absent or not powered.</summary>
        public const int NoCard = -2;

        /// <summary>Flag ORed with the character's value when its parity was wrong.</summary>
        public const int ParityError = 0x100;
    }

    /// <summary>Coding convention of the characters (ISO/IEC 7816-3 §8.1, TS).</summary>
    public enum Convention
    {
        /// <summary>TS = 3B: high level is 1, least significant bit first.</summary>
        Direct = 0,

        /// <summary>TS = 3F: low level is 1, most significant bit first.</summary>
        Inverse = 1,
    }

    /// <summary>Supply voltage classes (ISO/IEC 7816-3 §5.1.3).</summary>
    public enum VoltageClass
    {
        /// <summary>No supply: contacts deactivated.</summary>
        None = 0,

        /// <summary>Class A, 5 V.</summary>
        A = 1,

        /// <summary>Class B, 3 V.</summary>
        B = 2,

        /// <summary>Class C, 1.8 V.</summary>
        C = 3,
    }
}
