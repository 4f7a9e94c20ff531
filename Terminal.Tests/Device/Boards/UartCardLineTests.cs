using nanoFramework.TestFramework;
using Terminal.Boards;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>The half-duplex UART card line on recorded byte streams: echo, inverse convention, rates, timeouts.</summary>
    [TestClass]
    public class UartCardLineTests
    {
        [TestMethod]
        public void Iso7816_3_7_HalfDuplex_EchoOfSentBytesNeverReachesTheEngine()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Port.OnWrite = delegate (FakeSerialPort port, byte[] b, int o, int n) { port.Arrive(2, new byte[] { 0x90, 0x00 }, true); };
            UartCardLine line = rig.Lines[0];
            byte[] command = new byte[] { 0x00, 0xA4, 0x04, 0x00, 0x02 };
            line.Send(command, 0, command.Length);
            Assert.AreEqual(0x90, line.Receive(9600 * 372));
            Assert.AreEqual(0x00, line.Receive(9600 * 372));
            Assert.AreEqual(LineStatus.Timeout, line.Receive(9600 * 372));
            Assert.AreEqual(0, line.EchoErrors);
            Assert.Equal(command, rig.Port.WrittenBytes());
        }

        [TestMethod]
        public void Iso7816_3_7_HalfDuplex_LongBlockEchoRemovedChunkByChunk()
        {
            CardRig rig = new CardRig(ReadBehaviour.BlocksOrThrows);
            rig.ColdReset(0, VoltageClass.A);
            byte[] block = new byte[259];
            for (int i = 0; i < block.Length; i++)
            {
                block[i] = (byte)i;
            }
            rig.Lines[0].Send(block, 0, block.Length);
            Assert.AreEqual(0, rig.Lines[0].EchoErrors);
            Assert.AreEqual(0, rig.Port.BytesToRead);
            Assert.AreEqual(0, rig.Port.OversizedReads);
        }

        [TestMethod]
        public void Iso7816_3_7_EchoThatDiffers_IsCountedAsALineError()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Port.CorruptEcho = 0x00;
            rig.Lines[0].Send(new byte[] { 0x80, 0xCA }, 0, 2);
            Assert.AreEqual(1, rig.Lines[0].EchoErrors);
        }

        [TestMethod]
        public void Iso7816_3_8_1_InverseConvention_TsDetectedFromRaw03_AndAtrDecoded()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.Port.Log = rig.Log;
            rig.ColdReset(0, VoltageClass.A);
            // A CPS-like inverse ATR, logical 3F 65 25 08 33 04 20 90 00, as a direct UART hears it.
            byte[] logical = new byte[] { 0x3F, 0x65, 0x25, 0x08, 0x33, 0x04, 0x20, 0x90, 0x00 };
            byte[] wire = new byte[logical.Length];
            for (int i = 0; i < wire.Length; i++)
            {
                wire[i] = UartCardLine.InverseConvention(logical[i]);
            }
            Assert.AreEqual((byte)0x03, wire[0]);
            rig.Port.Arrive(1, wire, true);
            for (int i = 0; i < logical.Length; i++)
            {
                Assert.AreEqual(logical[i], rig.Lines[0].Receive(40000));
            }
            Assert.AreEqual((int)Convention.Inverse, (int)rig.Lines[0].Convention);
            Assert.IsTrue(rig.Log.IndexOf("UART 13441 Odd 2", 0) >= 0, "8O2 after the inverse TS: " + rig.Log.Texts(""));
        }

        [TestMethod]
        public void Iso7816_3_8_1_DirectConvention_Ts3BKeepsEvenParity()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.Port.Log = rig.Log;
            rig.ColdReset(0, VoltageClass.A);
            rig.Port.Arrive(1, new byte[] { 0x3B, 0x00 }, true);
            Assert.AreEqual(0x3B, rig.Lines[0].Receive(40000));
            Assert.AreEqual(0x00, rig.Lines[0].Receive(40000));
            Assert.AreEqual((int)Convention.Direct, (int)rig.Lines[0].Convention);
            Assert.AreEqual(-1, rig.Log.IndexOf("UART 13441 Odd 2", 0));
        }

        [TestMethod]
        public void Iso7816_3_8_1_InverseConvention_SentBytesAreComplementedAndReversed()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Lines[0].Configure(Convention.Inverse, 372, 1, 12, true);
            rig.Lines[0].Send(new byte[] { 0xFF, 0x10, 0x11, 0xFE }, 0, 4);
            // PPS FF 10 11 FE in the inverse convention: ~reverse(b).
            Assert.Equal(new byte[] { 0x00, 0xF7, 0x77, 0x80 }, rig.Port.WrittenBytes());
            Assert.AreEqual(0, rig.Lines[0].EchoErrors);
        }

        [TestMethod]
        public void Iso7816_3_8_1_InverseTable_IsAnInvolution()
        {
            for (int v = 0; v < 256; v++)
            {
                Assert.AreEqual(v, (int)UartCardLine.InverseConvention(UartCardLine.InverseConvention((byte)v)));
            }
            Assert.AreEqual((byte)0x3F, UartCardLine.InverseConvention(0x03));
        }

        [TestMethod]
        [DataRow(372, 1, 13441)]
        [DataRow(372, 12, 161290)]
        [DataRow(512, 8, 78125)]
        [DataRow(512, 16, 156250)]
        [DataRow(372, 4, 53763)]
        public void Iso7816_3_7_1_AfterPps_RateIsFTimesDiOverFi(int fi, int di, int expectedBaud)
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Lines[0].Configure(Convention.Direct, fi, di, 12, false);
            Assert.AreEqual(expectedBaud, rig.Lines[0].BaudRate);
            Assert.AreEqual(expectedBaud, rig.Port.BaudRate);
        }

        [TestMethod]
        public void Iso7816_3_11_4_2_T1GuardTime11_OneStopBit()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Lines[0].Configure(Convention.Direct, 372, 1, 11, false);
            Assert.AreEqual(1, rig.Port.StopBits);
            rig.Lines[0].Configure(Convention.Direct, 372, 1, 12, false);
            Assert.AreEqual(2, rig.Port.StopBits);
        }

        [TestMethod]
        public void Iso7816_3_7_2_ExtraGuardTime_CharactersSentOneAtATimeWithTheExtraEtus()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            // N = 100: 112 ETU from start to start, 100 ETU more than the UART frame.
            rig.Lines[0].Configure(Convention.Direct, 372, 1, 112, false);
            long before = rig.Clock.NowMilliseconds;
            rig.Lines[0].Send(new byte[] { 1, 2, 3 }, 0, 3);
            long waited = rig.Clock.NowMilliseconds - before;
            // Two gaps of 100 ETU x 372 cycles at 5 MHz = 7.44 ms each, rounded up to 8.
            Assert.IsTrue(waited >= 16, "waited " + waited + " ms");
            Assert.Equal(new byte[] { 1, 2, 3 }, rig.Port.WrittenBytes());
        }

        [TestMethod]
        public void Iso7816_3_CharacterTimeout_ConvertedFromCyclesAndCountedFromLastCharacter()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            long start = rig.Clock.NowMilliseconds;
            // 9600 ETU at Fi 372 = 3 571 200 cycles = 714.24 ms at 5 MHz: 715 ms, plus the 10 ms latency slack.
            Assert.AreEqual(LineStatus.Timeout, rig.Lines[0].Receive(9600L * 372));
            long waited = rig.Clock.NowMilliseconds - start;
            Assert.IsTrue(waited >= 715 && waited <= 726, "waited " + waited + " ms");
        }

        [TestMethod]
        public void Iso7816_3_CharacterArrivingBeforeTheTimeout_IsReturned()
        {
            CardRig rig = new CardRig(ReadBehaviour.BlocksOrThrows);
            rig.ColdReset(0, VoltageClass.A);
            rig.Port.Arrive(700, new byte[] { 0x3B }, false);
            Assert.AreEqual(0x3B, rig.Lines[0].Receive(9600L * 372));
            Assert.AreEqual(0, rig.Port.BytesLost);
        }

        [TestMethod]
        public void SharedUart_EachSlotKeepsItsOwnFrame()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Lines[0].Configure(Convention.Direct, 372, 12, 12, false);
            rig.ColdReset(1, VoltageClass.A);
            Assert.AreEqual(13441, rig.Port.BaudRate);
            Assert.IsTrue(rig.Select.Level, "slot 1 selected");
            rig.Lines[0].Send(new byte[] { 0x00 }, 0, 1);
            Assert.IsFalse(rig.Select.Level, "slot 0 selected again");
            Assert.AreEqual(161290, rig.Port.BaudRate);
        }
    
        [TestMethod]
        public void SharedUart_ReceiveAfterTheOtherSlotTalked_RestoresThisSlotsFrame()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Lines[0].Configure(Convention.Inverse, 372, 12, 12, false);
            rig.ColdReset(1, VoltageClass.A);
            rig.Port.Arrive(1, new byte[] { UartCardLine.InverseConvention(0x90) }, false);
            Assert.AreEqual(0x90, rig.Lines[0].Receive(9600L * 31));
            Assert.AreEqual(161290, rig.Port.BaudRate);
            Assert.AreEqual((int)SerialParity.Odd, (int)rig.Port.Parity);
        }

        [TestMethod]
        public void NoEcho_Board_SendsWithoutReadingBack()
        {
            FakeClock clock = new FakeClock();
            EventLog log = new EventLog();
            FakeSerialPort port = new FakeSerialPort(clock, ReadBehaviour.BlocksOrThrows);
            CardUart uart = new CardUart(port, null, clock, false, 10);
            FakeInputPin off = new FakeInputPin();
            off.Level = true;
            Tda8024Contact contact = new Tda8024Contact(0, new FakeOutputPin("VCCEN0", log, clock), new FakeOutputPin("RSTIN0", log, clock),
                new FakeOutputPin("5V3V0", log, clock), off, clock, 1000, 200);
            UartCardLine line = new UartCardLine(0, uart, contact, new CardClock(new FakeClockOutput(log, clock, 5000000)));
            line.SetVcc(VoltageClass.A);
            line.SetClock(true);
            line.SetReset(true);
            port.Arrive(0, new byte[] { 0x61, 0x10 }, false);
            line.Send(new byte[] { 0x00, 0xC0, 0x00, 0x00, 0x10 }, 0, 5);
            // Nothing was taken as an echo: the card's bytes are still there for Receive.
            Assert.AreEqual(0x61, line.Receive(10000));
            Assert.AreEqual(0x10, line.Receive(10000));
            Assert.AreEqual(0, line.EchoErrors);
        }

        [TestMethod]
        public void Iso7816_3_6_2_3_WarmReset_AtrReadAtTheDefaultRateAgain()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Lines[0].Configure(Convention.Inverse, 512, 16, 12, false);
            Assert.AreEqual(156250, rig.Port.BaudRate);
            rig.Lines[0].SetReset(false);
            rig.Lines[0].Wait(500);
            rig.Lines[0].SetReset(true);
            Assert.AreEqual(13441, rig.Port.BaudRate);
            Assert.AreEqual((int)SerialParity.Even, (int)rig.Port.Parity);
            rig.Port.Arrive(1, new byte[] { 0x3B }, false);
            Assert.AreEqual(0x3B, rig.Lines[0].Receive(40000));
        }
    }
}
