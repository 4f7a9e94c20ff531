using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-3 §11.3 (block frame, PCB coding) and §11.4.4 (LRC, CRC), and the T=1 block transport of §11.4 (BWT, CWT, BGT).</summary>
    [TestClass]
    public class T1BlockTests
    {
        private static string Encode(int pcb, string inf, bool crc)
        {
            byte[] data = Hex.Bytes(inf);
            byte[] block = new byte[T1Block.MaxBlockLength];
            int n = T1Block.Encode(0, (byte)pcb, data, 0, data.Length, crc, block, 0);
            return Hex.Of(block, 0, n);
        }

        [TestMethod]
        public void Iso7816_3_11_4_4_Lrc_IfsRequestAndResponse()
        {
            Assert.AreEqual("00 C1 01 FE 3E", Encode(0xC1, "FE", false));
            Assert.AreEqual("00 E1 01 FE 1E", Encode(0xE1, "FE", false));
            Assert.AreEqual("00 00 02 90 00 92", Encode(0x00, "90 00", false));
        }

        [TestMethod]
        public void Iso7816_3_11_4_4_Crc_AsTheHostComputesIt()
        {
            Assert.AreEqual("00 C1 01 FE 54 4E", Encode(0xC1, "FE", true));
            Assert.AreEqual("00 E1 01 FE 57 75", Encode(0xE1, "FE", true));
            Assert.AreEqual("00 00 05 00 A4 00 00 00 B8 DA", Encode(0x00, "00 A4 00 00 00", true));
            Assert.AreEqual("00 90 00 20 6E", Encode(0x90, "", true));
        }

        [TestMethod]
        public void Iso7816_3_11_3_Pcb_Coding()
        {
            Assert.AreEqual(0x00, (int)T1Block.IPcb(0, false));
            Assert.AreEqual(0x60, (int)T1Block.IPcb(1, true));
            Assert.AreEqual(0x91, (int)T1Block.RPcb(1, T1Block.ErrorEdc));
            Assert.AreEqual(0x82, (int)T1Block.RPcb(0, T1Block.ErrorOther));
            Assert.AreEqual(0xC3, (int)T1Block.SPcb(T1Block.Wtx, false));
            Assert.AreEqual(0xE0, (int)T1Block.SPcb(T1Block.Resynch, true));
            Assert.IsTrue(T1Block.IsIBlock(0x40));
            Assert.IsTrue(T1Block.IsRBlock(0x90));
            Assert.IsTrue(T1Block.IsSBlock(0xE2));
            Assert.AreEqual(1, T1Block.SendSequence(0x60));
            Assert.IsTrue(T1Block.HasMore(0x20));
            Assert.AreEqual(1, T1Block.ReceiveSequence(0x91));
            Assert.AreEqual(T1Block.Abort, T1Block.SType(0xC2));
        }

        [TestMethod]
        public void Iso7816_3_11_3_IsValid_ChecksLenAndEdc()
        {
            byte[] ok = Hex.Bytes("00 00 02 90 00 92");
            Assert.IsTrue(T1Block.IsValid(ok, 0, ok.Length, false));
            ok[5] = 0x93;
            Assert.IsFalse(T1Block.IsValid(ok, 0, ok.Length, false));
            byte[] shortBlock = Hex.Bytes("00 00 03 90 00 93");
            Assert.IsFalse(T1Block.IsValid(shortBlock, 0, shortBlock.Length, false));
            byte[] crc = Hex.Bytes("00 C1 01 FE 54 4E");
            Assert.IsTrue(T1Block.IsValid(crc, 0, crc.Length, true));
            Assert.IsFalse(T1Block.IsValid(crc, 0, crc.Length, false));
            Assert.IsFalse(T1Block.IsValid(null!, 0, 4, false));
        }

        [TestMethod]
        public void Encode_TooLongInformation_IsBadCommand()
        {
            byte[] block = new byte[300];
            Assert.AreEqual(TransmissionError.BadCommand, T1Block.Encode(0, 0, new byte[255], 0, 255, false, block, 0));
            Assert.AreEqual(TransmissionError.BadCommand, T1Block.Encode(0, 0, new byte[4], 0, 4, false, new byte[6], 0));
        }

        // ---- transport ----

        private static T1Transport Transport(ScriptedCardLine line, Timing timing)
        {
            line.SetVcc(VoltageClass.A);
            return new T1Transport(line, timing);
        }

        [TestMethod]
        public void Iso7816_3_11_4_ReceiveBlock_UsesLenToFindTheEnd()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "> 00 00 01 55 54 < 00 00 02 90 00 92 > 00");
            T1Transport t = Transport(line, new Timing());
            byte[] tx = Hex.Bytes("00 00 01 55 54");
            Assert.AreEqual(0, t.SendBlock(tx, 0, tx.Length));
            byte[] rx = new byte[T1Block.MaxBlockLength];
            Assert.AreEqual(6, t.ReceiveBlock(rx, 0, rx.Length));
            Assert.IsTrue(t.EdcValid);
            Assert.AreEqual("00 00 02 90 00 92", Hex.Of(rx, 0, 6));
            Assert.AreEqual(1, line.Remaining);
            Assert.IsNull(line.Failure);
        }

        [TestMethod]
        public void Iso7816_3_11_4_3_NothingWithinBwt_IsMute()
        {
            Timing timing = new Timing();
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< ~" + (timing.BwtCycles + 1) + " 00 00 00 00");
            T1Transport t = Transport(line, timing);
            Assert.AreEqual(TransmissionError.Mute, t.ReceiveBlock(new byte[10], 0, 10));
        }

        [TestMethod]
        public void Iso7816_3_11_4_3_WtxMultipliesBwtForTheNextBlockOnly()
        {
            Timing timing = new Timing();
            long late = timing.BwtCycles * 2;
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< ~" + late + " 00 00 00 00 < ~" + late + " 00 00 00 00");
            T1Transport t = Transport(line, timing);
            t.WtxMultiplier = 3;
            Assert.AreEqual(4, t.ReceiveBlock(new byte[10], 0, 10));
            Assert.AreEqual(1, t.WtxMultiplier);
            Assert.AreEqual(TransmissionError.Mute, t.ReceiveBlock(new byte[10], 0, 10));
        }

        [TestMethod]
        public void Iso7816_3_11_4_3_HostWtxResponse_GrantsTheMultipleOfBwt()
        {
            Timing timing = new Timing();
            long late = timing.BwtCycles * 2;
            ScriptedCardLine line = new ScriptedCardLine(4000000, "> 00 E3 01 03 E1 < ~" + late + " 00 00 00 00");
            T1Transport t = Transport(line, timing);
            Assert.AreEqual(0, t.SendBlock(Hex.Bytes("00 E3 01 03 E1"), 0, 5));
            Assert.AreEqual(3, t.WtxMultiplier);
            Assert.AreEqual(4, t.ReceiveBlock(new byte[10], 0, 10));
            Assert.IsTrue(line.Done);
        }

        [TestMethod]
        public void Iso7816_3_11_4_2_CharacterLaterThanCwt_IsMute()
        {
            Timing timing = new Timing();
            timing.SetParameters(0, 10, 5, 4); // CWT = 43 ETU
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 00 ~44e 02 90 00 92");
            T1Transport t = Transport(line, timing);
            Assert.AreEqual(TransmissionError.Mute, t.ReceiveBlock(new byte[10], 0, 10));
        }

        [TestMethod]
        public void Iso7816_3_11_4_ParityError_ReadsTheWholeBlock()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 00 02 ! 90 00 92 > 00");
            T1Transport t = Transport(line, new Timing());
            Assert.AreEqual(TransmissionError.ParityError, t.ReceiveBlock(new byte[10], 0, 10));
            Assert.AreEqual(1, line.Remaining);
        }

        [TestMethod]
        public void Iso7816_3_11_4_WrongEdc_IsReturnedButFlagged()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 00 02 90 00 93");
            T1Transport t = Transport(line, new Timing());
            Assert.AreEqual(6, t.ReceiveBlock(new byte[10], 0, 10));
            Assert.IsFalse(t.EdcValid);
        }

        [TestMethod]
        public void Iso7816_3_11_4_BlockLongerThanBuffer_IsOverrun_AndConsumed()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 00 04 01 02 03 04 04 > 00");
            T1Transport t = Transport(line, new Timing());
            Assert.AreEqual(TransmissionError.Overrun, t.ReceiveBlock(new byte[6], 0, 6));
            Assert.AreEqual(1, line.Remaining);
        }

        [TestMethod]
        public void Iso7816_3_11_4_Crc_TwoEpilogueBytes()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 E1 01 FE 57 75");
            T1Transport t = Transport(line, new Timing());
            t.UsesCrc = true;
            Assert.AreEqual(6, t.ReceiveBlock(new byte[10], 0, 10));
            Assert.IsTrue(t.EdcValid);
            Assert.IsTrue(line.Done);
        }

        [TestMethod]
        public void Iso7816_3_11_2_BlockGuardTime_BeforeSendingAfterTheCard()
        {
            Timing timing = new Timing();
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 00 00 00 > 00 00 00 00");
            T1Transport t = Transport(line, timing);
            t.ReceiveBlock(new byte[10], 0, 10);
            line.ClearEvents();
            t.SendBlock(Hex.Bytes("00 00 00 00"), 0, 4);
            Assert.AreEqual("WAIT" + timing.TurnaroundWaitCycles(1) + " ", line.Events);
            Assert.IsTrue(line.Done);
        }

        [TestMethod]
        public void Transport_CardRemoved()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 00 00 00 00");
            T1Transport t = Transport(line, new Timing());
            line.CardPresent = false;
            Assert.AreEqual(TransmissionError.CardRemoved, t.ReceiveBlock(new byte[10], 0, 10));
        }
    }
}
