namespace Terminal.PinPad
{
    /// <summary>The PIN operation a structure asks for (CCID bPINOperation).</summary>
    public enum PinOperation
    {
        /// <summary>PIN verification (bPINOperation 00h, FEATURE_VERIFY_PIN_DIRECT).</summary>
        Verify = 0,

        /// <summary>PIN modification (bPINOperation 01h, FEATURE_MODIFY_PIN_DIRECT); also unblock.</summary>
        Modify = 1,
    }

    /// <summary>How the PIN digits are coded in the PIN frame (bmFormatString bits 1-0).</summary>
    public enum PinEncoding
    {
        /// <summary>One byte per digit, value 00h to 09h.</summary>
        Binary = 0,

        /// <summary>One nibble per digit.</summary>
        Bcd = 1,

        /// <summary>One byte per digit, '0' (30h) to '9' (39h).</summary>
        Ascii = 2,
    }

    /// <summary>Which byte layout the structure arrives in.</summary>
    public enum PinStructureForm
    {
        /// <summary>
        /// The abData of a CCID PC_to_RDR_Secure (CCID rev 1.1 section 6.1.11), from bPINOperation on:
        /// one bTimeOut, no ulDataLength, bMsgIndex2/3 of a modify present or not (see
        /// <see cref="MessageIndexLayout"/>). Also the payload of BSI TR-03119 boxing after its CCID header.
        /// </summary>
        CcidSecure = 0,

        /// <summary>PC/SC part 10 PIN_VERIFY_STRUCTURE (SCardControl FEATURE_VERIFY_PIN_DIRECT, PPDU FF C2 01 06).</summary>
        PcscVerify = 1,

        /// <summary>PC/SC part 10 PIN_MODIFY_STRUCTURE (SCardControl FEATURE_MODIFY_PIN_DIRECT, PPDU FF C2 01 07).</summary>
        PcscModify = 2,
    }

    /// <summary>
    /// Where the CCID modify structure's optional bMsgIndex2 and bMsgIndex3 are. The CCID text makes
    /// them depend on bNumberMessage, and hosts disagree: libccid's generic path keeps bMsgIndex2 when
    /// bNumberMessage is not 0 and bMsgIndex3 when it is 3 or more (FFh included); its Gemalto path
    /// (the GemPCPinPad profile) always sends all three; OpenSC's boxing sends only bMsgIndex1 with
    /// bNumberMessage FFh.
    /// </summary>
    public enum MessageIndexLayout
    {
        /// <summary>Try the CCID rule, then all three, then one, then two; take the first whose APDU is well formed.</summary>
        Auto = 0,

        /// <summary>bMsgIndex2 when bNumberMessage is not 0, bMsgIndex3 when it is 3 or more (libccid generic).</summary>
        ByNumberMessage = 1,

        /// <summary>All three always (libccid's path for Gemalto readers, so the GemPCPinPad profile).</summary>
        AlwaysThree = 2,

        /// <summary>bMsgIndex1 only (OpenSC's TR-03119 boxing).</summary>
        OnlyFirst = 3,
    }

    /// <summary>
    /// A parsed PIN_VERIFY / PIN_MODIFY structure. Parsing fills a reused instance and copies nothing:
    /// the APDU template stays in the caller's buffer (<see cref="Buffer"/>, <see cref="ApduOffset"/>,
    /// <see cref="ApduLength"/>).
    /// </summary>
    public sealed class PinCommand
    {
        /// <summary>The T=1 prologue bytes (NAD, PCB, LEN) the host built, for a T=1 card at TPDU level.</summary>
        public readonly byte[] TeoPrologue = new byte[3];

        /// <summary>Verify or modify.</summary>
        public PinOperation Operation;

        /// <summary>The layout it was read from.</summary>
        public PinStructureForm Form;

        /// <summary>bTimeOut in seconds (0: the reader's default).</summary>
        public int TimeOut;

        /// <summary>bTimeOut2 in seconds, PC/SC forms only (0: as bTimeOut).</summary>
        public int TimeOut2;

        /// <summary>bmFormatString bit 7: the PIN position is in bytes (true) or bits.</summary>
        public bool PositionInBytes;

        /// <summary>bmFormatString bits 6-3: position of the PIN frame in the PIN block, in system units.</summary>
        public int PinPosition;

        /// <summary>bmFormatString bit 2: digits justified right in the block (fillers on the left).</summary>
        public bool RightJustify;

        /// <summary>bmFormatString bits 1-0.</summary>
        public PinEncoding Encoding;

        /// <summary>bmPINBlockString bits 7-4: size in bits of the PIN length field (0: none).</summary>
        public int LengthFieldBits;

        /// <summary>bmPINBlockString bits 3-0: PIN block size in bytes (0: variable, the reader sizes it and sets Lc).</summary>
        public int BlockSize;

        /// <summary>bmPINLengthFormat bit 4: the length position is in bytes (true) or bits.</summary>
        public bool LengthPositionInBytes;

        /// <summary>bmPINLengthFormat bits 3-0: position of the length field in the PIN block.</summary>
        public int LengthPosition;

        /// <summary>bInsertionOffsetOld: byte offset in the APDU data of the current PIN's block (modify).</summary>
        public int InsertionOffsetOld;

        /// <summary>bInsertionOffsetNew: byte offset in the APDU data of the new PIN's block (modify).</summary>
        public int InsertionOffsetNew;

        /// <summary>wPINMaxExtraDigit high byte.</summary>
        public int MinDigits;

        /// <summary>wPINMaxExtraDigit low byte.</summary>
        public int MaxDigits;

        /// <summary>bConfirmPIN (modify): bit 0 confirmation of the new PIN, bit 1 entry of the current PIN.</summary>
        public int ConfirmPin;

        /// <summary>bEntryValidationCondition: 01h max size reached, 02h validation key, 04h timeout.</summary>
        public int EntryValidation;

        /// <summary>bNumberMessage.</summary>
        public int NumberMessage;

        /// <summary>wLangId (0409h English, 040Ch French...).</summary>
        public int LangId;

        /// <summary>bMsgIndex (verify) or bMsgIndex1.</summary>
        public int MsgIndex1;

        /// <summary>bMsgIndex2 (modify), 0 when absent.</summary>
        public int MsgIndex2;

        /// <summary>bMsgIndex3 (modify), 0 when absent.</summary>
        public int MsgIndex3;

        /// <summary>How many bMsgIndex fields the structure carried.</summary>
        public int MessageIndexCount;

        /// <summary>The buffer that holds the APDU template.</summary>
        public byte[]? Buffer;

        /// <summary>Offset of the APDU template in <see cref="Buffer"/>.</summary>
        public int ApduOffset;

        /// <summary>Length of the APDU template.</summary>
        public int ApduLength;

        /// <summary>Lc of the template (0 when the template has no Lc).</summary>
        public int TemplateLc;

        /// <summary>True when the template ends with an Le byte after its data.</summary>
        public bool TemplateHasLe;

        /// <summary>True when the new PIN must be typed twice.</summary>
        public bool ConfirmationRequested
        {
            get { return Operation == PinOperation.Modify && (ConfirmPin & 0x01) != 0; }
        }

        /// <summary>True when a modify also asks for the current PIN (or the unblock code).</summary>
        public bool CurrentPinRequested
        {
            get { return Operation == PinOperation.Modify && (ConfirmPin & 0x02) != 0; }
        }

        /// <summary>The template's INS byte.</summary>
        public int Instruction
        {
            get { return Buffer == null || ApduLength < 2 ? -1 : Buffer[ApduOffset + 1]; }
        }

        /// <summary>Bits one digit takes in the PIN frame.</summary>
        public int DigitBits
        {
            get { return Encoding == PinEncoding.Bcd ? 4 : 8; }
        }

        /// <summary>Offset of the PIN frame from the start of the PIN block, in bits.</summary>
        public int PinPositionBits
        {
            get { return PositionInBytes ? PinPosition * 8 : PinPosition; }
        }

        /// <summary>Offset of the length field from the start of the PIN block, in bits.</summary>
        public int LengthPositionBits
        {
            get { return LengthPositionInBytes ? LengthPosition * 8 : LengthPosition; }
        }

        /// <summary>Forgets everything (the APDU view included).</summary>
        public void Clear()
        {
            Operation = PinOperation.Verify;
            Form = PinStructureForm.CcidSecure;
            TimeOut = TimeOut2 = 0;
            PositionInBytes = RightJustify = LengthPositionInBytes = TemplateHasLe = false;
            PinPosition = LengthFieldBits = BlockSize = LengthPosition = 0;
            Encoding = PinEncoding.Binary;
            InsertionOffsetOld = InsertionOffsetNew = MinDigits = MaxDigits = ConfirmPin = 0;
            EntryValidation = NumberMessage = LangId = MsgIndex1 = MsgIndex2 = MsgIndex3 = MessageIndexCount = 0;
            TeoPrologue[0] = TeoPrologue[1] = TeoPrologue[2] = 0;
            Buffer = null;
            ApduOffset = ApduLength = TemplateLc = 0;
        }
    }
}
