using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>An <see cref="IBoardPlatform"/> of recording fakes: every GPIO logs as "GPIOn", inputs are settable.</summary>
    public sealed class FakePlatform : IBoardPlatform
    {
        /// <summary>Pin log.</summary>
        public readonly EventLog Log = new EventLog();

        /// <summary>Virtual time.</summary>
        public readonly FakeClock FakeClock = new FakeClock();

        /// <summary>Inputs by GPIO number (null where none was opened).</summary>
        public readonly FakeInputPin?[] Inputs = new FakeInputPin?[64];

        /// <summary>Outputs by GPIO number (null where none was opened), for hooks on their writes.</summary>
        public readonly FakeOutputPin?[] Outputs = new FakeOutputPin?[64];

        /// <summary>The card UART, once opened.</summary>
        public FakeSerialPort? CardPort;

        /// <summary>The host UART, once opened.</summary>
        public FakeSerialPort? HostPort;

        /// <summary>The PWM, once opened.</summary>
        public FakeClockOutput? Pwm;

        /// <summary>Name of the first UART opened (the card's).</summary>
        public string CardUartName = "";

        /// <inheritdoc />
        public IClock Clock
        {
            get { return FakeClock; }
        }

        /// <inheritdoc />
        public IMicroDelay Delay
        {
            get { return FakeClock; }
        }

        /// <inheritdoc />
        public IOutputPin OpenOutput(int gpio, bool initialHigh)
        {
            FakeOutputPin pin = new FakeOutputPin("GPIO" + gpio, Log, FakeClock);
            Outputs[gpio] = pin;
            pin.Write(initialHigh);
            return pin;
        }

        /// <inheritdoc />
        public IOutputPin OpenOpenDrainOutput(int gpio)
        {
            return new FakeOutputPin("GPIO" + gpio, Log, FakeClock);
        }

        /// <inheritdoc />
        public IInputPin OpenInput(int gpio, bool pullUp)
        {
            FakeInputPin pin = new FakeInputPin();
            pin.Level = pullUp;
            Inputs[gpio] = pin;
            Log.Add(FakeClock.NowMilliseconds, "input GPIO" + gpio, "", false);
            return pin;
        }

        /// <inheritdoc />
        public ISerialPort OpenSerial(string name, int baudRate, SerialParity parity, int stopBits)
        {
            FakeSerialPort port = new FakeSerialPort(FakeClock, ReadBehaviour.BlocksOrThrows);
            port.BaudRate = baudRate;
            port.Parity = parity;
            port.StopBits = stopBits;
            if (CardPort == null)
            {
                CardPort = port;
                CardUartName = name;
                port.Echo = true;
            }
            else
            {
                HostPort = port;
            }
            Log.Add(FakeClock.NowMilliseconds, "serial " + name, "", false);
            return port;
        }

        /// <inheritdoc />
        public IClockOutput OpenClock(int gpio, int chip, int channel, int frequencyHz)
        {
            Pwm = new FakeClockOutput(Log, FakeClock, frequencyHz);
            Log.Add(FakeClock.NowMilliseconds, "pwm GPIO" + gpio, "", false);
            return Pwm;
        }
    }
}
