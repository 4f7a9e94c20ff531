using System;
using System.Linq;
using Terminal.Iso7816;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Iso7816
{
    /// <summary>
    /// The engine against the simulator's byte-level virtual cards (virtual time): activation, PPS,
    /// T=0 and T=1 exchanges, with the card's own record of reader misbehaviour (timing, guard times,
    /// sequence numbers) required to stay empty.
    /// </summary>
    public class SimulatedCardTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public SimulatedCardTests(Xunit.Abstractions.ITestOutputHelper output)
        {
            _output = output;
        }

        private sealed class Rig
        {
            public Rig(string profile, Action<VirtualCard>? prepare = null, bool negotiateIfsd = false)
            {
                Board = VirtualBoard.Create(profile, null);
                Slot = Board.Slots[0];
                Card = Slot.Card!;
                prepare?.Invoke(Card);
                Session = new CardSession(Slot.Line) { NegotiateIfsd = negotiateIfsd };
                AtrLength = Session.PowerOn(VoltageClass.A, Board.MaxDataRate, true);
            }

            public VirtualBoard Board { get; }
            public VirtualSlot Slot { get; }
            public VirtualCard Card { get; }
            public CardSession Session { get; }
            public int AtrLength { get; }
            public byte[] Response { get; } = new byte[70000];

            public byte[] Exchange(string apdu) => Exchange(Convert.FromHexString(apdu.Replace(" ", "")));

            public byte[] Exchange(byte[] apdu)
            {
                int r = Session.TransmitApdu(apdu, 0, apdu.Length, Response, 0, Response.Length);
                Assert.True(r >= 2, "exchange failed: " + TransmissionError.Name(r));
                return Response.AsSpan(0, r).ToArray();
            }

            public void AssertReaderBehaved()
            {
                Assert.True(Card.Observations.Count == 0, "the card saw: " + string.Join("; ", Card.Observations));
            }
        }

        private sealed class WaitCounter : ICardWaitListener
        {
            public int Calls;

            public void CardWaiting(int protocol, long extraCycles) => Calls++;
        }

        private static int Sw(byte[] response) => (response[^2] << 8) | response[^1];

        [Theory]
        [InlineData("vitale2", 0, 4)]
        [InlineData("vitale1", 0, 1)]
        [InlineData("cps3", 0, 1)]
        [InlineData("cps4", 0, 12)]
        [InlineData("t1-generic", 1, 12)]
        [InlineData("t1-lrc", 1, 12)]
        public void Activation_AtrProtocolAndPps(string profile, int protocol, int di)
        {
            Rig rig = new Rig(profile);
            Assert.Equal(rig.Card.Profile.AtrBytes().Length, rig.AtrLength);
            Assert.Equal(rig.Card.Profile.AtrBytes(), rig.Session.Atr.Bytes.AsSpan(0, rig.AtrLength).ToArray());
            Assert.Equal(protocol, rig.Session.Protocol);
            Assert.Equal(di, rig.Session.Timing.Di);
            Assert.Equal(di, rig.Card.CurrentDi);
            Assert.Equal(di != 1, rig.Card.PpsDone);
            rig.AssertReaderBehaved();
        }

        [Fact]
        public void Vitale2_PublicReadSequence_T0ApduLevel_Follows61xxAnd6Cxx()
        {
            Rig rig = new Rig("vitale2");
            Assert.Equal(0x9000, Sw(rig.Exchange("00 A4 00 00 02 3F 00 00")));
            byte[] mf = rig.Exchange("00 B0 82 00 00");
            Assert.Equal(0x9000, Sw(mf));
            Assert.True(mf.Length > 2);
            Assert.Equal(0x9000, Sw(rig.Exchange("00 A4 04 00 0B D2 50 00 00 02 56 49 54 41 4C 45 00")));
            byte[] vitale = rig.Exchange("00 B0 82 00 00");
            Assert.Equal(0x9000, Sw(vitale));
            Assert.True(vitale.Length > 2);
            rig.AssertReaderBehaved();
        }

        [Fact]
        public void Vitale1_InverseConvention_T0Exchange()
        {
            Rig rig = new Rig("vitale1");
            Assert.Equal(Convention.Inverse, rig.Session.Atr.Convention);
            byte[] r = rig.Exchange("00 A4 00 00 02 3F 00");
            Assert.True(r.Length >= 2);
            rig.AssertReaderBehaved();
        }

        [Fact]
        public void T1Generic_4KbWrittenAndReadBack_ChainedBothWays()
        {
            Rig rig = new Rig("t1-generic", negotiateIfsd: true);
            Assert.Equal(254, rig.Session.T1.Ifsd);
            Assert.Equal(0x9000, Sw(rig.Exchange("00 A4 04 00 08 A0 00 00 00 01 53 49 4D")));
            byte[] data = new byte[4096];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 7);
            }
            byte[] update = new byte[7 + 4096];
            Convert.FromHexString("00D68100001000").CopyTo(update, 0);
            data.CopyTo(update, 7);
            Assert.Equal(0x9000, Sw(rig.Exchange(update)));
            long start = rig.Slot.Line.Now;
            byte[] read = rig.Exchange("00 B0 81 00 00 10 00");
            long elapsed = rig.Slot.Line.Now - start;
            // Characters on the line: the command block, 17 response blocks (4 bytes of frame each) and 16 R-blocks.
            int characters = (3 + 7 + 1) + (4098 + 17 * 4) + 16 * 4;
            long minimum = rig.Session.Timing.EtuCycles(11 * characters);
            _output.WriteLine("4 KB T=1 read at Di " + rig.Session.Timing.Di + ": " + elapsed + " cycles, character-time minimum "
                + minimum + " (" + (100 * minimum / elapsed) + " %), card processing included");
            Assert.Equal(0x9000, Sw(read));
            Assert.Equal(data, read.AsSpan(0, read.Length - 2).ToArray());
            rig.AssertReaderBehaved();
        }

        [Fact]
        public void T1_CardBlockWithWrongEdc_ReaderRecovers()
        {
            Rig rig = new Rig("t1-lrc");
            rig.Card.Faults.WrongEdcOnBlock = 0;
            Assert.Equal(0x9000, Sw(rig.Exchange("00 A4 04 00 08 A0 00 00 00 01 53 49 4D")));
        }

        [Fact]
        public void T1_CardAsksForWaitingTimeExtension()
        {
            Rig rig = new Rig("t1-generic");
            rig.Card.Faults.WtxBeforeBlock = 0;
            WaitCounter counter = new WaitCounter();
            rig.Session.WaitListener = counter;
            Assert.Equal(0x9000, Sw(rig.Exchange("00 A4 04 00 08 A0 00 00 00 01 53 49 4D")));
            Assert.Equal(1, counter.Calls);
            rig.AssertReaderBehaved();
        }

        [Fact]
        public void Pps_CardSilent_DeactivateAndRunAtDefault()
        {
            Rig rig = new Rig("vitale2", card => card.Faults.PpsRefusal = PpsRefusal.Mute);
            Assert.True(rig.AtrLength > 0, TransmissionError.Name(rig.AtrLength));
            Assert.True(rig.Session.PpsFellBack);
            Assert.Equal(1, rig.Session.Timing.Di);
            Assert.Equal(0x9000, Sw(rig.Exchange("00 A4 00 00 02 3F 00 00")));
        }

        [Fact]
        public void NoAtr_IsMute()
        {
            VirtualBoard board = VirtualBoard.Create("cps3", null);
            board.Slots[0].Card!.Faults.NoAtr = true;
            CardSession session = new CardSession(board.Slots[0].Line);
            Assert.Equal(TransmissionError.Mute, session.PowerOn(VoltageClass.A, board.MaxDataRate, true));
        }

        [Fact]
        public void CardRemoved_MidExchange()
        {
            Rig rig = new Rig("cps3");
            rig.Slot.Remove();
            byte[] apdu = Convert.FromHexString("00A4000002 3F00".Replace(" ", ""));
            Assert.Equal(TransmissionError.CardRemoved, rig.Session.TransmitApdu(apdu, 0, apdu.Length, rig.Response, 0, rig.Response.Length));
        }
    }
}
