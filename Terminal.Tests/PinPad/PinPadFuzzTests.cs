using System;
using Terminal.Boards;
using Terminal.PinPad;
using Terminal.Tests.Device.PinPad;
using Xunit;

namespace Terminal.Tests.PinPad
{
    /// <summary>
    /// Desktop property tests of the PIN pad core: no input makes a parser or the interceptor throw;
    /// whatever the structure and keys, the buffers end all zero and the LED off; PINs placed by the
    /// builder decode back, through an independent reading of PC/SC part 10 section 2.5.2.
    /// </summary>
    public class PinPadFuzzTests
    {
        private static readonly PinStructureForm[] Forms = { PinStructureForm.CcidSecure, PinStructureForm.PcscVerify, PinStructureForm.PcscModify };
        private static readonly MessageIndexLayout[] Layouts = { MessageIndexLayout.Auto, MessageIndexLayout.ByNumberMessage, MessageIndexLayout.AlwaysThree, MessageIndexLayout.OnlyFirst };

        [Fact]
        public void Parser_RandomAndMutatedStructures_NeverThrow()
        {
            Random random = new Random(8);
            PinCommand c = new PinCommand();
            byte[][] seeds = { PinStructures.OpenScVerify(), PinStructures.CcidVerifyPadded(), PinStructures.PcscChange(3), PinStructures.PcscUnblock() };
            for (int i = 0; i < 200_000; i++)
            {
                byte[] s;
                if (i % 2 == 0)
                {
                    s = new byte[random.Next(0, 64)];
                    random.NextBytes(s);
                }
                else
                {
                    s = (byte[])seeds[random.Next(seeds.Length)].Clone();
                    for (int m = random.Next(1, 4); m > 0; m--)
                    {
                        s[random.Next(s.Length)] = (byte)random.Next(256);
                    }
                }

                PinStructureParser.Parse(s, 0, s.Length, Forms[i % 3], Layouts[(i / 3) % 4], c, out int error);
                Assert.True(error >= -1 && error <= s.Length);
            }
        }

        [Fact]
        public void Interceptor_RandomPseudoApdus_NeverThrow_AndLeaveBuffersClear()
        {
            Random random = new Random(10);
            PinPadRig rig = new PinPadRig();
            PinPadInterceptor interceptor = new PinPadInterceptor(rig.Service, new ReaderProperties());
            byte[] response = new byte[300];
            string[] heads = { "FF 9A 01", "FF 9A 04 10", "FF C2 01 06", "FF C2 01 07", "FF C2 01 0A", "FF C2 01 12", "FF C2 01 00", "FF C2 02" };
            for (int i = 0; i < 3_000; i++)
            {
                byte[] head = PinStructures.Hex(heads[i % heads.Length]);
                byte[] apdu = new byte[Math.Max(4, head.Length + random.Next(0, 60))];
                random.NextBytes(apdu);
                Array.Copy(head, apdu, head.Length);
                if (apdu.Length > 5 && random.Next(2) == 0)
                {
                    apdu[4] = (byte)(apdu.Length - 5);
                }

                rig.Keypad.Type(random.Next(2) == 0 ? "1234K" : "12C", 100);
                int n = interceptor.Handle(apdu, 0, apdu.Length, rig.Card, 0, response, 0, response.Length);
                Assert.True(n >= 2 && n <= response.Length);
                Assert.True(rig.StorageIsZero);
                Assert.True(rig.Service.BuffersAreClear);
                Assert.False(rig.Indicators.SecureMode);
            }
        }

        [Theory]
        [InlineData(0x82, 8)] // ASCII left, bytes
        [InlineData(0x86, 8)] // ASCII right
        [InlineData(0x80, 8)] // binary left
        [InlineData(0x84, 8)] // binary right
        [InlineData(0x81, 8)] // BCD left
        [InlineData(0x85, 8)] // BCD right
        [InlineData(0x89, 8)] // BCD left at byte 1
        [InlineData(0x8A, 8)] // ASCII left at byte 1
        [InlineData(0x41, 8)] // BCD at bit 8 (bit units)
        [InlineData(0x21, 8)] // BCD at bit 4 (bit units)
        public void Builder_RandomPins_DecodeBack(int format, int blockSize)
        {
            Random random = new Random(format);
            for (int round = 0; round < 500; round++)
            {
                int digits = random.Next(4, 13);
                char[] pin = new char[digits];
                for (int i = 0; i < digits; i++)
                {
                    pin[i] = (char)('0' + random.Next(10));
                }

                bool bcd = (format & 3) == 1;
                bool bytes = (format & 0x80) != 0;
                int positionBits = ((format >> 3) & 0x0F) * (bytes ? 8 : 1);
                int capacity = ((blockSize * 8) - positionBits) / (bcd ? 4 : 8);
                if (digits > capacity)
                {
                    continue;
                }

                // A 4-bit length field at bit 0 when the frame leaves room for it (format-2 style).
                bool lengthField = positionBits >= 4;
                byte[] structure = PinBlockFormatTests.Verify(format, (lengthField ? 0x40 : 0x00) | blockSize, 0x00, 12, 4, "00 20 00 01 08 FF FF FF FF FF FF FF FF");
                PinCommand c = new PinCommand();
                Assert.Equal(PinParseStatus.Ok, PinStructureParser.Parse(structure, 0, structure.Length, PinStructureForm.PcscVerify, MessageIndexLayout.Auto, c, out _));
                PinBuffer buffer = new PinBuffer();
                foreach (char d in pin)
                {
                    buffer.Append(d - '0');
                }

                byte[] apdu = new byte[PinBlockBuilder.MaxApduLength];
                int n = PinBlockBuilder.Build(c, buffer, null, apdu, 0, apdu.Length);
                Assert.Equal(13, n);

                // Independent decoding: the block as a string of bits, MSB first.
                string bits = string.Empty;
                for (int i = 0; i < 8; i++)
                {
                    bits += Convert.ToString(apdu[5 + i], 2).PadLeft(8, '0');
                }

                if (lengthField)
                {
                    Assert.Equal(digits, Convert.ToInt32(bits.Substring(0, 4), 2));
                }

                int width = bcd ? 4 : 8;
                bool right = (format & 0x04) != 0;
                int start = right ? bits.Length - (digits * width) : positionBits;
                for (int i = 0; i < digits; i++)
                {
                    int value = Convert.ToInt32(bits.Substring(start + (i * width), width), 2);
                    int expected = (format & 3) == 2 ? '0' + (pin[i] - '0') : pin[i] - '0';
                    Assert.Equal(expected, value);
                }
            }
        }

        [Fact]
        public void SecureVerify_AllocatesNothingOnceWarm()
        {
            FakeClock clock = new FakeClock();
            RecordingIndicators indicators = new RecordingIndicators();
            QuietCard card = new QuietCard();
            LoopKeypad keypad = new LoopKeypad(clock, "1234K");
            SecurePinService service = new SecurePinService(keypad, new QuietDisplay(), indicators, clock);
            byte[] structure = PinStructures.CcidVerifyPadded();
            byte[] response = new byte[64];
            for (int i = 0; i < 3; i++)
            {
                service.Execute(structure, 0, structure.Length, PinStructureForm.CcidSecure, card, T1Edc.None, response, 0, response.Length);
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            const int Rounds = 100;
            int failures = 0;
            for (int i = 0; i < Rounds; i++)
            {
                SecurePinResult r = service.Execute(structure, 0, structure.Length, PinStructureForm.CcidSecure, card, T1Edc.None, response, 0, response.Length);
                failures += r.StatusWord == 0x9000 ? 0 : 1;
            }

            long perOperation = (GC.GetAllocatedBytesForCurrentThread() - before) / Rounds;
            Assert.Equal(0, failures);
            Assert.True(perOperation == 0, "bytes allocated per secure verify: " + perOperation);
        }

        private sealed class QuietCard : ISecureCardChannel
        {
            public bool IsCardPresent => true;

            public void KeepHostWaiting()
            {
            }

            public int Transmit(byte[] command, int commandOffset, int commandLength, byte[] response, int responseOffset, int responseCapacity)
            {
                response[responseOffset] = 0x90;
                response[responseOffset + 1] = 0x00;
                return 2;
            }
        }

        private sealed class QuietDisplay : ITextDisplay
        {
            public int Rows => 2;

            public int Columns => 16;

            public void Show(int row, string text)
            {
            }

            public void Clear()
            {
            }
        }

        private sealed class LoopKeypad : IKeypad
        {
            private readonly FakeClock _clock;
            private readonly Key[] _keys;
            private int _next;

            public LoopKeypad(FakeClock clock, string script)
            {
                _clock = clock;
                _keys = new Key[script.Length];
                for (int i = 0; i < script.Length; i++)
                {
                    _keys[i] = script[i] == 'K' ? Key.Ok : (Key)(script[i] - '0');
                }
            }

            public Key ReadKey(int timeoutMilliseconds)
            {
                _clock.Now += 10;
                Key key = _keys[_next];
                _next = (_next + 1) % _keys.Length;
                return key;
            }

            public void Flush()
            {
            }
        }
    }
}
