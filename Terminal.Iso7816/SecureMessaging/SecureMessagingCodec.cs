using System;

namespace Terminal.Iso7816.SecureMessaging
{
    /// <summary>
    /// ISO/IEC 7816-4 §10 secure messaging as ICAO 9303-11 9.8 and BSI TR-03110-3 F profile it: protects command
    /// APDUs (header authenticated, CLA | 0x0C; DO'87' = 01 || cryptogram, or DO'85' for an odd INS; DO'97' = Le;
    /// DO'8E' = checksum) and verifies and decrypts responses (DO'87'/'85', DO'99', DO'8E'), keeping the send
    /// sequence counter. Padding is ISO/IEC 9797-1 method 2.
    /// </summary>
    /// <remarks>
    /// Works on caller buffers and allocates nothing per APDU. The counter is incremented before every command and
    /// before every response, as both standards say. Input and output buffers of one call must not overlap.
    /// Not thread-safe: one codec per channel, used by the one thread that talks to that card.
    /// </remarks>
    public sealed class SecureMessagingCodec
    {
        /// <summary>A protected command is at most this many bytes longer than the plain one
        /// (Lc, DO'87' header and padding, DO'97', DO'8E', Le, with 16-byte blocks). The worst case is a short
        /// case 4 command with Lc 240 and even INS: 16 bytes of padding, the indicator, a 3-byte DO'87' length,
        /// and the body past 255 bytes, so the command turns extended (found by the sm fuzz harness).</summary>
        public const int MaxWrapOverhead = 37;

        private readonly ISecureMessagingCipher _cipher;
        private readonly int _n;
        private readonly byte[] _ssc;
        private readonly byte[] _padding;
        private readonly byte[] _mac = new byte[8];
        private int _macCount;
        private int _lastStatusWord = -1;

        /// <summary>Starts a channel with <paramref name="cipher"/> and the initial send sequence counter
        /// (<see cref="ISecureMessagingCipher.BlockSize"/> bytes at <paramref name="sscOffset"/>: zero after PACE,
        /// derived from the nonces after BAC). The codec owns the cipher from now on.</summary>
        public SecureMessagingCodec(ISecureMessagingCipher cipher, byte[] ssc, int sscOffset)
        {
            _cipher = cipher;
            _n = cipher.BlockSize;
            _ssc = new byte[_n];
            Array.Copy(ssc, sscOffset, _ssc, 0, _n);
            _padding = new byte[_n];
            _padding[0] = 0x80;
        }

        /// <summary>Block size of the cipher (8 for 3DES, 16 for AES).</summary>
        public int BlockSize
        {
            get { return _n; }
        }

        /// <summary>The status word of the last response (from DO'99', or the plain status word when
        /// <see cref="Unwrap"/> returned <see cref="SecureMessagingError.PlainStatus"/>); -1 before any.</summary>
        public int LastStatusWord
        {
            get { return _lastStatusWord; }
        }

        /// <summary>Copies the current send sequence counter (<see cref="BlockSize"/> bytes).</summary>
        public void GetSendSequenceCounter(byte[] output, int outputOffset)
        {
            Array.Copy(_ssc, 0, output, outputOffset, _n);
        }

        /// <summary>Sets the send sequence counter (<see cref="BlockSize"/> bytes), e.g. to zero when chip
        /// authentication replaces the session keys of a running channel.</summary>
        public void SetSendSequenceCounter(byte[] ssc, int offset)
        {
            Array.Copy(ssc, offset, _ssc, 0, _n);
        }

        /// <summary>Ends the channel: wipes the session keys and the counter.</summary>
        public void Clear()
        {
            _cipher.Clear();
            Array.Clear(_ssc, 0, _n);
            Array.Clear(_mac, 0, 8);
        }

        /// <summary>
        /// Protects the command APDU <paramref name="command"/>[<paramref name="offset"/>, +<paramref name="length"/>)
        /// (any case, short or extended) into <paramref name="output"/> at <paramref name="outputOffset"/>.
        /// The result uses extended lengths when the command did or when its data objects exceed 255 bytes;
        /// its Le is 00 (or 0000) so the card can return the protected response whole.
        /// </summary>
        /// <returns>The protected APDU's length, or a negative <see cref="SecureMessagingError"/> (the counter is
        /// then left unchanged).</returns>
        public int Wrap(byte[] command, int offset, int length, byte[] output, int outputOffset)
        {
            if (command == null || offset < 0 || length < 4 || command.Length - offset < length)
            {
                return SecureMessagingError.MalformedCommand;
            }
            int lc = 0;
            int dataOffset = 0;
            int le = -1;
            bool extended = false;
            if (length == 5)
            {
                le = command[offset + 4] == 0 ? 256 : command[offset + 4];
            }
            else if (length > 5)
            {
                int b4 = command[offset + 4];
                if (b4 != 0)
                {
                    lc = b4;
                    dataOffset = offset + 5;
                    if (length == 6 + lc)
                    {
                        le = command[offset + length - 1] == 0 ? 256 : command[offset + length - 1];
                    }
                    else if (length != 5 + lc)
                    {
                        return SecureMessagingError.MalformedCommand;
                    }
                }
                else
                {
                    extended = true;
                    if (length < 7)
                    {
                        return SecureMessagingError.MalformedCommand;
                    }
                    int v = (command[offset + 5] << 8) | command[offset + 6];
                    if (length == 7)
                    {
                        le = v == 0 ? 65536 : v;
                    }
                    else
                    {
                        lc = v;
                        dataOffset = offset + 7;
                        if (lc == 0)
                        {
                            return SecureMessagingError.MalformedCommand;
                        }
                        if (length == 9 + lc)
                        {
                            int e = (command[offset + length - 2] << 8) | command[offset + length - 1];
                            le = e == 0 ? 65536 : e;
                        }
                        else if (length != 7 + lc)
                        {
                            return SecureMessagingError.MalformedCommand;
                        }
                    }
                }
            }

            int cla = command[offset];
            int protectedCla;
            if ((cla & 0xE0) == 0x00 || (cla & 0x80) != 0)
            {
                // First interindustry range and proprietary classes: b4-b3 = 11, header authenticated.
                if (cla == 0xFF || (cla & 0x0C) != 0)
                {
                    return SecureMessagingError.UnsupportedClass;
                }
                protectedCla = cla | 0x0C;
            }
            else if ((cla & 0xC0) == 0x40)
            {
                // Further interindustry range (ISO/IEC 7816-4 5.4.1): b6 = 1 is secure messaging.
                if ((cla & 0x20) != 0)
                {
                    return SecureMessagingError.UnsupportedClass;
                }
                protectedCla = cla | 0x20;
            }
            else
            {
                return SecureMessagingError.UnsupportedClass;
            }

            int ins = command[offset + 1];
            bool odd = (ins & 1) != 0;
            int n = _n;
            int padded = lc == 0 ? 0 : lc - lc % n + n;
            int cryptoValue = lc == 0 ? 0 : (odd ? padded : padded + 1);
            int cryptoObject = lc == 0 ? 0 : 1 + BerTlv.LengthOfLength(cryptoValue) + cryptoValue;
            int leBytes = le < 0 ? 0 : (extended ? 2 : 1);
            int leObject = le < 0 ? 0 : 2 + leBytes;
            int body = cryptoObject + leObject + 10;
            if (body > 65535)
            {
                return SecureMessagingError.CommandTooLong;
            }
            bool extendedOut = extended || body > 255;
            int total = 4 + (extendedOut ? 3 : 1) + body + (extendedOut ? 2 : 1);
            if (output == null || outputOffset < 0 || output.Length - outputOffset < total)
            {
                return SecureMessagingError.OutputTooSmall;
            }

            IncrementCounter();
            int o = outputOffset;
            output[o] = (byte)protectedCla;
            output[o + 1] = (byte)ins;
            output[o + 2] = command[offset + 2];
            output[o + 3] = command[offset + 3];
            o += 4;
            if (extendedOut)
            {
                output[o] = 0;
                output[o + 1] = (byte)(body >> 8);
                output[o + 2] = (byte)body;
                o += 3;
            }
            else
            {
                output[o++] = (byte)body;
            }
            int bodyStart = o;
            if (lc > 0)
            {
                output[o++] = (byte)(odd ? 0x85 : 0x87);
                o = BerTlv.WriteLength(output, o, cryptoValue);
                if (!odd)
                {
                    output[o++] = 0x01;
                }
                Array.Copy(command, dataOffset, output, o, lc);
                Array.Copy(_padding, 0, output, o + lc, padded - lc);
                _cipher.Encrypt(_ssc, 0, output, o, padded, output, o);
                o += padded;
            }
            if (le >= 0)
            {
                output[o++] = 0x97;
                output[o++] = (byte)leBytes;
                if (leBytes == 2)
                {
                    output[o++] = (byte)(le >> 8);
                }
                output[o++] = (byte)le;
            }

            // Checksum over SSC || pad(header) || DOs, padded as a whole (ICAO 9303-11 9.8.6, TR-03110-3 F.3).
            BeginMac();
            UpdateMac(output, outputOffset, 4);
            UpdateMac(_padding, 0, n - 4);
            UpdateMac(output, bodyStart, o - bodyStart);
            FinishMac();
            output[o++] = 0x8E;
            output[o++] = 8;
            Array.Copy(_mac, 0, output, o, 8);
            o += 8;
            output[o++] = 0;
            if (extendedOut)
            {
                output[o++] = 0;
            }
            return o - outputOffset;
        }

        /// <summary>
        /// Verifies and decrypts the protected response <paramref name="response"/>[<paramref name="offset"/>,
        /// +<paramref name="length"/>) (data objects then SW1 SW2) into <paramref name="output"/>: the plain
        /// data followed by the status word of DO'99'. The checksum is verified before anything is decrypted.
        /// </summary>
        /// <returns>The plain response's length (data + 2), or a negative <see cref="SecureMessagingError"/>.</returns>
        public int Unwrap(byte[] response, int offset, int length, byte[] output, int outputOffset)
        {
            IncrementCounter();
            if (response == null || offset < 0 || length < 2 || response.Length - offset < length)
            {
                return SecureMessagingError.MalformedResponse;
            }
            if (output == null)
            {
                return SecureMessagingError.OutputTooSmall;
            }
            int end = offset + length - 2;
            if (length == 2)
            {
                _lastStatusWord = (response[end] << 8) | response[end + 1];
                return SecureMessagingError.PlainStatus;
            }

            int cryptoTag = 0;
            int cryptoStart = 0;
            int cryptoLength = 0;
            int statusStart = -1;
            int macStart = -1;
            int p = offset;
            while (p < end)
            {
                int tag = response[p];
                int lengthAt = p + 1;
                if (lengthAt >= end)
                {
                    return SecureMessagingError.MalformedResponse;
                }
                int valueLength;
                int valueStart;
                int first = response[lengthAt];
                if (first < 0x80)
                {
                    valueLength = first;
                    valueStart = lengthAt + 1;
                }
                else if (first == 0x81 && lengthAt + 1 < end)
                {
                    valueLength = response[lengthAt + 1];
                    valueStart = lengthAt + 2;
                }
                else if (first == 0x82 && lengthAt + 2 < end)
                {
                    valueLength = (response[lengthAt + 1] << 8) | response[lengthAt + 2];
                    valueStart = lengthAt + 3;
                }
                else
                {
                    return SecureMessagingError.MalformedResponse;
                }
                if (valueLength > end - valueStart)
                {
                    return SecureMessagingError.MalformedResponse;
                }
                if (tag == 0x87 || tag == 0x85)
                {
                    if (cryptoTag != 0 || statusStart >= 0)
                    {
                        return SecureMessagingError.MalformedResponse;
                    }
                    cryptoTag = tag;
                    cryptoStart = valueStart;
                    cryptoLength = valueLength;
                }
                else if (tag == 0x99)
                {
                    if (statusStart >= 0 || valueLength != 2)
                    {
                        return SecureMessagingError.MalformedResponse;
                    }
                    statusStart = valueStart;
                }
                else if (tag == 0x8E)
                {
                    if (valueLength != 8 || valueStart + 8 != end)
                    {
                        return SecureMessagingError.MalformedResponse;
                    }
                    macStart = p;
                }
                else
                {
                    return SecureMessagingError.UnexpectedObject;
                }
                p = valueStart + valueLength;
            }
            if (macStart < 0)
            {
                return SecureMessagingError.MissingChecksum;
            }

            BeginMac();
            UpdateMac(response, offset, macStart - offset);
            FinishMac();
            int diff = 0;
            for (int i = 0; i < 8; i++)
            {
                diff |= _mac[i] ^ response[macStart + 2 + i];
            }
            Array.Clear(_mac, 0, 8);
            if (diff != 0)
            {
                return SecureMessagingError.ChecksumMismatch;
            }
            if (statusStart < 0)
            {
                return SecureMessagingError.MissingStatus;
            }

            int plain = 0;
            if (cryptoTag != 0)
            {
                int c = cryptoStart;
                int count = cryptoLength;
                if (cryptoTag == 0x87)
                {
                    if (count < 1 || response[c] != 0x01)
                    {
                        return SecureMessagingError.MalformedResponse;
                    }
                    c++;
                    count--;
                }
                if (count == 0 || count % _n != 0)
                {
                    return SecureMessagingError.MalformedResponse;
                }
                if (outputOffset < 0 || output.Length - outputOffset < count + 2)
                {
                    return SecureMessagingError.OutputTooSmall;
                }
                _cipher.Decrypt(_ssc, 0, response, c, count, output, outputOffset);
                int i = outputOffset + count - 1;
                int stop = outputOffset + count - _n;
                while (i > stop && output[i] == 0)
                {
                    i--;
                }
                if (output[i] != 0x80)
                {
                    Array.Clear(output, outputOffset, count);
                    return SecureMessagingError.BadPadding;
                }
                plain = i - outputOffset;
                Array.Clear(output, i, count - plain);
            }
            else if (outputOffset < 0 || output.Length - outputOffset < 2)
            {
                return SecureMessagingError.OutputTooSmall;
            }
            output[outputOffset + plain] = response[statusStart];
            output[outputOffset + plain + 1] = response[statusStart + 1];
            _lastStatusWord = (response[statusStart] << 8) | response[statusStart + 1];
            return plain + 2;
        }

        private void IncrementCounter()
        {
            for (int i = _n - 1; i >= 0; i--)
            {
                _ssc[i]++;
                if (_ssc[i] != 0)
                {
                    break;
                }
            }
        }

        private void BeginMac()
        {
            _cipher.BeginMac();
            _cipher.UpdateMac(_ssc, 0, _n);
            _macCount = _n;
        }

        private void UpdateMac(byte[] input, int offset, int count)
        {
            _cipher.UpdateMac(input, offset, count);
            _macCount += count;
        }

        private void FinishMac()
        {
            // Padding method 2 always adds at least the 0x80 byte.
            _cipher.UpdateMac(_padding, 0, _n - _macCount % _n);
            _cipher.FinishMac(_mac, 0);
        }

    }
}
