using System;

namespace Terminal.Simulator
{
    /// <summary>Kinds of reader behaviour a virtual card notices and records.</summary>
    public enum ReaderObservationKind
    {
        /// <summary>RST went high less than 400 clock cycles after the clock started, or with no clock or VCC.</summary>
        ResetTooEarly,
        /// <summary>A reader character started less than 16 ETU (T=0, ATR, PPS) or BGT = 22 ETU (T=1) after the leading edge of the card's last character.</summary>
        CharacterTooEarly,
        /// <summary>Two reader characters closer than the guard time the ATR asks (12 + N, 11 in T=1 with N = 255).</summary>
        GuardTimeViolation,
        /// <summary>The reader's character rate differs from the card's (Fi/Di not applied, or applied too early).</summary>
        RateMismatch,
        /// <summary>The reader's convention differs from the card's.</summary>
        ConventionMismatch,
        /// <summary>Negotiable mode with TA1 not default and the reader sent its first command without PPS.</summary>
        MissingPps,
        /// <summary>A PPS request the card rejected (bad PCK, protocol not offered, unsupported rate).</summary>
        InvalidPps,
        /// <summary>T=1: a block whose N(S) or N(R) is not the expected one.</summary>
        WrongBlockSequence,
        /// <summary>T=1: a block from the reader with a wrong LRC/CRC.</summary>
        BadEdc,
        /// <summary>T=1: characters of a reader block further apart than CWT.</summary>
        ReaderCwtExceeded,
        /// <summary>Anything else against ISO/IEC 7816-3 (bad T=0 header, unexpected block, parity error received).</summary>
        ProtocolError,
        /// <summary>The reader sent while the card was still sending or working.</summary>
        SentWhileCardSending,
    }

    /// <summary>One thing the card noticed about the reader.</summary>
    /// <param name="Kind">What.</param>
    /// <param name="AtCycle">Line time in card clock cycles.</param>
    /// <param name="Detail">Text for the test's failure message.</param>
    public sealed record ReaderObservation(ReaderObservationKind Kind, long AtCycle, string Detail)
    {
        /// <inheritdoc/>
        public override string ToString() => $"{Kind} at {AtCycle}: {Detail}";
    }

    /// <summary>How a card refuses a PPS when told to.</summary>
    public enum PpsRefusal
    {
        /// <summary>No refusal: the card follows its profile.</summary>
        None,
        /// <summary>The card does not answer the PPS request (the reader times out and deactivates).</summary>
        Mute,
        /// <summary>The card answers without PPS1: the default rate Fd/Dd stays.</summary>
        DefaultRate,
    }

    /// <summary>Faults a test injects into a virtual card. Character and block indexes count from 0 at the last reset.</summary>
    public sealed class CardFaults
    {
        /// <summary>No answer to reset at all.</summary>
        public bool NoAtr { get; set; }

        /// <summary>Answers reset, then never answers anything (PPS included); set during a session, the card goes silent from its next received character.</summary>
        public bool Mute { get; set; }

        /// <summary>When set, sent instead of TS.</summary>
        public byte? WrongTs { get; set; }

        /// <summary>Sends a TCK that does not check.</summary>
        public bool WrongTck { get; set; }

        /// <summary>Card character index sent with a parity error; -1 for none.</summary>
        public int ParityErrorAt { get; set; } = -1;

        /// <summary>How many transmissions of that character are bad (a reader with the error signal gets repetitions).</summary>
        public int ParityErrorRepeats { get; set; } = 1;

        /// <summary>Card character index sent late by <see cref="DelayCycles"/>; -1 for none.</summary>
        public int DelayAt { get; set; } = -1;

        /// <summary>Extra delay of the character at <see cref="DelayAt"/>, in card clock cycles.</summary>
        public long DelayCycles { get; set; }

        /// <summary>The card is pulled out when it is about to send this character index; -1 for none.</summary>
        public int RemoveAt { get; set; } = -1;

        /// <summary>PPS refusal mode.</summary>
        public PpsRefusal PpsRefusal { get; set; }

        /// <summary>T=1: index of the card block sent with a wrong EDC (first transmission only); -1 for none.</summary>
        public int WrongEdcOnBlock { get; set; } = -1;

        /// <summary>T=1: an unrequested S(WTX request) is sent before the card block of this index; -1 for none.</summary>
        public int WtxBeforeBlock { get; set; } = -1;

        /// <summary>T=1: an S(ABORT request) is sent instead of the card block of this index; -1 for none.</summary>
        public int AbortBeforeBlock { get; set; } = -1;

        /// <summary>Clears every fault.</summary>
        public void Clear()
        {
            NoAtr = false; Mute = false; WrongTs = null; WrongTck = false; ParityErrorAt = -1; ParityErrorRepeats = 1;
            DelayAt = -1; DelayCycles = 0; RemoveAt = -1; PpsRefusal = PpsRefusal.None;
            WrongEdcOnBlock = -1; WtxBeforeBlock = -1; AbortBeforeBlock = -1;
        }
    }
}
