using Terminal.Iso7816.SecureMessaging;

namespace Terminal.Pace
{
    /// <summary>
    /// The reader's secure messaging after PACE (BSI TR-03119 reader-side SM): each plain host APDU is wrapped,
    /// sent, and the answer verified and decrypted, so the host sees plain APDUs. Any SM failure, a plain error
    /// status from the card, or <see cref="Close"/> (removal, reset, DestroyPACEChannel) ends the channel and wipes
    /// the keys.
    /// </summary>
    /// <remarks>Buffers are allocated once for the largest APDU; nothing is allocated per APDU.</remarks>
    public sealed class SecureChannel
    {
        /// <summary><see cref="Transmit"/>: the channel is closed; nothing was sent.</summary>
        public const int Closed = -30;

        /// <summary><see cref="Transmit"/>: the card could not be reached; the channel is closed.</summary>
        public const int TransmitFailed = -31;

        /// <summary>Status word given to the host when the card's answer fails verification (ISO/IEC 7816-4:
        /// "incorrect secure messaging data objects").</summary>
        public const int SmFailureStatus = 0x6988;

        private readonly SecureMessagingCodec _codec;
        private readonly byte[] _wrapped;
        private readonly byte[] _protected;
        private readonly byte[] _plain;
        private bool _open = true;
        private int _lastError;

        /// <summary>A channel on <paramref name="codec"/> (from <see cref="PaceReader.SecureMessaging"/>) for plain
        /// commands of at most <paramref name="maxCommand"/> bytes and protected responses of at most
        /// <paramref name="maxResponse"/> bytes.</summary>
        public SecureChannel(SecureMessagingCodec codec, int maxCommand, int maxResponse)
        {
            _codec = codec;
            _wrapped = new byte[maxCommand + SecureMessagingCodec.MaxWrapOverhead];
            _protected = new byte[maxResponse];
            // The codec decrypts the padded data with the status word: up to the protected length.
            _plain = new byte[maxResponse];
        }

        /// <summary>Whether APDUs are still protected.</summary>
        public bool IsOpen
        {
            get { return _open; }
        }

        /// <summary>The <see cref="SecureMessagingError"/> that closed the channel (0 when none).</summary>
        public int LastError
        {
            get { return _lastError; }
        }

        /// <summary>
        /// Protects and sends the host's plain <paramref name="command"/>, and writes the plain answer (data, SW1 SW2)
        /// to <paramref name="response"/>. A command that cannot be protected gets 6700 (bad length) or 6882
        /// (class already carries SM) without reaching the card; an answer that fails verification gets
        /// <see cref="SmFailureStatus"/> (or the card's own plain status, e.g. 6987) and closes the channel.
        /// </summary>
        /// <returns>The plain response length, or <see cref="Closed"/> / <see cref="TransmitFailed"/>.</returns>
        public int Transmit(IApduChannel card, byte[] command, int offset, int length, byte[] response, int responseOffset)
        {
            if (!_open)
            {
                return Closed;
            }
            int n = _codec.Wrap(command, offset, length, _wrapped, 0);
            if (n < 0)
            {
                return Status(response, responseOffset, n == SecureMessagingError.UnsupportedClass ? 0x6882 : 0x6700);
            }
            int r = card.Transmit(_wrapped, 0, n, _protected, 0);
            if (r < 2 || r > _protected.Length)
            {
                Close();
                _lastError = SecureMessagingError.MalformedResponse;
                return TransmitFailed;
            }
            int plain = _codec.Unwrap(_protected, 0, r, _plain, 0);
            if (plain >= 0)
            {
                // Unwrapped here and copied: the codec needs room for the padding, the caller only for the answer.
                int copied = plain <= response.Length - responseOffset ? plain : -1;
                if (copied > 0)
                {
                    System.Array.Copy(_plain, 0, response, responseOffset, plain);
                }
                System.Array.Clear(_plain, 0, plain);
                return copied > 0 ? plain : Status(response, responseOffset, 0x6700);
            }
            _lastError = plain;
            int sw = plain == SecureMessagingError.PlainStatus ? _codec.LastStatusWord : SmFailureStatus;
            Close();
            return Status(response, responseOffset, sw);
        }

        /// <summary>Ends the channel and wipes the session keys.</summary>
        public void Close()
        {
            if (_open)
            {
                _open = false;
                _codec.Clear();
            }
            System.Array.Clear(_wrapped, 0, _wrapped.Length);
            System.Array.Clear(_protected, 0, _protected.Length);
            System.Array.Clear(_plain, 0, _plain.Length);
        }

        private static int Status(byte[] response, int offset, int sw)
        {
            response[offset] = (byte)(sw >> 8);
            response[offset + 1] = (byte)sw;
            return 2;
        }
    }
}
