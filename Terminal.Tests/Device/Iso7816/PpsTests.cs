using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-3 §9 (PPS request and response), the speed policy, and the session's PPS fallback.</summary>
    [TestClass]
    public class PpsTests
    {
        private static int Check(string request, string response)
        {
            byte[] q = Hex.Bytes(request);
            byte[] r = Hex.Bytes(response);
            return Pps.CheckResponse(q, 0, q.Length, r, 0, r.Length);
        }

        [TestMethod]
        public void Iso7816_3_9_2_Request_PpssPps0Pps1Pck()
        {
            byte[] b = new byte[4];
            Assert.AreEqual(4, Pps.BuildRequest(0, 1, 3, b, 0));
            Assert.AreEqual("FF 10 13 FC", Hex.Of(b, 0, 4));
            Assert.AreEqual(4, Pps.BuildRequest(1, 9, 6, b, 0));
            Assert.AreEqual("FF 11 96 78", Hex.Of(b, 0, 4));
            Assert.AreEqual(TransmissionError.BadCommand, Pps.BuildRequest(15, 1, 1, b, 0));
        }

        [TestMethod]
        public void Iso7816_3_9_3_Response_EchoAccepts_NoPps1MeansDefault()
        {
            Assert.AreEqual(Pps.AcceptedNewRate, Check("FF 10 13 FC", "FF 10 13 FC"));
            Assert.AreEqual(Pps.AcceptedDefaultRate, Check("FF 10 13 FC", "FF 00 FF"));
        }

        [TestMethod]
        [DataRow("FF 10 11 FE")]
        [DataRow("FF 11 13 FD")]
        [DataRow("FF 10 13 FD")]
        [DataRow("FE 10 13 FD")]
        [DataRow("FF 30 13 01 DD")]
        [DataRow("FF 10 13")]
        public void Iso7816_3_9_3_Response_AnythingElseFails(string response)
        {
            Assert.AreEqual(TransmissionError.PpsFailed, Check("FF 10 13 FC", response));
        }

        [TestMethod]
        public void Iso7816_3_9_Negotiate_SwitchesTimingAndLine()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "> FF 10 13 FC < FF 10 13 FC");
            line.SetVcc(VoltageClass.A);
            Timing timing = new Timing();
            Pps pps = new Pps(line, timing);
            Assert.AreEqual(Pps.AcceptedNewRate, pps.Negotiate(Convention.Direct, 0, 1, 3));
            Assert.IsTrue(line.Done);
            Assert.AreEqual(4, timing.Di);
            Assert.AreEqual(4, line.ConfiguredDi);
            Assert.AreEqual(372, line.ConfiguredFi);
            Assert.IsTrue(line.ConfiguredErrorSignal);
        }

        [TestMethod]
        public void Iso7816_3_9_Negotiate_NoAnswer_IsMute()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "> FF 10 13 FC");
            line.SetVcc(VoltageClass.A);
            Pps pps = new Pps(line, new Timing());
            Assert.AreEqual(TransmissionError.Mute, pps.Negotiate(Convention.Direct, 0, 1, 3));
        }

        [TestMethod]
        public void Iso7816_3_9_TransmitRaw_ReadsTheLengthFromPps0()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "> FF 11 96 78 < FF 11 96 78 > 00");
            line.SetVcc(VoltageClass.A);
            Pps pps = new Pps(line, new Timing());
            byte[] q = Hex.Bytes("FF 11 96 78");
            byte[] r = new byte[6];
            Assert.AreEqual(4, pps.TransmitRaw(q, 0, 4, r, 0));
            Assert.AreEqual("FF 11 96 78", Hex.Of(r, 0, 4));
            Assert.AreEqual(1, line.Remaining);
        }

        private static Atr AtrOf(string hex)
        {
            byte[] b = Hex.Bytes(hex);
            Atr atr = new Atr();
            atr.Parse(b, 0, b.Length);
            return atr;
        }

        [TestMethod]
        [DataRow("3B 75 13 00 00 47 09 EA 90 00", 4000000, 200000, true, 1, 3)]
        [DataRow("3B DC 18 FF 00 00 12 25 00 64 80 00 04 01 00 90 00", 4000000, 200000, true, 1, 8)]
        [DataRow("3B DC 18 FF 00 00 12 25 00 64 80 00 04 01 00 90 00", 4000000, 115200, true, 1, 4)]
        [DataRow("3B 75 13 00 00 47 09 EA 90 00", 4000000, 10753, false, 1, 1)]
        [DataRow("3B 10 11", 4000000, 200000, false, 1, 1)]
        [DataRow("3B 10 91", 4000000, 200000, false, 1, 1)]
        [DataRow("3B 10 97", 4000000, 600000, true, 9, 7)]
        [DataRow("3B 10 97", 6000000, 600000, false, 1, 1)]
        [DataRow("3F 65 25 00 2C 09 69 90 00", 4000000, 200000, false, 1, 1)]
        public void SpeedPolicy_FastestOfferedWithinClockAndRate(string atr, int clock, int maxRate, bool expected, int fi, int di)
        {
            int fiIndex;
            int diIndex;
            Assert.AreEqual(expected, SpeedPolicy.Choose(AtrOf(atr), clock, maxRate, out fiIndex, out diIndex));
            if (expected)
            {
                Assert.AreEqual(fi, fiIndex);
                Assert.AreEqual(di, diIndex);
            }
        }

        // ---- the session: activation, PPS, fallback ----

        [TestMethod]
        public void Session_Vitale2_PpsToDi4_ThenT0AtTheNewRate()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00 > FF 10 13 FC < FF 10 13 FC"
                + " > 00 B0 00 00 02 < B0 12 34 90 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(10, session.PowerOn(VoltageClass.A, 200000, true));
            Assert.AreEqual(0, session.Protocol);
            Assert.AreEqual(4, line.ConfiguredDi);
            Assert.AreEqual(12, line.ConfiguredGuardTimeEtu);
            Assert.IsTrue(line.ConfiguredErrorSignal);
            byte[] c = Hex.Bytes("00 B0 00 00 02");
            byte[] r = new byte[16];
            Assert.AreEqual(4, session.TransmitApdu(c, 0, 5, r, 0, r.Length));
            Assert.IsTrue(line.Done);
            Assert.IsNull(line.Failure);
            Assert.IsFalse(session.PpsFellBack);
            Assert.IsTrue(line.Events.IndexOf("RST1 CFG0/372/1/12/0 CFG0/372/4") >= 0, "PPS right after the ATR: " + line.Events);
        }

        [TestMethod]
        public void Iso7816_3_7_2_PpsRequest_AtLeast16EtuAfterTheLastAtrCharacter()
        {
            // The stray-TCK listen after a T=0 ATR takes part of the turnaround; the sum must stay >= 16 ETU.
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00 > FF 10 13 FC < FF 10 13 FC");
            Assert.AreEqual(10, new CardSession(line).PowerOn(VoltageClass.A, 200000, true));
            Assert.IsTrue(line.Done);
            Assert.IsTrue(line.LastTurnaroundCycles >= 16 * 372, "turnaround " + line.LastTurnaroundCycles + " cycles");
        }

        [TestMethod]
        public void Iso7816_3_9_3_PpsRefused_DeactivateAndRetryAtDefault()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00 > FF 10 13 FC < FF 10 11 FE"
                + " < 3B 75 13 00 00 47 09 EA 90 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(10, session.PowerOn(VoltageClass.A, 200000, true));
            Assert.IsTrue(line.Done);
            Assert.IsNull(line.Failure);
            Assert.IsTrue(session.PpsFellBack);
            Assert.AreEqual(1, line.ConfiguredDi);
            Assert.IsTrue(line.Events.IndexOf("RST0 CLK0 VCC0 RST0 VCC1") >= 0, line.Events);
        }

        [TestMethod]
        public void Iso7816_3_9_3_PpsUnanswered_DeactivateAndRetryAtDefault()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00 > FF 10 13 FC mute"
                + " < 3B 75 13 00 00 47 09 EA 90 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(10, session.PowerOn(VoltageClass.A, 200000, true));
            Assert.IsTrue(line.Done);
            Assert.IsTrue(session.PpsFellBack);
            Assert.AreEqual(1, line.ConfiguredDi);
        }

        [TestMethod]
        public void Session_WithoutAutoPps_StaysAtDefault()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 75 13 00 00 47 09 EA 90 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(10, session.PowerOn(VoltageClass.A, 200000, false));
            Assert.IsTrue(line.Done);
            Assert.AreEqual(1, line.ConfiguredDi);
        }

        [TestMethod]
        public void Session_Vitale1_InverseConvention_T0()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< ! 03 65 25 00 2C 09 69 90 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(9, session.PowerOn(VoltageClass.A, 200000, true));
            Assert.AreEqual((int)Convention.Inverse, (int)line.ConfiguredConvention);
            Assert.AreEqual(0, session.Protocol);
            Assert.IsTrue(line.Done);
        }

        [TestMethod]
        public void Iso7816_3_8_3_SpecificMode_Ta2_NoPps_RateFromTa1()
        {
            // TA1 = 13, TD1 = 11 (TA2, T=1), TA2 = 01 (T=1, parameters from TA1), TCK.
            byte[] atr = Hex.Bytes("3B 90 13 11 01 00");
            atr[5] = (byte)(0x90 ^ 0x13 ^ 0x11 ^ 0x01);
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< " + Hex.Of(atr, 0, atr.Length));
            CardSession session = new CardSession(line);
            Assert.AreEqual(6, session.PowerOn(VoltageClass.A, 200000, true));
            Assert.AreEqual(1, session.Protocol);
            Assert.AreEqual(4, line.ConfiguredDi);
            Assert.IsFalse(line.ConfiguredErrorSignal);
            Assert.IsTrue(line.Done);
        }

        [TestMethod]
        public void Session_T1Card_BlocksWithTheAtrIfsc()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C"
                + " > FF 11 18 F6 < FF 11 18 F6 > " + T1AnnexATests.B(0x00, "00 A4 00 00") + " < " + T1AnnexATests.B(0x00, "90 00"));
            CardSession session = new CardSession(line);
            Assert.AreEqual(21, session.PowerOn(VoltageClass.B, 200000, true));
            Assert.AreEqual(1, session.Protocol);
            Assert.AreEqual(254, session.T1.Ifsc);
            Assert.AreEqual(11, line.ConfiguredGuardTimeEtu);
            byte[] c = Hex.Bytes("00 A4 00 00");
            byte[] r = new byte[8];
            Assert.AreEqual(2, session.TransmitApdu(c, 0, 4, r, 0, r.Length));
            Assert.IsTrue(line.Done);
            Assert.IsNull(line.Failure);
        }

        [TestMethod]
        public void Session_T1_NegotiateIfsdAfterActivation()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 80 01 81 > 00 C1 01 FE 3E < 00 E1 01 FE 1E");
            CardSession session = new CardSession(line);
            session.NegotiateIfsd = true;
            Assert.AreEqual(4, session.PowerOn(VoltageClass.A, 200000, true));
            Assert.AreEqual(254, session.T1.Ifsd);
            Assert.IsTrue(line.Done);
            Assert.IsNull(line.Failure);
        }

        [TestMethod]
        public void Session_SetParameters_AsTheHostSetsThem()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C");
            CardSession session = new CardSession(line);
            Assert.AreEqual(21, session.PowerOn(VoltageClass.A, 200000, false));
            Assert.AreEqual(0, session.SetParameters(1, 1, 8, Convention.Direct, 255, 10, 7, 5, true, 254));
            Assert.AreEqual(12, line.ConfiguredDi);
            Assert.AreEqual(11, line.ConfiguredGuardTimeEtu);
            Assert.IsTrue(session.T1.UsesCrc);
            Assert.AreEqual(254, session.T1.Ifsc);
            Assert.AreEqual(7, session.Timing.Bwi);
            Assert.AreEqual(TransmissionError.BadCommand, session.SetParameters(1, 7, 8, Convention.Direct, 0, 10, 4, 13, false, 32));
        }

        [TestMethod]
        public void Iso7816_3_6_2_3_Session_WarmReset_NewAtrSameSetUp()
        {
            ScriptedCardLine line = new ScriptedCardLine(4000000, "< 3B 00");
            CardSession session = new CardSession(line);
            Assert.AreEqual(2, session.PowerOn(VoltageClass.A, 200000, true));
            line.Add("< 3B 75 13 00 00 47 09 EA 90 00 > FF 10 13 FC < FF 10 13 FC");
            Assert.AreEqual(10, session.WarmReset(true));
            Assert.AreEqual(4, line.ConfiguredDi);
            Assert.IsTrue(line.Done);
            session.PowerOff();
            Assert.IsFalse(session.IsActive);
            Assert.IsTrue(line.Events.EndsWith("RST0 CLK0 VCC0 "), line.Events);
        }

        [TestMethod]
        public void Session_NotActive_RefusesExchanges()
        {
            CardSession session = new CardSession(new ScriptedCardLine());
            byte[] c = Hex.Bytes("00 A4 00 00");
            Assert.AreEqual(TransmissionError.NotActive, session.TransmitApdu(c, 0, 4, new byte[4], 0, 4));
        }
    }
}
