using nanoFramework.TestFramework;
using Terminal.Display;
using Terminal.PinPad;

namespace Terminal.Tests.Device.PinPad
{
    /// <summary>Issue 8 item 5: the texts, French or English by wLangId, at most 16 characters a line; the HD44780 mapping.</summary>
    [TestClass]
    public class DisplayTextsTests
    {
        [TestMethod]
        public void EveryText_FitsA16CharacterLine_InBothLanguages()
        {
            for (int i = 0; i < DisplayTexts.Count; i++)
            {
                Assert.IsTrue(DisplayTexts.Get((TextId)i, Language.French).Length <= 16, DisplayTexts.Get((TextId)i, Language.French));
                Assert.IsTrue(DisplayTexts.Get((TextId)i, Language.English).Length <= 16, DisplayTexts.Get((TextId)i, Language.English));
            }

            for (int tries = 0; tries < 16; tries++)
            {
                Assert.IsTrue(DisplayTexts.TriesLeft(tries, Language.French).Length <= 16);
            }
        }

        [TestMethod]
        [DataRow(0x040C, 1)]
        [DataRow(0x080C, 1)]
        [DataRow(0x0C0C, 1)]
        [DataRow(0x0409, 0)]
        [DataRow(0x0407, 0)]
        [DataRow(0x0000, 0)]
        public void LanguageByWLangId(int langId, int expected)
        {
            Assert.AreEqual(expected, (int)DisplayTexts.LanguageFor(langId, Language.English));
        }

        [TestMethod]
        public void NeutralLangId_UsesTheConfiguredLanguage()
        {
            Assert.AreEqual((int)Language.French, (int)DisplayTexts.LanguageFor(0, Language.French));
        }

        [TestMethod]
        public void PromptTexts()
        {
            Assert.AreEqual("Code porteur ?", DisplayTexts.Get(TextId.EnterPin, Language.French));
            Assert.AreEqual("Enter PIN", DisplayTexts.Get(TextId.EnterPin, Language.English));
            Assert.AreEqual("Nouveau code ?", DisplayTexts.Get(TextId.NewPin, Language.French));
            Assert.AreEqual("Confirmer code", DisplayTexts.Get(TextId.ConfirmPin, Language.French));
            Assert.AreEqual("Abandon", DisplayTexts.Get(TextId.Cancelled, Language.French));
            Assert.AreEqual("Cancelled", DisplayTexts.Get(TextId.Cancelled, Language.English));
        }

        [TestMethod]
        [DataRow(0x63C2, "Code faux -", "2 essai(s)", "Wrong PIN -", "2 left")]
        [DataRow(0x63C1, "Code faux -", "1 essai(s)", "Wrong PIN -", "1 left")]
        [DataRow(0x6983, "Carte bloqu\u00E9e", "", "Card blocked", "")]
        [DataRow(0x9000, "Code correct", "", "PIN correct", "")]
        [DataRow(0x6A88, "Erreur carte", "6A88", "Card error", "6A88")]
        public void ResultLines_ForVerify(int sw, string fr0, string fr1, string en0, string en1)
        {
            string l0;
            string l1;
            DisplayTexts.ResultLines(sw, 0x20, false, Language.French, out l0, out l1);
            Assert.AreEqual(fr0, l0);
            Assert.AreEqual(fr1, l1);
            Assert.AreEqual("Code faux - 2 essai(s)", DisplayTexts.Get(TextId.WrongPin, Language.French) + " " + DisplayTexts.TriesLeft(2, Language.French));
            DisplayTexts.ResultLines(sw, 0x20, false, Language.English, out l0, out l1);
            Assert.AreEqual(en0, l0);
            Assert.AreEqual(en1, l1);
        }

        [TestMethod]
        public void Stars_ShowTheCount_NeverTheDigits()
        {
            Assert.AreEqual(string.Empty, PinEntry.StarsFor(0, 16));
            Assert.AreEqual("****", PinEntry.StarsFor(4, 16));
            Assert.AreEqual("****************", PinEntry.StarsFor(16, 16));
            Assert.AreEqual("************* 17", PinEntry.StarsFor(17, 16));
        }

        [TestMethod]
        public void Hd44780_NoEAcuteInRom_FallsBackOrUsesCgram()
        {
            Hd44780Charset plain = new Hd44780Charset(false);
            byte[] line = new byte[16];
            plain.Encode("Carte bloqu\u00E9e", line, 0, 16);
            Assert.Equal(new byte[] { 0x43, 0x61, 0x72, 0x74, 0x65, 0x20, 0x62, 0x6C, 0x6F, 0x71, 0x75, 0x65, 0x65, 0x20, 0x20, 0x20 }, line);
            Hd44780Charset glyphs = new Hd44780Charset(true);
            Assert.AreEqual((byte)0, glyphs.Map('\u00E9'));
            Assert.AreEqual((byte)3, glyphs.Map('\u00E7'));
            Assert.AreEqual((byte)'?', plain.Map('\u20AC'));
            Assert.AreEqual((byte)'/', plain.Map('\\'));
            Assert.AreEqual(32, Hd44780Charset.CustomGlyphs.Length);
        }
    }
}
