using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using Terminal.Iso7816;
using Terminal.Simulator;
using Xunit;

namespace Terminal.Tests.Simulator
{
    /// <summary>The byte-level virtual cards in T=0, driven by hand-written reader exchanges.</summary>
    public class VirtualCardT0Tests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _out;

        public VirtualCardT0Tests(Xunit.Abstractions.ITestOutputHelper output) { _out = output; }

        [Fact]
        public void Iso7816_3_8_1_Vitale2_AnswersItsAtrInDirectConvention_AfterItsAtrDelay()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            long rst = r.Line.Now;
            int ts = r.Line.Receive(40_000);
            long afterTs = r.Line.Now;
            Assert.Equal(0x3B, ts);
            // TS starts atrDelayCycles after RST; the reader has it 10 ETU (of 372 cycles) later.
            Assert.InRange(afterTs - (rst + 12_000 + 10 * 372), 0, 2);
            byte[] rest = r.ReceiveN(9);
            Assert.Equal("75 13 00 00 47 09 EA 90 00", Hex.Format(rest));
            Assert.Empty(r.Card.Observations);
        }

        [Fact]
        public void Iso7816_3_8_1_Vitale1_InverseConvention_TsReadsAs03WithParityErrorInDirect_ThenLogicalValues()
        {
            var r = new HandReader("vitale1");
            r.PowerUp();
            int ts = r.Line.Receive(40_000 + r.Etu(9600));
            Assert.Equal(0x03, ts & 0xFF);
            Assert.True((ts & LineStatus.ParityError) != 0, "an inverse character read in direct convention has odd parity");
            r.Convention = Convention.Inverse;
            r.Apply();
            Assert.Equal("65 25 00 2C 09 69 90 00", Hex.Format(r.ReceiveN(8)));
            Assert.Equal(LineStatus.Timeout, r.Line.Receive(r.Etu(9600)));
        }

        [Fact]
        public void Vitale1_RefusesVitale2Selections_ButAnswersItsOwnClass()
        {
            var r = new HandReader("vitale1");
            r.PowerUp();
            Assert.Equal(0x3F, r.ReadAtr()[0]);
            Assert.Equal(Sw.ClaNotSupported, r.T0Apdu("00 A4 04 00 0B D2 50 00 00 02 56 49 54 41 4C 45").Sw);
            Assert.Equal(Sw.ClaNotSupported, r.T0Apdu("00 A4 00 00 02 3F 00").Sw);
            var read = r.T0Apdu("BC B0 81 00 13");
            Assert.Equal(Sw.Ok, read.Sw);
            Assert.Equal("VITALE 1 SIMULATION", Encoding.ASCII.GetString(read.Data));
        }

        [Fact]
        public void Iso7816_3_9_Pps_Vitale2_AcceptsTa1_AndSwitchesToFi372Di4()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            var answer = r.Pps(0, 0x13);
            Assert.Equal(new[] { 0xFF, 0x10, 0x13, 0xFC }, answer.ToArray());
            Assert.True(r.Card.PpsDone);
            Assert.Equal(4, r.Card.CurrentDi);
            r.Line.Wait(372 * 6 + 1);
            r.Fi = 372; r.Di = 4; r.Apply();
            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 00 00 02 3F 00").Sw);
            Assert.DoesNotContain(r.Card.Observations, o => o.Kind == ReaderObservationKind.RateMismatch || o.Kind == ReaderObservationKind.MissingPps);
        }

        [Fact]
        public void Iso7816_3_9_MissingPps_IsRecorded_AndTheCardWorksAtTheDefaultRate()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 00 00 02 3F 00").Sw);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.MissingPps);
        }

        [Fact]
        public void Iso7816_3_9_PpsApplied_WithoutReconfiguringTheReader_IsARateMismatch()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            r.Pps(0, 0x13);
            r.Line.Wait(372 * 6 + 1);
            var res = r.T0(Hex.Parse("00 A4 00 00 02"), Hex.Parse("3F 00"), out _);
            Assert.Equal(-1, res.Sw);
            Assert.Contains(r.Card.Observations, o => o.Kind == ReaderObservationKind.RateMismatch);
        }

        [Fact]
        public void DomainMd_Vitale2_PublicReadSequence_ReturnsProfileNamesAndNir()
        {
            var r = new HandReader("vitale2");
            r.PowerUp();
            r.ReadAtr();
            r.Pps(0, 0x13);
            r.Line.Wait(372 * 6 + 1);
            r.Fi = 372; r.Di = 4; r.Apply();

            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 00 00 02 3F 00").Sw);
            // 00 B0 82 00 00: Le 256 on a shorter file -> 6Cxx, then the corrected Le.
            var first = r.T0("00 B0 82 00 00");
            Assert.Equal(0x6C, first.Sw >> 8);
            var identity = r.T0Apdu("00 B0 82 00 00");
            Assert.Equal(Sw.Ok, identity.Sw);
            string text = Encoding.ASCII.GetString(identity.Data);
            Assert.Contains("TESTEUR", text);
            Assert.Contains("CAMILLE", text);
            Assert.Contains("19850512", text);
            Assert.Equal(0x65, identity.Data[0]);

            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 04 00 0B D2 50 00 00 02 56 49 54 41 4C 45").Sw);
            var holder = r.T0Apdu("00 B0 82 00 00");
            Assert.Equal(Sw.Ok, holder.Sw);
            string nir = FindAscii(holder.Data, 0x93);
            Assert.Equal("185057505612388", nir);
            Assert.True(VitaleData.IsValidNir(nir));
            Assert.Equal(97 - (long.Parse(nir.Substring(0, 13)) % 97), long.Parse(nir.Substring(13)));

            // A protected file answers 6982.
            Assert.Equal(Sw.SecurityNotSatisfied, r.T0("00 B0 90 00 10").Sw);
        }

        private static string FindAscii(byte[] tlv, byte tag)
        {
            for (int i = 0; i + 1 < tlv.Length; i++)
            {
                if (tlv[i] == tag && i + 2 + tlv[i + 1] <= tlv.Length)
                {
                    return Encoding.ASCII.GetString(tlv, i + 2, tlv[i + 1]);
                }
            }
            return "";
        }

        [Fact]
        public void DomainMd_Transmission_64KbReadAfterPpsToTa13_TakesTheEtuArithmeticWithin1Percent()
        {
            CardProfile profile = CardProfile.Load("vitale2");
            profile.Files = new() { new FileSpec { Path = "3F00/0F00", PatternSize = 32768 } };
            var r = new HandReader(VirtualCard.FromProfile(profile));
            r.PowerUp();
            r.ReadAtr();
            r.Pps(0, 0x13);
            r.Line.Wait(372 * 6 + 1);
            r.Fi = 372; r.Di = 4; r.Apply();
            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 00 0C 02 0F 00").Sw);

            long startPs = r.Board.Clock.NowPicoseconds;
            int total = 0;
            for (int i = 0; i < 256; i++)
            {
                int offset = (i * 256) % 32768;
                var res = r.T0(new byte[] { 0x00, 0xB0, (byte)(offset >> 8), (byte)offset, 0x00 }, null, out _);
                Assert.Equal(Sw.Ok, res.Sw);
                Assert.Equal((byte)((offset + 7) % 251), res.Data[7]);
                total += res.Data.Length;
            }
            double elapsed = (r.Board.Clock.NowPicoseconds - startPs) / 1e12;
            Assert.Equal(65536, total);
            // Per READ BINARY: 5 header + 1 procedure byte + 256 data + 2 SW characters of 12 ETU, ETU = 372/4 cycles at 4 MHz.
            double predicted = 256 * (5 + 1 + 256 + 2) * 12 * (372.0 / 4) / 4_000_000;
            _out.WriteLine($"64 KB at 372/4: {elapsed:F4} s virtual, ETU arithmetic {predicted:F4} s, ratio {elapsed / predicted:F5}");
            Assert.InRange(elapsed / predicted, 1.0, 1.01);
        }

        [Fact]
        public void Iso7816_3_10_NullBytes_Cps3WorksSlowlyUnderWi42_ADefaultWwtReaderTimesOut()
        {
            var r = new HandReader("cps3");
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            var verify = r.T0(Hex.Parse("00 20 00 01 04"), Encoding.ASCII.GetBytes("1234"), out _);
            Assert.Equal(Sw.Ok, verify.Sw);
            var auth = r.T0(Hex.Parse("00 88 00 00 23"), Hex.Parse("30 21 30 09 06 05 2B 0E 03 02 1A 05 00 04 14 " + string.Join(" ", Enumerable.Repeat("AB", 20))), out int nulls);
            Assert.Equal(0x6100, auth.Sw);
            Assert.True(nulls >= 1, "the card sends NULL bytes while it signs");

            // The same VERIFY under the default WI (10: WWT 0.89 s) times out: the card takes 1 s.
            var r2 = new HandReader("cps3");
            r2.PowerUp();
            r2.ReadAtr();
            r2.Wi = 10;
            Assert.Equal(-1, r2.T0(Hex.Parse("00 20 00 01 04"), Encoding.ASCII.GetBytes("1234"), out _).Sw);
        }

        [Fact]
        public void DomainMd_Cps3_ThreeWrongPinsBlock6983_UnblockCodeWithNewPinRestores()
        {
            var r = new HandReader("cps3");
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            Assert.Equal(0x63C3, r.T0("00 20 00 01 00").Sw);
            Assert.Equal(0x63C2, r.T0Apdu("00 20 00 01 04 39 39 39 39").Sw);
            Assert.Equal(0x63C1, r.T0Apdu("00 20 00 01 04 39 39 39 39").Sw);
            Assert.Equal(0x6983, r.T0Apdu("00 20 00 01 04 39 39 39 39").Sw);
            Assert.Equal(0x6983, r.T0Apdu("00 20 00 01 04 31 32 33 34").Sw);
            Assert.Equal(0x6983, r.T0("00 20 00 01 00").Sw);
            // Wrong unblock code counts down from 10.
            Assert.Equal(0x63C9, r.T0Apdu("00 2C 00 01 0C 38 37 36 35 34 33 32 31 35 35 35 35").Sw);
            // RESET RETRY COUNTER: unblock code 12345678 then the new PIN 5678.
            Assert.Equal(Sw.Ok, r.T0Apdu("00 2C 00 01 0C 31 32 33 34 35 36 37 38 35 36 37 38").Sw);
            Assert.Equal(0x63C3, r.T0("00 20 00 01 00").Sw);
            Assert.Equal(0x63C2, r.T0Apdu("00 20 00 01 04 31 32 33 34").Sw);
            // Padded form (FF to 8 bytes) is accepted too.
            Assert.Equal(Sw.Ok, r.T0Apdu("00 20 00 01 08 35 36 37 38 FF FF FF FF").Sw);
            Assert.Equal(Sw.Ok, r.T0("00 20 00 01 00").Sw);
            // CHANGE REFERENCE DATA old || new.
            Assert.Equal(Sw.Ok, r.T0Apdu("00 24 00 01 08 35 36 37 38 30 30 30 30").Sw);
            Assert.Equal(Sw.Ok, r.T0Apdu("00 20 00 01 04 30 30 30 30").Sw);
        }

        [Fact]
        public void DomainMd_Cps3_PinStateDroppedOnWarmReset_InternalAuthenticateThen6982()
        {
            var r = new HandReader("cps3");
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            Assert.Equal(Sw.Ok, r.T0Apdu("00 20 00 01 04 31 32 33 34").Sw);
            Assert.Equal(Sw.Ok, r.T0("00 20 00 01 00").Sw);
            r.WarmReset();
            r.ReadAtr();
            Assert.Equal(0x63C3, r.T0("00 20 00 01 00").Sw);
            Assert.Equal(Sw.SecurityNotSatisfied, r.T0Apdu("00 88 00 00 04 01 02 03 04").Sw);
            Assert.Equal(2, r.Card.ResetCount);
        }

        [Fact]
        public void CpsOpensc_Cps3_InternalAuthenticate_SignsWithTheAuthenticationCertificateKey()
        {
            var r = new HandReader("cps3");
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            Assert.Equal(Sw.Ok, r.T0Apdu("00 20 00 01 04 31 32 33 34").Sw);
            Assert.Equal(Sw.Ok, r.T0Apdu("00 22 41 A4 06 84 01 82 80 01 02").Sw);
            byte[] hash = System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes("hello"));
            string digestInfo = "30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 " + Hex.Format(hash);
            var sig = r.T0Apdu("00 88 00 00 33 " + digestInfo);
            Assert.Equal(Sw.Ok, sig.Sw);
            Assert.Equal(256, sig.Data.Length);

            // Read the authentication certificate through the card and verify the signature with it.
            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 09 0C 06 3F 00 00 01 70 02").Sw);
            var cert = new System.Collections.Generic.List<byte>();
            for (int off = 0; ; off += 256)
            {
                var part = r.T0Apdu($"00 B0 {off >> 8:X2} {off & 0xFF:X2} 00");
                if (part.Sw != Sw.Ok) { break; }
                cert.AddRange(part.Data);
                if (part.Data.Length < 256) { break; }
            }
            using var x509 = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(cert.ToArray());
            using var rsa = System.Security.Cryptography.X509Certificates.RSACertificateExtensions.GetRSAPublicKey(x509)!;
            Assert.True(rsa.VerifyHash(hash, sig.Data, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
            Assert.Contains("not real", x509.Subject);
        }

        [Fact]
        public void CpsOpensc_Cps3_StartupSequenceOfOpenSc()
        {
            var r = new HandReader("cps3");
            r.PowerUp();
            r.ReadAtr();
            r.Wi = 42;
            var fcp = r.T0Apdu("00 A4 09 04 04 3F 00 2F 01");
            Assert.Equal(Sw.Ok, fcp.Sw);
            Assert.Equal(0x62, fcp.Data[0]);
            Assert.Contains("8C 07 7B", Hex.Format(fcp.Data));
            var atr = r.T0Apdu("00 B0 00 00 39");
            Assert.Equal(Sw.Ok, atr.Sw);
            Assert.Equal(IasEccApplication.EfAtr, atr.Data);
            Assert.Equal(Sw.Ok, r.T0Apdu("00 A4 04 04 08 80 25 00 00 01 FF 01 00").Sw);
            var sn = r.T0Apdu("00 B0 9C 00 0C");
            Assert.Equal("5A 0A 80 25 00 00 01 99 21 38 45 00", Hex.Format(sn.Data));
            var pin = r.T0Apdu("00 CB 3F FF 0A 4D 08 70 06 BF 81 01 02 A0 80");
            Assert.Equal(Sw.Ok, pin.Sw);
            Assert.StartsWith("70 16 BF 81 01 12 A0 10 9A 01 03 9B 01 03", Hex.Format(pin.Data));
            var odf = r.T0Apdu("00 A4 09 04 06 3F 00 00 01 50 31");
            Assert.Equal(Sw.Ok, odf.Sw);
            Assert.Equal("A0 06 30 04 04 02 50 34 A4 06 30 04 04 02 50 36 A8 06 30 04 04 02 50 33", Hex.Format(r.T0Apdu("00 B0 00 00 18").Data));
        }

        [Fact]
        public void Cps4_AtrWithTa18_PpsToDi12()
        {
            var r = new HandReader("cps4");
            r.PowerUp();
            Assert.Equal("3B DC 18 FF 00 00 12 25 00 64 80 00 04 01 00 90 00", Hex.Format(r.ReadAtr()));
            var pps = r.Pps(0, 0x18);
            Assert.True(pps.Count == 4, string.Join(" ", pps.Select(x => x.ToString("X"))) + " " + string.Join("; ", r.Card.Observations));
            Assert.Equal(new[] { 0xFF, 0x10, 0x18, 0xF7 }, pps.ToArray());
            Assert.Equal(12, r.Card.CurrentDi);
        }

        [Fact]
        public void Clock_A30SecondTimeoutCostsNoRealTime()
        {
            var r = new HandReader("vitale2");
            r.Card.Faults.Mute = true;
            r.PowerUp();
            r.Line.Receive(40_000);
            r.ReceiveN(9);
            var sw = Stopwatch.StartNew();
            long before = r.Line.Now;
            Assert.Equal(LineStatus.Timeout, r.Line.Receive(30L * 4_000_000));
            Assert.Equal(30L * 4_000_000, r.Line.Now - before);
            Assert.True(sw.ElapsedMilliseconds < 1000);
        }
    }
}
