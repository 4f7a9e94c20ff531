using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;

namespace Terminal.Tests.Device.Crypto
{
    /// <summary>
    /// The managed DES and 3DES against published known answers: NIST SP 800-20 (variable plaintext and variable
    /// key tests under the all-parity-only key), NIST SP 800-67 Rev. 1 Appendix B (three-key TDEA example),
    /// and the ICAO Doc 9303-11 Appendix D.3 BAC values (two-key 3DES-CBC and the retail MAC).
    /// </summary>
    [TestClass]
    public class DesTests
    {
        [TestMethod]
        [DataRow("0101010101010101", "8000000000000000", "95F8A5E5DD31D900")]
        [DataRow("0101010101010101", "4000000000000000", "DD7F121CA5015619")]
        [DataRow("0101010101010101", "2000000000000000", "2E8653104F3834EA")]
        [DataRow("0101010101010101", "0000000000000001", "166B40B44ABA4BD6")]
        [DataRow("8001010101010101", "0000000000000000", "95A8D72813DAA94D")]
        [DataRow("4001010101010101", "0000000000000000", "0EEC1487DD8C26D5")]
        [DataRow("133457799BBCDFF1", "0123456789ABCDEF", "85E813540F0AB405")]
        public void Sp800_20_KnownAnswer_EncryptAndDecrypt(string key, string plain, string cipher)
        {
            ManagedDes des = new ManagedDes(TestHex.Parse(key), 0);
            byte[] block = TestHex.Parse(plain);
            des.EncryptBlock(block, 0, block, 0);
            Assert.AreEqual(cipher, TestHex.Format(block));
            des.DecryptBlock(block, 0, block, 0);
            Assert.AreEqual(plain, TestHex.Format(block));
        }

        [TestMethod]
        public void Sp800_67_AppendixB_ThreeKeyTdeaEcb()
        {
            byte[] key = TestHex.Parse("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
            byte[] data = TestHex.Parse("5468652071756663 6B2062726F776E20 666F78206A756D70");
            ManagedTripleDes tdes = new ManagedTripleDes(key, 0, 24);
            for (int i = 0; i < 24; i += 8)
            {
                tdes.EncryptBlock(data, i, data, i);
            }
            Assert.AreEqual("A826FD8CE53B855FCCE21C8112256FE668D5C05DD9B6B900", TestHex.Format(data));
            for (int i = 0; i < 24; i += 8)
            {
                tdes.DecryptBlock(data, i, data, i);
            }
            Assert.AreEqual("54686520717566636B2062726F776E20666F78206A756D70", TestHex.Format(data));
        }

        [TestMethod]
        public void Icao9303_11_AppendixD3_TwoKeyTripleDesCbcAndRetailMac()
        {
            // ICAO Doc 9303-11 App. D.3 (as quoted in name.velikodniy.jcexpress IcaoAppendixD4SecureMessagingTest and
            // tsenger animamea SecureMessagingTest): E_IFD = 3DES-CBC(K_Enc, S), IV 0; M_IFD = retail MAC(K_MAC, pad(E_IFD)).
            byte[] kEnc = TestHex.Parse("AB94FDECF2674FDFB9B391F85D7F76F2");
            byte[] kMac = TestHex.Parse("7962D9ECE03D1ACD4C76089DCE131543");
            byte[] s = TestHex.Parse("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
            byte[] e = new byte[32];
            new ManagedTripleDes(kEnc, 0, 16).EncryptCbc(new byte[8], 0, s, 0, 32, e, 0);
            Assert.AreEqual("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2", TestHex.Format(e));

            RetailMac mac = new RetailMac(new ManagedDes(kMac, 0), new ManagedDes(kMac, 8));
            mac.Update(e, 0, 32);
            mac.Update(TestHex.Parse("8000000000000000"), 0, 8);
            byte[] tag = new byte[8];
            mac.Finish(tag, 0);
            Assert.AreEqual("5F1448EEA8AD90A7", TestHex.Format(tag));

            byte[] back = new byte[32];
            new ManagedTripleDes(kEnc, 0, 16).DecryptCbc(new byte[8], 0, e, 0, 32, back, 0);
            Assert.AreEqual(TestHex.Format(s), TestHex.Format(back));
        }

        [TestMethod]
        public void RetailMacRefusesUnpaddedInput()
        {
            byte[] k = TestHex.Parse("7962D9ECE03D1ACD4C76089DCE131543");
            RetailMac mac = new RetailMac(new ManagedDes(k, 0), new ManagedDes(k, 8));
            mac.Update(k, 0, 5);
            Assert.ThrowsException(typeof(System.InvalidOperationException), () => mac.Finish(new byte[8], 0));
        }
    }
}
