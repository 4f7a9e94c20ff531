namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// Makes keyed block ciphers, so that secure messaging and PACE run unchanged on the managed ciphers
    /// (<see cref="ManagedCipherFactory"/>, every platform) or on a platform's own (the desktop's
    /// System.Security.Cryptography, a device's native AES).
    /// </summary>
    public interface ICipherFactory
    {
        /// <summary>AES with a 16-, 24- or 32-byte key.</summary>
        IBlockCipher CreateAes(byte[] key, int offset, int length);

        /// <summary>Single DES with an 8-byte key (parity bits ignored).</summary>
        IBlockCipher CreateDes(byte[] key, int offset);

        /// <summary>Triple DES (EDE) with a 16-byte (K3 = K1) or 24-byte key.</summary>
        IBlockCipher CreateTripleDes(byte[] key, int offset, int length);
    }
}
