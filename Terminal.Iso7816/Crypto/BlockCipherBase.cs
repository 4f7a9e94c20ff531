using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>CBC on top of a block primitive, shared by the managed ciphers.</summary>
    public abstract class BlockCipherBase : IBlockCipher
    {
        private readonly byte[] _chain;
        private readonly byte[] _block;
        private readonly int _blockSize;

        /// <summary>Creates the chaining buffers for <paramref name="blockSize"/>-byte blocks.</summary>
        protected BlockCipherBase(int blockSize)
        {
            _blockSize = blockSize;
            _chain = new byte[blockSize];
            _block = new byte[blockSize];
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return _blockSize; }
        }

        /// <inheritdoc />
        public abstract void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);

        /// <inheritdoc />
        public abstract void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);

        /// <inheritdoc />
        public abstract void Clear();

        /// <inheritdoc />
        public void EncryptCbc(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            CheckCount(count);
            int n = _blockSize;
            Array.Copy(iv, ivOffset, _chain, 0, n);
            for (int done = 0; done < count; done += n)
            {
                for (int i = 0; i < n; i++)
                {
                    _chain[i] ^= input[inputOffset + done + i];
                }
                EncryptBlock(_chain, 0, _chain, 0);
                Array.Copy(_chain, 0, output, outputOffset + done, n);
            }
            Array.Clear(_chain, 0, n);
        }

        /// <inheritdoc />
        public void DecryptCbc(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            CheckCount(count);
            int n = _blockSize;
            Array.Copy(iv, ivOffset, _chain, 0, n);
            for (int done = 0; done < count; done += n)
            {
                // The ciphertext block is the next chaining value; keep it before an in-place write destroys it.
                DecryptBlock(input, inputOffset + done, _block, 0);
                for (int i = 0; i < n; i++)
                {
                    byte c = input[inputOffset + done + i];
                    output[outputOffset + done + i] = (byte)(_block[i] ^ _chain[i]);
                    _chain[i] = c;
                }
            }
            Array.Clear(_chain, 0, n);
            Array.Clear(_block, 0, n);
        }

        private void CheckCount(int count)
        {
            if (count < 0 || count % _blockSize != 0)
            {
                throw new ArgumentException("CBC length must be a multiple of the block size");
            }
        }
    }
}
