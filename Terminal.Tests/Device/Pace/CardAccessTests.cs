using nanoFramework.TestFramework;
using Terminal.Pace;
using Terminal.Tests.Device.Crypto;

namespace Terminal.Tests.Device.Pace
{
    /// <summary>EF.CardAccess (TR-03110-3 A.1.1) on real contents quoted from public test code, and malformed input.</summary>
    [TestClass]
    public class CardAccessTests
    {
        [TestMethod]
        public void IcaoG1AndGematikEgk_OnePaceInfo_GmAes128_Brainpool256()
        {
            // Quoted from gmrtd document TestDecodeSecurityInfos and gematik erp-app PaceInfoTest (eGK G2.1).
            byte[] ef = TestHex.Parse("31143012060A04007F0007020204020202010202010D");
            CardAccess ca = new CardAccess();
            Assert.AreEqual(CardAccess.Found, ca.Parse(ef, 0, ef.Length));
            Assert.IsTrue(ca.Algorithm == PaceAlgorithm.EcdhGmAes128);
            Assert.AreEqual(13, ca.ParameterId);
            Assert.AreEqual(2, ca.Version);
        }

        [TestMethod]
        public void GermanIdCard_PaceInfoAmongTaCaLocatorAndPrivilegedInfos()
        {
            // German eID card EF.CardAccess, quoted from Governikus AusweisApp tests (TA, CA, PACE, CA domain
            // parameters, CardInfoLocator, PrivilegedTerminalInfo with a nested SET).
            byte[] ef = TestHex.Parse(
                "3181C1300D060804007F00070202020201023012060A04007F000702020302020201020201413012060A04007F0007020204020202010202010D"
                + "301C060904007F000702020302300C060704007F0007010202010D020141302A060804007F0007020206161E687474703A2F2F6273692E62756E64"
                + "2E64652F6369662F6E70612E786D6C303E060804007F000702020831323012060A04007F00070202030202020102020145301C060904007F0007"
                + "02020302300C060704007F0007010202010D020145");
            CardAccess ca = new CardAccess();
            Assert.AreEqual(CardAccess.Found, ca.Parse(ef, 0, ef.Length));
            Assert.IsTrue(ca.Algorithm == PaceAlgorithm.EcdhGmAes128);
            Assert.AreEqual(13, ca.ParameterId);
        }

        [TestMethod]
        [DataRow("31143012060A04007F00070202040102020102020100")]
        [DataRow("31143012060A04007F00070202040602020102020110")]
        [DataRow("31143012060A04007F0007020204020202010202010E")]
        [DataRow("3111300F060A04007F00070202040202020102")]
        [DataRow("3100")]
        public void UnsupportedPaceInfosAreSkipped(string hex)
        {
            // DH-GM, ECDH-CAM, brainpoolP320r1 (14), no parameter ID (explicit domain parameters), empty set.
            byte[] ef = TestHex.Parse(hex);
            CardAccess ca = new CardAccess();
            Assert.AreEqual(CardAccess.NotSupported, ca.Parse(ef, 0, ef.Length));
            Assert.IsNull(ca.Algorithm);
        }

        [TestMethod]
        public void SecondPaceInfoIsUsedWhenTheFirstIsNotSupported()
        {
            byte[] ef = TestHex.Parse("3128" + "3012060A04007F00070202040602020102020110" + "3012060A04007F0007020204020402010202010C");
            CardAccess ca = new CardAccess();
            Assert.AreEqual(CardAccess.Found, ca.Parse(ef, 0, ef.Length));
            Assert.IsTrue(ca.Algorithm == PaceAlgorithm.EcdhGmAes256);
            Assert.AreEqual(12, ca.ParameterId);
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("30143012060A04007F0007020204020202010202010D")]
        [DataRow("31153012060A04007F0007020204020202010202010D")]
        [DataRow("31143013060A04007F0007020204020202010202010D")]
        [DataRow("3114301206FF04007F0007020204020202010202010D")]
        [DataRow("311430120A0A04007F0007020204020202010202010D")]
        [DataRow("31843012")]
        [DataRow("31")]
        public void MalformedContentIsReportedNotThrown(string hex)
        {
            byte[] ef = TestHex.Parse(hex);
            CardAccess ca = new CardAccess();
            Assert.AreEqual(CardAccess.Malformed, ca.Parse(ef, 0, ef.Length));
        }

        [TestMethod]
        public void EveryTruncationIsReportedNotThrown()
        {
            byte[] ef = TestHex.Parse("31143012060A04007F0007020204020202010202010D");
            CardAccess ca = new CardAccess();
            for (int n = 0; n < ef.Length; n++)
            {
                Assert.AreEqual(CardAccess.Malformed, ca.Parse(ef, 0, n), "length " + n);
            }
        }
    }
}
