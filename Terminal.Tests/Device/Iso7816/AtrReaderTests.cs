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
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 00 < 3B 00");
            AtrReader reader = new AtrReader(line, new Timing());
            Atr atr = new Atr();
            Assert.AreEqual(2, reader.ColdReset(VoltageClass.B, atr));
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
