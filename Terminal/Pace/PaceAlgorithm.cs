namespace Terminal.Pace
{
    /// <summary>
    /// A PACE protocol of BSI TR-03110-3 A.1.1 / ICAO 9303-11 9.2 that this reader runs: ECDH generic mapping with
    /// AES secure messaging (id-PACE-ECDH-GM-AES-CBC-CMAC-128, -192, -256). The OID bytes are the value of the
    /// DO'80' of MSE:Set AT and of the DO'06' inside the authentication token input.
    /// </summary>
    public sealed class PaceAlgorithm
    {
        /// <summary>id-PACE-ECDH-GM-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.4.2.2): AES-128, SHA-1 key derivation.</summary>
        public static readonly PaceAlgorithm EcdhGmAes128 = new PaceAlgorithm(2, 16);

        /// <summary>id-PACE-ECDH-GM-AES-CBC-CMAC-192 (0.4.0.127.0.7.2.2.4.2.3): AES-192, SHA-256 key derivation.</summary>
        public static readonly PaceAlgorithm EcdhGmAes192 = new PaceAlgorithm(3, 24);

        /// <summary>id-PACE-ECDH-GM-AES-CBC-CMAC-256 (0.4.0.127.0.7.2.2.4.2.4): AES-256, SHA-256 key derivation.</summary>
        public static readonly PaceAlgorithm EcdhGmAes256 = new PaceAlgorithm(4, 32);

        private readonly byte[] _oid;
        private readonly int _keyLength;

        private PaceAlgorithm(int last, int keyLength)
        {
            _oid = new byte[] { 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, (byte)last };
            _keyLength = keyLength;
        }

        /// <summary>The algorithm whose OID is <paramref name="count"/> bytes at <paramref name="offset"/>
        /// (the DER content of the OBJECT IDENTIFIER), or null when this reader does not support it.</summary>
        public static PaceAlgorithm? FromOid(byte[] oid, int offset, int count)
        {
            if (Matches(EcdhGmAes128, oid, offset, count))
            {
                return EcdhGmAes128;
            }
            if (Matches(EcdhGmAes192, oid, offset, count))
            {
                return EcdhGmAes192;
            }
            if (Matches(EcdhGmAes256, oid, offset, count))
            {
                return EcdhGmAes256;
            }
            return null;
        }

        /// <summary>AES key length in bytes (16, 24, 32), for K_pi and the session keys.</summary>
        public int KeyLength
        {
            get { return _keyLength; }
        }

        /// <summary>Length of the OID content (10).</summary>
        public int OidLength
        {
            get { return _oid.Length; }
        }

        /// <summary>Copies the OID content bytes.</summary>
        public void GetOid(byte[] output, int offset)
        {
            System.Array.Copy(_oid, 0, output, offset, _oid.Length);
        }

        private static bool Matches(PaceAlgorithm a, byte[] oid, int offset, int count)
        {
            if (count != a._oid.Length || offset < 0 || oid.Length - offset < count)
            {
                return false;
            }
            for (int i = 0; i < count; i++)
            {
                if (oid[offset + i] != a._oid[i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
