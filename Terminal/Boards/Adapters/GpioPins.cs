using System.Device.Gpio;

namespace Terminal.Boards.Adapters
{
    /// <summary><see cref="IOutputPin"/> on a GpioController pin (members of portable-gpio.txt only).</summary>
    public sealed class GpioOutputPin : IOutputPin
    {
        private readonly GpioController _controller;
        private readonly int _pin;

        /// <summary>
        /// Opens <paramref name="pin"/> as an output and writes <paramref name="initialHigh"/>. Between the two the
        /// pin sits at the driver's default level (low) for a moment: the portable API has no "open at this
        /// level". The board is designed for it: every output is harmless low (CMDVCC sits behind an
        /// inverting MOSFET, the shift register's /OE is opened only once the chain is cleared).
        /// </summary>
        public GpioOutputPin(GpioController controller, int pin, bool initialHigh)
        {
            _controller = controller;
            _pin = pin;
            _controller.OpenPin(pin, PinMode.Output);
            Write(initialHigh);
        }

        /// <inheritdoc />
        public void Write(bool high)
        {
            _controller.Write(_pin, high ? PinValue.High : PinValue.Low);
        }
    }

    /// <summary>
    /// Open-drain emulation on a push-pull GPIO: low is driven, high switches the pin to input and lets
    /// it float (the keypad rows: two keys of one column never short two driven outputs).
    /// </summary>
    public sealed class GpioOpenDrainPin : IOutputPin
    {
        private readonly GpioController _controller;
        private readonly int _pin;
        private bool _driven;

        /// <summary>Opens <paramref name="pin"/> released (input).</summary>
        public GpioOpenDrainPin(GpioController controller, int pin)
        {
            _controller = controller;
            _pin = pin;
            _controller.OpenPin(pin, PinMode.Input);
        }

        /// <inheritdoc />
        public void Write(bool high)
        {
            if (high)
            {
                if (_driven)
                {
                    _controller.SetPinMode(_pin, PinMode.Input);
                    _driven = false;
                }
                return;
            }
            if (!_driven)
            {
                _controller.SetPinMode(_pin, PinMode.Output);
                _driven = true;
            }
            _controller.Write(_pin, PinValue.Low);
        }
    }

    /// <summary><see cref="IInputPin"/> on a GpioController pin, with the edge callback as <see cref="Changed"/>.</summary>
    public sealed class GpioInputPin : IInputPin
    {
        private readonly GpioController _controller;
        private readonly int _pin;
        private PinChangedHandler? _changed;
        private bool _registered;

        /// <summary>Opens <paramref name="pin"/> as an input, pulled up when asked and the pin supports it (GPIO34-39 of the ESP32 do not: the board has resistors).</summary>
        public GpioInputPin(GpioController controller, int pin, bool pullUp)
        {
            _controller = controller;
            _pin = pin;
            PinMode mode = pullUp && controller.IsPinModeSupported(pin, PinMode.InputPullUp) ? PinMode.InputPullUp : PinMode.Input;
            _controller.OpenPin(pin, mode);
        }

        /// <inheritdoc />
        public event PinChangedHandler Changed
        {
            add
            {
                _changed += value;
                if (!_registered)
                {
                    _registered = true;
                    _controller.RegisterCallbackForPinValueChangedEvent(_pin, PinEventTypes.Falling | PinEventTypes.Rising, OnPinChanged);
                }
            }
            remove
            {
                _changed -= value;
            }
        }

        /// <inheritdoc />
        public bool Read()
        {
            return _controller.Read(_pin) == PinValue.High;
        }

        private void OnPinChanged(object sender, PinValueChangedEventArgs e)
        {
            PinChangedHandler? handler = _changed;
            if (handler != null)
            {
                handler(this, e.ChangeType == PinEventTypes.Rising);
            }
        }
    }
}
