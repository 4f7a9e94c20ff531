using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;

namespace Terminal.Tests.Device.Crypto
{
    /// <summary>The managed SHA-1 and SHA-256 against the FIPS 180 examples (NIST CSRC "SHA1.pdf"/"SHA256.pdf":
    /// "abc", the 448-bit two-block message, the empty message, one million 'a').</summary>
    [TestClass]
    public class ShaTests
    {
        private const string TwoBlock = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }
            return b;
        }

        private static string Digest(IHash hash, byte[] data)
        {
            byte[] output = new byte[hash.HashLength];
            hash.Update(data, 0, data.Length);
            hash.Finish(output, 0);
            return TestHex.Format(output);
        }

        [TestMethod]
        [DataRow("abc", "A9993E364706816ABA3E25717850C26C9CD0D89D")]
        [DataRow("", "DA39A3EE5E6B4B0D3255BFEF95601890AFD80709")]
        [DataRow(TwoBlock, "84983E441C3BD26EBAAE4AA1F95129E5E54670F1")]
        public void Fips180_Sha1_Examples(string message, string digest)
        {
            Sha1 sha = new Sha1();
            Assert.AreEqual(digest, Digest(sha, Ascii(message)));
            Assert.AreEqual(digest, Digest(sha, Ascii(message)), "Finish starts a new message");
        }

        [TestMethod]
        [DataRow("abc", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
        [DataRow("", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
        [DataRow(TwoBlock, "248D6A61D20638B8E5C026930C3E6039A33CE45964FF2167F6ECEDD419DB06C1")]
        public void Fips180_Sha256_Examples(string message, string digest)
        {
            Sha256 sha = new Sha256();
            Assert.AreEqual(digest, Digest(sha, Ascii(message)));
            Assert.AreEqual(digest, Digest(sha, Ascii(message)), "Finish starts a new message");
        }

        [TestMethod]
        public void Fips180_OneMillionA_InUnevenPieces()
        {
            byte[] chunk = new byte[1000];
            for (int i = 0; i < chunk.Length; i++)
            {
                chunk[i] = (byte)'a';
            }
            Sha1 sha1 = new Sha1();
            Sha256 sha256 = new Sha256();
            byte[] out1 = new byte[20];
            byte[] out256 = new byte[32];
            int done = 0;
            int piece = 1;
            while (done < 1000000)
            {
                int n = piece;
                if (n > 1000000 - done)
                {
                    n = 1000000 - done;
                }
                sha1.Update(chunk, 0, n);
                sha256.Update(chunk, 0, n);
                done += n;
                piece = piece * 7 % 997 + 1;
            }
            sha1.Finish(out1, 0);
            sha256.Finish(out256, 0);
            Assert.AreEqual("34AA973CD4C4DAA4F61EEB2BDBAD27316534016F", TestHex.Format(out1));
            Assert.AreEqual("CDC76E5C9914FB9281A1C7E284D73E67F1809A48A497200E046D39CCC7112CD0", TestHex.Format(out256));
        }
    }
}
