using System;

namespace Terminal.Iso7816.Crypto
{
    /// <summary>
    /// Triple DES (TDEA, NIST SP 800-67) in EDE form: two-key (16-byte key, K3 = K1, as in BAC and the
    /// ICAO 9303 secure messaging) or three-key (24 bytes).
    /// </summary>
    public sealed class ManagedTripleDes : BlockCipherBase
    {
        private readonly ManagedDes _k1;
        private readonly ManagedDes _k2;
        private readonly ManagedDes _k3;
        private readonly byte[] _block = new byte[8];

        /// <summary>Schedules a 16- or 24-byte key.</summary>
        public ManagedTripleDes(byte[] key, int offset, int length)
            : base(8)
        {
            if (length != 16 && length != 24)
            {
                throw new ArgumentException("3DES key must be 16 or 24 bytes");
            }
            _k1 = new ManagedDes(key, offset);
            _k2 = new ManagedDes(key, offset + 8);
            _k3 = length == 24 ? new ManagedDes(key, offset + 16) : _k1;
        }

        /// <inheritdoc />
        public override void EncryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            _k1.EncryptBlock(input, inputOffset, _block, 0);
            _k2.DecryptBlock(_block, 0, _block, 0);
            _k3.EncryptBlock(_block, 0, output, outputOffset);
            Array.Clear(_block, 0, 8);
        }

        /// <inheritdoc />
        public override void DecryptBlock(byte[] input, int inputOffset, byte[] output, int outputOffset)
        {
            _k3.DecryptBlock(input, inputOffset, _block, 0);
            _k2.EncryptBlock(_block, 0, _block, 0);
            _k1.DecryptBlock(_block, 0, output, outputOffset);
            Array.Clear(_block, 0, 8);
        }

        /// <inheritdoc />
        public override void Clear()
        {
            _k1.Clear();
            _k2.Clear();
            _k3.Clear();
        }
    }
}
