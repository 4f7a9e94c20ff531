using System;
using System.Security.Cryptography;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.Desktop;
using Xunit;

namespace Terminal.Tests.Crypto
{
    /// <summary>The portable curve constants, EC arithmetic and hashes against .NET (OpenSSL): named-curve
    /// parameters, k·P and k·P + Q on random scalars, SHA-1/SHA-256 on random data.</summary>
    public class EcAndHashCrossCheckTests
    {
        private static readonly Random Seeded = new Random(1202);

        public static TheoryData<string> Curves => new TheoryData<string> { "brainpoolP256r1", "P-256", "brainpoolP384r1" };

        private static EcCurve Portable(string name) => name switch
        {
            "brainpoolP256r1" => EcCurve.BrainpoolP256r1,
            "P-256" => EcCurve.NistP256,
            _ => EcCurve.BrainpoolP384r1,
        };

        private static ECCurve Named(string name) => name switch
        {
            "brainpoolP256r1" => ECCurve.NamedCurves.brainpoolP256r1,
            "P-256" => ECCurve.NamedCurves.nistP256,
            _ => ECCurve.NamedCurves.brainpoolP384r1,
        };

        [Theory]
        [MemberData(nameof(Curves))]
        public void CurveConstants_MatchDotNetNamedCurves(string name)
        {
            EcCurve curve = Portable(name);
            using ECDiffieHellman ecdh = ECDiffieHellman.Create(Named(name));
            ECCurve expl = ecdh.ExportExplicitParameters(false).Curve;
            int n = curve.FieldLength;
            byte[] b = new byte[n];
            curve.GetPrime(b, 0);
            Assert.Equal(expl.Prime, b);
            curve.GetA(b, 0);
            Assert.Equal(expl.A, b);
            curve.GetB(b, 0);
            Assert.Equal(expl.B, b);
            curve.GetOrder(b, 0);
            Assert.Equal(expl.Order, b);
            byte[] g = new byte[curve.PointLength];
            curve.GetGenerator(g, 0);
            Assert.Equal(expl.G.X, g.AsSpan(1, n).ToArray());
            Assert.Equal(expl.G.Y, g.AsSpan(1 + n, n).ToArray());
        }

        [Theory]
        [MemberData(nameof(Curves))]
        public void ManagedAndDesktopArithmetic_Agree(string name)
        {
            EcCurve curve = Portable(name);
            ManagedEcArithmetic managed = new ManagedEcArithmetic(curve, DesktopRandomSource.Instance);
            DesktopEcArithmetic desktop = new DesktopEcArithmetic(curve);
            byte[] g = new byte[curve.PointLength];
            curve.GetGenerator(g, 0);
            byte[] p = new byte[g.Length];
            byte[] q = new byte[g.Length];
            byte[] a = new byte[g.Length];
            byte[] b = new byte[g.Length];
            byte[] k = new byte[curve.FieldLength];
            byte[] s = new byte[16];
            for (int round = 0; round < 10; round++)
            {
                managed.RandomScalar(k, 0);
                Assert.True(managed.Multiply(k, 0, k.Length, g, 0, p, 0));
                Assert.True(desktop.Multiply(k, 0, k.Length, g, 0, a, 0));
                Assert.Equal(a, p);
                desktop.RandomScalar(k, 0);
                Assert.True(desktop.Multiply(k, 0, k.Length, p, 0, q, 0));
                Assert.True(managed.Multiply(k, 0, k.Length, p, 0, a, 0));
                Assert.Equal(q, a);
                Seeded.NextBytes(s);
                Assert.True(managed.MultiplyAdd(s, 0, s.Length, g, 0, q, 0, a, 0));
                Assert.True(desktop.MultiplyAdd(s, 0, s.Length, g, 0, q, 0, b, 0));
                Assert.Equal(b, a);
                Assert.True(managed.IsOnCurve(a, 0));
                Assert.True(desktop.IsOnCurve(a, 0));
            }
        }

        [Theory]
        [MemberData(nameof(Curves))]
        public void EdgeCases_AgreeBetweenImplementations(string name)
        {
            EcCurve curve = Portable(name);
            IEcArithmetic[] both = { new ManagedEcArithmetic(curve, null), new DesktopEcArithmetic(curve) };
            byte[] g = new byte[curve.PointLength];
            curve.GetGenerator(g, 0);
            byte[] n = new byte[curve.FieldLength];
            curve.GetOrder(n, 0);
            byte[] nMinus1 = (byte[])n.Clone();
            nMinus1[^1]--;
            foreach (IEcArithmetic ec in both)
            {
                byte[] r = new byte[g.Length];
                Assert.False(ec.Multiply(n, 0, n.Length, g, 0, r, 0));                   // n·G = O
                Assert.True(ec.MultiplyAdd(n, 0, n.Length, g, 0, g, 0, r, 0));           // n·G + G = G
                Assert.Equal(g, r);
                Assert.False(ec.MultiplyAdd(nMinus1, 0, n.Length, g, 0, g, 0, r, 0));    // -G + G = O
                Assert.True(ec.MultiplyAdd(new byte[] { 1 }, 0, 1, g, 0, g, 0, r, 0));   // G + G (doubling)
                byte[] twoG = new byte[g.Length];
                Assert.True(ec.Multiply(new byte[] { 2 }, 0, 1, g, 0, twoG, 0));
                Assert.Equal(twoG, r);
            }
        }

        [Fact]
        public void ManagedSha_MatchesSystemCryptography()
        {
            Sha1 sha1 = new Sha1();
            Sha256 sha256 = new Sha256();
            byte[] d1 = new byte[20];
            byte[] d256 = new byte[32];
            for (int length = 0; length < 300; length++)
            {
                byte[] data = new byte[length];
                Seeded.NextBytes(data);
                sha1.Update(data, 0, length);
                sha1.Finish(d1, 0);
                sha256.Update(data, 0, length);
                sha256.Finish(d256, 0);
                Assert.Equal(SHA1.HashData(data), d1);
                Assert.Equal(SHA256.HashData(data), d256);
            }
        }
    }
}
