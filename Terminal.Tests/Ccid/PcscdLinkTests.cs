using System.Threading;
using Terminal.Ccid;
using Terminal.Desktop.Run;
using Terminal.HostLink;
using Terminal.Tests.Device.Ccid;
using Terminal.Tests.EndToEnd;
using Xunit;

namespace Terminal.Tests.Ccid
{
    /// <summary>
    /// The serial link and CCID device alone (fake slots, no card engine) against the real pcscd
    /// and libccid serial driver on a pseudo-terminal: start-up Escapes, echo, slot polling.
    /// </summary>
    [Collection(PcscdCollection.Name)]
    public class PcscdLinkTests
    {
        private sealed class Clock : IWallClock
        {
            private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

            public long NowMilliseconds => _watch.ElapsedMilliseconds;
        }

        [Theory]
        [InlineData("SEC1210", "sec1210", 2)]
        [InlineData("GemPCPinPad", "gempcpinpad", 1)]
        public void LibccidSerial_StartUpSucceedsAndEverySlotShowsItsAtr(string readerType, string profile, int readers)
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            FakeSlot slot0 = new FakeSlot();
            FakeSlot slot1 = new FakeSlot();
            CcidDevice device = new CcidDevice(new ICcidSlot[] { slot0, slot1 }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            using PtyStream pty = new PtyStream(null);
            SerialHostLink link = new SerialHostLink(pty, device, new Clock());
            Thread thread = new Thread(link.Run);
            thread.Start();
            using PcscStack stack = new PcscStack();
            try
            {
                stack.Start(pty.HostPath, readerType);
                (int code, string output) = stack.Python3(
                    "from smartcard.System import readers\n" +
                    "from smartcard.util import toHexString\n" +
                    "for r in readers():\n" +
                    "    c = r.createConnection(); c.connect()\n" +
                    "    print('READER', r, toHexString(c.getATR()))\n" +
                    "    c.disconnect()\n", 30);
                Assert.True(code == 0, output + "\n--- pcscd ---\n" + stack.Log);
                Assert.Equal(readers, CountOf(output, "READER "));
                Assert.Contains("3B 02 14 50", output);
                Assert.Equal(profile, device.Profile.Name);
                Assert.Equal(0, link.NaksSent);
            }
            finally
            {
                stack.Stop();
                link.Stop();
                thread.Join();
            }
        }

        [Fact]
        public void LibccidSerial_TimeRequestsKeepTheHostWaitingForASlowCard()
        {
            if (!PcscStack.Installed())
            {
                return;
            }
            FakeSlot slot0 = new FakeSlot();
            FakeSlot slot1 = new FakeSlot();
            CcidDevice device = new CcidDevice(new ICcidSlot[] { slot0, slot1 }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
            using PtyStream pty = new PtyStream(null);
            SerialHostLink link = new SerialHostLink(pty, device, new Clock());
            Thread thread = new Thread(link.Run);
            thread.Start();
            using PcscStack stack = new PcscStack();
            try
            {
                stack.Start(pty.HostPath, "SEC1210");
                // The card works 5 s on the next exchange: longer than the driver's 3 s read timeout.
                slot0.DuringExchange = delegate
                {
                    if (slot0.LastCommand[1] == 0x88)
                    {
                        Thread.Sleep(5000);
                    }
                };
                (int code, string output) = stack.Python3(
                    "import time\n" +
                    "from smartcard.System import readers\n" +
                    "from smartcard.CardConnection import CardConnection\n" +
                    "c = readers()[0].createConnection(); c.connect(CardConnection.T0_protocol)\n" +
                    "start = time.time()\n" +
                    "data, sw1, sw2 = c.transmit([0x00,0x88,0x00,0x00,0x04,1,2,3,4])\n" +
                    "print('SW %02X%02X AFTER %.1f' % (sw1, sw2, time.time() - start))\n", 60);
                Assert.True(code == 0, output + "\n--- pcscd ---\n" + stack.Log);
                Assert.Contains("SW 9000 AFTER 5.", output);
                Assert.True(link.TimeRequestsSent >= 4, "time requests: " + link.TimeRequestsSent);
                Assert.Contains("time request: 0x80", stack.Log);
            }
            finally
            {
                stack.Stop();
                link.Stop();
                thread.Join();
            }
        }

        private static int CountOf(string text, string what)
        {
            int n = 0;
            int i = 0;
            while ((i = text.IndexOf(what, i, System.StringComparison.Ordinal)) >= 0)
            {
                n++;
                i += what.Length;
            }
            return n;
        }
    }
}
