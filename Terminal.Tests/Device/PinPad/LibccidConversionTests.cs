using nanoFramework.TestFramework;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// What reaches the reader as PC_to_RDR_Secure is the PC/SC structure as libccid converts it
    /// (commands.c SecurePINVerify / SecurePINModify): bTimeOut2 and ulDataLength dropped, bPINOperation
    /// prefixed, bMsgIndex2/3 kept by its rule, and for the GemPC Pinpad (the gempcpinpad profile)
    /// bNumberMessage forced to 1 in a verify, 3 while copying a modify then restored. Whatever the
    /// conversion, the reader must read the same command as from the PC/SC structure.
    /// </summary>
    [TestClass]
    public class LibccidConversionTests
    {
        /// <summary>The conversion of a PIN_VERIFY_STRUCTURE, as libccid does it.</summary>
        public static byte[] ConvertVerify(byte[] pcsc, bool gemPcPinPad)
        {
            byte[] copy = (byte[])pcsc.Clone();
            if (copy[7] == 0 || copy[7] > 7)
            {
                copy[7] = 0x02;
            }

            if (gemPcPinPad)
            {
                copy[8] = 0x01;
                copy[7] = 0x02;
            }

            byte[] ccid = new byte[1 + copy.Length - 5];
            int a = 0;
            ccid[a++] = 0x00;
            for (int b = 0; b < copy.Length; b++)
            {
                if (b == 1 || (b >= 15 && b <= 18))
                {
                    continue;
                }

                ccid[a++] = copy[b];
            }

            return ccid;
        }

        /// <summary>The conversion of a PIN_MODIFY_STRUCTURE, as libccid does it (generic or Gemalto path).</summary>
        public static byte[] ConvertModify(byte[] pcsc, bool gemalto)
        {
            byte[] copy = (byte[])pcsc.Clone();
            if (copy[10] == 0 || copy[10] > 7)
            {
                copy[10] = 0x02;
            }

            int realNumberMessage = copy[11];
            if (gemalto)
            {
                copy[10] = 0x02;
                copy[11] = 0x03;
            }

            byte[] buffer = new byte[1 + copy.Length];
            int a = 0;
            buffer[a++] = 0x01;
            for (int b = 0; b < copy.Length; b++)
            {
                if (b == 1 || (b >= 20 && b <= 23))
                {
                    continue;
                }

                if (b == 15 && copy[11] == 0)
                {
                    continue;
                }

                if (b == 16 && copy[11] < 3)
                {
                    continue;
                }

                buffer[a++] = copy[b];
            }

            if (gemalto)
            {
                buffer[11] = (byte)realNumberMessage;
            }

            byte[] ccid = new byte[a];
            for (int i = 0; i < a; i++)
            {
                ccid[i] = buffer[i];
            }

            return ccid;
        }

        private static void AssertSameCommand(byte[] pcsc, PinStructureForm pcscForm, byte[] ccid)
        {
            PinCommand expected = new PinCommand();
            PinCommand actual = new PinCommand();
            int error;
            Assert.AreEqual((int)PinParseStatus.Ok, (int)PinStructureParser.Parse(pcsc, 0, pcsc.Length, pcscForm, MessageIndexLayout.Auto, expected, out error));
            Assert.AreEqual((int)PinParseStatus.Ok, (int)PinStructureParser.Parse(ccid, 0, ccid.Length, PinStructureForm.CcidSecure, MessageIndexLayout.Auto, actual, out error), "CCID form parses (error at " + error.ToString() + ")");
            Assert.AreEqual((int)expected.Operation, (int)actual.Operation);
            Assert.AreEqual(expected.TimeOut, actual.TimeOut);
            Assert.AreEqual(expected.BlockSize, actual.BlockSize);
            Assert.AreEqual(expected.MinDigits, actual.MinDigits);
            Assert.AreEqual(expected.MaxDigits, actual.MaxDigits);
            Assert.AreEqual(expected.InsertionOffsetOld, actual.InsertionOffsetOld);
            Assert.AreEqual(expected.InsertionOffsetNew, actual.InsertionOffsetNew);
            Assert.AreEqual(expected.ConfirmPin, actual.ConfirmPin);
            Assert.AreEqual(expected.LangId, actual.LangId);
            Assert.AreEqual(expected.MsgIndex1, actual.MsgIndex1);
            Assert.AreEqual(expected.ApduLength, actual.ApduLength);
            for (int i = 0; i < expected.ApduLength; i++)
            {
                Assert.AreEqual(pcsc[expected.ApduOffset + i], ccid[actual.ApduOffset + i]);
            }
        }

        [TestMethod]
        [DataRow(false)]
        [DataRow(true)]
        public void OpenScVerify_BothConversions(bool gemPcPinPad)
        {
            AssertSameCommand(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify, ConvertVerify(PinStructures.OpenScVerify(), gemPcPinPad));
            AssertSameCommand(PinStructures.OpenScVerifyPadded(), PinStructureForm.PcscVerify, ConvertVerify(PinStructures.OpenScVerifyPadded(), gemPcPinPad));
        }

        [TestMethod]
        [DataRow(0x00, false)]
        [DataRow(0x01, false)]
        [DataRow(0x02, false)]
        [DataRow(0x03, false)]
        [DataRow(0xFF, false)]
        [DataRow(0x00, true)]
        [DataRow(0x02, true)]
        [DataRow(0x01, true)]
        [DataRow(0x03, true)]
        [DataRow(0xFF, true)]
        public void Modify_EveryNumberMessage_BothConversions(int numberMessage, bool gemalto)
        {
            byte[] pcsc = PinStructures.PcscChange(3);
            pcsc[11] = (byte)numberMessage;
            AssertSameCommand(pcsc, PinStructureForm.PcscModify, ConvertModify(pcsc, gemalto));

            byte[] variable = PinStructures.Hex("1E 1E 82 00 00 00 00 08 04 03 02 00 00 00 00 01 02 00 00 00 05 00 00 00 00 24 00 01 00");
            variable[11] = (byte)numberMessage;
            AssertSameCommand(variable, PinStructureForm.PcscModify, ConvertModify(variable, gemalto));
        }

        [TestMethod]
        public void GemPcPinPadProfile_ModifyThroughTheService_ChangesThePin()
        {
            PinPadRig rig = new PinPadRig();
            rig.Service.ModifyLayout = MessageIndexLayout.AlwaysThree;
            byte[] pcsc = PinStructures.PcscChange(3);
            pcsc[11] = 0x00;
            byte[] ccid = ConvertModify(pcsc, true);
            rig.Keypad.Type("1234K,2580K,2580K", 300);
            SecurePinResult r = rig.Service.Execute(ccid, 0, ccid.Length, PinStructureForm.CcidSecure, rig.Card, T1Edc.None, rig.Response, 0, rig.Response.Length);
            Assert.AreEqual(0x9000, r.StatusWord);
            Assert.Equal(PinStructures.Hex("32 35 38 30"), rig.Card.Pin);
        }
    }
}
