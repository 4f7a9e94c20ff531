using System.IO.Ports;
using System.Threading;

namespace Terminal.Boards.Adapters
{
    /// <summary>
    /// <see cref="ISerialPort"/> on System.IO.Ports.SerialPort, with the members both worlds share
    /// (portable-ports.txt): no DiscardInBuffer, no ReadTimeout games; waiting is the DataReceived event.
    /// </summary>
    public sealed class SerialPortAdapter : ISerialPort
    {
        /// <summary>Receive buffer asked of the driver, in bytes.</summary>
        public const int ReceiveBufferSize = 2048;

        private readonly SerialPort _port;
        private readonly AutoResetEvent _data = new AutoResetEvent(false);

        /// <summary>Opens <paramref name="name"/> with 8 data bits.</summary>
        public SerialPortAdapter(string name, int baudRate, SerialParity parity, int stopBits)
        {
            _port = new SerialPort(name, baudRate, ToParity(parity), 8, ToStopBits(stopBits));
            // Room for a whole T=1 block (259 bytes) and its echo even if a garbage collection keeps the
            // reader away: nanoFramework takes the size before Open; the desktop never goes below 4096.
            _port.ReadBufferSize = ReceiveBufferSize;
            _port.DataReceived += OnDataReceived;
            _port.Open();
        }

        /// <summary>The port underneath.</summary>
        public SerialPort Port
        {
            get { return _port; }
        }

        /// <inheritdoc />
        public int BaudRate
        {
            get { return _port.BaudRate; }
            set { _port.BaudRate = value; }
        }

        /// <inheritdoc />
        public SerialParity Parity
        {
            get { return _port.Parity == System.IO.Ports.Parity.Even ? SerialParity.Even : _port.Parity == System.IO.Ports.Parity.Odd ? SerialParity.Odd : SerialParity.None; }
            set { _port.Parity = ToParity(value); }
        }

        /// <inheritdoc />
        public int StopBits
        {
            get { return _port.StopBits == System.IO.Ports.StopBits.Two ? 2 : 1; }
            set { _port.StopBits = ToStopBits(value); }
        }

        /// <inheritdoc />
        public int BytesToRead
        {
            get { return _port.BytesToRead; }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            return _port.Read(buffer, offset, count);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public bool WaitForData(int milliseconds)
        {
            if (_port.BytesToRead > 0)
            {
                return true;
            }
            _data.WaitOne(milliseconds, false);
            return _port.BytesToRead > 0;
        }

        /// <summary>Closes the port.</summary>
        public void Close()
        {
            _port.Close();
        }

        private void OnDataReceived(object sender, SerialDataReceivedEventArgs e)
        {
            _data.Set();
        }

        private static Parity ToParity(SerialParity parity)
        {
            return parity == SerialParity.Even ? System.IO.Ports.Parity.Even : parity == SerialParity.Odd ? System.IO.Ports.Parity.Odd : System.IO.Ports.Parity.None;
        }

        private static StopBits ToStopBits(int stopBits)
        {
            return stopBits == 2 ? System.IO.Ports.StopBits.Two : System.IO.Ports.StopBits.One;
        }
    }
}
