using System;
using Terminal.Iso7816.Crypto;

namespace Terminal.Iso7816.SecureMessaging
{
    /// <summary>
    /// 3DES secure messaging as ICAO 9303-11 9.8 defines it after BAC: two-key 3DES-CBC with a zero IV, and the
    /// retail MAC (ISO/IEC 9797-1 MAC algorithm 3, DES) under K_mac, over an 8-byte SSC.
    /// </summary>
    public sealed class TripleDesSecureMessagingCipher : ISecureMessagingCipher
    {
        private static readonly byte[] ZeroIv = new byte[8];

        private readonly IBlockCipher _enc;
        private readonly RetailMac _mac;

        /// <summary>Keys the suite with the 16-byte session keys K_enc and K_mac using the ciphers of
        /// <paramref name="factory"/>.</summary>
        public TripleDesSecureMessagingCipher(ICipherFactory factory, byte[] kEnc, int kEncOffset, byte[] kMac, int kMacOffset)
        {
            _enc = factory.CreateTripleDes(kEnc, kEncOffset, 16);
            _mac = new RetailMac(factory.CreateDes(kMac, kMacOffset), factory.CreateDes(kMac, kMacOffset + 8));
        }

        /// <inheritdoc />
        public int BlockSize
        {
            get { return 8; }
        }

        /// <inheritdoc />
        public void Encrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            _enc.EncryptCbc(ZeroIv, 0, input, inputOffset, count, output, outputOffset);
        }

        /// <inheritdoc />
        public void Decrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
        {
            _enc.DecryptCbc(ZeroIv, 0, input, inputOffset, count, output, outputOffset);
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
            _mac.Finish(output, outputOffset);
        }

        /// <inheritdoc />
        public void Clear()
        {
            _enc.Clear();
            _mac.Clear();
        }
    }
}
