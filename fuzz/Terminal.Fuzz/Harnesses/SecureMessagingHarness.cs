using System;
using Terminal.Iso7816;
using Terminal.Iso7816.Crypto;
using Terminal.Iso7816.SecureMessaging;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// Secure messaging (<see cref="SecureMessagingCodec"/>). Byte 0: bits 0-1 the cipher (0, 1: a
    /// transparent cipher of 8 or 16-byte blocks whose checksum is always 00..00, so the fuzzer gets past
    /// the MAC check to the decryption and padding code; 2 AES-128; 3 3DES), bits 2-3 the mode, bits 4-7
    /// the output capacity; byte 1 the send sequence counter's last byte (bit 7: the others FF, so it wraps).
    /// Modes: 0 <see cref="SecureMessagingCodec.Unwrap"/> of the rest as a card response; 1
    /// <see cref="SecureMessagingCodec.Wrap"/> of the rest as a command; 2 the rest as plain data and
    /// status word, protected here (independently of the codec, from ICAO 9303-11 9.8) and unwrapped:
    /// the plain response must come back; 3 the same with one byte changed: never accepted as the plain
    /// response. Checks also: only documented <see cref="SecureMessagingError"/> values, nothing written
    /// outside the output area, a refused padding leaves no plaintext, Wrap refuses exactly the
    /// commands <see cref="CommandApdu.Parse"/> refuses and makes a well-formed command of at most
    /// <see cref="SecureMessagingCodec.MaxWrapOverhead"/> more bytes, leaving the counter alone on error.
    /// </summary>
    public sealed class SecureMessagingHarness : Harness
    {
        private static readonly byte[] KeyEnc = { 0x68, 0x40, 0x6B, 0x41, 0x62, 0x10, 0x21, 0x70, 0x55, 0x0B, 0x8C, 0xA1, 0x3B, 0x52, 0xD8, 0x16 };
        private static readonly byte[] KeyMac = { 0x73, 0xFF, 0x26, 0x8E, 0x4C, 0x1A, 0x8D, 0x5F, 0x03, 0x3B, 0x59, 0x29, 0x7E, 0x47, 0xD5, 0x96 };

        /// <inheritdoc/>
        public override string Name => "sm";

        /// <inheritdoc/>
        public override string Description => "secure messaging: SecureMessagingCodec.Unwrap of a response, Wrap of a command, protect/unwrap round trip, tampering";

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length < 2)
            {
                return "short";
            }
            int suite = data[0] & 3;
            int mode = (data[0] >> 2) & 3;
            int capacitySelector = data[0] >> 4;
            ISecureMessagingCipher cipher = Cipher(suite, budget);
            int n = cipher.BlockSize;
            var ssc = new byte[n];
            if ((data[1] & 0x80) != 0)
            {
                for (int i = 0; i < n; i++)
                {
                    ssc[i] = 0xFF;
                }
            }
            ssc[n - 1] = data[1];
            var codec = new SecureMessagingCodec(cipher, ssc, 0);
            int bodyLength = data.Length - 2;
            var body = new byte[bodyLength];
            Array.Copy(data, 2, body, 0, bodyLength);

            switch (mode)
            {
                case 0:
                    return Unwrap(codec, body, 0, bodyLength, capacitySelector, null);
                case 1:
                    return Wrap(codec, body, capacitySelector);
                default:
                    if (suite < 2 && mode == 3)
                    {
                        // A transparent checksum detects nothing: tampering is for the real suites.
                        return Unwrap(codec, body, 0, bodyLength, capacitySelector, null);
                    }
                    return RoundTrip(codec, Cipher(suite, budget), ssc, body, capacitySelector, tamper: mode == 3);
            }
        }

        private static ISecureMessagingCipher Cipher(int suite, Budget budget)
        {
            switch (suite)
            {
                case 0: return new TransparentCipher(8, budget);
                case 1: return new TransparentCipher(16, budget);
                case 2: return new AesSecureMessagingCipher(ManagedCipherFactory.Instance, KeyEnc, 0, KeyMac, 0, 16);
                default: return new TripleDesSecureMessagingCipher(ManagedCipherFactory.Instance, KeyEnc, 0, KeyMac, 0);
            }
        }

        private static int Capacity(int selector, int length)
        {
            return selector == 15 ? length + 64 : selector * 9;
        }

        private static string Unwrap(SecureMessagingCodec codec, byte[] response, int offset, int length, int capacitySelector, byte[]? expected, int needed = 0)
        {
            // The output area is the rest of the array (Unwrap and Wrap take no capacity): guard bytes before it only.
            int capacity = Capacity(capacitySelector, length);
            var output = new byte[Guard + capacity];
            Fill(output);
            int r = codec.Unwrap(response, offset, length, output, Guard);
            CheckGuards(output, Guard, capacity, "Unwrap");
            Check(r >= 2 && r <= capacity || IsDocumented(r) && r <= SecureMessagingError.PlainStatus || r == SecureMessagingError.OutputTooSmall,
                $"Unwrap returned {r} (capacity {capacity})");
            if (r == SecureMessagingError.PlainStatus)
            {
                Check(length == 2 && codec.LastStatusWord == ((response[offset] << 8) | response[offset + 1]), "PlainStatus for a response that is not a bare status word");
            }
            if (r == SecureMessagingError.BadPadding)
            {
                for (int i = Guard; i < Guard + capacity; i++)
                {
                    Check(output[i] == GuardByte || output[i] == 0, $"plaintext left in the output after BadPadding (byte {i - Guard})");
                }
            }
            if (r >= 2)
            {
                Check(codec.LastStatusWord == ((output[Guard + r - 2] << 8) | output[Guard + r - 1]), "LastStatusWord differs from the returned status word");
                Check(r - 2 <= length, $"{r - 2} plain bytes from a {length}-byte response");
            }
            if (expected != null)
            {
                if (r < 0)
                {
                    // Decryption needs room for the padded cryptogram and the status word, not only the plaintext.
                    Check(r == SecureMessagingError.OutputTooSmall && capacity < needed, $"a correctly protected response was refused: {r} (capacity {capacity}, needs {needed})");
                    return "round trip, output too small";
                }
                Check(r == expected.Length, $"round trip gave {r} bytes, {expected.Length} expected");
                for (int i = 0; i < r; i++)
                {
                    Check(output[Guard + i] == expected[i], $"round trip differs at byte {i}");
                }
                return $"round trip {r} bytes";
            }
            return r >= 0 ? $"unwrapped {r} bytes" : $"unwrap {r}";
        }

        private static bool IsDocumented(int r)
        {
            return r == SecureMessagingError.PlainStatus || r == SecureMessagingError.MalformedResponse || r == SecureMessagingError.MissingChecksum
                || r == SecureMessagingError.MissingStatus || r == SecureMessagingError.ChecksumMismatch || r == SecureMessagingError.BadPadding
                || r == SecureMessagingError.UnexpectedObject;
        }

        private static string Wrap(SecureMessagingCodec codec, byte[] command, int capacitySelector)
        {
            int capacity = capacitySelector == 15 ? command.Length + SecureMessagingCodec.MaxWrapOverhead : capacitySelector * 23;
            var output = new byte[Guard + capacity];
            Fill(output);
            var before = new byte[codec.BlockSize];
            codec.GetSendSequenceCounter(before, 0);
            int r = codec.Wrap(command, 0, command.Length, output, Guard);
            CheckGuards(output, Guard, capacity, "Wrap");
            var after = new byte[codec.BlockSize];
            codec.GetSendSequenceCounter(after, 0);
            var plain = new CommandApdu();
            ApduError e = plain.Parse(command, 0, command.Length);
            if (r < 0)
            {
                Check(r == SecureMessagingError.MalformedCommand || r == SecureMessagingError.UnsupportedClass
                    || r == SecureMessagingError.OutputTooSmall || r == SecureMessagingError.CommandTooLong, $"Wrap returned {r}");
                Check(r != SecureMessagingError.MalformedCommand || e != ApduError.None, "Wrap refused as malformed a command CommandApdu accepts");
                Check(r != SecureMessagingError.OutputTooSmall || capacity < command.Length + SecureMessagingCodec.MaxWrapOverhead, $"OutputTooSmall with {capacity} bytes for a {command.Length}-byte command");
                for (int i = 0; i < before.Length; i++)
                {
                    Check(before[i] == after[i], "Wrap failed but changed the send sequence counter");
                }
                return $"wrap {r}";
            }
            Check(e == ApduError.None, $"Wrap protected a command CommandApdu refuses ({e})");
            Check(r <= capacity && r <= command.Length + SecureMessagingCodec.MaxWrapOverhead, $"Wrap made {r} bytes from {command.Length}");
            var wrapped = new CommandApdu();
            ApduError we = wrapped.Parse(output, Guard, r);
            Check(we == ApduError.None, $"Wrap made a malformed command ({we})");
            // ISO/IEC 7816-4 5.4.1: first interindustry and proprietary classes b4-b3 = 11; further interindustry b6 = 1.
            int expectedCla = (plain.Cla & 0xC0) == 0x40 ? plain.Cla | 0x20 : plain.Cla | 0x0C;
            Check(wrapped.Cla == expectedCla && wrapped.Ins == plain.Ins && wrapped.P1 == plain.P1 && wrapped.P2 == plain.P2,
                $"Wrap made the header {wrapped.Cla:X2} {wrapped.Ins:X2} {wrapped.P1:X2} {wrapped.P2:X2} from {plain.Cla:X2} {plain.Ins:X2} {plain.P1:X2} {plain.P2:X2}");
            Check(wrapped.Ne > 0, "a protected command without Le");
            return $"wrapped {command.Length} -> {r} bytes";
        }

        private static string RoundTrip(SecureMessagingCodec codec, ISecureMessagingCipher mirror, byte[] initialSsc, byte[] body, int capacitySelector, bool tamper)
        {
            // body: [0] flags (bit 0 DO'85' instead of DO'87', bit 1 no data), [1] tamper position, [2..3] SW, [4..] data.
            if (body.Length < 4)
            {
                return Unwrap(codec, body, 0, body.Length, capacitySelector, null);
            }
            int n = mirror.BlockSize;
            var ssc = (byte[])initialSsc.Clone();
            Increment(ssc);
            bool odd = (body[0] & 1) != 0;
            int plainLength = (body[0] & 2) != 0 ? 0 : Math.Min(body.Length - 4, 1024);
            var response = new byte[plainLength + 2 * n + 64];
            int p = 0;
            if (plainLength > 0)
            {
                int padded = (plainLength / n + 1) * n;
                var block = new byte[padded];
                Array.Copy(body, 4, block, 0, plainLength);
                block[plainLength] = 0x80;
                int valueLength = padded + (odd ? 0 : 1);
                response[p++] = odd ? (byte)0x85 : (byte)0x87;
                p = WriteLength(response, p, valueLength);
                if (!odd)
                {
                    response[p++] = 0x01;
                }
                mirror.Encrypt(ssc, 0, block, 0, padded, response, p);
                p += padded;
            }
            response[p++] = 0x99;
            response[p++] = 2;
            response[p++] = body[2];
            response[p++] = body[3];
            int macInput = p;
            mirror.BeginMac();
            mirror.UpdateMac(ssc, 0, n);
            mirror.UpdateMac(response, 0, macInput);
            var pad = new byte[n];
            pad[0] = 0x80;
            mirror.UpdateMac(pad, 0, n - (n + macInput) % n);
            response[p++] = 0x8E;
            response[p++] = 8;
            mirror.FinishMac(response, p);
            p += 8;
            response[p++] = body[2];
            response[p++] = body[3];

            var expected = new byte[plainLength + 2];
            Array.Copy(body, 4, expected, 0, plainLength);
            expected[plainLength] = body[2];
            expected[plainLength + 1] = body[3];
            if (!tamper)
            {
                int needed = plainLength > 0 ? (plainLength / n + 1) * n + 2 : 2;
                return Unwrap(codec, response, 0, p, capacitySelector, expected, needed);
            }

            // One byte of the protected part changed (the trailing plain SW1 SW2 are not protected).
            int at = body[1] % (p - 2);
            response[at] ^= (byte)(body[0] | 1);
            int capacity = Capacity(capacitySelector, p);
            var output = new byte[Guard + capacity];
            Fill(output);
            int r = codec.Unwrap(response, 0, p, output, Guard);
            CheckGuards(output, Guard, capacity, "Unwrap");
            Check(r < 0, $"a response with byte {at} of {p} changed was accepted ({r} bytes)");
            Check(IsDocumented(r) || r == SecureMessagingError.OutputTooSmall, $"Unwrap returned {r}");
            return $"tampered at {at}: {r}";
        }

        private static int WriteLength(byte[] b, int p, int length)
        {
            if (length < 0x80)
            {
                b[p++] = (byte)length;
            }
            else if (length < 0x100)
            {
                b[p++] = 0x81;
                b[p++] = (byte)length;
            }
            else
            {
                b[p++] = 0x82;
                b[p++] = (byte)(length >> 8);
                b[p++] = (byte)length;
            }
            return p;
        }

        private static void Increment(byte[] ssc)
        {
            for (int i = ssc.Length - 1; i >= 0; i--)
            {
                if (++ssc[i] != 0)
                {
                    break;
                }
            }
        }

        /// <summary>
        /// Encryption that copies and a checksum that is always zero: lets the fuzzer reach everything
        /// after the MAC check. Checks the codec keeps the cipher's contract (whole blocks, in bounds).
        /// </summary>
        private sealed class TransparentCipher : ISecureMessagingCipher
        {
            private readonly int _n;
            private readonly Budget _budget;
            private long _macBytes;
            private bool _cleared;

            public TransparentCipher(int blockSize, Budget budget)
            {
                _n = blockSize;
                _budget = budget;
            }

            public int BlockSize => _n;

            public void Encrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
            {
                Copy(ssc, sscOffset, input, inputOffset, count, output, outputOffset, "Encrypt");
            }

            public void Decrypt(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset)
            {
                Copy(ssc, sscOffset, input, inputOffset, count, output, outputOffset, "Decrypt");
            }

            private void Copy(byte[] ssc, int sscOffset, byte[] input, int inputOffset, int count, byte[] output, int outputOffset, string what)
            {
                _budget.Step(what);
                Check(!_cleared, $"{what} after Clear");
                Check(sscOffset >= 0 && sscOffset <= ssc.Length - _n, $"{what}: SSC out of its buffer");
                Check(count > 0 && count % _n == 0, $"{what} of {count} bytes (block size {_n})");
                Check(inputOffset >= 0 && inputOffset <= input.Length - count, $"{what}: input {inputOffset}+{count} of {input.Length}");
                Check(outputOffset >= 0 && outputOffset <= output.Length - count, $"{what}: output {outputOffset}+{count} of {output.Length}");
                Array.Copy(input, inputOffset, output, outputOffset, count);
            }

            public void BeginMac()
            {
                _budget.Step("BeginMac");
                _macBytes = 0;
            }

            public void UpdateMac(byte[] input, int offset, int count)
            {
                _budget.Step("UpdateMac");
                Check(count >= 0 && offset >= 0 && offset <= input.Length - count, $"UpdateMac {offset}+{count} of {input.Length}");
                _macBytes += count;
            }

            public void FinishMac(byte[] output, int outputOffset)
            {
                Check(_macBytes % _n == 0, $"the checksum covers {_macBytes} bytes, not whole {_n}-byte blocks");
                Array.Clear(output, outputOffset, 8);
            }

            public void Clear()
            {
                _cleared = true;
            }
        }
    }
}
