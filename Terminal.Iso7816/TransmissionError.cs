namespace Terminal.Iso7816
{
    /// <summary>
    /// Negative result codes of every exchange method of the engine (a result &gt;= 0 is a length or
    /// success). Values are stable, distinct and map one to one onto CCID bError values in the layer
    /// above. <see cref="Mute"/> and <see cref="CardRemoved"/> equal <see cref="LineStatus.Timeout"/>
    /// and <see cref="LineStatus.NoCard"/> so that line statuses pass through unchanged.
    /// </summary>
    public static class TransmissionError
    {
        /// <summary>No character within the waiting time (ATR timing, WWT, BWT, CWT). CCID ICC_MUTE.</summary>
        public const int Mute = -1;

        /// <summary>The card is absent or unpowered. CCID ICC_MUTE with the card reported absent.</summary>
        public const int CardRemoved = -2;

        /// <summary>A character arrived with wrong parity after the line's repetitions. CCID XFR_PARITY_ERROR.</summary>
        public const int ParityError = -3;

        /// <summary>The card sent more than the caller's buffer can take. CCID XFR_OVERRUN.</summary>
        public const int Overrun = -4;

        /// <summary>A T=0 procedure byte that is neither NULL, INS, ~INS, 6x nor 9x. CCID PROCEDURE_BYTE_CONFLICT.</summary>
        public const int ProcedureByteConflict = -5;

        /// <summary>The first ATR character is neither 3B nor 3F. CCID BAD_ATR_TS.</summary>
        public const int BadAtrTs = -6;

        /// <summary>The ATR check character TCK is wrong. CCID BAD_ATR_TCK.</summary>
        public const int BadAtrTck = -7;

        /// <summary>The ATR is malformed, truncated or too slow (details in <see cref="Atr.LastError"/>). CCID HW_ERROR.</summary>
        public const int BadAtr = -8;

        /// <summary>T=1 error recovery exhausted without a valid block. CCID HW_ERROR.</summary>
        public const int ProtocolError = -9;

        /// <summary>T=1 RESYNCH failed and the card was deactivated (ISO/IEC 7816-3 §11.6.3.2). CCID DEACTIVATED_PROTOCOL.</summary>
        public const int Deactivated = -10;

        /// <summary>The exchange was aborted by the caller or by the card (S(ABORT)). CCID CMD_ABORTED.</summary>
        public const int Aborted = -11;

        /// <summary>The PPS response is not an acceptable answer: deactivate, reset, stay at default. CCID ICC_PROTOCOL_NOT_SUPPORTED.</summary>
        public const int PpsFailed = -12;

        /// <summary>A protocol the card or the engine does not offer. CCID ICC_PROTOCOL_NOT_SUPPORTED.</summary>
        public const int ProtocolNotSupported = -13;

        /// <summary>The command given by the caller is malformed (APDU length rules, TPDU header). CCID CMD_NOT_SUPPORTED or a bad-field offset.</summary>
        public const int BadCommand = -14;

        /// <summary>No card session is active: power the card on first. CCID ICC_MUTE.</summary>
        public const int NotActive = -15;

        /// <summary>A short name for logs and traces ("Mute", "ParityError"...); "Ok" for a non-negative value.</summary>
        public static string Name(int code)
        {
            switch (code)
            {
                case Mute: return "Mute";
                case CardRemoved: return "CardRemoved";
                case ParityError: return "ParityError";
                case Overrun: return "Overrun";
                case ProcedureByteConflict: return "ProcedureByteConflict";
                case BadAtrTs: return "BadAtrTs";
                case BadAtrTck: return "BadAtrTck";
                case BadAtr: return "BadAtr";
                case ProtocolError: return "ProtocolError";
                case Deactivated: return "Deactivated";
                case Aborted: return "Aborted";
                case PpsFailed: return "PpsFailed";
                case ProtocolNotSupported: return "ProtocolNotSupported";
                case BadCommand: return "BadCommand";
                case NotActive: return "NotActive";
                default: return code >= 0 ? "Ok" : "Unknown";
            }
        }
    }
}
