namespace Terminal.Slots
{
    /// <summary>
    /// One exchange with a slot's card, as the PIN pad's channel makes it: the <see cref="CardSlot"/>
    /// itself, or a trace in front of it that records the PIN-bearing command with its data masked
    /// (Terminal.Tracing.TracedSlot.PinCommands). Same contract as the ICcidSlot methods of the same names.
    /// </summary>
    public interface ISlotExchange
    {
        /// <summary>One TPDU (T=0 header and data, or a whole T=1 block); the card's answer at <paramref name="responseOffset"/>.</summary>
        int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength);

        /// <summary>One whole APDU (APDU level); the card's answer at <paramref name="responseOffset"/>.</summary>
        int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength);
    }
}
