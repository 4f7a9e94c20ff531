namespace Terminal.Iso7816.Crypto
{
    /// <summary>The managed ciphers: <see cref="ManagedAes"/>, <see cref="ManagedDes"/>, <see cref="ManagedTripleDes"/>.</summary>
    public sealed class ManagedCipherFactory : ICipherFactory
    {
        /// <summary>One shared instance; the factory has no state.</summary>
        public static readonly ManagedCipherFactory Instance = new ManagedCipherFactory();

        /// <inheritdoc />
        public IBlockCipher CreateAes(byte[] key, int offset, int length)
        {
            return new ManagedAes(key, offset, length);
        }

        /// <inheritdoc />
        public IBlockCipher CreateDes(byte[] key, int offset)
        {
            return new ManagedDes(key, offset);
        }

        /// <inheritdoc />
        public IBlockCipher CreateTripleDes(byte[] key, int offset, int length)
        {
            return new ManagedTripleDes(key, offset, length);
        }
    }
}
