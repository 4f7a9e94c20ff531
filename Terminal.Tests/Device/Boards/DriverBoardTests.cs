using nanoFramework.TestFramework;
using Terminal.Boards;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>The ESP32 DevKitC board assembled from its compiled description on fake pins.</summary>
    [TestClass]
    public class DriverBoardTests
    {
        [TestMethod]
        public void Board_PowerUp_VccEnableLowBeforeAnythingElse()
        {
            FakePlatform p = new FakePlatform();
            DriverBoard board = new DriverBoard(Esp32DevKitC.Create(), p);
            Assert.AreEqual("GPIO21=0", p.Log[0].Text);
            Assert.AreEqual("GPIO4=0", p.Log[1].Text);
            Assert.AreEqual("GPIO22=0", p.Log[2].Text);
            Assert.AreEqual("GPIO5=0", p.Log[3].Text);
            // The chain's /OE (GPIO33) is left to its pull-up (outputs off) until the first latch (GPIO2) has cleared
            // every output; only then is it opened, low: outputs on.
            int latch = p.Log.IndexOf("GPIO2=1", 0);
            int firstOe = -1;
            for (int i = 0; i < p.Log.Count && firstOe < 0; i++)
            {
                if (p.Log[i].Pin == "GPIO33")
                {
                    firstOe = i;
                }
            }
            Assert.IsTrue(latch >= 0 && firstOe > latch, p.Log.Texts(""));
            Assert.AreEqual("GPIO33=0", p.Log[firstOe].Text);
            Assert.AreEqual(-1, p.Log.IndexOf("GPIO33=1", 0));
            Assert.AreEqual("COM2", p.CardUartName);
            Assert.AreEqual(2, board.SlotCount);
            Assert.AreEqual(3, board.VoltageSupport);
        }

        [TestMethod]
        public void Board_CardLine_UsesTheSharedUartAndItsChip()
        {
            FakePlatform p = new FakePlatform();
            DriverBoard board = new DriverBoard(Esp32DevKitC.Create(), p);
            p.Inputs[34]!.Level = true;
            ICardLine line = board.GetCardLine(0);
            Assert.AreEqual(5000000, line.ClockHz);
            line.SetReset(false);
            line.SetVcc(VoltageClass.A);
            line.SetClock(true);
            line.Wait(500);
            p.CardPort!.Arrive(1, new byte[] { 0x3B, 0x00 }, true);
            line.SetReset(true);
            Assert.IsTrue(p.Pwm!.Running);
            Assert.IsTrue(p.Log.IndexOf("GPIO21=1", 0) > 0, "VCCEN of slot 0 driven high: CMDVCC low");
        }

        [TestMethod]
        public void Board_OffInterrupt_RaisesCardChanged()
        {
            FakePlatform p = new FakePlatform();
            DriverBoard board = new DriverBoard(Esp32DevKitC.Create(), p);
            int changed = -1;
            board.CardChanged += delegate (int slot) { changed = slot; };
            p.Inputs[35]!.Set(true);
            Assert.AreEqual(1, changed);
        }

        [TestMethod]
        public void SelfTest_NoCardsNoAnswers_ReportsEveryCheckAsFailed()
        {
            FakePlatform p = new FakePlatform();
            DriverBoard board = new DriverBoard(Esp32DevKitC.Create(), p);
            board.Start();
            RecordingReport report = new RecordingReport();
            FactorySelfTest test = new FactorySelfTest(board, report, 200);
            Assert.IsFalse(test.Run());
            // display, 13 keys, 3 LEDs, buzzer, 2 slots.
            Assert.AreEqual(20, test.Checks);
            Assert.AreEqual(20, test.Failures);
            Assert.AreEqual("SELFTEST board esp32-devkitc", report.Line0);
            Assert.AreEqual("FAIL key 1 timeout", report.Get(2));
            Assert.AreEqual("RESULT FAIL 20 of 20 checks", report.Last);
        }
    }

    /// <summary>Collects report lines.</summary>
    public sealed class RecordingReport : ISelfTestReport
    {
        private readonly System.Collections.ArrayList _lines = new System.Collections.ArrayList();

        /// <summary>First line.</summary>
        public string Line0
        {
            get { return Get(0); }
        }

        /// <summary>Last line.</summary>
        public string Last
        {
            get { return Get(_lines.Count - 1); }
        }

        /// <summary>Line i.</summary>
        public string Get(int i)
        {
            return (string)_lines[i]!;
        }

        /// <inheritdoc />
        public void Line(string text)
        {
            _lines.Add(text);
        }
    }
}
