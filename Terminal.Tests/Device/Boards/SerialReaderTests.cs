using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>"Read exactly N bytes or time out" under both SerialPort behaviours: returns early (desktop), blocks or throws (nanoFramework).</summary>
    [TestClass]
    public class SerialReaderTests
    {
        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void ReadExactly_BytesArrivingOneByOne_AllCollected(int behaviour)
        {
            FakeClock clock = new FakeClock();
            FakeSerialPort port = new FakeSerialPort(clock, (ReadBehaviour)behaviour);
            byte[] sent = new byte[] { 0x6B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00 };
            port.Arrive(3, sent, true);
            byte[] buffer = new byte[16];
            int got = SerialReader.ReadExactly(port, clock, buffer, 2, sent.Length, 1000);
            Assert.AreEqual(sent.Length, got);
            for (int i = 0; i < sent.Length; i++)
            {
                Assert.AreEqual(sent[i], buffer[2 + i]);
            }
            Assert.AreEqual(0, port.OversizedReads, "never asks for bytes that are not there");
            Assert.AreEqual(0, port.BytesLost);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void ReadExactly_TooFewBytes_TimesOutKeepingWhatCame(int behaviour)
        {
            FakeClock clock = new FakeClock();
            FakeSerialPort port = new FakeSerialPort(clock, (ReadBehaviour)behaviour);
            port.Arrive(1, new byte[] { 1, 2, 3 }, true);
            byte[] buffer = new byte[8];
            long start = clock.NowMilliseconds;
            int got = SerialReader.ReadExactly(port, clock, buffer, 0, 8, 200);
            Assert.AreEqual(3, got);
            Assert.AreEqual((byte)3, buffer[2]);
            Assert.AreEqual(200L, clock.NowMilliseconds - start);
            Assert.AreEqual(0, port.BytesLost);
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(1)]
        public void ReadExactly_DoesNotConsumeBytesBeyondCount(int behaviour)
        {
            FakeClock clock = new FakeClock();
            FakeSerialPort port = new FakeSerialPort(clock, (ReadBehaviour)behaviour);
            port.Arrive(0, new byte[] { 1, 2, 3, 4, 5 }, false);
            byte[] buffer = new byte[8];
            Assert.AreEqual(2, SerialReader.ReadExactly(port, clock, buffer, 0, 2, 100));
            Assert.AreEqual(3, port.BytesToRead);
        }

        [TestMethod]
        public void FakeNanoPort_OversizedRead_LosesBytes_WhichIsWhyTheReaderNeverAsks()
        {
            // The fake really models the hazard the reader avoids.
            FakeClock clock = new FakeClock();
            FakeSerialPort port = new FakeSerialPort(clock, ReadBehaviour.BlocksOrThrows);
            port.Arrive(0, new byte[] { 1, 2 }, false);
            Assert.ThrowsException(typeof(System.TimeoutException), () => port.Read(new byte[4], 0, 4));
            Assert.AreEqual(2, port.BytesLost);
        }

        [TestMethod]
        public void HostPort_Read_ReturnsWhatIsWaitingOrZeroOnTimeout()
        {
            FakeClock clock = new FakeClock();
            FakeSerialPort port = new FakeSerialPort(clock, ReadBehaviour.BlocksOrThrows);
            SerialHostPort host = new SerialHostPort(port, clock);
            byte[] buffer = new byte[64];
            Assert.AreEqual(0, host.Read(buffer, 0, 64, 50));
            port.Arrive(5, new byte[] { 0x03, 0x65, 0x00 }, false);
            Assert.AreEqual(3, host.Read(buffer, 0, 64, 50));
            Assert.AreEqual((byte)0x65, buffer[1]);
        }
    }
}
