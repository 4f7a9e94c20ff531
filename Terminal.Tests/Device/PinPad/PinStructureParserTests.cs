using nanoFramework.TestFramework;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// CCID rev 1.1 section 6.1.11 and PC/SC part 10 PIN_VERIFY / PIN_MODIFY structures: every field
    /// read, precise errors with field offsets (CCID bError = offset in the message), and the three
    /// ways hosts lay out a CCID modify's bMsgIndex2/3.
    /// </summary>
    [TestClass]
    public class PinStructureParserTests
    {
        private static PinParseStatus Parse(byte[] s, PinStructureForm form, PinCommand c, out int error)
        {
            return PinStructureParser.Parse(s, 0, s.Length, form, MessageIndexLayout.Auto, c, out error);
        }

        [TestMethod]
        public void OpenScVerifyStructure_EveryField()
        {
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.Ok, (int)Parse(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(-1, error);
            Assert.AreEqual((int)PinOperation.Verify, (int)c.Operation);
            Assert.AreEqual(30, c.TimeOut);
            Assert.AreEqual(30, c.TimeOut2);
            Assert.IsTrue(c.PositionInBytes);
            Assert.AreEqual(0, c.PinPosition);
            Assert.IsFalse(c.RightJustify);
            Assert.AreEqual((int)PinEncoding.Ascii, (int)c.Encoding);
            Assert.AreEqual(0, c.BlockSize);
            Assert.AreEqual(0, c.LengthFieldBits);
            Assert.AreEqual(4, c.MinDigits);
            Assert.AreEqual(8, c.MaxDigits);
            Assert.AreEqual(2, c.EntryValidation);
            Assert.AreEqual(0, c.NumberMessage);
            Assert.AreEqual(0, c.LangId);
            Assert.AreEqual(19, c.ApduOffset);
            Assert.AreEqual(5, c.ApduLength);
            Assert.AreEqual(0, c.TemplateLc);
            Assert.AreEqual(0x20, c.Instruction);
        }

        [TestMethod]
        public void CcidVerify_FromLibccidConversion_EveryField()
        {
            PinCommand c = new PinCommand();
            int error;
            byte[] s = PinStructures.CcidVerifyPadded();
            s[12] = 0x00;
            s[13] = 0x40;
            s[14] = 0x0D;
            Assert.AreEqual((int)PinParseStatus.Ok, (int)Parse(s, PinStructureForm.CcidSecure, c, out error));
            Assert.AreEqual(30, c.TimeOut);
            Assert.AreEqual(0, c.TimeOut2);
            Assert.AreEqual(8, c.BlockSize);
            Assert.AreEqual(1, c.NumberMessage);
            Assert.AreEqual(0x040C, c.LangId);
            Assert.AreEqual((byte)0x40, c.TeoPrologue[1]);
            Assert.AreEqual((byte)0x0D, c.TeoPrologue[2]);
            Assert.AreEqual(15, c.ApduOffset);
            Assert.AreEqual(8, c.TemplateLc);
        }

        [TestMethod]
        public void PcscModify_EveryField()
        {
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.Ok, (int)Parse(PinStructures.PcscUnblock(), PinStructureForm.PcscModify, c, out error));
            Assert.AreEqual((int)PinOperation.Modify, (int)c.Operation);
            Assert.AreEqual(0, c.InsertionOffsetOld);
            Assert.AreEqual(8, c.InsertionOffsetNew);
            Assert.IsTrue(c.CurrentPinRequested);
            Assert.IsTrue(c.ConfirmationRequested);
            Assert.AreEqual(3, c.NumberMessage);
            Assert.AreEqual(0, c.MsgIndex1);
            Assert.AreEqual(1, c.MsgIndex2);
            Assert.AreEqual(2, c.MsgIndex3);
            Assert.AreEqual(0x2C, c.Instruction);
            Assert.AreEqual(16, c.TemplateLc);
        }

        [TestMethod]
        [DataRow(0x05)]
        [DataRow(0x02)]
        [DataRow(0x10)]
        public void CcidUnsupportedPinOperation_IsBError10(int operation)
        {
            byte[] s = PinStructures.CcidVerifyPadded();
            s[0] = (byte)operation;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadOperation, (int)Parse(s, PinStructureForm.CcidSecure, c, out error));
            Assert.AreEqual(0, error);
            Assert.AreEqual((byte)10, PinStructureParser.CcidBError(error));
        }

        [TestMethod]
        public void RfuPinCoding_IsRefusedAtBmFormatString()
        {
            byte[] s = PinStructures.CcidVerifyPadded();
            s[2] = 0x83;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadFormatString, (int)Parse(s, PinStructureForm.CcidSecure, c, out error));
            Assert.AreEqual(2, error);
            Assert.AreEqual((byte)12, PinStructureParser.CcidBError(error));
        }

        [TestMethod]
        public void MinimumAboveMaximum_IsRefusedAtWPinMaxExtraDigit()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[5] = 0x04;
            s[6] = 0x08;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadMinMax, (int)Parse(s, PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(5, error);
        }

        [TestMethod]
        public void ValidationConditionRfuBits_AreRefused()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[7] = 0x08;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadEntryValidation, (int)Parse(s, PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(7, error);
        }

        [TestMethod]
        public void VerifyWithThreeMessages_IsRefusedAtBNumberMessage()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[8] = 0x03;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadNumberMessage, (int)Parse(s, PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(8, error);
        }

        [TestMethod]
        public void UlDataLengthMismatch_IsRefusedAtOffset15()
        {
            byte[] s = PinStructures.OpenScVerify();
            s[15] = 0x06;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadDataLength, (int)Parse(s, PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(15, error);
        }

        [TestMethod]
        public void TemplateLcNotMatchingItsData_IsABadApdu()
        {
            byte[] s = PinStructures.CcidVerifyPadded();
            s[19] = 0x05;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadApdu, (int)Parse(s, PinStructureForm.CcidSecure, c, out error));
            Assert.AreEqual(19, error);
        }

        [TestMethod]
        public void FixedBlockLongerThanTheData_IsRefusedAtBmPinBlockString()
        {
            byte[] s = PinStructures.CcidVerifyPadded();
            s[3] = 0x09;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BlockOutsideApdu, (int)Parse(s, PinStructureForm.CcidSecure, c, out error));
            Assert.AreEqual(3, error);
            Assert.AreEqual((byte)13, PinStructureParser.CcidBError(error));
        }

        [TestMethod]
        public void MinimumNotFittingTheFrame_IsRefused()
        {
            byte[] s = PinBlockFormatTests.Verify(0x82, 0x04, 0x00, 8, 6, "00 20 00 01 04 FF FF FF FF");
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.PinDoesNotFit, (int)Parse(s, PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(3, error);
        }

        [TestMethod]
        public void LengthFieldOutsideTheBlock_IsRefusedAtBmPinLengthFormat()
        {
            byte[] s = PinBlockFormatTests.Verify(0x89, 0x84, 0x14, 8, 4, "00 20 00 01 04 FF FF FF FF");
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.LengthFieldOutsideBlock, (int)Parse(s, PinStructureForm.PcscVerify, c, out error));
            Assert.AreEqual(4, error);
        }

        [TestMethod]
        public void ModifyBlocksOverlapping_AreRefusedAtBInsertionOffsetNew()
        {
            byte[] s = PinStructures.PcscChange(3);
            s[6] = 4;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadInsertionOffset, (int)Parse(s, PinStructureForm.PcscModify, c, out error));
            Assert.AreEqual(6, error);
        }

        [TestMethod]
        public void ConfirmPinRfuBits_AreRefused()
        {
            byte[] s = PinStructures.PcscChange(3);
            s[9] = 0x07;
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.BadConfirmPin, (int)Parse(s, PinStructureForm.PcscModify, c, out error));
            Assert.AreEqual(9, error);
        }

        [TestMethod]
        public void TruncatedStructures_AreTooShort_NeverAnException()
        {
            byte[] full = PinStructures.PcscUnblock();
            PinCommand c = new PinCommand();
            for (int n = 0; n < full.Length; n++)
            {
                int error;
                PinParseStatus status = PinStructureParser.Parse(full, 0, n, PinStructureForm.PcscModify, MessageIndexLayout.Auto, c, out error);
                Assert.AreNotEqual((int)PinParseStatus.Ok, (int)status);
                status = PinStructureParser.Parse(full, 0, n, PinStructureForm.CcidSecure, MessageIndexLayout.Auto, c, out error);
                Assert.AreNotEqual((int)PinParseStatus.Ok, (int)status);
            }
        }

        // CCID modify structures: [0] 01 [1] bTimeOut [2] fmt [3] block [4] lenfmt [5] offOld [6] offNew
        // [7,8] max min [9] confirm [10] validation [11] bNumberMessage [12,13] wLangId [14] bMsgIndex1 ...
        private const string CcidModifyHead = "01 1E 82 08 00 00 08 08 04 03 02 ";
        private const string ChangeApdu = "00 24 00 01 10 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF";

        [TestMethod]
        public void CcidModify_LibccidGeneric_NumberMessage0_OnlyMsgIndex1()
        {
            AssertModifyLayout(CcidModifyHead + "00 09 04 00 00 00 00 " + ChangeApdu, 1, MessageIndexLayout.ByNumberMessage);
        }

        [TestMethod]
        public void CcidModify_LibccidGemalto_AllThreeIndexes()
        {
            AssertModifyLayout(CcidModifyHead + "01 09 04 00 01 02 00 00 00 " + ChangeApdu, 3, MessageIndexLayout.AlwaysThree);
        }

        [TestMethod]
        public void CcidModify_LibccidGeneric_NumberMessage1_TwoIndexes()
        {
            AssertModifyLayout(CcidModifyHead + "01 09 04 00 01 00 00 00 " + ChangeApdu, 2, MessageIndexLayout.ByNumberMessage);
        }

        [TestMethod]
        public void CcidModify_OpenScBoxing_NumberMessageFF_OnlyMsgIndex1()
        {
            AssertModifyLayout(CcidModifyHead + "FF 00 00 00 00 00 00 " + ChangeApdu, 1, MessageIndexLayout.OnlyFirst);
        }

        [TestMethod]
        public void CcidModify_LibccidGemalto_VariableTemplate_IsNotMistakenForShorterLayout()
        {
            AssertModifyLayout("01 1E 82 00 00 00 00 08 04 03 02 00 09 04 00 01 02 00 00 00 00 24 00 01 00", 3, MessageIndexLayout.AlwaysThree);
        }

        private static void AssertModifyLayout(string hex, int indexes, MessageIndexLayout explicitLayout)
        {
            byte[] s = PinStructures.Hex(hex);
            PinCommand c = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.Ok, (int)PinStructureParser.Parse(s, 0, s.Length, PinStructureForm.CcidSecure, MessageIndexLayout.Auto, c, out error), "Auto finds the layout");
            Assert.AreEqual(indexes, c.MessageIndexCount);
            Assert.AreEqual(0x24, c.Instruction);
            Assert.AreEqual(s.Length - c.ApduLength, c.ApduOffset);
            Assert.AreEqual((int)PinParseStatus.Ok, (int)PinStructureParser.Parse(s, 0, s.Length, PinStructureForm.CcidSecure, explicitLayout, c, out error), "the explicit layout agrees");
            Assert.AreEqual(indexes, c.MessageIndexCount);
        }
    }
}
