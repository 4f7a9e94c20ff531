using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Device.Gpio;
using System.Device.Pwm;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Terminal.Boards;
using Terminal.Desktop.Boards;
using Terminal.Desktop.Run;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>
    /// `terminal run --board linux:` end to end on this machine, which has no GPIO chip: the board file of the
    /// Raspberry Pi with its card UART and host UART on two pseudo-terminals, opened by the desktop
    /// System.IO.Ports as on the Pi; the GPIOs through the real System.Device.Gpio GpioController over a
    /// simulated GpioDriver in place of libgpiod, the card clock over a simulated PwmChannel. The test is
    /// the host (on one pty) and the card (on the other, answering the reset with its ATR).
    /// </summary>
    [Collection(ConsoleCollection.Name)]
    public sealed class LinuxBoardPtyTests : IDisposable
    {
        private const int RstIn0 = 22;
        private const int VccEnable0 = 17;
        private const int Off0 = 24;
        private static readonly byte[] CardAtr = { 0x3B, 0x00 };

        private readonly Pty _card = new Pty();
        private readonly Pty _host = new Pty();

        public void Dispose()
        {
            _card.Dispose();
            _host.Dispose();
        }

        [Fact]
        public void RunLinuxBoard_UartsOnPtys_HostPowersTheCardOnAndQuitClosesEveryPin()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }
            string file = LinuxBoardRunTests.BoardFile(b =>
            {
                b["card"]!["uart"] = _card.SlavePath;
                b["card"]!["echo"] = false; // a pty does not hear what it sends, as the joined I/O line does
                b["card"]!["serialLatencyMilliseconds"] = 300; // this machine is shared: give the pty room
                b["host"]!["uart"] = _host.SlavePath;
            });
            SimulatedLinuxHardware hardware = new SimulatedLinuxHardware();
            hardware.Gpio.SetInput(Off0, true); // a card in slot 0
            hardware.Gpio.Written += (pin, high) =>
            {
                // The card: powered by its TDA8024 (VCCEN high), it answers RST rising with its ATR.
                if (pin == RstIn0 && high && hardware.Gpio.Level(VccEnable0) && hardware.Pwm != null && hardware.Pwm.Running)
                {
                    _card.Write(CardAtr);
                }
            };
            ControlLines control = new ControlLines();
            StringWriter output = new StringWriter();
            TextWriter synchronized = TextWriter.Synchronized(output);
            TextWriter savedOut = Console.Out;
            TextWriter savedError = Console.Error;
            int code = -1;
            Thread runner = new Thread(() => code = Runner.Run(new RunOptions { Board = "linux:" + file }, hardware, control)) { Name = "runner" };
            try
            {
                Console.SetOut(synchronized);
                Console.SetError(synchronized);
                runner.Start();
                WaitFor(() => output.ToString().Contains("terminal: ready", StringComparison.Ordinal) || !runner.IsAlive, 30000);
                Assert.True(runner.IsAlive, output.ToString());
                Assert.Contains("Host link: " + _host.SlavePath + " 115200 8N2 (host.uart of board raspberry-pi)", output.ToString(), StringComparison.Ordinal);
                Assert.Contains("DEVICENAME    /dev/ttyUSB0:SEC1210", output.ToString(), StringComparison.Ordinal);

                _host.Write(LinuxBoardRunTests.Frame(0x65, 0, 0, 0, 0, 0, 0x01, 0, 0, 0));
                Assert.Equal(LinuxBoardRunTests.Frame(0x81, 0, 0, 0, 0, 0, 0x01, 0x01, 0, 0), _host.ReadFrame(5000));

                _host.Write(LinuxBoardRunTests.Frame(0x62, 0, 0, 0, 0, 0, 0x02, 0x01, 0, 0));
                Assert.Equal(LinuxBoardRunTests.Frame(0x80, 0x02, 0, 0, 0, 0, 0x02, 0x00, 0, 0, 0x3B, 0x00), _host.ReadFrame(5000));
                // On the GpioController: at power-up VCCEN low (CMDVCC high), RSTIN low; then ISO/IEC 7816-3 §6.2.2:
                // with RST low, VCCEN high (the TDA8024 raises VCC, I/O, CLK), then RSTIN high.
                Assert.Equal("17=0 22=0 17=1 22=1", hardware.Gpio.Transitions(RstIn0, VccEnable0));
                Assert.True(hardware.Pwm!.Running);

                // Slot 1 is empty (OFF low): bStatus 02, "no ICC present".
                _host.Write(LinuxBoardRunTests.Frame(0x65, 0, 0, 0, 0, 1, 0x03, 0, 0, 0));
                Assert.Equal(LinuxBoardRunTests.Frame(0x81, 0, 0, 0, 0, 1, 0x03, 0x02, 0, 0), _host.ReadFrame(5000));

                control.Add("quit");
                Assert.True(runner.Join(10000), output.ToString());
            }
            finally
            {
                control.Add("quit");
                runner.Join(10000);
                Console.SetOut(savedOut);
                Console.SetError(savedError);
                File.Delete(file);
            }
            Assert.Equal(0, code);
            // Quit powers the card off (RSTIN low, VCCEN low) and then closes every pin, the PWM and the GPIO driver.
            Assert.False(hardware.Gpio.Level(VccEnable0));
            Assert.False(hardware.Pwm!.Running);
            Assert.True(hardware.Pwm.Disposed);
            Assert.Equal(0, hardware.Gpio.OpenPins);
            Assert.True(hardware.Gpio.Disposed);
            Assert.Contains("stopped: frames 3, NAKs 0", output.ToString(), StringComparison.Ordinal);
        }

        private static void WaitFor(Func<bool> condition, int milliseconds)
        {
            DateTime end = DateTime.UtcNow.AddMilliseconds(milliseconds);
            while (!condition() && DateTime.UtcNow < end)
            {
                Thread.Sleep(20);
            }
        }

        /// <summary>Control lines handed to the runner one by one; ReadLine waits for the next.</summary>
        private sealed class ControlLines : TextReader
        {
            private readonly BlockingCollection<string> _lines = new BlockingCollection<string>();

            public void Add(string line) => _lines.Add(line);

            public override string? ReadLine() => _lines.Take();
        }

        /// <summary>A pseudo-terminal: the test holds the master, the firmware opens the slave by its path.</summary>
        private sealed class Pty : IDisposable
        {
            private readonly int _master;
            private readonly int _slave;
            private readonly List<byte> _pending = new List<byte>();

            [DllImport("libc", SetLastError = true)]
            private static extern int openpty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr winsize);

            [DllImport("libc", SetLastError = true)]
            private static extern IntPtr ttyname(int fd);

            [DllImport("libc", SetLastError = true)]
            private static extern nint write(int fd, byte[] buffer, nint count);

            [DllImport("libc", SetLastError = true)]
            private static extern nint read(int fd, byte[] buffer, nint count);

            [DllImport("libc", SetLastError = true)]
            private static extern int poll(PollFd[] fds, uint count, int timeout);

            [DllImport("libc")]
            private static extern int close(int fd);

            [StructLayout(LayoutKind.Sequential)]
            private struct PollFd
            {
                public int Fd;
                public short Events;
                public short Revents;
            }

            public Pty()
            {
                if (!OperatingSystem.IsLinux())
                {
                    _master = -1;
                    _slave = -1;
                    SlavePath = "";
                    return;
                }
                Assert.Equal(0, openpty(out _master, out _slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
                SlavePath = Marshal.PtrToStringAnsi(ttyname(_slave))!;
            }

            public string SlavePath { get; }

            public void Write(byte[] bytes)
            {
                Assert.Equal(bytes.Length, (int)write(_master, bytes, bytes.Length));
            }

            /// <summary>One frame of the serial framing (10-byte CCID header, dwLength, LRC), skipping time-request bytes.</summary>
            public byte[] ReadFrame(int timeoutMilliseconds)
            {
                DateTime end = DateTime.UtcNow.AddMilliseconds(timeoutMilliseconds);
                while (true)
                {
                    while (_pending.Count > 0 && _pending[0] != 0x03)
                    {
                        _pending.RemoveAt(0); // 0x80 time requests
                    }
                    if (_pending.Count >= 12)
                    {
                        int length = 12 + 1 + (_pending[3] | _pending[4] << 8 | _pending[5] << 16 | _pending[6] << 24);
                        if (_pending.Count >= length)
                        {
                            byte[] frame = _pending.GetRange(0, length).ToArray();
                            _pending.RemoveRange(0, length);
                            return frame;
                        }
                    }
                    int left = (int)(end - DateTime.UtcNow).TotalMilliseconds;
                    Assert.True(left > 0, "no whole frame in time; got " + Convert.ToHexString(_pending.ToArray()));
                    PollFd[] fds = { new PollFd { Fd = _master, Events = 1 } };
                    if (poll(fds, 1, left) > 0)
                    {
                        byte[] buffer = new byte[512];
                        int n = (int)read(_master, buffer, buffer.Length);
                        for (int i = 0; i < n; i++)
                        {
                            _pending.Add(buffer[i]);
                        }
                    }
                }
            }

            public void Dispose()
            {
                if (_slave >= 0)
                {
                    close(_slave);
                }
                if (_master >= 0)
                {
                    close(_master);
                }
            }
        }
    }

    /// <summary>The Linux board's GPIO and PWM without libgpiod or sysfs: <see cref="SimulatedGpioDriver"/> and <see cref="SimulatedPwm"/>.</summary>
    internal sealed class SimulatedLinuxHardware : ILinuxHardware
    {
        public readonly SimulatedGpioDriver Gpio = new SimulatedGpioDriver();

        public SimulatedPwm? Pwm;

        public int GpioOpened;

        public int PwmOpened;

        public string? Missing(BoardConfig config, int gpioChip) => null;

        public GpioDriver OpenGpio(int gpioChip)
        {
            GpioOpened++;
            return Gpio;
        }

        /// <summary>Thrown by <see cref="OpenPwm"/> when set (a PWM that the kernel refuses to export).</summary>
        public Exception? PwmFailure;

        public PwmChannel OpenPwm(int chip, int channel, int frequencyHz)
        {
            PwmOpened++;
            if (PwmFailure != null)
            {
                throw PwmFailure;
            }
            Pwm = new SimulatedPwm(frequencyHz);
            return Pwm;
        }
    }

    /// <summary>
    /// A GpioDriver for System.Device.Gpio's GpioController: outputs keep what is written (and report each
    /// write), inputs read what the test set (pulled-up inputs read high otherwise), edges on a set input
    /// reach the registered callbacks.
    /// </summary>
    internal sealed class SimulatedGpioDriver : GpioDriver
    {
        private readonly object _lock = new object();
        private readonly Dictionary<int, PinMode> _modes = new Dictionary<int, PinMode>();
        private readonly Dictionary<int, bool> _levels = new Dictionary<int, bool>();
        private readonly Dictionary<int, PinChangeEventHandler> _callbacks = new Dictionary<int, PinChangeEventHandler>();
        private readonly List<(int Pin, bool High)> _writes = new List<(int, bool)>();

        /// <summary>Every output write, from the writing thread.</summary>
        public event Action<int, bool>? Written;

        public bool Disposed { get; private set; }

        public int OpenPins
        {
            get { lock (_lock) { return _modes.Count; } }
        }

        public bool Level(int pin)
        {
            lock (_lock)
            {
                return _levels.TryGetValue(pin, out bool high) && high;
            }
        }

        public void SetInput(int pin, bool high)
        {
            PinChangeEventHandler? callback;
            lock (_lock)
            {
                bool was = _levels.TryGetValue(pin, out bool w) && w;
                _levels[pin] = high;
                _callbacks.TryGetValue(pin, out callback);
                if (was == high)
                {
                    callback = null;
                }
            }
            callback?.Invoke(this, new PinValueChangedEventArgs(high ? PinEventTypes.Rising : PinEventTypes.Falling, pin));
        }

        /// <summary>The writes to <paramref name="pins"/> that changed their level, as "pin=0|1".</summary>
        public string Transitions(params int[] pins)
        {
            StringBuilder text = new StringBuilder();
            Dictionary<int, bool> last = new Dictionary<int, bool>();
            lock (_lock)
            {
                foreach ((int pin, bool high) in _writes)
                {
                    if (Array.IndexOf(pins, pin) < 0 || (last.TryGetValue(pin, out bool was) && was == high))
                    {
                        continue;
                    }
                    last[pin] = high;
                    text.Append(text.Length == 0 ? "" : " ").Append(pin).Append('=').Append(high ? '1' : '0');
                }
            }
            return text.ToString();
        }

        protected override int PinCount => 54;

        protected override void OpenPin(int pinNumber)
        {
            lock (_lock)
            {
                _modes[pinNumber] = PinMode.Input;
            }
        }

        protected override void ClosePin(int pinNumber)
        {
            lock (_lock)
            {
                _modes.Remove(pinNumber);
                _callbacks.Remove(pinNumber);
            }
        }

        protected override void SetPinMode(int pinNumber, PinMode mode)
        {
            lock (_lock)
            {
                _modes[pinNumber] = mode;
            }
        }

        protected override PinMode GetPinMode(int pinNumber)
        {
            lock (_lock)
            {
                return _modes.TryGetValue(pinNumber, out PinMode mode) ? mode : PinMode.Input;
            }
        }

        protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

        protected override PinValue Read(int pinNumber)
        {
            lock (_lock)
            {
                if (_levels.TryGetValue(pinNumber, out bool high))
                {
                    return high ? PinValue.High : PinValue.Low;
                }
                return _modes.TryGetValue(pinNumber, out PinMode mode) && mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
            }
        }

        protected override void Write(int pinNumber, PinValue value)
        {
            bool high = value == PinValue.High;
            lock (_lock)
            {
                _levels[pinNumber] = high;
                _writes.Add((pinNumber, high));
            }
            Written?.Invoke(pinNumber, high);
        }

        protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
        {
            cancellationToken.WaitHandle.WaitOne();
            return new WaitForEventResult { TimedOut = true };
        }

        protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
        {
            lock (_lock)
            {
                _callbacks[pinNumber] = _callbacks.TryGetValue(pinNumber, out PinChangeEventHandler? existing) ? existing + callback : callback;
            }
        }

        protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
        {
            lock (_lock)
            {
                if (_callbacks.TryGetValue(pinNumber, out PinChangeEventHandler? existing))
                {
                    PinChangeEventHandler? rest = existing - callback;
                    if (rest == null)
                    {
                        _callbacks.Remove(pinNumber);
                    }
                    else
                    {
                        _callbacks[pinNumber] = rest;
                    }
                }
            }
        }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    /// <summary>A PwmChannel that only remembers whether it runs.</summary>
    internal sealed class SimulatedPwm : PwmChannel
    {
        public SimulatedPwm(int frequencyHz)
        {
            Frequency = frequencyHz;
            DutyCycle = 0.5;
        }

        public override int Frequency { get; set; }

        public override double DutyCycle { get; set; }

        public bool Running { get; private set; }

        public bool Disposed { get; private set; }

        public override void Start() => Running = true;

        public override void Stop() => Running = false;

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
