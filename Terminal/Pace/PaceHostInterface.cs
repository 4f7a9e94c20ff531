using Terminal.Iso7816;

namespace Terminal.Pace
{
    /// <summary>
    /// The Result codes of PC/SC part 10 amendment 1 EstablishPACEChannel (the values of BSI TR-03119, as public
    /// host drivers name them): 0 success, D... bad input, E... card or algorithm not usable, F... a card command
    /// refused (ORed with its status word), the card lost, or the cardholder's abort or timeout.
    /// </summary>
    public static class PaceHostResult
    {
        /// <summary>No error: the channel is established.</summary>
        public const uint Success = 0x00000000;

        /// <summary>The lengths in the input are inconsistent.</summary>
        public const uint LengthInconsistent = 0xD0000001;

        /// <summary>Unexpected data in the input (an unknown tag, a CHAT that is not DO'7F4C', a non-digit password from the keypad form).</summary>
        public const uint UnexpectedData = 0xD0000002;

        /// <summary>An unexpected combination of data in the input (MRZ without a password from the host).</summary>
        public const uint UnexpectedCombination = 0xD0000003;

        /// <summary>The card's answer has an unexpected structure (it does not run PACE as it should: wrong token, point not on the curve...).</summary>
        public const uint CardNotSupported = 0xE0000001;

        /// <summary>The reader does not support the algorithm or curve of the card's EF.CardAccess.</summary>
        public const uint AlgorithmNotSupported = 0xE0000002;

        /// <summary>The reader does not know the password ID (PUK is not supported).</summary>
        public const uint PasswordIdNotSupported = 0xE0000003;

        /// <summary>SELECT EF.CardAccess refused; ORed with the status word.</summary>
        public const uint SelectCardAccessFailed = 0xF0000000;

        /// <summary>READ BINARY of EF.CardAccess refused; ORed with the status word.</summary>
        public const uint ReadCardAccessFailed = 0xF0010000;

        /// <summary>MSE:Set AT refused; ORed with the status word.</summary>
        public const uint MseSetAtFailed = 0xF0020000;

        /// <summary>General Authenticate step 1 refused; step n is this plus (n - 1) * 0x10000, ORed with the status word.</summary>
        public const uint GeneralAuthenticateFailed = 0xF0030000;

        /// <summary>Communication with the card broken off.</summary>
        public const uint CommunicationAbort = 0xF0100001;

        /// <summary>No card in the slot.</summary>
        public const uint NoCard = 0xF0100002;

        /// <summary>The cardholder pressed Cancel.</summary>
        public const uint UserAbort = 0xF0200001;

        /// <summary>The cardholder typed nothing in time.</summary>
        public const uint UserTimeout = 0xF0200002;

        /// <summary>PACE capability bitmap (GetReaderPACECapabilities): PACE.</summary>
        public const int CapabilityPace = 0x40;

        /// <summary>PACE capability bitmap: DestroyPACEChannel.</summary>
        public const int CapabilityDestroy = 0x80;
    }

    /// <summary>
    /// The input of EstablishPACEChannel, parsed in place (offsets into the caller's bytes; nothing copied): the
    /// PC/SC part 10 amendment 1 binary form (PinID, lengthCHAT, CHAT, lengthPIN, PIN, lengthCertificateDescription
    /// u16 LE, description) and the TR-03119 boxing form, a DER SEQUENCE { [1] passwordID INTEGER, [2]
    /// transmittedPassword NumericString OPTIONAL, [3] cHAT OCTET STRING OPTIONAL, [4] certificateDescription
    /// OPTIONAL, [5] hashOID OPTIONAL } (the layout OpenSC's reader-tr03119.c writes). A parse either succeeds
    /// whole or leaves a <see cref="PaceHostResult"/> and the byte offset of the first bad field.
    /// </summary>
    public sealed class EstablishPaceInput
    {
        /// <summary>PinID: 1 MRZ, 2 CAN, 3 PIN, 4 PUK.</summary>
        public int PasswordId;

        /// <summary>Where the CHAT (DO'7F4C', whole) starts; <see cref="ChatLength"/> 0 when none.</summary>
        public int ChatOffset;

        /// <summary>Length of the CHAT.</summary>
        public int ChatLength;

        /// <summary>Where the password from the host starts; <see cref="PasswordLength"/> 0 = the reader's keypad.</summary>
        public int PasswordOffset;

        /// <summary>Length of the password from the host (0: entered on the keypad).</summary>
        public int PasswordLength;

        /// <summary>Where the certificate description starts (kept for the display of a comfort reader; unused here).</summary>
        public int DescriptionOffset;

        /// <summary>Length of the certificate description.</summary>
        public int DescriptionLength;

        /// <summary>Byte offset (in the caller's array) of the field that made the last parse fail.</summary>
        public int ErrorOffset;

        /// <summary>
        /// Parses the binary form from <paramref name="offset"/>, <paramref name="length"/> bytes (the data after
        /// idxFunction and lengthInputData). Returns <see cref="PaceHostResult.Success"/> or the error.
        /// </summary>
        public uint ParseBinary(byte[] data, int offset, int length)
        {
            Clear();
            int end = offset + length;
            int p = offset;
            if (length < 5)
            {
                return Fail(PaceHostResult.LengthInconsistent, offset + length);
            }
            PasswordId = data[p++];
            int chat = data[p++];
            if (p + chat > end)
            {
                return Fail(PaceHostResult.LengthInconsistent, p - 1);
            }
            ChatOffset = p;
            ChatLength = chat;
            p += chat;
            if (p >= end)
            {
                return Fail(PaceHostResult.LengthInconsistent, p);
            }
            int pin = data[p++];
            if (p + pin > end)
            {
                return Fail(PaceHostResult.LengthInconsistent, p - 1);
            }
            PasswordOffset = p;
            PasswordLength = pin;
            p += pin;
            if (p + 2 > end)
            {
                return Fail(PaceHostResult.LengthInconsistent, p);
            }
            int description = data[p] | (data[p + 1] << 8);
            p += 2;
            if (p + description != end)
            {
                return Fail(PaceHostResult.LengthInconsistent, p - 2);
            }
            DescriptionOffset = p;
            DescriptionLength = description;
            return Check(data);
        }

        /// <summary>Parses the TR-03119 boxing form (the data field of <c>FF 9A 04 02</c>).</summary>
        public uint ParseBoxed(byte[] data, int offset, int length)
        {
            Clear();
            int end = offset + length;
            int p = offset;
            int outer;
            if (length < 2 || data[p++] != 0x30 || !BerTlv.ReadLength(data, ref p, end, out outer) || p + outer != end)
            {
                return Fail(PaceHostResult.LengthInconsistent, offset);
            }
            int seen = 0;
            bool hasId = false;
            while (p < end)
            {
                int tagAt = p;
                int tag = data[p++];
                int l;
                if (!BerTlv.ReadLength(data, ref p, end, out l) || p + l > end)
                {
                    return Fail(PaceHostResult.LengthInconsistent, tagAt);
                }
                int inner = p;
                int innerEnd = p + l;
                p = innerEnd;
                int number = tag - 0xA0;
                if (number < 1 || number > 5 || (seen & (1 << number)) != 0)
                {
                    return Fail(PaceHostResult.UnexpectedData, tagAt);
                }
                seen |= 1 << number;
                if (number == 4)
                {
                    // [4] certificateDescription: the description itself, implicitly tagged.
                    DescriptionOffset = inner;
                    DescriptionLength = l;
                    continue;
                }
                int valueTag = inner < innerEnd ? data[inner] : -1;
                int q = inner + 1;
                int v;
                if (valueTag < 0 || !BerTlv.ReadLength(data, ref q, innerEnd, out v) || q + v != innerEnd)
                {
                    return Fail(PaceHostResult.LengthInconsistent, inner);
                }
                if (number == 1)
                {
                    if (valueTag != 0x02 || v != 1)
                    {
                        return Fail(PaceHostResult.UnexpectedData, inner);
                    }
                    PasswordId = data[q];
                    hasId = true;
                }
                else if (number == 2)
                {
                    if (valueTag != 0x12 && valueTag != 0x04)
                    {
                        return Fail(PaceHostResult.UnexpectedData, inner);
                    }
                    PasswordOffset = q;
                    PasswordLength = v;
                }
                else if (number == 3)
                {
                    if (valueTag != 0x04)
                    {
                        return Fail(PaceHostResult.UnexpectedData, inner);
                    }
                    ChatOffset = q;
                    ChatLength = v;
                }
                else if (valueTag != 0x06)
                {
                    // [5] hashOID: an OBJECT IDENTIFIER, only relevant to terminal authentication.
                    return Fail(PaceHostResult.UnexpectedData, inner);
                }
            }
            if (!hasId)
            {
                return Fail(PaceHostResult.UnexpectedData, offset);
            }
            return Check(data);
        }

        // What both forms share: the password ID, a CHAT that is one DO'7F4C' fitting MSE:Set AT, a password
        // that fits the reader's buffer, MRZ only with a password from the host.
        private uint Check(byte[] data)
        {
            if (PasswordId < PaceReader.PasswordMrz || PasswordId > PaceReader.PasswordPin)
            {
                return Fail(PaceHostResult.PasswordIdNotSupported, ChatOffset - 2 < 0 ? 0 : ChatOffset - 2);
            }
            if (ChatLength > 0)
            {
                int q = ChatOffset + 2;
                int inner;
                if (ChatLength < 3 || data[ChatOffset] != 0x7F || data[ChatOffset + 1] != 0x4C
                    || !BerTlv.ReadLength(data, ref q, ChatOffset + ChatLength, out inner) || q + inner != ChatOffset + ChatLength
                    || ChatLength > 200)
                {
                    return Fail(PaceHostResult.UnexpectedData, ChatOffset);
                }
            }
            if (PasswordLength > PaceService.MaxPasswordLength)
            {
                return Fail(PaceHostResult.LengthInconsistent, PasswordOffset);
            }
            if (PasswordId == PaceReader.PasswordMrz && PasswordLength == 0)
            {
                // The MRZ information cannot be typed on a numeric keypad.
                return Fail(PaceHostResult.UnexpectedCombination, PasswordOffset);
            }
            return PaceHostResult.Success;
        }

        private void Clear()
        {
            PasswordId = 0;
            ChatOffset = 0;
            ChatLength = 0;
            PasswordOffset = 0;
            PasswordLength = 0;
            DescriptionOffset = 0;
            DescriptionLength = 0;
            ErrorOffset = 0;
        }

        private uint Fail(uint result, int at)
        {
            ErrorOffset = at;
            return result;
        }
    }

    /// <summary>
    /// Writes the outputs of the PC/SC part 10 amendment 1 PACE functions, in the binary form (CCID
    /// PC_to_RDR_Secure answer and FEATURE_EXECUTE_PACE) and the TR-03119 boxing form (DER, answer of
    /// <c>FF 9A 04 01/02</c>). Each returns the length written, or -1 when <c>capacity</c> is too small.
    /// </summary>
    /// <remarks>In the boxing form errorCode and statusMSESetAT are written as OpenSC's reader-tr03119.c reads them on
    /// a little-endian host (the only public host of this form): errorCode little endian, statusMSESetAT as a
    /// little-endian 16-bit SW1SW2 (so SW2 first).</remarks>
    public static class PaceHostOutput
    {
        /// <summary>GetReaderPACECapabilities, binary: Result 0, lengthOutputData 1, the bitmap (PACE, DestroyPACEChannel).</summary>
        public static int CapabilitiesBinary(byte[] response, int offset, int capacity)
        {
            if (capacity < 7)
            {
                return -1;
            }
            int p = WriteU32(response, offset, PaceHostResult.Success);
            response[p++] = 1;
            response[p++] = 0;
            response[p++] = PaceHostResult.CapabilityPace | PaceHostResult.CapabilityDestroy;
            return p - offset;
        }

        /// <summary>GetReaderPACECapabilities, boxing: SEQUENCE { [1] PACE TRUE, [2] eID FALSE, [3] eSign FALSE, [4] Destroy TRUE }.</summary>
        public static int CapabilitiesBoxed(byte[] response, int offset, int capacity)
        {
            if (capacity < 22)
            {
                return -1;
            }
            int p = offset;
            response[p++] = 0x30;
            response[p++] = 20;
            for (int i = 1; i <= 4; i++)
            {
                response[p++] = (byte)(0xA0 + i);
                response[p++] = 3;
                response[p++] = 0x01;
                response[p++] = 1;
                response[p++] = (byte)(i == 1 || i == 4 ? 0xFF : 0x00);
            }
            return p - offset;
        }

        /// <summary>EstablishPACEChannel, binary: Result, lengthOutputData, MSE:Set AT SW1 SW2 (00 00 when not sent),
        /// lengthEF_CardAccess + EF.CardAccess, lengthCARcurr 0, lengthCARprev 0, lengthIDicc 0.</summary>
        public static int EstablishBinary(uint result, int mseStatus, byte[] cardAccess, int cardAccessLength, byte[] response, int offset, int capacity)
        {
            int outputLength = 2 + 2 + cardAccessLength + 1 + 1 + 2;
            if (capacity < 6 + outputLength)
            {
                return -1;
            }
            int p = WriteU32(response, offset, result);
            response[p++] = (byte)outputLength;
            response[p++] = (byte)(outputLength >> 8);
            response[p++] = (byte)(mseStatus < 0 ? 0 : mseStatus >> 8);
            response[p++] = (byte)(mseStatus < 0 ? 0 : mseStatus);
            response[p++] = (byte)cardAccessLength;
            response[p++] = (byte)(cardAccessLength >> 8);
            System.Array.Copy(cardAccess, 0, response, p, cardAccessLength);
            p += cardAccessLength;
            response[p++] = 0;
            response[p++] = 0;
            response[p++] = 0;
            response[p++] = 0;
            return p - offset;
        }

        /// <summary>EstablishPACEChannel, boxing: SEQUENCE { [1] errorCode, [2] statusMSESetAT, [3] EF.CardAccess }.</summary>
        public static int EstablishBoxed(uint result, int mseStatus, byte[] cardAccess, int cardAccessLength, byte[] response, int offset, int capacity)
        {
            int inner = 8 + 6 + 1 + BerTlv.LengthOfLength(cardAccessLength) + cardAccessLength;
            int total = 1 + BerTlv.LengthOfLength(inner) + inner;
            if (capacity < total)
            {
                return -1;
            }
            int p = offset;
            response[p++] = 0x30;
            p = BerTlv.WriteLength(response, p, inner);
            response[p++] = 0xA1;
            response[p++] = 6;
            response[p++] = 0x04;
            response[p++] = 4;
            p = WriteU32(response, p, result);
            int sw = mseStatus < 0 ? 0 : mseStatus;
            response[p++] = 0xA2;
            response[p++] = 4;
            response[p++] = 0x04;
            response[p++] = 2;
            response[p++] = (byte)sw;
            response[p++] = (byte)(sw >> 8);
            response[p++] = 0xA3;
            p = BerTlv.WriteLength(response, p, cardAccessLength);
            System.Array.Copy(cardAccess, 0, response, p, cardAccessLength);
            p += cardAccessLength;
            return p - offset;
        }

        /// <summary>DestroyPACEChannel, binary: Result 0, lengthOutputData 0.</summary>
        public static int DestroyBinary(byte[] response, int offset, int capacity)
        {
            if (capacity < 6)
            {
                return -1;
            }
            int p = WriteU32(response, offset, PaceHostResult.Success);
            response[p++] = 0;
            response[p++] = 0;
            return p - offset;
        }

        private static int WriteU32(byte[] b, int p, uint value)
        {
            b[p] = (byte)value;
            b[p + 1] = (byte)(value >> 8);
            b[p + 2] = (byte)(value >> 16);
            b[p + 3] = (byte)(value >> 24);
            return p + 4;
        }
    }
}
