namespace Terminal.Display
{
    /// <summary>Languages of the reader's own texts.</summary>
    public enum Language
    {
        /// <summary>English.</summary>
        English = 0,

        /// <summary>French.</summary>
        French = 1,
    }

    /// <summary>The reader's own texts.</summary>
    public enum TextId
    {
        /// <summary>Prompt for the PIN ("Code porteur ?").</summary>
        EnterPin = 0,

        /// <summary>Prompt for a new PIN.</summary>
        NewPin = 1,

        /// <summary>Prompt to type the new PIN again.</summary>
        ConfirmPin = 2,

        /// <summary>Prompt for the unblock code (RESET RETRY COUNTER).</summary>
        UnblockCode = 3,

        /// <summary>A verify succeeded.</summary>
        PinCorrect = 4,

        /// <summary>A change succeeded.</summary>
        PinChanged = 5,

        /// <summary>An unblock succeeded.</summary>
        PinUnblocked = 6,

        /// <summary>First line for 63Cx.</summary>
        WrongPin = 7,

        /// <summary>6983.</summary>
        CardBlocked = 8,

        /// <summary>Cancel key.</summary>
        Cancelled = 9,

        /// <summary>No key in time.</summary>
        Timeout = 10,

        /// <summary>New PIN entries differ.</summary>
        Mismatch = 11,

        /// <summary>The card left during the entry.</summary>
        CardRemoved = 12,

        /// <summary>Any other status word from the card.</summary>
        CardError = 13,
    }

    /// <summary>
    /// The texts of the PIN pad on a 2x16 display, in French and English, at most 16 characters a
    /// line (a test checks every one). They are Unicode strings ("Carte bloquée"): the display driver
    /// maps them to its character set (<see cref="Hd44780Charset"/> for HD44780 ROMs, which have no
    /// 'é'). A result of two lines reads as one phrase when joined by a space: "Code faux -" /
    /// "2 essai(s)".
    /// </summary>
    public static class DisplayTexts
    {
        /// <summary>Characters a line on the reference display.</summary>
        public const int LineWidth = 16;

        private static readonly string[] French =
        {
            "Code porteur ?",
            "Nouveau code ?",
            "Confirmer code",
            "Code d\u00E9blocage ?",
            "Code correct",
            "Code modifi\u00E9",
            "Code d\u00E9bloqu\u00E9",
            "Code faux -",
            "Carte bloqu\u00E9e",
            "Abandon",
            "Temps d\u00E9pass\u00E9",
            "Codes diff\u00E9rents",
            "Carte retir\u00E9e",
            "Erreur carte",
        };

        private static readonly string[] English =
        {
            "Enter PIN",
            "New PIN",
            "Confirm PIN",
            "Unblock code",
            "PIN correct",
            "PIN changed",
            "PIN unblocked",
            "Wrong PIN -",
            "Card blocked",
            "Cancelled",
            "Timeout",
            "PINs differ",
            "Card removed",
            "Card error",
        };

        /// <summary>How many texts there are (for tests that check them all).</summary>
        public static int Count
        {
            get { return English.Length; }
        }

        /// <summary>
        /// The language for a PC/SC wLangId: French for any French locale (primary language 0Ch:
        /// 040Ch France, 080Ch Belgium, 0C0Ch Canada, 100Ch Switzerland...), <paramref name="whenNeutral"/>
        /// for 0 (LANG_NEUTRAL, which OpenSC sends), English otherwise.
        /// </summary>
        public static Language LanguageFor(int langId, Language whenNeutral)
        {
            if (langId == 0)
            {
                return whenNeutral;
            }

            return (langId & 0x3FF) == 0x0C ? Language.French : Language.English;
        }

        /// <summary>A text in a language.</summary>
        public static string Get(TextId id, Language language)
        {
            return language == Language.French ? French[(int)id] : English[(int)id];
        }

        // The 16 possible "tries left" lines per language (SW2 low nibble), built once.
        private static readonly string[] FrenchTries = BuildTries(" essai(s)");
        private static readonly string[] EnglishTries = BuildTries(" left");

        /// <summary>The second line under <see cref="TextId.WrongPin"/>: "2 essai(s)" / "2 left".</summary>
        public static string TriesLeft(int tries, Language language)
        {
            if (tries < 0 || tries > 15)
            {
                return language == Language.French ? tries.ToString() + " essai(s)" : tries.ToString() + " left";
            }

            return language == Language.French ? FrenchTries[tries] : EnglishTries[tries];
        }

        private static string[] BuildTries(string suffix)
        {
            string[] lines = new string[16];
            for (int i = 0; i < lines.Length; i++)
            {
                lines[i] = i.ToString() + suffix;
            }

            return lines;
        }

        /// <summary>
        /// The two lines shown after the card answered a PIN command with <paramref name="statusWord"/>.
        /// <paramref name="instruction"/> (the APDU's INS) and <paramref name="modify"/> pick the success
        /// text; 63Cx gives the tries left, 6983 the blocked card, any other error its status word.
        /// </summary>
        public static void ResultLines(int statusWord, int instruction, bool modify, Language language, out string line0, out string line1)
        {
            line1 = string.Empty;
            if (statusWord == 0x9000)
            {
                int ins = instruction & 0xFE;
                TextId id = ins == 0x2C ? TextId.PinUnblocked : (modify || ins == 0x24 ? TextId.PinChanged : TextId.PinCorrect);
                line0 = Get(id, language);
            }
            else if ((statusWord & 0xFFF0) == 0x63C0)
            {
                line0 = Get(TextId.WrongPin, language);
                line1 = TriesLeft(statusWord & 0x0F, language);
            }
            else if (statusWord == 0x6983)
            {
                line0 = Get(TextId.CardBlocked, language);
            }
            else if (statusWord == 0x6400)
            {
                line0 = Get(TextId.Timeout, language);
            }
            else if (statusWord == 0x6401)
            {
                line0 = Get(TextId.Cancelled, language);
            }
            else if (statusWord == 0x6402)
            {
                line0 = Get(TextId.Mismatch, language);
            }
            else
            {
                line0 = Get(TextId.CardError, language);
                line1 = statusWord < 0 ? string.Empty : StatusWordText(statusWord);
            }
        }

        // The ISO/IEC 7816-4 §5.6 errors a card commonly answers, as constants; any other status word is
        // made once and cached.
        private static readonly int[] CommonStatusWords = new int[]
        {
            0x6281, 0x6282, 0x6283, 0x6300, 0x6581, 0x6700, 0x6881, 0x6882, 0x6981, 0x6982, 0x6984, 0x6985,
            0x6986, 0x6987, 0x6988, 0x6A80, 0x6A81, 0x6A82, 0x6A83, 0x6A84, 0x6A86, 0x6A87, 0x6A88, 0x6B00,
            0x6D00, 0x6E00, 0x6F00,
        };

        private static readonly string[] CommonStatusWordTexts = new string[]
        {
            "6281", "6282", "6283", "6300", "6581", "6700", "6881", "6882", "6981", "6982", "6984", "6985",
            "6986", "6987", "6988", "6A80", "6A81", "6A82", "6A83", "6A84", "6A86", "6A87", "6A88", "6B00",
            "6D00", "6E00", "6F00",
        };

        private const int StatusWordCacheSize = 64;
        private static readonly int[] CachedStatusWords = NoStatusWords(StatusWordCacheSize);
        private static readonly string[] CachedStatusWordTexts = new string[StatusWordCacheSize];
        private static int _nextStatusWordSlot;

        /// <summary>
        /// The status word as four hex digits for the card-error screen (61xx, 6Cxx and 9Fxx as such).
        /// The common ISO/IEC 7816-4 errors are constants and the last 64 others shown are kept,
        /// so a card that keeps answering the same error costs no allocation after the first time (the
        /// relay path, PIN pad included, allocates nothing once warm).
        /// </summary>
        public static string StatusWordText(int statusWord)
        {
            // Where SW2 is a length (61xx more data, 6Cxx wrong Le, 9Fxx), not a diagnosis, the class is
            // shown: the text stays one of a bounded set, whatever the card sends.
            switch (statusWord >> 8)
            {
                case 0x61:
                    return "61xx";
                case 0x6C:
                    return "6Cxx";
                case 0x9F:
                    return "9Fxx";
            }
            for (int i = 0; i < CommonStatusWords.Length; i++)
            {
                if (CommonStatusWords[i] == statusWord)
                {
                    return CommonStatusWordTexts[i];
                }
            }
            lock (CachedStatusWordTexts)
            {
                for (int i = 0; i < StatusWordCacheSize; i++)
                {
                    if (CachedStatusWords[i] == statusWord)
                    {
                        return CachedStatusWordTexts[i];
                    }
                }
                string text = Hex4(statusWord);
                int slot = _nextStatusWordSlot;
                _nextStatusWordSlot = (slot + 1) % StatusWordCacheSize;
                CachedStatusWords[slot] = statusWord;
                CachedStatusWordTexts[slot] = text;
                return text;
            }
        }

        private static int[] NoStatusWords(int count)
        {
            int[] words = new int[count];
            for (int i = 0; i < count; i++)
            {
                words[i] = -1;
            }
            return words;
        }

        /// <summary>Four upper-case hex digits.</summary>
        public static string Hex4(int value)
        {
            const string Digits = "0123456789ABCDEF";
            char[] text = new char[4];
            for (int i = 0; i < 4; i++)
            {
                text[i] = Digits[(value >> (12 - (4 * i))) & 0x0F];
            }

            return new string(text);
        }
    }
}
