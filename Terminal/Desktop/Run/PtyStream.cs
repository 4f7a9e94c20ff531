using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Terminal.HostLink;

namespace Terminal.Desktop.Run
{
    /// <summary>
    /// A pseudo-terminal created by the program itself (posix_openpt, grantpt, unlockpt, ptsname):
    /// the firmware holds the master, the host (pcscd) opens the slave by its path or through an
    /// optional symbolic link. The slave is set raw once at creation so nothing is echoed or
    /// translated before the host configures it. While no process holds the slave, reads report
    /// <see cref="ByteStream.NoHost"/>.
    /// </summary>
    internal sealed class PtyStream : IByteStream, IDisposable
    {
        private const int O_RDWR = 0x2;
        private const int O_NOCTTY = 0x100;
        private const int O_NONBLOCK = 0x800;
        private const short POLLIN = 0x1;
        private const short POLLERR = 0x8;
        private const short POLLHUP = 0x10;
        private const int EINTR = 4;
        private const int EAGAIN = 11;
        private const int TCSANOW = 0;

        private int _master;
        private readonly string? _link;
        private readonly string? _adoptedPath;
        private readonly object _writeLock = new object();
        private readonly byte[] _readBuffer = new byte[4096];
        private readonly byte[] _writeBuffer = new byte[4096];

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", SetLastError = true)] private static extern int posix_openpt(int flags);
        [DllImport("libc", SetLastError = true)] private static extern int grantpt(int fd);
        [DllImport("libc", SetLastError = true)] private static extern int unlockpt(int fd);
        [DllImport("libc", SetLastError = true)] private static extern int ptsname_r(int fd, byte[] buf, IntPtr buflen);
        [DllImport("libc", SetLastError = true)] private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
        [DllImport("libc", SetLastError = true)] private static extern int close(int fd);
        [DllImport("libc", SetLastError = true)] private static extern IntPtr read(int fd, byte[] buf, IntPtr count);
        [DllImport("libc", SetLastError = true)] private static extern IntPtr write(int fd, byte[] buf, IntPtr count);
        [DllImport("libc", SetLastError = true)] private static extern int poll(ref PollFd fds, ulong nfds, int timeout);
        [DllImport("libc", SetLastError = true)] private static extern int tcgetattr(int fd, byte[] termios);
        [DllImport("libc", SetLastError = true)] private static extern int tcsetattr(int fd, int actions, byte[] termios);
        [DllImport("libc")] private static extern void cfmakeraw(byte[] termios);

        /// <summary>Creates the pseudo-terminal; <paramref name="linkPath"/>, when given, becomes a symbolic link to the slave.</summary>
        public PtyStream(string? linkPath)
        {
            _master = posix_openpt(O_RDWR | O_NOCTTY);
            if (_master < 0 || grantpt(_master) != 0 || unlockpt(_master) != 0)
            {
                throw new IOException("cannot create a pseudo-terminal (errno " + Marshal.GetLastWin32Error() + ")");
            }
            byte[] name = new byte[256];
            if (ptsname_r(_master, name, (IntPtr)name.Length) != 0)
            {
                throw new IOException("ptsname failed (errno " + Marshal.GetLastWin32Error() + ")");
            }
            SlavePath = System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
            MakeSlaveRaw();
            if (linkPath != null)
            {
                string full = Path.GetFullPath(linkPath);
                if (File.Exists(full) || new FileInfo(full).LinkTarget != null)
                {
                    File.Delete(full);
                }
                File.CreateSymbolicLink(full, SlavePath);
                _link = full;
            }
        }

        /// <summary>
        /// Adopts the master of a pseudo-terminal held by the pty keeper; bytes the host wrote while no
        /// firmware ran are dropped (their commands have timed out on the host's side). The link stays.
        /// </summary>
        public PtyStream(int masterFd, string hostPath)
        {
            _master = masterFd;
            byte[] name = new byte[256];
            SlavePath = ptsname_r(_master, name, (IntPtr)name.Length) == 0
                ? System.Text.Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0))
                : hostPath;
            _adoptedPath = Path.GetFullPath(hostPath);
            byte[] stale = new byte[512];
            while (Read(stale, 0, stale.Length, 20) > 0)
            {
            }
        }

        /// <summary>The master's file descriptor (handed to the firmware process by the keeper).</summary>
        public int MasterFd => _master;

        /// <summary>The slave device (/dev/pts/N).</summary>
        public string SlavePath { get; }

        /// <summary>The path the host should open: the symbolic link when there is one.</summary>
        public string HostPath => _link ?? _adoptedPath ?? SlavePath;

        private void MakeSlaveRaw()
        {
            int slave = open(SlavePath, O_RDWR | O_NOCTTY | O_NONBLOCK);
            if (slave < 0)
            {
                return;
            }
            byte[] termios = new byte[128];
            if (tcgetattr(slave, termios) == 0)
            {
                cfmakeraw(termios);
                tcsetattr(slave, TCSANOW, termios);
            }
            close(slave);
        }

        public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds)
        {
            int fd = _master;
            if (fd < 0)
            {
                Thread.Sleep(timeoutMilliseconds);
                return ByteStream.NoHost;
            }
            PollFd p = new PollFd { Fd = fd, Events = POLLIN };
            int r = poll(ref p, 1, timeoutMilliseconds);
            if (r == 0)
            {
                return 0;
            }
            if (r < 0)
            {
                return 0;
            }
            if ((p.Revents & POLLIN) == 0 && (p.Revents & (POLLHUP | POLLERR)) != 0)
            {
                // No process holds the slave: wait, so that the caller does not spin.
                Thread.Sleep(timeoutMilliseconds > 50 ? 50 : timeoutMilliseconds);
                return ByteStream.NoHost;
            }
            long n = (long)read(fd, _readBuffer, (IntPtr)(count < _readBuffer.Length ? count : _readBuffer.Length));
            if (n > 0)
            {
                Array.Copy(_readBuffer, 0, buffer, offset, (int)n);
                return (int)n;
            }
            int errno = Marshal.GetLastWin32Error();
            if (n < 0 && (errno == EINTR || errno == EAGAIN))
            {
                return 0;
            }
            Thread.Sleep(timeoutMilliseconds > 50 ? 50 : timeoutMilliseconds);
            return ByteStream.NoHost;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_writeLock)
            {
                int fd = _master;
                int done = 0;
                while (fd >= 0 && done < count)
                {
                    int chunk = count - done > _writeBuffer.Length ? _writeBuffer.Length : count - done;
                    Array.Copy(buffer, offset + done, _writeBuffer, 0, chunk);
                    long n = (long)write(fd, _writeBuffer, (IntPtr)chunk);
                    if (n <= 0)
                    {
                        int errno = Marshal.GetLastWin32Error();
                        if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        {
                            Thread.Sleep(1);
                            continue;
                        }
                        return;
                    }
                    done += (int)n;
                }
            }
        }

        public void Dispose()
        {
            int fd = Interlocked.Exchange(ref _master, -1);
            if (fd >= 0)
            {
                close(fd);
            }
            if (_link != null)
            {
                try
                {
                    File.Delete(_link);
                }
                catch (IOException)
                {
                }
            }
        }
    }
}
