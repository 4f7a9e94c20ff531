using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// The retail MAC: ISO/IEC 9797-1 MAC algorithm 3 with DES (single-DES CBC under K1, then the last result
    /// decrypted under K2 and encrypted under K1 again), as BAC and ICAO 9303 3DES secure messaging use it.
    /// </summary>
    /// <remarks>No padding is added here: the message must be a whole number of blocks (the secure messaging
    /// codec pads with ISO 9797-1 method 2 itself); <see cref="Finish"/> throws otherwise.</remarks>
    public sealed class RetailMac : IMac
    {
        private readonly IBlockCipher _k1;
        private readonly IBlockCipher _k2;
        private readonly byte[] _state = new byte[8];
        private int _pendingCount;

        /// <summary>Uses two single-DES ciphers (keys K1 and K2), owned by the MAC from now on.</summary>
        public RetailMac(IBlockCipher k1, IBlockCipher k2)
        {
            if (k1.BlockSize != 8 || k2.BlockSize != 8)
            {
                throw new ArgumentException("the retail MAC needs DES");
            }
            _k1 = k1;
            _k2 = k2;
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return 8; }
        }

        /// <inheritdoc />
        public int MacLength
        {
            get { return 8; }
        }

        /// <inheritdoc />
        public void Reset()
        {
            Array.Clear(_state, 0, 8);
            _pendingCount = 0;
        }

        /// <inheritdoc />
        public void Update(byte[] input, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _state[_pendingCount] ^= input[offset + i];
                _pendingCount++;
                if (_pendingCount == 8)
                {
                    _k1.EncryptBlock(_state, 0, _state, 0);
                    _pendingCount = 0;
                }
            }
        }

        /// <inheritdoc />
        public void Finish(byte[] output, int outputOffset)
        {
            if (_pendingCount != 0)
            {
                Reset();
                throw new InvalidOperationException("retail MAC input must be padded to whole blocks");
            }
            _k2.DecryptBlock(_state, 0, _state, 0);
            _k1.EncryptBlock(_state, 0, output, outputOffset);
            Reset();
        }

        /// <inheritdoc />
        public void Clear()
        {
            Reset();
            _k1.Clear();
            _k2.Clear();
        }
    }
}
