using Terminal.Iso7816;

namespace Terminal.Boards
{
    /// <summary>Called when a slot's card was inserted, removed, or its interface chip reported a fault.</summary>
    /// <param name="slot">The slot number.</param>
    public delegate void SlotEventHandler(int slot);

    /// <summary>
    /// Contact control of one slot through an interface chip of the TDA8024 / NCN8025 kind.
    /// </summary>
    /// <remarks>
    /// What the chip does and what the firmware drives (TDA8024 datasheet, "activation sequence"):
    /// with a card present (OFF high), CMDVCC falling starts the chip's own sequencer, which raises
    /// VCC, then enables I/O, then passes XTAL1 to CLK; RST follows RSTIN only once that sequence is
    /// over. CMDVCC rising runs the reverse: RST low, CLK stopped, I/O low, VCC off. So the firmware's
    /// part is: RSTIN low, 5V/3V, CMDVCC low, wait the chip's activation time, (card clock),
    /// RSTIN high; and RSTIN low, (clock released), CMDVCC high, wait the deactivation time.
    /// The firmware does not drive CMDVCC itself but VCCEN, which pulls CMDVCC low through an N-MOSFET
    /// (CMDVCC has its pull-up): a GPIO that floats at reset, or that opens as an output at its default
    /// low level before the firmware writes it, then keeps the card unpowered.
    /// OFF is low when no card is present, and falls during a session on a fault (VCC short or over-
    /// current, overheating) or a card withdrawal, after which the chip has already deactivated the
    /// contacts; CMDVCC must go high before a new activation.
    /// Pins are logic levels: VCCEN high activates (CMDVCC low), 5V/3V high selects 5 V (class A).
    /// </remarks>
    public sealed class Tda8024Contact
    {
        private readonly int _slot;
        private readonly IOutputPin _vccEnable;
        private readonly IOutputPin _rstIn;
        private readonly IOutputPin _classSelect;
        private readonly IInputPin _off;
        private readonly IClock _clock;
        private readonly int _activationMilliseconds;
        private readonly int _deactivationMilliseconds;
        private bool _active;
        private bool _faulted;

        /// <summary>Takes the pins and puts them in their inactive state (VCCEN low so CMDVCC high, RSTIN low, 5 V).</summary>
        /// <param name="slot">The slot number, for events.</param>
        /// <param name="vccEnable">VCCEN: high pulls CMDVCC low (activation).</param>
        /// <param name="rstIn">RSTIN.</param>
        /// <param name="classSelect">5V/3V (high: 5 V).</param>
        /// <param name="off">OFF (low: no card or fault).</param>
        /// <param name="clock">The board clock, for the chip's sequencing times.</param>
        /// <param name="activationMicroseconds">Time the chip's activation sequence takes, rounded up to milliseconds.</param>
        /// <param name="deactivationMicroseconds">Time its deactivation takes, rounded up to milliseconds.</param>
        public Tda8024Contact(int slot, IOutputPin vccEnable, IOutputPin rstIn, IOutputPin classSelect, IInputPin off, IClock clock,
            int activationMicroseconds, int deactivationMicroseconds)
        {
            _slot = slot;
            _vccEnable = vccEnable;
            _rstIn = rstIn;
            _classSelect = classSelect;
            _off = off;
            _clock = clock;
            _activationMilliseconds = (activationMicroseconds + 999) / 1000;
            _deactivationMilliseconds = (deactivationMicroseconds + 999) / 1000;
            _vccEnable.Write(false);
            _rstIn.Write(false);
            _classSelect.Write(true);
            _off.Changed += OnOffChanged;
        }

        /// <summary>Raised on OFF edges: card inserted or removed, or a fault during a session (from the GPIO thread).</summary>
        public event SlotEventHandler Changed
        {
            add { lock (_eventSync) { _changed = (SlotEventHandler?)System.Delegate.Combine(_changed, value); } }
            remove { lock (_eventSync) { _changed = (SlotEventHandler?)System.Delegate.Remove(_changed, value); } }
        }

        // Explicit accessors: a field-like event would compile to the generic Interlocked.CompareExchange<T> on .NET.
        private readonly object _eventSync = new object();
        private SlotEventHandler? _changed;

        /// <summary>The slot number.</summary>
        public int Slot
        {
            get { return _slot; }
        }

        /// <summary>True when OFF is high: a card sits in the connector and the chip reports no fault.</summary>
        public bool CardPresent
        {
            get { return _off.Read(); }
        }

        /// <summary>True between a successful <see cref="PowerOn"/> and <see cref="PowerOff"/> or a fault.</summary>
        public bool Active
        {
            get { return _active; }
        }

        /// <summary>True when the chip ended the last session by itself (fault or withdrawal); cleared by <see cref="PowerOn"/>.</summary>
        public bool Faulted
        {
            get { return _faulted; }
        }

        /// <summary>Drives RSTIN (the card's RST once the chip is active).</summary>
        public void SetReset(bool high)
        {
            _rstIn.Write(high);
        }

        /// <summary>
        /// Starts the chip's activation: RSTIN low, 5V/3V, CMDVCC low, then waits the chip's activation
        /// time, after which VCC is up and I/O is in reception. False (nothing driven but RSTIN) when no
        /// card is present or the class is one the chip cannot supply.
        /// </summary>
        public bool PowerOn(VoltageClass voltageClass)
        {
            _rstIn.Write(false);
            if (voltageClass != VoltageClass.A && voltageClass != VoltageClass.B)
            {
                return false;
            }
            if (!_off.Read())
            {
                return false;
            }
            _faulted = false;
            _classSelect.Write(voltageClass == VoltageClass.A);
            _vccEnable.Write(true);
            _active = true;
            _clock.Sleep(_activationMilliseconds);
            if (!_off.Read())
            {
                // The chip refused or aborted the activation (fault at power-up): acknowledge it.
                Abort();
                return false;
            }
            return true;
        }

        /// <summary>Deactivates: RSTIN low, CMDVCC high (the chip then runs RST, CLK, I/O, VCC down), waits its deactivation time.</summary>
        public void PowerOff()
        {
            _rstIn.Write(false);
            _vccEnable.Write(false);
            bool was = _active;
            _active = false;
            if (was)
            {
                _clock.Sleep(_deactivationMilliseconds);
            }
        }

        private void Abort()
        {
            _faulted = true;
            _active = false;
            _rstIn.Write(false);
            _vccEnable.Write(false);
        }

        private void OnOffChanged(IInputPin pin, bool high)
        {
            if (!high && _active)
            {
                Abort();
            }
            SlotEventHandler? handler = _changed;
            if (handler != null)
            {
                handler(_slot);
            }
        }
    }
}
