using System;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Threading;

namespace Terminal.Desktop.Run
{
    /// <summary>
    /// Keeps a named pseudo-terminal alive across reader restarts. pcscd opens the slave once and
    /// never reopens a serial reader; if the master closed with the firmware process, its slave
    /// would be hung up for good. So for `--link pty:&lt;path&gt;` a small keeper process
    /// (`terminal pty-keeper`) owns the master and hands it to the firmware process over a Unix
    /// socket beside the link (SCM_RIGHTS). A firmware process that dies leaves the keeper, and the
    /// pty, in place; the next one takes the same master back and pcscd recovers. A clean shutdown
    /// says "quit": the keeper removes the link and exits.
    /// </summary>
    internal static class PtyKeeper
    {
        private const int SolSocket = 1;
        private const int ScmRights = 1;

        [DllImport("libc", SetLastError = true)] private static extern long sendmsg(IntPtr fd, IntPtr msg, int flags);
        [DllImport("libc", SetLastError = true)] private static extern long recvmsg(IntPtr fd, IntPtr msg, int flags);

        internal static string SocketPath(string link) => Path.GetFullPath(link) + ".keeper";

        /// <summary>The keeper process: creates the pty and link, serves its master fd until told to quit.</summary>
        internal static int Serve(string link)
        {
            using PtyStream pty = new PtyStream(link);
            string socketPath = SocketPath(link);
            File.Delete(socketPath);
            using Socket listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(1);
            try
            {
                while (true)
                {
                    // Nobody for ten minutes: the firmware is not coming back.
                    if (!listener.Poll(600_000_000, SelectMode.SelectRead))
                    {
                        return 0;
                    }
                    using Socket client = listener.Accept();
                    SendFd(client, pty.MasterFd);
                    byte[] buffer = new byte[16];
                    int n;
                    string said = "";
                    while ((n = Receive(client, buffer)) > 0)
                    {
                        said += System.Text.Encoding.ASCII.GetString(buffer, 0, n);
                    }
                    if (said.Contains("quit", StringComparison.Ordinal))
                    {
                        return 0;
                    }
                }
            }
            finally
            {
                File.Delete(socketPath);
            }
        }

        private static int Receive(Socket s, byte[] buffer)
        {
            try
            {
                return s.Receive(buffer);
            }
            catch (SocketException)
            {
                return 0;
            }
        }

        /// <summary>
        /// Connects to the keeper of <paramref name="link"/>, starting one when there is none, and
        /// returns the master fd and the connection (kept open while the firmware runs).
        /// </summary>
        internal static int Attach(string link, out Socket connection, out bool started)
        {
            string socketPath = SocketPath(link);
            started = false;
            Socket? s = TryConnect(socketPath);
            if (s == null)
            {
                StartKeeper(link);
                started = true;
                DateTime deadline = DateTime.UtcNow.AddSeconds(20);
                while (s == null && DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(50);
                    s = TryConnect(socketPath);
                }
                if (s == null)
                {
                    throw new IOException("the pty keeper did not start");
                }
            }
            connection = s;
            return ReceiveFd(s);
        }

        /// <summary>Tells the keeper to remove the pty and exit.</summary>
        internal static void Release(Socket connection)
        {
            try
            {
                connection.Send(System.Text.Encoding.ASCII.GetBytes("quit"));
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            connection.Dispose();
        }

        private static Socket? TryConnect(string socketPath)
        {
            if (!File.Exists(socketPath))
            {
                return null;
            }
            Socket s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                s.Connect(new UnixDomainSocketEndPoint(socketPath));
                return s;
            }
            catch (SocketException)
            {
                s.Dispose();
                return null;
            }
        }

        private static void StartKeeper(string link)
        {
            string self = typeof(PtyKeeper).Assembly.Location;
            ProcessStartInfo psi = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (!string.IsNullOrEmpty(self) && !(Environment.ProcessPath ?? "").EndsWith("/terminal", StringComparison.Ordinal))
            {
                psi.ArgumentList.Add(self);
            }
            psi.ArgumentList.Add("run");
            psi.ArgumentList.Add("--pty-keeper");
            psi.ArgumentList.Add(Path.GetFullPath(link));
            Process p = Process.Start(psi)!;
            p.StandardInput.Close();
        }

        private static void SendFd(Socket s, int fd)
        {
            IntPtr data = Marshal.AllocHGlobal(1);
            IntPtr iov = Marshal.AllocHGlobal(16);
            IntPtr control = Marshal.AllocHGlobal(24);
            IntPtr msg = Marshal.AllocHGlobal(56);
            try
            {
                Marshal.WriteByte(data, (byte)'F');
                Marshal.WriteIntPtr(iov, 0, data);
                Marshal.WriteInt64(iov, 8, 1);
                for (int i = 0; i < 24; i++)
                {
                    Marshal.WriteByte(control, i, 0);
                }
                Marshal.WriteInt64(control, 0, 20); // CMSG_LEN(sizeof(int))
                Marshal.WriteInt32(control, 8, SolSocket);
                Marshal.WriteInt32(control, 12, ScmRights);
                Marshal.WriteInt32(control, 16, fd);
                WriteMsg(msg, iov, control);
                if (sendmsg(s.Handle, msg, 0) < 0)
                {
                    throw new IOException("sendmsg failed (errno " + Marshal.GetLastWin32Error() + ")");
                }
            }
            finally
            {
                Marshal.FreeHGlobal(data);
                Marshal.FreeHGlobal(iov);
                Marshal.FreeHGlobal(control);
                Marshal.FreeHGlobal(msg);
            }
        }

        private static int ReceiveFd(Socket s)
        {
            IntPtr data = Marshal.AllocHGlobal(1);
            IntPtr iov = Marshal.AllocHGlobal(16);
            IntPtr control = Marshal.AllocHGlobal(24);
            IntPtr msg = Marshal.AllocHGlobal(56);
            try
            {
                Marshal.WriteIntPtr(iov, 0, data);
                Marshal.WriteInt64(iov, 8, 1);
                for (int i = 0; i < 24; i++)
                {
                    Marshal.WriteByte(control, i, 0);
                }
                WriteMsg(msg, iov, control);
                if (recvmsg(s.Handle, msg, 0) <= 0)
                {
                    throw new IOException("recvmsg failed (errno " + Marshal.GetLastWin32Error() + ")");
                }
                if (Marshal.ReadInt32(control, 8) != SolSocket || Marshal.ReadInt32(control, 12) != ScmRights)
                {
                    throw new IOException("the pty keeper sent no descriptor");
                }
                return Marshal.ReadInt32(control, 16);
            }
            finally
            {
                Marshal.FreeHGlobal(data);
                Marshal.FreeHGlobal(iov);
                Marshal.FreeHGlobal(control);
                Marshal.FreeHGlobal(msg);
            }
        }

        // struct msghdr on 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags.
        private static void WriteMsg(IntPtr msg, IntPtr iov, IntPtr control)
        {
            for (int i = 0; i < 56; i++)
            {
                Marshal.WriteByte(msg, i, 0);
            }
            Marshal.WriteIntPtr(msg, 16, iov);
            Marshal.WriteInt64(msg, 24, 1);
            Marshal.WriteIntPtr(msg, 32, control);
            Marshal.WriteInt64(msg, 40, 24);
        }
    }
}
