using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>ISO/IEC 7816-3 §10 (T=0 TPDU, procedure bytes) and §12.2 (APDU transport over T=0).</summary>
    [TestClass]
    public class T0ProtocolTests
    {
        private sealed class CountingListener : ICardWaitListener
        {
            public int Calls;
            public long Cycles;

            public void CardWaiting(int protocol, long extraCycles)
            {
                Calls++;
                Cycles = extraCycles;
            }
        }

        private ScriptedCardLine _line = new ScriptedCardLine();
        private Timing _timing = new Timing();
        private T0Protocol _t0 = new T0Protocol(new ScriptedCardLine(), new Timing());
        private byte[] _response = new byte[1024];

        private void Script(string script)
        {
            _line = new ScriptedCardLine(4000000, script);
            _line.SetVcc(VoltageClass.A);
            _timing = new Timing();
            _t0 = new T0Protocol(_line, _timing);
        }

        private int Tpdu(string command)
        {
            byte[] c = Hex.Bytes(command);
            return _t0.TransmitTpdu(c, 0, c.Length, _response, 0, _response.Length);
        }

        private int Apdu(string command)
        {
            byte[] c = Hex.Bytes(command);
            return _t0.TransmitApdu(c, 0, c.Length, _response, 0, _response.Length);
        }

        private void AssertResponse(string expected, int length)
        {
            Assert.IsNull(_line.Failure, "" + _line.Failure);
            Assert.IsTrue(_line.Done, "script not played to the end: " + _line.Remaining + " steps left");
            Assert.AreEqual(Hex.Of(Hex.Bytes(expected), 0, Hex.Bytes(expected).Length), length < 0 ? TransmissionError.Name(length) : Hex.Of(_response, 0, length));
        }

        [TestMethod]
        public void Iso7816_3_10_3_Case2Tpdu_InsThenAllData()
        {
            Script("> 00 B0 00 00 04 < B0 01 02 03 04 90 00");
            AssertResponse("01 02 03 04 90 00", Tpdu("00 B0 00 00 04"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_Case3Tpdu_InsThenAllDataToTheCard()
        {
            Script("> 00 A4 04 00 02 < A4 > 3F 00 < 90 00");
            AssertResponse("90 00", Tpdu("00 A4 04 00 02 3F 00"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_Case1Tpdu_FourBytes_SendsP3Zero()
        {
            Script("> 80 10 01 02 00 < 90 00");
            AssertResponse("90 00", Tpdu("80 10 01 02"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_3_ComplementedIns_OneByteAtATime_BothDirections()
        {
            Script("> 00 D6 00 00 03 < 29 > 01 < 29 > 02 < D6 > 03 < 90 00");
            AssertResponse("90 00", Tpdu("00 D6 00 00 03 01 02 03"));
            Script("> 00 B0 00 00 03 < 4F 0A < 4F 0B < 4F 0C 90 00");
            AssertResponse("0A 0B 0C 90 00", Tpdu("00 B0 00 00 03"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_3_NullBytes_ForLongerThanOneWaitingTime_KeepTheExchangeAlive()
        {
            // Five NULLs 3 000 000 cycles apart: 15 000 000 cycles, four times WWT (3 571 200), each within WWT.
            Script("> 00 B0 00 00 01 < ~3000000 60 ~3000000 60 ~3000000 60 ~3000000 60 ~3000000 60 ~3000000 B0 55 ~3000000 60 90 00");
            CountingListener listener = new CountingListener();
            _t0.WaitListener = listener;
            long start = _line.Now;
            AssertResponse("55 90 00", Tpdu("00 B0 00 00 01"));
            Assert.AreEqual(6, listener.Calls);
            Assert.AreEqual(_timing.WwtCycles, listener.Cycles);
            Assert.IsTrue(_line.Now - start > 4 * _timing.WwtCycles);
        }

        [TestMethod]
        public void Iso7816_3_10_2_NothingWithinTheWaitingTime_IsMute()
        {
            Script("> 00 B0 00 00 01 < 60 ~3571201 60");
            Assert.AreEqual(TransmissionError.Mute, Tpdu("00 B0 00 00 01"));
        }

        [TestMethod]
        public void Iso7816_3_10_2_WaitingTimeFollowsWi()
        {
            Script("> 00 B0 00 00 01 < ~14000000 B0 55 90 00");
            _timing.SetParameters(0, 42, 13, 4);
            AssertResponse("55 90 00", Tpdu("00 B0 00 00 01"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_3_UnknownProcedureByte_IsProcedureByteConflict()
        {
            Script("> 00 B0 00 00 01 < 42");
            Assert.AreEqual(TransmissionError.ProcedureByteConflict, Tpdu("00 B0 00 00 01"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_3_InsAfterAllData_IsProcedureByteConflict()
        {
            Script("> 00 A4 04 00 01 < A4 > 3F < A4");
            Assert.AreEqual(TransmissionError.ProcedureByteConflict, Tpdu("00 A4 04 00 01 3F"));
        }

        [TestMethod]
        public void Iso7816_3_10_3_Sw1BeforeData_EndsTheExchange()
        {
            Script("> 00 A4 04 00 02 < 6A 82");
            AssertResponse("6A 82", Tpdu("00 A4 04 00 02 3F 00"));
        }

        [TestMethod]
        public void Iso7816_3_10_ParityError_IsReported()
        {
            Script("> 00 B0 00 00 02 < B0 01 ! 02");
            Assert.AreEqual(TransmissionError.ParityError, Tpdu("00 B0 00 00 02"));
        }

        [TestMethod]
        public void Tpdu_MoreDataThanTheBuffer_IsOverrun()
        {
            Script("> 00 B0 00 00 04 < B0 01 02 03");
            byte[] c = Hex.Bytes("00 B0 00 00 04");
            Assert.AreEqual(TransmissionError.Overrun, _t0.TransmitTpdu(c, 0, 5, _response, 0, 5));
        }

        [TestMethod]
        public void Tpdu_CardRemoved_IsCardRemoved()
        {
            Script("> 00 B0 00 00 04");
            _line.CardPresent = false;
            Assert.AreEqual(TransmissionError.CardRemoved, Tpdu("00 B0 00 00 04"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4ApduAtTpduLevel_LeNotSent_61xxReturnedForTheHostsGetResponse()
        {
            // CCID TPDU level: pcsc-lite and libccid pass the host's case 4 APDU (with Le) as it is.
            Script("> 00 A4 04 04 02 < A4 > 3F 00 < 61 26");
            AssertResponse("61 26", Tpdu("00 A4 04 04 02 3F 00 00"));
            Assert.AreEqual(7, _line.Sent);
        }

        [TestMethod]
        [DataRow("00 B0 00")]
        [DataRow("00 A4 04 00 03 3F 00")]
        [DataRow("00 A4 04 00 02 3F 00 00 00")]
        [DataRow("00 B0 00 00 00 00")]
        [DataRow("00 60 00 00 00")]
        [DataRow("00 6A 00 00 00")]
        public void Tpdu_MalformedCommand_IsBadCommand(string command)
        {
            Script("");
            Assert.AreEqual(TransmissionError.BadCommand, Tpdu(command));
            Assert.AreEqual(0, _line.Sent);
        }

        [TestMethod]
        public void Tpdu_Abort_EndsTheExchange()
        {
            Script("> 00 B0 00 00 01");
            _t0.RequestAbort();
            Assert.AreEqual(TransmissionError.Aborted, Tpdu("00 B0 00 00 01"));
            _t0.ClearAbort();
        }

        [TestMethod]
        public void Iso7816_3_10_3_ReaderWaitsTheTurnaroundBeforeSendingData()
        {
            Script("> 00 A4 04 00 02 < A4 > 3F 00 < 90 00");
            Tpdu("00 A4 04 00 02 3F 00");
            Assert.IsTrue(_line.Events.IndexOf("WAIT" + _timing.TurnaroundWaitCycles(0)) >= 0, _line.Events);
        }

        [TestMethod]
        public void Iso7816_3_7_2_HeaderAfterTheCardsLastCharacter_Waits16Etu()
        {
            // GET RESPONSE right after SW2 of 61xx: the header must not start before 16 ETU from SW2's leading edge.
            Script("> 00 A4 04 00 01 < A4 > 3F < 61 02 > 00 C0 00 00 02 < C0 01 02 90 00");
            Apdu("00 A4 04 00 01 3F 00");
            string wait = "WAIT" + _timing.TurnaroundWaitCycles(0) + " ";
            int first = _line.Events.IndexOf(wait);
            Assert.IsTrue(first >= 0 && _line.Events.IndexOf(wait, first + 1) > first, _line.Events);
            Assert.IsTrue(_line.Done);
        }

        // ---- APDU level (§12.2) ----

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4_SentAsCase3_ThenGetResponseOn61xx()
        {
            Script("> 00 A4 04 00 02 < A4 > 3F 00 < 61 10 > 00 C0 00 00 10 < C0 " + Hex.Run(0, 16) + " 90 00");
            AssertResponse(Hex.Run(0, 16) + " 90 00", Apdu("00 A4 04 00 02 3F 00 00"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4_AnsweredDirectlyBy9000WithoutData_NoGetResponse()
        {
            // ISO/IEC 7816-4 §5.1: a case 4 command may complete with no response data. The case-3 TPDU
            // ends with 90 00 (no 61xx): that is the response, and no GET RESPONSE follows (the script
            // ends there, so a GET RESPONSE header would be a deviation).
            Script("> 00 A4 04 00 02 < A4 > 3F 00 < 90 00");
            AssertResponse("90 00", Apdu("00 A4 04 00 02 3F 00 00"));
            Assert.AreEqual(7, _line.Sent);
        }

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4_AnsweredBy9000AfterNullBytes_NoGetResponse()
        {
            Script("> 00 A4 04 00 02 < A4 > 3F 00 < 60 60 90 00");
            AssertResponse("90 00", Apdu("00 A4 04 00 02 3F 00 00"));
            Assert.AreEqual(7, _line.Sent);
        }

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4_GetResponseLimitedToNe()
        {
            Script("> 00 A4 04 00 02 < A4 > 3F 00 < 61 10 > 00 C0 00 00 08 < C0 " + Hex.Run(0, 8) + " 61 08");
            AssertResponse(Hex.Run(0, 8) + " 61 08", Apdu("00 A4 04 00 02 3F 00 08"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_3_Case2_6Cxx_ReissuedWithTheRightLe()
        {
            Script("> 00 B0 00 00 00 < 6C 08 > 00 B0 00 00 08 < B0 " + Hex.Run(0x40, 8) + " 90 00");
            AssertResponse(Hex.Run(0x40, 8) + " 90 00", Apdu("00 B0 00 00 00"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4_AnsweredBy6Cxx_GetResponseWithLeXx()
        {
            Script("> 00 88 00 00 02 < 88 > 11 22 < 6C 08 > 00 C0 00 00 08 < C0 " + Hex.Run(0x80, 8) + " 90 00");
            AssertResponse(Hex.Run(0x80, 8) + " 90 00", Apdu("00 88 00 00 02 11 22 00"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_6_Case2Extended_61xxChainBeyond256Bytes()
        {
            Script("> 00 B0 00 00 00 < B0 " + Hex.Run(0, 256) + " 61 00 > 00 C0 00 00 00 < C0 " + Hex.Run(0, 256)
                + " 61 20 > 00 C0 00 00 20 < C0 " + Hex.Run(0, 32) + " 90 00");
            int r = Apdu("00 B0 00 00 00 02 20"); // Ne = 544
            AssertResponse(Hex.Run(0, 256) + " " + Hex.Run(0, 256) + " " + Hex.Run(0, 32) + " 90 00", r);
            Assert.AreEqual(546, r);
        }

        [TestMethod]
        public void Iso7816_3_12_2_61xxChain_6CxxOnGetResponse_Reissued()
        {
            Script("> 00 B0 00 00 04 < 61 06 > 00 C0 00 00 04 < 6C 02 > 00 C0 00 00 02 < C0 AA BB 90 00");
            AssertResponse("AA BB 90 00", Apdu("00 B0 00 00 04"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_5_Case4_ShortLe00_StopsAt256()
        {
            Script("> 00 CA 00 00 01 < CA > 00 < 61 00 > 00 C0 00 00 00 < C0 " + Hex.Run(0, 256) + " 61 20");
            AssertResponse(Hex.Run(0, 256) + " 61 20", Apdu("00 CA 00 00 01 00 00"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_Case1_HeaderWithP3Zero()
        {
            Script("> 00 70 80 01 00 < 90 00");
            AssertResponse("90 00", Apdu("00 70 80 01"));
        }

        [TestMethod]
        public void Iso7816_3_12_2_7_Case3Extended_Nc300_ThroughEnvelope()
        {
            string apdu = "00 D6 00 00 00 01 2C " + Hex.Run(0, 256) + " " + Hex.Run(0, 44);
            byte[] a = Hex.Bytes(apdu);
            Script("> 00 C2 00 00 FF < C2 > " + Hex.Of(a, 0, 255) + " < 90 00 > 00 C2 00 00 34 < C2 > " + Hex.Of(a, 255, 52) + " < 90 00");
            AssertResponse("90 00", _t0.TransmitApdu(a, 0, a.Length, _response, 0, _response.Length));
        }

        [TestMethod]
        public void Iso7816_3_12_2_7_Case4Extended_EnvelopeThenGetResponse()
        {
            string apdu = "00 2A 9E 9A 00 01 00 " + Hex.Run(0, 256) + " 01 00";
            byte[] a = Hex.Bytes(apdu);
            Script("> 00 C2 00 00 FF < C2 > " + Hex.Of(a, 0, 255) + " < 90 00 > 00 C2 00 00 0A < C2 > " + Hex.Of(a, 255, 10)
                + " < 61 00 > 00 C0 00 00 00 < C0 " + Hex.Run(7, 256) + " 90 00");
            AssertResponse(Hex.Run(7, 256) + " 90 00", _t0.TransmitApdu(a, 0, a.Length, _response, 0, _response.Length));
        }

        [TestMethod]
        public void Iso7816_3_12_2_Envelope_ErrorOnAChunk_StopsAndReturnsIt()
        {
            string apdu = "00 D6 00 00 00 01 2C " + Hex.Run(0, 256) + " " + Hex.Run(0, 44);
            byte[] a = Hex.Bytes(apdu);
            Script("> 00 C2 00 00 FF < C2 > " + Hex.Of(a, 0, 255) + " < 6D 00");
            AssertResponse("6D 00", _t0.TransmitApdu(a, 0, a.Length, _response, 0, _response.Length));
        }

        [TestMethod]
        public void Iso7816_4_GetResponse_KeepsTheLogicalChannel()
        {
            Script("> 03 A4 04 00 01 < A4 > 3F < 61 02 > 03 C0 00 00 02 < C0 01 02 90 00");
            AssertResponse("01 02 90 00", Apdu("03 A4 04 00 01 3F 00"));
            Assert.AreEqual(0xA0, (int)T0Protocol.GetResponseCla(0xA0));
            Assert.AreEqual(0x41, (int)T0Protocol.GetResponseCla(0x71));
            Assert.AreEqual(0x01, (int)T0Protocol.GetResponseCla(0x1D));
        }

        [TestMethod]
        public void Apdu_Malformed_IsBadCommand()
        {
            Script("");
            Assert.AreEqual(TransmissionError.BadCommand, Apdu("00 A4 04 00 05 3F 00"));
            Assert.AreEqual(0, _line.Sent);
        }

        [TestMethod]
        public void Apdu_ResponseLargerThanBuffer_GetResponseStopsAtTheBuffer()
        {
            Script("> 00 B0 00 00 00 < 61 40 > 00 C0 00 00 0E < C0 " + Hex.Run(0, 14) + " 61 32");
            byte[] c = Hex.Bytes("00 B0 00 00 00");
            int r = _t0.TransmitApdu(c, 0, 5, _response, 0, 16);
            AssertResponse(Hex.Run(0, 14) + " 61 32", r);
        }
    }
}
