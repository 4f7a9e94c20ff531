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

        /// <summary>Reads the length field at <paramref name="p"/> (short, 81 xx or 82 xx xx), not past
        /// <paramref name="end"/>; advances <paramref name="p"/> past it. False on a field it cannot read.</summary>
        public static bool ReadLength(byte[] buffer, ref int p, int end, out int length)
        {
            length = 0;
            if (p >= end)
            {
                return false;
            }
            int first = buffer[p++];
            if (first < 0x80)
            {
                length = first;
                return true;
            }
            if (first == 0x81 && p < end)
            {
                length = buffer[p++];
                return true;
            }
            if (first == 0x82 && p + 1 < end)
            {
                length = (buffer[p] << 8) | buffer[p + 1];
                p += 2;
                return true;
            }
            return false;
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
