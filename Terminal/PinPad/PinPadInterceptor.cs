namespace Terminal.PinPad
{
    /// <summary>
    /// Answers the reader's pseudo-APDUs (TR-03119 FF 9A, PC/SC part 10 PPDU FF C2 01) found in the
    /// host's commands, running secure PIN entry where they ask for it. The CCID layer calls
    /// <see cref="Handle"/> with every command APDU it would send to a card (the T=0 TPDU, or the INF of
    /// a T=1 I-block) before the clear-PIN policy; -1 means "not ours, send it to the card".
    /// </summary>
    public sealed class PinPadInterceptor
    {
        private readonly SecurePinService _service;
        private readonly ReaderProperties _properties;

        /// <summary>An interceptor over the reader's PIN service and self-description.</summary>
        public PinPadInterceptor(SecurePinService service, ReaderProperties properties)
        {
            _service = service;
            _properties = properties;
        }

        /// <summary>The result of the last PIN operation run through <see cref="Handle"/> (for the caller's logs: no digits in it).</summary>
        public SecurePinResult? LastPinResult { get; private set; }

        /// <summary>
        /// Answers <paramref name="apdu"/> into <paramref name="response"/> and returns the answer's
        /// length, or -1 when it is not a pseudo-APDU. <paramref name="iccStatus"/> is the slot's CCID
        /// bmICCStatus (0 present and active), used in a boxed answer. The card behind
        /// <paramref name="card"/> is spoken to at APDU level: in T=1 the CCID layer frames it with its
        /// own sequence numbers so the host's stay consistent.
        /// </summary>
        public int Handle(byte[] apdu, int offset, int length, ISecureCardChannel card, int iccStatus, byte[] response, int responseOffset, int capacity)
        {
            PseudoApduKind kind = PseudoApdu.Classify(apdu, offset, length);
            int dataOffset;
            int dataLength;
            switch (kind)
            {
                case PseudoApduKind.NotPseudo:
                    return -1;

                case PseudoApduKind.ReaderInfo:
                    return PseudoApdu.ReaderInformation(_properties, apdu, offset, length, response, responseOffset, capacity);

                case PseudoApduKind.PpduFeatures:
                    return PseudoApdu.FeatureList(_properties, response, responseOffset, capacity);

                case PseudoApduKind.PpduPinProperties:
                    return PseudoApdu.PinProperties(_properties, response, responseOffset, capacity);

                case PseudoApduKind.PpduTlvProperties:
                    return PseudoApdu.TlvProperties(_properties, response, responseOffset, capacity);

                case PseudoApduKind.PpduVerify:
                case PseudoApduKind.PpduModify:
                    if (!PseudoApdu.DataOf(apdu, offset, length, out dataOffset, out dataLength) || dataLength == 0)
                    {
                        return PseudoApdu.Sw(0x6700, response, responseOffset, capacity);
                    }

                    SecurePinResult ppdu = _service.Execute(apdu, dataOffset, dataLength, kind == PseudoApduKind.PpduVerify ? PinStructureForm.PcscVerify : PinStructureForm.PcscModify, card, T1Edc.None, response, responseOffset, capacity);
                    LastPinResult = ppdu;
                    return ppdu.ResponseLength;

                case PseudoApduKind.BoxedSecure:
                    int abData;
                    int abLength;
                    int slot;
                    int sequence;
                    int error;
                    if (!PseudoApdu.DataOf(apdu, offset, length, out dataOffset, out dataLength)
                        || !PseudoApdu.ParseBoxedSecure(apdu, dataOffset, dataLength, out abData, out abLength, out slot, out sequence, out error))
                    {
                        return PseudoApdu.Sw(0x6A80, response, responseOffset, capacity);
                    }

                    if (capacity < 12)
                    {
                        return PseudoApdu.Sw(0x6700, response, responseOffset, capacity);
                    }

                    SecurePinResult boxed = _service.Execute(apdu, abData, abLength, PinStructureForm.CcidSecure, card, T1Edc.None, response, responseOffset + 10, capacity - 12);
                    LastPinResult = boxed;
                    return PseudoApdu.BoxedSecureAnswer(slot, sequence, iccStatus, boxed, response, responseOffset, capacity);

                default:
                    return PseudoApdu.Sw(apdu[offset + 1] == 0x9A ? 0x6A86 : 0x6A81, response, responseOffset, capacity);
            }
        }
    }
}
