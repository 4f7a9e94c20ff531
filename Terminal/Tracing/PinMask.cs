namespace Terminal.Tracing
{
    /// <summary>
    /// Finds the PIN-carrying data of a command APDU so that traces and logs never hold a PIN:
    /// VERIFY (INS 20), CHANGE REFERENCE DATA (24) and RESET RETRY COUNTER (2C) with command data, and the
    /// EstablishPACEChannel pseudo-APDUs (boxing FF 9A 04 02, PPDU FF C2 01 20), whose data may hold the PIN or CAN.
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
            if (length <= 5 || !(IsPinInstruction(apdu[offset + 1]) || IsPaceEstablish(apdu, offset)))
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

        /// <summary>True for EstablishPACEChannel as a pseudo-APDU: boxing FF 9A 04 02 or PPDU FF C2 01 20.</summary>
        public static bool IsPaceEstablish(byte[] apdu, int offset)
        {
            if (apdu[offset] != 0xFF)
            {
                return false;
            }
            byte ins = apdu[offset + 1];
            return (ins == 0x9A && apdu[offset + 2] == 0x04 && apdu[offset + 3] == 0x02)
                || (ins == 0xC2 && apdu[offset + 2] == 0x01 && apdu[offset + 3] == 0x20);
        }

        /// <summary>
        /// Masks in place the PIN data of a whole CCID message at <paramref name="at"/>: the APDU or T=1 I-block of
        /// a PC_to_RDR_XfrBlock, and of a PC_to_RDR_Secure its boxed APDU or, for bPINOperation 20h
        /// (EstablishPACEChannel), everything after bPINOperation. Returns the bytes masked.
        /// </summary>
        public static int MaskCcidMessage(byte[] message, int at, int length)
        {
            if (length <= 10 || (message[at] != 0x6F && message[at] != 0x69))
            {
                return 0;
            }
            int payload = length - 10;
            if (message[at] == 0x69 && message[at + 10] == 0x20)
            {
                for (int i = at + 11; i < at + length; i++)
                {
                    message[i] = Marker;
                }
                return length - 11;
            }
            return MaskCcidPayload(message, at + 10, payload);
        }
    }
}
