using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// Single DES (FIPS 46-3 / NIST SP 800-67 building block) in managed code. Used alone for the retail MAC
    /// (ISO/IEC 9797-1 MAC algorithm 3) and three times by <see cref="ManagedTripleDes"/>.
    /// </summary>
    /// <remarks>
    /// The S-boxes and P are merged into eight 64-entry tables at first use; the expansion E is done by rotating
    /// the right half so each S-box's six input bits land at the bottom. Parity bits of the key are ignored, as
    /// the standard says.
    /// </remarks>
    public sealed class ManagedDes : BlockCipherBase
    {
        private static readonly byte[] SBoxes =
        {
            14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
            0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
            4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
            15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,

            15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
            3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
            0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
            13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,

            10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
            13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
            13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
            1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,

            7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
            13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
            10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
            3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,

            2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
            14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
            4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
            11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,

            12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
            10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
            9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
            4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,

            4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
            13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
            1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
            6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,

            13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
            1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
            7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
            2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
        };

        private static readonly byte[] P =
        {
            16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
            2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
        };

        private static readonly byte[] Ip =
        {
            58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
            62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
            57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
            61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
        };

        private static readonly byte[] Pc1 =
        {
            57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
            10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
            63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
            14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
        };

        private static readonly byte[] Pc2 =
        {
            14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
            23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
            41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
            44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
        };

        private static readonly byte[] Shifts = { 1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1 };

        // SP[64 * box + six]: S-box output placed at its nibble, then P applied.
        private static readonly uint[] Sp = new uint[8 * 64];

        // Ip and its inverse as byte-indexed tables: IpTable[256 * bytePosition + byteValue] is the permuted image.
        private static readonly ulong[] IpTable = new ulong[8 * 256];
        private static readonly ulong[] FpTable = new ulong[8 * 256];

        // 16 round keys of eight 6-bit chunks each.
        private readonly byte[] _subkeys = new byte[16 * 8];

        static ManagedDes()
        {
            for (int box = 0; box < 8; box++)
            {
                for (int six = 0; six < 64; six++)
                {
                    int row = ((six >> 4) & 2) | (six & 1);
                    int col = (six >> 1) & 0xF;
                    uint s = (uint)SBoxes[64 * box + 16 * row + col] << (28 - 4 * box);
                    Sp[64 * box + six] = (uint)Permute(s, 32, P, 32);
                }
            }
            byte[] fp = new byte[64];
            for (int i = 0; i < 64; i++)
            {
                fp[Ip[i] - 1] = (byte)(i + 1);
            }
            for (int pos = 0; pos < 8; pos++)
            {
                for (int v = 0; v < 256; v++)
                {
                    ulong x = (ulong)v << (56 - 8 * pos);
                    IpTable[256 * pos + v] = Permute(x, 64, Ip, 64);
                    FpTable[256 * pos + v] = Permute(x, 64, fp, 64);
                }
            }
        }

        /// <summary>Schedules an 8-byte DES key.</summary>
        public ManagedDes(byte[] key, int offset)
            : base(8)
        {
            ulong k = Load(key, offset);
            ulong cd = Permute(k, 64, Pc1, 56);
            uint c = (uint)(cd >> 28) & 0x0FFFFFFF;
            uint d = (uint)cd & 0x0FFFFFFF;
            for (int round = 0; round < 16; round++)
            {
                for (int s = 0; s < Shifts[round]; s++)
                {
                    c = ((c << 1) | (c >> 27)) & 0x0FFFFFFF;
                    d = ((d << 1) | (d >> 27)) & 0x0FFFFFFF;
                }
                ulong sub = Permute(((ulong)c << 28) | d, 56, Pc2, 48);
                for (int box = 0; box < 8; box++)
                {
                    _subkeys[8 * round + box] = (byte)((sub >> (42 - 6 * box)) & 0x3F);
                }
            }
        }

        /// <inheritdoc />
        public override void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            Crypt(input, inputOffset, output, outputOffset, false);
        }

        /// <inheritdoc />
        public override void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            Crypt(input, inputOffset, output, outputOffset, true);
        }

        /// <inheritdoc />
        public override void Clear()
        {
            Array.Clear(_subkeys, 0, _subkeys.Length);
        }

        private void Crypt(byte[] input, int inputOffset, byte[] output, int outputOffset, bool decrypt)
        {
            ulong x = 0;
            for (int i = 0; i < 8; i++)
            {
                x |= IpTable[256 * i + input[inputOffset + i]];
            }
            uint l = (uint)(x >> 32);
            uint r = (uint)x;
            for (int round = 0; round < 16; round++)
            {
                int k = 8 * (decrypt ? 15 - round : round);
                uint f = 0;
                for (int box = 0; box < 8; box++)
                {
                    // Never 0: 27, 23, ... 3, then 31 for the last box (its bits 28..32 and 1 wrap around).
                    int shift = (27 - 4 * box) & 31;
                    uint rotated = (r >> shift) | (r << (32 - shift));
                    f ^= Sp[64 * box + (((int)rotated & 0x3F) ^ _subkeys[k + box])];
                }
                uint t = l ^ f;
                l = r;
                r = t;
            }
            // The last round does not swap: R16 L16 goes into the final permutation.
            ulong pre = ((ulong)r << 32) | l;
            ulong y = 0;
            for (int i = 0; i < 8; i++)
            {
                y |= FpTable[256 * i + (int)((pre >> (56 - 8 * i)) & 0xFF)];
            }
            for (int i = 0; i < 8; i++)
            {
                output[outputOffset + i] = (byte)(y >> (56 - 8 * i));
            }
        }

        private static ulong Permute(ulong value, int inBits, byte[] table, int outBits)
        {
            ulong r = 0;
            for (int i = 0; i < outBits; i++)
            {
                r = (r << 1) | ((value >> (inBits - table[i])) & 1);
            }
            return r;
        }

        private static ulong Load(byte[] b, int o)
        {
            ulong v = 0;
            for (int i = 0; i < 8; i++)
            {
                v = (v << 8) | b[o + i];
            }
            return v;
        }
    }
}
