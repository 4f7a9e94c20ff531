using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// CMAC (NIST SP 800-38B, RFC 4493 for AES) over any 64- or 128-bit block cipher. BSI TR-03110 and
    /// ICAO 9303-11 use AES-CMAC for PACE authentication tokens and AES secure messaging (tag truncated to 8 bytes
    /// by the caller).
    /// </summary>
    public sealed class Cmac : IMac
    {
        private readonly IBlockCipher _cipher;
        private readonly int _n;
        private readonly byte[] _k1;
        private readonly byte[] _k2;
        private readonly byte[] _state;
        private readonly byte[] _pending;
        private int _pendingCount;

        /// <summary>Derives the subkeys K1, K2 from <paramref name="cipher"/>, which stays owned by the caller
        /// until <see cref="Clear"/> (which clears it too).</summary>
        public Cmac(IBlockCipher cipher)
        {
            _cipher = cipher;
            _n = cipher.BlockSize;
            if (_n != 8 && _n != 16)
            {
                throw new ArgumentException("CMAC needs a 64- or 128-bit block cipher");
            }
            _k1 = new byte[_n];
            _k2 = new byte[_n];
            _state = new byte[_n];
            _pending = new byte[_n];
            int rb = _n == 16 ? 0x87 : 0x1B;
            cipher.EncryptBlock(_k1, 0, _k1, 0);
            Double(_k1, _k1, rb);
            Double(_k1, _k2, rb);
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return _n; }
        }

        /// <inheritdoc />
        public int MacLength
        {
            get { return _n; }
        }

        /// <inheritdoc />
        public void Reset()
        {
            Array.Clear(_state, 0, _n);
            Array.Clear(_pending, 0, _n);
            _pendingCount = 0;
        }

        /// <inheritdoc />
        public void Update(byte[] input, int offset, int count)
        {
            while (count > 0)
            {
                // The last block must stay pending: only Finish knows whether it gets K1 or K2.
                if (_pendingCount == _n)
                {
                    for (int i = 0; i < _n; i++)
                    {
                        _state[i] ^= _pending[i];
                    }
                    _cipher.EncryptBlock(_state, 0, _state, 0);
                    _pendingCount = 0;
                }
                int take = _n - _pendingCount;
                if (take > count)
                {
                    take = count;
                }
                Array.Copy(input, offset, _pending, _pendingCount, take);
                _pendingCount += take;
                offset += take;
                count -= take;
            }
        }

        /// <inheritdoc />
        public void Finish(byte[] output, int outputOffset)
        {
            byte[] subkey = _k1;
            if (_pendingCount < _n)
            {
                _pending[_pendingCount] = 0x80;
                for (int i = _pendingCount + 1; i < _n; i++)
                {
                    _pending[i] = 0;
                }
                subkey = _k2;
            }
            for (int i = 0; i < _n; i++)
            {
                _state[i] ^= (byte)(_pending[i] ^ subkey[i]);
            }
            _cipher.EncryptBlock(_state, 0, _state, 0);
            Array.Copy(_state, 0, output, outputOffset, _n);
            Reset();
        }

        /// <inheritdoc />
        public void Clear()
        {
            Reset();
            Array.Clear(_k1, 0, _n);
            Array.Clear(_k2, 0, _n);
            _cipher.Clear();
        }

        private void Double(byte[] input, byte[] output, int rb)
        {
            int carry = input[0] >> 7;
            for (int i = 0; i < _n - 1; i++)
            {
                output[i] = (byte)((input[i] << 1) | (input[i + 1] >> 7));
            }
            output[_n - 1] = (byte)((input[_n - 1] << 1) ^ (carry != 0 ? rb : 0));
        }
    }
}
