using System;
using System.CommandLine;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Boards;
using Terminal.Ccid;
using Terminal.Core;
using Terminal.Desktop;
using Terminal.Desktop.Boards;
using Terminal.Desktop.Run;
using Terminal.Tests.Device.Boards;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>Tests that redirect the process's console: never in parallel with each other.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class ConsoleCollection
    {
        public const string Name = "console";
    }

    /// <summary>
    /// `terminal run --board linux:&lt;board file&gt;`: the options a real board refuses, the one-line errors for
    /// a bad board file or missing hardware (nothing opened), and the firmware wiring on the Raspberry Pi
    /// board file over recording fake pins, driven by CCID frames from the host side.
    /// </summary>
    [Collection(ConsoleCollection.Name)]
    public class LinuxBoardRunTests
    {
        private const string PiBoard = "hardware/boards/raspberry-pi.json";

        // design/pcsc-serial.md, "Framing": the host's GetSlotStatus as libccid's serial driver sends it.
        private static readonly byte[] DocumentedGetSlotStatus = { 0x03, 0x06, 0x65, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x62 };

        /// <summary>The serial framing: SYNC, ACK, the CCID message, LRC.</summary>
        internal static byte[] Frame(params byte[] message) => ReaderCoreTests.Frame(message);

        /// <summary>`terminal run --board linux:FILE` on the simulated hardware, standard error captured.</summary>
        private static int RunBoard(string file, SimulatedLinuxHardware hardware, out StringWriter error)
        {
            TextWriter saved = Console.Error;
            error = new StringWriter();
            try
            {
                Console.SetError(error);
                return Runner.Run(new RunOptions { Board = "linux:" + file }, hardware, TextReader.Null);
            }
            finally
            {
                Console.SetError(saved);
            }
        }

        /// <summary>The Pi's board file with <paramref name="edit"/> applied, in a temporary file.</summary>
        internal static string BoardFile(Action<JsonNode> edit)
        {
            JsonNode root = JsonNode.Parse(File.ReadAllText(Repository.PathOf(PiBoard)), null, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
            edit(root);
            string path = Path.Combine(Path.GetTempPath(), "terminal-board-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".json");
            File.WriteAllText(path, root.ToJsonString());
            return path;
        }

        /// <summary>Runs `terminal run` in-process with the arguments parsed by the real command line; returns the exit code, standard output and error.</summary>
        private static (int Code, string Out, string Error) Invoke(params string[] arguments)
        {
            RootCommand root = new RootCommand();
            root.Subcommands.Add(RunCommand.Create());
            string[] line = new string[arguments.Length + 1];
            line[0] = "run";
            Array.Copy(arguments, 0, line, 1, arguments.Length);
            TextWriter savedOut = Console.Out;
            TextWriter savedError = Console.Error;
            StringWriter output = new StringWriter();
            StringWriter error = new StringWriter();
            try
            {
                Console.SetOut(output);
                Console.SetError(error);
                int code = root.Parse(line).Invoke();
                return (code, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(savedOut);
                Console.SetError(savedError);
            }
        }

        private static void AssertOneLineRefusal((int Code, string Out, string Error) result, string expectedError)
        {
            Assert.Equal(2, result.Code);
            Assert.Equal(expectedError + Environment.NewLine, result.Error);
            Assert.DoesNotContain("terminal: ready", result.Out, StringComparison.Ordinal);
        }

        [Fact]
        public void Run_LinuxBoard_GpioChipAbsent_OneLineNamingTheDevice_ExitTwo()
        {
            // No machine has 97 GPIO chips: the check that a Raspberry Pi without its GPIOs (or a PC) fails on.
            string file = BoardFile(b => b["linux"]!["gpioChip"] = 97);
            try
            {
                AssertOneLineRefusal(Invoke("--board", "linux:" + file),
                    "terminal run: board raspberry-pi: no GPIO chip /dev/gpiochip97 (linux.gpioChip in the board file; is this a Linux board with its GPIOs enabled?)");
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Fact]
        public void Run_LinuxBoard_HostSerialPortAbsent_OneLineNamingIt_NoPinOpened()
        {
            string file = BoardFile(b =>
            {
                b["card"]!["uart"] = "/dev/null"; // exists: the check gets as far as the host UART
                b["host"]!["uart"] = "/dev/ttyNO-SUCH-UART";
            });
            SimulatedLinuxHardware hardware = new SimulatedLinuxHardware();
            try
            {
                int code = RunBoard(file, hardware, out StringWriter error);
                Assert.Equal(2, code);
                Assert.Equal("terminal run: board raspberry-pi: no serial port /dev/ttyNO-SUCH-UART (host.uart in the board file)" + Environment.NewLine, error.ToString());
                Assert.Equal(0, hardware.GpioOpened);
                Assert.Equal(0, hardware.PwmOpened);
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Fact]
        public void Run_LinuxBoard_PwmRefusedHalfWay_OneLine_AndThePinsAlreadyOpenAreClosedAgain()
        {
            // The contact pins and the shift register are open when the card clock fails: all must be released.
            string file = BoardFile(b =>
            {
                b["card"]!["uart"] = "/dev/null";
                b["host"]!["uart"] = "/dev/null";
            });
            SimulatedLinuxHardware hardware = new SimulatedLinuxHardware { PwmFailure = new IOException("pwmchip0: export of channel 0 failed") };
            try
            {
                int code = RunBoard(file, hardware, out StringWriter error);
                Assert.Equal(2, code);
                Assert.Equal("terminal run: board raspberry-pi: cannot open the hardware: pwmchip0: export of channel 0 failed (see the overlays in hardware/README.md)"
                    + Environment.NewLine, error.ToString());
                Assert.Equal(1, hardware.PwmOpened);
                Assert.True(hardware.Gpio.Transitions(17, 27).StartsWith("17=0", StringComparison.Ordinal), "VCCEN was opened low before the failure");
                Assert.Equal(0, hardware.Gpio.OpenPins);
                Assert.True(hardware.Gpio.Disposed);
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Fact]
        public void Run_LinuxBoard_BoardFileMissing_OneLineNamingTheFile()
        {
            (int Code, string Out, string Error) result = Invoke("--board", "linux:/nonexistent/pi.json");
            Assert.Equal(2, result.Code);
            Assert.StartsWith("terminal run: /nonexistent/pi.json: ", result.Error, StringComparison.Ordinal);
            Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        }

        [Fact]
        public void Run_LinuxBoard_BoardFileWithoutHostSection_NamesTheMember()
        {
            string file = BoardFile(b => b.AsObject().Remove("host"));
            try
            {
                AssertOneLineRefusal(Invoke("--board", "linux:" + file), "terminal run: " + file + ": host: missing");
            }
            finally
            {
                File.Delete(file);
            }
        }

        [Theory]
        [InlineData("--slot0", "cps3")]
        [InlineData("--slot1", "none")]
        [InlineData("--keys", "1234K")]
        [InlineData("--pace", "free")]
        [InlineData("--link", "pty")]
        public void Run_LinuxBoard_VirtualBoardOption_IsRefusedBeforeAnyHardware(string option, string value)
        {
            AssertOneLineRefusal(Invoke("--board", "linux:" + Repository.PathOf(PiBoard), option, value),
                "terminal run: " + option + " is for the virtual board; a Linux board has real slots and keypad, and its host link is host.uart of the board file.");
        }

        [Fact]
        public void Run_UnknownBoardKind_IsRefused()
        {
            AssertOneLineRefusal(Invoke("--board", "esp32"), "terminal run: --board must be virtual or linux:<board file>.");
        }

        [Fact]
        public void Frame_ReproducesTheDocumentedGetSlotStatus()
        {
            Assert.Equal(DocumentedGetSlotStatus, Frame(0x65, 0, 0, 0, 0, 0, 0x02, 0, 0, 0));
        }

        /// <summary>
        /// The Raspberry Pi board file on recording fake pins, wired as `terminal run --board linux:` wires it
        /// (<see cref="ReaderCore"/> over the board's host UART through <see cref="HostPortStream"/>): the host's
        /// GetSlotStatus, IccPowerOn and IccPowerOff (CCID rev 1.1 §6.1.1, §6.1.2, §6.1.3) reach the TDA8024 of
        /// slot 0 in the order of ISO/IEC 7816-3 §6.2.2 (RST low, VCC, clock, RST high 400 to 40 000 cycles
        /// later) and §6.4 (RST low, clock stopped, VCC off), and the ATR the card sends comes back in the
        /// RDR_to_PC_DataBlock.
        /// </summary>
        [Fact]
        public void Ccid_6_1_PowerOnThroughTheLinuxBoardWiring_DrivesSlot0InIso7816_3_6_2Order()
        {
            Assert.True(BoardJson.TryLoad(Repository.PathOf(PiBoard), out BoardConfig config, out _, out string error), error);
            FakePlatform fake = new FakePlatform();
            DriverBoard board = new DriverBoard(config, fake);
            board.Start();
            fake.Inputs[24]!.Level = true; // OFF of slot 0 high: a card is in
            ReaderCoreTests.CardBehindChip card = new ReaderCoreTests.CardBehindChip(fake, 17, new byte[] { 0x3B, 0x00 });
            fake.Outputs[22]!.OnWrite = card.OnResetWritten; // RSTIN of slot 0
            ReaderCore core = new ReaderCore(board, new HostPortStream(board.HostPort), new BoardWallClock(board.Clock), ReaderProfile.Sec1210, true, null, null);
            FakeSerialPort host = fake.HostPort!;
            Assert.Equal(config.HostBaudRate, host.BaudRate);

            host.Arrive(0, DocumentedGetSlotStatus, false);
            Assert.Equal(1, core.Link.Poll(100));
            // RDR_to_PC_SlotStatus, bSeq 02, bStatus 01: present, not active.
            Assert.Equal(Frame(0x81, 0, 0, 0, 0, 0, 0x02, 0x01, 0, 0), Take(host));

            fake.Log.Clear();
            fake.FakeClock.Log = fake.Log;
            host.Arrive(0, Frame(0x62, 0, 0, 0, 0, 0, 0x03, 0x01, 0, 0), false); // PC_to_RDR_IccPowerOn, bPowerSelect 01: 5 V
            Assert.Equal(1, core.Link.Poll(100));
            Assert.Equal(Frame(0x80, 0x02, 0, 0, 0, 0, 0x03, 0x00, 0, 0, 0x3B, 0x00), Take(host));
            string activation = Contacts(fake.Log);
            Assert.Equal("RSTIN0=0 VCCEN0=1 CLK on RSTIN0=1", activation);
            long cycles = (Time(fake.Log, "GPIO22=1") - Time(fake.Log, "CLK on")) * config.CardClockHz / 1000;
            Assert.InRange(cycles, 400, 40000);

            fake.Log.Clear();
            host.Arrive(0, Frame(0x63, 0, 0, 0, 0, 0, 0x04, 0, 0, 0), false); // PC_to_RDR_IccPowerOff
            Assert.Equal(1, core.Link.Poll(100));
            Assert.Equal(Frame(0x81, 0, 0, 0, 0, 0, 0x04, 0x01, 0, 0), Take(host));
            Assert.Equal("RSTIN0=0 CLK off VCCEN0=0", Contacts(fake.Log));
        }

        private static byte[] Take(FakeSerialPort port) => ReaderCoreTests.Take(port);

        // Slot 0's contact pins (GPIO17 VCCEN, GPIO22 RSTIN) and the card clock, in order, by their roles;
        // a pin written again at the level it has is no event for the card.
        private static string Contacts(EventLog log)
        {
            string result = "";
            string vcc = "";
            string rst = "";
            for (int i = 0; i < log.Count; i++)
            {
                string text = log[i].Text;
                string? role = null;
                if (text.StartsWith("GPIO17=", StringComparison.Ordinal) && text != vcc)
                {
                    vcc = text;
                    role = "VCCEN0=" + text.Substring(7);
                }
                else if (text.StartsWith("GPIO22=", StringComparison.Ordinal) && text != rst)
                {
                    rst = text;
                    role = "RSTIN0=" + text.Substring(7);
                }
                else if (text.StartsWith("CLK ", StringComparison.Ordinal))
                {
                    role = text;
                }
                if (role != null)
                {
                    result = result.Length == 0 ? role : result + " " + role;
                }
            }
            return result;
        }

        private static long Time(EventLog log, string text)
        {
            int i = log.IndexOf(text, 0);
            Assert.True(i >= 0, text + " not in " + log.Texts(""));
            return log[i].Time;
        }
    }
}
