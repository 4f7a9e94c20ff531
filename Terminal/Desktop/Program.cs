using System;
using System.CommandLine;

namespace Terminal.Desktop
{
    /// <summary>The `terminal` command: the firmware on a desktop or a Linux board, and its tools.</summary>
    /// <remarks>Each subcommand lives in its own file (RunCommand.cs, AtrCommand.cs, ...).</remarks>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            RootCommand root = new RootCommand(
                "Open firmware for dual-slot health-card reader terminals (Carte Vitale + CPx), " +
                "seen by the host as a PC/SC reader over CCID.");
            root.Subcommands.Add(RunCommand.Create());
            root.Subcommands.Add(AtrCommand.Create());
            root.Subcommands.Add(SelfTestCommand.Create());
            root.Subcommands.Add(ConformanceCommand.Create());
            root.Subcommands.Add(CcidTestCommand.Create());
            root.Subcommands.Add(SoakCommand.Create());
            return root.Parse(WithDefaultCommand(args)).Invoke();
        }

        /// <summary>`terminal` alone, or with only options of `run`, means `terminal run`.</summary>
        internal static string[] WithDefaultCommand(string[] args)
        {
            if (args.Length > 0)
            {
                string first = args[0];
                bool isOption = first.StartsWith("-", StringComparison.Ordinal);
                bool isRootOption = first == "--help" || first == "-h" || first == "-?" || first == "--version";
                if (!isOption || isRootOption)
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
