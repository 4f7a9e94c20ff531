using System;
using System.IO.Ports;
using System.Runtime.InteropServices;
using System.Threading;
using Terminal.Boards;
using Terminal.Boards.Adapters;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>
    /// <see cref="SerialPortAdapter"/> on a real pseudo-terminal with the desktop System.IO.Ports: the
    /// early-returning Read, the DataReceived wait, the frame setters, card rates that are not
    /// standard termios speeds.
    /// </summary>
    public sealed class SerialPortAdapterPtyTests : IDisposable
    {
        private readonly int _master = -1;
        private readonly int _slave = -1;
        private readonly string _path = "";

        [DllImport("libc", SetLastError = true)]
        private static extern int openpty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr winsize);

        [DllImport("libc", SetLastError = true)]
        private static extern IntPtr ttyname(int fd);

        [DllImport("libc", SetLastError = true)]
        private static extern nint write(int fd, byte[] buffer, nint count);

        [DllImport("libc", SetLastError = true)]
        private static extern nint read(int fd, byte[] buffer, nint count);

        [DllImport("libc")]
        private static extern int close(int fd);

        public SerialPortAdapterPtyTests()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }
            Assert.Equal(0, openpty(out _master, out _slave, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero));
            _path = Marshal.PtrToStringAnsi(ttyname(_slave))!;
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

        private void SendLater(byte[] bytes, int delayMs)
        {
            new Thread(() =>
            {
                Thread.Sleep(delayMs);
                write(_master, bytes, bytes.Length);
            }).Start();
        }

        private sealed class WallClock : IClock
        {
            private readonly System.Diagnostics.Stopwatch _w = System.Diagnostics.Stopwatch.StartNew();
            public long NowMilliseconds => _w.ElapsedMilliseconds;
            public void Sleep(int milliseconds) => Thread.Sleep(milliseconds);
        }

        [Fact]
        public void Pty_ReadExactly_CollectsBytesArrivingInBursts()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }
            SerialPortAdapter port = new SerialPortAdapter(_path, 115200, SerialParity.None, 2);
            try
            {
                SendLater(new byte[] { 0x80, 0x00, 0x00 }, 20);
                SendLater(new byte[] { 0x00, 0x05, 0x00, 0x00, 0x00 }, 80);
                SendLater(new byte[] { 0x01, 0x02 }, 150);
                byte[] buffer = new byte[10];
                int got = SerialReader.ReadExactly(port, new WallClock(), buffer, 0, 10, 3000);
                Assert.Equal(10, got);
                Assert.Equal(new byte[] { 0x80, 0, 0, 0, 0x05, 0, 0, 0, 0x01, 0x02 }, buffer);
            }
            finally
            {
                port.Close();
            }
        }

        [Fact]
        public void Pty_ReadExactly_TimesOutWithThePartialBytes()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }
            SerialPortAdapter port = new SerialPortAdapter(_path, 115200, SerialParity.None, 2);
            try
            {
                SendLater(new byte[] { 0x6F, 0x01 }, 10);
                byte[] buffer = new byte[8];
                WallClock clock = new WallClock();
                int got = SerialReader.ReadExactly(port, clock, buffer, 0, 8, 300);
                Assert.Equal(2, got);
                Assert.Equal(0x01, buffer[1]);
                Assert.InRange(clock.NowMilliseconds, 290, 2000);
            }
            finally
            {
                port.Close();
            }
        }

        [Fact]
        public void Pty_CardFrameChanges_AndNonStandardCardRates_AreAccepted()
        {
            if (!OperatingSystem.IsLinux())
            {
                return;
            }
            SerialPortAdapter port = new SerialPortAdapter(_path, 13441, SerialParity.Even, 2);
            try
            {
                Assert.Equal(13441, port.BaudRate);
                port.Parity = SerialParity.Odd;
                port.BaudRate = 161290;
                port.StopBits = 1;
                Assert.Equal(SerialParity.Odd, port.Parity);
                Assert.Equal(161290, port.BaudRate);
                Assert.Equal(1, port.StopBits);
                byte[] outgoing = new byte[] { 0xFF, 0x10, 0x11, 0xFE };
                port.Write(outgoing, 0, 4);
                byte[] seen = new byte[8];
                Thread.Sleep(50);
                Assert.Equal(4, (int)read(_master, seen, 8));
                Assert.Equal(0xFE, seen[3]);
            }
            finally
            {
                port.Close();
            }
        }
    }
}
