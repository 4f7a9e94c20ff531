using nanoFramework.TestFramework;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// BSI TR-03119 FF 9A 01 xx (GetReaderInfo) and FF 9A 04 10 (boxed PC_to_RDR_Secure), PC/SC part 10
    /// PPDU FF C2 01 06/07/0A/12: parsing and the exact answer bytes.
    /// </summary>
    [TestClass]
    public class PseudoApduTests
    {
        private static byte[] Answer(PinPadInterceptor interceptor, FakeCpsCard card, string hex)
        {
            byte[] apdu = PinStructures.Hex(hex);
            byte[] response = new byte[300];
            int n = interceptor.Handle(apdu, 0, apdu.Length, card, 0, response, 0, response.Length);
            if (n < 0)
            {
                return new byte[0];
            }

            byte[] result = new byte[n];
            for (int i = 0; i < n; i++)
            {
                result[i] = response[i];
            }

            return result;
        }

        private static PinPadInterceptor Interceptor(PinPadRig rig)
        {
            ReaderProperties p = new ReaderProperties();
            p.Vendor = "ACME";
            p.Product = "PINPAD";
            p.FirmwareVersion = "1.2";
            p.FirmwareId = "FW1";
            p.VendorId = 0x08E6;
            p.ProductId = 0x3478;
            return new PinPadInterceptor(rig.Service, p);
        }

        [TestMethod]
        public void Classify()
        {
            Assert.AreEqual((int)PseudoApduKind.ReaderInfo, (int)Kind("FF 9A 01 01 00"));
            Assert.AreEqual((int)PseudoApduKind.BoxedSecure, (int)Kind("FF 9A 04 10 00"));
            Assert.AreEqual((int)PseudoApduKind.Unsupported, (int)Kind("FF 9A 04 02 00"));
            Assert.AreEqual((int)PseudoApduKind.PpduVerify, (int)Kind("FF C2 01 06 00"));
            Assert.AreEqual((int)PseudoApduKind.PpduModify, (int)Kind("FF C2 01 07 00"));
            Assert.AreEqual((int)PseudoApduKind.PpduPinProperties, (int)Kind("FF C2 01 0A 00"));
            Assert.AreEqual((int)PseudoApduKind.PpduTlvProperties, (int)Kind("FF C2 01 12 00"));
            Assert.AreEqual((int)PseudoApduKind.Unsupported, (int)Kind("FF C2 01 20 00"));
            Assert.AreEqual((int)PseudoApduKind.NotPseudo, (int)Kind("00 20 00 01"));
            Assert.AreEqual((int)PseudoApduKind.NotPseudo, (int)Kind("FF CA 00 00 00"));
            Assert.AreEqual((int)PseudoApduKind.NotPseudo, (int)Kind("FF C2"));
        }

        private static PseudoApduKind Kind(string hex)
        {
            byte[] apdu = PinStructures.Hex(hex);
            return PseudoApdu.Classify(apdu, 0, apdu.Length);
        }

        [TestMethod]
        public void GetReaderInfo_VendorProductFirmware_WithSw9000()
        {
            PinPadRig rig = new PinPadRig();
            PinPadInterceptor i = Interceptor(rig);
            Assert.Equal(PinStructures.Hex("41 43 4D 45 90 00"), Answer(i, rig.Card, "FF 9A 01 01 00"));
            Assert.Equal(PinStructures.Hex("50 49 4E 50 41 44 90 00"), Answer(i, rig.Card, "FF 9A 01 03 00"));
            Assert.Equal(PinStructures.Hex("31 2E 32 90 00"), Answer(i, rig.Card, "FF 9A 01 06"));
            Assert.Equal(PinStructures.Hex("6A 88"), Answer(i, rig.Card, "FF 9A 01 07 00"));
            Assert.Equal(PinStructures.Hex("6A 86"), Answer(i, rig.Card, "FF 9A 01 02 00"));
            Assert.Equal(PinStructures.Hex("6C 04"), Answer(i, rig.Card, "FF 9A 01 01 02"));
        }

        [TestMethod]
        public void PpduIfdPinProperties_LcdLayoutValidationTimeOut2()
        {
            PinPadRig rig = new PinPadRig();
            Assert.Equal(PinStructures.Hex("10 02 07 01 90 00"), Answer(Interceptor(rig), rig.Card, "FF C2 01 0A 00"));
        }

        [TestMethod]
        public void PpduGetTlvProperties_ExactBytes()
        {
            PinPadRig rig = new PinPadRig();
            byte[] expected = PinStructures.Hex(
                "01 02 10 02  04 02 10 00  05 02 02 00  02 01 07  03 01 01  06 01 04  07 01 10"
                + " 08 03 46 57 31  09 01 02  0A 04 00 00 00 00  0B 02 E6 08  0C 02 78 34  90 00");
            Assert.Equal(expected, Answer(Interceptor(rig), rig.Card, "FF C2 01 12 00"));
        }

        [TestMethod]
        public void PpduFeatureList()
        {
            PinPadRig rig = new PinPadRig();
            Assert.Equal(PinStructures.Hex("06 07 0A 12 90 00"), Answer(Interceptor(rig), rig.Card, "FF C2 01 00 00"));
        }

        [TestMethod]
        public void PpduVerifyPinDirect_WithOpenScStructure_VerifiesOnTheKeypad()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K", 300);
            byte[] s = PinStructures.OpenScVerify();
            string hex = "FF C2 01 06 " + DisplayHex(s.Length) + " " + ToHex(s);
            Assert.Equal(PinStructures.Hex("90 00"), Answer(Interceptor(rig), rig.Card, hex));
            Assert.Equal(PinStructures.Hex("00 20 00 01 04 31 32 33 34"), rig.Card.LastCommand);
        }

        [TestMethod]
        public void PpduVerifyPinDirect_Cancel_Answers6401()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1C", 300);
            byte[] s = PinStructures.OpenScVerify();
            Assert.Equal(PinStructures.Hex("64 01"), Answer(Interceptor(rig), rig.Card, "FF C2 01 06 " + DisplayHex(s.Length) + " " + ToHex(s)));
        }

        [TestMethod]
        public void PpduModifyPinDirect_ChangesThePin()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K,9876K,9876K", 300);
            byte[] s = PinStructures.PcscChange(3);
            Assert.Equal(PinStructures.Hex("90 00"), Answer(Interceptor(rig), rig.Card, "FF C2 01 07 " + DisplayHex(s.Length) + " " + ToHex(s)));
            Assert.Equal(PinStructures.Hex("39 38 37 36"), rig.Card.Pin);
        }

        [TestMethod]
        public void PpduWithWrongLc_Answers6700()
        {
            PinPadRig rig = new PinPadRig();
            Assert.Equal(PinStructures.Hex("67 00"), Answer(Interceptor(rig), rig.Card, "FF C2 01 06 05 00 00"));
        }

        private static string Boxed(byte[] abData, int sequence)
        {
            return "FF 9A 04 10 " + DisplayHex(10 + abData.Length) + " 69 " + DisplayHex(abData.Length) + " 00 00 00 00 " + DisplayHex(sequence) + " 00 00 00 " + ToHex(abData);
        }

        [TestMethod]
        public void BoxedSecure_Verify_AnswersADataBlockThen9000()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("1234K", 300);
            Assert.Equal(PinStructures.Hex("80 02 00 00 00 00 07 00 00 00 90 00 90 00"), Answer(Interceptor(rig), rig.Card, Boxed(PinStructures.CcidVerifyPadded(), 7)));
        }

        [TestMethod]
        public void BoxedSecure_WrongPin_CarriesTheCardSw()
        {
            PinPadRig rig = new PinPadRig();
            rig.Keypad.Type("4321K", 300);
            Assert.Equal(PinStructures.Hex("80 02 00 00 00 00 03 00 00 00 63 C2 90 00"), Answer(Interceptor(rig), rig.Card, Boxed(PinStructures.CcidVerifyPadded(), 3)));
        }

        [TestMethod]
        public void BoxedSecure_Timeout_Is6400InTheDataBlock()
        {
            PinPadRig rig = new PinPadRig();
            Assert.Equal(PinStructures.Hex("80 02 00 00 00 00 01 00 00 00 64 00 90 00"), Answer(Interceptor(rig), rig.Card, Boxed(PinStructures.CcidVerifyPadded(), 1)));
        }

        [TestMethod]
        public void BoxedSecure_BadStructure_FailedDataBlockWithTheFieldOffset()
        {
            PinPadRig rig = new PinPadRig();
            byte[] s = PinStructures.CcidVerifyPadded();
            s[2] = 0x83;
            Assert.Equal(PinStructures.Hex("80 00 00 00 00 00 02 40 0C 00 90 00"), Answer(Interceptor(rig), rig.Card, Boxed(s, 2)));
        }

        [TestMethod]
        public void BoxedSecure_BadMessageHeader_Answers6A80()
        {
            PinPadRig rig = new PinPadRig();
            byte[] s = PinStructures.CcidVerifyPadded();
            string hex = Boxed(s, 2);
            byte[] apdu = PinStructures.Hex(hex);
            apdu[5] = 0x6F;
            byte[] response = new byte[64];
            int n = Interceptor(rig).Handle(apdu, 0, apdu.Length, rig.Card, 0, response, 0, response.Length);
            Assert.AreEqual(2, n);
            Assert.AreEqual((byte)0x6A, response[0]);
            Assert.AreEqual((byte)0x80, response[1]);
        }

        [TestMethod]
        public void CardCommands_AreNotIntercepted()
        {
            PinPadRig rig = new PinPadRig();
            byte[] apdu = PinStructures.Hex("00 A4 04 00 02 3F 00");
            Assert.AreEqual(-1, Interceptor(rig).Handle(apdu, 0, apdu.Length, rig.Card, 0, new byte[10], 0, 10));
        }

        private static string DisplayHex(int value)
        {
            const string Digits = "0123456789ABCDEF";
            return new string(new char[] { Digits[(value >> 4) & 0x0F], Digits[value & 0x0F] });
        }

        private static string ToHex(byte[] bytes)
        {
            string s = string.Empty;
            for (int i = 0; i < bytes.Length; i++)
            {
                s += DisplayHex(bytes[i]) + " ";
            }

            return s;
        }
    }
}
