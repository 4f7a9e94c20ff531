using System;
using Terminal.Pace;
using Xunit;

namespace Terminal.Tests.Pace
{
    /// <summary>
    /// The EstablishPACEChannel / GetReaderPACECapabilities / DestroyPACEChannel structures of PC/SC part 10
    /// amendment 1 (binary form) and BSI TR-03119 boxing (DER form): every field read, every malformed input refused
    /// with its Result code and the offset of the bad field, every output byte for byte.
    /// </summary>
    public class PaceHostInterfaceTests
    {
        internal static byte[] H(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        private const string Chat = "7F4C 0E 06 09 04007F000703010201 53 01 03";

        [Fact]
        public void PcscPart10Amd1_EstablishInput_Binary_EveryFieldRead()
        {
            // PinID 03, lengthCHAT 16 + CHAT, lengthPIN 6 + "123456", lengthCertificateDescription 0002 + 2 bytes.
            byte[] d = H("AA 03 11 " + Chat + " 06 313233343536 0200 C1C2");
            var input = new EstablishPaceInput();
            Assert.Equal(PaceHostResult.Success, input.ParseBinary(d, 1, d.Length - 1));
            Assert.Equal(3, input.PasswordId);
            Assert.Equal(3, input.ChatOffset);
            Assert.Equal(17, input.ChatLength);
            Assert.Equal(0x7F, d[input.ChatOffset]);
            Assert.Equal(21, input.PasswordOffset);
            Assert.Equal(6, input.PasswordLength);
            Assert.Equal(0x31, d[input.PasswordOffset]);
            Assert.Equal(2, input.DescriptionLength);
            Assert.Equal(0xC1, d[input.DescriptionOffset]);
        }

        [Fact]
        public void PcscPart10Amd1_EstablishInput_Binary_EmptyPasswordMeansTheKeypad()
        {
            var input = new EstablishPaceInput();
            byte[] d = H("02 00 00 0000");
            Assert.Equal(PaceHostResult.Success, input.ParseBinary(d, 0, d.Length));
            Assert.Equal(2, input.PasswordId);
            Assert.Equal(0, input.PasswordLength);
            Assert.Equal(0, input.ChatLength);
        }

        [Theory]
        [InlineData("03 00 00 00", 0xD0000001u, 4)]                    // shorter than the 5 fixed bytes
        [InlineData("03 09 7F4C 00 00 0000", 0xD0000001u, 1)]          // lengthCHAT past the end
        [InlineData("03 00 07 313233 0000", 0xD0000001u, 2)]           // lengthPIN past the end
        [InlineData("03 00 00 0000 FF", 0xD0000001u, 3)]               // a byte after the description
        [InlineData("03 00 00 0300 C1", 0xD0000001u, 3)]               // description shorter than its length
        [InlineData("04 00 00 0000", 0xE0000003u, -1)]                 // PUK: not supported
        [InlineData("00 00 00 0000", 0xE0000003u, -1)]                 // unknown password ID
        [InlineData("01 00 00 0000", 0xD0000003u, -1)]                 // MRZ from the keypad
        [InlineData("03 03 5F2001 00 0000", 0xD0000002u, 2)]           // CHAT not DO'7F4C'
        [InlineData("03 04 7F4C0500 00 0000", 0xD0000002u, 2)]         // CHAT length field wrong
        public void PcscPart10Amd1_EstablishInput_Binary_MalformedRefusedWithResultAndOffset(string hex, uint result, int offset)
        {
            byte[] d = H(hex);
            var input = new EstablishPaceInput();
            Assert.Equal(result, input.ParseBinary(d, 0, d.Length));
            if (offset >= 0)
            {
                Assert.Equal(offset, input.ErrorOffset);
            }
        }

        [Fact]
        public void TR03119_EstablishInput_Boxed_PasswordIdPasswordChatDescriptionRead()
        {
            // SEQUENCE { [1] INTEGER 3, [2] NumericString "123456", [3] OCTET STRING CHAT, [4] description, [5] OID }
            string inner = "A1 03 020103 A2 08 1206313233343536 A3 13 0411" + Chat + " A4 02 C1C2 A5 05 0603 2B0E03";
            byte[] body = H(inner);
            byte[] d = H("30 " + body.Length.ToString("X2") + inner);
            var input = new EstablishPaceInput();
            Assert.Equal(PaceHostResult.Success, input.ParseBoxed(d, 0, d.Length));
            Assert.Equal(3, input.PasswordId);
            Assert.Equal(6, input.PasswordLength);
            Assert.Equal((byte)'1', d[input.PasswordOffset]);
            Assert.Equal(17, input.ChatLength);
            Assert.Equal(0x7F, d[input.ChatOffset]);
            Assert.Equal(2, input.DescriptionLength);
        }

        [Fact]
        public void TR03119_EstablishInput_Boxed_WithoutPasswordMeansTheKeypad()
        {
            byte[] d = H("30 05 A1 03 020102");
            var input = new EstablishPaceInput();
            Assert.Equal(PaceHostResult.Success, input.ParseBoxed(d, 0, d.Length));
            Assert.Equal(2, input.PasswordId);
            Assert.Equal(0, input.PasswordLength);
        }

        [Theory]
        [InlineData("31 05 A1 03 020103", 0xD0000001u)]              // not a SEQUENCE
        [InlineData("30 06 A1 03 020103", 0xD0000001u)]              // SEQUENCE length wrong
        [InlineData("30 05 A1 04 020103", 0xD0000001u)]              // element length past the end
        [InlineData("30 05 A7 03 020103", 0xD0000002u)]              // unknown element
        [InlineData("30 0A A1 03 020103 A1 03 020103", 0xD0000002u)] // passwordID twice
        [InlineData("30 05 A2 03 120131", 0xD0000002u)]              // no passwordID
        [InlineData("30 05 A1 03 040103", 0xD0000002u)]              // passwordID not an INTEGER
        [InlineData("30 06 A1 04 02020003", 0xD0000002u)]            // passwordID of two bytes
        [InlineData("30 05 A1 03 020104", 0xE0000003u)]              // PUK
        [InlineData("30 05 A1 03 020101", 0xD0000003u)]              // MRZ without a password
        [InlineData("30 0A A1 03 020103 A3 03 04015F", 0xD0000002u)] // CHAT not DO'7F4C'
        public void TR03119_EstablishInput_Boxed_MalformedRefusedWithResult(string hex, uint result)
        {
            byte[] d = H(hex);
            var input = new EstablishPaceInput();
            Assert.Equal(result, input.ParseBoxed(d, 0, d.Length));
        }

        [Fact]
        public void PcscPart10Amd1_GetReaderPaceCapabilities_Binary_ResultLengthAndBitmapPaceDestroy()
        {
            var b = new byte[7];
            Assert.Equal(7, PaceHostOutput.CapabilitiesBinary(b, 0, 7));
            Assert.Equal(H("00000000 0100 C0"), b);
            Assert.Equal(-1, PaceHostOutput.CapabilitiesBinary(b, 0, 6));
        }

        [Fact]
        public void TR03119_GetReaderPaceCapabilities_Boxed_FourBooleans()
        {
            var b = new byte[22];
            Assert.Equal(22, PaceHostOutput.CapabilitiesBoxed(b, 0, 22));
            Assert.Equal(H("30 14 A1030101FF A203010100 A303010100 A4030101FF"), b);
        }

        [Fact]
        public void PcscPart10Amd1_EstablishOutput_Binary_ResultLengthMseCardAccessCarsIdicc()
        {
            byte[] access = H("31 14 30 12 06 0A 04007F00070202040202 02 01 02 02 01 0D");
            var b = new byte[64];
            int n = PaceHostOutput.EstablishBinary(0xF00663C2, 0x63C2, access, access.Length, b, 0, b.Length);
            Assert.Equal(6 + 2 + 2 + access.Length + 4, n);
            Assert.Equal(H("C26306F0"), b[..4]);
            Assert.Equal(2 + 2 + access.Length + 4, b[4] | (b[5] << 8));
            Assert.Equal(H("63C2"), b[6..8]);
            Assert.Equal(access.Length, b[8] | (b[9] << 8));
            Assert.Equal(access, b[10..(10 + access.Length)]);
            Assert.Equal(H("00 00 0000"), b[(10 + access.Length)..n]);
        }

        [Fact]
        public void TR03119_EstablishOutput_Boxed_ErrorCodeStatusCardAccess()
        {
            byte[] access = H("31 03 020100");
            var b = new byte[64];
            int n = PaceHostOutput.EstablishBoxed(0, 0x9000, access, access.Length, b, 0, b.Length);
            // errorCode and statusMSESetAT as OpenSC reads them on a little-endian host.
            Assert.Equal(H("30 15 A1 06 0404 00000000 A2 04 0402 0090 A3 05 31 03 020100"), b[..n]);
            Assert.Equal(-1, PaceHostOutput.EstablishBoxed(0, 0x9000, access, access.Length, b, 0, n - 1));
        }

        [Fact]
        public void TR03119_EstablishOutput_Boxed_LongCardAccessUsesLongLengths()
        {
            byte[] access = new byte[300];
            var b = new byte[400];
            int n = PaceHostOutput.EstablishBoxed(0, 0x9000, access, access.Length, b, 0, b.Length);
            Assert.Equal(H("30 82 013E"), b[..4]);
            Assert.Equal(H("A3 82 012C"), b[(4 + 14)..(4 + 18)]);
            Assert.Equal(4 + 14 + 4 + 300, n);
        }

        [Fact]
        public void PcscPart10Amd1_DestroyOutput_Binary_ResultZeroNoData()
        {
            var b = new byte[6];
            Assert.Equal(6, PaceHostOutput.DestroyBinary(b, 0, 6));
            Assert.Equal(H("00000000 0000"), b);
        }

        [Fact]
        public void Trace_PinMask_EstablishPaceChannelPasswordMaskedInBoxingPpduAndCcidSecure()
        {
            byte[] boxed = H("FF 9A 04 02 0F 30 0D A1 03 020103 A2 08 1206313233343536 00");
            Assert.Equal(15, Terminal.Tracing.PinMask.MaskCommandApdu(boxed, 0, boxed.Length));
            Assert.Equal(H("FF 9A 04 02 0F"), boxed[..5]);
            Assert.All(boxed[5..20], b => Assert.Equal(0x2A, b));

            byte[] ppdu = H("FF C2 01 20 0E 02 0B00 03 00 06 313233343536 0000");
            Assert.Equal(14, Terminal.Tracing.PinMask.MaskCommandApdu(ppdu, 0, ppdu.Length));
            Assert.DoesNotContain((byte)0x31, ppdu[5..]);

            byte[] secure = H("69 0C000000 01 00 00 0000 20 03 00 06 313233343536 0000");
            Assert.Equal(11, Terminal.Tracing.PinMask.MaskCcidMessage(secure, 0, secure.Length));
            Assert.Equal(0x20, secure[10]);
            Assert.All(secure[11..], b => Assert.Equal(0x2A, b));

            // Capabilities and destroy carry no password: left as they are.
            byte[] caps = H("FF 9A 04 01 00");
            Assert.Equal(0, Terminal.Tracing.PinMask.MaskCommandApdu(caps, 0, caps.Length));
            byte[] select = H("00 A4 02 0C 02 011C");
            Assert.Equal(0, Terminal.Tracing.PinMask.MaskCommandApdu(select, 0, select.Length));
        }
    }
}
