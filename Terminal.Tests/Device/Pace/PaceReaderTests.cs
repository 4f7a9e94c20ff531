using System;
using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.SecureMessaging;
using Terminal.Pace;
using Terminal.Tests.Device.Crypto;
using Terminal.Tests.Device.SecureMessaging;

namespace Terminal.Tests.Device.Pace
{
    /// <summary>The PACE protocol over APDUs (TR-03110-3 B.1): the ICAO 9303-11 G.1 APDU trace byte for byte, then
    /// runs against a test card with random keys on each curve, and each failure the protocol must catch.</summary>
    [TestClass]
    public class PaceReaderTests
    {
        /// <summary>Replays the APDU trace of pace-vectors.txt A (quoted from gmrtd pace_test.go TestDoPace_GM_ECDH):
        /// fails on any command that differs from the trace.</summary>
        private sealed class TraceCard : IApduChannel
        {
            private readonly string[] _trace;
            private int _next;

            public TraceCard(string[] trace)
            {
                _trace = trace;
            }

            public int Exchanges
            {
                get { return _next / 2; }
            }

            public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
            {
                Assert.AreEqual(_trace[_next], TestHex.Format(command, offset, length), "command " + (_next / 2 + 1));
                byte[] r = TestHex.Parse(_trace[_next + 1]);
                _next += 2;
                Array.Copy(r, 0, response, responseOffset, r.Length);
                return r.Length;
            }
        }

        private static readonly string[] IcaoG1Trace =
        {
            "0022C1A40F800A04007F00070202040202830101",
            "9000",
            "10860000027C0000",
            "7C12801095A3A016522EE98D01E76CB6B98B42C39000",
            "10860000457C438141047ACF3EFC982EC45565A4B155129EFBC74650DCBFA6362D896FC70262E0C2CC5E544552DCB6725218799115B55C9BAA6D9F6BC3A9618E70C25AF71777A9C4922D00",
            "7C43824104824FBA91C9CBE26BEF53A0EBE7342A3BF178CEA9F45DE0B70AA601651FBA3F5730D8C879AAA9C9F73991E61B58F4D52EB87A0A0C709A49DC63719363CCD13C549000",
            "10860000457C438341042DB7A64C0355044EC9DF190514C625CBA2CEA48754887122F3A5EF0D5EDD301C3556F3B3B186DF10B857B58F6A7EB80F20BA5DC7BE1D43D9BF850149FBB3646200",
            "7C438441049E880F842905B8B3181F7AF7CAA9F0EFB743847F44A306D2D28C1D9EC65DF6DB7764B22277A2EDDC3C265A9F018F9CB852E111B768B326904B59A0193776F0949000",
            "008600000C7C0A8508C2B0BD78D94BA86600",
            "7C0A86083ABB9674BCE93C089000",
        };

        private static byte[] Ascii(string s)
        {
            byte[] b = new byte[s.Length];
            for (int i = 0; i < s.Length; i++)
            {
                b[i] = (byte)s[i];
            }
            return b;
        }

        [TestMethod]
        public void IcaoG1_ApduTraceByteForByte_ThenAesSmOfPaceVectorsC()
        {
            PaceVectorSet v = PaceVectorSet.Get(0);
            ManagedEcArithmetic ec = new ManagedEcArithmetic(EcCurve.BrainpoolP256r1,
                new ScriptedRandom(new byte[][] { TestHex.Parse(v.SkMapIfd), TestHex.Parse(v.SkDhIfd) }));
            TraceCard card = new TraceCard(IcaoG1Trace);
            PaceReader reader = new PaceReader(card, ManagedCipherFactory.Instance);
            byte[] mrz = Ascii(v.Password);
            Assert.AreEqual(PaceResult.Success, reader.Establish(PaceAlgorithm.EcdhGmAes128, ec, PaceReader.PasswordMrz, mrz, 0, mrz.Length, null, 0, 0));
            Assert.AreEqual(5, card.Exchanges);
            Assert.AreEqual(0x9000, reader.MseStatusWord);

            // The established channel protects SELECT EF.COM exactly as pace-vectors.txt C says (SSC 1).
            SecureMessagingCodec? sm = reader.SecureMessaging;
            Assert.IsNotNull(sm);
            Assert.AreEqual("0CA4020C1D871101EE0E4724F4465C1BE9C2F73ABDD73A3D8E08835D1B54575C955F00",
                SecureMessagingVectorTests.Wrap(sm!, "00A4020C02011E"));
            reader.Close();
            Assert.IsNull(reader.SecureMessaging);
        }

        private static int Run(PaceTestCard card, PaceAlgorithm algorithm, EcCurve curve, int reference, string password, uint seed, out PaceReader reader)
        {
            ManagedEcArithmetic ec = new ManagedEcArithmetic(curve, new TestRandom(seed));
            reader = new PaceReader(card, ManagedCipherFactory.Instance);
            byte[] p = Ascii(password);
            return reader.Establish(algorithm, ec, reference, p, 0, p.Length, null, 0, 0);
        }

        [TestMethod]
        [DataRow(13, 16, 3, "123456")]
        [DataRow(12, 16, 2, "500540")]
        [DataRow(13, 32, 3, "9876")]
        [DataRow(16, 24, 2, "123123")]
        [DataRow(16, 32, 3, "314159")]
        public void PaceWithTestCard_EstablishesTheSameKeysAndAWorkingChannel(int curveId, int keyLength, int reference, string password)
        {
            EcCurve curve = EcCurve.FromParameterId(curveId)!;
            PaceAlgorithm algorithm = keyLength == 16 ? PaceAlgorithm.EcdhGmAes128 : keyLength == 24 ? PaceAlgorithm.EcdhGmAes192 : PaceAlgorithm.EcdhGmAes256;
            PaceTestCard card = new PaceTestCard(algorithm, curve, password, (uint)(curveId * 1000 + keyLength));
            PaceReader reader;
            Assert.AreEqual(PaceResult.Success, Run(card, algorithm, curve, reference, password, (uint)keyLength, out reader));
            Assert.IsTrue(card.Authenticated);
            Assert.AreEqual(reference, card.PasswordReference);

            // The reader's codec and the card's session keys agree: a protected command verifies on the card side.
            CardSide cardSm = new CardSide(new AesSecureMessagingCipher(ManagedCipherFactory.Instance, card.KsEnc, 0, card.KsMac, 0, keyLength), new byte[16]);
            byte[] command = TestHex.Parse("00B0000000");
            byte[] wrapped = new byte[64];
            int n = reader.SecureMessaging!.Wrap(command, 0, command.Length, wrapped, 0);
            byte[] w = new byte[n];
            Array.Copy(wrapped, w, n);
            cardSm.ReceiveCommand(w);
            Assert.IsTrue(cardSm.MacValid);
            byte[] response = cardSm.SendResponse(Ascii("protected file"), 0x9000, true, 0x01, true);
            byte[] plain = new byte[response.Length];
            int m = reader.SecureMessaging.Unwrap(response, 0, response.Length, plain, 0);
            Assert.AreEqual("protected file9000", AsciiAndSw(plain, m));
        }

        private static string AsciiAndSw(byte[] b, int length)
        {
            char[] c = new char[length - 2];
            for (int i = 0; i < length - 2; i++)
            {
                c[i] = (char)b[i];
            }
            return new string(c) + TestHex.Format(b, length - 2, 2);
        }

        [TestMethod]
        public void WrongPin_CardRefusesTheTokenWith6300()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            PaceReader reader;
            Assert.AreEqual(PaceResult.GeneralAuthenticateFailed, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123457", 6, out reader));
            Assert.AreEqual(0x6300, reader.CardStatusWord);
            Assert.IsNull(reader.SecureMessaging);
        }

        [TestMethod]
        public void WrongCan_OnP256_CardRefusesTheToken()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.NistP256, "500540", 5);
            PaceReader reader;
            Assert.AreEqual(PaceResult.GeneralAuthenticateFailed, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.NistP256, 2, "500541", 6, out reader));
            Assert.IsNull(reader.SecureMessaging);
        }

        [TestMethod]
        public void ForgedCardToken_IsDetected()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            card.Fault = PaceTestCard.FaultTamperToken;
            PaceReader reader;
            Assert.AreEqual(PaceResult.TokenMismatch, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123456", 6, out reader));
            Assert.IsNull(reader.SecureMessaging);
        }

        [TestMethod]
        public void CardMappingKeyOffTheCurve_IsRefused()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            card.Fault = PaceTestCard.FaultOffCurveMappingKey;
            PaceReader reader;
            Assert.AreEqual(PaceResult.PointNotOnCurve, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123456", 6, out reader));
            Assert.AreEqual(3, card.Commands, "the reader stops before sending its ephemeral key");
        }

        [TestMethod]
        public void CardEchoingOurEphemeralKey_IsRefused()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            card.Fault = PaceTestCard.FaultEchoDhKey;
            PaceReader reader;
            Assert.AreEqual(PaceResult.SamePublicKeys, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123456", 6, out reader));
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(2)]
        [DataRow(3)]
        [DataRow(4)]
        [DataRow(5)]
        public void CardRemovedMidProtocol_FailsCleanly(int atCommand)
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            card.RemoveAtCommand = atCommand;
            PaceReader reader;
            Assert.AreEqual(PaceResult.TransmitFailed, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123456", 6, out reader));
            Assert.IsNull(reader.SecureMessaging);
        }

        [TestMethod]
        public void MseSetAtRefused_ReportsTheStatusWord()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            card.MseStatus = 0x6A80;
            PaceReader reader;
            Assert.AreEqual(PaceResult.MseSetAtFailed, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123456", 6, out reader));
            Assert.AreEqual(0x6A80, reader.MseStatusWord);
            Assert.AreEqual(1, card.Commands);
        }

        [TestMethod]
        public void MseSetAtRetryCounterWarning_63C2_StillRunsPace()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            card.MseStatus = 0x63C2;
            PaceReader reader;
            Assert.AreEqual(PaceResult.Success, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "123456", 6, out reader));
            Assert.AreEqual(0x63C2, reader.MseStatusWord);
        }

        [TestMethod]
        public void EmptyPasswordIsRefusedBeforeAnyApdu()
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 5);
            PaceReader reader;
            Assert.AreEqual(PaceResult.BadParameter, Run(card, PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, 3, "", 6, out reader));
            Assert.AreEqual(0, card.Commands);
        }


        private sealed class RecordingCard : IApduChannel
        {
            public string First = "";

            public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
            {
                First = TestHex.Format(command, offset, length);
                response[responseOffset] = 0x6A;
                response[responseOffset + 1] = 0x80;
                return 2;
            }
        }

        [TestMethod]
        [DataRow(2, "", "0022C1A40F800A04007F00070202040202830102")]
        [DataRow(3, "7F4C12060904007F0007030102025305000000FF10",
            "0022C1A424800A04007F000702020402028301037F4C12060904007F0007030102025305000000FF10")]
        public void TR03110_B11_1_MseSetAt_PasswordReferenceAndChat(int reference, string chat, string expected)
        {
            RecordingCard card = new RecordingCard();
            PaceReader reader = new PaceReader(card, ManagedCipherFactory.Instance);
            byte[] c = TestHex.Parse(chat);
            byte[] pin = Ascii("123456");
            int r = reader.Establish(PaceAlgorithm.EcdhGmAes128, new ManagedEcArithmetic(EcCurve.BrainpoolP256r1, new TestRandom(1)),
                reference, pin, 0, pin.Length, c.Length == 0 ? null : c, 0, c.Length);
            Assert.AreEqual(PaceResult.MseSetAtFailed, r);
            Assert.AreEqual(expected, card.First);
        }
    }
}
