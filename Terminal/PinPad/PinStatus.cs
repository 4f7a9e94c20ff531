namespace Terminal.PinPad
{
    /// <summary>
    /// Status words and CCID slot errors of a secure PIN operation. The card's own status words
    /// (9000, 63Cx, 6983...) are passed through unchanged; the reader adds its own 64xx codes
    /// (PC/SC part 10, "IFDs with Secure PIN Entry Capabilities", and gemSpec_KT) when the entry
    /// itself did not produce a PIN.
    /// </summary>
    public static class PinStatus
    {
        /// <summary>Success (card).</summary>
        public const int Success = 0x9000;

        /// <summary>The entry timed out: no key within the first-digit or next-digit timer, or the overall limit passed.</summary>
        public const int Timeout = 0x6400;

        /// <summary>The entry was cancelled (Cancel key, or the card was removed during the entry).</summary>
        public const int Cancelled = 0x6401;

        /// <summary>The new PIN and its confirmation differ.</summary>
        public const int Mismatch = 0x6402;

        /// <summary>Invalid parameter in the PIN structure (PC/SC part 10), used where no CCID bError can carry the field offset.</summary>
        public const int InvalidStructure = 0x6B80;

        /// <summary>Security status not satisfied: a PIN in clear from the host while secure entry is enforced.</summary>
        public const int SecurityNotSatisfied = 0x6982;

        /// <summary>The card answered with data we could not read, or did not answer.</summary>
        public const int NoPreciseDiagnosis = 0x6F00;

        /// <summary>CCID bError PIN_TIMEOUT (CCID rev 1.1 table 6.2-2); libccid maps it to 6400.</summary>
        public const byte BErrorPinTimeout = 0xF0;

        /// <summary>CCID bError PIN_CANCELLED (CCID rev 1.1 table 6.2-2); libccid maps it to 6401.</summary>
        public const byte BErrorPinCancelled = 0xEF;

        /// <summary>CCID bError ICC_MUTE: the card did not answer, or is gone.</summary>
        public const byte BErrorIccMute = 0xFE;

        /// <summary>CCID bError HW_ERROR.</summary>
        public const byte BErrorHardware = 0xFB;

        /// <summary>True for 63Cx: wrong PIN, x tries left.</summary>
        public static bool IsWrongPin(int statusWord)
        {
            return (statusWord & 0xFFF0) == 0x63C0;
        }

        /// <summary>True for the card's "authentication method blocked" (6983).</summary>
        public static bool IsBlocked(int statusWord)
        {
            return statusWord == 0x6983;
        }
    }
}
