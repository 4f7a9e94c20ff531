namespace Terminal.Iso7816
{
    /// <summary>
    /// Told when the card asks for more time, so that the layer above (CCID) can send time extensions
    /// to the host while the card works.
    /// </summary>
    public interface ICardWaitListener
    {
        /// <summary>
        /// The card asked for more time: a T=0 NULL procedure byte (<paramref name="protocol"/> 0,
        /// <paramref name="extraCycles"/> one WWT) or a T=1 S(WTX request) (protocol 1, the multiplied BWT).
        /// Called on the exchange's thread; must return quickly and must not use the line.
        /// </summary>
        void CardWaiting(int protocol, long extraCycles);
    }
}
