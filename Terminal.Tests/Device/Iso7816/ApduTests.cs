using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-4 §5.1 (command APDU cases, short and extended, Lc/Le rules) and §5.6 (status words).</summary>
    [TestClass]
    public class ApduTests
    {
        private static CommandApdu Parse(string hex, ApduError expected)
        {
            byte[] b = Hex.Bytes(hex);
            CommandApdu a = new CommandApdu();
            Assert.AreEqual((int)expected, (int)a.Parse(b, 0, b.Length), hex);
            return a;
        }

        [TestMethod]
        [DataRow("00 A4 00 00", 1, false, 0, 0)]
        [DataRow("00 B0 00 00 00", 2, false, 0, 256)]
        [DataRow("00 B0 00 00 10", 2, false, 0, 16)]
        [DataRow("00 A4 04 00 02 3F 00", 3, false, 2, 0)]
        [DataRow("00 A4 04 00 02 3F 00 00", 4, false, 2, 256)]
        [DataRow("00 B0 00 00 00 00 00", 2, true, 0, 65536)]
        [DataRow("00 B0 00 00 00 01 00", 2, true, 0, 256)]
        [DataRow("00 D6 00 00 00 00 02 01 02", 3, true, 2, 0)]
        [DataRow("00 2A 9E 9A 00 00 02 01 02 00 00", 4, true, 2, 65536)]
        [DataRow("00 2A 9E 9A 00 00 02 01 02 01 00", 4, true, 2, 256)]
        public void Iso7816_4_5_1_Cases(string hex, int apduCase, bool extended, int nc, int ne)
        {
            CommandApdu a = Parse(hex, ApduError.None);
            Assert.AreEqual(apduCase, (int)a.Case);
            Assert.AreEqual(extended, a.IsExtended);
            Assert.AreEqual(nc, a.Nc);
            Assert.AreEqual(ne, a.Ne);
        }

        [TestMethod]
        public void Iso7816_4_5_1_ViewOnTheCallerBuffer()
        {
            byte[] b = Hex.Bytes("FF FF 80 CA 9F 7F 02 AA BB 00 EE");
            CommandApdu a = new CommandApdu();
            Assert.AreEqual((int)ApduError.None, (int)a.Parse(b, 2, 8));
            Assert.AreSame(b, a.Buffer!);
            Assert.AreEqual(0x80, (int)a.Cla);
            Assert.AreEqual(0xCA, (int)a.Ins);
            Assert.AreEqual(0x9F, (int)a.P1);
            Assert.AreEqual(0x7F, (int)a.P2);
            Assert.AreEqual(7, a.DataOffset);
            Assert.AreEqual(0xAA, (int)b[a.DataOffset]);
            Assert.AreEqual(256, a.Ne);
        }

        [TestMethod]
        [DataRow("00 A4 04", (int)ApduError.TooShort)]
        [DataRow("00 A4 04 00 03 3F 00", (int)ApduError.LengthMismatch)]
        [DataRow("00 A4 04 00 02 3F 00 00 00", (int)ApduError.LengthMismatch)]
        [DataRow("00 A4 04 00 00 01", (int)ApduError.LengthMismatch)]
        [DataRow("00 A4 04 00 00 00 00 01", (int)ApduError.ExtendedLcZero)]
        [DataRow("00 D6 00 00 00 00 02 01", (int)ApduError.LengthMismatch)]
        public void Iso7816_4_5_1_Malformed_PreciseError(string hex, int expected)
        {
            CommandApdu a = Parse(hex, (ApduError)expected);
            Assert.AreEqual((int)ApduCase.Invalid, (int)a.Case);
        }

        [TestMethod]
        public void Iso7816_4_5_1_Encode_ShortAndExtended()
        {
            byte[] d = Hex.Bytes("3F 00");
            byte[] o = new byte[16];
            Assert.AreEqual(8, CommandApdu.Encode(0x00, 0xA4, 0x04, 0x00, d, 0, 2, 256, false, o, 0));
            Assert.AreEqual("00 A4 04 00 02 3F 00 00", Hex.Of(o, 0, 8));
            Assert.AreEqual(11, CommandApdu.Encode(0x00, 0xA4, 0x04, 0x00, d, 0, 2, 65536, false, o, 0));
            Assert.AreEqual("00 A4 04 00 00 00 02 3F 00 00 00", Hex.Of(o, 0, 11));
            Assert.AreEqual(7, CommandApdu.Encode(0x00, 0xB0, 0x00, 0x00, null, 0, 0, 512, false, o, 0));
            Assert.AreEqual("00 B0 00 00 00 02 00", Hex.Of(o, 0, 7));
            Assert.AreEqual(4, CommandApdu.Encode(0x00, 0x70, 0x00, 0x00, null, 0, 0, 0, false, o, 0));
            Assert.AreEqual(TransmissionError.BadCommand, CommandApdu.Encode(0, 0, 0, 0, d, 0, 3, 0, false, o, 0));
            Assert.AreEqual(TransmissionError.BadCommand, CommandApdu.Encode(0, 0, 0, 0, d, 0, 2, 0, false, new byte[6], 0));
        }

        [TestMethod]
        public void Iso7816_4_5_1_EncodeThenParse_RoundTrip()
        {
            byte[] data = new byte[300];
            byte[] o = new byte[320];
            CommandApdu a = new CommandApdu();
            int[] ncs = new int[] { 0, 1, 255, 256, 300 };
            int[] nes = new int[] { 0, 1, 256, 257, 65536 };
            for (int i = 0; i < ncs.Length; i++)
            {
                for (int j = 0; j < nes.Length; j++)
                {
                    int n = CommandApdu.Encode(0x00, 0xDA, 0x01, 0x02, data, 0, ncs[i], nes[j], false, o, 0);
                    Assert.AreEqual((int)ApduError.None, (int)a.Parse(o, 0, n));
                    Assert.AreEqual(ncs[i], a.Nc);
                    Assert.AreEqual(nes[j], a.Ne);
                }
            }
        }

        [TestMethod]
        public void Iso7816_4_5_6_StatusWords()
        {
            byte[] r = Hex.Bytes("01 02 63 C2");
            int sw = StatusWord.Of(r, 0, 4);
            Assert.AreEqual(0x63C2, sw);
            Assert.AreEqual(2, StatusWord.TriesLeft(sw));
            Assert.IsTrue(StatusWord.IsWarning(sw));
            Assert.AreEqual(-1, StatusWord.TriesLeft(0x9000));
            Assert.IsTrue(StatusWord.IsSuccess(0x9000));
            Assert.IsTrue(StatusWord.HasMoreData(0x6110));
            Assert.AreEqual(16, StatusWord.Remaining(0x6110));
            Assert.AreEqual(256, StatusWord.Remaining(0x6100));
            Assert.IsTrue(StatusWord.IsWrongLe(0x6C08));
            Assert.IsTrue(StatusWord.IsBlocked(0x6983));
            Assert.IsTrue(StatusWord.IsSecurityNotSatisfied(0x6982));
            Assert.AreEqual(-1, StatusWord.Of(r, 0, 1));
            Assert.IsTrue(StatusWord.IsValidSw1(0x6A));
            Assert.IsFalse(StatusWord.IsValidSw1(0x60));
            Assert.IsFalse(StatusWord.IsValidSw1(0xA4));
        }
    }
}
