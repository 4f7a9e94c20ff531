using System;
using System.Linq;
using System.Text;
using Terminal.Iso7816;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>
    /// The reader-side engine (Terminal.Iso7816, CardSession) against the byte-level virtual cards:
    /// each checks the other. Every fault ends with the engine's expected error, or with the
    /// recovery ISO 7816-3 prescribes, and nothing hangs.
    /// </summary>
    public class EngineOnSimulatorTests
    {
        private const int MaxRate = 500_000;
        private readonly Xunit.Abstractions.ITestOutputHelper _out;

        public EngineOnSimulatorTests(Xunit.Abstractions.ITestOutputHelper output) { _out = output; }

        private sealed class Rig
        {
            public readonly VirtualBoard Board = new VirtualBoard();
            public readonly VirtualCard Card;
            public readonly CardSession Session;
            public readonly byte[] Rsp = new byte[65538];

            public Rig(string profile) : this(VirtualCard.FromProfile(profile)) { }

            public Rig(VirtualCard card)
            {
                Card = card;
                Board.Slots[0].Insert(card);
                Session = new CardSession(Board.Slots[0].Line);
            }

            public int PowerOn(bool autoPps = true) => Session.PowerOn(VoltageClass.A, MaxRate, autoPps);

            public (byte[] Data, int Sw, int Result) Apdu(string hex)
            {
                byte[] c = Hex.Parse(hex);
                int n = Session.TransmitApdu(c, 0, c.Length, Rsp, 0, Rsp.Length);
                if (n < 2) { return (Array.Empty<byte>(), -1, n); }
                return (Rsp.Take(n - 2).ToArray(), (Rsp[n - 2] << 8) | Rsp[n - 1], n);
            }

            public void AssertReaderBehaved()
            {
                Assert.True(Card.Observations.Count == 0, "reader misbehaviour: " + string.Join("; ", Card.Observations));
            }
        }

        private static string Tag(byte[] tlv, byte tag)
        {
            for (int i = 0; i + 1 < tlv.Length; i++)
            {
                if (tlv[i] == tag && i + 2 + tlv[i + 1] <= tlv.Length) { return Encoding.ASCII.GetString(tlv, i + 2, tlv[i + 1]); }
            }
            return "";
        }

        [Fact]
        public void Engine_Vitale2_PowerOnWithPpsToTa13_PublicReadSequence_NamesAndNir_ReaderBehaved()
        {
            var r = new Rig("vitale2");
            Assert.Equal(10, r.PowerOn());
            Assert.True(r.Card.PpsDone);
            Assert.Equal(4, r.Card.CurrentDi);
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 00 02 3F 00 00").Sw);
            var id = r.Apdu("00 B0 82 00 00");
            Assert.Equal(Sw.Ok, id.Sw);
            Assert.Equal("TESTEUR", Tag(id.Data, 0x80));
            Assert.Equal("CAMILLE", Tag(id.Data, 0x81));
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 04 00 0B D2 50 00 00 02 56 49 54 41 4C 45 00").Sw);
            var holder = r.Apdu("00 B0 82 00 00");
            Assert.Equal("185057505612388", Tag(holder.Data, 0x93));
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_Vitale1_InverseConvention_AtrReadAndVitale2SelectionRefused()
        {
            var r = new Rig("vitale1");
            Assert.Equal(9, r.PowerOn());
            Assert.Equal(Convention.Inverse, r.Session.Atr.Convention);
            Assert.Equal(Sw.ClaNotSupported, r.Apdu("00 A4 04 00 0B D2 50 00 00 02 56 49 54 41 4C 45").Sw);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_Cps3_ThreeWrongPinsBlock_UnblockRestores_SignatureWithNullBytes()
        {
            var r = new Rig("cps3");
            int waits = 0;
            r.Session.WaitListener = new Listener(() => waits++);
            Assert.Equal(17, r.PowerOn());
            Assert.Equal(0x63C2, r.Apdu("00 20 00 01 04 39 39 39 39").Sw);
            Assert.Equal(0x63C1, r.Apdu("00 20 00 01 04 39 39 39 39").Sw);
            Assert.Equal(0x6983, r.Apdu("00 20 00 01 04 39 39 39 39").Sw);
            Assert.Equal(0x6983, r.Apdu("00 20 00 01 04 31 32 33 34").Sw);
            Assert.Equal(Sw.Ok, r.Apdu("00 2C 00 01 0C 31 32 33 34 35 36 37 38 34 33 32 31").Sw);
            Assert.Equal(Sw.Ok, r.Apdu("00 20 00 01 04 34 33 32 31").Sw);
            var sig = r.Apdu("00 88 00 00 23 30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14 " + string.Join(" ", Enumerable.Repeat("5A", 20)) + " 00");
            Assert.Equal(Sw.Ok, sig.Sw);
            Assert.Equal(256, sig.Data.Length);
            Assert.True(waits >= 1, "the engine saw the card's NULL bytes");
            r.AssertReaderBehaved();
        }

        private sealed class Listener : ICardWaitListener
        {
            private readonly Action _a;
            public Listener(Action a) { _a = a; }
            public void CardWaiting(int protocol, long extraCycles) => _a();
        }

        [Fact]
        public void Engine_Cps4_PpsToDi12()
        {
            var r = new Rig("cps4");
            Assert.Equal(17, r.PowerOn());
            Assert.Equal(12, r.Card.CurrentDi);
            Assert.Equal(0x63C3, r.Apdu("00 20 00 01").Sw);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_T1Generic_IfsNegotiation_ChainedReadAndWrite_ReaderBehaved()
        {
            var r = new Rig("t1-generic");
            Assert.Equal(15, r.PowerOn());
            Assert.Equal(1, r.Session.Protocol);
            Assert.Equal(12, r.Card.CurrentDi);
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 04 0C 08 A0 00 00 00 01 53 49 4D").Sw);
            var read = r.Apdu("00 B0 81 00 00");
            Assert.Equal(256, read.Data.Length);
            Assert.Equal((byte)(255 % 251), read.Data[255]);
            string data = string.Join(" ", Enumerable.Range(0, 255).Select(i => (i ^ 0x5A).ToString("X2")));
            Assert.Equal(Sw.Ok, r.Apdu("00 D6 81 00 FF " + data).Sw);
            Assert.Equal(Hex.Parse(data), r.Apdu("00 B0 81 00 FF").Data);
            Assert.True(r.Session.T1.NegotiateIfsd(254) >= 0);
            Assert.Equal(254, r.Card.Ifsd);
            Assert.Equal(256, r.Apdu("00 B0 81 00 00").Data.Length);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_T1Generic_LongWork_WtxGranted()
        {
            var r = new Rig("t1-generic");
            r.PowerOn();
            Assert.Equal(Sw.InsNotSupported, r.Apdu("00 88 00 00 02 01 02 00").Sw);
            r.AssertReaderBehaved();
        }

        // ---- faults ----

        [Fact]
        public void Engine_Fault_NoAtr_Mute()
        {
            var r = new Rig("vitale2");
            r.Card.Faults.NoAtr = true;
            Assert.Equal(TransmissionError.Mute, r.PowerOn());
        }

        [Fact]
        public void Engine_Fault_MuteCard_PpsFallsBack_ThenCommandsAreMute()
        {
            var r = new Rig("vitale2");
            r.Card.Faults.Mute = true;
            int on = r.PowerOn();
            if (on >= 0)
            {
                Assert.True(r.Session.PpsFellBack);
                Assert.Equal(TransmissionError.Mute, r.Apdu("00 A4 00 00 02 3F 00").Result);
            }
            else
            {
                Assert.Equal(TransmissionError.Mute, on);
            }
        }

        [Fact]
        public void Engine_Fault_WrongTs_BadAtrTs()
        {
            var r = new Rig("vitale2");
            r.Card.Faults.WrongTs = 0x3A;
            Assert.Equal(TransmissionError.BadAtrTs, r.PowerOn());
        }

        [Fact]
        public void Engine_Fault_WrongTck_BadAtrTck()
        {
            var r = new Rig("t1-generic");
            r.Card.Faults.WrongTck = true;
            Assert.Equal(TransmissionError.BadAtrTck, r.PowerOn());
        }

        [Fact]
        public void Engine_Fault_ParityErrorInAtr_ParityError()
        {
            var r = new Rig("vitale2");
            r.Card.Faults.ParityErrorAt = 4;
            r.Card.Faults.ParityErrorRepeats = 9;
            Assert.Equal(TransmissionError.ParityError, r.PowerOn());
        }

        [Fact]
        public void Engine_Fault_ParityErrorInT0Response_RepeatedUnderTheErrorSignal()
        {
            var r = new Rig("vitale2");
            r.PowerOn();
            // ATR 10 + PPS 4: the first command's SW1 is character 14.
            r.Card.Faults.ParityErrorAt = 14;
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 0C 02 3F 00").Sw);
        }

        [Fact]
        public void Engine_Fault_CharacterLaterThanWwt_Mute()
        {
            var r = new Rig("vitale2");
            r.PowerOn();
            r.Card.Faults.DelayAt = 15;
            r.Card.Faults.DelayCycles = 960L * 10 * 372 * 2;
            Assert.Equal(TransmissionError.Mute, r.Apdu("00 A4 00 0C 02 3F 00").Result);
        }

        [Fact]
        public void Engine_Fault_CharacterLaterThanCwt_RecoveredByRBlock()
        {
            var r = new Rig("t1-generic");
            r.PowerOn();
            // ATR 15 + PPS 4: the first block's fourth character is index 22.
            r.Card.Faults.DelayAt = 22;
            r.Card.Faults.DelayCycles = 31L * (11 + 32) * 3;
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 0C 02 3F 00").Sw);
        }

        [Fact]
        public void Engine_Fault_WrongEdc_RecoveredByRBlock()
        {
            var r = new Rig("t1-generic");
            r.PowerOn();
            r.Card.Faults.WrongEdcOnBlock = 0;
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 0C 02 3F 00").Sw);
        }

        [Fact]
        public void Engine_Fault_UnexpectedWtx_Granted()
        {
            var r = new Rig("t1-generic");
            r.PowerOn();
            r.Card.Faults.WtxBeforeBlock = 0;
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 0C 02 3F 00").Sw);
        }

        [Fact]
        public void Engine_Fault_UnexpectedAbort_Aborted()
        {
            var r = new Rig("t1-generic");
            r.PowerOn();
            r.Card.Faults.AbortBeforeBlock = 0;
            Assert.Equal(TransmissionError.Aborted, r.Apdu("00 A4 00 0C 02 3F 00").Result);
        }

        [Fact]
        public void Engine_Fault_PpsRefusedMute_FallsBackToTheDefaultRate()
        {
            var r = new Rig("vitale2");
            r.Card.Faults.PpsRefusal = PpsRefusal.Mute;
            Assert.Equal(10, r.PowerOn());
            Assert.True(r.Session.PpsFellBack);
            Assert.Equal(1, r.Card.CurrentDi);
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 00 02 3F 00 00").Sw);
        }

        [Fact]
        public void Engine_Fault_PpsRefusedDefaultRate_StaysAtDefault()
        {
            var r = new Rig("vitale2");
            r.Card.Faults.PpsRefusal = PpsRefusal.DefaultRate;
            Assert.Equal(10, r.PowerOn());
            Assert.Equal(1, r.Card.CurrentDi);
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 00 02 3F 00 00").Sw);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_Fault_CardRemovedDuringAResponse_CardRemoved()
        {
            var r = new Rig("vitale2");
            r.PowerOn();
            // ATR 10 + PPS 4: the procedure byte is 14, SW1 15.
            r.Card.Faults.RemoveAt = 15;
            Assert.Equal(TransmissionError.CardRemoved, r.Apdu("00 A4 00 00 02 3F 00").Result);
            Assert.False(r.Board.Slots[0].Line.CardPresent);
        }

        [Fact]
        public void Engine_Vpcd_BridgeSlot_SelectAtByteLevelInT0AndT1()
        {
            foreach (BridgeProtocol p in new[] { BridgeProtocol.T0, BridgeProtocol.T1 })
            {
                using VpcdBridge bridge = VpcdBridge.Listen(0);
                using var vicc = new TestVicc(bridge.Port);
                Assert.True(bridge.WaitForCard(TimeSpan.FromSeconds(5)));
                var r = new Rig(VirtualCard.FromBridge(bridge, p));
                Assert.True(r.PowerOn() > 0);
                Assert.Equal(p == BridgeProtocol.T1 ? 1 : 0, r.Session.Protocol);
                var sel = r.Apdu("00 A4 04 00 06 A0 00 00 00 01 02 00");
                Assert.Equal(Sw.Ok, sel.Sw);
                Assert.Equal("6F 08 84 06 A0 00 00 00 01 02", Hex.Format(sel.Data));
            }
        }
    
        [Fact]
        public void Engine_DomainMd_64KbReadFromVitale2AfterPps_WithinOnePercentOfTheEtuArithmetic()
        {
            CardProfile profile = CardProfile.Load("vitale2");
            profile.Files = new() { new FileSpec { Path = "3F00/0F00", PatternSize = 32768 } };
            var r = new Rig(VirtualCard.FromProfile(profile));
            Assert.Equal(10, r.PowerOn());
            Assert.Equal(4, r.Card.CurrentDi);
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 0C 02 0F 00").Sw);
            long start = r.Board.Clock.NowPicoseconds;
            int total = 0;
            for (int i = 0; i < 256; i++)
            {
                int off = (i * 256) % 32768;
                var res = r.Apdu($"00 B0 {off >> 8:X2} {off & 0xFF:X2} 00");
                Assert.Equal(Sw.Ok, res.Sw);
                total += res.Data.Length;
            }
            double elapsed = (r.Board.Clock.NowPicoseconds - start) / 1e12;
            double predicted = 256 * (5 + 1 + 256 + 2) * 12 * (372.0 / 4) / 4_000_000;
            Assert.Equal(65536, total);
            _out.WriteLine($"engine, 64 KB at 372/4: {elapsed:F4} s virtual, ETU arithmetic {predicted:F4} s, ratio {elapsed / predicted:F5}");
            Assert.InRange(elapsed / predicted, 1.0, 1.01);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_Cps3_WarmResetDropsThePinState()
        {
            var r = new Rig("cps3");
            r.PowerOn();
            Assert.Equal(Sw.Ok, r.Apdu("00 20 00 01 04 31 32 33 34").Sw);
            Assert.Equal(Sw.Ok, r.Apdu("00 20 00 01").Sw);
            Assert.True(r.Session.WarmReset(true) > 0);
            Assert.Equal(0x63C3, r.Apdu("00 20 00 01").Sw);
            Assert.Equal(Sw.SecurityNotSatisfied, r.Apdu("00 88 00 00 04 01 02 03 04 00").Sw);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_PcscSerialMd_T1TransportHostIfsRequest_IsAnsweredWithLibccidsBytes()
        {
            var r = new Rig("t1-lrc");
            Assert.True(r.PowerOn() > 0);
            byte[] ifs = Hex.Parse("00 C1 01 FE 3E");
            Assert.True(r.Session.T1Transport.SendBlock(ifs, 0, ifs.Length) >= 0);
            int n = r.Session.T1Transport.ReceiveBlock(r.Rsp, 0, r.Rsp.Length);
            Assert.Equal("00 E1 01 FE 1E", Hex.Format(r.Rsp, 0, n));
            Assert.Equal(254, r.Card.Ifsd);
            r.AssertReaderBehaved();
        }

        [Fact]
        public void Engine_Fault_ParityErrorInAT1Block_RecoveredByRBlock()
        {
            var r = new Rig("t1-generic");
            r.PowerOn();
            r.Card.Faults.ParityErrorAt = 19 + 2;
            Assert.Equal(Sw.Ok, r.Apdu("00 A4 00 0C 02 3F 00").Sw);
        }
}
}
