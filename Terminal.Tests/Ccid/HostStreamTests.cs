using System;
using System.IO;
using System.Net.Sockets;
using System.Threading;
using Terminal.Ccid;
using Terminal.Desktop.Run;
using Terminal.HostLink;
using Terminal.Tests.Device.Ccid;
using Xunit;

namespace Terminal.Tests.Ccid
{
    /// <summary>The desktop byte streams under the serial link: the program's own pseudo-terminal and loopback TCP.</summary>
    public class HostStreamTests
    {
        private static readonly byte[] GetSlotStatusFrame = { 0x03, 0x06, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x62 };
        private static readonly byte[] SlotStatusAnswer = { 0x03, 0x06, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x87 };

        private sealed class Clock : IWallClock
        {
            public long NowMilliseconds => Environment.TickCount64;
        }

        private static SerialHostLink Link(IByteStream stream)
        {
            CcidDevice device = new CcidDevice(new ICcidSlot[] { new FakeSlot(), new FakeSlot() }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            return new SerialHostLink(stream, device, new Clock());
        }

        private static byte[] ReadExactly(Stream s, int n)
        {
            byte[] b = new byte[n];
            int got = 0;
            while (got < n)
            {
                int r = s.Read(b, got, n - got);
                Assert.True(r > 0, "stream closed after " + got + " bytes");
                got += r;
            }
            return b;
        }

        [Fact]
        public void Pty_HostOpeningTheLinkGetsAnswersAndClosingItIsSeenAsHostGone()
        {
            string link = Path.Combine(Path.GetTempPath(), "ccid-pty-" + Guid.NewGuid().ToString("N").Substring(0, 6));
            using (PtyStream pty = new PtyStream(link))
            {
                Assert.True(new FileInfo(link).LinkTarget != null, "symbolic link to the slave");
                Assert.Equal(ByteStream.NoHost, pty.Read(new byte[16], 0, 16, 10));
                SerialHostLink serial = Link(pty);
                using (FileStream host = new FileStream(link, FileMode.Open, FileAccess.ReadWrite))
                {
                    host.Write(GetSlotStatusFrame);
                    host.Flush();
                    Assert.Equal(1, serial.Poll(2000));
                    Assert.Equal(SlotStatusAnswer, ReadExactly(host, SlotStatusAnswer.Length));
                    Assert.True(serial.HostPresent);
                }
                Assert.Equal(-2, serial.Poll(200));
                Assert.False(serial.HostPresent);
            }
            Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget != null, "the link goes with the pty");
        }

        [Fact]
        public void Tcp_OneHostAtATimeAndANewConnectionReplacesAClosedOne()
        {
            using TcpHostStream tcp = new TcpHostStream(0);
            SerialHostLink serial = Link(tcp);
            for (int round = 0; round < 2; round++)
            {
                using TcpClient client = new TcpClient();
                client.Connect("127.0.0.1", tcp.Port);
                NetworkStream net = client.GetStream();
                net.Write(GetSlotStatusFrame);
                int result = 0;
                for (int i = 0; i < 20 && result != 1; i++)
                {
                    result = serial.Poll(100);
                }
                Assert.Equal(1, result);
                Assert.Equal(SlotStatusAnswer, ReadExactly(net, SlotStatusAnswer.Length));
                client.Close();
                int gone = 0;
                for (int i = 0; i < 20 && gone != -2; i++)
                {
                    gone = serial.Poll(50);
                }
                Assert.Equal(-2, gone);
            }
        }
    }
}
