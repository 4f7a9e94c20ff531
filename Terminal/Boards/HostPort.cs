namespace Terminal.Boards
{
    /// <summary>The host link's byte stream (the UART to the USB-UART bridge on the reference board).</summary>
    public interface IHostPort
    {
        /// <summary>
        /// Waits at most <paramref name="timeoutMilliseconds"/> for bytes from the host and returns those
        /// waiting, 1 to <paramref name="count"/>; 0 on timeout. Never loses a byte on timeout.
        /// </summary>
        int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds);

        /// <summary>Sends bytes to the host.</summary>
        void Write(byte[] buffer, int offset, int count);
    }

    /// <summary><see cref="IHostPort"/> over a UART.</summary>
    public sealed class SerialHostPort : IHostPort
    {
        private readonly ISerialPort _port;
        private readonly IClock _clock;

        /// <summary>Wraps an open serial port.</summary>
        public SerialHostPort(ISerialPort port, IClock clock)
        {
            _port = port;
            _clock = clock;
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            return SerialReader.ReadSome(_port, _clock, buffer, offset, count, timeoutMilliseconds);
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes unless the timeout passes; returns how many came.</summary>
        public int ReadExactly(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            return SerialReader.ReadExactly(_port, _clock, buffer, offset, count, timeoutMilliseconds);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }
    }
}
