using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>
    /// ISO/IEC 7816-3 Annex A: the T=1 scenarios, the reader being the interface device, against a
    /// scripted card. "&gt;" blocks are the reader's (a block the card receives corrupted is still sent
    /// correctly, the card's reaction shows it), "&lt;" blocks the card's; <see cref="Bad"/> is a block
    /// that reaches the reader with a wrong EDC. Followed by the error-recovery rules of §11.6.3.
    /// </summary>
    [TestClass]
    public class T1AnnexATests
    {
        private ScriptedCardLine _line = new ScriptedCardLine();
        private T1Protocol _t1 = new T1Protocol(new ScriptedCardLine(), new Timing());
        private Timing _timing = new Timing();
        private readonly byte[] _response = new byte[4096];

        /// <summary>A block from NAD 00 with its LRC, as spaced hex.</summary>
        public static string B(int pcb, string inf)
        {
            byte[] data = Hex.Bytes(inf);
            byte[] block = new byte[T1Block.MaxBlockLength];
            int n = T1Block.Encode(0, (byte)pcb, data, 0, data.Length, false, block, 0);
            return Hex.Of(block, 0, n);
        }

        /// <summary>The same block with its LRC inverted: it arrives corrupted.</summary>
        public static string Bad(int pcb, string inf)
        {
            byte[] data = Hex.Bytes(inf);
            byte[] block = new byte[T1Block.MaxBlockLength];
            int n = T1Block.Encode(0, (byte)pcb, data, 0, data.Length, false, block, 0);
            block[n - 1] ^= 0xFF;
            return Hex.Of(block, 0, n);
        }

        private void Script(int ifsc, string script)
        {
            _line = new ScriptedCardLine(4000000, script);
            _line.SetVcc(VoltageClass.A);
            _line.ClearEvents();
            _timing = new Timing();
            _t1 = new T1Protocol(_line, _timing);
            _t1.Reset(ifsc, false);
        }

        private int Transmit(string data)
        {
            byte[] c = Hex.Bytes(data);
            return _t1.Transmit(c, 0, c.Length, _response, 0, _response.Length);
        }

        private void Expect(string expected, int length)
        {
            if (expected.Length > 0 && Hex.Bytes(expected).Length * 3 - 1 != expected.Length)
            {
                // An error name, not hex.
                Assert.AreEqual(expected, TransmissionError.Name(length));
                return;
            }
            Assert.IsNull(_line.Failure, "" + _line.Failure);
            Assert.AreEqual(Hex.Of(Hex.Bytes(expected), 0, Hex.Bytes(expected).Length), length < 0 ? TransmissionError.Name(length) : Hex.Of(_response, 0, length));
        }

        private void ExpectDone()
        {
            Assert.IsNull(_line.Failure, "" + _line.Failure);
            Assert.IsTrue(_line.Done, _line.Remaining + " script steps not played");
        }

        // ---- A.2 normal operation ----

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario01_ExchangeOfIBlocks()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x00, "F1 F2") + " > " + B(0x40, "03 04") + " < " + B(0x40, "F3 F4"));
            Expect("F1 F2", Transmit("01 02"));
            Expect("F3 F4", Transmit("03 04"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario02_WaitingTimeExtension()
        {
            // The card asks for 16 x BWT and answers after 10 x BWT: in time only thanks to WTX.
            long late = _timing.BwtCycles * 10;
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC3, "10") + " > " + B(0xE3, "10") + " < ~" + late + " " + B(0x00, "F1 F2").Substring(0));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario03_CardRequestsIfsChange()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC1, "79") + " > " + B(0xE1, "79") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
            Assert.AreEqual(0x79, _t1.Ifsc);
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario04_ReaderRequestsIfsChange()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x00, "F1 F2") + " > " + B(0xC1, "79") + " < " + B(0xE1, "79")
                + " > " + B(0x40, "03 04") + " < " + B(0x40, "F3 F4"));
            Expect("F1 F2", Transmit("01 02"));
            Assert.AreEqual(0, _t1.NegotiateIfsd(0x79));
            Assert.AreEqual(0x79, _t1.Ifsd);
            Expect("F3 F4", Transmit("03 04"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario05_ChainingFromTheReader()
        {
            Script(2, "> " + B(0x20, "01 02") + " < " + B(0x90, "") + " > " + B(0x60, "03 04") + " < " + B(0x80, "")
                + " > " + B(0x00, "05 06") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02 03 04 05 06"));
            ExpectDone();
            Assert.AreEqual(1, _t1.SendSequence);
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario06_ChainingFromTheCard()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x20, "F1 F2") + " > " + B(0x90, "") + " < " + B(0x40, "F3 F4")
                + " > " + B(0x40, "03 04") + " < " + B(0x00, "F5 F6"));
            Expect("F1 F2 F3 F4", Transmit("01 02"));
            Expect("F5 F6", Transmit("03 04"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario07_ChainingFromTheCard_LastIBlockEmpty()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x20, "F1 F2") + " > " + B(0x90, "") + " < " + B(0x40, "")
                + " > " + B(0x40, "03 04") + " < " + B(0x00, "F3 F4"));
            Expect("F1 F2", Transmit("01 02"));
            Expect("F3 F4", Transmit("03 04"));
            ExpectDone();
        }

        // ---- A.3 error handling ----

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario08_ReaderIBlockCorrupted_CardAsksForItAgain()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x81, "") + " > " + B(0x00, "01 02") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario09_CardIBlockCorrupted_ReaderSendsRBlock()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0x00, "F1 F2") + " > " + B(0x81, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario10_ReaderIBlockCorrupted_CardRBlockCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0x81, "") + " > " + B(0x81, "") + " < " + B(0x81, "")
                + " > " + B(0x00, "01 02") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario11_CardIBlockCorrupted_ReaderRBlockCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0x00, "F1 F2") + " > " + B(0x81, "") + " < " + B(0x91, "")
                + " > " + B(0x81, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario12_CardIBlock_ReaderRBlock_CardRBlock_AllCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0x00, "F1 F2") + " > " + B(0x81, "") + " < " + Bad(0x91, "")
                + " > " + B(0x81, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario13_RBlockSentThreeTimes()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0x00, "F1 F2") + " > " + B(0x81, "") + " < " + Bad(0x91, "")
                + " > " + B(0x81, "") + " < " + B(0x91, "") + " > " + B(0x81, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario14_CardWtxRequestCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0xC3, "10") + " > " + B(0x81, "") + " < " + B(0xC3, "10")
                + " > " + B(0xE3, "10") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario15_ReaderWtxResponseCorrupted_CardRepeatsItsRequest()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC3, "10") + " > " + B(0xE3, "10") + " < " + B(0xC3, "10")
                + " > " + B(0xE3, "10") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario16_CardIfsRequestCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0xC1, "79") + " > " + B(0x81, "") + " < " + B(0xC1, "79")
                + " > " + B(0xE1, "79") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
            Assert.AreEqual(0x79, _t1.Ifsc);
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario17_CardIfsRequestCorrupted_ReaderRBlockCorrupted()
        {
            // The card, having received the R-block corrupted, sends its S(IFS request) again: the reader's side is the same.
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0xC1, "79") + " > " + B(0x81, "") + " < " + Bad(0xC1, "79")
                + " > " + B(0x81, "") + " < " + B(0xC1, "79") + " > " + B(0xE1, "79") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario18_ReaderIfsResponseCorrupted_CardRepeatsItsRequest()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC1, "79") + " > " + B(0xE1, "79") + " < " + B(0xC1, "79")
                + " > " + B(0xE1, "79") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario19_AfterIfsChange_CardIBlockCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC1, "79") + " > " + B(0xE1, "79") + " < " + Bad(0x00, "F1 F2")
                + " > " + B(0x81, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario20_AfterIfsChange_CardIBlockAndReaderRBlockCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC1, "79") + " > " + B(0xE1, "79") + " < " + Bad(0x00, "F1 F2")
                + " > " + B(0x81, "") + " < " + B(0x91, "") + " > " + B(0x81, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario21_ReaderChaining_CardRBlockCorrupted()
        {
            Script(2, "> " + B(0x20, "01 02") + " < " + Bad(0x90, "") + " > " + B(0x81, "") + " < " + B(0x90, "")
                + " > " + B(0x60, "03 04") + " < " + B(0x80, "") + " > " + B(0x00, "05 06") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02 03 04 05 06"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario22_ReaderChaining_CardRBlockAndReaderRBlockCorrupted()
        {
            // The card receives the reader's R(0) corrupted and answers with R(1) (error): still the acknowledgement.
            Script(2, "> " + B(0x20, "01 02") + " < " + Bad(0x90, "") + " > " + B(0x81, "") + " < " + B(0x91, "")
                + " > " + B(0x60, "03 04") + " < " + B(0x80, "") + " > " + B(0x00, "05 06") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02 03 04 05 06"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario23_CardChaining_ReaderRBlockCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x20, "F1 F2") + " > " + B(0x90, "") + " < " + B(0x91, "")
                + " > " + B(0x90, "") + " < " + B(0x40, "F3 F4"));
            Expect("F1 F2 F3 F4", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario24_CardChaining_ReaderRBlockAndCardRBlockCorrupted()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x20, "F1 F2") + " > " + B(0x90, "") + " < " + Bad(0x91, "")
                + " > " + B(0x91, "") + " < " + B(0x40, "F3 F4"));
            Expect("F1 F2 F3 F4", Transmit("01 02"));
            ExpectDone();
        }

        // ---- A.4 chain abortion: 25 and 28 are the reader's, 26 and 27 the card's ----

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario25_ReaderAbortsItsChain()
        {
            // IFSC 2: the reader chains; after the card's R(1) asks for the next block the reader aborts
            // instead (S(ABORT request), answered by S(ABORT response)). The card took I(0), so the next
            // command starts with I(1) and both sides stay in step.
            Script(2, "> " + B(0x20, "01 02") + " < " + B(0x90, "") + " * > " + B(0xC2, "") + " < " + B(0xE2, "")
                + " > " + B(0x40, "07") + " < " + B(0x00, "F1"));
            _line.Marked = delegate { _t1.RequestAbort(); };
            Expect("Aborted", Transmit("01 02 03 04 05 06"));
            Assert.AreEqual(1, _t1.SendSequence);
            Expect("F1", Transmit("07"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario26_CardAbortsItsChain()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x20, "F1 F2") + " > " + B(0x90, "") + " < " + B(0xC2, "")
                + " > " + B(0xE2, "") + " < " + B(0x90, "") + " > " + B(0x40, "03 04") + " < " + B(0x40, "F5 F6"));
            Expect("Aborted", Transmit("01 02"));
            Expect("F5 F6", Transmit("03 04"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario27_CardAbortsTheReaderChain()
        {
            Script(2, "> " + B(0x20, "01 02") + " < " + B(0x90, "") + " > " + B(0x60, "03 04") + " < " + B(0xC2, "")
                + " > " + B(0xE2, "") + " < " + B(0x80, "") + " > " + B(0x00, "07") + " < " + B(0x00, "F1"));
            Expect("Aborted", Transmit("01 02 03 04 05 06"));
            Expect("F1", Transmit("07"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario28_ReaderAbortsTheCardChain()
        {
            // The card chains its response; once its first block I(0,M) is in, the reader aborts instead of
            // acknowledging it with R(1). Its I(0) was answered, so the next command is I(1), and the card's
            // next I-block I(1): the chain is gone, the sequence numbers are not.
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0x20, "F1 F2") + " * > " + B(0xC2, "") + " < " + B(0xE2, "")
                + " > " + B(0x40, "03 04") + " < " + B(0x40, "F5 F6"));
            _line.Marked = delegate { _t1.RequestAbort(); };
            Expect("Aborted", Transmit("01 02"));
            Expect("F5 F6", Transmit("03 04"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario29_Resynch()
        {
            Script(32, "> " + B(0xC0, "") + " < " + B(0xE0, ""));
            Assert.AreEqual(0, _t1.Resynch());
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario30_ResynchResponseCorrupted()
        {
            Script(32, "> " + B(0xC0, "") + " < " + Bad(0xE0, "") + " > " + B(0xC0, "") + " < " + B(0xE0, ""));
            Assert.AreEqual(0, _t1.Resynch());
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario31_ResynchRequestCorrupted()
        {
            Script(32, "> " + B(0xC0, "") + " < " + B(0x81, "") + " > " + B(0xC0, "") + " < " + B(0xE0, ""));
            Assert.AreEqual(0, _t1.Resynch());
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_AnnexA_Scenario32_ResynchRequestAndCardRBlockCorrupted()
        {
            Script(32, "> " + B(0xC0, "") + " < " + Bad(0x81, "") + " > " + B(0xC0, "") + " < " + B(0xE0, ""));
            Assert.AreEqual(0, _t1.Resynch());
            ExpectDone();
        }

        // ---- §11.6.3 error recovery beyond the scenarios ----

        [TestMethod]
        public void Iso7816_3_11_6_3_2_NoBlockWithinBwt_RBlockOtherError()
        {
            Script(32, "> " + B(0x00, "01 02") + " mute > " + B(0x82, "") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_6_3_2_FourthFailure_Resynch_ThenTheCommandAgain()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + Bad(0x00, "F1") + " > " + B(0x81, "") + " < " + Bad(0x00, "F1")
                + " > " + B(0x81, "") + " < " + Bad(0x00, "F1") + " > " + B(0x81, "") + " < " + Bad(0x00, "F1")
                + " > " + B(0xC0, "") + " < " + B(0xE0, "") + " > " + B(0x00, "01 02") + " < " + B(0x00, "F1 F2"));
            Expect("F1 F2", Transmit("01 02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_6_3_2_ResynchFailsThreeTimes_CardDeactivated()
        {
            Script(32, "> " + B(0xC0, "") + " mute > " + B(0xC0, "") + " < " + Bad(0xE0, "") + " > " + B(0xC0, "") + " < " + B(0x81, ""));
            Assert.AreEqual(TransmissionError.Deactivated, _t1.Resynch());
            ExpectDone();
            Assert.IsTrue(_t1.IsDeactivated);
            Assert.IsTrue(_line.Events.EndsWith("RST0 CLK0 VCC0 "), _line.Events);
            Assert.AreEqual(TransmissionError.Deactivated, Transmit("01 02"));
        }

        [TestMethod]
        public void Iso7816_3_11_6_3_2_MuteCard_ResynchThenDeactivation()
        {
            Script(32, "> " + B(0x00, "01") + " mute > " + B(0x82, "") + " mute > " + B(0x82, "") + " mute > " + B(0x82, "") + " mute"
                + " > " + B(0xC0, "") + " mute > " + B(0xC0, "") + " mute > " + B(0xC0, "") + " mute");
            Expect("Deactivated", Transmit("01"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_4_2_IfsdNegotiation_254()
        {
            Script(32, "> 00 C1 01 FE 3E < 00 E1 01 FE 1E");
            Assert.AreEqual(0, _t1.NegotiateIfsd(T1Protocol.DefaultIfsd));
            Assert.AreEqual(254, _t1.Ifsd);
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_4_2_IfsdNegotiation_ResponseCorrupted_RequestRepeated()
        {
            Script(32, "> 00 C1 01 FE 3E < 00 E1 01 FE 1F > 00 C1 01 FE 3E < 00 E1 01 FE 1E");
            Assert.AreEqual(0, _t1.NegotiateIfsd(254));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_4_Crc_WholeExchange()
        {
            Script(32, "> 00 00 05 00 A4 00 00 00 B8 DA < 00 00 02 90 00 29 EE");
            _t1.UsesCrc = true;
            byte[] check = new byte[8];
            int n = T1Block.Encode(0, 0, Hex.Bytes("90 00"), 0, 2, true, check, 0);
            _line = new ScriptedCardLine(4000000, "> 00 00 05 00 A4 00 00 00 B8 DA < " + Hex.Of(check, 0, n));
            _line.SetVcc(VoltageClass.A);
            _t1 = new T1Protocol(_line, _timing);
            _t1.Reset(32, true);
            Expect("90 00", Transmit("00 A4 00 00 00"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_3_1_Nad_IsSentAsSet()
        {
            byte[] block = new byte[8];
            int n = T1Block.Encode(0x12, 0, Hex.Bytes("01"), 0, 1, false, block, 0);
            Script(32, "> " + Hex.Of(block, 0, n) + " < " + B(0x00, "90 00"));
            _t1.Nad = 0x12;
            Expect("90 00", Transmit("01"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_ResponseLargerThanBuffer_IsOverrun_ChainStillAcknowledged()
        {
            Script(32, "> " + B(0x00, "01") + " < " + B(0x20, "F1 F2 F3") + " > " + B(0x90, "") + " < " + B(0x40, "F4 F5 F6")
                + " > " + B(0x40, "02") + " < " + B(0x00, "90 00"));
            byte[] c = Hex.Bytes("01");
            Assert.AreEqual(TransmissionError.Overrun, _t1.Transmit(c, 0, 1, _response, 0, 4));
            Expect("90 00", Transmit("02"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_ChainedCommandOf4096Bytes_AndLongChainedResponse()
        {
            string command = "";
            string script = "";
            int ns = 0;
            for (int i = 0; i < 4096; i += 254)
            {
                int n = 4096 - i < 254 ? 4096 - i : 254;
                string part = Hex.Run(i, n);
                command += (i == 0 ? "" : " ") + part;
                bool more = i + n < 4096;
                script += " > " + B((ns << 6) | (more ? 0x20 : 0), part);
                if (more)
                {
                    script += " < " + B(0x80 | ((ns ^ 1) << 4), "");
                }
                ns ^= 1;
            }
            int nr = 0;
            string expected = "";
            for (int i = 0; i < 600; i += 200)
            {
                bool more = i + 200 < 600;
                string part = Hex.Run(i + 7, 200);
                expected += (i == 0 ? "" : " ") + part;
                script += " < " + B((nr << 6) | (more ? 0x20 : 0), part);
                nr ^= 1;
                if (more)
                {
                    script += " > " + B(0x80 | (nr << 4), "");
                }
            }
            Script(254, script);
            Expect(expected, Transmit(command));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_ReaderAbort_DuringTheCardChain_SendsAbortRequest()
        {
            Script(32, "> " + B(0x00, "01") + " < " + B(0xC3, "01") + " > " + B(0xE3, "01") + " < " + B(0x20, "F1 F2")
                + " > " + B(0xC2, "") + " < " + B(0xE2, ""));
            _t1.WaitListener = new Aborter(_t1);
            Expect("Aborted", Transmit("01"));
            ExpectDone();
        }

        [TestMethod]
        public void Iso7816_3_11_ReaderAbort_BeforeTheExchange_SendsNothing()
        {
            Script(32, "");
            _t1.RequestAbort();
            Expect("Aborted", Transmit("01"));
            Assert.AreEqual(0, _line.Sent);
        }

        private sealed class Aborter : ICardWaitListener
        {
            private readonly T1Protocol _protocol;

            public Aborter(T1Protocol protocol)
            {
                _protocol = protocol;
            }

            public void CardWaiting(int protocol, long extraCycles)
            {
                _protocol.RequestAbort();
            }
        }

        [TestMethod]
        public void Iso7816_3_11_CardRemovedMidExchange()
        {
            Script(32, "> " + B(0x00, "01"));
            _line.CardPresent = false;
            Expect("CardRemoved", Transmit("01"));
        }

        [TestMethod]
        public void Iso7816_3_11_6_2_WtxRequest_ToldToTheListener()
        {
            Script(32, "> " + B(0x00, "01 02") + " < " + B(0xC3, "02") + " > " + B(0xE3, "02") + " < " + B(0x00, "F1 F2"));
            WaitCounter counter = new WaitCounter();
            _t1.WaitListener = counter;
            Expect("F1 F2", Transmit("01 02"));
            Assert.AreEqual(1, counter.Calls);
            Assert.AreEqual(2 * _timing.BwtCycles, counter.Cycles);
        }

        private sealed class WaitCounter : ICardWaitListener
        {
            public int Calls;
            public long Cycles;

            public void CardWaiting(int protocol, long extraCycles)
            {
                Calls++;
                Cycles = extraCycles;
            }
        }
    }
}
