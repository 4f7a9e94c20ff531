namespace Terminal.Pace
{
    /// <summary>
    /// Sends one command APDU to the card and receives its response (data and SW1 SW2): what PACE needs from the
    /// slot's APDU layer (T=0 or T=1, GET RESPONSE already handled below it).
    /// </summary>
    public interface IApduChannel
    {
        /// <summary>Exchanges <paramref name="command"/>[<paramref name="offset"/>, +<paramref name="length"/>) and
        /// writes the response at <paramref name="responseOffset"/>, never more than
        /// <c>response.Length - responseOffset</c> bytes (a longer answer is an error).</summary>
        /// <returns>The response length (at least 2, the status word last), or a negative value when the card could
        /// not be reached (removed, mute, reset).</returns>
        int Transmit(byte[] command, int offset, int length, byte[] response, int responseOffset);
    }
}
