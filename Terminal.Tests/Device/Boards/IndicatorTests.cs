using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>LEDs and buzzer on pins.</summary>
    [TestClass]
    public class IndicatorTests
    {
        [TestMethod]
        public void Indicators_StartOff_AndBeepLastsItsLength()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            FakeOutputPin secure = new FakeOutputPin("SECURE", log, clock);
            FakeOutputPin buzzer = new FakeOutputPin("BUZZER", log, clock);
            FakeOutputPin[] access = new FakeOutputPin[] { new FakeOutputPin("LED0", log, clock), new FakeOutputPin("LED1", log, clock) };
            PinIndicators indicators = new PinIndicators(secure, new IOutputPin[] { access[0], access[1] }, buzzer, clock);
            Assert.AreEqual("SECURE=0 LED0=0 LED1=0 BUZZER=0", log.Texts(""));
            log.Clear();
            clock.Log = log;
            indicators.Beep(120);
            Assert.AreEqual("BUZZER=1 sleep 120 BUZZER=0", log.Texts(""));
        }

        [TestMethod]
        public void Indicators_SecureModeAndCardAccessDriveTheirOwnPins()
        {
            EventLog log = new EventLog();
            FakeClock clock = new FakeClock();
            FakeOutputPin secure = new FakeOutputPin("SECURE", log, clock);
            FakeOutputPin led1 = new FakeOutputPin("LED1", log, clock);
            PinIndicators indicators = new PinIndicators(secure, new IOutputPin[] { new FakeOutputPin("LED0", log, clock), led1 }, new FakeOutputPin("BUZZER", log, clock), clock);
            log.Clear();
            indicators.SetSecureMode(true);
            indicators.SetCardAccess(1, true);
            indicators.SetCardAccess(2, true);
            Assert.AreEqual("SECURE=1 LED1=1", log.Texts(""));
        }
    }
}
