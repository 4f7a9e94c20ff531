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
                line1 = statusWord < 0 ? string.Empty : Hex4(statusWord);
            }
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
