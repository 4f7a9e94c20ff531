using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;

namespace Terminal.Tests.Device.Crypto
{
    /// <summary>The managed elliptic-curve arithmetic on brainpoolP256r1, P-256 and brainpoolP384r1: group laws
    /// (n·G = O, (n-1)·G = -G, 2·G = G + G, (a+b)·G = a·G + b·G), a published P-256 multiple, and the
    /// point-on-curve check that every peer key goes through.</summary>
    [TestClass]
    public class EcArithmeticTests
    {
        private sealed class CountingRandom : IRandomSource
        {
            private int _next = 1;

            public void GetBytes(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    _next = _next * 1103515245 + 12345;
                    buffer[offset + i] = (byte)(_next >> 16);
                }
            }
        }

        private static EcCurve Curve(int id)
        {
            EcCurve? c = EcCurve.FromParameterId(id);
            Assert.IsNotNull(c);
            return c!;
        }

        private static byte[] Generator(EcCurve curve)
        {
            byte[] g = new byte[curve.PointLength];
            curve.GetGenerator(g, 0);
            return g;
        }

        [TestMethod]
        [DataRow(13)]
        [DataRow(12)]
        [DataRow(16)]
        public void GeneratorIsOnCurveAndHasOrderN(int id)
        {
            EcCurve curve = Curve(id);
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, null);
            byte[] g = Generator(curve);
            Assert.IsTrue(ec.IsOnCurve(g, 0));

            byte[] n = new byte[curve.FieldLength];
            curve.GetOrder(n, 0);
            byte[] result = new byte[curve.PointLength];
            Assert.IsFalse(ec.Multiply(n, 0, n.Length, g, 0, result, 0), "n·G is the point at infinity");

            // (n-1)·G = -G = (Gx, p - Gy)
            n[n.Length - 1]--;
            Assert.IsTrue(ec.Multiply(n, 0, n.Length, g, 0, result, 0));
            int len = curve.FieldLength;
            Assert.AreEqual(TestHex.Format(g, 1, len), TestHex.Format(result, 1, len));
            byte[] p = new byte[len];
            curve.GetPrime(p, 0);
            int borrow = 0;
            byte[] negY = new byte[len];
            for (int i = len - 1; i >= 0; i--)
            {
                int d = p[i] - g[1 + len + i] - borrow;
                borrow = d < 0 ? 1 : 0;
                negY[i] = (byte)d;
            }
            Assert.AreEqual(TestHex.Format(negY), TestHex.Format(result, 1 + len, len));
        }

        [TestMethod]
        [DataRow(13)]
        [DataRow(12)]
        [DataRow(16)]
        public void DoublingEqualsAdditionAndScalarsAdd(int id)
        {
            EcCurve curve = Curve(id);
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, new CountingRandom());
            byte[] g = Generator(curve);
            int pl = curve.PointLength;
            byte[] two = { 2 };
            byte[] one = { 1 };
            byte[] a = new byte[pl];
            byte[] b = new byte[pl];
            Assert.IsTrue(ec.Multiply(two, 0, 1, g, 0, a, 0));
            Assert.IsTrue(ec.MultiplyAdd(one, 0, 1, g, 0, g, 0, b, 0));
            Assert.AreEqual(TestHex.Format(a), TestHex.Format(b));
            Assert.IsTrue(ec.IsOnCurve(a, 0));

            // k1·G + k2·G = (k1 + k2)·G with k1 = 0x1234..., k2 = 0x0F0F...
            byte[] k1 = TestHex.Parse("123456789ABCDEF0123456789ABCDEF0");
            byte[] k2 = TestHex.Parse("0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F0F");
            byte[] sum = TestHex.Parse("21436587A9CBEDFF21436587A9CBEDFF");
            byte[] k2g = new byte[pl];
            Assert.IsTrue(ec.Multiply(k2, 0, k2.Length, g, 0, k2g, 0));
            Assert.IsTrue(ec.MultiplyAdd(k1, 0, k1.Length, g, 0, k2g, 0, a, 0));
            Assert.IsTrue(ec.Multiply(sum, 0, sum.Length, g, 0, b, 0));
            Assert.AreEqual(TestHex.Format(b), TestHex.Format(a));

            // k·(j·G) = j·(k·G) (Diffie-Hellman commutes) with random scalars.
            byte[] j = new byte[curve.FieldLength];
            byte[] k = new byte[curve.FieldLength];
            ec.RandomScalar(j, 0);
            ec.RandomScalar(k, 0);
            byte[] jg = new byte[pl];
            byte[] kg = new byte[pl];
            Assert.IsTrue(ec.Multiply(j, 0, j.Length, g, 0, jg, 0));
            Assert.IsTrue(ec.Multiply(k, 0, k.Length, g, 0, kg, 0));
            Assert.IsTrue(ec.Multiply(k, 0, k.Length, jg, 0, a, 0));
            Assert.IsTrue(ec.Multiply(j, 0, j.Length, kg, 0, b, 0));
            Assert.AreEqual(TestHex.Format(a), TestHex.Format(b));
        }

        [TestMethod]
        public void NistP256_TwoG_PublishedValue()
        {
            EcCurve curve = EcCurve.NistP256;
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, null);
            byte[] result = new byte[65];
            Assert.IsTrue(ec.Multiply(new byte[] { 2 }, 0, 1, Generator(curve), 0, result, 0));
            Assert.AreEqual("047CF27B188D034F7E8A52380304B51AC3C08969E277F21B35A60B48FC47669978"
                + "07775510DB8ED040293D9AC69F7430DBBA7DADE63CE982299E04B79D227873D1", TestHex.Format(result));
        }

        [TestMethod]
        [DataRow(13)]
        [DataRow(12)]
        [DataRow(16)]
        public void PointOnCurveCheckRejectsForgedPoints(int id)
        {
            EcCurve curve = Curve(id);
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, null);
            int len = curve.FieldLength;
            byte[] g = Generator(curve);
            byte[] bad = new byte[g.Length];

            g.CopyTo(bad, 0);
            bad[bad.Length - 1] ^= 1;
            Assert.IsFalse(ec.IsOnCurve(bad, 0), "y changed");

            g.CopyTo(bad, 0);
            bad[0] = 0x02;
            Assert.IsFalse(ec.IsOnCurve(bad, 0), "compressed form is not accepted");

            // x + p (same residue, not reduced) must be refused: put p in x and 0 in y, which is not on the curve
            // anyway, and the all-FF x which is above p.
            for (int i = 1; i <= len; i++)
            {
                bad[i] = 0xFF;
            }
            Assert.IsFalse(ec.IsOnCurve(bad, 0), "x >= p");

            byte[] result = new byte[g.Length];
            g.CopyTo(bad, 0);
            bad[5] ^= 0x40;
            Assert.IsFalse(ec.Multiply(new byte[] { 3 }, 0, 1, bad, 0, result, 0), "invalid-curve points are not multiplied");
            Assert.IsFalse(ec.IsOnCurve(new byte[g.Length], 0), "all zero");
        }

        [TestMethod]
        [DataRow(13)]
        [DataRow(12)]
        [DataRow(16)]
        public void RandomScalarsAreBelowTheOrderAndNonZero(int id)
        {
            EcCurve curve = Curve(id);
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, new CountingRandom());
            byte[] n = new byte[curve.FieldLength];
            curve.GetOrder(n, 0);
            byte[] k = new byte[curve.FieldLength];
            for (int round = 0; round < 50; round++)
            {
                ec.RandomScalar(k, 0);
                int cmp = 0;
                bool zero = true;
                for (int i = 0; i < k.Length; i++)
                {
                    if (k[i] != 0)
                    {
                        zero = false;
                    }
                    if (cmp == 0 && k[i] != n[i])
                    {
                        cmp = k[i] < n[i] ? -1 : 1;
                    }
                }
                Assert.IsFalse(zero);
                Assert.AreEqual(-1, cmp);
            }
        }
    }
}
