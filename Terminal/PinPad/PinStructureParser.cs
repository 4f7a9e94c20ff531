namespace Terminal.PinPad
{
    /// <summary>Why a PIN structure was refused. The field's offset comes with it.</summary>
    public enum PinParseStatus
    {
        /// <summary>Well formed.</summary>
        Ok = 0,

        /// <summary>Shorter than its fixed part plus a 4-byte APDU header.</summary>
        TooShort = 1,

        /// <summary>bPINOperation is not 00h (verify) or 01h (modify).</summary>
        BadOperation = 2,

        /// <summary>bmFormatString asks for the RFU PIN coding 3.</summary>
        BadFormatString = 3,

        /// <summary>wPINMaxExtraDigit: maximum 0, or minimum above maximum.</summary>
        BadMinMax = 4,

        /// <summary>bEntryValidationCondition has bits above 2 set.</summary>
        BadEntryValidation = 5,

        /// <summary>bNumberMessage is not 0, 1 (verify), 0-3 (modify) or FFh.</summary>
        BadNumberMessage = 6,

        /// <summary>bConfirmPIN has bits above 1 set.</summary>
        BadConfirmPin = 7,

        /// <summary>ulDataLength does not match the bytes that follow it.</summary>
        BadDataLength = 8,

        /// <summary>The APDU template is not a short command APDU whose Lc matches its data.</summary>
        BadApdu = 9,

        /// <summary>The fixed PIN block does not lie inside the template's data field.</summary>
        BlockOutsideApdu = 10,

        /// <summary>The minimum number of digits does not fit the fixed PIN block.</summary>
        PinDoesNotFit = 11,

        /// <summary>The PIN length field does not lie inside the fixed PIN block.</summary>
        LengthFieldOutsideBlock = 12,

        /// <summary>The current and new PIN blocks of a modify overlap, or an insertion offset is past the data.</summary>
        BadInsertionOffset = 13,
    }

    /// <summary>
    /// Reads PIN_VERIFY / PIN_MODIFY structures in their CCID (PC_to_RDR_Secure abData) and PC/SC
    /// part 10 forms into a <see cref="PinCommand"/>, checking every field against the APDU template.
    /// Never throws on bad input: the result names the faulty field and its offset in the bytes given,
    /// which <see cref="CcidBError"/> turns into the CCID bError value (offset in the whole message).
    /// Layouts: CCID rev 1.1 section 6.1.11 (tables 6.1-10/11), PC/SC part 10 v2.02 section 2.5.2/2.5.3
    /// as declared in pcsc-lite's reader.h, and libccid's conversion between them (commands.c,
    /// SecurePINVerify / SecurePINModify: drops bTimeOut2 and ulDataLength).
    /// </summary>
    public static class PinStructureParser
    {
        /// <summary>Offset of bPINOperation in the CCID form (abData[0]).</summary>
        public const int CcidOperationOffset = 0;

        /// <summary>Size of a CCID message header: the CCID form starts at this offset of PC_to_RDR_Secure.</summary>
        public const int CcidHeaderLength = 10;

        /// <summary>
        /// Parses <paramref name="length"/> bytes of <paramref name="structure"/> from
        /// <paramref name="offset"/>. For <see cref="PinStructureForm.CcidSecure"/> the operation comes
        /// from bPINOperation; the PC/SC forms name it. <paramref name="errorOffset"/> is the offset of
        /// the faulty field from <paramref name="offset"/> (-1 when none).
        /// </summary>
        public static PinParseStatus Parse(byte[] structure, int offset, int length, PinStructureForm form, MessageIndexLayout layout, PinCommand into, out int errorOffset)
        {
            into.Clear();
            errorOffset = -1;
            if (structure == null || offset < 0 || length < 0 || offset + length > structure.Length)
            {
                errorOffset = 0;
                return PinParseStatus.TooShort;
            }

            into.Form = form;
            into.Buffer = structure;
            if (form == PinStructureForm.CcidSecure)
            {
                if (length < 1)
                {
                    errorOffset = 0;
                    return PinParseStatus.TooShort;
                }

                int operation = structure[offset];
                if (operation == 0)
                {
                    return ParseVerify(structure, offset, length, form, into, out errorOffset);
                }

                if (operation == 1)
                {
                    return ParseModifyCcid(structure, offset, length, layout, into, out errorOffset);
                }

                errorOffset = CcidOperationOffset;
                return PinParseStatus.BadOperation;
            }

            if (form == PinStructureForm.PcscVerify)
            {
                return ParseVerify(structure, offset, length, form, into, out errorOffset);
            }

            return ParseModifyPcsc(structure, offset, length, into, out errorOffset);
        }

        /// <summary>
        /// The CCID bError for a refused CCID-form structure: the offset of the faulty field in the
        /// whole PC_to_RDR_Secure message (CCID rev 1.1 table 6.2-2: 1 to 127 name the field).
        /// </summary>
        public static byte CcidBError(int errorOffset)
        {
            int value = CcidHeaderLength + (errorOffset < 0 ? 0 : errorOffset);
            return (byte)(value > 127 ? 127 : value);
        }

        private static PinParseStatus ParseVerify(byte[] s, int o, int length, PinStructureForm form, PinCommand c, out int errorOffset)
        {
            // CCID: [0] bPINOperation [1] bTimeOut [2] fmt [3] block [4] lenfmt [5,6] wPINMaxExtraDigit
            //       [7] validation [8] bNumberMessage [9,10] wLangId [11] bMsgIndex [12..14] prologue [15..] APDU
            // PC/SC: [0] bTimeOut [1] bTimeOut2 [2] fmt ... [11] bMsgIndex [12..14] prologue [15..18] ulDataLength [19..] APDU
            bool ccid = form == PinStructureForm.CcidSecure;
            int apdu = ccid ? 15 : 19;
            errorOffset = -1;
            if (length < apdu + 4)
            {
                errorOffset = length;
                return PinParseStatus.TooShort;
            }

            c.Operation = PinOperation.Verify;
            c.TimeOut = s[o + (ccid ? 1 : 0)];
            c.TimeOut2 = ccid ? 0 : s[o + 1];
            PinParseStatus status = ReadFormats(s, o, 2, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            status = ReadMinMax(s, o, 5, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            status = ReadValidation(s, o, 7, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            c.NumberMessage = s[o + 8];
            if (c.NumberMessage > 1 && c.NumberMessage != 0xFF)
            {
                errorOffset = 8;
                return PinParseStatus.BadNumberMessage;
            }

            c.LangId = s[o + 9] | (s[o + 10] << 8);
            c.MsgIndex1 = s[o + 11];
            c.MessageIndexCount = 1;
            c.TeoPrologue[0] = s[o + 12];
            c.TeoPrologue[1] = s[o + 13];
            c.TeoPrologue[2] = s[o + 14];
            if (!ccid && ReadU32(s, o + 15) != length - apdu)
            {
                errorOffset = 15;
                return PinParseStatus.BadDataLength;
            }

            return ReadApdu(s, o, apdu, length - apdu, c, out errorOffset);
        }

        private static PinParseStatus ParseModifyPcsc(byte[] s, int o, int length, PinCommand c, out int errorOffset)
        {
            // [0] bTimeOut [1] bTimeOut2 [2] fmt [3] block [4] lenfmt [5] offOld [6] offNew [7,8] wPINMaxExtraDigit
            // [9] bConfirmPIN [10] validation [11] bNumberMessage [12,13] wLangId [14..16] bMsgIndex1-3
            // [17..19] prologue [20..23] ulDataLength [24..] APDU
            const int Apdu = 24;
            errorOffset = -1;
            if (length < Apdu + 4)
            {
                errorOffset = length;
                return PinParseStatus.TooShort;
            }

            c.Operation = PinOperation.Modify;
            c.TimeOut = s[o];
            c.TimeOut2 = s[o + 1];
            PinParseStatus status = ReadModifyCommon(s, o, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            c.MsgIndex1 = s[o + 14];
            c.MsgIndex2 = s[o + 15];
            c.MsgIndex3 = s[o + 16];
            c.MessageIndexCount = 3;
            c.TeoPrologue[0] = s[o + 17];
            c.TeoPrologue[1] = s[o + 18];
            c.TeoPrologue[2] = s[o + 19];
            if (ReadU32(s, o + 20) != length - Apdu)
            {
                errorOffset = 20;
                return PinParseStatus.BadDataLength;
            }

            status = ReadApdu(s, o, Apdu, length - Apdu, c, out errorOffset);
            return status != PinParseStatus.Ok ? status : CheckModifyBlocks(c, 5, 6, out errorOffset);
        }

        private static PinParseStatus ParseModifyCcid(byte[] s, int o, int length, MessageIndexLayout layout, PinCommand c, out int errorOffset)
        {
            // [0] bPINOperation [1] bTimeOut [2] fmt [3] block [4] lenfmt [5] offOld [6] offNew [7,8] wPINMaxExtraDigit
            // [9] bConfirmPIN [10] validation [11] bNumberMessage [12,13] wLangId [14] bMsgIndex1
            // [15] bMsgIndex2? [16] bMsgIndex3? then 3 prologue bytes, then the APDU
            errorOffset = -1;
            if (length < 15 + 3 + 4)
            {
                errorOffset = length;
                return PinParseStatus.TooShort;
            }

            c.Operation = PinOperation.Modify;
            c.TimeOut = s[o + 1];
            PinParseStatus status = ReadModifyCommon(s, o, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            int byRule = 1 + (c.NumberMessage != 0 ? 1 : 0) + (c.NumberMessage >= 3 ? 1 : 0);
            if (layout == MessageIndexLayout.ByNumberMessage)
            {
                return ModifyWithIndexes(s, o, length, byRule, c, out errorOffset);
            }

            if (layout == MessageIndexLayout.AlwaysThree)
            {
                return ModifyWithIndexes(s, o, length, 3, c, out errorOffset);
            }

            if (layout == MessageIndexLayout.OnlyFirst)
            {
                return ModifyWithIndexes(s, o, length, 1, c, out errorOffset);
            }

            // Auto: the candidates in order of likelihood; the first whose APDU reads as a well-formed
            // command (and not as the zero bytes of a prologue taken for CLA INS) wins.
            int first = -1;
            int firstError = -1;
            PinParseStatus firstStatus = PinParseStatus.Ok;
            for (int attempt = 0; attempt < 4; attempt++)
            {
                int count = attempt == 0 ? byRule : (attempt == 1 ? 3 : attempt - 1);
                if (attempt > 0 && count == byRule)
                {
                    continue;
                }

                status = ModifyWithIndexes(s, o, length, count, c, out errorOffset);
                if (status == PinParseStatus.Ok && c.Instruction != 0x00)
                {
                    return status;
                }

                if (first < 0)
                {
                    first = count;
                    firstStatus = status == PinParseStatus.Ok ? PinParseStatus.BadApdu : status;
                    firstError = status == PinParseStatus.Ok ? 14 + count + 3 : errorOffset;
                }
            }

            // Report what the CCID rule itself found wrong, and leave the command in that layout.
            ModifyWithIndexes(s, o, length, first, c, out errorOffset);
            errorOffset = firstError;
            return firstStatus;
        }

        private static PinParseStatus ModifyWithIndexes(byte[] s, int o, int length, int count, PinCommand c, out int errorOffset)
        {
            int prologue = 14 + count;
            int apdu = prologue + 3;
            errorOffset = -1;
            if (length < apdu + 4)
            {
                errorOffset = length;
                return PinParseStatus.TooShort;
            }

            c.MsgIndex1 = s[o + 14];
            c.MsgIndex2 = count > 1 ? s[o + 15] : 0;
            c.MsgIndex3 = count > 2 ? s[o + 16] : 0;
            c.MessageIndexCount = count;
            c.TeoPrologue[0] = s[o + prologue];
            c.TeoPrologue[1] = s[o + prologue + 1];
            c.TeoPrologue[2] = s[o + prologue + 2];
            PinParseStatus status = ReadApdu(s, o, apdu, length - apdu, c, out errorOffset);
            return status != PinParseStatus.Ok ? status : CheckModifyBlocks(c, 5, 6, out errorOffset);
        }

        // Fields common to both modify forms: they sit at the same offsets in both, since the CCID form's
        // bPINOperation takes the place of the PC/SC form's bTimeOut and its bTimeOut that of bTimeOut2.
        private static PinParseStatus ReadModifyCommon(byte[] s, int o, PinCommand c, out int errorOffset)
        {
            PinParseStatus status = ReadFormats(s, o, 2, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            c.InsertionOffsetOld = s[o + 5];
            c.InsertionOffsetNew = s[o + 6];
            status = ReadMinMax(s, o, 7, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            c.ConfirmPin = s[o + 9];
            if ((c.ConfirmPin & 0xFC) != 0)
            {
                errorOffset = 9;
                return PinParseStatus.BadConfirmPin;
            }

            status = ReadValidation(s, o, 10, c, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            c.NumberMessage = s[o + 11];
            if (c.NumberMessage > 3 && c.NumberMessage != 0xFF)
            {
                errorOffset = 11;
                return PinParseStatus.BadNumberMessage;
            }

            c.LangId = s[o + 12] | (s[o + 13] << 8);
            return PinParseStatus.Ok;
        }

        private static PinParseStatus ReadFormats(byte[] s, int o, int at, PinCommand c, out int errorOffset)
        {
            errorOffset = -1;
            int format = s[o + at];
            c.PositionInBytes = (format & 0x80) != 0;
            c.PinPosition = (format >> 3) & 0x0F;
            c.RightJustify = (format & 0x04) != 0;
            if ((format & 0x03) == 3)
            {
                errorOffset = at;
                return PinParseStatus.BadFormatString;
            }

            c.Encoding = (PinEncoding)(format & 0x03);
            int block = s[o + at + 1];
            c.LengthFieldBits = block >> 4;
            c.BlockSize = block & 0x0F;
            int lengthFormat = s[o + at + 2];
            c.LengthPositionInBytes = (lengthFormat & 0x10) != 0;
            c.LengthPosition = lengthFormat & 0x0F;
            return PinParseStatus.Ok;
        }

        private static PinParseStatus ReadMinMax(byte[] s, int o, int at, PinCommand c, out int errorOffset)
        {
            errorOffset = -1;

            // wPINMaxExtraDigit is XXYYh (XX minimum, YY maximum) stored little endian: YY first.
            c.MaxDigits = s[o + at];
            c.MinDigits = s[o + at + 1];
            if (c.MaxDigits == 0 || c.MinDigits > c.MaxDigits)
            {
                errorOffset = at;
                return PinParseStatus.BadMinMax;
            }

            return PinParseStatus.Ok;
        }

        private static PinParseStatus ReadValidation(byte[] s, int o, int at, PinCommand c, out int errorOffset)
        {
            errorOffset = -1;
            c.EntryValidation = s[o + at];
            if ((c.EntryValidation & 0xF8) != 0)
            {
                errorOffset = at;
                return PinParseStatus.BadEntryValidation;
            }

            return PinParseStatus.Ok;
        }

        private static PinParseStatus ReadApdu(byte[] s, int o, int at, int apduLength, PinCommand c, out int errorOffset)
        {
            errorOffset = at;
            c.ApduOffset = o + at;
            c.ApduLength = apduLength;
            c.TemplateLc = 0;
            c.TemplateHasLe = false;
            if (apduLength < 4)
            {
                return PinParseStatus.BadApdu;
            }

            if (apduLength == 5)
            {
                // Header and Lc = 0: OpenSC's variable-length template; a non-zero byte here would be an
                // Le, which no PIN command has.
                if (s[o + at + 4] != 0)
                {
                    errorOffset = at + 4;
                    return PinParseStatus.BadApdu;
                }
            }
            else if (apduLength > 5)
            {
                int lc = s[o + at + 4];
                if (lc == 0 || (apduLength != 5 + lc && apduLength != 6 + lc))
                {
                    // Lc 0 with more bytes would be an extended-length command: PIN commands are short.
                    errorOffset = at + 4;
                    return PinParseStatus.BadApdu;
                }

                c.TemplateLc = lc;
                c.TemplateHasLe = apduLength == 6 + lc;
            }

            errorOffset = -1;
            if (c.Operation == PinOperation.Verify)
            {
                return CheckBlock(c, 0, 3, 4, out errorOffset);
            }

            return PinParseStatus.Ok;
        }

        private static PinParseStatus CheckModifyBlocks(PinCommand c, int oldOffsetField, int newOffsetField, out int errorOffset)
        {
            errorOffset = -1;
            const int formatField = 3;
            PinParseStatus status;
            if (c.CurrentPinRequested)
            {
                if (c.InsertionOffsetOld > c.TemplateLc)
                {
                    errorOffset = oldOffsetField;
                    return PinParseStatus.BadInsertionOffset;
                }

                status = CheckBlock(c, c.InsertionOffsetOld, formatField, 4, out errorOffset);
                if (status != PinParseStatus.Ok)
                {
                    return status;
                }
            }

            if (c.InsertionOffsetNew > c.TemplateLc)
            {
                errorOffset = newOffsetField;
                return PinParseStatus.BadInsertionOffset;
            }

            status = CheckBlock(c, c.InsertionOffsetNew, formatField, 4, out errorOffset);
            if (status != PinParseStatus.Ok)
            {
                return status;
            }

            if (c.CurrentPinRequested && c.BlockSize > 0)
            {
                int oldEnd = c.InsertionOffsetOld + c.BlockSize;
                int newEnd = c.InsertionOffsetNew + c.BlockSize;
                if (c.InsertionOffsetNew < oldEnd && c.InsertionOffsetOld < newEnd)
                {
                    errorOffset = newOffsetField;
                    return PinParseStatus.BadInsertionOffset;
                }
            }

            return PinParseStatus.Ok;
        }

        private static PinParseStatus CheckBlock(PinCommand c, int blockStart, int blockField, int lengthField, out int errorOffset)
        {
            errorOffset = -1;
            if (c.LengthFieldBits > 0 && c.LengthFieldBits < 8 && (1 << c.LengthFieldBits) - 1 < c.MinDigits)
            {
                // A length field too narrow for the shortest PIN the host accepts.
                errorOffset = blockField;
                return PinParseStatus.PinDoesNotFit;
            }

            if (c.BlockSize == 0)
            {
                return PinParseStatus.Ok;
            }

            if (blockStart + c.BlockSize > c.TemplateLc)
            {
                errorOffset = blockField;
                return PinParseStatus.BlockOutsideApdu;
            }

            int frameBits = c.BlockSize * 8 - c.PinPositionBits;
            int capacity = frameBits <= 0 ? 0 : frameBits / c.DigitBits;
            if (capacity < c.MinDigits || capacity < 1)
            {
                errorOffset = blockField;
                return PinParseStatus.PinDoesNotFit;
            }

            if (c.LengthFieldBits > 0 && c.LengthPositionBits + c.LengthFieldBits > c.BlockSize * 8)
            {
                errorOffset = lengthField;
                return PinParseStatus.LengthFieldOutsideBlock;
            }

            return PinParseStatus.Ok;
        }

        private static int ReadU32(byte[] s, int at)
        {
            // ulDataLength is little endian; a value past int range cannot match any length.
            uint value = (uint)(s[at] | (s[at + 1] << 8) | (s[at + 2] << 16)) | ((uint)s[at + 3] << 24);
            return value > 0x7FFFFFFF ? -1 : (int)value;
        }
    }
}
