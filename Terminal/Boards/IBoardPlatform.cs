namespace Terminal.Boards
{
    /// <summary>
    /// What <see cref="DriverBoard"/> needs from the platform it runs on: pins, UARTs and a PWM by
    /// number and name. The ESP32 entry point (Esp32/) and the Linux board (Desktop/Boards/) implement
    /// it over System.Device.Gpio, System.IO.Ports and System.Device.Pwm; tests implement it with
    /// recording fakes.
    /// </summary>
    public interface IBoardPlatform
    {
        /// <summary>The board clock.</summary>
        IClock Clock { get; }

        /// <summary>Short waits for the display.</summary>
        IMicroDelay Delay { get; }

        /// <summary>Opens a GPIO as a push-pull output at <paramref name="initialHigh"/>.</summary>
        IOutputPin OpenOutput(int gpio, bool initialHigh);

        /// <summary>Opens a GPIO as an open-drain output: low is driven, high releases the pin (input mode).</summary>
        IOutputPin OpenOpenDrainOutput(int gpio);

        /// <summary>Opens a GPIO as an input, with the internal pull-up when asked and available.</summary>
        IInputPin OpenInput(int gpio, bool pullUp);

        /// <summary>Opens a UART (8 data bits).</summary>
        ISerialPort OpenSerial(string name, int baudRate, SerialParity parity, int stopBits);

        /// <summary>Creates the card clock output (stopped).</summary>
        IClockOutput OpenClock(int gpio, int chip, int channel, int frequencyHz);
    }
}
