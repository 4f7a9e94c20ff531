namespace Terminal.Boards
{
    /// <summary>
    /// A chain of 74HC595 shift registers driven by three GPIOs (SER, SRCLK, RCLK) and an optional
    /// output enable (/OE, active low): the slow outputs of the reference board (display, card-access
    /// LEDs, buzzer, 5V/3V, slot select). Output n is Qn of the first register for n &lt; 8, Qn-8 of the
    /// second, and so on.
    /// </summary>
    /// <remarks>
    /// The state lives in a shadow here; <see cref="Latch"/> shifts the whole chain out, the farthest
    /// output first, and pulses RCLK so that every output changes at once. Callers that change several
    /// outputs (the display bus) set them and latch once, under <see cref="SyncRoot"/>.
    /// </remarks>
    public sealed class ShiftRegisterOutputs
    {
        private readonly IOutputPin _data;
        private readonly IOutputPin _shiftClock;
        private readonly IOutputPin _latch;
        private readonly bool[] _state;
        private readonly object _sync = new object();

        /// <summary>
        /// Takes the pins, clears every output and only then enables the outputs, so that the register's
        /// random power-up state never reaches the buzzer, the LEDs or the slot select.
        /// </summary>
        /// <param name="data">SER of the first register.</param>
        /// <param name="shiftClock">SRCLK of every register.</param>
        /// <param name="latch">RCLK of every register.</param>
        /// <param name="outputEnable">/OE of every register (pulled up on the board), or null when tied low.</param>
        /// <param name="length">Number of outputs: 8 per register.</param>
        public ShiftRegisterOutputs(IOutputPin data, IOutputPin shiftClock, IOutputPin latch, IOutputPin? outputEnable, int length)
        {
            _data = data;
            _shiftClock = shiftClock;
            _latch = latch;
            _state = new bool[length];
            _shiftClock.Write(false);
            _latch.Write(false);
            Latch();
            if (outputEnable != null)
            {
                outputEnable.Write(false);
            }
        }

        /// <summary>Number of outputs.</summary>
        public int Length
        {
            get { return _state.Length; }
        }

        /// <summary>Lock to hold while setting several outputs and latching them together.</summary>
        public object SyncRoot
        {
            get { return _sync; }
        }

        /// <summary>Sets output <paramref name="index"/> in the shadow; nothing changes until <see cref="Latch"/>.</summary>
        public void Set(int index, bool high)
        {
            _state[index] = high;
        }

        /// <summary>The shadow state of an output.</summary>
        public bool Get(int index)
        {
            return _state[index];
        }

        /// <summary>Shifts the shadow out and latches it onto the outputs.</summary>
        public void Latch()
        {
            lock (_sync)
            {
                for (int i = _state.Length - 1; i >= 0; i--)
                {
                    _data.Write(_state[i]);
                    _shiftClock.Write(true);
                    _shiftClock.Write(false);
                }
                _latch.Write(true);
                _latch.Write(false);
            }
        }

        /// <summary>An <see cref="IOutputPin"/> for one output: each write sets it and latches the chain.</summary>
        public IOutputPin GetOutput(int index)
        {
            return new Output(this, index);
        }

        private sealed class Output : IOutputPin
        {
            private readonly ShiftRegisterOutputs _owner;
            private readonly int _index;

            public Output(ShiftRegisterOutputs owner, int index)
            {
                _owner = owner;
                _index = index;
            }

            public void Write(bool high)
            {
                lock (_owner._sync)
                {
                    if (_owner._state[_index] == high)
                    {
                        return;
                    }
                    _owner._state[_index] = high;
                    _owner.Latch();
                }
            }
        }
    }
}
