using System;
using Terminal.Iso7816.Crypto;

namespace Terminal.Iso7816.SecureMessaging
{
    /// <summary>
    /// AES secure messaging as BSI TR-03110-3 F.3 and ICAO 9303-11 9.8 define it after PACE or chip
    /// authentication: AES-CBC with IV = AES(K_enc, SSC) over a 16-byte SSC, and AES-CMAC under K_mac truncated to
    /// 8 bytes. Key length 16, 24 or 32 bytes (AES-128/192/256).
    /// </summary>
    public sealed class AesSecureMessagingCipher : ISecureMessagingCipher
    {
        private readonly IBlockCipher _enc;
        private readonly Cmac _mac;
        private readonly byte[] _iv = new byte[16];
        private readonly byte[] _tag = new byte[16];

        /// <summary>Keys the suite with the session keys K_enc and K_mac (each <paramref name="keyLength"/> bytes),
        /// using the ciphers of <paramref name="factory"/>. The key bytes are copied into the cipher state; the
        /// caller should wipe its copies.</summary>
        public AesSecureMessagingCipher(ICipherFactory factory, byte[] kEnc, int kEncOffset, byte[] kMac, int kMacOffset, int keyLength)
        {
            _enc = factory.CreateAes(kEnc, kEncOffset, keyLength);
            _mac = new Cmac(factory.CreateAes(kMac, kMacOffset, keyLength));
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return 16; }
        }

        /// <inheritdoc />
        public void Encrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            _enc.EncryptBlock(ssc, sscOffset, _iv, 0);
            _enc.EncryptCbc(_iv, 0, input, inputOffset, count, output, outputOffset);
            Array.Clear(_iv, 0, 16);
        }

        /// <inheritdoc />
        public void Decrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            _enc.EncryptBlock(ssc, sscOffset, _iv, 0);
            _enc.DecryptCbc(_iv, 0, input, inputOffset, count, output, outputOffset);
            Array.Clear(_iv, 0, 16);
        }

        /// <inheritdoc />
        public void BeginMac()
        {
            _mac.Reset();
        }

        /// <inheritdoc />
        public void UpdateMac(byte[] input, int offset, int count)
        {
            _mac.Update(input, offset, count);
        }

        /// <inheritdoc />
        public void FinishMac(byte[] output, int outputOffset)
        {
            _mac.Finish(_tag, 0);
            Array.Copy(_tag, 0, output, outputOffset, 8);
            Array.Clear(_tag, 0, 16);
        }

        /// <inheritdoc />
        public void Clear()
        {
            _enc.Clear();
            _mac.Clear();
        }
    }
}
