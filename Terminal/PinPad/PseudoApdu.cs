namespace Terminal.PinPad
{
    /// <summary>What a command with CLA FFh asks of the reader.</summary>
    public enum PseudoApduKind
    {
        /// <summary>Not a pseudo-APDU of ours: it goes to the card.</summary>
        NotPseudo = 0,

        /// <summary>TR-03119 GetReaderInfo: FF 9A 01 P2.</summary>
        ReaderInfo = 1,

        /// <summary>TR-03119 boxing of PC_to_RDR_Secure: FF 9A 04 10.</summary>
        BoxedSecure = 2,

        /// <summary>PC/SC part 10 PPDU GET_FEATURE_REQUEST: FF C2 01 00.</summary>
        PpduFeatures = 3,

        /// <summary>PPDU FEATURE_VERIFY_PIN_DIRECT: FF C2 01 06.</summary>
        PpduVerify = 4,

        /// <summary>PPDU FEATURE_MODIFY_PIN_DIRECT: FF C2 01 07.</summary>
        PpduModify = 5,

        /// <summary>PPDU FEATURE_IFD_PIN_PROPERTIES: FF C2 01 0A.</summary>
        PpduPinProperties = 6,

        /// <summary>PPDU FEATURE_GET_TLV_PROPERTIES: FF C2 01 12.</summary>
        PpduTlvProperties = 7,

        /// <summary>FF 9A or FF C2 with parameters we do not support (answered 6A81 / 6A86).</summary>
        Unsupported = 8,
    }

    /// <summary>
    /// Parsers of the pseudo-APDUs a reader intercepts and builders of their answers:
    /// BSI TR-03119 (FF 9A 01 xx GetReaderInfo, P2 01h vendor, 03h product, 06h firmware, 07h driver,
    /// as libccid's ifdhandler.c emulates for the Kobil IDToken; FF 9A 04 10 boxing of a whole
    /// PC_to_RDR_Secure message answered by a whole RDR_to_PC_DataBlock, as OpenSC's boxing.c sends
    /// and reads it) and PC/SC part 10 PPDU (FF C2 01 feature: the data of SCardControl, answered as
    /// SCardControl would, plus 90 00 where the answer is the reader's own). TLV tags and the
    /// PIN_PROPERTIES_STRUCTURE layout are those of pcsc-lite's reader.h
    /// (PCSCv2_PART10_PROPERTY_wLcdLayout 1 ... wIdProduct 12Ch); values are little endian, as libccid
    /// writes them. Nothing here throws on bad input.
    /// </summary>
    public static class PseudoApdu
    {
        /// <summary>PPDU feature tag of VERIFY_PIN_DIRECT.</summary>
        public const int FeatureVerifyPinDirect = 0x06;

        /// <summary>PPDU feature tag of MODIFY_PIN_DIRECT.</summary>
        public const int FeatureModifyPinDirect = 0x07;

        /// <summary>PPDU feature tag of IFD_PIN_PROPERTIES.</summary>
        public const int FeatureIfdPinProperties = 0x0A;

        /// <summary>PPDU feature tag of GET_TLV_PROPERTIES.</summary>
        public const int FeatureGetTlvProperties = 0x12;

        /// <summary>FEATURE_EXECUTE_PACE (PC/SC part 10 amendment 1).</summary>
        public const int FeatureExecutePace = 0x20;

        /// <summary>GET_TLV_PROPERTIES tags (reader.h).</summary>
        public const int TagLcdLayout = 0x01;
        /// <summary>bEntryValidationCondition.</summary>
        public const int TagEntryValidationCondition = 0x02;
        /// <summary>bTimeOut2.</summary>
        public const int TagTimeOut2 = 0x03;
        /// <summary>wLcdMaxCharacters.</summary>
        public const int TagLcdMaxCharacters = 0x04;
        /// <summary>wLcdMaxLines.</summary>
        public const int TagLcdMaxLines = 0x05;
        /// <summary>bMinPINSize.</summary>
        public const int TagMinPinSize = 0x06;
        /// <summary>bMaxPINSize.</summary>
        public const int TagMaxPinSize = 0x07;
        /// <summary>sFirmwareID.</summary>
        public const int TagFirmwareId = 0x08;
        /// <summary>bPPDUSupport.</summary>
        public const int TagPpduSupport = 0x09;
        /// <summary>dwMaxAPDUDataSize.</summary>
        public const int TagMaxApduDataSize = 0x0A;
        /// <summary>wIdVendor.</summary>
        public const int TagIdVendor = 0x0B;
        /// <summary>wIdProduct.</summary>
        public const int TagIdProduct = 0x0C;

        /// <summary>Message type of PC_to_RDR_Secure.</summary>
        public const int PcToRdrSecure = 0x69;

        /// <summary>Message type of RDR_to_PC_DataBlock.</summary>
        public const int RdrToPcDataBlock = 0x80;

        /// <summary>What the command asks of the reader.</summary>
        public static PseudoApduKind Classify(byte[] apdu, int offset, int length)
        {
            if (apdu == null || length < 4 || offset < 0 || offset + length > apdu.Length || apdu[offset] != 0xFF)
            {
                return PseudoApduKind.NotPseudo;
            }

            int ins = apdu[offset + 1];
            int p1 = apdu[offset + 2];
            int p2 = apdu[offset + 3];
            if (ins == 0x9A)
            {
                if (p1 == 0x01)
                {
                    return PseudoApduKind.ReaderInfo;
                }

                return p1 == 0x04 && p2 == 0x10 ? PseudoApduKind.BoxedSecure : PseudoApduKind.Unsupported;
            }

            if (ins == 0xC2)
            {
                if (p1 != 0x01)
                {
                    return PseudoApduKind.Unsupported;
                }

                switch (p2)
                {
                    case 0x00:
                        return PseudoApduKind.PpduFeatures;
                    case FeatureVerifyPinDirect:
                        return PseudoApduKind.PpduVerify;
                    case FeatureModifyPinDirect:
                        return PseudoApduKind.PpduModify;
                    case FeatureIfdPinProperties:
                        return PseudoApduKind.PpduPinProperties;
                    case FeatureGetTlvProperties:
                        return PseudoApduKind.PpduTlvProperties;
                }

                return PseudoApduKind.Unsupported;
            }

            return PseudoApduKind.NotPseudo;
        }

        /// <summary>
        /// The data field of a short pseudo-APDU (header, optional Lc and data, optional Le); false when
        /// Lc does not match the length. A 4- or 5-byte command has no data.
        /// </summary>
        public static bool DataOf(byte[] apdu, int offset, int length, out int dataOffset, out int dataLength)
        {
            dataOffset = offset + (length < 5 ? length : 5); // never past the command, even when it has no data
            dataLength = 0;
            if (length <= 5)
            {
                return length >= 4;
            }

            int lc = apdu[offset + 4];
            if (lc == 0 || (length != 5 + lc && length != 6 + lc))
            {
                return false;
            }

            dataLength = lc;
            return true;
        }

        /// <summary>
        /// Answers FF 9A 01 P2 [Le]: the string and 90 00; 6A86 for an unknown P2, 6A88 when the reader
        /// has no such string, 6Cxx when a non-zero Le is smaller than the string.
        /// </summary>
        public static int ReaderInformation(ReaderProperties info, byte[] apdu, int offset, int length, byte[] response, int responseOffset, int capacity)
        {
            string? text;
            switch (apdu[offset + 3])
            {
                case 0x01:
                    text = info.Vendor;
                    break;
                case 0x03:
                    text = info.Product;
                    break;
                case 0x06:
                    text = info.FirmwareVersion;
                    break;
                case 0x07:
                    text = info.DriverVersion;
                    if (text == null)
                    {
                        return Sw(0x6A88, response, responseOffset, capacity);
                    }

                    break;
                default:
                    return Sw(0x6A86, response, responseOffset, capacity);
            }

            if (apdu[offset + 2] != 0x01 || text == null)
            {
                return Sw(0x6A86, response, responseOffset, capacity);
            }

            int le = length == 5 ? apdu[offset + 4] : 0;
            int n = text.Length;
            if (le != 0 && le < n)
            {
                return Sw(0x6C00 | (n & 0xFF), response, responseOffset, capacity);
            }

            if (n + 2 > capacity)
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }

            for (int i = 0; i < n; i++)
            {
                char c = text[i];
                response[responseOffset + i] = c < 0x80 ? (byte)c : (byte)'?';
            }

            response[responseOffset + n] = 0x90;
            response[responseOffset + n + 1] = 0x00;
            return n + 2;
        }

        /// <summary>
        /// The features usable as PPDU (<c>FF C2 01 00</c>), one byte each, then 90 00: verify, modify, PIN
        /// properties, TLV properties, and FEATURE_EXECUTE_PACE (20h) when <paramref name="info"/> says the reader
        /// runs PACE.
        /// </summary>
        public static int FeatureList(ReaderProperties info, byte[] response, int responseOffset, int capacity)
        {
            int count = info.ExecutePace ? 5 : 4;
            if (capacity < count + 2)
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }

            int p = responseOffset;
            response[p++] = FeatureVerifyPinDirect;
            response[p++] = FeatureModifyPinDirect;
            response[p++] = FeatureIfdPinProperties;
            response[p++] = FeatureGetTlvProperties;
            if (info.ExecutePace)
            {
                response[p++] = FeatureExecutePace;
            }

            response[p++] = 0x90;
            response[p++] = 0x00;
            return p - responseOffset;
        }

        /// <summary>
        /// PIN_PROPERTIES_STRUCTURE (wLcdLayout little endian, bEntryValidationCondition, bTimeOut2 = 01h:
        /// this reader tells the first-digit timer from the next-digit timer) and 90 00.
        /// </summary>
        public static int PinProperties(ReaderProperties info, byte[] response, int responseOffset, int capacity)
        {
            if (capacity < 6)
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }

            int layout = info.LcdLayout;
            response[responseOffset] = (byte)layout;
            response[responseOffset + 1] = (byte)(layout >> 8);
            response[responseOffset + 2] = (byte)info.EntryValidation;
            response[responseOffset + 3] = 0x01;
            response[responseOffset + 4] = 0x90;
            response[responseOffset + 5] = 0x00;
            return 6;
        }

        /// <summary>The GET_TLV_PROPERTIES list (tag, length, little-endian value) and 90 00.</summary>
        public static int TlvProperties(ReaderProperties info, byte[] response, int responseOffset, int capacity)
        {
            string id = info.FirmwareId ?? string.Empty;
            int idLength = id.Length > 200 ? 200 : id.Length;
            int total = 4 + (info.LcdLayout != 0 ? 8 : 0) + 3 + 3 + 3 + 3 + (2 + idLength) + 3 + 6 + 4 + 4 + 2;
            if (total > capacity)
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }

            int p = responseOffset;
            p = Tlv(response, p, TagLcdLayout, info.LcdLayout, 2);
            if (info.LcdLayout != 0)
            {
                p = Tlv(response, p, TagLcdMaxCharacters, info.LcdColumns, 2);
                p = Tlv(response, p, TagLcdMaxLines, info.LcdRows, 2);
            }

            p = Tlv(response, p, TagEntryValidationCondition, info.EntryValidation, 1);
            p = Tlv(response, p, TagTimeOut2, 0x01, 1);
            p = Tlv(response, p, TagMinPinSize, info.MinPinSize, 1);
            p = Tlv(response, p, TagMaxPinSize, info.MaxPinSize, 1);
            response[p++] = TagFirmwareId;
            response[p++] = (byte)idLength;
            for (int i = 0; i < idLength; i++)
            {
                char c = id[i];
                response[p++] = c < 0x80 ? (byte)c : (byte)'?';
            }

            p = Tlv(response, p, TagPpduSupport, info.PpduSupport, 1);
            p = Tlv(response, p, TagMaxApduDataSize, info.MaxApduDataSize, 4);
            p = Tlv(response, p, TagIdVendor, info.VendorId, 2);
            p = Tlv(response, p, TagIdProduct, info.ProductId, 2);
            response[p++] = 0x90;
            response[p++] = 0x00;
            return p - responseOffset;
        }

        /// <summary>
        /// Checks the PC_to_RDR_Secure message boxed in FF 9A 04 10 (data = the whole message: 10-byte
        /// header, then abData from bPINOperation). On success gives the abData view and bSlot, bSeq.
        /// <paramref name="errorOffset"/> is the offset in the message of a bad header field.
        /// </summary>
        public static bool ParseBoxedSecure(byte[] data, int offset, int length, out int abDataOffset, out int abDataLength, out int slot, out int sequence, out int errorOffset)
        {
            abDataOffset = offset + 10;
            abDataLength = 0;
            slot = 0;
            sequence = 0;
            errorOffset = -1;
            if (data == null || length < 11 || offset < 0 || offset + length > data.Length)
            {
                errorOffset = 0;
                return false;
            }

            if (data[offset] != PcToRdrSecure)
            {
                errorOffset = 0;
                return false;
            }

            uint dwLength = (uint)(data[offset + 1] | (data[offset + 2] << 8) | (data[offset + 3] << 16)) | ((uint)data[offset + 4] << 24);
            if (dwLength != (uint)(length - 10))
            {
                errorOffset = 1;
                return false;
            }

            slot = data[offset + 5];
            sequence = data[offset + 6];
            abDataLength = length - 10;
            return true;
        }

        /// <summary>
        /// Writes the answer to a boxed PC_to_RDR_Secure: an RDR_to_PC_DataBlock header (bSlot, bSeq of
        /// the request; bStatus = <paramref name="iccStatus"/>, with the failed bit and bError for a
        /// refused structure or a card gone or mute), then the result's answer bytes already
        /// placed at <paramref name="responseOffset"/> + 10, then 90 00 for the pseudo-APDU itself. A
        /// timeout, cancel or mismatch travels as its status word in the data block with bStatus OK,
        /// which is how OpenSC's boxing client reads it (boxing.c: a failed bStatus is a transmit error).
        /// </summary>
        public static int BoxedSecureAnswer(int slot, int sequence, int iccStatus, SecurePinResult result, byte[] response, int responseOffset, int capacity)
        {
            bool failed = result.Outcome == SecurePinOutcome.InvalidStructure || result.Outcome == SecurePinOutcome.CardRemoved || result.Outcome == SecurePinOutcome.CardMute;
            int dataLength = failed ? 0 : result.ResponseLength;
            if (10 + dataLength + 2 > capacity)
            {
                return Sw(0x6700, response, responseOffset, capacity);
            }

            response[responseOffset] = RdrToPcDataBlock;
            response[responseOffset + 1] = (byte)dataLength;
            response[responseOffset + 2] = (byte)(dataLength >> 8);
            response[responseOffset + 3] = 0;
            response[responseOffset + 4] = 0;
            response[responseOffset + 5] = (byte)slot;
            response[responseOffset + 6] = (byte)sequence;
            response[responseOffset + 7] = (byte)((iccStatus & 0x03) | (failed ? 0x40 : 0x00));
            response[responseOffset + 8] = failed ? result.BError : (byte)0;
            response[responseOffset + 9] = 0;
            response[responseOffset + 10 + dataLength] = 0x90;
            response[responseOffset + 11 + dataLength] = 0x00;
            return 12 + dataLength;
        }

        private static int Tlv(byte[] response, int p, int tag, int value, int size)
        {
            response[p++] = (byte)tag;
            response[p++] = (byte)size;
            for (int i = 0; i < size; i++)
            {
                response[p++] = (byte)(value >> (8 * i));
            }

            return p;
        }

        /// <summary>Writes a status word alone; returns 2 (0 when there is no room).</summary>
        public static int Sw(int sw, byte[] response, int responseOffset, int capacity)
        {
            if (capacity < 2)
            {
                return 0;
            }

            response[responseOffset] = (byte)(sw >> 8);
            response[responseOffset + 1] = (byte)sw;
            return 2;
        }
    }
}
