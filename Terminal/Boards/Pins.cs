namespace Terminal.Boards
{
    /// <summary>
    /// A digital output as the drivers see it. Adapters bind it to a GPIO (System.Device.Gpio), to one
    /// output of the 74HC595 chain (<see cref="ShiftRegisterOutputs"/>), or to a recording fake in tests.
    /// </summary>
    public interface IOutputPin
    {
        /// <summary>Drives the pin high (true) or low (false): logic levels, no inversion.</summary>
        void Write(bool high);
    }

    /// <summary>Called when an input pin changes level; <paramref name="high"/> is the new level.</summary>
    /// <param name="pin">The pin that changed.</param>
    /// <param name="high">The level after the change.</param>
    public delegate void PinChangedHandler(IInputPin pin, bool high);

    /// <summary>A digital input; <see cref="Changed"/> is raised on both edges (an interrupt on the device).</summary>
    public interface IInputPin
    {
        /// <summary>Reads the level now: true when high.</summary>
        bool Read();

        /// <summary>Raised on every edge, from the GPIO driver's thread.</summary>
        event PinChangedHandler Changed;
    }

    /// <summary>A square wave output: the card clock from a PWM channel.</summary>
    public interface IClockOutput
    {
        /// <summary>The frequency the output runs at, in Hz.</summary>
        int FrequencyHz { get; }

        /// <summary>Starts the square wave (50 % duty).</summary>
        void Start();

        /// <summary>Stops it; the output is left low.</summary>
        void Stop();
    }

    /// <summary>Parity of a UART character frame.</summary>
    public enum SerialParity
    {
        /// <summary>No parity bit.</summary>
        None = 0,

        /// <summary>Even parity (direct convention card frames: 8E2).</summary>
        Even = 1,

        /// <summary>Odd parity (inverse convention card frames read by a direct UART: 8O2).</summary>
        Odd = 2,
    }

    /// <summary>
    /// The members of System.IO.Ports.SerialPort the drivers use (all in portable-ports.txt), behind an
    /// interface so that tests can fake both behaviours of <see cref="Read"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="Read"/> keeps SerialPort's contract, which differs between the two worlds: on the
    /// desktop it returns as soon as one byte is there (possibly fewer than asked); on nanoFramework it
    /// blocks until <c>count</c> bytes came and throws TimeoutException when they did not, which may
    /// lose what it had. <see cref="SerialReader"/> is written so that neither matters: it only asks for
    /// bytes that <see cref="BytesToRead"/> says are waiting.
    /// </remarks>
    public interface ISerialPort
    {
        /// <summary>Bits per second.</summary>
        int BaudRate { get; set; }

        /// <summary>Parity of both directions.</summary>
        SerialParity Parity { get; set; }

        /// <summary>Stop bits sent (1 or 2).</summary>
        int StopBits { get; set; }

        /// <summary>Bytes received and not yet read.</summary>
        int BytesToRead { get; }

        /// <summary>SerialPort.Read: see the remarks of the interface for the two behaviours.</summary>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues bytes for sending; returns when the driver took them.</summary>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Waits at most <paramref name="milliseconds"/> for received bytes; true when some are waiting.</summary>
        bool WaitForData(int milliseconds);
    }
}
