namespace Terminal.Iso7816.Crypto
{
    /// <summary>SHA-256 (FIPS 180-4 6.2) in managed code: the PACE key derivation for AES-192 and AES-256
    /// (BSI TR-03110-3 A.2.3).</summary>
    public sealed class Sha256 : BlockHash
    {
        private static readonly uint[] K =
        {
            0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
            0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
            0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
            0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
            0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
            0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
            0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
            0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2,
        };


        /// <summary>Starts an empty message.</summary>
        public Sha256() : base(8, 64)
        {
            Reset();
        }

        /// <inheritdoc />
        protected override void InitialState()
        {
            State[0] = 0x6A09E667;
            State[1] = 0xBB67AE85;
            State[2] = 0x3C6EF372;
            State[3] = 0xA54FF53A;
            State[4] = 0x510E527F;
            State[5] = 0x9B05688C;
            State[6] = 0x1F83D9AB;
            State[7] = 0x5BE0CD19;
        }

        private static uint Ror(uint x, int n)
        {
            return (x >> n) | (x << (32 - n));
        }

        /// <inheritdoc />
        protected override void Compress()
        {
            uint[] w = Schedule;
            LoadBlockWords();
            for (int i = 16; i < 64; i++)
            {
                uint s0 = Ror(w[i - 15], 7) ^ Ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
                uint s1 = Ror(w[i - 2], 17) ^ Ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16] + s0 + w[i - 7] + s1;
            }
            uint a = State[0];
            uint b = State[1];
            uint c = State[2];
            uint d = State[3];
            uint e = State[4];
            uint f = State[5];
            uint g = State[6];
            uint h = State[7];
            for (int i = 0; i < 64; i++)
            {
                uint t1 = h + (Ror(e, 6) ^ Ror(e, 11) ^ Ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
                uint t2 = (Ror(a, 2) ^ Ror(a, 13) ^ Ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
                h = g;
                g = f;
                f = e;
                e = d + t1;
                d = c;
                c = b;
                b = a;
                a = t1 + t2;
            }
            State[0] += a;
            State[1] += b;
            State[2] += c;
            State[3] += d;
            State[4] += e;
            State[5] += f;
            State[6] += g;
            State[7] += h;
        }
    }
}
