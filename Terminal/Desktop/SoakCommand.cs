using System;
using System.CommandLine;
using System.Diagnostics;
using Terminal.Desktop.Soak;

namespace Terminal.Desktop
{
    /// <summary>
    /// `terminal soak`: the firmware on the virtual board in virtual time against a seeded random host
    /// (<see cref="SoakRun"/>), for as many host commands as asked. Prints progress, then the summary:
    /// commands, virtual hours, the firmware's allocation per 1000 commands, the seed. Exit 1 with the
    /// seed and the command on the first broken invariant.
    /// </summary>
    internal static class SoakCommand
    {
        internal static Command Create()
        {
            Option<long> commandsOption = new Option<long>("--commands")
            {
                Description = "Host commands to send (default 1 000 000).",
                DefaultValueFactory = _ => 1_000_000,
            };
            Option<int?> seedOption = new Option<int?>("--seed")
            {
                Description = "The seed of the random host and world (default: one from the clock, printed).",
            };
            Option<long> progressOption = new Option<long>("--progress")
            {
                Description = "Print a progress line every N commands (default 1 000 000; 0 for none).",
                DefaultValueFactory = _ => 1_000_000,
            };
            Command soak = new Command("soak", "Soak the firmware on the virtual board in virtual time: random host commands, PIN entries, card movements and faults, with the invariants checked after every command.");
            soak.Options.Add(commandsOption);
            soak.Options.Add(seedOption);
            soak.Options.Add(progressOption);
            soak.SetAction(parseResult => Run(
                parseResult.GetValue(commandsOption),
                parseResult.GetValue(seedOption) ?? Environment.TickCount & 0x7FFFFFFF,
                parseResult.GetValue(progressOption)));
            return soak;
        }

        internal static int Run(long commands, int seed, long progress)
        {
            if (commands <= 0)
            {
                Console.Error.WriteLine("terminal soak: --commands must be positive.");
                return 2;
            }
            Console.Out.WriteLine($"soak seed {seed}: {commands} host commands");
            Stopwatch wall = Stopwatch.StartNew();
            SoakRun? run = null;
            try
            {
                run = new SoakRun(seed);
                long next = progress > 0 ? progress : commands;
                while (run.Commands < commands)
                {
                    run.Run(Math.Min(commands, next));
                    if (progress > 0 && run.Commands < commands)
                    {
                        Console.Out.WriteLine($"  {run.Commands} commands, {run.VirtualHours:F2} virtual hours, {wall.Elapsed.TotalSeconds:F0} s, {run.Commands / wall.Elapsed.TotalSeconds:F0} commands/s, firmware {run.BytesPerThousandCommands:F1} B per 1000 commands after warm-up");
                        Console.Out.Flush();
                    }
                    next += progress;
                }
            }
            catch (SoakFailure e)
            {
                Console.Out.WriteLine("FAILED: " + e.Message);
                Console.Out.WriteLine(run?.Summary() ?? "(during the start-up)");
                return 1;
            }
            Console.Out.WriteLine(run.Summary());
            Console.Out.WriteLine($"wall time {wall.Elapsed.TotalSeconds:F1} s ({run.Commands / wall.Elapsed.TotalSeconds:F0} commands/s)");
            foreach (SoakRun.Kind kind in Enum.GetValues<SoakRun.Kind>())
            {
                if (kind != SoakRun.Kind.Count && run.AllocationOf(kind) != 0)
                {
                    Console.Out.WriteLine($"  firmware allocation by {kind} commands: {run.AllocationOf(kind)} B over {run.CountOf(kind)}");
                }
            }
            foreach (string sample in run.AllocationSamples)
            {
                Console.Out.WriteLine("  allocated during " + sample);
            }
            bool clean = run.FirmwareBytesAfterWarmUp == 0;
            Console.Out.WriteLine(clean ? "result: clean (every invariant held, 0 B allocated by the firmware after warm-up)" : "result: FAILED (the firmware allocated after warm-up)");
            return clean ? 0 : 1;
        }
    }
}
