namespace Terminal.Iso7816.SecureMessaging
{
    /// <summary>
    /// The cryptography of one secure messaging session: encryption of the data objects and the cryptographic
    /// checksum, both keyed by the session keys. The codec (<see cref="SecureMessagingCodec"/>) does all the
    /// encoding and the padding; implementations only encrypt, decrypt and MAC whole blocks.
    /// </summary>
    /// <remarks>Two suites: <see cref="TripleDesSecureMessagingCipher"/> (3DES-CBC, IV 0, retail MAC: BAC,
    /// ICAO 9303-11 9.8) and <see cref="AesSecureMessagingCipher"/> (AES-CBC, IV = E(K_enc, SSC), AES-CMAC
    /// truncated to 8 bytes: BSI TR-03110-3 F, ICAO 9303-11 9.8 with PACE).</remarks>
    public interface ISecureMessagingCipher
    {
        /// <summary>Cipher block size, which is also the length of the send sequence counter (8 or 16).</summary>
        int BlockSize { get; }

        /// <summary>Encrypts <paramref name="count"/> bytes (already padded) in CBC mode for the message
        /// numbered <paramref name="ssc"/> (<see cref="BlockSize"/> bytes at <paramref name="sscOffset"/>).</summary>
        void Encrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset);

        /// <summary>Decrypts <paramref name="count"/> bytes (whole blocks) for the message numbered
        /// <paramref name="ssc"/>; the padding stays in the output.</summary>
        void Decrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset);

        /// <summary>Starts a checksum.</summary>
        void BeginMac();

        /// <summary>Adds bytes to the checksum; the codec gives whole blocks in total (it pads).</summary>
        void UpdateMac(byte[] input, int offset, int count);

        /// <summary>Writes the 8-byte cryptographic checksum (DO '8E' value).</summary>
        void FinishMac(byte[] output, int outputOffset);

        /// <summary>Wipes the session keys; the cipher must not be used afterwards.</summary>
        void Clear();
    }
}
