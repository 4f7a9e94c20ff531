namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>Hex helpers for the device tests (portable: no Convert/Encoding helpers nanoFramework lacks).</summary>
    public static class Hex
    {
        private const string Digits = "0123456789ABCDEF";

        /// <summary>Parses "3B 00", "3b00" or "3B:00" into bytes; any other character than hex digits and separators is a test bug.</summary>
        public static byte[] Bytes(string text)
        {
            int count = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (Nibble(text[i]) >= 0)
                {
                    count++;
                }
            }
            byte[] result = new byte[count / 2];
            int n = 0;
            int high = -1;
            for (int i = 0; i < text.Length; i++)
            {
                int v = Nibble(text[i]);
                if (v < 0)
                {
                    continue;
                }
                if (high < 0)
                {
                    high = v;
                }
                else
                {
                    result[n++] = (byte)((high << 4) | v);
                    high = -1;
                }
            }
            return result;
        }

        /// <summary>One byte from two hex digits.</summary>
        public static int Byte(string pair)
        {
            int high = Nibble(pair[0]);
            int low = pair.Length > 1 ? Nibble(pair[1]) : -1;
            if (pair.Length != 2 || high < 0 || low < 0)
            {
                throw new System.ArgumentException("not a hex byte: " + pair);
            }
            return (high << 4) | low;
        }

        /// <summary>Two uppercase hex digits.</summary>
        public static string Of(int value)
        {
            char[] pair = new char[] { Digits[(value >> 4) & 0xF], Digits[value & 0xF] };
            return new string(pair);
        }

        /// <summary>Uppercase hex with spaces.</summary>
        public static string Of(byte[] buffer, int offset, int length)
        {
            string s = "";
            for (int i = 0; i < length; i++)
            {
                s += (i == 0 ? "" : " ") + Of(buffer[offset + i]);
            }
            return s;
        }

        /// <summary>A run of <paramref name="count"/> bytes counting up from <paramref name="first"/>, as spaced hex.</summary>
        public static string Run(int first, int count)
        {
            string s = "";
            for (int i = 0; i < count; i++)
            {
                s += (i == 0 ? "" : " ") + Of((first + i) & 0xFF);
            }
            return s;
        }

        private static int Nibble(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }
            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }
            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }
            return -1;
        }
    }
}
