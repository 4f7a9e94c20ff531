using System;
using System.CommandLine;
using Terminal.Boards;
using Terminal.Desktop.Boards;

namespace Terminal.Desktop
{
    /// <summary>`terminal selftest`: the factory self-test on a Linux board, one report line a check.</summary>
    internal static class SelfTestCommand
    {
        internal static Command Create()
        {
            Option<string> board = new Option<string>("--board")
            {
                Description = "The board file: linux:hardware/boards/<board>.json (or the path alone).",
                Required = true,
            };
            Option<int> timeout = new Option<int>("--answer-timeout")
            {
                Description = "Seconds to wait for each key press or operator answer.",
                DefaultValueFactory = _ => 20,
            };
            Command command = new Command("selftest", "Factory self-test: display, every key, LEDs, buzzer, each slot's activation with a card present.");
            command.Options.Add(board);
            command.Options.Add(timeout);
            command.SetAction(parse =>
            {
                string argument = parse.GetValue(board) ?? "";
                if (!LinuxBoard.TryCreate(argument, out DriverBoard? driverBoard, out IDisposable? hardware, out string error) || driverBoard == null)
                {
                    Console.Error.WriteLine("terminal selftest: " + error);
                    return 2;
                }
                using (hardware)
                {
                    FactorySelfTest test = new FactorySelfTest(driverBoard, new ConsoleReport(), parse.GetValue(timeout) * 1000);
                    return test.Run() ? 0 : 1;
                }
            });
            return command;
        }

        private sealed class ConsoleReport : ISelfTestReport
        {
            public void Line(string text)
            {
                Console.WriteLine(text);
            }
        }
    }
}
