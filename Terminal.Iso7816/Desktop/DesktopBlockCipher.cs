using System;
using System.Security.Cryptography;
using Terminal.Iso7816.Crypto;

namespace Terminal.Iso7816.Desktop
{
    /// <summary>
    /// <see cref="IBlockCipher"/> on System.Security.Cryptography (OpenSSL on Linux) for AES, DES and 3DES:
    /// the desktop's ciphers, and the independent implementation the managed ones are checked against.
    /// </summary>
    /// <remarks>One ECB encryptor and one ECB decryptor are made once and reused: the one-shot span methods
    /// (EncryptEcb, EncryptCbc) create an OpenSSL context per call, which allocates and is ten times slower on a
    /// block. CBC is chained here on top of ECB.</remarks>
    public sealed class DesktopBlockCipher : IBlockCipher
    {
        private readonly SymmetricAlgorithm _algorithm;
        private readonly int _blockSize;
        private readonly ICryptoTransform _encryptor;
        private readonly ICryptoTransform _decryptor;
        private readonly byte[] _chain;
        private readonly byte[] _block;

        private DesktopBlockCipher(SymmetricAlgorithm algorithm, byte[] key, int offset, int length)
        {
            _algorithm = algorithm;
            byte[] k = new byte[length];
            Array.Copy(key, offset, k, 0, length);
            try
            {
                _algorithm.Key = k;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(k);
            }
            _blockSize = algorithm.BlockSize / 8;
            _algorithm.Mode = CipherMode.ECB;
            _algorithm.Padding = PaddingMode.None;
            _encryptor = _algorithm.CreateEncryptor();
            _decryptor = _algorithm.CreateDecryptor();
            _chain = new byte[_blockSize];
            _block = new byte[_blockSize];
        }

        /// <summary>AES with a 16-, 24- or 32-byte key.</summary>
        public static DesktopBlockCipher CreateAes(byte[] key, int offset, int length)
        {
            return new DesktopBlockCipher(Aes.Create(), key, offset, length);
        }

        /// <summary>Single DES (8-byte key). .NET refuses the four weak DES keys.</summary>
        public static DesktopBlockCipher CreateDes(byte[] key, int offset)
        {
            return new DesktopBlockCipher(DES.Create(), key, offset, 8);
        }

        /// <summary>3DES EDE with a 16- or 24-byte key.</summary>
        /// <remarks>OpenSSL 3 refuses two-key 3DES keys through .NET ("invalid key length"), so a 16-byte key is
        /// given as the equivalent three-key K1 || K2 || K1.</remarks>
        public static DesktopBlockCipher CreateTripleDes(byte[] key, int offset, int length)
        {
            if (length != 16)
            {
                return new DesktopBlockCipher(TripleDES.Create(), key, offset, length);
            }
            byte[] k = new byte[24];
            Array.Copy(key, offset, k, 0, 16);
            Array.Copy(key, offset, k, 16, 8);
            try
            {
                return new DesktopBlockCipher(TripleDES.Create(), k, 0, 24);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(k);
            }
        }

        /// <inheritdoc />
        public int BlockSize => _blockSize;

        /// <inheritdoc />
        public void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            _encryptor.TransformBlock(input, inputOffset, _blockSize, output, outputOffset);
        }

        /// <inheritdoc />
        public void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            _decryptor.TransformBlock(input, inputOffset, _blockSize, output, outputOffset);
        }

        /// <inheritdoc />
        public void EncryptCbc(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            int n = _blockSize;
            Array.Copy(iv, ivOffset, _chain, 0, n);
            for (int done = 0; done < count; done += n)
            {
                for (int i = 0; i < n; i++)
                {
                    _chain[i] ^= input[inputOffset + done + i];
                }
                _encryptor.TransformBlock(_chain, 0, n, _chain, 0);
                Array.Copy(_chain, 0, output, outputOffset + done, n);
            }
            CryptographicOperations.ZeroMemory(_chain);
        }

        /// <inheritdoc />
        public void DecryptCbc(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            int n = _blockSize;
            Array.Copy(iv, ivOffset, _chain, 0, n);
            for (int done = 0; done < count; done += n)
            {
                _decryptor.TransformBlock(input, inputOffset + done, n, _block, 0);
                for (int i = 0; i < n; i++)
                {
                    byte c = input[inputOffset + done + i];
                    output[outputOffset + done + i] = (byte)(_block[i] ^ _chain[i]);
                    _chain[i] = c;
                }
            }
            CryptographicOperations.ZeroMemory(_chain);
            CryptographicOperations.ZeroMemory(_block);
        }

        /// <inheritdoc />
        public void Clear()
        {
            _encryptor.Dispose();
            _decryptor.Dispose();
            _algorithm.Dispose();
        }
    }

    /// <summary>The System.Security.Cryptography ciphers as an <see cref="ICipherFactory"/>.</summary>
    public sealed class DesktopCipherFactory : ICipherFactory
    {
        /// <summary>One shared instance; the factory has no state.</summary>
        public static readonly DesktopCipherFactory Instance = new DesktopCipherFactory();

        /// <inheritdoc />
        public IBlockCipher CreateAes(byte[] key, int offset, int length) => DesktopBlockCipher.CreateAes(key, offset, length);

        /// <inheritdoc />
        public IBlockCipher CreateDes(byte[] key, int offset) => DesktopBlockCipher.CreateDes(key, offset);

        /// <inheritdoc />
        public IBlockCipher CreateTripleDes(byte[] key, int offset, int length) => DesktopBlockCipher.CreateTripleDes(key, offset, length);
    }
}
