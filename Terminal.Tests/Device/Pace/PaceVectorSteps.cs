using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;
using Terminal.Pace;
using Terminal.Tests.Device.Crypto;

namespace Terminal.Tests.Device.Pace
{
    /// <summary>
    /// Each PACE step of a <see cref="PaceVectorSet"/>, from the published inputs of that step to its published
    /// output, on any <see cref="IEcArithmetic"/> and <see cref="ICipherFactory"/> (the device tests use the
    /// managed ones, the desktop tests .NET's).
    /// </summary>
    public static class PaceVectorSteps
    {
        private static byte[] B(string hex)
        {
            return TestHex.Parse(hex);
        }

        private static string Hex(byte[] b)
        {
            return TestHex.Format(b);
        }

        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }
            return b;
        }

        public static PaceCrypto Crypto(IEcArithmetic ec, ICipherFactory ciphers)
        {
            return new PaceCrypto(PaceAlgorithm.EcdhGmAes128, ec, ciphers);
        }

        public static void PasswordKey(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] password = Ascii(v.Password);
            byte[] kPi = new byte[16];
            if (v.Mrz)
            {
                Sha1 sha1 = new Sha1();
                byte[] k = new byte[20];
                sha1.Update(password, 0, password.Length);
                sha1.Finish(k, 0);
                Assert.AreEqual(v.MrzHash, Hex(k), v.Name + ": K = SHA-1(MRZ information)");
                pace.MrzKey(password, 0, password.Length, kPi, 0);
            }
            else
            {
                pace.PasswordKey(password, 0, password.Length, kPi, 0);
            }
            Assert.AreEqual(v.KPi, Hex(kPi), v.Name + ": K_pi = KDF(., 3)");
        }

        public static void NonceDecryption(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] z = B(v.Z);
            byte[] s = new byte[16];
            Assert.AreEqual(PaceError.None, pace.DecryptNonce(B(v.KPi), 0, z, 0, 16, s, 0));
            Assert.AreEqual(v.S, Hex(s), v.Name + ": s = D(K_pi, z)");
        }

        public static void MappingKeys(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] g = new byte[65];
            pace.Arithmetic.Curve.GetGenerator(g, 0);
            byte[] pk = new byte[65];
            byte[] sk = B(v.SkMapIfd);
            Assert.AreEqual(PaceError.None, pace.PublicKey(sk, 0, sk.Length, g, 0, pk, 0));
            Assert.AreEqual(v.PkMapIfd, Hex(pk), v.Name + ": PK_map,IFD");
            sk = B(v.SkMapIc);
            Assert.AreEqual(PaceError.None, pace.PublicKey(sk, 0, sk.Length, g, 0, pk, 0));
            Assert.AreEqual(v.PkMapIc, Hex(pk), v.Name + ": PK_map,IC");
        }

        public static void GenericMapping(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] s = B(v.S);
            byte[] h = new byte[65];
            byte[] mapped = new byte[65];
            byte[] sk = B(v.SkMapIfd);
            Assert.AreEqual(PaceError.None, pace.MapGenerator(s, 0, s.Length, sk, 0, sk.Length, B(v.PkMapIc), 0, h, 0, mapped, 0));
            Assert.AreEqual(v.H, Hex(h), v.Name + ": H = SK_map,IFD * PK_map,IC");
            Assert.AreEqual(v.MappedG, Hex(mapped), v.Name + ": G' = s*G + H");

            // The card's side reaches the same H and G'.
            sk = B(v.SkMapIc);
            Assert.AreEqual(PaceError.None, pace.MapGenerator(s, 0, s.Length, sk, 0, sk.Length, B(v.PkMapIfd), 0, h, 0, mapped, 0));
            Assert.AreEqual(v.H, Hex(h), v.Name + ": H = SK_map,IC * PK_map,IFD");
            Assert.AreEqual(v.MappedG, Hex(mapped), v.Name + ": card's G'");
        }

        public static void EphemeralKeys(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] mapped = B(v.MappedG);
            byte[] pk = new byte[65];
            byte[] sk = B(v.SkDhIfd);
            Assert.AreEqual(PaceError.None, pace.PublicKey(sk, 0, sk.Length, mapped, 0, pk, 0));
            Assert.AreEqual(v.PkDhIfd, Hex(pk), v.Name + ": PK_DH,IFD = SK_DH,IFD * G'");
            sk = B(v.SkDhIc);
            Assert.AreEqual(PaceError.None, pace.PublicKey(sk, 0, sk.Length, mapped, 0, pk, 0));
            Assert.AreEqual(v.PkDhIc, Hex(pk), v.Name + ": PK_DH,IC = SK_DH,IC * G'");
        }

        public static void KeyAgreement(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] k = new byte[32];
            byte[] sk = B(v.SkDhIfd);
            Assert.AreEqual(PaceError.None, pace.SharedSecret(sk, 0, sk.Length, B(v.PkDhIfd), 0, B(v.PkDhIc), 0, k, 0));
            Assert.AreEqual(v.K, Hex(k), v.Name + ": K = x(SK_DH,IFD * PK_DH,IC)");
            sk = B(v.SkDhIc);
            Assert.AreEqual(PaceError.None, pace.SharedSecret(sk, 0, sk.Length, B(v.PkDhIc), 0, B(v.PkDhIfd), 0, k, 0));
            Assert.AreEqual(v.K, Hex(k), v.Name + ": K = x(SK_DH,IC * PK_DH,IFD)");
        }

        public static void SessionKeys(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] k = B(v.K);
            byte[] key = new byte[16];
            pace.DeriveKey(k, 0, k.Length, PaceCrypto.CounterEnc, key, 0);
            Assert.AreEqual(v.KsEnc, Hex(key), v.Name + ": KS_enc = KDF(K, 1)");
            pace.DeriveKey(k, 0, k.Length, PaceCrypto.CounterMac, key, 0);
            Assert.AreEqual(v.KsMac, Hex(key), v.Name + ": KS_mac = KDF(K, 2)");
        }

        public static void AuthenticationTokens(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] pkIc = B(v.PkDhIc);
            byte[] pkIfd = B(v.PkDhIfd);
            if (v.TokenIfdInput.Length > 0)
            {
                byte[] input = new byte[pace.PublicKeyObjectLength];
                Assert.AreEqual(input.Length, pace.WritePublicKeyObject(pkIc, 0, input, 0));
                Assert.AreEqual(v.TokenIfdInput, Hex(input), v.Name + ": T_IFD input 7F49 {06 OID, 86 PK_DH,IC}");
            }
            byte[] ksMac = B(v.KsMac);
            byte[] t = new byte[8];
            pace.Token(ksMac, 0, pkIc, 0, t, 0);
            Assert.AreEqual(v.TokenIfd, Hex(t), v.Name + ": T_IFD = CMAC(KS_mac, PK_DH,IC object)");
            pace.Token(ksMac, 0, pkIfd, 0, t, 0);
            Assert.AreEqual(v.TokenIc, Hex(t), v.Name + ": T_IC = CMAC(KS_mac, PK_DH,IFD object)");
            Assert.AreEqual(PaceError.None, pace.VerifyToken(ksMac, 0, pkIfd, 0, B(v.TokenIc), 0));
            byte[] wrong = B(v.TokenIc);
            wrong[7] ^= 1;
            Assert.AreEqual(PaceError.TokenMismatch, pace.VerifyToken(ksMac, 0, pkIfd, 0, wrong, 0));
        }

        public static void PeerPointChecks(PaceVectorSet v, PaceCrypto pace)
        {
            byte[] s = B(v.S);
            byte[] sk = B(v.SkMapIfd);
            byte[] h = new byte[65];
            byte[] mapped = new byte[65];
            byte[] forged = B(v.PkMapIc);
            forged[64] ^= 1;
            Assert.AreEqual(PaceError.PointNotOnCurve, pace.MapGenerator(s, 0, s.Length, sk, 0, sk.Length, forged, 0, h, 0, mapped, 0));

            byte[] k = new byte[32];
            byte[] skDh = B(v.SkDhIfd);
            byte[] pkIfd = B(v.PkDhIfd);
            Assert.AreEqual(PaceError.SamePublicKeys, pace.SharedSecret(skDh, 0, skDh.Length, pkIfd, 0, pkIfd, 0, k, 0));
            forged = B(v.PkDhIc);
            forged[10] ^= 0x20;
            Assert.AreEqual(PaceError.PointNotOnCurve, pace.SharedSecret(skDh, 0, skDh.Length, pkIfd, 0, forged, 0, k, 0));
        }
    }
}
