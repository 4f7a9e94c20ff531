using nanoFramework.TestFramework;
using Terminal.Display;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>
    /// The GemPC Pinpad string table libccid loads at start-up (Escape B2 A0 00 4D 4C + 10 x 16
    /// characters, ccid.c): parsed, and used for structures that leave the language to the reader.
    /// </summary>
    [TestClass]
    public class HostMessageTableTests
    {
        /// <summary>The Escape as libccid builds it for LANG=fr (its own strings, space padded).</summary>
        public static byte[] FrenchLoadEscape()
        {
            string[] fr = { "Entrer PIN", "Nouveau PIN", "Confirmer PIN", "PIN correct", "PIN Incorrect !", "Delai depasse", "* essai restant", "Inserer carte", "Erreur carte", "PIN bloque" };
            byte[] escape = new byte[HostMessageTable.EscapeLength];
            escape[0] = 0xB2;
            escape[1] = 0xA0;
            escape[2] = 0x00;
            escape[3] = 0x4D;
            escape[4] = 0x4C;
            for (int i = 0; i < 10; i++)
            {
                for (int j = 0; j < 16; j++)
                {
                    escape[5 + (16 * i) + j] = j < fr[i].Length ? (byte)fr[i][j] : (byte)' ';
                }
            }

            return escape;
        }

        [TestMethod]
        public void LoadEscape_IsRecognisedAndParsed()
        {
            byte[] escape = FrenchLoadEscape();
            HostMessageTable table = new HostMessageTable();
            Assert.IsTrue(HostMessageTable.IsLoadCommand(escape, 0, escape.Length));
            Assert.IsTrue(table.Load(escape, 0, escape.Length));
            Assert.AreEqual("Entrer PIN", table[0] ?? "(none)");
            Assert.AreEqual("PIN bloque", table[9] ?? "(none)");
            Assert.AreEqual("PIN Incorrect !", table.TextFor(TextId.WrongPin) ?? "(none)");
            Assert.AreEqual("2 essai restant", table.TriesLeft(2) ?? "(none)");
            Assert.IsNull(table.TextFor(TextId.Cancelled));
        }

        [TestMethod]
        public void OtherEscapes_AreNotLoads()
        {
            byte[] escape = FrenchLoadEscape();
            HostMessageTable table = new HostMessageTable();
            Assert.IsFalse(table.Load(escape, 0, escape.Length - 1));
            escape[3] = 0x00;
            Assert.IsFalse(table.Load(escape, 0, escape.Length));
            Assert.IsFalse(table.IsLoaded);
            Assert.IsNull(table[0]);
        }

        [TestMethod]
        public void LoadedStrings_ShownForWLangId0_OwnTextsOtherwise()
        {
            PinPadRig rig = new PinPadRig();
            byte[] escape = FrenchLoadEscape();
            Assert.IsTrue(rig.Service.HostMessages.Load(escape, 0, escape.Length));

            rig.Keypad.Type("1111K", 300);
            SecurePinResult r = rig.Run(PinStructures.OpenScVerify(), PinStructureForm.PcscVerify);
            Assert.AreEqual(0x63C2, r.StatusWord);
            Assert.IsTrue(rig.Display.Contains("Entrer PIN"));
            Assert.AreEqual("PIN Incorrect !", rig.Display.Line0);
            Assert.AreEqual("2 essai restant", rig.Display.Line1);

            rig.Keypad.Type("1234K", 300);
            rig.Run(PinStructures.CcidVerifyPadded(), PinStructureForm.CcidSecure);
            Assert.IsTrue(rig.Display.Contains("Code porteur ?"), "wLangId 040Ch: the reader's own French texts");
            Assert.AreEqual("Code correct", rig.Display.Line0);
        }
    }
}
