using System;
using Terminal.Iso7816;
using Terminal.Iso7816.Crypto;

namespace Terminal.Pace
{
    /// <summary>
    /// The cryptographic steps of PACE with ECDH generic mapping (BSI TR-03110-3 A.2-A.3, ICAO 9303-11 9.2-9.5), for
    /// one algorithm and curve: the key derivation function, K_pi from the password, the nonce decryption, the
    /// mapping G' = s·G + H, the key agreement, the session keys and the authentication tokens. The protocol over
    /// APDUs uses these; the tests reproduce every published intermediate value with them.
    /// </summary>
    /// <remarks>Each method checks every point that comes from the card before using it. Not thread-safe.</remarks>
    public sealed class PaceCrypto
    {
        private readonly PaceAlgorithm _algorithm;
        private readonly IEcArithmetic _ec;
        private readonly ICipherFactory _ciphers;
        private readonly IHash _hash;
        private readonly byte[] _counter = new byte[4];
        private readonly byte[] _digest = new byte[32];
        private readonly byte[] _point;
        private readonly byte[] _generator;

        /// <summary>Steps for <paramref name="algorithm"/> on the curve of <paramref name="ec"/>, with the block
        /// ciphers of <paramref name="ciphers"/>.</summary>
        public PaceCrypto(PaceAlgorithm algorithm, IEcArithmetic ec, ICipherFactory ciphers)
        {
            _algorithm = algorithm;
            _ec = ec;
            _ciphers = ciphers;
            _hash = algorithm.KeyLength == 16 ? (IHash)new Sha1() : new Sha256();
            _point = new byte[ec.Curve.PointLength];
            _generator = new byte[ec.Curve.PointLength];
            ec.Curve.GetGenerator(_generator, 0);
        }

        /// <summary>Key derivation counter of K_enc (TR-03110-3 A.2.3).</summary>
        public const int CounterEnc = 1;

        /// <summary>Key derivation counter of K_mac.</summary>
        public const int CounterMac = 2;

        /// <summary>Key derivation counter of K_pi.</summary>
        public const int CounterPassword = 3;

        /// <summary>The algorithm.</summary>
        public PaceAlgorithm Algorithm
        {
            get { return _algorithm; }
        }

        /// <summary>The curve arithmetic.</summary>
        public IEcArithmetic Arithmetic
        {
            get { return _ec; }
        }

        /// <summary>KDF(K, c) = H(K || c)[0 .. keyLength) with c a 32-bit big-endian counter, H = SHA-1 for AES-128
        /// and SHA-256 for AES-192/256 (TR-03110-3 A.2.3.1). Writes <see cref="PaceAlgorithm.KeyLength"/> bytes.</summary>
        public void DeriveKey(byte[] secret, int offset, int count, int counter, byte[] output, int outputOffset)
        {
            _counter[0] = (byte)(counter >> 24);
            _counter[1] = (byte)(counter >> 16);
            _counter[2] = (byte)(counter >> 8);
            _counter[3] = (byte)counter;
            _hash.Update(secret, offset, count);
            _hash.Update(_counter, 0, 4);
            _hash.Finish(_digest, 0);
            Array.Copy(_digest, 0, output, outputOffset, _algorithm.KeyLength);
            Array.Clear(_digest, 0, _digest.Length);
        }

        /// <summary>K_pi for a CAN or PIN: KDF(password, 3), the password as its ISO 8859-1 characters
        /// (TR-03110-3 A.2.3.2 / ICAO 9303-11 9.7.3).</summary>
        public void PasswordKey(byte[] password, int offset, int count, byte[] output, int outputOffset)
        {
            DeriveKey(password, offset, count, CounterPassword, output, outputOffset);
        }

        /// <summary>K_pi for the MRZ: KDF(SHA-1(MRZ information), 3), where the MRZ information is document
        /// number, date of birth and date of expiry with their check digits (ICAO 9303-11 9.7.3).</summary>
        public void MrzKey(byte[] mrzInformation, int offset, int count, byte[] output, int outputOffset)
        {
            Sha1 sha1 = new Sha1();
            byte[] k = new byte[20];
            sha1.Update(mrzInformation, offset, count);
            sha1.Finish(k, 0);
            DeriveKey(k, 0, 20, CounterPassword, output, outputOffset);
            Array.Clear(k, 0, 20);
        }

        /// <summary>s = AES-CBC-Decrypt(K_pi, IV = 0, z): the card's nonce (TR-03110-3 A.3.3).</summary>
        /// <returns><see cref="PaceError.None"/>, or <see cref="PaceError.BadLength"/> when z is not whole blocks.</returns>
        public int DecryptNonce(byte[] kPi, int kPiOffset, byte[] z, int zOffset, int count, byte[] output, int outputOffset)
        {
            if (count <= 0 || count % 16 != 0)
            {
                return PaceError.BadLength;
            }
            IBlockCipher aes = _ciphers.CreateAes(kPi, kPiOffset, _algorithm.KeyLength);
            try
            {
                aes.DecryptCbc(new byte[16], 0, z, zOffset, count, output, outputOffset);
            }
            finally
            {
                aes.Clear();
            }
            return PaceError.None;
        }

        /// <summary>An ephemeral key pair on <paramref name="generator"/> (G for the mapping, G' for the key
        /// agreement): a random private key (<see cref="EcCurve.FieldLength"/> bytes) and its public point.</summary>
        public int GenerateKeyPair(byte[] generator, int generatorOffset, byte[] privateKey, int privateOffset, byte[] publicKey, int publicOffset)
        {
            _ec.RandomScalar(privateKey, privateOffset);
            return PublicKey(privateKey, privateOffset, _ec.Curve.FieldLength, generator, generatorOffset, publicKey, publicOffset);
        }

        /// <summary>publicKey = privateKey · generator.</summary>
        public int PublicKey(byte[] privateKey, int privateOffset, int privateLength, byte[] generator, int generatorOffset, byte[] publicKey, int publicOffset)
        {
            return _ec.Multiply(privateKey, privateOffset, privateLength, generator, generatorOffset, publicKey, publicOffset)
                ? PaceError.None : PaceError.PointNotOnCurve;
        }

        /// <summary>Generic mapping (TR-03110-3 A.3.4.1): checks PK_map,IC, computes H = SK_map,IFD · PK_map,IC
        /// into <paramref name="h"/> and G' = s·G + H into <paramref name="mappedGenerator"/>.</summary>
        public int MapGenerator(byte[] nonce, int nonceOffset, int nonceLength, byte[] skMap, int skMapOffset, int skMapLength,
            byte[] pkMapIc, int pkMapIcOffset, byte[] h, int hOffset, byte[] mappedGenerator, int mappedOffset)
        {
            if (!_ec.IsOnCurve(pkMapIc, pkMapIcOffset))
            {
                return PaceError.PointNotOnCurve;
            }
            if (!_ec.Multiply(skMap, skMapOffset, skMapLength, pkMapIc, pkMapIcOffset, h, hOffset))
            {
                return PaceError.PointAtInfinity;
            }
            if (!_ec.MultiplyAdd(nonce, nonceOffset, nonceLength, _generator, 0, h, hOffset, mappedGenerator, mappedOffset))
            {
                return PaceError.PointAtInfinity;
            }
            return PaceError.None;
        }

        /// <summary>Key agreement (TR-03110-3 A.3.4.2 / ICAO 9303-11 9.5.4): checks that PK_DH,IC is on the curve and
        /// differs from PK_DH,IFD, then writes K = x(SK_DH,IFD · PK_DH,IC) (<see cref="EcCurve.FieldLength"/> bytes).</summary>
        public int SharedSecret(byte[] skDh, int skDhOffset, int skDhLength, byte[] pkDhIfd, int pkDhIfdOffset,
            byte[] pkDhIc, int pkDhIcOffset, byte[] output, int outputOffset)
        {
            if (!_ec.IsOnCurve(pkDhIc, pkDhIcOffset))
            {
                return PaceError.PointNotOnCurve;
            }
            int pl = _ec.Curve.PointLength;
            int diff = 0;
            for (int i = 0; i < pl; i++)
            {
                diff |= pkDhIfd[pkDhIfdOffset + i] ^ pkDhIc[pkDhIcOffset + i];
            }
            if (diff == 0)
            {
                return PaceError.SamePublicKeys;
            }
            if (!_ec.Multiply(skDh, skDhOffset, skDhLength, pkDhIc, pkDhIcOffset, _point, 0))
            {
                return PaceError.PointAtInfinity;
            }
            Array.Copy(_point, 1, output, outputOffset, _ec.Curve.FieldLength);
            Array.Clear(_point, 0, pl);
            return PaceError.None;
        }

        /// <summary>Length of the public key data object over a point of this curve (the token input).</summary>
        public int PublicKeyObjectLength
        {
            get
            {
                int inner = 2 + _algorithm.OidLength + BerTlv.ObjectLength(_ec.Curve.PointLength);
                return 2 + BerTlv.LengthOfLength(inner) + inner;
            }
        }

        /// <summary>Writes the public key data object 7F49 { 06 OID, 86 point } over which the authentication token
        /// is computed (TR-03110-3 D.3.3 for ECDH, A.3.4.3). Returns its length.</summary>
        public int WritePublicKeyObject(byte[] point, int pointOffset, byte[] output, int outputOffset)
        {
            int pl = _ec.Curve.PointLength;
            int inner = 2 + _algorithm.OidLength + BerTlv.ObjectLength(pl);
            int o = outputOffset;
            output[o++] = 0x7F;
            output[o++] = 0x49;
            o = BerTlv.WriteLength(output, o, inner);
            output[o++] = 0x06;
            output[o++] = (byte)_algorithm.OidLength;
            _algorithm.GetOid(output, o);
            o += _algorithm.OidLength;
            output[o++] = 0x86;
            o = BerTlv.WriteLength(output, o, pl);
            Array.Copy(point, pointOffset, output, o, pl);
            return o + pl - outputOffset;
        }

        /// <summary>Authentication token T = CMAC(KS_mac, public key data object of <paramref name="point"/>)[0..8)
        /// (TR-03110-3 A.3.4.3): T_IFD over the card's key, T_IC over ours.</summary>
        public void Token(byte[] ksMac, int ksMacOffset, byte[] point, int pointOffset, byte[] output, int outputOffset)
        {
            byte[] data = new byte[PublicKeyObjectLength];
            int n = WritePublicKeyObject(point, pointOffset, data, 0);
            Cmac cmac = new Cmac(_ciphers.CreateAes(ksMac, ksMacOffset, _algorithm.KeyLength));
            byte[] tag = new byte[16];
            cmac.Update(data, 0, n);
            cmac.Finish(tag, 0);
            cmac.Clear();
            Array.Copy(tag, 0, output, outputOffset, 8);
            Array.Clear(tag, 0, 16);
        }

        /// <summary>Verifies the card's token T_IC (8 bytes) over our public key PK_DH,IFD, in constant time.</summary>
        public int VerifyToken(byte[] ksMac, int ksMacOffset, byte[] pkDhIfd, int pkDhIfdOffset, byte[] token, int tokenOffset)
        {
            byte[] expected = new byte[8];
            Token(ksMac, ksMacOffset, pkDhIfd, pkDhIfdOffset, expected, 0);
            int diff = 0;
            for (int i = 0; i < 8; i++)
            {
                diff |= expected[i] ^ token[tokenOffset + i];
            }
            return diff == 0 ? PaceError.None : PaceError.TokenMismatch;
        }

    }
}
