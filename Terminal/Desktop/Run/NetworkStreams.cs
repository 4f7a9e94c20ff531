using System;
using System.IO;
using System.IO.Ports;
using System.Net;
using System.Net.Sockets;
using Terminal.HostLink;

namespace Terminal.Desktop.Run
{
    /// <summary>The host link on a loopback TCP port: one host at a time; a new connection replaces a closed one.</summary>
    internal sealed class TcpHostStream : IByteStream, IDisposable
    {
        private readonly TcpListener _listener;
        private Socket? _client;

        public TcpHostStream(int port)
        {
            _listener = new TcpListener(IPAddress.Loopback, port);
            _listener.Start();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            Socket? client = _client;
            if (client == null)
            {
                if (!_listener.Server.Poll(timeoutMilliseconds * 1000, SelectMode.SelectRead))
                {
                    return ByteStream.NoHost;
                }
                client = _listener.AcceptSocket();
                client.NoDelay = true;
                _client = client;
                return 0;
            }
            try
            {
                if (!client.Poll(timeoutMilliseconds * 1000, SelectMode.SelectRead))
                {
                    return 0;
                }
                int n = client.Receive(buffer, offset, count, SocketFlags.None);
                if (n > 0)
                {
                    return n;
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            Drop();
            return ByteStream.NoHost;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            Socket? client = _client;
            if (client == null)
            {
                return;
            }
            try
            {
                client.Send(buffer, offset, count, SocketFlags.None);
            }
            catch (SocketException)
            {
                Drop();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private void Drop()
        {
            Socket? client = _client;
            _client = null;
            client?.Dispose();
        }

        public void Dispose()
        {
            Drop();
            _listener.Stop();
        }
    }

    /// <summary>The host link on a real serial port (Linux board or USB-UART), 8N2 as libccid's serial driver sets it.</summary>
    internal sealed class SerialPortHostStream : IByteStream, IDisposable
    {
        private readonly SerialPort _port;

        public SerialPortHostStream(string device, int baud)
        {
            _port = new SerialPort(device, baud, Parity.None, 8, StopBits.Two);
            _port.Handshake = Handshake.None;
            _port.Open();
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            try
            {
                _port.ReadTimeout = timeoutMilliseconds <= 0 ? 1 : timeoutMilliseconds;
                return _port.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
            catch (IOException)
            {
                return ByteStream.NoHost;
            }
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            _port.Write(buffer, offset, count);
        }

        public void Dispose()
        {
            _port.Dispose();
        }
    }
}
