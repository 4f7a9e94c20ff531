using System;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Terminal.Desktop.CcidTest
{
    /// <summary>A byte pipe to the reader under test: a serial device, a pseudo-terminal, a TCP connection.</summary>
    public interface IHostTransport : IDisposable
    {
        /// <summary>What it is connected to.</summary>
        string Name { get; }

        /// <summary>Waits up to <paramref name="timeoutMilliseconds"/>; returns the bytes read, 0 on timeout, -1 when the other end closed.</summary>
        int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds);

        /// <summary>Writes every byte.</summary>
        void Write(byte[] buffer, int offset, int count);
    }

    /// <summary>Opens a transport from `serial:&lt;device&gt;`, `pty:&lt;path&gt;` or `tcp:&lt;host:port&gt;`.</summary>
    public static class HostTransport
    {
        /// <summary>Opens <paramref name="spec"/>; throws IOException or FormatException with the reason.</summary>
        public static IHostTransport Open(string spec)
        {
            if (spec.StartsWith("serial:", StringComparison.Ordinal))
            {
                return new PosixTty(spec.Substring(7), true);
            }
            if (spec.StartsWith("pty:", StringComparison.Ordinal))
            {
                return new PosixTty(spec.Substring(4), false);
            }
            if (spec.StartsWith("tcp:", StringComparison.Ordinal))
            {
                string hp = spec.Substring(4);
                int colon = hp.LastIndexOf(':');
                if (colon <= 0 || !int.TryParse(hp.AsSpan(colon + 1), out int port))
                {
                    throw new FormatException("expected tcp:<host>:<port>");
                }
                return new TcpTransport(hp.Substring(0, colon), port);
            }
            throw new FormatException("expected serial:<device>, pty:<path> or tcp:<host>:<port>");
        }
    }

    /// <summary>
    /// A tty opened raw as libccid's serial driver opens it (115200 baud, 8 data bits, 2 stop bits,
    /// no flow control, no echo, no translation); for a pty the speed is irrelevant but harmless.
    /// </summary>
    internal sealed class PosixTty : IHostTransport
    {
        private const int O_RDWR = 0x2;
        private const int O_NOCTTY = 0x100;
        private const int O_NONBLOCK = 0x800;
        private const short POLLIN = 0x1;
        private const short POLLHUP = 0x10;
        private const short POLLERR = 0x8;
        private const int TCSANOW = 0;
        private const uint B115200 = 0x1002;
        private const uint CSTOPB = 0x40;
        private const uint CLOCAL = 0x800;
        private const uint CREAD = 0x80;
        private const uint CRTSCTS = 0x80000000;
        private const int TCIOFLUSH = 2;

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
        [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
        [DllImport("libc", SetLastError = true)] private static extern IntPtr read(int fd, byte[] buf, IntPtr count);
        [DllImport("libc", SetLastError = true)] private static extern IntPtr write(int fd, byte[] buf, IntPtr count);
        [DllImport("libc", SetLastError = true)] private static extern int poll(ref PollFd fds, ulong nfds, int timeout);
        [DllImport("libc", SetLastError = true)] private static extern int tcgetattr(int fd, byte[] termios);
        [DllImport("libc", SetLastError = true)] private static extern int tcsetattr(int fd, int actions, byte[] termios);
        [DllImport("libc", SetLastError = true)] private static extern int cfsetspeed(byte[] termios, uint speed);
        [DllImport("libc", SetLastError = true)] private static extern int tcflush(int fd, int queue);
        [DllImport("libc")] private static extern void cfmakeraw(byte[] termios);

        private int _fd;
        private readonly byte[] _buffer = new byte[4096];
        private readonly byte[] _out = new byte[4096];

        public PosixTty(string path, bool serial)
        {
            Name = (serial ? "serial " : "pty ") + path;
            _fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK);
            if (_fd < 0)
            {
                throw new IOException($"cannot open {path} (errno {Marshal.GetLastWin32Error()})");
            }
            byte[] t = new byte[128];
            if (tcgetattr(_fd, t) == 0)
            {
                cfmakeraw(t);
                cfsetspeed(t, B115200);
                uint cflag = BitConverter.ToUInt32(t, 8);
                cflag |= CSTOPB | CLOCAL | CREAD;
                cflag &= ~CRTSCTS;
                BitConverter.GetBytes(cflag).CopyTo(t, 8);
                tcsetattr(_fd, TCSANOW, t);
                tcflush(_fd, TCIOFLUSH);
            }
        }

        public string Name { get; }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            var p = new PollFd { Fd = _fd, Events = POLLIN };
            int r = poll(ref p, 1, timeoutMilliseconds);
            if (r <= 0)
            {
                return 0;
            }
            if ((p.Revents & POLLIN) == 0 && (p.Revents & (POLLHUP | POLLERR)) != 0)
            {
                return -1;
            }
            int n = (int)read(_fd, _buffer, (IntPtr)Math.Min(count, _buffer.Length));
            if (n <= 0)
            {
                return n == 0 ? -1 : 0;
            }
            Array.Copy(_buffer, 0, buffer, offset, n);
            return n;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int chunk = Math.Min(count - done, _out.Length);
                Array.Copy(buffer, offset + done, _out, 0, chunk);
                int n = (int)write(_fd, _out, (IntPtr)chunk);
                if (n < 0)
                {
                    int errno = Marshal.GetLastWin32Error();
                    if (errno == 11 || errno == 4)
                    {
                        var p = new PollFd { Fd = _fd, Events = 4 };
                        poll(ref p, 1, 100);
                        continue;
                    }
                    throw new IOException($"write to {Name} failed (errno {errno})");
                }
                done += n;
            }
        }

        public void Dispose()
        {
            if (_fd >= 0)
            {
                close(_fd);
                _fd = -1;
            }
        }
    }

    /// <summary>A TCP connection carrying the serial framing (e.g. `terminal run --link tcp:PORT`).</summary>
    internal sealed class TcpTransport : IHostTransport
    {
        private readonly Socket _socket;

        public TcpTransport(string host, int port)
        {
            Name = $"tcp {host}:{port}";
            _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            _socket.Connect(host, port);
        }

        public string Name { get; }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            if (!_socket.Poll(timeoutMilliseconds * 1000, SelectMode.SelectRead))
            {
                return 0;
            }
            int n = _socket.Receive(buffer, offset, count, SocketFlags.None, out SocketError e);
            return e != SocketError.Success || n == 0 ? -1 : n;
        }

        public void Write(byte[] buffer, int offset, int count) => _socket.Send(buffer, offset, count, SocketFlags.None);

        public void Dispose() => _socket.Dispose();
    }
}
