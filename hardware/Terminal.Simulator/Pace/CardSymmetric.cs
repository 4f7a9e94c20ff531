using System;
using System.Security.Cryptography;

namespace Terminal.Simulator.Pace
{
    /// <summary>
    /// The simulated card's symmetric cryptography for PACE with AES (TR-03110-3 A.2.3, F; ICAO 9303-11 9.7, 9.8):
    /// the key derivation function, AES-CBC with a zero or SSC-derived IV, AES-CMAC (NIST SP 800-38B) and the
    /// ISO/IEC 9797-1 method 2 padding. On System.Security.Cryptography, independent of the reader's managed code.
    /// </summary>
    public static class CardSymmetric
    {
        /// <summary>KDF counter for the encryption key.</summary>
        public const int CounterEnc = 1;

        /// <summary>KDF counter for the MAC key.</summary>
        public const int CounterMac = 2;

        /// <summary>KDF counter for the password key K_pi.</summary>
        public const int CounterPassword = 3;

        /// <summary>KDF(secret, counter): SHA-1 for AES-128, SHA-256 for AES-192/256, truncated to the key length.</summary>
        public static byte[] Kdf(byte[] secret, int counter, int keyLength)
        {
            var input = new byte[secret.Length + 4];
            Buffer.BlockCopy(secret, 0, input, 0, secret.Length);
            input[^1] = (byte)counter;
            byte[] h = keyLength == 16 ? SHA1.HashData(input) : SHA256.HashData(input);
            var k = new byte[keyLength];
            Buffer.BlockCopy(h, 0, k, 0, keyLength);
            Array.Clear(input);
            Array.Clear(h);
            return k;
        }

        /// <summary>AES-CBC encryption of whole blocks.</summary>
        public static byte[] EncryptCbc(byte[] key, byte[] iv, byte[] data)
        {
            using Aes aes = Aes.Create();
            aes.Key = key;
            return aes.EncryptCbc(data, iv, PaddingMode.None);
        }

        /// <summary>AES-CBC decryption of whole blocks.</summary>
        public static byte[] DecryptCbc(byte[] key, byte[] iv, byte[] data)
        {
            using Aes aes = Aes.Create();
            aes.Key = key;
            return aes.DecryptCbc(data, iv, PaddingMode.None);
        }

        /// <summary>One AES block encryption (the SM IV is E(KS_enc, SSC)).</summary>
        public static byte[] EncryptBlock(byte[] key, byte[] block)
        {
            using Aes aes = Aes.Create();
            aes.Key = key;
            return aes.EncryptEcb(block, PaddingMode.None);
        }

        /// <summary>AES-CMAC of <paramref name="data"/>, truncated to 8 bytes as PACE and SM use it.</summary>
        public static byte[] Cmac8(byte[] key, byte[] data)
        {
            using Aes aes = Aes.Create();
            aes.Key = key;
            byte[] l = aes.EncryptEcb(new byte[16], PaddingMode.None);
            byte[] k1 = Double(l);
            byte[] k2 = Double(k1);
            int blocks = data.Length == 0 ? 1 : (data.Length + 15) / 16;
            bool complete = data.Length != 0 && data.Length % 16 == 0;
            var last = new byte[16];
            int lastStart = (blocks - 1) * 16;
            int lastLength = data.Length - lastStart;
            Buffer.BlockCopy(data, lastStart, last, 0, lastLength);
            if (!complete) { last[lastLength] = 0x80; }
            byte[] sub = complete ? k1 : k2;
            for (int i = 0; i < 16; i++) { last[i] ^= sub[i]; }
            var x = new byte[16];
            var block = new byte[16];
            for (int b = 0; b < blocks; b++)
            {
                byte[] m = b == blocks - 1 ? last : Slice(data, b * 16, 16);
                for (int i = 0; i < 16; i++) { block[i] = (byte)(x[i] ^ m[i]); }
                x = aes.EncryptEcb(block, PaddingMode.None);
            }
            var t = new byte[8];
            Buffer.BlockCopy(x, 0, t, 0, 8);
            return t;
        }

        /// <summary>ISO/IEC 9797-1 padding method 2 to a multiple of 16: 80 then zeros (always at least one byte).</summary>
        public static byte[] Pad(byte[] data)
        {
            var r = new byte[(data.Length / 16 + 1) * 16];
            Buffer.BlockCopy(data, 0, r, 0, data.Length);
            r[data.Length] = 0x80;
            return r;
        }

        /// <summary>Removes method 2 padding; null when it is not there.</summary>
        public static byte[]? Unpad(byte[] data)
        {
            int i = data.Length - 1;
            while (i >= 0 && data[i] == 0) { i--; }
            if (i < 0 || data[i] != 0x80) { return null; }
            return Slice(data, 0, i);
        }

        /// <summary>A copy of a range.</summary>
        public static byte[] Slice(byte[] a, int offset, int count)
        {
            var r = new byte[count];
            Buffer.BlockCopy(a, offset, r, 0, count);
            return r;
        }

        /// <summary>Concatenation.</summary>
        public static byte[] Concat(params byte[][] parts)
        {
            int n = 0;
            foreach (byte[] p in parts) { n += p.Length; }
            var r = new byte[n];
            int o = 0;
            foreach (byte[] p in parts) { Buffer.BlockCopy(p, 0, r, o, p.Length); o += p.Length; }
            return r;
        }

        private static byte[] Double(byte[] v)
        {
            var r = new byte[16];
            int carry = 0;
            for (int i = 15; i >= 0; i--)
            {
                int b = (v[i] << 1) | carry;
                r[i] = (byte)b;
                carry = (v[i] >> 7) & 1;
            }
            if ((v[0] & 0x80) != 0) { r[15] ^= 0x87; }
            return r;
        }
    }
}
