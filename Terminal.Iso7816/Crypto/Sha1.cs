using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>SHA-1 (FIPS 180-4 6.1) in managed code: the PACE key derivation for 3DES and AES-128 and the MRZ
    /// password hash (BSI TR-03110-3 A.2.3, ICAO 9303-11 9.7.1) on devices without a native hash.</summary>
    public sealed class Sha1 : IHash
    {
        private readonly uint[] _h = new uint[5];
        private readonly uint[] _w = new uint[80];
        private readonly byte[] _block = new byte[64];
        private int _blockCount;
        private long _total;

        /// <summary>Starts an empty message.</summary>
        public Sha1()
        {
            Reset();
        }

        /// <inheritdoc />
        public int HashLength
        {
            get { return 20; }
        }

        /// <inheritdoc />
        public void Reset()
        {
            _h[0] = 0x67452301;
            _h[1] = 0xEFCDAB89;
            _h[2] = 0x98BADCFE;
            _h[3] = 0x10325476;
            _h[4] = 0xC3D2E1F0;
            _blockCount = 0;
            _total = 0;
            Array.Clear(_block, 0, 64);
        }

        /// <inheritdoc />
        public void Update(byte[] input, int offset, int count)
        {
            _total += count;
            while (count > 0)
            {
                int take = 64 - _blockCount;
                if (take > count)
                {
                    take = count;
                }
                Array.Copy(input, offset, _block, _blockCount, take);
                _blockCount += take;
                offset += take;
                count -= take;
                if (_blockCount == 64)
                {
                    Compress();
                    _blockCount = 0;
                }
            }
        }

        /// <inheritdoc />
        public void Finish(byte[] output, int outputOffset)
        {
            long bits = _total * 8;
            _block[_blockCount++] = 0x80;
            if (_blockCount > 56)
            {
                Array.Clear(_block, _blockCount, 64 - _blockCount);
                Compress();
                _blockCount = 0;
            }
            Array.Clear(_block, _blockCount, 56 - _blockCount);
            for (int i = 0; i < 8; i++)
            {
                _block[63 - i] = (byte)(bits >> (8 * i));
            }
            Compress();
            for (int i = 0; i < 5; i++)
            {
                output[outputOffset + 4 * i] = (byte)(_h[i] >> 24);
                output[outputOffset + 4 * i + 1] = (byte)(_h[i] >> 16);
                output[outputOffset + 4 * i + 2] = (byte)(_h[i] >> 8);
                output[outputOffset + 4 * i + 3] = (byte)_h[i];
            }
            Array.Clear(_w, 0, 80);
            Reset();
        }

        private void Compress()
        {
            uint[] w = _w;
            for (int i = 0; i < 16; i++)
            {
                w[i] = ((uint)_block[4 * i] << 24) | ((uint)_block[4 * i + 1] << 16) | ((uint)_block[4 * i + 2] << 8) | _block[4 * i + 3];
            }
            for (int i = 16; i < 80; i++)
            {
                uint x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16];
                w[i] = (x << 1) | (x >> 31);
            }
            uint a = _h[0];
            uint b = _h[1];
            uint c = _h[2];
            uint d = _h[3];
            uint e = _h[4];
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
            _h[0] += a;
            _h[1] += b;
            _h[2] += c;
            _h[3] += d;
            _h[4] += e;
        }
    }
}
