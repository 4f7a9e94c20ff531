namespace Terminal.Iso7816.Crypto
{
    /// <summary>SHA-1 (FIPS 180-4 6.1) in managed code: the PACE key derivation for 3DES and AES-128 and the MRZ
    /// password hash (BSI TR-03110-3 A.2.3, ICAO 9303-11 9.7.1) on devices without a native hash.</summary>
    public sealed class Sha1 : BlockHash
    {
        /// <summary>Starts an empty message.</summary>
        public Sha1() : base(5, 80)
        {
            Reset();
        }

        /// <inheritdoc />
        protected override void InitialState()
        {
            State[0] = 0x67452301;
            State[1] = 0xEFCDAB89;
            State[2] = 0x98BADCFE;
            State[3] = 0x10325476;
            State[4] = 0xC3D2E1F0;
        }

        /// <inheritdoc />
        protected override void Compress()
        {
            uint[] w = Schedule;
            LoadBlockWords();
            for (int i = 16; i < 80; i++)
            {
                uint x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
                w[i] = (x << 1) | (x >> 31);
            }
            uint a = State[0];
            uint b = State[1];
            uint c = State[2];
            uint d = State[3];
            uint e = State[4];
            for (int i = 0; i < 80; i++)
            {
                uint f;
                uint k;
                if (i < 20)
                {
                    f = (b & c) | (~b & d);
                    k = 0x5A827999;
                }
                else if (i < 40)
                {
                    f = b ^ c ^ d;
                    k = 0x6ED9EBA1;
                }
                else if (i < 60)
                {
                    f = (b & c) | (b & d) | (c & d);
                    k = 0x8F1BBCDC;
                }
                else
                {
                    f = b ^ c ^ d;
                    k = 0xCA62C1D6;
                }
                uint t = ((a << 5) | (a >> 27)) + f + e + k + w[i];
                e = d;
                d = c;
                c = (b << 30) | (b >> 2);
                b = a;
                a = t;
            }
            State[0] += a;
            State[1] += b;
            State[2] += c;
            State[3] += d;
            State[4] += e;
        }
    }
}
