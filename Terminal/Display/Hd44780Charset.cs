namespace Terminal.Display
{
    /// <summary>
    /// Maps the reader's Unicode texts to the character codes of an HD44780-type display. The common
    /// ROM (A00, Japanese) has ASCII from 20h to 7Dh (but 5Ch is a yen sign and 7Eh/7Fh are arrows),
    /// a few Latin letters (ä E1h, ö EFh, ü F5h, ß E2h, ° DFh) and no 'é', 'è', 'à' or 'ç'. So the
    /// French texts keep their accents in the firmware and the driver either loads the glyphs below
    /// into CGRAM codes 0-3 (<see cref="UseCustomGlyphs"/>) or falls back to the bare letter
    /// ("Carte bloquee"). Code 0 is a valid CGRAM code, not a terminator: HD44780 has none.
    /// </summary>
    public sealed class Hd44780Charset
    {
        /// <summary>5x8 glyphs for CGRAM codes 0 to 3: é, è, à, ç (one byte per row, 5 low bits).</summary>
        public static readonly byte[] CustomGlyphs =
        {
            0x02, 0x04, 0x0E, 0x11, 0x1F, 0x10, 0x0E, 0x00, // é
            0x08, 0x04, 0x0E, 0x11, 0x1F, 0x10, 0x0E, 0x00, // è
            0x08, 0x04, 0x0E, 0x01, 0x0F, 0x11, 0x0F, 0x00, // à
            0x00, 0x0E, 0x10, 0x10, 0x11, 0x0E, 0x04, 0x0C, // ç
        };

        /// <summary>A mapping; with <paramref name="useCustomGlyphs"/> the driver has loaded <see cref="CustomGlyphs"/> into CGRAM.</summary>
        public Hd44780Charset(bool useCustomGlyphs)
        {
            UseCustomGlyphs = useCustomGlyphs;
        }

        /// <summary>True when é, è, à and ç map to CGRAM codes 0 to 3.</summary>
        public bool UseCustomGlyphs { get; private set; }

        /// <summary>The display code for one character ('?' when the ROM has nothing close).</summary>
        public byte Map(char c)
        {
            switch (c)
            {
                case '\u00E9':
                    return UseCustomGlyphs ? (byte)0 : (byte)'e';
                case '\u00E8':
                    return UseCustomGlyphs ? (byte)1 : (byte)'e';
                case '\u00E0':
                    return UseCustomGlyphs ? (byte)2 : (byte)'a';
                case '\u00E7':
                    return UseCustomGlyphs ? (byte)3 : (byte)'c';
                case '\u00EA':
                case '\u00EB':
                    return (byte)'e';
                case '\u00E2':
                    return (byte)'a';
                case '\u00EE':
                case '\u00EF':
                    return (byte)'i';
                case '\u00F4':
                    return (byte)'o';
                case '\u00F9':
                case '\u00FB':
                    return (byte)'u';
                case '\u00C9':
                case '\u00C8':
                case '\u00CA':
                    return (byte)'E';
                case '\u00C0':
                case '\u00C2':
                    return (byte)'A';
                case '\u00C7':
                    return (byte)'C';
                case '\u00E4':
                    return 0xE1;
                case '\u00F6':
                    return 0xEF;
                case '\u00FC':
                    return 0xF5;
                case '\u00DF':
                    return 0xE2;
                case '\u00B0':
                    return 0xDF;
                case '\\':
                    return (byte)'/';
            }

            return c >= ' ' && c <= '}' ? (byte)c : (byte)'?';
        }

        /// <summary>
        /// Writes <paramref name="text"/> as <paramref name="columns"/> display codes at
        /// <paramref name="offset"/>: cut to the width, padded with spaces. Returns <paramref name="columns"/>.
        /// </summary>
        public int Encode(string text, byte[] dest, int offset, int columns)
        {
            int n = text == null ? 0 : text.Length;
            for (int i = 0; i < columns; i++)
            {
                dest[offset + i] = i < n ? Map(text![i]) : (byte)' ';
            }

            return columns;
        }
    }
}
