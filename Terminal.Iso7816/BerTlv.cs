namespace Terminal.Iso7816
{
    /// <summary>BER-TLV length fields (ISO/IEC 7816-4 §5.2): 1, 2 (81 xx) or 3 (82 xx xx) bytes.</summary>
    public static class BerTlv
    {
        /// <summary>Bytes the length field of a value of <paramref name="length"/> bytes takes.</summary>
        public static int LengthOfLength(int length)
        {
            return length < 0x80 ? 1 : (length < 0x100 ? 2 : 3);
        }

        /// <summary>Bytes a whole data object with a one-byte tag takes.</summary>
        public static int ObjectLength(int valueLength)
        {
            return 1 + LengthOfLength(valueLength) + valueLength;
        }

        /// <summary>Writes the length field at <paramref name="at"/>; returns the offset after it.</summary>
        public static int WriteLength(byte[] buffer, int at, int length)
        {
            if (length < 0x80)
            {
                buffer[at++] = (byte)length;
            }
            else if (length < 0x100)
            {
                buffer[at++] = 0x81;
                buffer[at++] = (byte)length;
            }
            else
            {
                buffer[at++] = 0x82;
                buffer[at++] = (byte)(length >> 8);
                buffer[at++] = (byte)length;
            }
            return at;
        }
    }
}
