using nanoFramework.TestFramework;
using Terminal.Ccid;

namespace Terminal.Tests.Device.Ccid
{
    /// <summary>The CCID device against fake slots: every §6.1 command, its §6.2 reply, bStatus and bError.</summary>
    [TestClass]
    public class CcidDeviceTests
    {
        private FakeSlot _slot0 = new FakeSlot();
        private FakeSlot _slot1 = new FakeSlot();
        private CcidDevice _device = null!;
        private byte[] _reply = new byte[CcidDevice.ResponseBufferLength];
        private int _replyLength;

        [Setup]
        public void Setup()
        {
            _slot0 = new FakeSlot();
            _slot1 = new FakeSlot();
            _device = new CcidDevice(new ICcidSlot[] { _slot0, _slot1 }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 1024);
            _device.RecogniseProfile = false;
        }

        private void Send(byte type, int slot, byte p7, byte p8, byte p9, byte[] data)
        {
            byte[] m = Frames.Message(type, slot, 0x42, p7, p8, p9, data);
            _replyLength = _device.Process(m, m.Length, _reply);
        }

        private void AssertReply(byte type, int slot, int status, int error, int dataLength)
        {
            Assert.AreEqual((int)type, (int)_reply[0], "bMessageType");
            Assert.AreEqual(dataLength, CcidDevice.ReadInt(_reply, 1), "dwLength");
            Assert.AreEqual(slot, (int)_reply[5], "bSlot");
            Assert.AreEqual(0x42, (int)_reply[6], "bSeq echoes the command's");
            Assert.AreEqual(status, (int)_reply[7], "bStatus");
            Assert.AreEqual(error, (int)_reply[8], "bError");
            Assert.AreEqual(10 + dataLength, _replyLength, "reply length");
        }

        [TestMethod]
        public void Ccid_6_1_1_IccPowerOn_ReturnsAtrInDataBlockAndActivates()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.IccActive, 0, FakeSlot.DefaultAtr.Length);
            Assert.Equal(FakeSlot.DefaultAtr, Frames.Slice(_reply, 10, FakeSlot.DefaultAtr.Length));
            Assert.AreEqual(0, _slot0.LastVoltage, "bPowerSelect 0: automatic class selection");
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        public void Ccid_6_1_1_IccPowerOn_PassesTheRequestedVoltage(int power)
        {
            Send(CcidMessage.IccPowerOn, 1, (byte)power, 0, 0, new byte[0]);
            Assert.AreEqual(power, _slot1.LastVoltage);
        }

        [TestMethod]
        public void Ccid_6_1_1_IccPowerOn_BadPowerSelectNamesOffset7()
        {
            Send(CcidMessage.IccPowerOn, 0, 4, 0, 0, new byte[0]);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccInactive, 7, 0);
            Assert.AreEqual(-1, _slot0.LastVoltage, "the slot is not touched");
        }

        [TestMethod]
        public void Ccid_6_1_1_IccPowerOn_NoCardIsIccMuteAbsent()
        {
            _slot0.Present = false;
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccAbsent, CcidError.IccMute, 0);
        }

        [TestMethod]
        [DataRow(0xF8)]
        [DataRow(0xF7)]
        [DataRow(0xF6)]
        [DataRow(0xF5)]
        [DataRow(0xFB)]
        [DataRow(0xF2)]
        public void Ccid_6_2_6_IccPowerOn_ActivationErrorsReachTheHost(int error)
        {
            _slot0.PowerOnError = error;
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccInactive, error, 0);
        }

        [TestMethod]
        public void Ccid_6_1_2_IccPowerOff_DeactivatesAndRepliesSlotStatus()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.IccPowerOff, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.IccInactive, 0, 0);
            Assert.AreEqual(1, _slot0.PowerOffCount);
        }

        [TestMethod]
        public void Ccid_6_1_3_GetSlotStatus_ReportsPresenceAndClock()
        {
            _slot1.Present = false;
            Send(CcidMessage.GetSlotStatus, 1, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 1, CcidStatus.IccAbsent, 0, 0);
            Send(CcidMessage.GetSlotStatus, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.IccInactive, 0, 0);
            Assert.AreEqual(0, (int)_reply[9], "bClockStatus running");
        }

        [TestMethod]
        public void Ccid_6_1_4_XfrBlock_RelaysTheTpduAndReturnsTheAnswer()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.Answer = new byte[] { 0xAA, 0xBB };
            byte[] tpdu = new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x02 };
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, tpdu);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.IccActive, 0, 4);
            Assert.Equal(new byte[] { 0xAA, 0xBB, 0x90, 0x00 }, Frames.Slice(_reply, 10, 4));
            Assert.Equal(tpdu, Frames.Slice(_slot0.LastCommand, 0, _slot0.LastCommandLength));
        }

        [TestMethod]
        public void Ccid_6_1_4_XfrBlock_InactiveCardIsMute()
        {
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x00 });
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccInactive, CcidError.IccMute, 0);
        }

        [TestMethod]
        public void Ccid_6_1_4_XfrBlock_RemovalMidExchangeIsReportedAbsentAtOnce()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.DuringExchange = _slot0.Remove;
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x10 });
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccAbsent, CcidError.IccMute, 0);
        }

        [TestMethod]
        [DataRow(0xFD)]
        [DataRow(0xFC)]
        [DataRow(0xF4)]
        [DataRow(0xF3)]
        [DataRow(0xFF)]
        [DataRow(0xFE)]
        public void Ccid_6_2_6_XfrBlock_TransmissionErrorsReachTheHost(int error)
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.TransmitError = error;
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x10 });
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccActive, error, 0);
        }

        [TestMethod]
        public void Ccid_6_1_4_XfrBlock_AnswerNeverExceeds271Bytes()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.AnswerLength = 259;
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 });
            Assert.AreEqual(271, _replyLength, "256 data + SW1 SW2... here 259 + 2 = 261 data bytes, the maximum");
            _slot0.AnswerLength = 260;
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 });
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccActive, CcidError.XfrOverrun, 0);
        }

        [TestMethod]
        public void Ccid_6_1_4_XfrBlock_ExtendedApduLevelChainsCommandAndResponse()
        {
            _device.Profile = ReaderProfile.NativeUsb;
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            byte[] part = new byte[200];
            for (int i = 0; i < part.Length; i++)
            {
                part[i] = (byte)i;
            }
            Send(CcidMessage.XfrBlock, 0, 0, 1, 0, part);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.IccActive, 0, 0);
            Assert.AreEqual(0x10, (int)_reply[9], "bChainParameter 10h: send the next part");
            Send(CcidMessage.XfrBlock, 0, 0, 3, 0, part);
            Assert.AreEqual(0x10, (int)_reply[9]);
            _slot0.AnswerLength = 600;
            Send(CcidMessage.XfrBlock, 0, 0, 2, 0, part);
            Assert.AreEqual(600, _slot0.LastCommandLength, "three parts assembled");
            Assert.AreEqual(261, CcidDevice.ReadInt(_reply, 1));
            Assert.AreEqual(1, (int)_reply[9], "response begins");
            Send(CcidMessage.XfrBlock, 0, 0, 0x10, 0, new byte[0]);
            Assert.AreEqual(261, CcidDevice.ReadInt(_reply, 1));
            Assert.AreEqual(3, (int)_reply[9], "response continues");
            Send(CcidMessage.XfrBlock, 0, 0, 0x10, 0, new byte[0]);
            Assert.AreEqual(602 - 522, CcidDevice.ReadInt(_reply, 1));
            Assert.AreEqual(2, (int)_reply[9], "response ends");
            Assert.AreEqual(0x90, (int)_reply[10 + 602 - 522 - 2]);
        }

        [TestMethod]
        public void Ccid_6_1_4_XfrBlock_ContinuationWithoutPendingResponseNamesOffset8()
        {
            _device.Profile = ReaderProfile.NativeUsb;
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.XfrBlock, 0, 0, 0x10, 0, new byte[0]);
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccActive, 8, 0);
        }

        [TestMethod]
        public void Ccid_6_1_5_GetParameters_ReturnsTheProtocolStructure()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.Protocol = 1;
            Send(CcidMessage.GetParameters, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.Parameters, 0, CcidStatus.IccActive, 0, 7);
            Assert.AreEqual(1, (int)_reply[9], "bProtocolNum");
        }

        [TestMethod]
        public void Ccid_6_1_6_ResetParameters_RestoresT0()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.Protocol = 1;
            Send(CcidMessage.ResetParameters, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.Parameters, 0, CcidStatus.IccActive, 0, 5);
            Assert.AreEqual(0, (int)_reply[9]);
        }

        [TestMethod]
        public void Ccid_6_1_7_SetParameters_T1IsAppliedAndEchoed()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            byte[] t1 = new byte[] { 0x96, 0x10, 0x00, 0x45, 0x00, 0xFE, 0x00 };
            Send(CcidMessage.SetParameters, 0, 1, 0, 0, t1);
            AssertReply(CcidMessage.Parameters, 0, CcidStatus.IccActive, 0, 7);
            Assert.Equal(t1, Frames.Slice(_reply, 10, 7));
        }

        [TestMethod]
        public void Ccid_6_1_7_SetParameters_BadProtocolNamesOffset7()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.SetParameters, 0, 2, 0, 0, new byte[] { 0x11, 0, 0, 0x0A, 0 });
            Assert.AreEqual(CcidStatus.Failed | CcidStatus.IccActive, (int)_reply[7]);
            Assert.AreEqual(7, (int)_reply[8]);
        }

        [TestMethod]
        public void Ccid_6_1_7_SetParameters_WrongStructureLengthNamesOffset1()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.SetParameters, 0, 1, 0, 0, new byte[] { 0x11, 0, 0, 0x0A, 0 });
            Assert.AreEqual(1, (int)_reply[8]);
        }

        [TestMethod]
        public void Ccid_6_1_7_SetParameters_UnsupportedFieldNamesItsOffsetAndKeepsParameters()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            _slot0.SetParametersError = 10;
            Send(CcidMessage.SetParameters, 0, 0, 0, 0, new byte[] { 0x1F, 0, 0, 0x0A, 0 });
            Assert.AreEqual(CcidStatus.Failed | CcidStatus.IccActive, (int)_reply[7]);
            Assert.AreEqual(10, (int)_reply[8], "bmFindexDindex is at offset 10");
            Assert.AreEqual(0x11, (int)_reply[10], "the parameters in force are returned");
        }

        [TestMethod]
        [DataRow(0x02)]
        [DataRow(0x06)]
        public void Ccid_6_1_8_Escape_FirmwareStringNamesProductAndVersionUnder50Bytes(int code)
        {
            Send(CcidMessage.Escape, 0, 0, 0, 0, new byte[] { (byte)code });
            int n = CcidDevice.ReadInt(_reply, 1);
            Assert.AreEqual(CcidMessage.EscapeResponse, _reply[0]);
            Assert.AreEqual(0, _reply[7] & CcidStatus.Failed, "no failure bit");
            Assert.IsTrue(n > 0 && n < 50, "length " + n);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++)
            {
                chars[i] = (char)_reply[10 + i];
            }
            string text = new string(chars);
            Assert.Contains("Terminal", text);
            Assert.Contains("0.1.0", text);
        }

        [TestMethod]
        public void Ccid_6_1_8_Escape_CardMovementNotificationIsAccepted()
        {
            Send(CcidMessage.Escape, 0, 0, 0, 0, new byte[] { 0x01, 0x01, 0x01 });
            AssertReply(CcidMessage.EscapeResponse, 0, CcidStatus.IccInactive, 0, 0);
            Assert.IsTrue(_device.NotificationsEnabled);
        }

        [TestMethod]
        public void Ccid_6_1_8_Escape_FirmwareFeaturesFailsCleanly()
        {
            Send(CcidMessage.Escape, 0, 0, 0, 0, new byte[] { 0x6A });
            AssertReply(CcidMessage.EscapeResponse, 0, CcidStatus.Failed | CcidStatus.IccInactive, CcidError.CommandNotSupported, 0);
        }

        [TestMethod]
        public void Ccid_6_1_8_Escape_GemPcPinPadPromptStringsAreAccepted()
        {
            byte[] data = new byte[165];
            data[0] = 0xB2; data[1] = 0xA0; data[2] = 0x00; data[3] = 0x4D; data[4] = 0x4C;
            Send(CcidMessage.Escape, 0, 0, 0, 0, data);
            AssertReply(CcidMessage.EscapeResponse, 0, CcidStatus.IccInactive, 0, 0);
            Assert.AreEqual(160, _device.PinPadStringsLength);
        }

        [TestMethod]
        public void Ccid_6_1_8_Escape_UnknownCodeIsNotSupported()
        {
            Send(CcidMessage.Escape, 0, 0, 0, 0, new byte[] { 0x55, 0x01 });
            AssertReply(CcidMessage.EscapeResponse, 0, CcidStatus.Failed | CcidStatus.IccInactive, CcidError.CommandNotSupported, 0);
        }

        [TestMethod]
        public void Ccid_6_1_9_IccClock_StopsAndRestarts()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.IccClock, 0, 1, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.IccActive, 0, 0);
            Assert.AreEqual(1, (int)_reply[9], "bClockStatus stopped");
            Send(CcidMessage.IccClock, 0, 0, 0, 0, new byte[0]);
            Assert.AreEqual(0, (int)_reply[9]);
            Send(CcidMessage.IccClock, 0, 2, 0, 0, new byte[0]);
            Assert.AreEqual(7, (int)_reply[8], "bClockCommand 2 is at offset 7");
        }

        [TestMethod]
        public void Ccid_6_1_10_T0Apdu_AcceptsClassChangesAndRejectsReservedBits()
        {
            Send(CcidMessage.T0Apdu, 0, 0x03, 0x00, 0x00, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.IccInactive, 0, 0);
            Send(CcidMessage.T0Apdu, 0, 0x04, 0x00, 0x00, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.Failed | CcidStatus.IccInactive, 7, 0);
        }

        [TestMethod]
        public void Ccid_6_1_11_Secure_WithoutPinPadIsNotSupported()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.Secure, 0, 0, 0, 0, new byte[] { 0x00, 0x00, 0x00 });
            AssertReply(CcidMessage.DataBlock, 0, CcidStatus.Failed | CcidStatus.IccActive, CcidError.CommandNotSupported, 0);
        }

        [TestMethod]
        public void Ccid_6_1_12_Mechanical_IsNotSupported()
        {
            Send(CcidMessage.Mechanical, 0, 1, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.Failed | CcidStatus.IccInactive, CcidError.CommandNotSupported, 0);
        }

        [TestMethod]
        public void Ccid_6_1_13_Abort_RepliesSlotStatus()
        {
            Send(CcidMessage.Abort, 1, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 1, CcidStatus.IccInactive, 0, 0);
        }

        [TestMethod]
        public void Ccid_6_1_14_SetDataRateAndClockFrequency_ReportsTheValuesInForce()
        {
            byte[] data = new byte[8];
            CcidDevice.WriteInt(data, 0, 5000000);
            CcidDevice.WriteInt(data, 4, 115200);
            Send(CcidMessage.SetDataRateAndClockFrequency, 0, 0, 0, 0, data);
            AssertReply(CcidMessage.DataRateAndClockFrequency, 0, CcidStatus.IccInactive, 0, 8);
            Assert.AreEqual(4000000, CcidDevice.ReadInt(_reply, 10));
            Assert.AreEqual(10752, CcidDevice.ReadInt(_reply, 14));
            Send(CcidMessage.SetDataRateAndClockFrequency, 0, 0, 0, 0, new byte[4]);
            Assert.AreEqual(1, (int)_reply[8]);
        }

        [TestMethod]
        [DataRow(0x62)]
        [DataRow(0x63)]
        [DataRow(0x65)]
        [DataRow(0x6F)]
        [DataRow(0x6C)]
        [DataRow(0x6D)]
        [DataRow(0x61)]
        [DataRow(0x6E)]
        [DataRow(0x6A)]
        [DataRow(0x69)]
        [DataRow(0x71)]
        [DataRow(0x72)]
        [DataRow(0x73)]
        public void Ccid_6_2_6_NonexistentSlotNamesOffset5(int type)
        {
            byte[] data = type == 0x73 ? new byte[8] : (type == 0x61 ? new byte[5] : new byte[0]);
            Send((byte)type, 2, 0, 0, 0, data);
            Assert.AreEqual((int)CcidDevice.ReplyType((byte)type), (int)_reply[0]);
            Assert.AreEqual(CcidStatus.Failed | CcidStatus.IccAbsent, (int)_reply[7]);
            Assert.AreEqual(CcidError.BadSlot, _reply[8]);
            Assert.AreEqual(2, (int)_reply[5]);
        }

        [TestMethod]
        public void Ccid_6_2_6_UnknownMessageTypeIsNotSupported()
        {
            Send(0x10, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.Failed | CcidStatus.IccInactive, CcidError.CommandNotSupported, 0);
        }

        // Found by the soak: a failed reply said "no ICC" for a slot holding a powered card, so the
        // host's view of the slot went wrong (bmICCStatus is the slot's state in every reply).
        [TestMethod]
        public void Ccid_6_2_6_FailedReplyToAnUnknownTypeOrABadLength_ReportsTheSlotsIccStatus()
        {
            _slot1.Active = true;
            Send(0x10, 1, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 1, CcidStatus.Failed | CcidStatus.IccActive, CcidError.CommandNotSupported, 0);
            byte[] m = Frames.Message(CcidMessage.GetSlotStatus, 1, 0x42, 0, 0, 0, new byte[2]);
            CcidDevice.WriteInt(m, 1, 0);
            _replyLength = _device.Process(m, m.Length, _reply);
            AssertReply(CcidMessage.SlotStatus, 1, CcidStatus.Failed | CcidStatus.IccActive, 1, 0);
            _slot0.Remove();
            Send(0x10, 0, 0, 0, 0, new byte[0]);
            AssertReply(CcidMessage.SlotStatus, 0, CcidStatus.Failed | CcidStatus.IccAbsent, CcidError.CommandNotSupported, 0);
        }

        [TestMethod]
        public void Ccid_6_2_6_DwLengthDisagreeingWithTheMessageNamesOffset1()
        {
            byte[] m = Frames.Message(CcidMessage.XfrBlock, 0, 1, 0, 0, 0, new byte[4]);
            CcidDevice.WriteInt(m, 1, 9);
            _replyLength = _device.Process(m, m.Length, _reply);
            Assert.AreEqual(1, (int)_reply[8]);
            Assert.AreEqual(CcidStatus.Failed, _reply[7] & 0xC0);
        }

        [TestMethod]
        public void Ccid_6_2_6_TruncatedMessageIsIgnoredWithoutException()
        {
            byte[] m = new byte[] { 0x6F, 0x05, 0x00 };
            Assert.AreEqual(0, _device.Process(m, m.Length, _reply));
        }

        [TestMethod]
        public void Ccid_6_2_6_TimeExtensionHasThePendingMessageType()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            byte[] extension = new byte[10];
            int written = -1;
            _slot0.DuringExchange = delegate { written = _device.WriteTimeExtension(extension, 0); };
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 });
            Assert.AreEqual(10, written);
            Assert.AreEqual(CcidMessage.DataBlock, extension[0]);
            Assert.AreEqual(0x42, (int)extension[6], "bSeq of the pending command");
            Assert.AreEqual(CcidStatus.TimeExtension | CcidStatus.IccActive, (int)extension[7]);
            Assert.AreEqual(1, (int)extension[8], "BWT multiplier");
            Assert.AreEqual(0, _device.WriteTimeExtension(extension, 0), "nothing pending once answered");
        }

        [TestMethod]
        public void Ccid_6_2_6_SecondCommandWhileBusyGetsCmdSlotBusy()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            byte[] inner = new byte[CcidDevice.ResponseBufferLength];
            byte[] other = Frames.Message(CcidMessage.GetSlotStatus, 1, 7, 0, 0, 0, new byte[0]);
            _slot0.DuringExchange = delegate { _device.Process(other, other.Length, inner); };
            Send(CcidMessage.XfrBlock, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 });
            Assert.AreEqual(CcidMessage.SlotStatus, inner[0]);
            Assert.AreEqual(CcidError.CommandSlotBusy, inner[8]);
            Assert.AreEqual(0, _reply[7] & 0xC0, "the running command completes");
        }

        [TestMethod]
        public void Ccid_6_3_1_NotifySlotChange_ReportsEachMovedSlot()
        {
            byte[] n = new byte[4];
            Assert.AreEqual(0, _device.WriteSlotChange(n, 0), "nothing moved");
            _slot1.Remove();
            Assert.AreEqual(2, _device.WriteSlotChange(n, 0));
            Assert.AreEqual(0x50, (int)n[0]);
            Assert.AreEqual(0x01 | 0x08, (int)n[1], "slot 0 present unchanged, slot 1 absent changed");
            Assert.AreEqual(0, _device.WriteSlotChange(n, 0), "reported once");
        }

        [TestMethod]
        public void SerialNotification_EveryMovementIsTakenInOrder()
        {
            _slot0.Remove();
            Assert.AreEqual(0x02, _device.TakeMovement());
            _slot0.Insert();
            Assert.AreEqual(0x03, _device.TakeMovement());
            Assert.AreEqual(0, _device.TakeMovement());
        }

        [TestMethod]
        public void Profile_GemPcPinPadShowsTheCpxSlotAlone()
        {
            _device.Profile = ReaderProfile.GemPcPinPad;
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Assert.AreEqual(-1, _slot0.LastVoltage, "slot 0 of the host is the CPx slot");
            Assert.AreEqual(0, _slot1.LastVoltage);
            Send(CcidMessage.GetSlotStatus, 1, 0, 0, 0, new byte[0]);
            Assert.AreEqual(CcidError.BadSlot, _reply[8]);
        }

        [TestMethod]
        [DataRow(0x06, "sec1210")]
        [DataRow(0x02, "gempcpinpad")]
        public void Profile_RecognisedFromTheHostsFirstEscape(int code, string expected)
        {
            _device.RecogniseProfile = true;
            _device.Profile = code == 0x06 ? ReaderProfile.GemPcPinPad : ReaderProfile.Sec1210;
            byte[] m = Frames.Message(CcidMessage.Escape, 0, 0, 0, 0, 0, new byte[] { (byte)code });
            _device.Recognise(m, m.Length);
            Assert.AreEqual(expected, _device.Profile.Name);
        }

        [TestMethod]
        public void Profile_OnlyTheFirstCommandDecides()
        {
            _device.RecogniseProfile = true;
            byte[] status = Frames.Message(CcidMessage.GetSlotStatus, 0, 0, 0, 0, 0, new byte[0]);
            _device.Recognise(status, status.Length);
            byte[] m = Frames.Message(CcidMessage.Escape, 0, 0, 0, 0, 0, new byte[] { 0x02 });
            _device.Recognise(m, m.Length);
            Assert.AreEqual("sec1210", _device.Profile.Name);
        }

        [TestMethod]
        public void HostReset_DeactivatesEveryCard()
        {
            Send(CcidMessage.IccPowerOn, 0, 0, 0, 0, new byte[0]);
            Send(CcidMessage.IccPowerOn, 1, 0, 0, 0, new byte[0]);
            _device.HostReset();
            Assert.AreEqual(CcidStatus.IccInactive, _slot0.IccStatus);
            Assert.AreEqual(CcidStatus.IccInactive, _slot1.IccStatus);
        }
    }
}
