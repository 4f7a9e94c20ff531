namespace Terminal.Tracing
{
    /// <summary>
    /// Finds the PIN-carrying data of a command APDU so that traces and logs never hold a PIN:
    /// VERIFY (INS 20), CHANGE REFERENCE DATA (24) and RESET RETRY COUNTER (2C) with command data.
    /// </summary>
    public static class PinMask
    {
        /// <summary>The byte written in place of every masked byte.</summary>
        public const byte Marker = 0x2A; // '*'

        /// <summary>True when the INS of an ISO 7816-4 command carries reference data (a PIN, an unblock code).</summary>
        public static bool IsPinInstruction(byte ins)
        {
            return ins == 0x20 || ins == 0x21 || ins == 0x24 || ins == 0x2C;
        }

        /// <summary>
        /// Overwrites with <see cref="Marker"/> the command data of a short or extended command APDU
        /// at <paramref name="offset"/> if it carries a PIN. Returns the count of bytes masked (0 if none).
        /// </summary>
        public static int MaskCommandApdu(byte[] apdu, int offset, int length)
        {
            if (length <= 5 || !IsPinInstruction(apdu[offset + 1]))
            {
                return 0;
            }
            return MaskCommandData(apdu, offset, length);
        }

        /// <summary>
        /// Overwrites with <see cref="Marker"/> the command data of a short or extended command APDU (or
        /// T=0 TPDU) whatever its INS: for a command known to carry a PIN, such as the one the PIN pad
        /// builds from the host's template (its INS may be proprietary). Returns the count of bytes masked.
        /// </summary>
        public static int MaskCommandData(byte[] apdu, int offset, int length)
        {
            if (length <= 5)
            {
                return 0;
            }
            int dataStart = offset + 5;
            int dataLength = apdu[offset + 4];
            if (dataLength == 0 && length >= 7)
            {
                dataStart = offset + 7; // extended Lc: 00 Lc1 Lc2
                dataLength = (apdu[offset + 5] << 8) | apdu[offset + 6];
            }
            int end = offset + length;
            int masked = 0;
            for (int i = dataStart; i < end && i < dataStart + dataLength; i++)
            {
                apdu[i] = Marker;
                masked++;
            }
            return masked;
        }

        /// <summary>
        /// Masks the PIN in what a PC_to_RDR_XfrBlock or PC_to_RDR_Secure carries after its header: a
        /// command APDU (T=0 TPDU, APDU level) or a T=1 I-block whose information field holds one.
        /// Returns the count of bytes masked (0 if none).
        /// </summary>
        public static int MaskCcidPayload(byte[] payload, int offset, int length)
        {
            int masked = MaskCommandApdu(payload, offset, length);
            if (masked == 0 && length > 4 && (payload[offset + 1] & 0x80) == 0 && payload[offset + 2] + 3 < length)
            {
                masked = MaskCommandApdu(payload, offset + 3, payload[offset + 2]);
            }
            return masked;
        }
    }
}
