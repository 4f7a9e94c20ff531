using System;

namespace Terminal.Tests.Device.Crypto
{
    /// <summary>Hex text to bytes and back for test vectors (portable: no Convert.FromHexString on the device).</summary>
    public static class TestHex
    {
        /// <summary>Parses hex digits, ignoring spaces.</summary>
        public static byte[] Parse(string hex)
        {
            int digits = 0;
            for (int i = 0; i < hex.Length; i++)
            {
                if (hex[i] != ' ')
                {
                    digits++;
                }
            }
            if (digits % 2 != 0)
            {
                throw new ArgumentException("odd number of hex digits");
            }
            byte[] result = new byte[digits / 2];
            int high = -1;
            int at = 0;
            for (int i = 0; i < hex.Length; i++)
            {
                char c = hex[i];
                if (c == ' ')
                {
                    continue;
                }
                int v = Nibble(c);
                if (high < 0)
                {
                    high = v;
                }
                else
                {
                    result[at++] = (byte)((high << 4) | v);
                    high = -1;
                }
            }
            return result;
        }

        /// <summary>Uppercase hex of a whole array.</summary>
        public static string Format(byte[] bytes)
        {
            return Format(bytes, 0, bytes.Length);
        }

        /// <summary>Uppercase hex of <paramref name="count"/> bytes at <paramref name="offset"/>.</summary>
        public static string Format(byte[] bytes, int offset, int count)
        {
            const string Digits = "0123456789ABCDEF";
            char[] chars = new char[2 * count];
            for (int i = 0; i < count; i++)
            {
                chars[2 * i] = Digits[bytes[offset + i] >> 4];
                chars[2 * i + 1] = Digits[bytes[offset + i] & 0xF];
            }
            return new string(chars);
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
            throw new ArgumentException("not a hex digit");
        }
    }
}
