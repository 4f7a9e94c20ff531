using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
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
    /// What a Linux board opens its GPIOs and its card clock through: libgpiod on /dev/gpiochipN and the
    /// kernel PWM (sysfs pwmchipN) on the real board; stand-ins in tests (the serial ports are always
    /// System.IO.Ports on the paths of the board file).
    /// </summary>
    internal interface ILinuxHardware
    {
        /// <summary>Null when the GPIO chip and the PWM chip exist; else one line naming what is missing.</summary>
        string? Missing(BoardConfig config, int gpioChip);

        /// <summary>The GPIO driver of chip <paramref name="gpioChip"/>.</summary>
        GpioDriver OpenGpio(int gpioChip);

        /// <summary>A PWM channel at <paramref name="frequencyHz"/>, 50 % duty cycle, stopped.</summary>
        PwmChannel OpenPwm(int chip, int channel, int frequencyHz);
    }

    /// <summary>The real Linux hardware: libgpiod (System.Device.Gpio's LibGpiodDriver) and the sysfs PWM.</summary>
    internal sealed class KernelHardware : ILinuxHardware
    {
        /// <summary>The one instance.</summary>
        internal static readonly KernelHardware Instance = new KernelHardware();

        public string? Missing(BoardConfig config, int gpioChip)
        {
            string gpio = "/dev/gpiochip" + gpioChip.ToString(CultureInfo.InvariantCulture);
            if (!File.Exists(gpio))
            {
                return "no GPIO chip " + gpio + " (linux.gpioChip in the board file; is this a Linux board with its GPIOs enabled?)";
            }
            string pwm = "/sys/class/pwm/pwmchip" + config.PwmChip.ToString(CultureInfo.InvariantCulture);
            if (!Directory.Exists(pwm))
            {
                return "no PWM chip " + pwm + " for the card clock (card.pwmChip; on a Raspberry Pi: dtoverlay=pwm,pin=18,func=2 in config.txt)";
            }
            return null;
        }

        public GpioDriver OpenGpio(int gpioChip)
        {
            return new LibGpiodDriver(gpioChip);
        }

        public PwmChannel OpenPwm(int chip, int channel, int frequencyHz)
        {
            // The pin is routed to the PWM by the device tree (dtoverlay=pwm,pin=18,func=2 on a Raspberry Pi).
            return PwmChannel.Create(chip, channel, frequencyHz, 0.5);
        }
    }

    /// <summary>
    /// <see cref="IBoardPlatform"/> of a Linux board: GPIOs through a System.Device.Gpio driver (libgpiod
    /// on /dev/gpiochipN), UARTs through System.IO.Ports on /dev/tty*, the card clock through the kernel
    /// PWM. The drivers above are the portable ones of Terminal/Boards. Disposing it closes every port,
    /// PWM channel and GPIO it opened, so a board that failed half-way leaves nothing open.
    /// </summary>
    internal sealed class LinuxPlatform : IBoardPlatform, IDisposable
    {
        private readonly ILinuxHardware _hardware;
        private readonly GpioController _gpio;
        private readonly StopwatchClock _clock = new StopwatchClock();
        private readonly List<SerialPortAdapter> _ports = new List<SerialPortAdapter>();
        private readonly List<PwmChannel> _pwms = new List<PwmChannel>();

        internal LinuxPlatform(ILinuxHardware hardware, int gpioChip)
        {
            _hardware = hardware;
            _gpio = new GpioController(hardware.OpenGpio(gpioChip));
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
            SerialPortAdapter port = new SerialPortAdapter(name, baudRate, parity, stopBits);
            _ports.Add(port);
            return port;
        }

        public IClockOutput OpenClock(int gpio, int chip, int channel, int frequencyHz)
        {
            PwmChannel pwm = _hardware.OpenPwm(chip, channel, frequencyHz);
            _pwms.Add(pwm);
            return new PwmClockOutput(pwm, frequencyHz);
        }

        public void Dispose()
        {
            foreach (SerialPortAdapter port in _ports)
            {
                port.Close();
            }
            foreach (PwmChannel pwm in _pwms)
            {
                pwm.Stop();
                pwm.Dispose();
            }
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
        /// <summary>The file of `linux:PATH` or PATH.</summary>
        internal static string PathOf(string argument)
        {
            return argument.StartsWith("linux:", StringComparison.Ordinal) ? argument.Substring(6) : argument;
        }

        /// <summary>On the real hardware; false with a message when the file is bad or the hardware cannot be opened.</summary>
        internal static bool TryCreate(string argument, out DriverBoard? board, out IDisposable? hardware, out string error)
        {
            return TryCreate(argument, KernelHardware.Instance, out board, out hardware, out error);
        }

        /// <summary>
        /// Loads the board file, checks that its GPIO chip, PWM chip and serial ports exist, opens them and
        /// initialises the display. On any failure: false, a one-line <paramref name="error"/> naming the
        /// file member or the missing device, and everything opened so far closed again.
        /// <paramref name="hardware"/> closes the board's ports and pins when the caller is done.
        /// </summary>
        internal static bool TryCreate(string argument, ILinuxHardware linux, out DriverBoard? board, out IDisposable? hardware, out string error)
        {
            board = null;
            hardware = null;
            if (!BoardJson.TryLoad(PathOf(argument), out BoardConfig config, out int chip, out error))
            {
                return false;
            }
            string? missing = linux.Missing(config, chip) ?? MissingSerial(config.CardUart, "card.uart") ?? MissingSerial(config.HostUart, "host.uart");
            if (missing != null)
            {
                error = "board " + config.Name + ": " + missing;
                return false;
            }
            LinuxPlatform? platform = null;
            try
            {
                platform = new LinuxPlatform(linux, chip);
                board = new DriverBoard(config, platform);
                board.Start();
                hardware = platform;
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException || e is PlatformNotSupportedException || e is IOException
                                      || e is UnauthorizedAccessException || e is InvalidOperationException || e is ArgumentException)
            {
                platform?.Dispose();
                board = null;
                string hint = e is DllNotFoundException || e is PlatformNotSupportedException
                    ? "libgpiod missing? (apt-get install libgpiod2)"
                    : e is UnauthorizedAccessException ? "not in the gpio and dialout groups?" : "see the overlays in hardware/README.md";
                error = "board " + config.Name + ": cannot open the hardware: " + OneLine(e.Message) + " (" + hint + ")";
                return false;
            }
        }

        private static string? MissingSerial(string path, string member)
        {
            return File.Exists(path) ? null : "no serial port " + path + " (" + member + " in the board file)";
        }

        private static string OneLine(string text)
        {
            return text.Replace('\n', ' ').Replace('\r', ' ').Trim();
        }
    }
}
