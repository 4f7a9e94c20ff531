using System.Collections;
using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>What an HD44780 latched: one entry per falling edge of E, with RS and D7..D4, decoded from a pin log.</summary>
    public static class Hd44780Decoder
    {
        /// <summary>Nibbles as "C3" (command, RS low) or "D4" (data), with the time of the edge, from a log of RS/E/D4..D7 writes.</summary>
        public static ArrayList Nibbles(EventLog log)
        {
            ArrayList result = new ArrayList();
            bool rs = false;
            bool e = false;
            bool[] d = new bool[4];
            for (int i = 0; i < log.Count; i++)
            {
                LogEntry x = log[i];
                if (x.Pin == "RS") { rs = x.High; }
                else if (x.Pin == "D4") { d[0] = x.High; }
                else if (x.Pin == "D5") { d[1] = x.High; }
                else if (x.Pin == "D6") { d[2] = x.High; }
                else if (x.Pin == "D7") { d[3] = x.High; }
                else if (x.Pin == "E")
                {
                    if (e && !x.High)
                    {
                        int n = (d[0] ? 1 : 0) | (d[1] ? 2 : 0) | (d[2] ? 4 : 0) | (d[3] ? 8 : 0);
                        result.Add((rs ? "D" : "C") + "0123456789ABCDEF".Substring(n, 1));
                    }
                    e = x.High;
                }
            }
            return result;
        }

        /// <summary>The nibbles joined by spaces.</summary>
        public static string Join(ArrayList nibbles, int from)
        {
            string s = "";
            for (int i = from; i < nibbles.Count; i++)
            {
                s = s.Length == 0 ? (string)nibbles[i]! : s + " " + (string)nibbles[i]!;
            }
            return s;
        }
    }

    /// <summary>HD44780 initialisation by instruction (datasheet figure 24, 4-bit) and writes, on recording pins.</summary>
    [TestClass]
    public class Hd44780DisplayTests
    {
        private static Hd44780Display Display(EventLog log, FakeClock clock)
        {
            IOutputPin[] data = new IOutputPin[]
            {
                new FakeOutputPin("D4", log, clock), new FakeOutputPin("D5", log, clock),
                new FakeOutputPin("D6", log, clock), new FakeOutputPin("D7", log, clock),
            };
            GpioHd44780Bus bus = new GpioHd44780Bus(new FakeOutputPin("RS", log, clock), new FakeOutputPin("E", log, clock), data);
            return new Hd44780Display(bus, clock, clock, 2, 16);
        }

        [TestMethod]
        public void Hd44780_Figure24_InitialisationNibblesInOrder()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            Display(log, clock).Initialize();
            // 3, 3, 3, 2 (4-bit), then 28 function set, 08 off, 01 clear, 06 entry mode, 0C on.
            Assert.AreEqual("C3 C3 C3 C2 C2 C8 C0 C8 C0 C1 C0 C6 C0 CC", Hd44780Decoder.Join(Hd44780Decoder.Nibbles(log), 0));
        }

        [TestMethod]
        public void Hd44780_Figure24_WaitsOfTheDatasheet()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            clock.Log = log;
            Display(log, clock).Initialize();
            // More than 40 ms before the first nibble, more than 4.1 ms after it, more than 100 us after the second.
            string texts = log.Texts("RS,D4,D5,D6,D7");
            Assert.StartsWith("E=0 sleep 50 E=1 E=0 sleep 5 E=1 E=0 delay 150us E=1 E=0 delay 50us E=1 E=0", texts);
            // Clear (01) is followed by its 1.52 ms execution time.
            Assert.Contains("E=1 E=0 E=1 E=0 sleep 2", texts);
        }

        [TestMethod]
        public void Hd44780_Show_SetsDdramAddressAndPadsTheLine()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            Hd44780Display display = Display(log, clock);
            display.Initialize();
            int from = Hd44780Decoder.Nibbles(log).Count;
            display.Show(1, "PIN ****");
            // C0 = DDRAM 0x40 (line 2), "PIN"; the blank at column 3 is already there, so C4 = 0x44 and "****";
            // the rest of the line is already blank.
            Assert.AreEqual("CC C0 D5 D0 D4 D9 D4 DE CC C4 D2 DA D2 DA D2 DA D2 DA", Hd44780Decoder.Join(Hd44780Decoder.Nibbles(log), from));
        }

        [TestMethod]
        public void Hd44780_Show_RewritesOnlyWhatChanged()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            Hd44780Display display = Display(log, clock);
            display.Initialize();
            display.Show(0, "PIN ***");
            int from = Hd44780Decoder.Nibbles(log).Count;
            display.Show(0, "PIN ****");
            // Only column 7 changes: address 0x87, then '*'.
            Assert.AreEqual("C8 C7 D2 DA", Hd44780Decoder.Join(Hd44780Decoder.Nibbles(log), from));
            from = Hd44780Decoder.Nibbles(log).Count;
            display.Show(0, "PIN ****");
            Assert.AreEqual(from, Hd44780Decoder.Nibbles(log).Count);
        }

        [TestMethod]
        public void Hd44780_Show_CutsAtSixteenAndReplacesUnprintable()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            Hd44780Display display = Display(log, clock);
            display.Initialize();
            int from = Hd44780Decoder.Nibbles(log).Count;
            display.Show(0, "\u00e9AAAAAAAAAAAAAAAZZZ");
            ArrayList n = Hd44780Decoder.Nibbles(log);
            Assert.AreEqual(from + 2 + 32, n.Count);
            Assert.AreEqual("D3 DF", (string)n[from + 2]! + " " + (string)n[from + 3]!);
        }

        [TestMethod]
        public void Hd44780_ThroughShiftRegister_SameInitialisationSequence()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            ShiftRegisterRig rig = new ShiftRegisterRig(log, clock);
            ShiftRegisterHd44780Bus bus = new ShiftRegisterHd44780Bus(rig.Register, 0, 1, new int[] { 2, 3, 4, 5 });
            new Hd44780Display(bus, clock, clock, 2, 16).Initialize();
            EventLog parallel = rig.DecodeOutputs(new string[] { "RS", "E", "D4", "D5", "D6", "D7" });
            Assert.AreEqual("C3 C3 C3 C2 C2 C8 C0 C8 C0 C1 C0 C6 C0 CC", Hd44780Decoder.Join(Hd44780Decoder.Nibbles(parallel), 0));
            Assert.IsTrue(rig.SetupHeldForEveryEdge, "RS and data never change in the latch that moves E");
        }
    }
}
