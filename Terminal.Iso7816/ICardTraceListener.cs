namespace Terminal.Iso7816
{
    /// <summary>
    /// Told about what the engine exchanges with the card on its own, below the TPDUs and APDUs its
    /// caller sees: every ATR it reads (cold and warm resets, class retries, the reset after a failed
    /// PPS), the PPS it exchanges, and the T=0 procedure bytes. A trace writer uses it to show the
    /// line as it was. Called on the exchange's thread with views on the engine's buffers: copy what
    /// is kept, return quickly, never use the line.
    /// </summary>
    public interface ICardTraceListener
    {
        /// <summary>An ATR as read (logical bytes, TS 3F for the inverse convention), also a partial or malformed one.</summary>
        void AtrReceived(byte[] atr, int offset, int length);

        /// <summary>
        /// A PPS request sent to the card (<paramref name="fromCard"/> false) or the card's response
        /// (true; only the characters that arrived when it was cut short).
        /// </summary>
        void PpsExchanged(bool fromCard, byte[] pps, int offset, int length);

        /// <summary>
        /// The T=0 procedure bytes of one TPDU (ACK = INS or its complement, NULL 60, SW1), in the order
        /// the card sent them, without the data and SW2 around them; reported when the TPDU ends (a long
        /// run of NULL bytes comes in several calls).
        /// </summary>
        void ProcedureBytes(byte[] bytes, int offset, int length);
    }
}
