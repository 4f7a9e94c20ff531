namespace Terminal.Iso7816.SecureMessaging
{
    /// <summary>
    /// The negative results of <see cref="SecureMessagingCodec.Wrap"/> and <see cref="SecureMessagingCodec.Unwrap"/>.
    /// Any of them on a response means the channel can no longer be trusted: the caller ends it and wipes the keys.
    /// </summary>
    public static class SecureMessagingError
    {
        /// <summary>The command is not a valid ISO/IEC 7816-4 5.1 APDU (length fields disagree with the length).</summary>
        public const int MalformedCommand = -1;

        /// <summary>CLA cannot carry secure messaging: 0xFF, or secure messaging bits already set.</summary>
        public const int UnsupportedClass = -2;

        /// <summary>The output buffer is too small (see <see cref="SecureMessagingCodec.MaxWrapOverhead"/>; an
        /// unwrapped response needs the cryptogram length plus 2).</summary>
        public const int OutputTooSmall = -3;

        /// <summary>The protected command would exceed 65 535 bytes of data.</summary>
        public const int CommandTooLong = -4;

        /// <summary>The response is only a status word, without secure messaging objects (the card left secure
        /// messaging, e.g. 6987 or 6988); <see cref="SecureMessagingCodec.LastStatusWord"/> holds it.</summary>
        public const int PlainStatus = -10;

        /// <summary>The response's data objects are not well formed (BER lengths, order, DO'99' or DO'8E' length,
        /// padding-content indicator other than 01, cryptogram not a whole number of blocks).</summary>
        public const int MalformedResponse = -11;

        /// <summary>The response has no cryptographic checksum DO'8E'.</summary>
        public const int MissingChecksum = -12;

        /// <summary>The response has no processing status DO'99'.</summary>
        public const int MissingStatus = -13;

        /// <summary>DO'8E' does not match the checksum computed over the response.</summary>
        public const int ChecksumMismatch = -14;

        /// <summary>The decrypted data does not end with ISO/IEC 9797-1 padding method 2.</summary>
        public const int BadPadding = -15;

        /// <summary>The response holds a data object other than DO'85', DO'87', DO'99' and DO'8E'.</summary>
        public const int UnexpectedObject = -16;
    }
}
