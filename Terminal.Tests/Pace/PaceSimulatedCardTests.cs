using System;
using System.Text;
using Terminal.Pace;
using Terminal.Simulator;
using Terminal.Simulator.Pace;
using Xunit;

namespace Terminal.Tests.Pace
{
    /// <summary>
    /// PACE (TR-03110-3 B.1, ICAO 9303-11 4.4) between the reader's <see cref="PaceReader"/> and the simulator's
    /// independently written card side (<see cref="PaceCardApplication"/>), at byte level over T=1 on a virtual
    /// slot; then the host's plain APDUs through <see cref="SecureChannel"/> to the card's SM-protected files.
    /// </summary>
    public class PaceSimulatedCardTests
    {
        private const string ProtectedText = "PROTECTED FILE OF THE PACE TEST CARD: read only under secure messaging";

        private static (VirtualBoard Board, PaceCardApplication App, T1SlotChannel Channel) Card(PaceCardSettings? settings = null)
        {
            VirtualCard card;
            if (settings == null)
            {
                card = PaceCard.FromProfile("pace-test");
            }
            else
            {
                CardProfile profile = CardProfile.Load("pace-test");
                var app = new PaceCardApplication(settings);
                app.AddFiles(profile.Files);
                card = new VirtualCard(profile, app);
            }
            var board = new VirtualBoard();
            board.Slots[1].Insert(card);
            return (board, (PaceCardApplication)card.Application, T1SlotChannel.PowerUp(board, 1));
        }

        [Fact]
        public void Tr03110_3_A1_1_EfCardAccessInPlain_NamesGmAes128OnBrainpoolP256r1_AndProtectedFilesRefusePlainReads()
        {
            var (_, _, ch) = Card();
            CardAccess access = PaceHarness.ReadCardAccess(ch);
            Assert.Same(PaceAlgorithm.EcdhGmAes128, access.Algorithm);
            Assert.Equal(13, access.ParameterId);
            Assert.Equal(2, access.Version);
            Assert.Equal(0x9000, ch.Plain("00 A4 02 0C 02 01 01").Sw);
            Assert.Equal(0x6982, ch.Plain("00 B0 00 00 10").Sw);
        }

        [Theory]
        [InlineData(13, 16)]
        [InlineData(12, 16)]
        [InlineData(13, 24)]
        [InlineData(16, 32)]
        public void Tr03110_3_B1_PacePin_OnEachCurveAndKeyLength_ThenProtectedFileReadInPlainApdus(int parameterId, int keyLength)
        {
            var (_, app, ch) = Card(new PaceCardSettings { ParameterId = parameterId, KeyLength = keyLength });
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader reader));
            Assert.Equal(0x9000, reader.MseStatusWord);
            Assert.True(app.ChannelOpen);
            Assert.Equal(PaceReader.PasswordPin, app.ChannelPassword);

            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, ch, "00 A4 02 0C 02 01 01").Sw);
            var read = PaceHarness.Protected(sm, ch, $"00 B0 00 00 {ProtectedText.Length:X2}");
            Assert.Equal(0x9000, read.Sw);
            Assert.Equal(ProtectedText, Encoding.ASCII.GetString(read.Data));
            Assert.True(sm.IsOpen);
            Assert.Equal(2, app.ProtectedCommands);
        }

        [Fact]
        public void Tr03110_3_F_SecureMessaging_LongProtectedFileReadInChunks_MatchesThePatternByteForByte()
        {
            var (_, app, ch) = Card();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, ch, "00 A4 02 0C 02 01 02").Sw);
            byte[] all = PaceHarness.ReadAll(sm, ch, 600, 0xDF);
            // The simulator's pattern files hold i mod 251 at offset i.
            for (int i = 0; i < all.Length; i++) { Assert.Equal((byte)(i % 251), all[i]); }
            Assert.True(sm.IsOpen);
            Assert.Equal(4, app.ProtectedCommands);
        }

        [Fact]
        public void Tr03110_3_B1_PacePin_ThroughTheFirmwaresIso7816Engine_CardSessionT1_ThenProtectedRead()
        {
            var (board, app, _) = Card();
            var engine = new EngineChannel(board.Slots[1].Line);
            Assert.Equal(1, engine.Session.Protocol);
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(engine, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, engine, "00 A4 02 0C 02 01 02").Sw);
            byte[] all = PaceHarness.ReadAll(sm, engine, 600, 0xDF);
            for (int i = 0; i < all.Length; i++) { Assert.Equal((byte)(i % 251), all[i]); }
            Assert.Equal(4, app.ProtectedCommands);
            Assert.Empty(board.Slots[1].Card!.Observations);
        }

        [Fact]
        public void Tr03110_3_B1_PaceCan_EstablishesTheChannel_AndReadsTheProtectedFile()
        {
            var (_, app, ch) = Card();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordCan, "500540", out PaceReader reader));
            Assert.Equal(PaceReader.PasswordCan, app.ChannelPassword);
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            var read = PaceHarness.Protected(sm, ch, $"00 B0 81 00 {ProtectedText.Length:X2}");
            Assert.Equal(0x9000, read.Sw);
            Assert.Equal(ProtectedText, Encoding.ASCII.GetString(read.Data));
            Assert.Equal(3, app.PinTriesLeft);
        }

        [Fact]
        public void Tr03110_2_PinRetryCounter_WrongPinCountsDown_CorrectPinResets_ThirdWrongBlocks()
        {
            var (_, app, ch) = Card();
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "654321", out PaceReader r1));
            Assert.Equal(0x63C2, r1.CardStatusWord);
            Assert.Null(r1.SecureMessaging);
            Assert.False(app.HoldsKeys);
            Assert.Equal(2, app.PinTriesLeft);

            // MSE:Set AT now warns with the counter (PC/SC part 10 amd. 1 reports it to the host).
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader r2));
            Assert.Equal(0x63C2, r2.MseStatusWord);
            Assert.Equal(3, app.PinTriesLeft);

            for (int left = 2; left >= 0; left--)
            {
                Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "000000", out PaceReader rw));
                Assert.Equal(0x63C0 | left, rw.CardStatusWord);
                Assert.Null(rw.SecureMessaging);
            }
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader rb));
            Assert.Equal(0x63C0, rb.MseStatusWord);
            Assert.Equal(0x6983, rb.CardStatusWord);
            Assert.Null(rb.SecureMessaging);
            Assert.False(app.ChannelOpen);
        }

        [Fact]
        public void Tr03110_3_B1_WrongCan_Answers6300_AndLeavesThePinCounterAlone()
        {
            var (_, app, ch) = Card();
            Assert.Equal(PaceResult.GeneralAuthenticateFailed, PaceHarness.Establish(ch, PaceReader.PasswordCan, "111111", out PaceReader r));
            Assert.Equal(0x6300, r.CardStatusWord);
            Assert.Null(r.SecureMessaging);
            Assert.False(app.HoldsKeys);
            Assert.Equal(3, app.PinTriesLeft);
            Assert.Equal(0x6982, ch.Plain("00 B0 81 00 10").Sw);
        }

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        [InlineData(3)]
        [InlineData(4)]
        [InlineData(5)]
        public void Tr03110_3_B1_CardRemovedBeforeExchangeN_GivesTransmitFailed_AndNoKeys(int exchange)
        {
            var (board, app, ch) = Card();
            // Exchange 0 is the EF.CardAccess read; 1 MSE:Set AT; 2..5 the General Authenticate steps.
            ch.BeforeExchange = i => { if (i == exchange) { board.Slots[1].Remove(); } };
            Assert.Equal(PaceResult.TransmitFailed, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader r));
            Assert.Null(r.SecureMessaging);
            Assert.False(app.HoldsKeys, "the removed card lost its session state");
            Assert.Equal(3, app.PinTriesLeft);
        }

        [Fact]
        public void Tr03119_SecureMessaging_CardRemovedDuringTheChannel_ClosesIt()
        {
            var (board, _, ch) = Card();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            board.Slots[1].Remove();
            byte[] c = Hex.Parse("00 B0 81 00 10");
            Assert.Equal(SecureChannel.TransmitFailed, sm.Transmit(ch, c, 0, c.Length, new byte[300], 0));
            Assert.False(sm.IsOpen);
            Assert.Equal(SecureChannel.Closed, sm.Transmit(ch, c, 0, c.Length, new byte[300], 0));
        }

        [Fact]
        public void Icao9303_11_9_8_TamperedMacInAResponse_EndsTheChannelWith6988_KeysWiped_NothingMoreSent()
        {
            var (_, app, ch) = Card();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var sm = new SecureChannel(reader.SecureMessaging!, 261, 300);
            Assert.Equal(0x9000, PaceHarness.Protected(sm, ch, "00 A4 02 0C 02 01 01").Sw);
            app.TamperNextResponseMac = true;
            var r = PaceHarness.Protected(sm, ch, "00 B0 00 00 10");
            Assert.Equal(SecureChannel.SmFailureStatus, r.Sw);
            Assert.Empty(r.Data);
            Assert.False(sm.IsOpen);
            Assert.NotEqual(0, sm.LastError);
            var ssc = new byte[16];
            reader.SecureMessaging!.GetSendSequenceCounter(ssc, 0);
            Assert.All(ssc, b => Assert.Equal(0, b));
            reader.Close();
            Assert.Null(reader.SecureMessaging);
            int before = ch.Exchanges;
            byte[] c = Hex.Parse("00 B0 00 00 10");
            Assert.Equal(SecureChannel.Closed, sm.Transmit(ch, c, 0, c.Length, new byte[300], 0));
            Assert.Equal(before, ch.Exchanges);
        }

        [Fact]
        public void Icao9303_11_9_8_CardSide_TamperedCommandMac_AnsweredPlain6988_AndTheCardEndsTheChannel()
        {
            var (_, app, ch) = Card();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out PaceReader reader));
            var codec = reader.SecureMessaging!;
            byte[] plain = Hex.Parse("00 A4 02 0C 02 01 01");
            var wrapped = new byte[300];
            int n = codec.Wrap(plain, 0, plain.Length, wrapped, 0);
            wrapped[n - 2] ^= 0x40; // last MAC byte (Le 00 follows)
            var resp = new byte[300];
            Assert.Equal(2, ch.Transmit(wrapped, 0, n, resp, 0));
            Assert.Equal("69 88", Hex.Format(resp, 0, 2));
            Assert.False(app.ChannelOpen);
            Assert.False(app.HoldsKeys);
        }

        [Fact]
        public void Tr03110_3_B1_ResetAfterPace_TheCardForgetsTheChannel_AndThePlainReadIsRefusedAgain()
        {
            var (board, app, ch) = Card();
            Assert.Equal(PaceResult.Success, PaceHarness.Establish(ch, PaceReader.PasswordPin, "123456", out _));
            // Deactivation then a cold reset (ISO/IEC 7816-3 6.4, 6.2.2).
            ch.Reader.Line.SetReset(false);
            ch.Reader.Line.SetClock(false);
            ch.Reader.Line.SetVcc(Terminal.Iso7816.VoltageClass.None);
            ch.Reader.Line.Wait(10000);
            var again = T1SlotChannel.PowerUp(board, 1);
            Assert.False(app.ChannelOpen);
            Assert.False(app.HoldsKeys);
            Assert.Equal(0x6982, again.Plain("00 B0 81 00 10").Sw);
        }
    }
}
