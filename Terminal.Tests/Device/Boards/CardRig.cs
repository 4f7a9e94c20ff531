using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>Two slots' card hardware on recording fakes: the pins of two TDA8024s, the switch, the PWM and the UART.</summary>
    public sealed class CardRig
    {
        /// <summary>Card clock of the rig (5 MHz, as the reference board).</summary>
        public const int ClockHz = 5000000;

        /// <summary>Everything the drivers did, in order.</summary>
        public readonly EventLog Log = new EventLog();

        /// <summary>Virtual time.</summary>
        public readonly FakeClock Clock = new FakeClock();

        /// <summary>The card UART.</summary>
        public readonly FakeSerialPort Port;

        /// <summary>The PWM.</summary>
        public readonly FakeClockOutput Pwm;

        /// <summary>OFF of each slot (high: card present).</summary>
        public readonly FakeInputPin[] Off = new FakeInputPin[2];

        /// <summary>VCCEN of each slot (high: CMDVCC low).</summary>
        public readonly FakeOutputPin[] VccEnable = new FakeOutputPin[2];

        /// <summary>RSTIN of each slot.</summary>
        public readonly FakeOutputPin[] RstIn = new FakeOutputPin[2];

        /// <summary>5V/3V of each slot.</summary>
        public readonly FakeOutputPin[] ClassSelect = new FakeOutputPin[2];

        /// <summary>The analog switch select.</summary>
        public readonly FakeOutputPin Select;

        /// <summary>The contacts.</summary>
        public readonly Tda8024Contact[] Contacts = new Tda8024Contact[2];

        /// <summary>The card lines.</summary>
        public readonly UartCardLine[] Lines = new UartCardLine[2];

        /// <summary>The shared clock.</summary>
        public readonly CardClock CardClock;

        /// <summary>Builds the rig; cards present in both slots, echo on.</summary>
        public CardRig(ReadBehaviour behaviour)
        {
            Port = new FakeSerialPort(Clock, behaviour);
            Port.Echo = true;
            Pwm = new FakeClockOutput(Log, Clock, ClockHz);
            CardClock = new CardClock(Pwm);
            Select = new FakeOutputPin("SEL", Log, Clock);
            CardUart uart = new CardUart(Port, Select, Clock, true, 10);
            for (int i = 0; i < 2; i++)
            {
                Off[i] = new FakeInputPin();
                Off[i].Level = true;
                VccEnable[i] = new FakeOutputPin("VCCEN" + i, Log, Clock);
                RstIn[i] = new FakeOutputPin("RSTIN" + i, Log, Clock);
                ClassSelect[i] = new FakeOutputPin("5V3V" + i, Log, Clock);
                Contacts[i] = new Tda8024Contact(i, VccEnable[i], RstIn[i], ClassSelect[i], Off[i], Clock, 1000, 200);
                Lines[i] = new UartCardLine(i, uart, Contacts[i], CardClock);
            }
            Log.Clear();
            Clock.Log = Log;
        }

        /// <summary>The engine's cold reset on slot <paramref name="slot"/>: RST low, VCC, CLK, 500 cycles, RST high.</summary>
        public void ColdReset(int slot, Terminal.Iso7816.VoltageClass voltageClass)
        {
            UartCardLine line = Lines[slot];
            line.SetReset(false);
            line.SetVcc(voltageClass);
            line.SetClock(true);
            line.Wait(500);
            line.SetReset(true);
        }

        /// <summary>Virtual time of the first log entry with this text at or after <paramref name="from"/>; -1 when absent.</summary>
        public long TimeOf(string text, int from)
        {
            int i = Log.IndexOf(text, from);
            return i < 0 ? -1 : Log[i].Time;
        }
    }
}
