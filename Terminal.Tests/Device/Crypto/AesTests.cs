using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;

namespace Terminal.Tests.Device.Crypto
{
    /// <summary>The managed AES against FIPS 197 Appendix C (example vectors for AES-128, -192, -256).</summary>
    [TestClass]
    public class AesTests
    {
        [TestMethod]
        [DataRow("000102030405060708090A0B0C0D0E0F", "69C4E0D86A7B0430D8CDB78070B4C55A")]
        [DataRow("000102030405060708090A0B0C0D0E0F1011121314151617", "DDA97CA4864CDFE06EAF70A0EC0D7191")]
        [DataRow("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F", "8EA2B7CA516745BFEAFC49904B496089")]
        public void Fips197_AppendixC_EncryptAndDecrypt(string key, string cipherText)
        {
            byte[] k = TestHex.Parse(key);
            byte[] plain = TestHex.Parse("00112233445566778899AABBCCDDEEFF");
            ManagedAes aes = new ManagedAes(k, 0, k.Length);
            byte[] block = new byte[16];
            aes.EncryptBlock(plain, 0, block, 0);
            Assert.AreEqual(cipherText, TestHex.Format(block));
            aes.DecryptBlock(block, 0, block, 0);
            Assert.AreEqual("00112233445566778899AABBCCDDEEFF", TestHex.Format(block));
        }

        [TestMethod]
        public void Fips197_AppendixB_Cipher()
        {
            // FIPS 197 Appendix B: key 2B7E1516..., input 3243F6A8885A308D313198A2E0370734.
            byte[] k = TestHex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
            byte[] input = TestHex.Parse("3243F6A8885A308D313198A2E0370734");
            byte[] output = new byte[16];
            new ManagedAes(k, 0, 16).EncryptBlock(input, 0, output, 0);
            Assert.AreEqual("3925841D02DC09FBDC118597196A0B32", TestHex.Format(output));
        }

        [TestMethod]
        public void Sp800_38A_F2_1_CbcAes128_EncryptAndDecryptInPlace()
        {
            // NIST SP 800-38A F.2.1/F.2.2 CBC-AES128, first two blocks.
            byte[] k = TestHex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
            byte[] iv = TestHex.Parse("000102030405060708090A0B0C0D0E0F");
            byte[] data = TestHex.Parse("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51");
            ManagedAes aes = new ManagedAes(k, 0, 16);
            aes.EncryptCbc(iv, 0, data, 0, 32, data, 0);
            Assert.AreEqual("7649ABAC8119B246CEE98E9B12E9197D5086CB9B507219EE95DB113A917678B2", TestHex.Format(data));
            aes.DecryptCbc(iv, 0, data, 0, 32, data, 0);
            Assert.AreEqual("6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E51", TestHex.Format(data));
            Assert.AreEqual("000102030405060708090A0B0C0D0E0F", TestHex.Format(iv));
        }

        [TestMethod]
        public void ClearWipesTheKeySchedule()
        {
            byte[] k = TestHex.Parse("000102030405060708090A0B0C0D0E0F");
            byte[] plain = TestHex.Parse("00112233445566778899AABBCCDDEEFF");
            ManagedAes aes = new ManagedAes(k, 0, 16);
            aes.Clear();
            byte[] block = new byte[16];
            aes.EncryptBlock(plain, 0, block, 0);
            Assert.AreNotEqual("69C4E0D86A7B0430D8CDB78070B4C55A", TestHex.Format(block));
        }

        [TestMethod]
        public void RejectsKeyLengthsOtherThan128_192_256()
        {
            Assert.ThrowsException(typeof(System.ArgumentException), () => new ManagedAes(new byte[20], 0, 20));
        }
    }
}
