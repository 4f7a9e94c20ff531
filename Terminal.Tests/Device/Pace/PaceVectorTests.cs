using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;
using Terminal.Pace;

namespace Terminal.Tests.Device.Pace
{
    /// <summary>Every value of both PACE vector sets (ICAO 9303-11 G.1 = row 0, BSI EAC worked example v1.01 =
    /// row 1), step by step, on the portable managed arithmetic, hashes and AES.</summary>
    [TestClass]
    public class PaceVectorTests
    {
        private static PaceCrypto Crypto()
        {
            return PaceVectorSteps.Crypto(new ManagedEcArithmetic(EcCurve.BrainpoolP256r1, null), ManagedCipherFactory.Instance);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step1_PasswordKey_Kpi(int set)
        {
            PaceVectorSteps.PasswordKey(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step2_NonceDecryption(int set)
        {
            PaceVectorSteps.NonceDecryption(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step3_MappingKeyPairs(int set)
        {
            PaceVectorSteps.MappingKeys(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step4_GenericMapping_H_And_MappedGenerator(int set)
        {
            PaceVectorSteps.GenericMapping(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step5_EphemeralKeyPairsOnMappedGenerator(int set)
        {
            PaceVectorSteps.EphemeralKeys(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step6_KeyAgreement_SharedSecret(int set)
        {
            PaceVectorSteps.KeyAgreement(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step7_SessionKeys(int set)
        {
            PaceVectorSteps.SessionKeys(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void Step8_AuthenticationTokens(int set)
        {
            PaceVectorSteps.AuthenticationTokens(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void TR03110_A3_4_PeerPointsAreCheckedAndMustDiffer(int set)
        {
            PaceVectorSteps.PeerPointChecks(PaceVectorSet.Get(set), Crypto());
        }

        [TestMethod]
        public void AlgorithmOids()
        {
            byte[] oid = new byte[10];
            PaceAlgorithm.EcdhGmAes256.GetOid(oid, 0);
            Assert.AreEqual("04007F00070202040204", Terminal.Tests.Device.Crypto.TestHex.Format(oid));
            Assert.IsTrue(PaceAlgorithm.FromOid(oid, 0, 10) == PaceAlgorithm.EcdhGmAes256);
            oid[9] = 2;
            Assert.IsTrue(PaceAlgorithm.FromOid(oid, 0, 10) == PaceAlgorithm.EcdhGmAes128);
            Assert.AreEqual(16, PaceAlgorithm.EcdhGmAes128.KeyLength);
            oid[9] = 9;
            Assert.IsNull(PaceAlgorithm.FromOid(oid, 0, 10));
        }
    }
}
