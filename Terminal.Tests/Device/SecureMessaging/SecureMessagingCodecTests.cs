using System;
using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.SecureMessaging;
using Terminal.Tests.Device.Crypto;

namespace Terminal.Tests.Device.SecureMessaging
{
    /// <summary>ISO/IEC 7816-4 §10 encoding rules of the codec: cases, lengths, classes, odd INS, and every
    /// documented error of a response, checked against an independent card side.</summary>
    [TestClass]
    public class SecureMessagingCodecTests
    {
        private const string KEnc = "F5F0E35C0D7161EE6724EE513A0D9A7F";
        private const string KMac = "FE251C7858B356B24514B3BD5F4297D1";
        private const string Zero16 = "00000000000000000000000000000000";

        private SecureMessagingCodec _reader = null!;
        private CardSide _card = null!;

        [Setup]
        public void Setup()
        {
            _reader = SecureMessagingVectorTests.Aes(KEnc, KMac, Zero16);
            byte[] e = TestHex.Parse(KEnc);
            byte[] m = TestHex.Parse(KMac);
            _card = new CardSide(new AesSecureMessagingCipher(ManagedCipherFactory.Instance, e, 0, m, 0, 16), TestHex.Parse(Zero16));
        }

        private static byte[] Bytes(int count, int seed)
        {
            byte[] b = new byte[count];
            for (int i = 0; i < count; i++)
            {
                b[i] = (byte)(seed + 7 * i);
            }
            return b;
        }

        private byte[] WrapBytes(byte[] command)
        {
            byte[] output = new byte[command.Length + SecureMessagingCodec.MaxWrapOverhead];
            int n = _reader.Wrap(command, 0, command.Length, output, 0);
            Assert.IsTrue(n > 0, "wrap failed: " + n);
            byte[] r = new byte[n];
            Array.Copy(output, r, n);
            return r;
        }

        private int UnwrapInto(byte[] response, byte[] output)
        {
            return _reader.Unwrap(response, 0, response.Length, output, 0);
        }

        [TestMethod]
        public void Iso7816_4_10_MaxWrapOverhead_HoldsForEveryLengthAndIsReached()
        {
            // Every short Lc with and without Le, even and odd INS, and extended commands around the
            // 16-byte block boundary: the protected command fits in length + MaxWrapOverhead, and the
            // bound is tight (a short case 4 with Lc 240 grows into an extended one, 37 bytes longer).
            int worst = 0;
            byte[] output = new byte[65544 + SecureMessagingCodec.MaxWrapOverhead];
            for (int form = 0; form < 4; form++)
            {
                int limit = form < 2 ? 255 : 300;
                for (int lc = 1; lc <= limit; lc++)
                {
                    bool extended = form >= 2;
                    bool withLe = form % 2 == 1;
                    byte[] command = new byte[4 + (extended ? 3 : 1) + lc + (withLe ? (extended ? 2 : 1) : 0)];
                    command[1] = (byte)(lc % 2 == 0 ? 0xD6 : 0xDB);
                    int o = 4;
                    if (extended)
                    {
                        command[o++] = 0;
                        command[o++] = (byte)(lc >> 8);
                    }
                    command[o++] = (byte)lc;
                    o += lc;
                    if (withLe)
                    {
                        command[o] = 0x10;
                    }
                    int n = _reader.Wrap(command, 0, command.Length, output, 0);
                    Assert.IsTrue(n > 0, $"form {form} Lc {lc}: wrap {n}");
                    Assert.IsTrue(n - command.Length <= SecureMessagingCodec.MaxWrapOverhead, $"form {form} Lc {lc}: {n - command.Length} bytes added");
                    if (n - command.Length > worst)
                    {
                        worst = n - command.Length;
                    }
                    byte[] exact = new byte[command.Length + SecureMessagingCodec.MaxWrapOverhead];
                    Assert.IsTrue(_reader.Wrap(command, 0, command.Length, exact, 0) > 0, $"form {form} Lc {lc}: refused with length + MaxWrapOverhead");
                }
            }
            Assert.AreEqual(SecureMessagingCodec.MaxWrapOverhead, worst);
        }

        [TestMethod]
        public void Iso7816_4_10_Case1_OnlyChecksumAndLe00()
        {
            byte[] wrapped = WrapBytes(TestHex.Parse("00700000"));
            Assert.AreEqual(16, wrapped.Length);
            Assert.AreEqual("0C7000000A8E08", TestHex.Format(wrapped, 0, 7));
            Assert.AreEqual(0, (int)wrapped[15]);
            byte[] data = _card.ReceiveCommand(wrapped);
            Assert.IsTrue(_card.MacValid);
            Assert.AreEqual(0, data.Length);
            Assert.AreEqual(-1, _card.Le);
        }

        [TestMethod]
        [DataRow("00B0000000", 1, 0)]
        [DataRow("00B00000FF", 1, 255)]
        [DataRow("00B00000000000", 2, 0)]
        [DataRow("00B00000000200", 2, 512)]
        public void Iso7816_4_10_Case2_Do97CarriesLeInTheCommandsLengthForm(string command, int leBytes, int le)
        {
            byte[] wrapped = WrapBytes(TestHex.Parse(command));
            _card.ReceiveCommand(wrapped);
            Assert.IsTrue(_card.MacValid);
            Assert.AreEqual(leBytes, _card.LeBytes);
            Assert.AreEqual(le, _card.Le);
            Assert.AreEqual(leBytes == 2, _card.Extended);
        }

        [TestMethod]
        [DataRow(1)]
        [DataRow(15)]
        [DataRow(16)]
        [DataRow(17)]
        [DataRow(200)]
        [DataRow(255)]
        public void Iso7816_4_10_Case3Short_EncryptsPaddedData(int lc)
        {
            byte[] data = Bytes(lc, lc);
            byte[] command = new byte[5 + lc];
            command[1] = 0xD6;
            command[4] = (byte)lc;
            Array.Copy(data, 0, command, 5, lc);
            byte[] wrapped = WrapBytes(command);
            byte[] received = _card.ReceiveCommand(wrapped);
            Assert.IsTrue(_card.MacValid);
            Assert.AreEqual(0x87, _card.CryptogramTag);
            Assert.AreEqual(TestHex.Format(data), TestHex.Format(received));
            Assert.AreEqual(-1, _card.Le);
            // 255 bytes of data give 256 + 1 + 3 + 10 bytes of objects: Lc' no longer fits a short APDU.
            Assert.AreEqual(lc > 230, _card.Extended);
            Assert.AreEqual(0x0C, _card.Cla);
        }

        [TestMethod]
        public void Iso7816_4_10_Case4Extended_LongDataAndLe()
        {
            int lc = 1000;
            byte[] data = Bytes(lc, 3);
            byte[] command = new byte[7 + lc + 2];
            command[1] = 0xDA;
            command[5] = (byte)(lc >> 8);
            command[6] = (byte)lc;
            Array.Copy(data, 0, command, 7, lc);
            command[7 + lc] = 0x01;
            command[8 + lc] = 0x00;
            byte[] wrapped = WrapBytes(command);
            Assert.AreEqual(0, (int)wrapped[4]);
            Assert.AreEqual(0x87, (int)wrapped[7]);
            Assert.AreEqual(0x82, (int)wrapped[8]);
            byte[] received = _card.ReceiveCommand(wrapped);
            Assert.IsTrue(_card.MacValid);
            Assert.IsTrue(_card.Extended);
            Assert.AreEqual(TestHex.Format(data), TestHex.Format(received));
            Assert.AreEqual(256, _card.Le);
            Assert.AreEqual(2, _card.LeBytes);
        }

        [TestMethod]
        public void Iso7816_4_10_OddIns_UsesDo85WithoutPaddingIndicator()
        {
            byte[] wrapped = WrapBytes(TestHex.Parse("00B100000454020000" + "00"));
            Assert.AreEqual(0x85, (int)wrapped[5]);
            Assert.AreEqual(0x10, (int)wrapped[6]);
            byte[] received = _card.ReceiveCommand(wrapped);
            Assert.IsTrue(_card.MacValid);
            Assert.AreEqual(0x85, _card.CryptogramTag);
            Assert.AreEqual("54020000", TestHex.Format(received));
        }

        [TestMethod]
        [DataRow(0x00, 0x0C)]
        [DataRow(0x10, 0x1C)]
        [DataRow(0x01, 0x0D)]
        [DataRow(0x80, 0x8C)]
        [DataRow(0x40, 0x60)]
        [DataRow(0x50, 0x70)]
        public void Iso7816_4_5_4_1_ProtectedClass(int cla, int expected)
        {
            byte[] wrapped = WrapBytes(new byte[] { (byte)cla, 0xA4, 0x00, 0x0C });
            Assert.AreEqual(expected, (int)wrapped[0]);
            _card.ReceiveCommand(wrapped);
            Assert.IsTrue(_card.MacValid, "the protected header (with the new CLA) is what is authenticated");
        }

        [TestMethod]
        [DataRow("00A4")]
        [DataRow("FFA4000C")]
        [DataRow("0CA4000C")]
        [DataRow("04A4000C")]
        [DataRow("20A4000C")]
        [DataRow("60A4000C")]
        public void WrapRejectsMalformedCommandsAndUnprotectableClasses(string command)
        {
            byte[] c = TestHex.Parse(command);
            byte[] output = new byte[64];
            int n = _reader.Wrap(c, 0, c.Length, output, 0);
            if (c.Length < 4)
            {
                Assert.AreEqual(SecureMessagingError.MalformedCommand, n);
            }
            else
            {
                Assert.AreEqual(SecureMessagingError.UnsupportedClass, n);
            }
            Assert.AreEqual(Zero16, SecureMessagingVectorTests.Ssc(_reader), "a refused command does not count");
        }

        [TestMethod]
        [DataRow("00D6000003AABB")]
        [DataRow("00D6000002AABBCCDD")]
        [DataRow("00D600000000")]
        [DataRow("00D60000000003AABB")]
        [DataRow("00D6000000000000")]
        public void Iso7816_4_5_1_WrapRejectsLengthFieldsThatDisagree(string command)
        {
            byte[] c = TestHex.Parse(command);
            byte[] output = new byte[64];
            Assert.AreEqual(SecureMessagingError.MalformedCommand, _reader.Wrap(c, 0, c.Length, output, 0));
        }

        [TestMethod]
        public void WrapReportsAShortOutputBuffer()
        {
            byte[] c = TestHex.Parse("00B0000004");
            byte[] output = new byte[18];
            Assert.AreEqual(SecureMessagingError.OutputTooSmall, _reader.Wrap(c, 0, c.Length, output, 0));
            Assert.AreEqual(19, _reader.Wrap(c, 0, c.Length, new byte[19], 0));
        }

        private void SendCommand()
        {
            _card.ReceiveCommand(WrapBytes(TestHex.Parse("00B0000000")));
            Assert.IsTrue(_card.MacValid);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        [DataRow(15)]
        [DataRow(16)]
        [DataRow(256)]
        [DataRow(3000)]
        public void Iso7816_4_10_ResponseRoundTrip(int length)
        {
            SendCommand();
            byte[] data = Bytes(length, 11);
            byte[] response = _card.SendResponse(data, 0x9000, true, 0x01, true);
            byte[] output = new byte[response.Length];
            int n = UnwrapInto(response, output);
            Assert.AreEqual(length + 2, n);
            Assert.AreEqual(TestHex.Format(data) + "9000", TestHex.Format(output, 0, n));
        }

        [TestMethod]
        public void ResponseWarningStatusComesFromDo99()
        {
            SendCommand();
            byte[] response = _card.SendResponse(new byte[0], 0x6282, true, 0x01, true);
            response[response.Length - 2] = 0x90;
            response[response.Length - 1] = 0x00;
            byte[] output = new byte[16];
            Assert.AreEqual(2, UnwrapInto(response, output));
            Assert.AreEqual("6282", TestHex.Format(output, 0, 2));
            Assert.AreEqual(0x6282, _reader.LastStatusWord);
        }

        [TestMethod]
        public void TamperedChecksumIsRejected()
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(20, 1), 0x9000, true, 0x01, true);
            response[response.Length - 3] ^= 0x01;
            Assert.AreEqual(SecureMessagingError.ChecksumMismatch, UnwrapInto(response, new byte[64]));
        }

        [TestMethod]
        [DataRow(3)]
        [DataRow(20)]
        [DataRow(37)]
        public void TamperedCryptogramOrStatusIsRejected(int at)
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(20, 1), 0x9000, true, 0x01, true);
            response[at] ^= 0x80;
            Assert.AreEqual(SecureMessagingError.ChecksumMismatch, UnwrapInto(response, new byte[64]));
        }

        [TestMethod]
        public void ResponseWithTheCommandsCounterIsRejected()
        {
            // A replayed or reordered response: MAC computed under the wrong SSC.
            SendCommand();
            byte[] first = _card.SendResponse(Bytes(4, 1), 0x9000, true, 0x01, true);
            Assert.AreEqual(6, UnwrapInto(first, new byte[64]));
            SendCommand();
            Assert.AreEqual(SecureMessagingError.ChecksumMismatch, UnwrapInto(first, new byte[64]));
        }

        [TestMethod]
        [DataRow("6987")]
        [DataRow("6988")]
        [DataRow("6A82")]
        public void PlainStatusMeansTheCardLeftSecureMessaging(string sw)
        {
            SendCommand();
            Assert.AreEqual(SecureMessagingError.PlainStatus, UnwrapInto(TestHex.Parse(sw), new byte[8]));
            Assert.AreEqual(TestHex.Format(TestHex.Parse(sw)), TestHex.Format(new byte[] { (byte)(_reader.LastStatusWord >> 8), (byte)_reader.LastStatusWord }));
        }

        [TestMethod]
        public void ResponseWithoutDo99IsRejectedAfterTheChecksum()
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(4, 1), 0x9000, false, 0x01, true);
            Assert.AreEqual(SecureMessagingError.MissingStatus, UnwrapInto(response, new byte[64]));
        }

        [TestMethod]
        public void ResponseWithoutDo8EIsRejected()
        {
            SendCommand();
            Assert.AreEqual(SecureMessagingError.MissingChecksum, UnwrapInto(TestHex.Parse("990290009000"), new byte[8]));
        }

        [TestMethod]
        public void WrongPaddingInsideAnAuthenticCryptogramIsRejected()
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(16, 1), 0x9000, true, 0x01, false);
            byte[] output = new byte[64];
            Assert.AreEqual(SecureMessagingError.BadPadding, UnwrapInto(response, output));
            Assert.AreEqual(TestHex.Format(new byte[16]), TestHex.Format(output, 0, 16), "no plaintext left behind");
        }

        [TestMethod]
        public void PaddingIndicatorOtherThan01IsRejected()
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(5, 1), 0x9000, true, 0x02, true);
            Assert.AreEqual(SecureMessagingError.MalformedResponse, UnwrapInto(response, new byte[64]));
        }

        [TestMethod]
        [DataRow("8E089000")]
        [DataRow("99029000")]
        [DataRow("9903900000008E0800000000000000009000")]
        [DataRow("8E0800000000000000009902900000009000")]
        [DataRow("87839000")]
        [DataRow("87FF01009000")]
        [DataRow("8E070000000000000000009000")]
        public void MalformedResponseObjectsAreRejected(string response)
        {
            SendCommand();
            int r = UnwrapInto(TestHex.Parse(response), new byte[64]);
            Assert.IsTrue(r == SecureMessagingError.MalformedResponse || r == SecureMessagingError.MissingChecksum, "got " + r);
        }

        [TestMethod]
        public void UnknownObjectIsRejected()
        {
            SendCommand();
            Assert.AreEqual(SecureMessagingError.UnexpectedObject, UnwrapInto(TestHex.Parse("810101990290008E0800000000000000009000"), new byte[64]));
        }

        [TestMethod]
        public void UnwrapReportsAShortOutputBuffer()
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(20, 1), 0x9000, true, 0x01, true);
            Assert.AreEqual(SecureMessagingError.OutputTooSmall, UnwrapInto(response, new byte[33]));
        }

        [TestMethod]
        public void ClearWipesTheCounter()
        {
            SendCommand();
            _reader.Clear();
            Assert.AreEqual(Zero16, SecureMessagingVectorTests.Ssc(_reader));
        }

        [TestMethod]
        public void TripleDesSuiteRoundTrip()
        {
            byte[] e = TestHex.Parse("979EC13B1CBFE9DCD01AB0FED307EAE5");
            byte[] m = TestHex.Parse("F1CB1F1FB5ADF208806B89DC579DC1F8");
            byte[] ssc = TestHex.Parse("887022120C06C226");
            SecureMessagingCodec reader = new SecureMessagingCodec(new TripleDesSecureMessagingCipher(ManagedCipherFactory.Instance, e, 0, m, 0), ssc, 0);
            CardSide card = new CardSide(new TripleDesSecureMessagingCipher(ManagedCipherFactory.Instance, e, 0, m, 0), ssc);
            byte[] command = TestHex.Parse("00D600000B68656C6C6F20636172642100");
            byte[] wrapped = new byte[64];
            int n = reader.Wrap(command, 0, command.Length, wrapped, 0);
            byte[] w = new byte[n];
            Array.Copy(wrapped, w, n);
            Assert.AreEqual("68656C6C6F2063617264", TestHex.Format(card.ReceiveCommand(w)).Substring(0, 20));
            Assert.IsTrue(card.MacValid);
            byte[] response = card.SendResponse(Bytes(100, 9), 0x9000, true, 0x01, true);
            byte[] output = new byte[response.Length];
            Assert.AreEqual(102, reader.Unwrap(response, 0, response.Length, output, 0));
            Assert.AreEqual(TestHex.Format(Bytes(100, 9)), TestHex.Format(output, 0, 100));
        }


        [TestMethod]
        public void EveryAlteredByteOfAProtectedResponseIsRejected()
        {
            SendCommand();
            byte[] response = _card.SendResponse(Bytes(40, 5), 0x9000, true, 0x01, true);
            byte[] output = new byte[response.Length];
            // Every byte but the plain trailer SW1 SW2 (not authenticated; the status comes from DO'99').
            for (int i = 0; i < response.Length - 2; i++)
            {
                // Rewind to the command's counter (1) so each attempt is checked under the response's (2).
                byte[] ssc = new byte[16];
                ssc[15] = 1;
                _reader.SetSendSequenceCounter(ssc, 0);
                byte[] altered = new byte[response.Length];
                Array.Copy(response, altered, response.Length);
                altered[i] ^= (byte)(1 << (i % 8));
                int r = _reader.Unwrap(altered, 0, altered.Length, output, 0);
                Assert.IsTrue(r < 0, "byte " + i + " altered but accepted");
            }
        }

        [TestMethod]
        public void RandomResponsesNeverThrowAndAreNeverAccepted()
        {
            TestRandomBytes random = new TestRandomBytes(99);
            byte[] output = new byte[300];
            for (int round = 0; round < 3000; round++)
            {
                int length = random.Next(60);
                byte[] response = new byte[length];
                random.Fill(response);
                if (round % 3 == 0 && length > 4)
                {
                    // Plausible structure: start with a known tag.
                    response[0] = (byte)(round % 2 == 0 ? 0x87 : 0x99);
                }
                int r = _reader.Unwrap(response, 0, length, output, 0);
                Assert.IsTrue(r < 0, "random response accepted");
            }
            Assert.AreEqual(SecureMessagingError.MalformedResponse, _reader.Unwrap(new byte[4], 2, 5, output, 0));
            Assert.AreEqual(SecureMessagingError.MalformedCommand, _reader.Wrap(new byte[8], 6, 4, output, 0));
        }

        private sealed class TestRandomBytes
        {
            private uint _state;

            public TestRandomBytes(uint seed)
            {
                _state = seed;
            }

            public int Next(int bound)
            {
                Step();
                return (int)(_state % (uint)bound);
            }

            public void Fill(byte[] b)
            {
                for (int i = 0; i < b.Length; i++)
                {
                    Step();
                    b[i] = (byte)(_state >> 8);
                }
            }

            private void Step()
            {
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
            }
        }
    }
}
