using System;
using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Device.Pwm;
using System.Diagnostics;
using System.Threading;
using Terminal.Boards;
using Terminal.Boards.Adapters;

namespace Terminal.Desktop.Boards
{
    /// <summary>
    /// <see cref="IBoardPlatform"/> of a Linux board: GPIOs through libgpiod (System.Device.Gpio's
    /// LibGpiodDriver on /dev/gpiochipN), UARTs through System.IO.Ports on /dev/tty*, the card clock
    /// through the kernel PWM (sysfs pwmchipN). The drivers above are the portable ones of Terminal/Boards.
    /// </summary>
    internal sealed class LinuxPlatform : IBoardPlatform, IDisposable
    {
        private readonly GpioController _gpio;
        private readonly StopwatchClock _clock = new StopwatchClock();

        internal LinuxPlatform(int gpioChip)
        {
            _gpio = new GpioController(new LibGpiodDriver(gpioChip));
        }

        public IClock Clock
        {
            get { return _clock; }
        }

        public IMicroDelay Delay
        {
            get { return _clock; }
        }

        public IOutputPin OpenOutput(int gpio, bool initialHigh)
        {
            return new GpioOutputPin(_gpio, gpio, initialHigh);
        }

        public IOutputPin OpenOpenDrainOutput(int gpio)
        {
            return new GpioOpenDrainPin(_gpio, gpio);
        }

        public IInputPin OpenInput(int gpio, bool pullUp)
        {
            return new GpioInputPin(_gpio, gpio, pullUp);
        }

        public ISerialPort OpenSerial(string name, int baudRate, SerialParity parity, int stopBits)
        {
            return new SerialPortAdapter(name, baudRate, parity, stopBits);
        }

        public IClockOutput OpenClock(int gpio, int chip, int channel, int frequencyHz)
        {
            // The pin is routed to the PWM by the device tree (dtoverlay=pwm,pin=18,func=2 on a Raspberry Pi).
            return new PwmClockOutput(PwmChannel.Create(chip, channel, frequencyHz, 0.5), frequencyHz);
        }

        public void Dispose()
        {
            _gpio.Dispose();
        }
    }

    /// <summary>A monotonic clock from Stopwatch, with busy waits for microseconds.</summary>
    internal sealed class StopwatchClock : IClock, IMicroDelay
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMilliseconds
        {
            get { return _watch.ElapsedMilliseconds; }
        }

        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }

        public void DelayMicroseconds(int microseconds)
        {
            long end = _watch.ElapsedTicks + microseconds * Stopwatch.Frequency / 1000000;
            while (_watch.ElapsedTicks < end)
            {
                Thread.SpinWait(16);
            }
        }
    }

    /// <summary>Builds the Linux board from `--board linux:PATH` (or a plain PATH).</summary>
    internal static class LinuxBoard
    {
        /// <summary>False with a message when the file is bad or the hardware cannot be opened.</summary>
        internal static bool TryCreate(string argument, out DriverBoard? board, out string error)
        {
            board = null;
            string path = argument.StartsWith("linux:", StringComparison.Ordinal) ? argument.Substring(6) : argument;
            if (!BoardJson.TryLoad(path, out BoardConfig config, out int chip, out error))
            {
                return false;
            }
            try
            {
                board = new DriverBoard(config, new LinuxPlatform(chip));
                board.Start();
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException || e is PlatformNotSupportedException || e is System.IO.IOException
                                      || e is UnauthorizedAccessException || e is InvalidOperationException || e is ArgumentException)
            {
                error = "board " + config.Name + ": cannot open the hardware (" + e.GetType().Name + ": " + e.Message + "). "
                    + "On a Raspberry Pi: libgpiod installed (apt-get install libgpiod2), the UART and PWM overlays of hardware/README.md, "
                    + "and membership of the gpio and dialout groups.";
                return false;
            }
        }
    }
}
