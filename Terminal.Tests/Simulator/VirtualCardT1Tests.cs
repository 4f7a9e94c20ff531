using System;
using System.Linq;
using System.Text;
using Terminal.Iso7816;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>The generic T=1 card, driven by hand-written blocks.</summary>
    public class VirtualCardT1Tests
    {
        internal static HandReader Connect(string profile = "t1-generic", bool crc = true)
        {
            var r = new HandReader(profile);
            r.PowerUp();
            byte[] atr = r.ReadAtr();
            Assert.Equal(0x3B, atr[0]);
            var pps = r.Pps(1, 0x18);
            Assert.Equal(4, pps.Count);
            r.Line.Wait(372 * 6 + 1);
            r.Fi = 372; r.Di = 12; r.Guard = 11; r.Crc = crc; r.Apply();
            return r;
        }

        [Fact]
        public void Iso7816_3_11_AtrOfTheT1Card_OffersT1WithIfsc254AndCrc()
        {
            var r = new HandReader("t1-generic");
            r.PowerUp();
            byte[] atr = r.ReadAtr();
            var info = new AtrInfo(atr);
            Assert.Equal(new[] { 1 }, info.Protocols.ToArray());
            Assert.Equal(254, info.Ifsc);
            Assert.True(info.Crc);
            Assert.Equal(0, atr.Skip(1).Aggregate(0, (x, b) => x ^ b));
        }

        [Fact]
        public void Iso7816_3_11_4_2_SIfsRequest_IsAnsweredAndChainsTheResponseAtIfsd()
        {
            var r = Connect();
            r.SendBlock(r.Block(0xC1, new byte[] { 0x20 }));
            byte[] resp = r.ReceiveBlock();
            Assert.Equal("00 E1 01 20", Hex.Format(resp, 0, 4));
            Assert.Equal(32, r.Card.Ifsd);

            byte[] sel = r.T1Apdu(Hex.Parse("00 A4 04 0C 08 A0 00 00 00 01 53 49 4D"));
            Assert.Equal("90 00", Hex.Format(sel));
            // 256 data + SW in 32-byte chained blocks.
            byte[] read = r.T1Apdu(Hex.Parse("00 B0 81 00 00"));
            Assert.Equal(258, read.Length);
            Assert.Equal(0x90, read[256]);
            for (int i = 0; i < 256; i++) { Assert.Equal((byte)(i % 251), read[i]); }
            Assert.Empty(r.Card.Observations);
        }

        [Fact]
        public void Iso7816_3_11_6_ReaderChaining_UpdateBinaryOf255BytesIsChainedAtIfsc()
        {
            var r = Connect();
            Assert.Equal("90 00", Hex.Format(r.T1Apdu(Hex.Parse("00 A4 04 0C 08 A0 00 00 00 01 53 49 4D"))));
            byte[] data = Enumerable.Range(0, 255).Select(i => (byte)(255 - i)).ToArray();
            byte[] apdu = Hex.Parse("00 D6 81 00 FF").Concat(data).ToArray();
            Assert.Equal("90 00", Hex.Format(r.T1Apdu(apdu, ifsc: 254)));
            byte[] back = r.T1Apdu(Hex.Parse("00 B0 81 00 FF"));
            Assert.Equal(data, back.Take(255).ToArray());
            Assert.Empty(r.Card.Observations);
        }

        [Fact]
        public void Iso7816_3_11_6_2_WrongSendSequence_IsRecordedAndAnsweredWithAnRBlock()
        {
            var r = Connect();
            r.SendBlock(r.Block(0x40, Hex.Parse("00 A4 00 0C 02 3F 00")));
            byte[] b = r.ReceiveBlock();
            Assert.Equal(0x82, b[1]);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.WrongBlockSequence);
        }

        [Fact]
        public void Iso7816_3_11_6_3_BadEdcFromTheReader_GetsAnRBlockWithTheEdcError()
        {
            var r = Connect();
            byte[] block = r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00"));
            block[^1] ^= 0xFF;
            r.SendBlock(block);
            Assert.Equal(0x81, r.ReceiveBlock()[1]);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.BadEdc);
        }

        [Fact]
        public void Iso7816_3_11_4_3_LongWork_CardRequestsWtx()
        {
            var r = Connect();
            // INS 88 takes 3 s on this card: more than BWT (2^4 x 960 x 372 / 4 MHz = 1.43 s).
            r.SendBlock(r.Block(0x00, Hex.Parse("00 88 00 00 02 01 02 00")));
            byte[] wtx = r.ReceiveBlock();
            Assert.Equal(0xC3, wtx[1]);
            Assert.True(wtx[3] >= 3, $"multiplier {wtx[3]}");
            r.SendBlock(r.Block(0xE3, new[] { wtx[3] }));
            long bwt = r.Etu(11) + 16 * 960 * 372L;
            byte[]? resp = r.ReceiveBlock(bwt * wtx[3], r.Etu(43), out bool bad);
            Assert.NotNull(resp);
            Assert.False(bad);
            Assert.Equal("6D 00", Hex.Format(HandReader.Inf(resp!)));
        }

        [Fact]
        public void Iso7816_3_11_LrcVariant_Works()
        {
            var r = Connect("t1-lrc", crc: false);
            Assert.Equal("90 00", Hex.Format(r.T1Apdu(Hex.Parse("00 A4 04 0C 08 A0 00 00 00 01 53 49 4D"))));
            byte[] text = r.T1Apdu(Hex.Parse("00 B0 82 00 00"));
            Assert.Equal("Terminal simulator T=1 card", Encoding.ASCII.GetString(text, 0, text.Length - 2));
        }

        [Fact]
        public void Iso7816_3_11_GuardTimeOf11Etu_IsAcceptedInT1WithTc1FF_ButIsAViolationForT0Vitale2()
        {
            var r = Connect();
            r.T1Apdu(Hex.Parse("00 A4 00 0C 02 3F 00"));
            Assert.DoesNotContain(r.Card.Observations, o => o.Kind == ReaderObservationKind.GuardTimeViolation);

            var v = new HandReader("vitale2");
            v.PowerUp();
            v.ReadAtr();
            v.Guard = 11; v.Apply();
            v.T0Apdu("00 A4 00 00 02 3F 00");
            Assert.Contains(v.Card.Observations, o => o.Kind == ReaderObservationKind.GuardTimeViolation);
        }
    
        [Fact]
        public void Iso7816_3_11_6_3_RBlockAfterAResponse_TheCardRepeatsItsLastBlock()
        {
            var r = Connect();
            r.SendBlock(r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00")));
            byte[] first = r.ReceiveBlock();
            r.SendBlock(r.Block(0x81, Array.Empty<byte>()));
            byte[] again = r.ReceiveBlock();
            Assert.Equal(first, again);
        }

        [Fact]
        public void Iso7816_3_11_6_3_4_Resynch_ResetsTheSequenceNumbers()
        {
            var r = Connect();
            Assert.Equal("90 00", Hex.Format(r.T1Apdu(Hex.Parse("00 A4 00 0C 02 3F 00"))));
            r.SendBlock(r.Block(0xC0, Array.Empty<byte>()));
            Assert.Equal(0xE0, r.ReceiveBlock()[1]);
            r.T1Ns = 0;
            Assert.Equal("90 00", Hex.Format(r.T1Apdu(Hex.Parse("00 A4 00 0C 02 3F 00"))));
            Assert.DoesNotContain(r.Card.Observations, o => o.Kind == ReaderObservationKind.WrongBlockSequence);
        }

        [Fact]
        public void Iso7816_3_11_4_3_ReaderPausingLongerThanCwtInABlock_IsRecorded()
        {
            var r = Connect();
            byte[] block = r.Block(0x00, Hex.Parse("00 A4 00 0C 02 3F 00"));
            r.Line.Wait(r.Etu(11) + 1);
            r.Send(block[0], block[1], block[2]);
            r.Line.Wait(r.Etu(11 + 32) * 2);
            r.Line.Send(block, 3, block.Length - 3);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.ReaderCwtExceeded);
        }

        [Fact]
        public void Iso7816_3_8_1_ReaderInTheWrongConvention_IsAConventionMismatch()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            r.Convention = Terminal.Iso7816.Convention.Inverse;
            r.Apply();
            Assert.Equal(-1, r.T0("00 A4 00 0C 02", "3F 00").Sw);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.ConventionMismatch);
        }
}
}
