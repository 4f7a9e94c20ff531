namespace Terminal.PinPad
{
    /// <summary>Tells whether the card is still in its slot; a PIN entry is aborted when it is not.</summary>
    public interface ICardPresence
    {
        /// <summary>True while the card is inserted (polled during the entry, every few tens of milliseconds).</summary>
        bool IsCardPresent { get; }
    }

    /// <summary>
    /// The slot's card exchange as the secure PIN service needs it: one command out, one answer back.
    /// The CCID layer implements it over the slot's protocol session (T=0 TPDU with the procedure
    /// bytes run by the reader, or T=1). The command buffer holds a PIN: the implementation must not
    /// log, trace or keep it, and must zero any copy it makes (its transmit buffer) once sent.
    /// </summary>
    public interface ISecureCardChannel : ICardPresence
    {
        /// <summary>
        /// Sends <paramref name="commandLength"/> bytes of <paramref name="command"/> from
        /// <paramref name="commandOffset"/> to the card and writes its answer (data and SW1 SW2, or a
        /// whole T=1 block when the command is one) to <paramref name="response"/> from
        /// <paramref name="responseOffset"/>, at most <paramref name="responseCapacity"/> bytes.
        /// Returns the answer's length, or -1 when the card did not answer or is gone.
        /// </summary>
        int Transmit(byte[] command, int commandOffset, int commandLength, byte[] response, int responseOffset, int responseCapacity);
    }
}
