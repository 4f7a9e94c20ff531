using System;
using nanoFramework.TestFramework;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.SecureMessaging;
using Terminal.Pace;
using Terminal.Tests.Device.Crypto;
using Terminal.Tests.Device.SecureMessaging;

namespace Terminal.Tests.Device.Pace
{
    /// <summary>Secure messaging after PACE (issue 9 item 2): the host's plain APDUs are protected towards the card;
    /// a tampered answer, a plain error status, removal or Close end the channel.</summary>
    [TestClass]
    public class SecureChannelTests
    {
        /// <summary>The card after PACE: answers READ BINARY with its file under secure messaging.</summary>
        private sealed class ProtectedFileCard : IApduChannel
        {
            private readonly CardSide _sm;
            public byte[] File = TestHex.Parse("3F00AABBCCDDEEFF0011223344556677");
            public bool TamperMac;
            public bool PlainError;
            public bool Removed;
            public int Received;

            public ProtectedFileCard(byte[] ksEnc, byte[] ksMac)
            {
                _sm = new CardSide(new AesSecureMessagingCipher(ManagedCipherFactory.Instance, ksEnc, 0, ksMac, 0, ksEnc.Length), new byte[16]);
            }

            public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
            {
                if (Removed)
                {
                    return -1;
                }
                Received++;
                byte[] c = new byte[length];
                Array.Copy(command, offset, c, 0, length);
                Assert.AreEqual(0x0C, c[0] & 0x0C, "only protected APDUs reach the card");
                byte[] plain = _sm.ReceiveCommand(c);
                Assert.IsTrue(_sm.MacValid);
                if (PlainError)
                {
                    response[responseOffset] = 0x69;
                    response[responseOffset + 1] = 0x87;
                    return 2;
                }
                byte[] r = _sm.SendResponse(plain.Length == 0 ? File : plain, 0x9000, true, 0x01, true);
                if (TamperMac)
                {
                    r[r.Length - 3] ^= 0x10;
                }
                Array.Copy(r, 0, response, responseOffset, r.Length);
                return r.Length;
            }
        }

        private static SecureChannel Establish(out ProtectedFileCard fileCard)
        {
            PaceTestCard card = new PaceTestCard(PaceAlgorithm.EcdhGmAes128, EcCurve.BrainpoolP256r1, "123456", 42);
            PaceReader reader = new PaceReader(card, ManagedCipherFactory.Instance);
            byte[] pin = { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36 };
            Assert.AreEqual(PaceResult.Success, reader.Establish(PaceAlgorithm.EcdhGmAes128,
                new ManagedEcArithmetic(EcCurve.BrainpoolP256r1, new TestRandom(7)), PaceReader.PasswordPin, pin, 0, pin.Length, null, 0, 0));
            fileCard = new ProtectedFileCard(card.KsEnc, card.KsMac);
            return new SecureChannel(reader.SecureMessaging!, 261, 300);
        }

        private static string Send(SecureChannel channel, IApduChannel card, string command)
        {
            byte[] c = TestHex.Parse(command);
            byte[] response = new byte[300];
            int n = channel.Transmit(card, c, 0, c.Length, response, 0);
            return n < 0 ? "error " + n : TestHex.Format(response, 0, n);
        }

        [TestMethod]
        public void HostSeesPlainApdusThroughTheChannel()
        {
            ProtectedFileCard card;
            SecureChannel channel = Establish(out card);
            Assert.AreEqual("3F00AABBCCDDEEFF00112233445566779000", Send(channel, card, "00B0000000"));
            Assert.AreEqual("0102039000", Send(channel, card, "00D6000003010203"));
            Assert.AreEqual(2, card.Received);
            Assert.IsTrue(channel.IsOpen);
        }

        [TestMethod]
        public void TamperedMacInAResponse_EndsTheChannelWith6988()
        {
            ProtectedFileCard card;
            SecureChannel channel = Establish(out card);
            card.TamperMac = true;
            Assert.AreEqual("6988", Send(channel, card, "00B0000000"));
            Assert.IsFalse(channel.IsOpen);
            Assert.AreEqual(SecureMessagingError.ChecksumMismatch, channel.LastError);
            Assert.AreEqual("error " + SecureChannel.Closed, Send(channel, card, "00B0000000"));
            Assert.AreEqual(1, card.Received, "nothing is sent once closed");
        }

        [TestMethod]
        public void PlainErrorStatusFromTheCard_EndsTheChannelAndReachesTheHost()
        {
            ProtectedFileCard card;
            SecureChannel channel = Establish(out card);
            card.PlainError = true;
            Assert.AreEqual("6987", Send(channel, card, "00B0000000"));
            Assert.IsFalse(channel.IsOpen);
        }

        [TestMethod]
        public void CardRemoved_EndsTheChannel()
        {
            ProtectedFileCard card;
            SecureChannel channel = Establish(out card);
            card.Removed = true;
            Assert.AreEqual("error " + SecureChannel.TransmitFailed, Send(channel, card, "00B0000000"));
            Assert.IsFalse(channel.IsOpen);
        }

        [TestMethod]
        public void UnprotectableCommandsAreAnsweredWithoutReachingTheCard()
        {
            ProtectedFileCard card;
            SecureChannel channel = Establish(out card);
            Assert.AreEqual("6882", Send(channel, card, "0CB0000000"));
            Assert.AreEqual("6700", Send(channel, card, "00D6000005AABB"));
            Assert.AreEqual(0, card.Received);
            Assert.IsTrue(channel.IsOpen);
        }

        [TestMethod]
        public void CloseEndsTheChannel_DestroyPaceChannelOrReset()
        {
            ProtectedFileCard card;
            SecureChannel channel = Establish(out card);
            channel.Close();
            Assert.IsFalse(channel.IsOpen);
            Assert.AreEqual("error " + SecureChannel.Closed, Send(channel, card, "00B0000000"));
        }
    }
}
