namespace Terminal.Slots
{
    /// <summary>Told by a <see cref="CardSlot"/> that its card session ended (power-off, removal, a new power-on), so
    /// what belongs to the session (a PACE channel's keys) goes with it at once.</summary>
    public interface ISlotSessionListener
    {
        /// <summary>The session of slot <paramref name="slot"/> (board index) ended.</summary>
        void SessionEnded(int slot);
    }
}
