using System;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Terminal.Simulator
{
    /// <summary>
    /// A throw-away test PKI made at first use: a self-signed test CA and, per holder, an
    /// authentication and a signature key (RSA 2048) with their X.509 certificates. Never real keys.
    /// </summary>
    public sealed class TestPki
    {
        private static readonly object Gate = new object();
        private static RSA? _caKey;
        private static X509Certificate2? _ca;

        /// <summary>The signature key (reference 0x81).</summary>
        public RSA SignatureKey { get; }

        /// <summary>The authentication key (reference 0x82).</summary>
        public RSA AuthenticationKey { get; }

        /// <summary>DER of the signature certificate.</summary>
        public byte[] SignatureCertificate { get; }

        /// <summary>DER of the authentication certificate.</summary>
        public byte[] AuthenticationCertificate { get; }

        /// <summary>DER of the test CA certificate.</summary>
        public static byte[] CaCertificate { get { EnsureCa(); return _ca!.RawData; } }

        /// <summary>Makes keys and certificates for <paramref name="holder"/>.</summary>
        public TestPki(string holder, string serial)
        {
            EnsureCa();
            SignatureKey = RSA.Create(2048);
            AuthenticationKey = RSA.Create(2048);
            SignatureCertificate = Issue(SignatureKey, $"CN={holder} (signature), OU=SIMULATION, O=Test health PKI - not real, C=FR", serial + "01", X509KeyUsageFlags.NonRepudiation);
            AuthenticationCertificate = Issue(AuthenticationKey, $"CN={holder} (authentification), OU=SIMULATION, O=Test health PKI - not real, C=FR", serial + "02",
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
        }

        private static void EnsureCa()
        {
            lock (Gate)
            {
                if (_ca != null) { return; }
                _caKey = RSA.Create(2048);
                var req = new CertificateRequest("CN=TEST CA Simulateur (not a real CA), O=Terminal simulator, C=FR", _caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
                _ca = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
            }
        }

        private static byte[] Issue(RSA key, string subject, string serialHex, X509KeyUsageFlags usage)
        {
            var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            // A leading 01 keeps the certificate serial positive and of the card serial's digits.
            byte[] serial = Convert.FromHexString("01" + (serialHex.Length % 2 == 0 ? serialHex : "0" + serialHex));
            using X509Certificate2 c = req.Create(_ca!.SubjectName, X509SignatureGenerator.CreateForRSA(_caKey!, RSASignaturePadding.Pkcs1),
                DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(3), serial);
            return c.RawData;
        }

        /// <summary>
        /// The card's RSA private operation on a PKCS#1 v1.5 type 1 block built around
        /// <paramref name="data"/> (a DigestInfo or raw data); null when the data is too long.
        /// </summary>
        public static byte[]? SignPkcs1(RSA key, byte[] data)
        {
            RSAParameters p = key.ExportParameters(true);
            int k = p.Modulus!.Length;
            if (data.Length > k - 11) { return null; }
            var block = new byte[k];
            block[0] = 0x00;
            block[1] = 0x01;
            int ps = k - 3 - data.Length;
            for (int i = 0; i < ps; i++) { block[2 + i] = 0xFF; }
            block[2 + ps] = 0x00;
            Buffer.BlockCopy(data, 0, block, 3 + ps, data.Length);
            var m = new BigInteger(block, isUnsigned: true, isBigEndian: true);
            var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
            var d = new BigInteger(p.D!, isUnsigned: true, isBigEndian: true);
            byte[] s = BigInteger.ModPow(m, d, n).ToByteArray(isUnsigned: true, isBigEndian: true);
            if (s.Length == k) { return s; }
            var r = new byte[k];
            Buffer.BlockCopy(s, 0, r, k - s.Length, s.Length);
            return r;
        }
    }
}
