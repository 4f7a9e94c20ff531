namespace Terminal.Boards
{
    /// <summary>
    /// The card clock: one PWM output feeding XTAL1 of every slot's interface chip. The chip gates CLK
    /// to its card by its own activation sequencer, so one square wave serves both slots; it runs while
    /// any slot asks for it.
    /// </summary>
    public sealed class CardClock
    {
        private readonly IClockOutput _output;
        private readonly object _sync = new object();
        private int _requests;

        /// <summary>Wraps the PWM output (stopped).</summary>
        public CardClock(IClockOutput output)
        {
            _output = output;
        }

        /// <summary>The card clock frequency f in Hz.</summary>
        public int FrequencyHz
        {
            get { return _output.FrequencyHz; }
        }

        /// <summary>True while the PWM runs.</summary>
        public bool Running
        {
            get { return _requests != 0; }
        }

        /// <summary>True while <paramref name="slot"/> asks for the clock.</summary>
        public bool IsRequested(int slot)
        {
            return (_requests & (1 << slot)) != 0;
        }

        /// <summary>Slot <paramref name="slot"/> asks for the clock (true) or releases it (false).</summary>
        public void Request(int slot, bool running)
        {
            lock (_sync)
            {
                int before = _requests;
                _requests = running ? before | (1 << slot) : before & ~(1 << slot);
                if (before == 0 && _requests != 0)
                {
                    _output.Start();
                }
                else if (before != 0 && _requests == 0)
                {
                    _output.Stop();
                }
            }
        }
    }
}
