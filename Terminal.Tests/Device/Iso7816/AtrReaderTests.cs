using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-3 §6 (activation, reset, deactivation) and §8.1/§8.2 (ATR reception and its timing).</summary>
    [TestClass]
    public class AtrReaderTests
    {
        private static int Cold(ScriptedCardLine line, Atr atr)
        {
            AtrReader reader = new AtrReader(line, new Timing());
            return reader.ColdReset(VoltageClass.A, atr);
        }

        [TestMethod]
        public void Iso7816_3_6_2_2_ColdReset_ContactSequence_ThenAtr()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< ~1000 3B 75 13 00 00 47 09 EA 90 00");
            Atr atr = new Atr();
            int r = Cold(line, atr);
            Assert.AreEqual(10, r);
            Assert.IsNull(line.Failure);
            Assert.IsTrue(line.Done);
            Assert.AreEqual("RST0 VCC1 CFG0/372/1/12/0 CLK1 WAIT40000 RST1 ", line.Events);
            Assert.AreEqual(4, atr.Di);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_OnlyT0_StrayTckAfterTheAtr_IsReadAndReported_NotTakenForAProcedureByte()
        {
            // A T=0 card that sends a TCK anyway (52 = XOR of T0..00): the reader reads it as part of the
            // reset, the ATR is the 10 announced bytes, and the next command's procedure byte is the card's
            // real one, not the stray 52.
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00 52 > 00 B0 00 00 02 < B0 12 34 90 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(10, session.PowerOn(VoltageClass.A, 200000, false));
            Assert.AreEqual((int)AtrError.UnexpectedTck, (int)session.Atr.LastError);
            Assert.AreEqual(0x52, session.Atr.StrayTck);
            Assert.AreEqual(10, session.Atr.Length);
            Assert.AreEqual((int)TckStatus.Absent, (int)session.Atr.Tck);
            byte[] c = Hex.Bytes("00 B0 00 00 02");
            byte[] r = new byte[8];
            Assert.AreEqual(4, session.TransmitApdu(c, 0, c.Length, r, 0, r.Length));
            Assert.AreEqual("12 34 90 00", Hex.Of(r, 0, 4));
            Assert.IsNull(line.Failure);
            Assert.IsTrue(line.Done);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_OnlyT0_TrailingByteThatDoesNotCheck_IsBadAtr()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00 53");
            Atr atr = new Atr();
            Assert.AreEqual(TransmissionError.BadAtr, Cold(line, atr));
            Assert.AreEqual((int)AtrError.ExtraBytes, (int)atr.LastError);
            Assert.AreEqual((int)VoltageClass.None, (int)line.Vcc);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_T1Atr_NoListenAfterTck()
        {
            // With T=1 indicated the TCK is announced and read as such; nothing is awaited after it.
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 80 01 81");
            Atr atr = new Atr();
            Assert.AreEqual(4, Cold(line, atr));
            Assert.AreEqual(0, line.Timeouts);
        }

        [TestMethod]
        public void Iso7816_3_8_1_InverseConvention_Ts03_SwitchesTheLineAndStores3F()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< ! 03 65 25 00 2C 09 69 90 00");
            Atr atr = new Atr();
            int r = Cold(line, atr);
            Assert.AreEqual(9, r);
            Assert.IsTrue(line.Done);
            Assert.AreEqual((int)Convention.Inverse, (int)line.ConfiguredConvention);
            Assert.AreEqual(0x3F, (int)atr.Bytes[0]);
            Assert.AreEqual((int)Convention.Inverse, (int)atr.Convention);
            Assert.AreEqual((int)AtrError.None, (int)atr.LastError);
        }

        [TestMethod]
        public void Iso7816_3_8_1_Ts_NeitherDirectNorInverse_IsBadAtrTs()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3C 00");
            int r = Cold(line, new Atr());
            Assert.AreEqual(TransmissionError.BadAtrTs, r);
            Assert.IsTrue(line.Events.EndsWith("RST0 CLK0 VCC0 "), line.Events);
        }

        [TestMethod]
        public void Iso7816_3_6_2_2_NoAnswer_IsMute_AndDeactivates()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "");
            int r = Cold(line, new Atr());
            Assert.AreEqual(TransmissionError.Mute, r);
            Assert.IsTrue(line.Events.EndsWith("RST0 CLK0 VCC0 "), line.Events);
            Assert.AreEqual((int)VoltageClass.None, (int)line.Vcc);
        }

        [TestMethod]
        [DataRow(39990, 2)]
        [DataRow(40001, TransmissionError.Mute)]
        public void Iso7816_3_6_2_2_Ts_Within40000CyclesOfRstHigh(int delay, int expected)
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< ~" + delay + " 3B 00");
            Assert.AreEqual(expected, Cold(line, new Atr()));
        }

        [TestMethod]
        [DataRow(9590, 3)]
        [DataRow(9601, TransmissionError.BadAtr)]
        public void Iso7816_3_8_1_AtMost9600EtuBetweenAtrCharacters(int delayEtu, int expected)
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 01 ~" + delayEtu + "e 42");
            Assert.AreEqual(expected, Cold(line, new Atr()));
        }

        [TestMethod]
        public void Emv_WholeAtrWithin20160Etu()
        {
            ScriptedCardLine ok = new ScriptedCardLine(4000000, "< 3B 02 ~9000e 41 ~9000e 42");
            Assert.AreEqual(4, Cold(ok, new Atr()));
            ScriptedCardLine slow = new ScriptedCardLine(4000000, "< 3B 03 ~9000e 41 ~9000e 42 ~9000e 43");
            Assert.AreEqual(TransmissionError.BadAtr, Cold(slow, new Atr()));
        }

        [TestMethod]
        public void Iso7816_3_8_2_ReadsExactlyTheAnnouncedCharacters_TckIncluded()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C > 00");
            Atr atr = new Atr();
            Assert.AreEqual(21, Cold(line, atr));
            Assert.AreEqual(1, line.Remaining);
            Assert.AreEqual(254, atr.Ifsc);
        }

        [TestMethod]
        public void Iso7816_3_8_2_5_WrongTck_IsBadAtrTck()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 80 01 80");
            Assert.AreEqual(TransmissionError.BadAtrTck, Cold(line, new Atr()));
        }

        [TestMethod]
        public void Iso7816_3_8_1_TruncatedAtr_IsBadAtr()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 05 01 02");
            Atr atr = new Atr();
            Assert.AreEqual(TransmissionError.BadAtr, Cold(line, atr));
            Assert.AreEqual((int)AtrError.TruncatedHistoricalBytes, (int)atr.LastError);
        }

        [TestMethod]
        public void Iso7816_3_8_1_ParityErrorInAtr_IsParityError()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 02 ! 41 42");
            Assert.AreEqual(TransmissionError.ParityError, Cold(line, new Atr()));
        }

        [TestMethod]
        public void Iso7816_3_6_2_3_WarmReset_KeepsVccAndClock()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 00");
            AtrReader reader = new AtrReader(line, new Timing());
            Atr atr = new Atr();
            Assert.AreEqual(2, reader.ColdReset(VoltageClass.B, atr));
            line.Add("< 3B 00");
            line.ClearEvents();
            Assert.AreEqual(2, reader.WarmReset(atr));
            Assert.AreEqual("RST0 CFG0/372/1/12/0 WAIT40000 RST1 ", line.Events);
        }

        [TestMethod]
        public void Iso7816_3_6_4_Deactivation_RstClkThenVcc()
        {
            ScriptedCardLine line = new ScriptedCardLine();
            new AtrReader(line, new Timing()).Deactivate();
            Assert.AreEqual("RST0 CLK0 VCC0 ", line.Events);
        }

        [TestMethod]
        public void NoCard_IsCardRemoved_WithoutTouchingTheContacts()
        {
            ScriptedCardLine line = new ScriptedCardLine();
            line.CardPresent = false;
            Assert.AreEqual(TransmissionError.CardRemoved, Cold(line, new Atr()));
            Assert.AreEqual("", line.Events);
        }
    }
}
