namespace Terminal.PinPad
{
    /// <summary>
    /// Builds the command APDU sent to the card from a parsed structure's template and the typed
    /// PIN(s), following PC/SC part 10 section 2.5.2 and CCID rev 1.1 section 6.1.11: the PIN block
    /// starts in the template's data field at the insertion offset (0 for a verify); in it, the PIN
    /// frame starts at the PIN position (bits or bytes, bmFormatString bit 7) and the length field at
    /// its own position (bmPINLengthFormat); digits are binary, BCD or ASCII, left or right justified;
    /// bytes of a fixed block not covered by digits keep the template's value (the host's padding:
    /// FFh for ASCII-with-padding, F nibbles for ISO 9564 format 2). A block size of 0 makes the block
    /// variable: it is inserted at the insertion offset, sized to the digits, and Lc is set to the new
    /// data length (OpenSC's template <c>00 20 00 01 00</c> becomes <c>00 20 00 01 04 31 32 33 34</c>).
    /// Bits are numbered from the most significant bit of the first byte.
    /// </summary>
    public static class PinBlockBuilder
    {
        /// <summary>Largest APDU the builder makes: header, Lc, 255 data bytes, Le.</summary>
        public const int MaxApduLength = 261;

        /// <summary>
        /// Writes the APDU to <paramref name="dest"/> from <paramref name="destOffset"/> and returns its
        /// length, or -1 when it does not fit in <paramref name="capacity"/> bytes or 255 data bytes.
        /// <paramref name="current"/> is the PIN for a verify and the current PIN of a modify (null when
        /// the modify does not ask for it); <paramref name="newPin"/> is the new PIN of a modify.
        /// </summary>
        public static int Build(PinCommand c, PinBuffer? current, PinBuffer? newPin, byte[] dest, int destOffset, int capacity)
        {
            byte[]? template = c.Buffer;
            if (template == null || c.ApduLength < 4 || capacity < 5)
            {
                return -1;
            }

            int t = c.ApduOffset;
            for (int i = 0; i < 4; i++)
            {
                dest[destOffset + i] = template[t + i];
            }

            int data = destOffset + 5;
            int dataLength = c.TemplateLc;
            if (5 + dataLength > capacity)
            {
                return -1;
            }

            for (int i = 0; i < dataLength; i++)
            {
                dest[data + i] = template[t + 5 + i];
            }

            PinBuffer? first = null;
            PinBuffer? second = null;
            int firstAt = 0;
            int secondAt = 0;
            if (c.Operation == PinOperation.Verify)
            {
                first = current;
            }
            else
            {
                // Variable blocks are inserted from the highest offset down so that each offset stays
                // relative to the template; at equal offsets the current PIN ends up first.
                if (c.CurrentPinRequested && current != null)
                {
                    first = current;
                    firstAt = c.InsertionOffsetOld;
                }

                if (newPin != null)
                {
                    if (first == null || c.InsertionOffsetNew >= firstAt)
                    {
                        second = first;
                        secondAt = firstAt;
                        first = newPin;
                        firstAt = c.InsertionOffsetNew;
                    }
                    else
                    {
                        second = newPin;
                        secondAt = c.InsertionOffsetNew;
                    }
                }
            }

            if (first != null)
            {
                dataLength = PlaceBlock(c, first, dest, data, dataLength, firstAt, capacity - 5);
                if (dataLength < 0)
                {
                    return -1;
                }
            }

            if (second != null)
            {
                dataLength = PlaceBlock(c, second, dest, data, dataLength, secondAt, capacity - 5);
                if (dataLength < 0)
                {
                    return -1;
                }
            }

            if (dataLength > 255)
            {
                return -1;
            }

            int length = 5 + dataLength;
            dest[destOffset + 4] = (byte)dataLength;
            if (c.TemplateHasLe)
            {
                if (length >= capacity)
                {
                    return -1;
                }

                dest[destOffset + length] = template[t + c.ApduLength - 1];
                length++;
            }

            return length;
        }

        /// <summary>
        /// Writes an ISO 9564-1 format 2 PIN block (control nibble 2, length nibble, BCD digits, F
        /// fillers; 8 bytes) of <paramref name="pin"/> at <paramref name="offset"/>. Returns 8, or -1
        /// for a PIN outside 4 to 14 digits.
        /// </summary>
        public static int Iso9564Format2(PinBuffer pin, byte[] dest, int offset)
        {
            int n = pin.Count;
            if (n < 4 || n > 14)
            {
                return -1;
            }

            dest[offset] = (byte)(0x20 | n);
            for (int i = 1; i < 8; i++)
            {
                dest[offset + i] = 0xFF;
            }

            for (int i = 0; i < n; i++)
            {
                WriteBits(dest, offset, 8 + (i * 4), pin.DigitAt(i), 4);
            }

            return 8;
        }

        // Returns the new data length, or -1.
        private static int PlaceBlock(PinCommand c, PinBuffer pin, byte[] dest, int data, int dataLength, int at, int dataCapacity)
        {
            int n = pin.Count;
            int digitBits = c.DigitBits;
            int frameStart = c.PinPositionBits;
            int blockBits;
            if (c.BlockSize > 0)
            {
                blockBits = c.BlockSize * 8;
                if (at + c.BlockSize > dataLength || frameStart + (n * digitBits) > blockBits)
                {
                    return -1;
                }
            }
            else
            {
                int needed = frameStart + (n * digitBits);
                int lengthEnd = c.LengthFieldBits > 0 ? c.LengthPositionBits + c.LengthFieldBits : 0;
                if (lengthEnd > needed)
                {
                    needed = lengthEnd;
                }

                int blockBytes = (needed + 7) / 8;
                if (at > dataLength || dataLength + blockBytes > dataCapacity)
                {
                    return -1;
                }

                // Open a gap at the insertion point: shift the rest of the template's data right.
                for (int i = dataLength - 1; i >= at; i--)
                {
                    dest[data + i + blockBytes] = dest[data + i];
                }

                for (int i = 0; i < blockBytes; i++)
                {
                    // Fillers of a variable block: F nibbles after BCD digits, zero elsewhere.
                    dest[data + at + i] = c.Encoding == PinEncoding.Bcd ? (byte)0xFF : (byte)0x00;
                }

                if (c.Encoding == PinEncoding.Bcd && frameStart > 0)
                {
                    for (int bit = 0; bit < frameStart; bit += 4)
                    {
                        WriteBits(dest, data + at, bit, 0, frameStart - bit < 4 ? frameStart - bit : 4);
                    }
                }

                blockBits = blockBytes * 8;
                dataLength += blockBytes;
            }

            int first = c.RightJustify && c.BlockSize > 0 ? blockBits - (n * digitBits) : frameStart;
            for (int i = 0; i < n; i++)
            {
                int digit = pin.DigitAt(i);
                int value = c.Encoding == PinEncoding.Ascii ? 0x30 + digit : digit;
                WriteBits(dest, data + at, first + (i * digitBits), value, digitBits);
            }

            if (c.LengthFieldBits > 0)
            {
                WriteBits(dest, data + at, c.LengthPositionBits, n, c.LengthFieldBits);
            }

            return dataLength;
        }

        /// <summary>Writes the <paramref name="bits"/> low bits of <paramref name="value"/> at bit <paramref name="bitOffset"/> from <paramref name="byteOffset"/>, most significant first.</summary>
        public static void WriteBits(byte[] dest, int byteOffset, int bitOffset, int value, int bits)
        {
            for (int i = 0; i < bits; i++)
            {
                int bit = (value >> (bits - 1 - i)) & 1;
                int position = bitOffset + i;
                int index = byteOffset + (position >> 3);
                int mask = 0x80 >> (position & 7);
                dest[index] = bit != 0 ? (byte)(dest[index] | mask) : (byte)(dest[index] & ~mask);
            }
        }
    }
}
