using System;
using System.Device.Gpio;
using System.Threading;
using Terminal.Boards;
using Terminal.Boards.Adapters;

namespace Terminal.Esp32
{
    /// <summary><see cref="IBoardPlatform"/> of the ESP32 under nanoFramework: GpioController pins, SerialPort COM ports, LEDC PWM.</summary>
    internal sealed class Esp32Platform : IBoardPlatform
    {
        private readonly GpioController _gpio;
        private readonly Esp32Clock _clock = new Esp32Clock();

        internal Esp32Platform(GpioController gpio)
        {
            _gpio = gpio;
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
            return new PwmClockOutput(Esp32Pwm.Create(gpio, frequencyHz), frequencyHz);
        }
    }

    /// <summary>
    /// Milliseconds from DateTime.UtcNow, which on the ESP32 counts from boot (this firmware never sets
    /// the clock), guarded so that it never goes back; busy waits for the display's microseconds.
    /// </summary>
    internal sealed class Esp32Clock : IClock, IMicroDelay
    {
        private long _last;

        public long NowMilliseconds
        {
            get
            {
                long now = DateTime.UtcNow.Ticks / TimeSpan.TicksPerMillisecond;
                if (now < _last)
                {
                    return _last;
                }
                _last = now;
                return now;
            }
        }

        public void Sleep(int milliseconds)
        {
            Thread.Sleep(milliseconds);
        }

        public void DelayMicroseconds(int microseconds)
        {
            if (microseconds >= 1000)
            {
                Thread.Sleep((microseconds + 999) / 1000);
                return;
            }
            long end = DateTime.UtcNow.Ticks + microseconds * (TimeSpan.TicksPerMillisecond / 1000);
            while (DateTime.UtcNow.Ticks < end)
            {
            }
        }
    }
}
