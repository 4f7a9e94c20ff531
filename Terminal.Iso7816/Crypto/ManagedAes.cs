using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// AES (FIPS 197) with 128-, 192- and 256-bit keys in managed code, for nanoFramework (whose native AES is not
    /// reachable from every board) and as the reference the desktop implementation is checked against.
    /// </summary>
    /// <remarks>
    /// One 256-entry round table per direction (combined SubBytes/ShiftRows/MixColumns), rotated for the other
    /// three columns: 2 KB of tables instead of the usual 8 KB, which matters on a 300 KB device. The tables are
    /// computed from the field arithmetic at first use rather than typed in.
    /// </remarks>
    public sealed class ManagedAes : BlockCipherBase
    {
        private static readonly byte[] SBox = new byte[256];
        private static readonly byte[] InvSBox = new byte[256];
        private static readonly uint[] Te = new uint[256];
        private static readonly uint[] Td = new uint[256];

        private readonly uint[] _ek;
        private readonly uint[] _dk;
        private readonly int _rounds;

        static ManagedAes()
        {
            // S-box by walking the multiplicative group with generator 3 and its inverse (1/3), then the affine map.
            int p = 1;
            int q = 1;
            do
            {
                p = p ^ ((p << 1) & 0xFF) ^ ((p & 0x80) != 0 ? 0x1B : 0);
                q ^= q << 1;
                q ^= q << 2;
                q ^= q << 4;
                q &= 0xFF;
                if ((q & 0x80) != 0)
                {
                    q ^= 0x09;
                }
                int x = q ^ Rotl8(q, 1) ^ Rotl8(q, 2) ^ Rotl8(q, 3) ^ Rotl8(q, 4);
                SBox[p] = (byte)(x ^ 0x63);
            }
            while (p != 1);
            SBox[0] = 0x63;
            for (int i = 0; i < 256; i++)
            {
                InvSBox[SBox[i]] = (byte)i;
            }
            for (int i = 0; i < 256; i++)
            {
                uint s = SBox[i];
                uint s2 = Mul(s, 2);
                uint s3 = s2 ^ s;
                Te[i] = (s2 << 24) | (s << 16) | (s << 8) | s3;
                uint t = InvSBox[i];
                Td[i] = (Mul(t, 14) << 24) | (Mul(t, 9) << 16) | (Mul(t, 13) << 8) | Mul(t, 11);
            }
        }

        /// <summary>Expands a 16-, 24- or 32-byte key.</summary>
        public ManagedAes(byte[] key, int offset, int length)
            : base(16)
        {
            if (length != 16 && length != 24 && length != 32)
            {
                throw new ArgumentException("AES key must be 16, 24 or 32 bytes");
            }
            int nk = length / 4;
            _rounds = nk + 6;
            int total = 4 * (_rounds + 1);
            _ek = new uint[total];
            _dk = new uint[total];
            for (int i = 0; i < nk; i++)
            {
                _ek[i] = ((uint)key[offset + 4 * i] << 24) | ((uint)key[offset + 4 * i + 1] << 16)
                    | ((uint)key[offset + 4 * i + 2] << 8) | key[offset + 4 * i + 3];
            }
            uint rcon = 1;
            for (int i = nk; i < total; i++)
            {
                uint t = _ek[i - 1];
                if (i % nk == 0)
                {
                    t = SubWord((t << 8) | (t >> 24)) ^ (rcon << 24);
                    rcon = Mul(rcon, 2);
                }
                else if (nk > 6 && i % nk == 4)
                {
                    t = SubWord(t);
                }
                _ek[i] = _ek[i - nk] ^ t;
            }

            // Equivalent inverse cipher (FIPS 197 5.3.5): round keys in reverse order, InvMixColumns on the inner ones.
            for (int r = 0; r <= _rounds; r++)
            {
                for (int c = 0; c < 4; c++)
                {
                    uint w = _ek[4 * (_rounds - r) + c];
                    if (r != 0 && r != _rounds)
                    {
                        w = Td[SBox[w >> 24]] ^ Ror(Td[SBox[(w >> 16) & 0xFF]], 8)
                            ^ Ror(Td[SBox[(w >> 8) & 0xFF]], 16) ^ Ror(Td[SBox[w & 0xFF]], 24);
                    }
                    _dk[4 * r + c] = w;
                }
            }
        }

        /// <inheritdoc />
        public override void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            uint[] k = _ek;
            uint s0 = Load(input, inputOffset) ^ k[0];
            uint s1 = Load(input, inputOffset + 4) ^ k[1];
            uint s2 = Load(input, inputOffset + 8) ^ k[2];
            uint s3 = Load(input, inputOffset + 12) ^ k[3];
            int ki = 4;
            for (int r = 1; r < _rounds; r++)
            {
                uint t0 = Te[s0 >> 24] ^ Ror(Te[(s1 >> 16) & 0xFF], 8) ^ Ror(Te[(s2 >> 8) & 0xFF], 16) ^ Ror(Te[s3 & 0xFF], 24) ^ k[ki];
                uint t1 = Te[s1 >> 24] ^ Ror(Te[(s2 >> 16) & 0xFF], 8) ^ Ror(Te[(s3 >> 8) & 0xFF], 16) ^ Ror(Te[s0 & 0xFF], 24) ^ k[ki + 1];
                uint t2 = Te[s2 >> 24] ^ Ror(Te[(s3 >> 16) & 0xFF], 8) ^ Ror(Te[(s0 >> 8) & 0xFF], 16) ^ Ror(Te[s1 & 0xFF], 24) ^ k[ki + 2];
                uint t3 = Te[s3 >> 24] ^ Ror(Te[(s0 >> 16) & 0xFF], 8) ^ Ror(Te[(s1 >> 8) & 0xFF], 16) ^ Ror(Te[s2 & 0xFF], 24) ^ k[ki + 3];
                s0 = t0;
                s1 = t1;
                s2 = t2;
                s3 = t3;
                ki += 4;
            }
            Store(FinalEnc(s0, s1, s2, s3) ^ k[ki], output, outputOffset);
            Store(FinalEnc(s1, s2, s3, s0) ^ k[ki + 1], output, outputOffset + 4);
            Store(FinalEnc(s2, s3, s0, s1) ^ k[ki + 2], output, outputOffset + 8);
            Store(FinalEnc(s3, s0, s1, s2) ^ k[ki + 3], output, outputOffset + 12);
        }

        /// <inheritdoc />
        public override void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            uint[] k = _dk;
            uint s0 = Load(input, inputOffset) ^ k[0];
            uint s1 = Load(input, inputOffset + 4) ^ k[1];
            uint s2 = Load(input, inputOffset + 8) ^ k[2];
            uint s3 = Load(input, inputOffset + 12) ^ k[3];
            int ki = 4;
            for (int r = 1; r < _rounds; r++)
            {
                uint t0 = Td[s0 >> 24] ^ Ror(Td[(s3 >> 16) & 0xFF], 8) ^ Ror(Td[(s2 >> 8) & 0xFF], 16) ^ Ror(Td[s1 & 0xFF], 24) ^ k[ki];
                uint t1 = Td[s1 >> 24] ^ Ror(Td[(s0 >> 16) & 0xFF], 8) ^ Ror(Td[(s3 >> 8) & 0xFF], 16) ^ Ror(Td[s2 & 0xFF], 24) ^ k[ki + 1];
                uint t2 = Td[s2 >> 24] ^ Ror(Td[(s1 >> 16) & 0xFF], 8) ^ Ror(Td[(s0 >> 8) & 0xFF], 16) ^ Ror(Td[s3 & 0xFF], 24) ^ k[ki + 2];
                uint t3 = Td[s3 >> 24] ^ Ror(Td[(s2 >> 16) & 0xFF], 8) ^ Ror(Td[(s1 >> 8) & 0xFF], 16) ^ Ror(Td[s0 & 0xFF], 24) ^ k[ki + 3];
                s0 = t0;
                s1 = t1;
                s2 = t2;
                s3 = t3;
                ki += 4;
            }
            Store(FinalDec(s0, s3, s2, s1) ^ k[ki], output, outputOffset);
            Store(FinalDec(s1, s0, s3, s2) ^ k[ki + 1], output, outputOffset + 4);
            Store(FinalDec(s2, s1, s0, s3) ^ k[ki + 2], output, outputOffset + 8);
            Store(FinalDec(s3, s2, s1, s0) ^ k[ki + 3], output, outputOffset + 12);
        }

        /// <inheritdoc />
        public override void Clear()
        {
            Array.Clear(_ek, 0, _ek.Length);
            Array.Clear(_dk, 0, _dk.Length);
        }

        private static uint FinalEnc(uint a, uint b, uint c, uint d)
        {
            return ((uint)SBox[a >> 24] << 24) | ((uint)SBox[(b >> 16) & 0xFF] << 16)
                | ((uint)SBox[(c >> 8) & 0xFF] << 8) | SBox[d & 0xFF];
        }

        private static uint FinalDec(uint a, uint b, uint c, uint d)
        {
            return ((uint)InvSBox[a >> 24] << 24) | ((uint)InvSBox[(b >> 16) & 0xFF] << 16)
                | ((uint)InvSBox[(c >> 8) & 0xFF] << 8) | InvSBox[d & 0xFF];
        }

        private static uint SubWord(uint w)
        {
            return ((uint)SBox[w >> 24] << 24) | ((uint)SBox[(w >> 16) & 0xFF] << 16)
                | ((uint)SBox[(w >> 8) & 0xFF] << 8) | SBox[w & 0xFF];
        }

        private static uint Ror(uint x, int n)
        {
            return (x >> n) | (x << (32 - n));
        }

        private static int Rotl8(int x, int n)
        {
            return ((x << n) | (x >> (8 - n))) & 0xFF;
        }

        private static uint Mul(uint a, int b)
        {
            uint r = 0;
            while (b != 0)
            {
                if ((b & 1) != 0)
                {
                    r ^= a;
                }
                a <<= 1;
                if ((a & 0x100) != 0)
                {
                    a ^= 0x11B;
                }
                b >>= 1;
            }
            return r;
        }

        private static uint Load(byte[] b, int o)
        {
            return ((uint)b[o] << 24) | ((uint)b[o + 1] << 16) | ((uint)b[o + 2] << 8) | b[o + 3];
        }

        private static void Store(uint v, byte[] b, int o)
        {
            b[o] = (byte)(v >> 24);
            b[o + 1] = (byte)(v >> 16);
            b[o + 2] = (byte)(v >> 8);
            b[o + 3] = (byte)v;
        }
    }
}
