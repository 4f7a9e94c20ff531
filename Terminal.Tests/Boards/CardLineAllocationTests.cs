using System;
using Terminal.Boards;
using Terminal.Iso7816;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>The relay path's rule on the UART card line: nothing allocated per exchange once warm.</summary>
    public class CardLineAllocationTests
    {
        private sealed class Clock : IClock
        {
            public long Now;
            public long NowMilliseconds => Now;
            public void Sleep(int milliseconds) => Now += Math.Max(milliseconds, 0);
        }

        private sealed class Pins : IOutputPin, IInputPin, IClockOutput
        {
            public bool Level = true;
            public void Write(bool high) { }
            public bool Read() => Level;
            public event PinChangedHandler Changed { add { } remove { } }
            public int FrequencyHz => 5000000;
            public void Start() { }
            public void Stop() { }
        }

        /// <summary>A UART with the I/O line's echo and a card that answers every command with 90 00, in fixed buffers.</summary>
        private sealed class LoopPort : ISerialPort
        {
            private readonly byte[] _rx = new byte[1024];
            private int _head;
            private int _count;
            public int BaudRate { get; set; } = 13441;
            public SerialParity Parity { get; set; } = SerialParity.Even;
            public int StopBits { get; set; } = 2;
            public int BytesToRead => _count;

            public int Read(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, _count);
                for (int i = 0; i < n; i++)
                {
                    buffer[offset + i] = _rx[_head];
                    _head = (_head + 1) % _rx.Length;
                }
                _count -= n;
                return n;
            }

            public void Write(byte[] buffer, int offset, int count)
            {
                for (int i = 0; i < count; i++)
                {
                    Put(buffer[offset + i]);
                }
                if (count < 32)
                {
                    Put(0x90);
                    Put(0x00);
                }
            }

            public bool WaitForData(int milliseconds) => _count > 0;

            private void Put(byte b)
            {
                _rx[(_head + _count) % _rx.Length] = b;
                _count++;
            }
        }

        [Fact]
        public void UartCardLine_SendAndReceive_AllocateNothingOnceWarm()
        {
            Clock clock = new Clock();
            Pins pins = new Pins();
            LoopPort port = new LoopPort();
            CardUart uart = new CardUart(port, pins, clock, true, 10);
            Tda8024Contact contact = new Tda8024Contact(0, pins, pins, pins, pins, clock, 1000, 200);
            UartCardLine line = new UartCardLine(0, uart, contact, new CardClock(pins));
            line.SetVcc(VoltageClass.A);
            line.SetClock(true);
            line.SetReset(true);
            line.Configure(Convention.Inverse, 372, 12, 12, false);
            byte[] command = new byte[261];
            command[4] = 0xFF;

            int expected = UartCardLine.InverseConvention(0x90);
            int Exchange()
            {
                // A 256-byte block in 32-byte chunks, then a short one that the card answers 90 00.
                line.Send(command, 0, 256);
                line.Send(command, 0, 5);
                int sw1 = line.Receive(9600L * 31);
                int sw2 = line.Receive(9600L * 31);
                return sw1 == expected && sw2 == 0xFF ? 1 : 0;
            }

            Assert.Equal(1, Exchange());
            long before = GC.GetAllocatedBytesForCurrentThread();
            int good = 0;
            for (int i = 0; i < 100; i++)
            {
                good += Exchange();
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(100, good);
            Assert.Equal(0, allocated);
            Assert.Equal(0, line.EchoErrors);
        }
    }
}
