namespace Terminal.PinPad
{
    /// <summary>What a PIN entry needs from the slot while it waits for keys.</summary>
    public interface IPinEntrySlot
    {
        /// <summary>True while the card is inserted (polled during the entry, every <see cref="PinEntry.PollMilliseconds"/>); the entry aborts when it is not.</summary>
        bool IsCardPresent { get; }

        /// <summary>
        /// Called at every poll while the entry waits for the cardholder (every
        /// <see cref="PinEntry.PollMilliseconds"/>): the CCID layer sends a time extension when one is
        /// due (a byte 80h or above on the serial link, a bmCommandStatus "time extension" answer on
        /// USB), since a PIN entry can last up to 180 s and the host's timeout is shorter.
        /// </summary>
        void KeepHostWaiting();
    }

    /// <summary>
    /// The slot's card exchange as the secure PIN service needs it: one command out, one answer back.
    /// The CCID layer implements it over the slot's protocol session (T=0 TPDU with the procedure
    /// bytes run by the reader, or T=1). The command buffer holds a PIN: the implementation must not
    /// log, trace or keep it, and must zero any copy it makes (its transmit buffer) once sent.
    /// </summary>
    public interface ISecureCardChannel : IPinEntrySlot
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
