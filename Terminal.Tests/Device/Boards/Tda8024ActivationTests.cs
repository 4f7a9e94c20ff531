using nanoFramework.TestFramework;
using Terminal.Boards;
using Terminal.Iso7816;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>
    /// ISO/IEC 7816-3 §6.2 activation and §6.4 deactivation as the firmware drives a TDA8024: what goes
    /// to the pins, in which order, with which delays (the chip itself then sequences VCC, I/O, CLK).
    /// </summary>
    [TestClass]
    public class Tda8024ActivationTests
    {
        [TestMethod]
        public void Iso7816_3_6_2_ColdReset_RstLowClassVccThenClockThenRstHigh()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            // RSTIN low; I/O given to slot 0 before VCC; 5 V; VCCEN high (CMDVCC low) starts the chip (VCC, I/O);
            // its activation time; then the clock; at least 400 cycles; RSTIN high.
            Assert.AreEqual("RSTIN0=0 SEL=0 RSTIN0=0 5V3V0=1 VCCEN0=1 sleep 1 CLK on sleep 1 RSTIN0=1", rig.Log.Texts(""));
        }

        [TestMethod]
        public void Iso7816_3_6_2_RstRisesBetween400And40000ClockCyclesAfterClk()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            long clkOn = rig.TimeOf("CLK on", 0);
            long rstHigh = rig.TimeOf("RSTIN0=1", 0);
            long cycles = (rstHigh - clkOn) * CardRig.ClockHz / 1000;
            Assert.IsTrue(cycles >= 400, "RST high after " + cycles + " cycles");
            Assert.IsTrue(cycles <= 40000, "RST high after " + cycles + " cycles");
        }

        [TestMethod]
        public void Iso7816_3_6_2_RstHighAskedTooEarly_LineStillWaits400Cycles()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            UartCardLine line = rig.Lines[0];
            line.SetReset(false);
            line.SetVcc(VoltageClass.A);
            line.SetClock(true);
            line.SetReset(true);
            long cycles = (rig.TimeOf("RSTIN0=1", 0) - rig.TimeOf("CLK on", 0)) * CardRig.ClockHz / 1000;
            Assert.IsTrue(cycles >= 400, "RST high after " + cycles + " cycles");
        }

        [TestMethod]
        public void Iso7816_3_6_2_ClassB_Drives5V3VLowBeforeVccEnable()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(1, VoltageClass.B);
            int cls = rig.Log.IndexOf("5V3V1=0", 0);
            int vcc = rig.Log.IndexOf("VCCEN1=1", 0);
            Assert.IsTrue(cls >= 0 && vcc > cls, rig.Log.Texts(""));
            Assert.IsTrue(rig.Log.IndexOf("SEL=1", 0) < vcc, "slot 1 gets the I/O line before VCC");
        }

        [TestMethod]
        public void Iso7816_3_6_4_Deactivation_RstLowThenClockStopThenCmdVccHighViaVccEnable()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.Log.Clear();
            UartCardLine line = rig.Lines[0];
            line.SetReset(false);
            line.SetClock(false);
            line.SetVcc(VoltageClass.None);
            // The chip then takes RST, CLK, I/O and VCC down in that order by itself.
            Assert.AreEqual("RSTIN0=0 CLK off RSTIN0=0 VCCEN0=0 sleep 1", rig.Log.Texts(""));
            Assert.IsFalse(rig.Contacts[0].Active);
        }

        [TestMethod]
        public void Tda8024_ClassC_IsRefusedWithoutTouchingVccEnable()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.Lines[0].SetVcc(VoltageClass.C);
            Assert.AreEqual(-1, rig.Log.IndexOf("VCCEN0=1", 0));
            Assert.AreEqual(LineStatus.NoCard, rig.Lines[0].Receive(10000));
        }

        [TestMethod]
        public void Tda8024_NoCard_OffLow_NoActivationAndReceiveSaysNoCard()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.Off[0].Set(false);
            Assert.IsFalse(rig.Lines[0].CardPresent);
            rig.ColdReset(0, VoltageClass.A);
            Assert.AreEqual(-1, rig.Log.IndexOf("VCCEN0=1", 0));
            Assert.AreEqual(LineStatus.NoCard, rig.Lines[0].Receive(10000));
        }

        [TestMethod]
        public void Tda8024_OffFallsDuringSession_FaultAcknowledgedAndReported()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            int events = 0;
            rig.Contacts[0].Changed += delegate (int slot) { events++; };
            rig.ColdReset(0, VoltageClass.A);
            rig.Log.Clear();
            rig.Off[0].Set(false);
            Assert.AreEqual(1, events);
            Assert.IsTrue(rig.Contacts[0].Faulted);
            Assert.IsFalse(rig.Contacts[0].Active);
            // VCCEN low, CMDVCC back high: the chip needs it before a new activation.
            Assert.AreEqual("RSTIN0=0 VCCEN0=0", rig.Log.Texts(""));
            Assert.AreEqual(LineStatus.NoCard, rig.Lines[0].Receive(10000));
        }

        [TestMethod]
        public void CardClock_SharedPwm_StopsOnlyWhenNoSlotNeedsIt()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            rig.ColdReset(1, VoltageClass.A);
            Assert.AreEqual(1, Count(rig.Log, "CLK on"));
            rig.Lines[1].SetClock(false);
            rig.Lines[1].SetVcc(VoltageClass.None);
            Assert.IsTrue(rig.Pwm.Running, "slot 0 still needs its clock");
            rig.Lines[0].SetClock(false);
            Assert.IsFalse(rig.Pwm.Running);
        }

        [TestMethod]
        public void Iso7816_3_6_2_SecondSlotWithClockRunning_RstStillAfter400Cycles()
        {
            CardRig rig = new CardRig(ReadBehaviour.ReturnsEarly);
            rig.ColdReset(0, VoltageClass.A);
            int from = rig.Log.Count;
            UartCardLine line = rig.Lines[1];
            line.SetReset(false);
            line.SetVcc(VoltageClass.A);
            line.SetClock(true);
            line.SetReset(true);
            // The chip passed the running clock to the card during its activation; RST must wait 400 cycles from then.
            long vccDone = rig.Log[rig.Log.IndexOf("VCCEN1=1", from) + 1].Time + 1;
            long rst = rig.TimeOf("RSTIN1=1", from);
            Assert.IsTrue((rst - vccDone) * CardRig.ClockHz / 1000 >= 400, rig.Log.Texts(""));
        }

        private static int Count(EventLog log, string text)
        {
            int n = 0;
            for (int i = 0; i < log.Count; i++)
            {
                if (log[i].Text == text)
                {
                    n++;
                }
            }
            return n;
        }
    }
}
