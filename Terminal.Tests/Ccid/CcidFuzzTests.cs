using System;
using Terminal.Ccid;
using Terminal.HostLink;
using Terminal.Tests.Device.Ccid;
using Xunit;

namespace Terminal.Tests.Ccid
{
    /// <summary>Random input never throws, every reply stays within 271 bytes, and the link is in step afterwards.</summary>
    public class CcidFuzzTests
    {
        private static readonly byte[] Types = { 0x62, 0x63, 0x65, 0x6F, 0x6C, 0x6D, 0x61, 0x6B, 0x6E, 0x6A, 0x69, 0x71, 0x72, 0x73, 0x00, 0x50, 0xFF };

        [Fact]
        public void CcidDevice_RandomMessagesGetBoundedRepliesWithTheirSlotAndSequence()
        {
            Random random = new Random(4);
            FakeSlot slot0 = new FakeSlot();
            FakeSlot slot1 = new FakeSlot();
            foreach (ReaderProfile profile in new[] { ReaderProfile.Sec1210, ReaderProfile.GemPcPinPad, ReaderProfile.NativeUsb })
            {
                CcidDevice device = new CcidDevice(new ICcidSlot[] { slot0, slot1 }, profile, "Terminal SESAM reader 0.1.0", 1024);
                byte[] reply = new byte[CcidDevice.ResponseBufferLength];
                for (int i = 0; i < 20000; i++)
                {
                    int dataLength = random.Next(0, 262);
                    byte[] m = new byte[10 + dataLength];
                    random.NextBytes(m);
                    m[0] = Types[random.Next(Types.Length)];
                    m[5] = (byte)random.Next(0, 4);
                    if (random.Next(4) != 0)
                    {
                        CcidDevice.WriteInt(m, 1, dataLength);
                    }
                    slot0.Present = random.Next(8) != 0;
                    int n = device.Process(m, m.Length, reply);
                    Assert.InRange(n, 10, 271);
                    Assert.Equal(10 + CcidDevice.ReadInt(reply, 1), n);
                    Assert.Equal(m[5], reply[5]);
                    Assert.Equal(m[6], reply[6]);
                }
            }
        }

        [Fact]
        public void SerialLink_RandomBytesThenAValidFrameIsAnsweredExactly()
        {
            Random random = new Random(7);
            byte[] frame = { 0x03, 0x06, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x62 };
            byte[] answer = { 0x03, 0x06, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x87 };
            for (int round = 0; round < 500; round++)
            {
                FakeStream stream = new FakeStream();
                CcidDevice device = new CcidDevice(new ICcidSlot[] { new FakeSlot(), new FakeSlot() }, ReaderProfile.Sec1210, "Terminal SESAM reader 0.1.0", 0);
                device.RecogniseProfile = false;
                SerialHostLink link = new SerialHostLink(stream, device, new FakeClock());
                byte[] garbage = new byte[random.Next(1, 400)];
                random.NextBytes(garbage);
                if (random.Next(2) == 0)
                {
                    garbage[0] = 0x03;
                    if (garbage.Length > 1)
                    {
                        garbage[1] = 0x06;
                    }
                }
                stream.Feed(garbage);
                for (int i = 0; i < 10 && link.Poll(0) != 0; i++)
                {
                }
                stream.TakeOutput();
                stream.Feed(frame);
                Assert.Equal(1, link.Poll(0));
                byte[] output = stream.TakeOutput();
                Assert.Equal(answer, output);
            }
        }
    }
}
