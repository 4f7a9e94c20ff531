using nanoFramework.TestFramework;
using Terminal.Boards;
using Terminal.Ccid;
using Terminal.Core;

namespace Terminal.Tests.Device.Boards
{
    /// <summary>
    /// The firmware core on the ESP32 DevKitC pin map over recording fake pins, wired as
    /// Terminal/Esp32/Firmware.cs wires it (<see cref="ReaderCore"/> over the board's host UART through
    /// <see cref="HostPortStream"/>), driven by CCID frames in the serial framing from the host side.
    /// </summary>
    [TestClass]
    public class ReaderCoreTests
    {
        private const int VccEnable0 = 21;
        private const int RstIn0 = 4;
        private const int Off0 = 34;
        private const int Off1 = 35;

        [TestMethod]
        public void Ccid_6_1_1_GetSlotStatus_OnTheEsp32Board_ReportsEachChipsOff()
        {
            FakePlatform p = new FakePlatform();
            ReaderCore core = Esp32Firmware(p, true, false);
            Assert.IsNotNull(core.PinPad, "the DevKitC has a keypad: the PIN pad is installed");

            p.HostPort!.Arrive(0, Frame(0x65, 0, 0, 0, 0, 0, 0x01, 0, 0, 0), false);
            Assert.AreEqual(1, core.Link.Poll(100));
            // bStatus 01: present, not active.
            Assert.AreEqual(Hex(Frame(0x81, 0, 0, 0, 0, 0, 0x01, 0x01, 0, 0)), Hex(Take(p.HostPort)));

            p.HostPort.Arrive(0, Frame(0x65, 0, 0, 0, 0, 1, 0x02, 0, 0, 0), false);
            Assert.AreEqual(1, core.Link.Poll(100));
            // bStatus 02: no ICC present (OFF of slot 1 low).
            Assert.AreEqual(Hex(Frame(0x81, 0, 0, 0, 0, 1, 0x02, 0x02, 0, 0)), Hex(Take(p.HostPort)));
        }

        [TestMethod]
        public void Ccid_6_1_1_IccPowerOn_OnTheEsp32Board_Iso7816_3_6_2_ColdResetThenTheAtrInTheDataBlock()
        {
            FakePlatform p = new FakePlatform();
            ReaderCore core = Esp32Firmware(p, true, false);
            CardBehindChip card = new CardBehindChip(p, VccEnable0, new byte[] { 0x3B, 0x00 });
            p.Outputs[RstIn0]!.OnWrite = card.OnResetWritten;
            p.Log.Clear();

            p.HostPort!.Arrive(0, Frame(0x62, 0, 0, 0, 0, 0, 0x03, 0x01, 0, 0), false);
            Assert.AreEqual(1, core.Link.Poll(100));
            Assert.AreEqual(Hex(Frame(0x80, 0x02, 0, 0, 0, 0, 0x03, 0x00, 0, 0, 0x3B, 0x00)), Hex(Take(p.HostPort)));
            // RSTIN low before VCCEN high (CMDVCC low: the TDA8024 raises VCC, I/O, CLK), the clock, RSTIN high.
            int rstLow = p.Log.IndexOf("GPIO4=0", 0);
            int vcc = p.Log.IndexOf("GPIO21=1", 0);
            int clock = p.Log.IndexOf("CLK on", 0);
            int rstHigh = p.Log.IndexOf("GPIO4=1", 0);
            Assert.IsTrue(rstLow >= 0 && rstLow < vcc && vcc < clock && clock < rstHigh, p.Log.Texts(""));
            Assert.AreEqual(1, card.Resets);

            p.HostPort.Arrive(0, Frame(0x63, 0, 0, 0, 0, 0, 0x04, 0, 0, 0), false);
            Assert.AreEqual(1, core.Link.Poll(100));
            Assert.AreEqual(Hex(Frame(0x81, 0, 0, 0, 0, 0, 0x04, 0x01, 0, 0)), Hex(Take(p.HostPort)));
            Assert.IsFalse(p.Outputs[VccEnable0]!.Level, "VCCEN low after IccPowerOff: CMDVCC high");
        }

        [TestMethod]
        public void Ccid_5_1_bPINSupport_OnTheEsp32Board_VerifyAndModifyWithoutPace()
        {
            // The ESP32 has the keypad but no elliptic-curve arithmetic wired: no PACE bits, no PACE layer.
            FakePlatform p = new FakePlatform();
            ReaderCore core = Esp32Firmware(p, false, false);
            Assert.AreEqual(0x03, ReaderCore.PinSupport(core.Board, false));
            Assert.AreEqual(0x33, ReaderCore.PinSupport(core.Board, true), "PACE capabilities 10h and execute 20h");
            Assert.IsNull(core.Pace);
        }

        /// <summary>What Esp32/Firmware.cs builds on the board, with cards in the slots as given.</summary>
        private static ReaderCore Esp32Firmware(FakePlatform p, bool card0, bool card1)
        {
            DriverBoard board = new DriverBoard(Esp32DevKitC.Create(), p);
            board.Start();
            p.Inputs[Off0]!.Level = card0;
            p.Inputs[Off1]!.Level = card1;
            return new ReaderCore(board, new HostPortStream(board.HostPort), new BoardWallClock(board.Clock), ReaderProfile.Sec1210, true, null, null);
        }

        /// <summary>SYNC, ACK, the CCID message, LRC (XOR of every byte before it).</summary>
        public static byte[] Frame(params byte[] message)
        {
            byte[] frame = new byte[message.Length + 3];
            frame[0] = 0x03;
            frame[1] = 0x06;
            byte lrc = 0x03 ^ 0x06;
            for (int i = 0; i < message.Length; i++)
            {
                frame[2 + i] = message[i];
                lrc ^= message[i];
            }
            frame[frame.Length - 1] = lrc;
            return frame;
        }

        /// <summary>What was written to <paramref name="port"/> since the last call.</summary>
        public static byte[] Take(FakeSerialPort port)
        {
            byte[] bytes = port.WrittenBytes();
            port.Written.Clear();
            return bytes;
        }

        private static string Hex(byte[] bytes)
        {
            const string Digits = "0123456789ABCDEF";
            char[] text = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                text[2 * i] = Digits[bytes[i] >> 4];
                text[2 * i + 1] = Digits[bytes[i] & 0x0F];
            }
            return new string(text);
        }

        /// <summary>A card in a slot: powered by its chip (VCCEN high, clock running), it answers RST rising with its ATR.</summary>
        public sealed class CardBehindChip
        {
            private readonly FakePlatform _platform;
            private readonly int _vccEnableGpio;
            private readonly byte[] _atr;

            /// <summary>The card behind the chip whose VCCEN is GPIO <paramref name="vccEnableGpio"/>; hook <see cref="OnResetWritten"/> on its RSTIN.</summary>
            public CardBehindChip(FakePlatform platform, int vccEnableGpio, byte[] atr)
            {
                _platform = platform;
                _vccEnableGpio = vccEnableGpio;
                _atr = atr;
            }

            /// <summary>Cold resets answered.</summary>
            public int Resets;

            /// <summary>The RSTIN hook.</summary>
            public void OnResetWritten(FakeOutputPin pin, bool wasHigh, bool high)
            {
                FakeOutputPin? vcc = _platform.Outputs[_vccEnableGpio];
                if (high && !wasHigh && vcc != null && vcc.Level && _platform.Pwm != null && _platform.Pwm.Running)
                {
                    Resets++;
                    _platform.CardPort!.Arrive(1, _atr, true);
                }
            }
        }
    }
}
