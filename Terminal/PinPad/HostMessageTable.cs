using Terminal.Display;

namespace Terminal.PinPad
{
    /// <summary>
    /// The prompt strings a host loads into a GemPC Pinpad-type reader at start-up, in the host's own
    /// language: libccid (ccid.c, GEMPCPINPAD / VEGAALPHA) sends the Escape <c>B2 A0 00 4D 4C</c>
    /// followed by 10 strings of 16 characters, space padded: "Enter PIN", "New PIN", "Confirm PIN",
    /// "PIN OK", "Incorrect PIN!", "Time Out", "* retries left" ('*' stands for the count),
    /// "Insert Card", "Card Error", "PIN blocked" (or their French, German... versions chosen by the
    /// host's LANG). When loaded, the secure PIN service uses them for structures whose wLangId is 0,
    /// so the reader speaks the host's language like the reader libccid thinks it talks to.
    /// </summary>
    public sealed class HostMessageTable
    {
        /// <summary>Strings in the table.</summary>
        public const int Count = 10;

        /// <summary>Characters a string.</summary>
        public const int Width = 16;

        /// <summary>Length of the whole Escape payload: header and strings.</summary>
        public const int EscapeLength = 5 + (Count * Width);

        private readonly string[] _texts = new string[Count];

        /// <summary>True once a table has been loaded.</summary>
        public bool IsLoaded { get; private set; }

        /// <summary>True for the Escape payload that loads the strings (the CCID layer answers it with success).</summary>
        public static bool IsLoadCommand(byte[] escape, int offset, int length)
        {
            return escape != null && length == EscapeLength && offset >= 0 && offset + length <= escape.Length
                && escape[offset] == 0xB2 && escape[offset + 1] == 0xA0 && escape[offset + 2] == 0x00
                && escape[offset + 3] == 0x4D && escape[offset + 4] == 0x4C;
        }

        /// <summary>Loads the strings of a load Escape; false (table unchanged) when it is not one. Non-ASCII bytes become '?'.</summary>
        public bool Load(byte[] escape, int offset, int length)
        {
            if (!IsLoadCommand(escape, offset, length))
            {
                return false;
            }

            for (int i = 0; i < Count; i++)
            {
                int start = offset + 5 + (i * Width);
                int end = Width;
                while (end > 0 && (escape[start + end - 1] == 0x20 || escape[start + end - 1] == 0x00))
                {
                    end--;
                }

                char[] text = new char[end];
                for (int j = 0; j < end; j++)
                {
                    byte b = escape[start + j];
                    text[j] = b >= 0x20 && b < 0x7F ? (char)b : '?';
                }

                _texts[i] = new string(text);
            }

            IsLoaded = true;
            return true;
        }

        /// <summary>String <paramref name="index"/> (0 to 9), or null when not loaded.</summary>
        public string? this[int index]
        {
            get { return IsLoaded && index >= 0 && index < Count ? _texts[index] : null; }
        }

        /// <summary>
        /// The host's text for one of ours, or null when the table has none for it (the reader's own
        /// text is used then). Wrong PIN maps to "Incorrect PIN!"; its tries line is <see cref="TriesLeft"/>.
        /// </summary>
        public string? TextFor(TextId id)
        {
            switch (id)
            {
                case TextId.EnterPin:
                    return this[0];
                case TextId.NewPin:
                    return this[1];
                case TextId.ConfirmPin:
                    return this[2];
                case TextId.PinCorrect:
                    return this[3];
                case TextId.WrongPin:
                    return this[4];
                case TextId.Timeout:
                    return this[5];
                case TextId.CardError:
                    return this[8];
                case TextId.CardBlocked:
                    return this[9];
            }

            return null;
        }

        /// <summary>The host's "* retries left" with the count in place of '*', or null.</summary>
        public string? TriesLeft(int tries)
        {
            string? pattern = this[6];
            if (pattern == null || tries < 0 || tries > 9)
            {
                return null;
            }

            int star = pattern.IndexOf('*');
            if (star < 0)
            {
                return pattern;
            }

            char[] text = pattern.ToCharArray();
            text[star] = (char)('0' + tries);
            return new string(text);
        }
    }
}
