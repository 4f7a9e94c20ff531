using nanoFramework.TestFramework;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// Issue 8 "done when": after several PIN entries of every kind, the PIN is in no text shown and in
    /// no byte returned to the host, in ASCII, BCD or ISO 9564 format-2 encoding, and the PIN buffers
    /// are all zero after each entry.
    /// </summary>
    [TestClass]
    public class PinLeakTests
    {
        private static bool ContainsBytes(byte[] haystack, int length, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= length; i++)
            {
                bool match = true;
                for (int j = 0; j < needle.Length && match; j++)
                {
                    match = haystack[i + j] == needle[j];
                }

                if (match)
                {
                    return true;
                }
            }

            return false;
        }

        private static void AssertNoLeak(PinPadRig rig, SecurePinResult r, string pin)
        {
            Assert.IsTrue(rig.StorageIsZero, "PIN buffers all zero");
            Assert.IsTrue(rig.Service.BuffersAreClear, "APDU buffers all zero");
            byte[] ascii = new byte[pin.Length];
            for (int i = 0; i < pin.Length; i++)
            {
                ascii[i] = (byte)pin[i];
            }

            byte[] bcd = new byte[pin.Length / 2];
            for (int i = 0; i < bcd.Length; i++)
            {
                bcd[i] = (byte)(((pin[2 * i] - '0') << 4) | (pin[(2 * i) + 1] - '0'));
            }

            byte[] format2 = new byte[1 + bcd.Length];
            format2[0] = (byte)(0x20 | pin.Length);
            for (int i = 0; i < bcd.Length; i++)
            {
                format2[1 + i] = bcd[i];
            }

            Assert.IsFalse(ContainsBytes(rig.Response, r.ResponseLength, ascii), "ASCII PIN in the answer to the host");
            Assert.IsFalse(ContainsBytes(rig.Response, r.ResponseLength, bcd), "BCD PIN in the answer to the host");
            Assert.IsFalse(ContainsBytes(rig.Response, r.ResponseLength, format2), "format-2 PIN in the answer to the host");
            foreach (string text in rig.Display.Shown)
            {
                Assert.IsTrue(text.IndexOf(pin) < 0, "PIN digits on the display: " + text);
                Assert.IsTrue(text.IndexOf(pin.Substring(0, 2)) < 0, "PIN digits on the display: " + text);
                string hexBcd = string.Empty;
                for (int i = 0; i < format2.Length; i++)
                {
                    hexBcd += format2[i].ToString("X2");
                }

                Assert.IsTrue(text.IndexOf(hexBcd) < 0, "format-2 PIN as hex on the display: " + text);
            }
        }

        [TestMethod]
        public void SeveralEntries_AllFormats_NoPinAnywhere_BuffersZero()
        {
            PinPadRig rig = new PinPadRig();
            rig.Card.Pin = new byte[] { 0x37, 0x35, 0x39, 0x38 };

            rig.Keypad.Type("1368K", 300);
            AssertNoLeak(rig, rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify), "1368");

            rig.Keypad.Type("7598K", 300);
            AssertNoLeak(rig, rig.Run(PinStructures.OpenScVerifyPadded(), PinStructureForm.PcscVerify), "7598");

            byte[] bcd = PinBlockFormatTests.Verify(0x81, 0x08, 0x00, 8, 4, "00 20 00 01 08 FF FF FF FF FF FF FF FF");
            rig.Keypad.Type("7598K", 300);
            AssertNoLeak(rig, rig.Run(bcd, PinStructureForm.PcscVerify), "7598");

            byte[] format2 = PinBlockFormatTests.Verify(0x89, 0x48, 0x04, 12, 4, "00 20 00 01 08 20 FF FF FF FF FF FF FF");
            rig.Keypad.Type("7598K", 300);
            AssertNoLeak(rig, rig.Run(format2, PinStructureForm.PcscVerify), "7598");

            rig.Keypad.Type("7598K,1357K,1357K", 300);
            AssertNoLeak(rig, rig.Run(PinStructures.PcscChange(3), PinStructureForm.PcscModify), "1357");

            rig.Keypad.Type("1357K,2468K,2469K", 300);
            AssertNoLeak(rig, rig.Run(PinStructures.PcscChange(3), PinStructureForm.PcscModify), "2468");

            rig.Keypad.Type("13C", 300);
            AssertNoLeak(rig, rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure), "1357");

            int sent = rig.Card.Commands.Count;
            rig.Keypad.Type("135", 300);
            SecurePinResult timedOut = rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure);
            Assert.AreEqual(0x6400, timedOut.StatusWord);
            AssertNoLeak(rig, timedOut, "1357");
            Assert.AreEqual(sent, rig.Card.Commands.Count, "a timed-out entry sends nothing");
        }
    }
}
