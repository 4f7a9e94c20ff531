using System;
using System.Collections.Generic;
using System.Linq;
using Terminal.Iso7816;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>Every injectable fault, seen from a hand-written reader: each gives its error and nothing hangs.</summary>
    public class FaultTests
    {
        [Fact]
        public void Fault_NoAtr_TheReaderTimesOutAfterRst()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.NoAtr = true;
            r.PowerUp();
            Assert.Equal(LineStatus.Timeout, r.Line.Receive(40_000));
        }

        [Fact]
        public void Fault_Mute_AtrThenSilence()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.Mute = true;
            r.PowerUp();
            Assert.Equal(10, r.ReadAtr().Length);
            Assert.Equal(-1, r.T0("00 A4 00 00 02", "3F 00").Sw);
        }

        [Fact]
        public void Fault_WrongTs_IsSentInsteadOfTs()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.WrongTs = 0x3A;
            r.PowerUp();
            Assert.Equal(0x3A, r.Line.Receive(40_000));
        }

        [Fact]
        public void Fault_WrongTck_TheAtrDoesNotCheck()
        {
            var r = new HandReader("t1-generic");
            r.Card.Faults.WrongTck = true;
            r.PowerUp();
            byte[] atr = r.ReadAtr();
            Assert.NotEqual(0, atr.Skip(1).Aggregate(0, (x, b) => x ^ b));
        }

        [Fact]
        public void Fault_ParityError_WithoutErrorSignal_TheCharacterArrivesFlagged()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.ParityErrorAt = 3;
            r.PowerUp();
            List<int> atr = r.ReadAtrRaw();
            Assert.Equal(0x00 | LineStatus.ParityError, atr[3]);
            Assert.Equal(0x3B, atr[0]);
        }

        [Fact]
        public void Fault_ParityError_WithErrorSignal_TheCardRepeatsAndItCostsTheRepetition()
        {
            var clean = new HandReader("vitale2");
            clean.ErrorSignal = true;
            clean.PowerUp();
            clean.Apply();
            List<int> a = clean.ReadAtrRaw();
            long cleanTime = clean.Line.Now;

            var r = new HandReader("vitale2");
            r.Card.Faults.ParityErrorAt = 3;
            r.Card.Faults.ParityErrorRepeats = 2;
            r.ErrorSignal = true;
            r.PowerUp();
            List<int> b = r.ReadAtrRaw();
            Assert.Equal(a, b);
            Assert.Equal(2 * VirtualCardLine.RepetitionEtu * 372, r.Line.Now - cleanTime);
        }

        [Fact]
        public void Fault_CharacterLaterThanWwt_TheReaderTimesOut()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            // Characters 10, 11 are the SW of the first command; delay SW1 beyond WWT (960 x 10 x 372).
            r.Card.Faults.DelayAt = 10;
            r.Card.Faults.DelayCycles = 960L * 10 * 372 + 1000;
            Assert.Equal(-1, r.T0("00 A4 00 0C 02", "3F 00").Sw);
        }

        [Fact]
        public void Fault_CharacterLaterThanCwt_TheT1BlockIsIncomplete()
        {
            var r = VirtualCardT1Tests.Connect();
            int next = r.Card.Faults.DelayAt;
            // ATR (15) + PPS (4): the first block starts at index 19; delay its 4th character.
            r.Card.Faults.DelayAt = 19 + 3;
            r.Card.Faults.DelayCycles = r.Etu(11 + 32) * 2;
            r.SendBlock(r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00")));
            byte[]? b = r.ReceiveBlock(r.Etu(11) + 16 * 960 * 372L, r.Etu(11 + 32), out _);
            Assert.Null(b);
            Assert.Equal(-1, next);
        }

        [Fact]
        public void Fault_WrongEdc_TheReaderSeesABadBlock_AndAnRBlockGetsItRepeated()
        {
            var r = VirtualCardT1Tests.Connect();
            r.Card.Faults.WrongEdcOnBlock = 0;
            r.SendBlock(r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00")));
            byte[]? bad = r.ReceiveBlock(r.Etu(11) + 16 * 960 * 372L, r.Etu(43), out bool error);
            Assert.NotNull(bad);
            Assert.True(error);
            r.SendBlock(r.Block(0x81, Array.Empty<byte>()));
            byte[] good = r.ReceiveBlock();
            Assert.Equal("90 00", Hex.Format(HandReader.Inf(good)));
        }

        [Fact]
        public void Fault_UnexpectedWtx_TheCardAsksForTimeBeforeAnswering()
        {
            var r = VirtualCardT1Tests.Connect();
            r.Card.Faults.WtxBeforeBlock = 0;
            r.SendBlock(r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00")));
            byte[] wtx = r.ReceiveBlock();
            Assert.Equal("00 C3 01 01", Hex.Format(wtx, 0, 4));
            r.SendBlock(r.Block(0xE3, new byte[] { 1 }));
            Assert.Equal("90 00", Hex.Format(HandReader.Inf(r.ReceiveBlock())));
        }

        [Fact]
        public void Fault_UnexpectedAbort_TheCardAbortsAndWaitsForTheResponse()
        {
            var r = VirtualCardT1Tests.Connect();
            r.Card.Faults.AbortBeforeBlock = 0;
            r.SendBlock(r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00")));
            Assert.Equal(0xC2, r.ReceiveBlock()[1]);
            r.SendBlock(r.Block(0xE2, Array.Empty<byte>()));
            Assert.DoesNotContain(r.Card.Observations, o => o.Kind == ReaderObservationKind.ProtocolError);
            // The next exchange goes on with consistent sequence numbers (the dropped block's N(S) is reused).
            r.SendBlock(r.Block(0x40, Hex.Parse("00 A4 00 0C 02 3F 00")));
            byte[] next = r.ReceiveBlock();
            Assert.Equal(0x00, next[1]);
            Assert.Equal("90 00", Hex.Format(HandReader.Inf(next)));
        }

        [Fact]
        public void Fault_PpsRefused_Mute_TheReaderTimesOut()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.PpsRefusal = PpsRefusal.Mute;
            r.PowerUp();
            r.ReadAtr();
            Assert.Empty(r.Pps(0, 0x13));
        }

        [Fact]
        public void Fault_PpsRefused_DefaultRate_TheAnswerHasNoPps1()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.PpsRefusal = PpsRefusal.DefaultRate;
            r.PowerUp();
            r.ReadAtr();
            Assert.Equal(new[] { 0xFF, 0x00, 0xFF }, r.Pps(0, 0x13).ToArray());
            Assert.Equal(1, r.Card.CurrentDi);
        }

        [Fact]
        public void Fault_InvalidPck_TheCardDoesNotAnswerAndRecordsIt()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            r.Turnaround();
            r.Send(0xFF, 0x10, 0x13, 0x00);
            Assert.Equal(LineStatus.Timeout, r.Line.Receive(r.WwtCycles()));
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.InvalidPps);
        }

        [Fact]
        public void Fault_CardRemovedAtACharacter_TheLineSaysNoCardAndPresenceDrops()
        {
            var r = new HandReader("vitale2");
            var events = new List<bool>();
            r.Slot.PresenceChanged += (_, present) => events.Add(present);
            r.Card.Faults.RemoveAt = 5;
            VirtualCard card = r.Card;
            r.PowerUp();
            List<int> atr = r.ReadAtrRaw();
            Assert.Equal(5, atr.Count);
            Assert.Equal("3B 75 13 00 00", Hex.Format(atr.Select(x => (byte)x).ToArray()));
            Assert.False(r.Line.CardPresent);
            Assert.Equal(new[] { false }, events.ToArray());
            Assert.Equal(LineStatus.NoCard, r.Line.Receive(1000));
            _ = card;
        }

        [Fact]
        public void Reader_ResetTooEarly_IsRecorded()
        {
            var r = new HandReader("vitale2");
            r.Apply();
            r.Line.SetVcc(VoltageClass.A);
            r.Line.SetClock(true);
            r.Line.Wait(100);
            r.Line.SetReset(true);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.ResetTooEarly);
        }

        [Fact]
        public void Reader_CharacterTooEarlyAfterTheCard_IsRecorded()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            // No 16 ETU turnaround: ReadAtr's last timeout already waited, so send right after a card character.
            r.T0Apdu("00 A4 00 00 02 3F 00");
            r.Card.ClearObservations();
            r.Send(Hex.Parse("00 A4 00 00 02"));
            int ack = r.Receive();
            Assert.Equal(0xA4, ack);
            r.Send(Hex.Parse("3F 00"));
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.CharacterTooEarly);
        }

        [Fact]
        public void Contacts_UnpoweredLine_ReceiveSaysNoCard_AndAnEmptySlotToo()
        {
            var r = new HandReader("vitale2");
            Assert.Equal(LineStatus.NoCard, r.Line.Receive(1000));
            r.Slot.Remove();
            r.PowerUp();
            Assert.Equal(LineStatus.NoCard, r.Line.Receive(1000));
        }
    }
}

namespace Terminal.Tests.Simulator
{
    /// <summary>Card behaviours beyond faults: byte-by-byte procedure bytes, deactivation, threads.</summary>
    public class CardBehaviourTests
    {
        [Fact]
        public void Iso7816_3_10_3_3_ComplementedInsProcedureBytes_DataGoesOneByteAtATime()
        {
            var r = new HandReader("vitale2");
            r.Card.ByteByByte = true;
            r.PowerUp();
            r.ReadAtr();
            var sel = r.T0(Hex.Parse("00 A4 00 0C 02"), Hex.Parse("3F 00"), out _);
            Assert.Equal(Sw.Ok, sel.Sw);
            var read = r.T0Apdu("00 B0 82 00 00");
            Assert.Equal(Sw.Ok, read.Sw);
            Assert.Equal(0x65, read.Data[0]);
            Assert.DoesNotContain(r.Card.Observations, o => o.Kind == ReaderObservationKind.SentWhileCardSending || o.Kind == ReaderObservationKind.CharacterTooEarly);
        }

        [Fact]
        public void Iso7816_3_6_4_Deactivation_DropsThePinVerifiedState()
        {
            var r = new HandReader("cps3");
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            Assert.Equal(Sw.Ok, r.T0Apdu("00 20 00 01 04 31 32 33 34").Sw);
            r.Line.SetReset(false);
            r.Line.SetClock(false);
            r.Line.SetVcc(Terminal.Iso7816.VoltageClass.None);
            Assert.Equal(Terminal.Iso7816.LineStatus.NoCard, r.Line.Receive(1000));
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            Assert.Equal(0x63C3, r.T0("00 20 00 01 00").Sw);
        }

        [Fact]
        public void Board_TwoThreads_CardExchangeWhileTheKeypadWaits_ShareOneClockWithoutDeadlock()
        {
            VirtualBoard board = VirtualBoard.Create("vitale2", "cps3");
            var reader = new HandReader(board, 0);
            Exception? failure = null;
            var t = new System.Threading.Thread(() =>
            {
                try
                {
                    for (int i = 0; i < 20; i++) { board.Keypad.ReadKey(1000); }
                }
                catch (Exception e) { failure = e; }
            });
            t.Start();
            reader.PowerUp();
            reader.ReadAtr();
            for (int i = 0; i < 20; i++)
            {
                Assert.Equal(Sw.Ok, reader.T0Apdu("00 A4 00 00 02 3F 00").Sw);
            }
            Assert.True(t.Join(10_000));
            Assert.Null(failure);
            Assert.True(board.Clock.NowMilliseconds >= 20_000);
        }
    }
}
