using System;
using System.CommandLine;

namespace Terminal.Desktop
{
    /// <summary>The `terminal` command: the firmware on a desktop or a Linux board, and its tools.</summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            RootCommand root = new RootCommand(
                "Open firmware for dual-slot health-card reader terminals (Carte Vitale + CPx), " +
                "seen by the host as a PC/SC reader over CCID.");

            Command run = new Command("run", "Run the firmware on the virtual board (the default command).");
            run.SetAction(_ =>
            {
                Console.Error.WriteLine("terminal run: the CCID device and host link are not built yet.");
                return 2;
            });
            root.Subcommands.Add(run);

            Command atr = new Command("atr", "Decode an Answer-to-Reset (hex), or one a line from standard input with '-'.");
            atr.SetAction(_ =>
            {
                Console.Error.WriteLine("terminal atr: the ATR decoder is not built yet.");
                return 2;
            });
            root.Subcommands.Add(atr);

            return root.Parse(WithDefaultCommand(args)).Invoke();
        }

        /// <summary>`terminal` alone, or with only options of `run`, means `terminal run`.</summary>
        internal static string[] WithDefaultCommand(string[] args)
        {
            if (args.Length > 0)
            {
                string first = args[0];
                if (!first.StartsWith("-", StringComparison.Ordinal) || first == "--help" || first == "-h" || first == "-?" || first == "--version")
                {
                    return args;
                }
            }
            string[] result = new string[args.Length + 1];
            result[0] = "run";
            Array.Copy(args, 0, result, 1, args.Length);
            return result;
        }
    }
}
