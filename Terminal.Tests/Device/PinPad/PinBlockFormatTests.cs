using nanoFramework.TestFramework;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// PC/SC part 10 section 2.5.2 / CCID 6.1.11 PIN formatting: bmFormatString (units, position,
    /// justification, binary/BCD/ASCII), bmPINBlockString, bmPINLengthFormat, insertion offsets,
    /// variable-length blocks, ISO 9564 format 2.
    /// </summary>
    [TestClass]
    public class PinBlockFormatTests
    {
        /// <summary>A PC/SC PIN_VERIFY_STRUCTURE with the given format bytes around <paramref name="apdu"/>.</summary>
        public static byte[] Verify(int format, int block, int lengthFormat, int max, int min, string apdu)
        {
            byte[] a = PinStructures.Hex(apdu);
            byte[] s = new byte[19 + a.Length];
            s[0] = 0x1E;
            s[1] = 0x1E;
            s[2] = (byte)format;
            s[3] = (byte)block;
            s[4] = (byte)lengthFormat;
            s[5] = (byte)max;
            s[6] = (byte)min;
            s[7] = 0x02;
            s[15] = (byte)a.Length;
            for (int i = 0; i < a.Length; i++)
            {
                s[19 + i] = a[i];
            }

            return s;
        }

        private static byte[] Build(byte[] structure, PinStructureForm form, string current, string newPin)
        {
            PinCommand c = new PinCommand();
            int error;
            PinParseStatus status = PinStructureParser.Parse(structure, 0, structure.Length, form, MessageIndexLayout.Auto, c, out error);
            Assert.AreEqual((int)PinParseStatus.Ok, (int)status, "structure parses (error at " + error.ToString() + ")");
            PinBuffer a = Digits(current);
            PinBuffer b = Digits(newPin);
            byte[] dest = new byte[PinBlockBuilder.MaxApduLength];
            int n = PinBlockBuilder.Build(c, a, b, dest, 0, dest.Length);
            Assert.IsTrue(n > 0, "the APDU is built");
            byte[] apdu = new byte[n];
            for (int i = 0; i < n; i++)
            {
                apdu[i] = dest[i];
            }

            return apdu;
        }

        private static PinBuffer Digits(string digits)
        {
            PinBuffer p = new PinBuffer();
            for (int i = 0; i < digits.Length; i++)
            {
                p.Append(digits[i] - '0');
            }

            return p;
        }

        private static byte[] BuildVerify(int format, int block, int lengthFormat, string apdu, string pin)
        {
            return Build(Verify(format, block, lengthFormat, 12, 4, apdu), PinStructureForm.PcscVerify, pin, "");
        }

        [TestMethod]
        public void Ascii_LeftJustified_InAPaddedBlock()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 31 32 33 34 FF FF FF FF"), BuildVerify(0x82, 0x08, 0x00, "00 20 00 01 08 FF FF FF FF FF FF FF FF", "1234"));
        }

        [TestMethod]
        public void Ascii_RightJustified_FillersOnTheLeft()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 FF FF FF FF 31 32 33 34"), BuildVerify(0x86, 0x08, 0x00, "00 20 00 01 08 FF FF FF FF FF FF FF FF", "1234"));
        }

        [TestMethod]
        public void Binary_OneByteADigit()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 01 02 03 04 05 FF FF FF"), BuildVerify(0x80, 0x08, 0x00, "00 20 00 01 08 FF FF FF FF FF FF FF FF", "12345"));
        }

        [TestMethod]
        public void Bcd_LeftJustified_OddCountKeepsTheFillerNibble()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 12 34 5F FF FF FF FF FF"), BuildVerify(0x81, 0x08, 0x00, "00 20 00 01 08 FF FF FF FF FF FF FF FF", "12345"));
        }

        [TestMethod]
        public void Bcd_RightJustified()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 FF FF FF FF FF FF 12 34"), BuildVerify(0x85, 0x08, 0x00, "00 20 00 01 08 FF FF FF FF FF FF FF FF", "1234"));
        }

        [TestMethod]
        public void Iso9564Format2_ByteUnits_LengthNibbleAtBit4()
        {
            byte[] apdu = BuildVerify(0x89, 0x48, 0x04, "00 20 00 01 08 20 FF FF FF FF FF FF FF", "1234");
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 24 12 34 FF FF FF FF FF"), apdu);
            byte[] reference = new byte[8];
            Assert.AreEqual(8, PinBlockBuilder.Iso9564Format2(Digits("1234"), reference, 0));
            for (int i = 0; i < 8; i++)
            {
                Assert.AreEqual(reference[i], apdu[5 + i]);
            }
        }

        [TestMethod]
        public void Iso9564Format2_BitUnits_SameBlock()
        {
            // PIN position 8 bits (bmFormatString bit 7 clear), length 4 bits at bit 4.
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 26 12 34 56 FF FF FF FF"), BuildVerify(0x41, 0x48, 0x04, "00 20 00 01 08 20 FF FF FF FF FF FF FF", "123456"));
        }

        [TestMethod]
        public void Iso9564Format2_Reference()
        {
            byte[] block = new byte[8];
            Assert.AreEqual(8, PinBlockBuilder.Iso9564Format2(Digits("123456789012"), block, 0));
            Assert.Equal(PinStructures.Hex("2C 12 34 56 78 90 12 FF"), block);
            Assert.AreEqual(-1, PinBlockBuilder.Iso9564Format2(Digits("123"), block, 0));
        }

        [TestMethod]
        public void LengthField_InBytes_BeforeAnAsciiFrame()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 04 31 32 33 34 FF FF FF"), BuildVerify(0x8A, 0x88, 0x10, "00 20 00 01 08 FF FF FF FF FF FF FF FF", "1234"));
        }

        [TestMethod]
        public void VariableBcdBlock_FillsTheLastNibbleAndSetsLc()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 03 12 34 5F"), BuildVerify(0x81, 0x00, 0x00, "00 20 00 01 00", "12345"));
        }

        [TestMethod]
        public void VariableBlock_WithoutLcInTheTemplate()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 81 04 31 32 33 34"), BuildVerify(0x82, 0x00, 0x00, "00 20 00 81", "1234"));
        }

        [TestMethod]
        public void VariableBlock_InsertedAfterTemplateData()
        {
            // Variable block with an 8-bit length field in byte 0 and the ASCII frame from byte 1: 5 bytes, Lc 5.
            Assert.Equal(PinStructures.Hex("00 20 00 01 05 04 31 32 33 34"), BuildVerify(0x8A, 0x80, 0x10, "00 20 00 01 00", "1234"));
        }

        [TestMethod]
        public void TemplateLe_IsKept()
        {
            Assert.Equal(PinStructures.Hex("00 20 00 01 08 31 32 33 34 FF FF FF FF 00"), BuildVerify(0x82, 0x08, 0x00, "00 20 00 01 08 FF FF FF FF FF FF FF FF 00", "1234"));
        }

        [TestMethod]
        public void Modify_FixedBlocksAtBothInsertionOffsets()
        {
            byte[] apdu = Build(PinStructures.PcscChange(3), PinStructureForm.PcscModify, "1234", "56789");
            Assert.Equal(PinStructures.Hex("00 24 00 01 10 31 32 33 34 FF FF FF FF 35 36 37 38 39 FF FF FF"), apdu);
        }

        [TestMethod]
        public void Modify_VariableBlocks_CurrentThenNew_LcIsTheSum()
        {
            byte[] s = PinStructures.Hex("1E 1E 82 00 00 00 00 08 04 03 02 00 00 00 00 00 00 00 00 00 05 00 00 00 00 24 00 01 00");
            Assert.Equal(PinStructures.Hex("00 24 00 01 09 31 32 33 34 35 36 37 38 39"), Build(s, PinStructureForm.PcscModify, "1234", "56789"));
        }

        [TestMethod]
        public void Modify_NewPinOnly_WhenTheCurrentIsNotRequested()
        {
            byte[] s = PinStructures.PcscChange(1);
            s[5] = 0;
            s[6] = 0;
            s[24 + 4] = 0x08;
            s[20] = 13;
            byte[] shorter = new byte[24 + 13];
            for (int i = 0; i < shorter.Length; i++)
            {
                shorter[i] = s[i];
            }

            Assert.Equal(PinStructures.Hex("00 24 00 01 08 35 36 37 38 FF FF FF FF"), Build(shorter, PinStructureForm.PcscModify, "1234", "5678"));
        }

        [TestMethod]
        public void WriteBits_MostSignificantBitFirst()
        {
            byte[] b = new byte[2];
            PinBlockBuilder.WriteBits(b, 0, 4, 0xA5, 8);
            Assert.Equal(new byte[] { 0x0A, 0x50 }, b);
            PinBlockBuilder.WriteBits(b, 0, 0, 0x0, 4);
            PinBlockBuilder.WriteBits(b, 0, 12, 0xF, 4);
            Assert.Equal(new byte[] { 0x0A, 0x5F }, b);
        }

        [TestMethod]
        public void T1Crc_MatchesTheCatalogueCheckValue()
        {
            // Reflected CCITT, init FFFFh, no final XOR (CRC-16/MCRF4XX): check value of "123456789" is 6F91h.
            byte[] data = PinStructures.Hex("31 32 33 34 35 36 37 38 39");
            Assert.AreEqual(0x6F91, T1Framing.Crc(data, 0, data.Length));
            Assert.AreEqual((byte)0x92, T1Framing.Lrc(PinStructures.Hex("00 00 02 90 00"), 0, 5));
        }

        [TestMethod]
        public void T1Wrap_SetsLenToTheBuiltApdu()
        {
            byte[] apdu = PinStructures.Hex("00 20 00 01 04 31 32 33 34");
            byte[] block = new byte[20];
            int n = T1Framing.Wrap(new byte[] { 0x00, 0x40, 0x05 }, apdu, 0, apdu.Length, T1Edc.Crc, block, 0, block.Length);
            Assert.AreEqual(3 + 9 + 2, n);
            Assert.AreEqual((byte)9, block[2]);
            int crc = T1Framing.Crc(block, 0, 12);
            Assert.AreEqual((byte)(crc >> 8), block[12]);
            Assert.AreEqual((byte)crc, block[13]);
            Assert.AreEqual(-1, T1Framing.StatusWordOf(PinStructures.Hex("00 C3 01 09 CB"), 0, 5), "an S(WTX) block has no SW");
        }
    }
}
