namespace Terminal.Boards
{
    /// <summary><see cref="IIndicators"/> on output pins: the secure-mode LED, one card-access LED a slot, the buzzer (all active high).</summary>
    public sealed class PinIndicators : IIndicators
    {
        private readonly IOutputPin _secure;
        private readonly IOutputPin[] _access;
        private readonly IOutputPin _buzzer;
        private readonly IClock _clock;

        /// <summary>Takes the pins and turns everything off.</summary>
        public PinIndicators(IOutputPin secure, IOutputPin[] access, IOutputPin buzzer, IClock clock)
        {
            _secure = secure;
            _access = access;
            _buzzer = buzzer;
            _clock = clock;
            _secure.Write(false);
            for (int i = 0; i < access.Length; i++)
            {
                access[i].Write(false);
            }
            _buzzer.Write(false);
        }

        /// <inheritdoc />
        public void SetSecureMode(bool on)
        {
            _secure.Write(on);
        }

        /// <inheritdoc />
        public void SetCardAccess(int slot, bool on)
        {
            if (slot >= 0 && slot < _access.Length)
            {
                _access[slot].Write(on);
            }
        }

        /// <inheritdoc />
        /// <remarks>Blocks for the beep's length (an active buzzer: the pin switches it through a transistor).</remarks>
        public void Beep(int milliseconds)
        {
            if (milliseconds <= 0)
            {
                return;
            }
            _buzzer.Write(true);
            try
            {
                _clock.Sleep(milliseconds);
            }
            finally
            {
                _buzzer.Write(false);
            }
        }
    }
}
