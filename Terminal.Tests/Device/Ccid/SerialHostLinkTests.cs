using nanoFramework.TestFramework;
using Terminal.Ccid;
using Terminal.HostLink;

namespace Terminal.Tests.Device.Ccid
{
    /// <summary>The serial framing of libccid's serial driver (design/pcsc-serial.md) over an in-memory stream.</summary>
    [TestClass]
    public class SerialHostLinkTests
    {
        private FakeSlot _slot0 = new FakeSlot();
        private FakeSlot _slot1 = new FakeSlot();
        private FakeStream _stream = new FakeStream();
        private FakeClock _clock = new FakeClock();
        private CcidDevice _device = null!;
        private SerialHostLink _link = null!;

        [Setup]
        public void Setup()
        {
            _slot0 = new FakeSlot();
            _slot1 = new FakeSlot();
            _stream = new FakeStream();
            _clock = new FakeClock();
            _device = new CcidDevice(new ICcidSlot[] { _slot0, _slot1 }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            _device.RecogniseProfile = false;
            _link = new SerialHostLink(_stream, _device, _clock);
        }

        private static readonly byte[] GetSlotStatusFrame = new byte[] { 0x03, 0x06, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x62 };
        private static readonly byte[] SlotStatusAnswer = new byte[] { 0x03, 0x06, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x87 };
        private static readonly byte[] NakFrame = new byte[] { 0x03, 0x15, 0x16 };

        [TestMethod]
        public void Framing_GetSlotStatusExampleGivesTheDocumentedAnswerBytes()
        {
            _stream.Feed(GetSlotStatusFrame);
            Assert.AreEqual(1, _link.Poll(0));
            Assert.Equal(SlotStatusAnswer, _stream.TakeOutput());
        }

        [TestMethod]
        public void Framing_BadLrcGetsNakAndTheNextFrameIsAnswered()
        {
            byte[] bad = (byte[])GetSlotStatusFrame.Clone();
            bad[12] ^= 0x01;
            _stream.Feed(bad);
            Assert.AreEqual(-1, _link.Poll(0));
            Assert.Equal(NakFrame, _stream.TakeOutput());
            _stream.Feed(GetSlotStatusFrame);
            Assert.AreEqual(1, _link.Poll(0));
            Assert.Equal(SlotStatusAnswer, _stream.TakeOutput());
        }

        [TestMethod]
        public void Framing_GarbageGetsOneNakAndTheLinkStaysInStep()
        {
            _stream.Feed(new byte[] { 0x41, 0x54, 0x0D, 0x0A, 0xFF });
            Assert.AreEqual(-1, _link.Poll(0));
            Assert.Equal(NakFrame, _stream.TakeOutput());
            Assert.AreEqual(0, _link.Poll(0), "the garbage was drained, nothing else pending");
            _stream.Feed(GetSlotStatusFrame);
            Assert.AreEqual(1, _link.Poll(0));
            Assert.Equal(SlotStatusAnswer, _stream.TakeOutput());
        }

        [TestMethod]
        public void Framing_DwLengthOver261GetsNak()
        {
            byte[] m = Frames.Message(CcidMessage.XfrBlock, 0, 0, 0, 0, 0, new byte[0]);
            CcidDevice.WriteInt(m, 1, 262);
            _stream.Feed(Frames.Serial(m));
            Assert.AreEqual(-1, _link.Poll(0));
            Assert.Equal(NakFrame, _stream.TakeOutput());
        }

        [TestMethod]
        public void Framing_FrameCutShortGetsNak()
        {
            byte[] frame = Frames.Serial(Frames.Message(CcidMessage.XfrBlock, 0, 0, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x10 }));
            _stream.Feed(Frames.Slice(frame, 0, frame.Length - 3));
            Assert.AreEqual(-1, _link.Poll(0));
            Assert.Equal(NakFrame, _stream.TakeOutput());
        }

        [TestMethod]
        public void Framing_MissingAckGetsNak()
        {
            _stream.Feed(new byte[] { 0x03, 0x07, 0x65, 0x00 });
            Assert.AreEqual(-1, _link.Poll(0));
            Assert.Equal(NakFrame, _stream.TakeOutput());
        }

        [TestMethod]
        public void Framing_FrameSplitAcrossReadsIsReassembled()
        {
            _stream.ChunkSize = 3;
            _stream.Feed(GetSlotStatusFrame);
            Assert.AreEqual(1, _link.Poll(0));
            Assert.Equal(SlotStatusAnswer, _stream.TakeOutput());
        }

        [TestMethod]
        public void Echo_GemPcPinPadSendsAHeaderOnlyFrameBeforeTheAnswer()
        {
            _device.Profile = ReaderProfile.GemPcPinPad;
            byte[] data = new byte[165];
            data[0] = 0xB2; data[1] = 0xA0; data[2] = 0x00; data[3] = 0x4D; data[4] = 0x4C;
            byte[] command = Frames.Message(CcidMessage.Escape, 0, 9, 0, 0, 0, data);
            _stream.Feed(Frames.Serial(command));
            Assert.AreEqual(1, _link.Poll(0));
            byte[] output = _stream.TakeOutput();
            byte[] header = Frames.Slice(command, 0, 10);
            CcidDevice.WriteInt(header, 1, 0);
            Assert.Equal(Frames.Serial(header), Frames.Slice(output, 0, 13), "valid header-only echo");
            Assert.AreEqual(13 + 13, output.Length, "then the 10-byte Escape answer");
            Assert.AreEqual(CcidMessage.EscapeResponse, output[13 + 2]);
        }

        [TestMethod]
        public void Echo_Sec1210SendsNoEcho()
        {
            _stream.Feed(GetSlotStatusFrame);
            _link.Poll(0);
            Assert.AreEqual(13, _stream.TakeOutput().Length);
        }

        [TestMethod]
        public void TimeRequest_SentEverySecondWhileTheCardWorksPastTheHostTimeout()
        {
            _slot0.Active = true;
            _slot0.DuringExchange = delegate
            {
                // The card takes 3.5 s: the keeper ticks every 100 ms.
                for (int i = 0; i < 35; i++)
                {
                    _clock.Now += 100;
                    _link.Tick();
                }
            };
            _stream.Feed(Frames.Serial(Frames.Message(CcidMessage.XfrBlock, 0, 1, 0, 0, 0, new byte[] { 0x00, 0xB0, 0x00, 0x00, 0x00 })));
            Assert.AreEqual(1, _link.Poll(0));
            byte[] output = _stream.TakeOutput();
            Assert.AreEqual(3, _link.TimeRequestsSent);
            for (int i = 0; i < 3; i++)
            {
                Assert.IsTrue(output[i] >= 0x80, "time request byte");
            }
            Assert.AreEqual(0x03, (int)output[3], "then the answer frame");
            Assert.AreEqual(3 + 3 + 10 + 2, output.Length);
        }

        [TestMethod]
        public void TimeRequest_NeverSentWhenIdle()
        {
            _clock.Now += 10000;
            _link.Tick();
            Assert.AreEqual(0, _stream.OutputLength);
        }

        [TestMethod]
        public void Notification_CardMovementsPrecedeTheAnswer()
        {
            _slot1.Remove();
            _slot1.Insert();
            _stream.Feed(GetSlotStatusFrame);
            _link.Poll(0);
            byte[] output = _stream.TakeOutput();
            Assert.Equal(new byte[] { 0x50, 0x02, 0x50, 0x03 }, Frames.Slice(output, 0, 4));
            Assert.Equal(SlotStatusAnswer, Frames.Slice(output, 4, 13));
        }

        [TestMethod]
        public void HostGone_CardsAreDeactivated()
        {
            _stream.Feed(GetSlotStatusFrame);
            _link.Poll(0);
            _slot0.Active = true;
            _slot1.Active = true;
            _stream.NoHost = true;
            Assert.AreEqual(-2, _link.Poll(0));
            Assert.IsFalse(_link.HostPresent);
            Assert.AreEqual(CcidStatus.IccInactive, _slot0.IccStatus);
            Assert.AreEqual(CcidStatus.IccInactive, _slot1.IccStatus);
        }

        [TestMethod]
        public void Framing_LongestMessageFitsIn271Bytes()
        {
            _slot0.Active = true;
            _slot0.AnswerLength = 259;
            byte[] data = new byte[261];
            data[0] = 0x00; data[1] = 0xD6; data[4] = 0xFF;
            _stream.Feed(Frames.Serial(Frames.Message(CcidMessage.XfrBlock, 0, 1, 0, 0, 0, data)));
            Assert.AreEqual(1, _link.Poll(0));
            byte[] output = _stream.TakeOutput();
            Assert.AreEqual(271 + 3, output.Length);
            int lrc = 0;
            for (int i = 0; i < output.Length; i++)
            {
                lrc ^= output[i];
            }
            Assert.AreEqual(0, lrc, "LRC closes the frame");
        }
    }
}
