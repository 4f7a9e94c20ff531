using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-3 §7.1 (ETU), §8.3 (guard time), §10.2 (WT), §11.4 (CWT, BWT, BGT).</summary>
    [TestClass]
    public class TimingTests
    {
        [TestMethod]
        public void Iso7816_3_7_1_Etu_IsFiOverDi_RoundedUp()
        {
            Timing t = new Timing();
            Assert.AreEqual(372L, t.EtuCycles(1));
            t.SetRate(372, 12);
            Assert.AreEqual(31L, t.EtuCycles(1));
            t.SetRate(372, 64);
            Assert.AreEqual(6L, t.EtuCycles(1));
            Assert.AreEqual(117L, t.EtuCycles(20)); // 7440 / 64 = 116.25
        }

        [TestMethod]
        [DataRow(0, 0, 12)]
        [DataRow(0, 1, 12)]
        [DataRow(5, 0, 17)]
        [DataRow(255, 0, 12)]
        [DataRow(255, 1, 11)]
        public void Iso7816_3_8_3_GuardTime_12PlusN_N255(int n, int protocol, int expected)
        {
            Timing t = new Timing();
            t.SetParameters(n, 10, 13, 4);
            Assert.AreEqual(expected, t.GuardTimeEtu(protocol));
        }

        [TestMethod]
        public void Iso7816_3_10_2_WaitingTime_960WiFi()
        {
            Timing t = new Timing();
            Assert.AreEqual(3571200L, t.WwtCycles);
            Assert.AreEqual(892800L, t.CyclesToMicroseconds(t.WwtCycles));
            t.SetParameters(0, 42, 13, 4); // CPS3: TC2 = 2A
            Assert.AreEqual(14999040L, t.WwtCycles);
            Assert.AreEqual(3749760L, t.CyclesToMicroseconds(t.WwtCycles));
            t.SetRate(372, 4); // WT does not depend on Di
            Assert.AreEqual(14999040L, t.WwtCycles);
        }

        [TestMethod]
        public void Iso7816_3_11_4_3_BlockWaitingTime_11EtuPlus2PowBwiTimes960Fd()
        {
            Timing t = new Timing();
            Assert.AreEqual(11L * 372 + 16L * 960 * 372, t.BwtCycles);
            t.SetRate(372, 12);
            t.SetParameters(0, 10, 5, 7);
            Assert.AreEqual(11L * 31 + 128L * 960 * 372, t.BwtCycles);
            Assert.AreEqual(3 * t.BwtCycles, t.BwtCyclesWithWtx(3));
            Assert.AreEqual(t.BwtCycles, t.BwtCyclesWithWtx(0));
        }

        [TestMethod]
        public void Iso7816_3_11_4_2_CharacterWaitingTime_11Plus2PowCwi()
        {
            Timing t = new Timing();
            Assert.AreEqual((11L + 8192) * 372, t.CwtCycles);
            t.SetParameters(0, 10, 5, 4);
            Assert.AreEqual(43L * 372, t.CwtCycles);
        }

        [TestMethod]
        public void Iso7816_3_11_2_BlockGuardTime_22Etu()
        {
            Timing t = new Timing();
            t.SetRate(372, 4);
            Assert.AreEqual(22L * 93, t.BgtCycles);
            Assert.AreEqual(16L * 93, t.T0TurnaroundCycles);
            Assert.AreEqual(12L * 93, t.TurnaroundWaitCycles(1));
            Assert.AreEqual(6L * 93, t.TurnaroundWaitCycles(0));
        }

        [TestMethod]
        public void Iso7816_3_6_2_AtrLimits()
        {
            Assert.AreEqual(40000L, Timing.AtrFirstCharMaxCycles);
            Assert.AreEqual(9600L * 372, Timing.AtrCharMaxCycles);
            Assert.AreEqual(20160L * 372, Timing.AtrTotalMaxCycles);
            Assert.IsTrue(Timing.ResetLowCycles >= 400 && Timing.ResetLowCycles <= 40000);
        }

        [TestMethod]
        public void Timing_FromAtr_TakesNWiCwiBwi_KeepsRate()
        {
            byte[] b = Hex.Bytes("3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C");
            Atr atr = new Atr();
            atr.Parse(b, 0, b.Length);
            Timing t = new Timing();
            t.SetFromAtr(atr);
            Assert.AreEqual(255, t.N);
            Assert.AreEqual(5, t.Cwi);
            Assert.AreEqual(7, t.Bwi);
            Assert.AreEqual(372, t.Fi);
            Assert.AreEqual(1, t.Di);
        }

        [TestMethod]
        public void Microseconds_RoundTrip()
        {
            Timing t = new Timing();
            t.Reset(5000000);
            Assert.AreEqual(5L, t.MicrosecondsToCycles(1));
            Assert.AreEqual(1000L, t.CyclesToMicroseconds(5000));
        }
    }
}
