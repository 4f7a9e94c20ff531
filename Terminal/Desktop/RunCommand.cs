using System;
using System.CommandLine;

namespace Terminal.Desktop
{
    /// <summary>`terminal run`: the firmware on the virtual board or a Linux board.</summary>
    internal static class RunCommand
    {
        internal static Command Create()
        {
            Command run = new Command("run", "Run the firmware on the virtual board (the default command).");
            run.SetAction(_ =>
            {
                Console.Error.WriteLine("terminal run: the CCID device and host link are not built yet.");
                return 2;
            });
            return run;
        }
    }
}
