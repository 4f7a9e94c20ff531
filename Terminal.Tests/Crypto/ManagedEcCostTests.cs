using Terminal.Iso7816.Crypto;
using Terminal.Pace;
using Terminal.Tests.Device.Pace;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Crypto
{
    /// <summary>
    /// The operation count of the managed reference arithmetic, the basis of the device estimate (issue 9 item 6):
    /// field multiplications per scalar multiplication and per PACE (reader side), per curve. Double-and-add over an
    /// m-bit scalar costs m doublings (10 products) and about m/2 additions (16), plus one inversion (about 1.5 m).
    /// </summary>
    public class ManagedEcCostTests
    {
        private readonly ITestOutputHelper _output;

        public ManagedEcCostTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Theory]
        [InlineData(13, 16)]
        [InlineData(12, 16)]
        [InlineData(16, 32)]
        public void FieldMultiplicationsPerScalarMultiplicationAndPerPace(int curveId, int keyLength)
        {
            EcCurve curve = EcCurve.FromParameterId(curveId)!;
            int bits = 8 * curve.FieldLength;
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, new TestRandom(3));
            byte[] g = new byte[curve.PointLength];
            curve.GetGenerator(g, 0);
            byte[] k = new byte[curve.FieldLength];
            ec.RandomScalar(k, 0);
            byte[] r = new byte[curve.PointLength];
            long before = ec.FieldMultiplications;
            Assert.True(ec.Multiply(k, 0, k.Length, g, 0, r, 0));
            long one = ec.FieldMultiplications - before;

            // Bounds from the formulas: at least the doublings and the inversion, at most all-ones additions.
            Assert.InRange(one, 10L * (bits - 8) + bits, 10L * bits + 16L * bits + 3L * bits + 20);

            PaceAlgorithm algorithm = keyLength == 16 ? PaceAlgorithm.EcdhGmAes128 : PaceAlgorithm.EcdhGmAes256;
            PaceTestCard card = new PaceTestCard(algorithm, curve, "123456", 11);
            PaceReader reader = new PaceReader(card, ManagedCipherFactory.Instance);
            byte[] pin = { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36 };
            before = ec.FieldMultiplications;
            Assert.Equal(PaceResult.Success, reader.Establish(algorithm, ec, PaceReader.PasswordPin, pin, 0, pin.Length, null, 0, 0));
            long pace = ec.FieldMultiplications - before;

            // Five scalar multiplications (PK_map, H, s·G + H, PK_DH, K) and five on-curve checks.
            Assert.InRange(pace, 4 * one, 7 * one);
            // A CIOS Montgomery product on l 32-bit limbs runs 2·l² inner multiply-accumulate steps, the
            // loop that dominates the interpreted cost on the device.
            int limbs = curve.FieldLength / 4;
            long steps = pace * 2 * limbs * limbs;
            _output.WriteLine($"{curve.Name}: {one} field multiplications per k·P, {pace} per PACE (reader side), {limbs} limbs, {steps} limb multiply-accumulate steps per PACE");
        }
    }
}
