namespace Terminal.PinPad
{
    /// <summary>Error detection code of the T=1 card's blocks (ISO 7816-3 section 11.4.4, from TC3 of the ATR).</summary>
    public enum T1Edc
    {
        /// <summary>Not a T=1 card at TPDU level: the APDU is sent as is.</summary>
        None = 0,

        /// <summary>One-byte longitudinal redundancy check (the default).</summary>
        Lrc = 1,

        /// <summary>Two-byte CRC, computed as libccid's openct code does (reflected CCITT, FFFFh, high byte first).</summary>
        Crc = 2,
    }

    /// <summary>
    /// Wraps the APDU built by the reader into the T=1 I-block whose prologue the host gave in
    /// bTeoPrologue (TPDU level: the host runs the block protocol and owns the sequence numbers,
    /// libccid commands.c SecurePINVerify). The reader keeps NAD and PCB and sets LEN itself, since
    /// the PIN changes the length, then appends the EDC.
    /// </summary>
    public static class T1Framing
    {
        /// <summary>
        /// Writes the block for <paramref name="apduLength"/> bytes of <paramref name="apdu"/> to
        /// <paramref name="dest"/>; returns its length, or -1 when it does not fit or INF would exceed 254.
        /// </summary>
        public static int Wrap(byte[] prologue, byte[] apdu, int apduOffset, int apduLength, T1Edc edc, byte[] dest, int destOffset, int capacity)
        {
            int edcLength = edc == T1Edc.Crc ? 2 : 1;
            if (apduLength > 254 || 3 + apduLength + edcLength > capacity)
            {
                return -1;
            }

            dest[destOffset] = prologue[0];
            dest[destOffset + 1] = prologue[1];
            dest[destOffset + 2] = (byte)apduLength;
            for (int i = 0; i < apduLength; i++)
            {
                dest[destOffset + 3 + i] = apdu[apduOffset + i];
            }

            int end = destOffset + 3 + apduLength;
            if (edc == T1Edc.Crc)
            {
                int crc = Crc(dest, destOffset, 3 + apduLength);
                dest[end] = (byte)(crc >> 8);
                dest[end + 1] = (byte)crc;
            }
            else
            {
                dest[end] = Lrc(dest, destOffset, 3 + apduLength);
            }

            return 3 + apduLength + edcLength;
        }

        /// <summary>XOR of the bytes.</summary>
        public static byte Lrc(byte[] data, int offset, int length)
        {
            int lrc = 0;
            for (int i = 0; i < length; i++)
            {
                lrc ^= data[offset + i];
            }

            return (byte)lrc;
        }

        /// <summary>The two-byte CRC as a 16-bit value (first byte sent = high byte).</summary>
        public static int Crc(byte[] data, int offset, int length)
        {
            int v = 0xFFFF;
            for (int i = 0; i < length; i++)
            {
                v ^= data[offset + i];
                for (int b = 0; b < 8; b++)
                {
                    v = (v & 1) != 0 ? (v >> 1) ^ 0x8408 : v >> 1;
                }
            }

            return v & 0xFFFF;
        }

        /// <summary>
        /// The status word carried by a T=1 block from the card: the last two INF bytes of an I-block,
        /// or -1 for an R- or S-block (a WTX request the host answers) or a malformed block.
        /// </summary>
        public static int StatusWordOf(byte[] block, int offset, int length)
        {
            if (length < 5 || (block[offset + 1] & 0x80) != 0)
            {
                return -1;
            }

            int inf = block[offset + 2];
            if (inf < 2 || 3 + inf > length)
            {
                return -1;
            }

            int at = offset + 3 + inf - 2;
            return (block[at] << 8) | block[at + 1];
        }
    }
}
