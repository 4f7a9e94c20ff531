using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;

namespace Terminal.Tests.Device.Crypto
{
    /// <summary>AES-CMAC against RFC 4493 section 4 and NIST SP 800-38B Appendix D (AES-192, AES-256 examples).</summary>
    [TestClass]
    public class CmacTests
    {
        private const string Message =
            "6BC1BEE22E409F96E93D7E117393172AAE2D8A571E03AC9C9EB76FAC45AF8E5130C81C46A35CE411E5FBC1191A0A52EFF69F2445DF4F9B17AD2B417BE66C3710";

        [TestMethod]
        [DataRow("2B7E151628AED2A6ABF7158809CF4F3C", 0, "BB1D6929E95937287FA37D129B756746")]
        [DataRow("2B7E151628AED2A6ABF7158809CF4F3C", 16, "070A16B46B4D4144F79BDD9DD04A287C")]
        [DataRow("2B7E151628AED2A6ABF7158809CF4F3C", 40, "DFA66747DE9AE63030CA32611497C827")]
        [DataRow("2B7E151628AED2A6ABF7158809CF4F3C", 64, "51F0BEBF7E3B9D92FC49741779363CFE")]
        [DataRow("8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 0, "D17DDF46ADAACDE531CAC483DE7A9367")]
        [DataRow("8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 16, "9E99A7BF31E710900662F65E617C5184")]
        [DataRow("8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 40, "8A1DE5BE2EB31AAD089A82E6EE908B0E")]
        [DataRow("8E73B0F7DA0E6452C810F32B809079E562F8EAD2522C6B7B", 64, "A1D5DF0EED790F794D77589659F39A11")]
        [DataRow("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 0, "028962F61B7BF89EFC6B551F4667D983")]
        [DataRow("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 16, "28A7023F452E8F82BD4BF28D8C37C35C")]
        [DataRow("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 40, "AAF3D8F1DE5640C232F5B169B9C911E6")]
        [DataRow("603DEB1015CA71BE2B73AEF0857D77811F352C073B6108D72D9810A30914DFF4", 64, "E1992190549F6ED5696A2C056C315410")]
        public void Rfc4493_Sp800_38B_Examples(string key, int length, string tag)
        {
            byte[] k = TestHex.Parse(key);
            byte[] m = TestHex.Parse(Message);
            Cmac cmac = new Cmac(new ManagedAes(k, 0, k.Length));
            byte[] output = new byte[16];
            cmac.Update(m, 0, length);
            cmac.Finish(output, 0);
            Assert.AreEqual(tag, TestHex.Format(output));

            // Byte by byte gives the same tag, and Finish started a new message.
            for (int i = 0; i < length; i++)
            {
                cmac.Update(m, i, 1);
            }
            cmac.Finish(output, 0);
            Assert.AreEqual(tag, TestHex.Format(output));
        }

        [TestMethod]
        public void Rfc4493_2_3_SubkeysK1K2()
        {
            // RFC 4493 4: K1 = FBEED618..., K2 = F7DDAC30...; a one-block message M gives E(M xor K1),
            // the empty message E(80 00.. xor K2).
            byte[] k = TestHex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
            ManagedAes aes = new ManagedAes(k, 0, 16);
            byte[] k1 = TestHex.Parse("FBEED618357133667C85E08F7236A8DE");
            byte[] block = TestHex.Parse("80000000000000000000000000000000");
            byte[] k2 = TestHex.Parse("F7DDAC306AE266CCF90BC11EE46D513B");
            for (int i = 0; i < 16; i++)
            {
                block[i] ^= k2[i];
            }
            aes.EncryptBlock(block, 0, block, 0);
            Assert.AreEqual("BB1D6929E95937287FA37D129B756746", TestHex.Format(block));
            byte[] m = TestHex.Parse("6BC1BEE22E409F96E93D7E117393172A");
            for (int i = 0; i < 16; i++)
            {
                m[i] ^= k1[i];
            }
            aes.EncryptBlock(m, 0, m, 0);
            Assert.AreEqual("070A16B46B4D4144F79BDD9DD04A287C", TestHex.Format(m));
        }
    }
}
