using nanoFramework.TestFramework;
using Terminal.Boards;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>
    /// The compiled ESP32 DevKitC pin map checked against the ESP32-WROOM-32 datasheet's rules: usable
    /// GPIOs only, input-only pins only as inputs, strapping pins only where their boot level is safe,
    /// no pin twice, VCCEN (CMDVCC) away from pins that toggle at boot.
    /// </summary>
    [TestClass]
    public class Esp32PinMapTests
    {
        // GPIO 6-11: SPI flash. GPIO 1, 3: UART0 (nanoFramework debug and deployment). 20, 24, 28-31: not bonded out.
        private static readonly int[] s_forbidden = new int[] { 1, 3, 6, 7, 8, 9, 10, 11, 20, 24, 28, 29, 30, 31, 37, 38 };

        private static bool InputOnly(int gpio)
        {
            return gpio >= 34 && gpio <= 39;
        }

        private static int[] Outputs(BoardConfig c)
        {
            return new int[]
            {
                c.CardTxPin, c.CardClockPin, c.HostTxPin, c.ShiftDataPin, c.ShiftClockPin, c.ShiftLatchPin, c.ShiftOutputEnablePin,
                c.SecureLedPin, c.Slots[0].VccEnablePin, c.Slots[0].RstInPin, c.Slots[1].VccEnablePin, c.Slots[1].RstInPin,
                c.KeypadRowPins[0], c.KeypadRowPins[1], c.KeypadRowPins[2], c.KeypadRowPins[3],
            };
        }

        private static int[] Inputs(BoardConfig c)
        {
            return new int[]
            {
                c.CardRxPin, c.HostRxPin, c.Slots[0].OffPin, c.Slots[1].OffPin,
                c.KeypadColumnPins[0], c.KeypadColumnPins[1], c.KeypadColumnPins[2], c.KeypadColumnPins[3],
            };
        }

        [TestMethod]
        public void Esp32_EveryGpioIsUsable_AndUsedOnce()
        {
            BoardConfig c = Esp32DevKitC.Create();
            int[] outputs = Outputs(c);
            int[] inputs = Inputs(c);
            bool[] used = new bool[40];
            int direct = 0;
            for (int i = 0; i < outputs.Length + inputs.Length; i++)
            {
                int pin = i < outputs.Length ? outputs[i] : inputs[i - outputs.Length];
                if (BoardConfig.IsShiftRegister(pin))
                {
                    continue;
                }
                Assert.IsTrue(pin >= 0 && pin < 40, "GPIO" + pin);
                for (int f = 0; f < s_forbidden.Length; f++)
                {
                    Assert.AreNotEqual(s_forbidden[f], pin, "GPIO" + pin + " is not usable");
                }
                Assert.IsFalse(used[pin], "GPIO" + pin + " used twice");
                used[pin] = true;
                direct++;
            }
            // Every usable GPIO of the module is taken: 20 bidirectional plus the 4 input-only.
            Assert.AreEqual(24, direct);
        }

        [TestMethod]
        public void Esp32_InputOnlyPins_34To39_AreOnlyInputs()
        {
            int[] outputs = Outputs(Esp32DevKitC.Create());
            for (int i = 0; i < outputs.Length; i++)
            {
                Assert.IsFalse(InputOnly(outputs[i]), "GPIO" + outputs[i] + " cannot drive");
            }
        }

        [TestMethod]
        public void Esp32_StrappingPins_OnlyInRolesSafeAtBoot()
        {
            BoardConfig c = Esp32DevKitC.Create();
            // GPIO0 must be high at reset: a keypad column (pulled up; rows float until the firmware runs).
            Assert.AreEqual(0, c.KeypadColumnPins[2]);
            // GPIO2 must be low or floating for download mode: 74HC595 RCLK, a CMOS input.
            Assert.AreEqual(2, c.ShiftLatchPin);
            // GPIO12 (MTDI) must be low at reset (3.3 V flash): a keypad row, released (floating) until the firmware runs.
            Assert.AreEqual(12, c.KeypadRowPins[3]);
            // GPIO15 (MTDO) high at reset: a keypad column, pulled up.
            Assert.AreEqual(15, c.KeypadColumnPins[3]);
            // GPIO5 is high at reset: RSTIN of slot 1, which the chip ignores while CMDVCC is high.
            Assert.AreEqual(5, c.Slots[1].RstInPin);
        }

        [TestMethod]
        public void Esp32_VccEnable_NeverOnAPinThatMovesAtBoot()
        {
            // GPIO 0, 1, 2, 3, 5, 12, 14, 15 are strapping or driven by the ROM during boot; a high glitch on VCCEN would power a card.
            int[] moving = new int[] { 0, 1, 2, 3, 5, 12, 14, 15 };
            BoardConfig c = Esp32DevKitC.Create();
            for (int s = 0; s < c.Slots.Length; s++)
            {
                for (int m = 0; m < moving.Length; m++)
                {
                    Assert.AreNotEqual(moving[m], c.Slots[s].VccEnablePin);
                }
                Assert.IsFalse(BoardConfig.IsShiftRegister(c.Slots[s].VccEnablePin), "VCCEN on a GPIO, never behind the shift register");
                Assert.IsFalse(BoardConfig.IsShiftRegister(c.Slots[s].RstInPin), "RSTIN on a GPIO: its timing counts");
            }
        }

        [TestMethod]
        public void Esp32_ShiftRegisterOutputs_InRangeAndUsedOnce()
        {
            BoardConfig c = Esp32DevKitC.Create();
            int[] sr = new int[]
            {
                c.LcdRsPin, c.LcdEPin, c.LcdDataPins[0], c.LcdDataPins[1], c.LcdDataPins[2], c.LcdDataPins[3],
                c.Slots[0].AccessLedPin, c.Slots[1].AccessLedPin, c.BuzzerPin, c.Slots[0].ClassSelectPin, c.Slots[1].ClassSelectPin, c.SlotSelectPin,
            };
            bool[] used = new bool[c.ShiftLength];
            for (int i = 0; i < sr.Length; i++)
            {
                Assert.IsTrue(BoardConfig.IsShiftRegister(sr[i]));
                int n = sr[i] - BoardConfig.ShiftRegisterBase;
                Assert.IsTrue(n >= 0 && n < c.ShiftLength, "SR" + n);
                Assert.IsFalse(used[n], "SR" + n + " used twice");
                used[n] = true;
            }
        }

        [TestMethod]
        public void Esp32_CardClock_DividesTheApbClockExactly()
        {
            BoardConfig c = Esp32DevKitC.Create();
            Assert.AreEqual(0, 80000000 % c.CardClockHz);
            Assert.IsTrue(c.CardClockHz >= 1000000 && c.CardClockHz <= 5000000, "ISO/IEC 7816-3: 1 to 5 MHz during the ATR");
        }
    }
}
