using nanoFramework.TestFramework;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Iso7816
{
    /// <summary>No exception escapes the parsers or the protocols, whatever the card or the caller sends.</summary>
    [TestClass]
    public class RobustnessTests
    {
        /// <summary>A line whose card answers pseudo-random characters, parity errors, silences and removals.</summary>
        private sealed class RandomCardLine : ICardLine
        {
            private uint _state;
            private long _now;

            public RandomCardLine(uint seed)
            {
                _state = seed;
            }

            public int Next(int bound)
            {
                _state = _state * 1664525u + 1013904223u;
                return (int)((_state >> 8) % (uint)bound);
            }

            public int ClockHz
            {
                get { return 4000000; }
            }

            public long Now
            {
                get { return _now; }
            }

            public bool CardPresent
            {
                get { return true; }
            }

            public void SetVcc(VoltageClass voltageClass)
            {
            }

            public void SetReset(bool high)
            {
            }

            public void SetClock(bool running)
            {
            }

            public void Configure(Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal)
            {
            }

            public void Send(byte[] buffer, int offset, int count)
            {
                _now += 4464L * count;
            }

            public int Receive(long timeoutCycles)
            {
                int kind = Next(100);
                if (kind < 4)
                {
                    _now += timeoutCycles;
                    return LineStatus.Timeout;
                }
                if (kind < 5)
                {
                    return LineStatus.NoCard;
                }
                _now += 4464;
                int c = Next(kind < 40 ? 4 : 256);
                // Bias towards the protocol bytes that steer the state machines.
                if (kind < 40)
                {
                    c = c == 0 ? 0x60 : c == 1 ? 0x61 : c == 2 ? 0x90 : 0x00;
                }
                return kind < 7 ? c | LineStatus.ParityError : c;
            }

            public void Wait(long cycles)
            {
                _now += cycles;
            }
        }

        private static bool Known(int r)
        {
            return r >= 0 || TransmissionError.Name(r) != "Unknown";
        }

        [TestMethod]
        public void AtrParse_RandomBytes_NeverThrow()
        {
            RandomCardLine random = new RandomCardLine(7);
            byte[] b = new byte[40];
            Atr atr = new Atr();
            for (int i = 0; i < 20000; i++)
            {
                int n = random.Next(41);
                for (int j = 0; j < n; j++)
                {
                    b[j] = (byte)random.Next(256);
                }
                b[0] = (byte)(random.Next(4) == 0 ? 0x3F : 0x3B);
                atr.Parse(b, 0, n);
                Assert.IsTrue(atr.Length <= Atr.MaxLength);
                Assert.IsTrue(atr.HistoricalOffset + atr.HistoricalLength <= atr.Length || Atr.IsFatal(atr.LastError) || atr.Length == 0);
            }
        }

        [TestMethod]
        public void CommandApduParse_RandomBytes_NeverThrow()
        {
            RandomCardLine random = new RandomCardLine(11);
            byte[] b = new byte[300];
            CommandApdu a = new CommandApdu();
            for (int i = 0; i < 20000; i++)
            {
                int n = random.Next(12);
                for (int j = 0; j < n; j++)
                {
                    b[j] = (byte)(random.Next(3) == 0 ? 0 : random.Next(256));
                }
                if (a.Parse(b, 0, n) == ApduError.None)
                {
                    Assert.IsTrue(a.DataOffset + a.Nc <= n);
                }
            }
        }

        [TestMethod]
        public void AtrReader_RandomCard_NeverThrows()
        {
            RandomCardLine line = new RandomCardLine(3);
            AtrReader reader = new AtrReader(line, new Timing());
            Atr atr = new Atr();
            for (int i = 0; i < 2000; i++)
            {
                Assert.IsTrue(Known(reader.ColdReset(VoltageClass.A, atr)));
            }
        }

        [TestMethod]
        public void T0_RandomCard_NeverThrows()
        {
            RandomCardLine line = new RandomCardLine(5);
            T0Protocol t0 = new T0Protocol(line, new Timing());
            byte[] response = new byte[300];
            byte[] case4 = Hex.Bytes("00 A4 04 00 02 3F 00 00");
            byte[] case2 = Hex.Bytes("00 B0 00 00 00");
            for (int i = 0; i < 2000; i++)
            {
                Assert.IsTrue(Known(t0.TransmitApdu(case4, 0, case4.Length, response, 0, response.Length)));
                Assert.IsTrue(Known(t0.TransmitApdu(case2, 0, case2.Length, response, 0, 20)));
                Assert.IsTrue(Known(t0.TransmitTpdu(case2, 0, case2.Length, response, 0, response.Length)));
            }
        }

        [TestMethod]
        public void T1_RandomCard_NeverThrows()
        {
            RandomCardLine line = new RandomCardLine(9);
            T1Protocol t1 = new T1Protocol(line, new Timing());
            byte[] response = new byte[300];
            byte[] command = new byte[600];
            for (int i = 0; i < 500; i++)
            {
                t1.Reset(line.Next(2) == 0 ? 32 : 254, line.Next(2) == 0);
                Assert.IsTrue(Known(t1.Transmit(command, 0, line.Next(600), response, 0, line.Next(300))));
                Assert.IsTrue(Known(t1.NegotiateIfsd(254)));
            }
        }

        [TestMethod]
        public void Pps_RandomCard_NeverThrows()
        {
            RandomCardLine line = new RandomCardLine(13);
            Pps pps = new Pps(line, new Timing());
            for (int i = 0; i < 2000; i++)
            {
                Assert.IsTrue(Known(pps.Negotiate(Convention.Direct, 0, 1, 3)));
            }
        }
    }
}
