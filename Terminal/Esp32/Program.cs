using System.Device.Gpio;
using System.Threading;
using Terminal.Boards;
using Terminal.Core;

namespace Terminal.Esp32
{
    /// <summary>
    /// The nanoFramework application (entry point of Terminal.nfproj): wires the ESP32-WROOM-32 DevKitC
    /// reference board, offers the factory self-test, then starts the keypad scan and the firmware
    /// (host link, CCID device, slots) on the board.
    /// </summary>
    /// <remarks>
    /// Compiled only by Terminal.nfproj (Terminal.csproj removes Esp32/): it uses
    /// nanoFramework.Hardware.Esp32, which has no desktop twin.
    /// </remarks>
    public static class Program
    {
        /// <summary>How long Correction + OK must be held at power-up to start the self-test.</summary>
        private const int SelfTestHoldMilliseconds = 500;

        /// <summary>Boots the terminal.</summary>
        public static void Main()
        {
            BoardConfig config = Esp32DevKitC.Create();

            // Route the UARTs and the PWM to the reference pins before anything opens them.
            Esp32PinFunctions.Apply(config);

            Esp32Platform platform = new Esp32Platform(new GpioController());
            DriverBoard board = new DriverBoard(config, platform);
            board.Start();
            ConsoleReport console = new ConsoleReport();
            console.Line($"terminal {ReaderCore.Version} on {board.Name}");

            MatrixKeypad? keypad = board.KeypadDriver;
            if (keypad != null && SelfTestRequested(keypad, board.Clock))
            {
                FactorySelfTest selfTest = new FactorySelfTest(board, console, 30000);
                selfTest.Run();
                // Stay on the result until the unit is powered off: a tested unit is not put into service by accident.
                Thread.Sleep(Timeout.Infinite);
            }

            if (keypad != null)
            {
                keypad.Start();
            }

            Firmware.Run(board, board.HostPort, console);
        }

        /// <summary>True when Correction and OK are both held, without any other key, for the hold time.</summary>
        private static bool SelfTestRequested(MatrixKeypad keypad, IClock clock)
        {
            int combination = keypad.MaskOf(Key.Correction) | keypad.MaskOf(Key.Ok);
            if (combination == 0)
            {
                return false;
            }
            long end = clock.NowMilliseconds + SelfTestHoldMilliseconds;
            while (clock.NowMilliseconds < end)
            {
                if (keypad.ScanRaw() != combination)
                {
                    return false;
                }
                clock.Sleep(20);
            }
            return true;
        }
    }

    /// <summary>Report lines to the nanoFramework console (the debugger's output over UART0's wire protocol).</summary>
    internal sealed class ConsoleReport : ISelfTestReport
    {
        public void Line(string text)
        {
            System.Console.WriteLine(text);
        }
    }
}
