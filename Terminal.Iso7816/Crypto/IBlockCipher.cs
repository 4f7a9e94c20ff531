namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// A keyed block cipher (AES, DES, two- or three-key 3DES) working on caller buffers. The key is fixed at
    /// construction; <see cref="Clear"/> wipes it. Implementations: managed (<see cref="ManagedAes"/>,
    /// <see cref="ManagedDes"/>, <see cref="ManagedTripleDes"/>, portable) and on System.Security.Cryptography
    /// (Terminal.Iso7816.Desktop, desktop only).
    /// </summary>
    /// <remarks>Nothing is allocated per call. Input and output of one call may be the same buffer region
    /// (in place) but must not overlap otherwise.</remarks>
    public interface IBlockCipher
    {
        /// <summary>Block size in bytes: 16 for AES, 8 for DES and 3DES.</summary>
        int BlockSize { get; }

        /// <summary>Encrypts one block (ECB).</summary>
        void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);

        /// <summary>Decrypts one block (ECB).</summary>
        void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset);

        /// <summary>CBC encryption of <paramref name="count"/> bytes (a multiple of the block size), no padding;
        /// the initial chaining value is the block at <paramref name="iv"/>[<paramref name="ivOffset"/>] (left unchanged).</summary>
        void EncryptCbc(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset);

        /// <summary>CBC decryption of <paramref name="count"/> bytes (a multiple of the block size), no padding;
        /// the initial chaining value is the block at <paramref name="iv"/>[<paramref name="ivOffset"/>] (left unchanged).</summary>
        void DecryptCbc(byte[] iv, int ivOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset);

        /// <summary>Wipes the key material; the cipher must not be used afterwards.</summary>
        void Clear();
    }
}
