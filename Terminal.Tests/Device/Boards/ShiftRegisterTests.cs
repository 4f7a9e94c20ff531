using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>Two chained 74HC595 on recording pins, with a decoder that replays SER/SRCLK/RCLK into output levels.</summary>
    public sealed class ShiftRegisterRig
    {
        /// <summary>The pin log (SER, SRCLK, RCLK, OE).</summary>
        public readonly EventLog Log;

        /// <summary>The driver under test.</summary>
        public readonly ShiftRegisterOutputs Register;

        /// <summary>/OE.</summary>
        public readonly FakeOutputPin OutputEnable;

        private readonly FakeClock _clock;

        /// <summary>Builds it with 16 outputs.</summary>
        public ShiftRegisterRig(EventLog log, FakeClock clock)
        {
            Log = log;
            _clock = clock;
            OutputEnable = new FakeOutputPin("OE", log, clock);
            OutputEnable.Write(true);
            Register = new ShiftRegisterOutputs(new FakeOutputPin("SER", log, clock), new FakeOutputPin("SRCLK", log, clock),
                new FakeOutputPin("RCLK", log, clock), OutputEnable, 16);
        }

        /// <summary>True when no latch moved E (output 1) together with another output.</summary>
        public bool SetupHeldForEveryEdge;

        /// <summary>Latches seen by the last decode.</summary>
        public int Latches;

        /// <summary>Output levels after the last latch of the last decode.</summary>
        public bool[] Outputs = new bool[16];

        /// <summary>Replays the log as the chip would: an entry per output change, named by <paramref name="names"/> (outputs 0..).</summary>
        public EventLog DecodeOutputs(string[] names)
        {
            EventLog result = new EventLog();
            bool[] stage = new bool[16];
            bool[] outputs = new bool[16];
            bool ser = false;
            bool srclk = false;
            bool rclk = false;
            SetupHeldForEveryEdge = true;
            Latches = 0;
            for (int i = 0; i < Log.Count; i++)
            {
                LogEntry e = Log[i];
                if (e.Pin == "SER")
                {
                    ser = e.High;
                }
                else if (e.Pin == "SRCLK")
                {
                    if (!srclk && e.High)
                    {
                        for (int s = 15; s > 0; s--)
                        {
                            stage[s] = stage[s - 1];
                        }
                        stage[0] = ser;
                    }
                    srclk = e.High;
                }
                else if (e.Pin == "RCLK")
                {
                    if (!rclk && e.High)
                    {
                        Latches++;
                        int changed = 0;
                        bool eChanged = false;
                        for (int o = 0; o < 16; o++)
                        {
                            if (outputs[o] != stage[o])
                            {
                                changed++;
                                if (o == 1)
                                {
                                    eChanged = true;
                                }
                            }
                        }
                        if (eChanged && changed > 1)
                        {
                            SetupHeldForEveryEdge = false;
                        }
                        for (int o = 0; o < 16; o++)
                        {
                            if (outputs[o] != stage[o] || Latches == 1)
                            {
                                outputs[o] = stage[o];
                                if (o < names.Length)
                                {
                                    result.Add(e.Time, names[o] + "=" + (outputs[o] ? "1" : "0"), names[o], outputs[o]);
                                }
                            }
                        }
                    }
                    rclk = e.High;
                }
            }
            Outputs = outputs;
            return result;
        }
    }

    /// <summary>The 74HC595 chain driver.</summary>
    [TestClass]
    public class ShiftRegisterTests
    {
        [TestMethod]
        public void Hc595_PowerUp_ChainClearedAndLatchedBeforeOutputsEnabled()
        {
            EventLog log = new EventLog();
            ShiftRegisterRig rig = new ShiftRegisterRig(log, new FakeClock());
            int latch = log.IndexOf("RCLK=1", 0);
            int enable = log.IndexOf("OE=0", 0);
            Assert.IsTrue(latch >= 0 && enable > latch, log.Texts(""));
            rig.DecodeOutputs(new string[0]);
            for (int i = 0; i < 16; i++)
            {
                Assert.IsFalse(rig.Outputs[i]);
            }
        }

        [TestMethod]
        [DataRow(0)]
        [DataRow(7)]
        [DataRow(8)]
        [DataRow(15)]
        public void Hc595_OutputN_IsQnOfTheChain(int index)
        {
            EventLog log = new EventLog();
            ShiftRegisterRig rig = new ShiftRegisterRig(log, new FakeClock());
            rig.Register.GetOutput(index).Write(true);
            rig.DecodeOutputs(new string[0]);
            for (int i = 0; i < 16; i++)
            {
                Assert.AreEqual(i == index, rig.Outputs[i], "output " + i);
            }
        }

        [TestMethod]
        public void Hc595_WriteOfTheSameLevel_DoesNotShiftAgain()
        {
            EventLog log = new EventLog();
            ShiftRegisterRig rig = new ShiftRegisterRig(log, new FakeClock());
            IOutputPin led = rig.Register.GetOutput(6);
            led.Write(true);
            int count = log.Count;
            led.Write(true);
            Assert.AreEqual(count, log.Count);
        }
    }
}
