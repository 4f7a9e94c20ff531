using System.Text;
using Terminal.Pace;
using Terminal.Simulator;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Pace
{
    /// <summary>
    /// PACE between the reader's <see cref="PaceReader"/> and an independent card: hardware/pace-card, the card side
    /// done by Debian's libeac (OpenPACE), behind the simulator's vpcd bridge slot at T=1 byte level. Skips with a
    /// message when libeac-dev or gcc is missing; fails then under CI=true.
    /// </summary>
    public class PaceLibeacCardTests
    {
        private const string ProtectedText = "PROTECTED FILE OF THE LIBEAC PACE CARD: read only under secure messaging";
        private readonly ITestOutputHelper _out;

        public PaceLibeacCardTests(ITestOutputHelper output) { _out = output; }

        [Theory]
        [InlineData("--curve 13 --aes 128", PaceReader.PasswordPin, "123456")]
        [InlineData("--curve 12 --aes 128", PaceReader.PasswordCan, "500540")]
        [InlineData("--curve 13 --aes 256", PaceReader.PasswordPin, "123456")]
        [InlineData("--curve 16 --aes 192", PaceReader.PasswordCan, "500540")]
        public void Tr03110_3_B1_Libeac_PaceThenProtectedFileReadInPlainApdus(string options, int reference, string password)
        {
            using LibeacCard? card = LibeacCard.Start(_out, options);
            if (card == null) { return; }
            T1SlotChannel ch = card.PowerUp();
            Assert.Equal(0x6982, ch.Plain("00 B0 81 00 10").Sw);
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, reference, password, out PaceReader reader));
            Assert.Equal(0x9000, reader.MseStatusWord);
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, ch, "00 A4 02 0C 02 01 01").Sw);
            var read = PaceHarness.Protected(sm, ch, $"00 B0 00 00 {ProtectedText.Length:X2}");
            Assert.Equal(0x9000, read.Sw);
            Assert.Equal(ProtectedText, Encoding.ASCII.GetString(read.Data));
            // Le 00: the rest of the file; a longer explicit Le: the rest and the end-of-file warning, still protected.
            var rest = PaceHarness.Protected(sm, ch, "00 B0 00 10 00");
            Assert.Equal(0x9000, rest.Sw);
            Assert.Equal(ProtectedText.Substring(16), Encoding.ASCII.GetString(rest.Data));
            var warned = PaceHarness.Protected(sm, ch, "00 B0 00 20 F0");
            Assert.Equal(0x6282, warned.Sw);
            Assert.Equal(ProtectedText.Substring(32), Encoding.ASCII.GetString(warned.Data));
            Assert.True(sm.IsOpen);
        }

        [Fact]
        public void Tr03110_3_B1_Libeac_PacePinThroughTheFirmwaresIso7816Engine_ThenProtectedRead()
        {
            using LibeacCard? card = LibeacCard.Start(_out);
            if (card == null) { return; }
            var engine = new EngineChannel(card.Board.Slots[1].Line);
            Assert.Equal(1, engine.Session.Protocol);
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(engine, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, engine, "00 A4 02 0C 02 01 01").Sw);
            var read = PaceHarness.Protected(sm, engine, $"00 B0 00 00 {ProtectedText.Length:X2}");
            Assert.Equal(0x9000, read.Sw);
            Assert.Equal(ProtectedText, Encoding.ASCII.GetString(read.Data));
        }

        [Fact]
        public void Tr03110_2_Libeac_WrongPinCountsDown_MseWarnsWithTheCounter_CorrectPinResetsIt()
        {
            using LibeacCard? card = LibeacCard.Start(_out);
            if (card == null) { return; }
            T1SlotChannel ch = card.PowerUp();
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "999999", out PaceReader r1));
            Assert.Equal(0x63C2, r1.CardStatusWord);
            Assert.Null(r1.SecureMessaging);
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "999999", out PaceReader r2));
            Assert.Equal(0x63C2, r2.MseStatusWord);
            Assert.Equal(0x63C1, r2.CardStatusWord);
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader r3));
            Assert.Equal(0x63C1, r3.MseStatusWord);
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader r4));
            Assert.Equal(0x9000, r4.MseStatusWord);
        }

        [Fact]
        public void Tr03110_2_Libeac_ThreeWrongPins_BlockThePin_EvenTheRightOneIsRefused()
        {
            using LibeacCard? card = LibeacCard.Start(_out);
            if (card == null) { return; }
            T1SlotChannel ch = card.PowerUp();
            for (int left = 2; left >= 0; left--)
            {
                Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "111111", out PaceReader r));
                Assert.Equal(0x63C0 | left, r.CardStatusWord);
            }
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader rb));
            Assert.Equal(0x63C0, rb.MseStatusWord);
            Assert.Equal(0x6983, rb.CardStatusWord);
            Assert.Null(rb.SecureMessaging);
            // The CAN still opens a channel.
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordCan, "500540", out _));
        }

        [Fact]
        public void Tr03110_3_B1_Libeac_WrongCan_Answers6300_NoChannel()
        {
            using LibeacCard? card = LibeacCard.Start(_out);
            if (card == null) { return; }
            T1SlotChannel ch = card.PowerUp();
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordCan, "000001", out PaceReader r));
            Assert.Equal(0x6300, r.CardStatusWord);
            Assert.Null(r.SecureMessaging);
            Assert.Equal(0x6982, ch.Plain("00 B0 81 00 10").Sw);
        }

        [Theory]
        [InlineData(2)]
        [InlineData(4)]
        public void Tr03110_3_B1_Libeac_CardPulledOutBeforeExchangeN_GivesTransmitFailed_NoKeys(int exchange)
        {
            using LibeacCard? card = LibeacCard.Start(_out);
            if (card == null) { return; }
            T1SlotChannel ch = card.PowerUp();
            // The card leaves the contacts and its process dies (the bridge itself notices a dead vicc only at the
            // next exchange, which it answers 6F00 before removing the card).
            ch.BeforeExchange = i => { if (i == exchange) { card.Board.Slots[1].Remove(); card.Kill(); } };
            Assert.Equal(PaceResult.TransmitFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader r));
            Assert.Null(r.SecureMessaging);
            Assert.False(card.Board.Slots[1].Line.CardPresent, "the bridge removed the card");
            // The steps before the pull-out were answered 9000; none after it.
            Assert.Equal(exchange <= 2 ? -1 : 0x9000, r.CardStatusWord);
        }

        [Fact]
        public void Icao9303_11_9_8_Libeac_TamperedResponseMac_EndsTheChannelWith6988_NothingMoreSent()
        {
            using LibeacCard? card = LibeacCard.Start(_out, "--tamper-response 1");
            if (card == null) { return; }
            T1SlotChannel ch = card.PowerUp();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, ch, "00 A4 02 0C 02 01 01").Sw);
            var r = PaceHarness.Protected(sm, ch, "00 B0 00 00 10");
            Assert.Equal(SecureChannel.SmFailureStatus, r.Sw);
            Assert.Empty(r.Data);
            Assert.False(sm.IsOpen);
            var ssc = new byte[16];
            reader.SecureMessaging!.GetSendSequenceCounter(ssc, 0);
            Assert.All(ssc, b => Assert.Equal(0, b));
            int before = ch.Exchanges;
            byte[] c = Hex.Parse("00 B0 00 00 10");
            Assert.Equal(SecureChannel.Closed, sm.Transmit(ch, c, 0, c.Length, new byte[300], 0));
            Assert.Equal(before, ch.Exchanges);
        }
    }
}
