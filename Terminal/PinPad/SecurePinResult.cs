namespace Terminal.PinPad
{
    /// <summary>How a secure PIN operation ended.</summary>
    public enum SecurePinOutcome
    {
        /// <summary>The PIN(s) went to the card and it answered; <see cref="SecurePinResult.StatusWord"/> is its SW (9000, 63Cx, 6983...).</summary>
        CardAnswered = 0,

        /// <summary>No key in time (SW 6400, bError PIN_TIMEOUT).</summary>
        Timeout = 1,

        /// <summary>Cancel key (SW 6401, bError PIN_CANCELLED).</summary>
        Cancelled = 2,

        /// <summary>The new PIN and its confirmation differ (SW 6402; nothing was sent to the card).</summary>
        Mismatch = 3,

        /// <summary>The card left during the entry (SW 6401, bError ICC_MUTE).</summary>
        CardRemoved = 4,

        /// <summary>The card did not answer the built command (SW 6F00, bError ICC_MUTE).</summary>
        CardMute = 5,

        /// <summary>The structure was refused (SW 6B80; bError = offset of the field for the CCID form).</summary>
        InvalidStructure = 6,
    }

    /// <summary>
    /// The result of <see cref="SecurePinService.Execute"/>: a reused instance, valid until the next call.
    /// The answer bytes are in the caller's response buffer: the card's answer when it answered, else
    /// the reader's two status bytes (6400, 6401, 6402, 6B80, 6F00) so the pseudo-APDU paths can return
    /// them as they are. For a CCID PC_to_RDR_Secure, <see cref="CcidFailed"/> tells whether to answer
    /// with a failed RDR_to_PC_DataBlock and <see cref="BError"/>.
    /// </summary>
    public sealed class SecurePinResult
    {
        /// <summary>How it ended.</summary>
        public SecurePinOutcome Outcome;

        /// <summary>The card's SW, or the reader's 64xx / 6B80 / 6F00 (or -1 when the card's answer has none readable, e.g. a T=1 S-block).</summary>
        public int StatusWord;

        /// <summary>Bytes written to the response buffer.</summary>
        public int ResponseLength;

        /// <summary>CCID bError: 0 on success or mismatch, F0h timeout, EFh cancelled, FEh card removed or mute, the field offset for a refused CCID structure.</summary>
        public byte BError;

        /// <summary>Why the structure was refused (<see cref="PinParseStatus.Ok"/> otherwise).</summary>
        public PinParseStatus ParseStatus;

        /// <summary>Offset of the refused field in the structure as given (-1 when none).</summary>
        public int ErrorOffset;

        /// <summary>The operation the structure asked for.</summary>
        public PinOperation Operation;

        /// <summary>True when a CCID reader answers with bmCommandStatus "failed" and <see cref="BError"/> (timeout, cancel, card gone or mute, refused structure).</summary>
        public bool CcidFailed
        {
            get { return BError != 0; }
        }

        internal void Reset()
        {
            Outcome = SecurePinOutcome.InvalidStructure;
            StatusWord = -1;
            ResponseLength = 0;
            BError = 0;
            ParseStatus = PinParseStatus.Ok;
            ErrorOffset = -1;
            Operation = PinOperation.Verify;
        }
    }
}
