using Terminal.Ccid;
using Terminal.Pace;

namespace Terminal.Slots
{
    /// <summary>
    /// The reader's own APDU exchange with a slot's card, as PACE and its secure messaging need it: T=0 with GET
    /// RESPONSE run by the slot, T=1 with the reader's chaining (at TPDU level inside
    /// <see cref="CardSlot.BeginReaderExchanges"/>). A removed, mute or reset card gives -1.
    /// </summary>
    public sealed class SlotApduChannel : IApduChannel
    {
        private readonly CardSlot _slot;

        /// <summary>The channel over <paramref name="slot"/>.</summary>
        public SlotApduChannel(CardSlot slot)
        {
            _slot = slot;
        }

        /// <inheritdoc/>
        public int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset)
        {
            int n;
            int error = _slot.TransmitApdu(command, offset, length, response, responseOffset, response.Length - responseOffset, out n);
            return error == CcidError.None && n >= 2 ? n : -1;
        }
    }
}
