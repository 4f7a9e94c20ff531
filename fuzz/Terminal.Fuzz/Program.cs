using System;
using System.IO;
using SharpFuzz;

namespace Terminal.Fuzz
{
    /// <summary>
    /// <c>Terminal.Fuzz list</c>: the harnesses. <c>Terminal.Fuzz &lt;harness&gt;</c>: under afl-fuzz, the
    /// SharpFuzz fork server (one input from stdin per execution); outside it, one input from stdin.
    /// <c>Terminal.Fuzz &lt;harness&gt; FILE|DIR...</c>: replays files (a crash is printed with its
    /// exception, exit code 1). <c>Terminal.Fuzz seeds DIR</c>: writes the seed corpus.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length == 0 || args[0] == "-h" || args[0] == "--help")
            {
                Console.Error.WriteLine("usage: Terminal.Fuzz list | seeds DIR | <harness> [FILE|DIR...]");
                return args.Length == 0 ? 2 : 0;
            }
            if (args[0] == "list")
            {
                foreach (Harness h in HarnessRegistry.All)
                {
                    Console.WriteLine($"{h.Name,-11} {h.Description}");
                }
                return 0;
            }
            if (args[0] == "seeds")
            {
                if (args.Length != 2)
                {
                    Console.Error.WriteLine("usage: Terminal.Fuzz seeds DIR");
                    return 2;
                }
                int written = Seeds.Write(args[1]);
                Console.WriteLine($"{written} seed files written under {args[1]}");
                return 0;
            }
            Harness? harness = HarnessRegistry.Find(args[0]);
            if (harness == null)
            {
                Console.Error.WriteLine($"no harness '{args[0]}' (try: list)");
                return 2;
            }
            if (args.Length == 1)
            {
                // Under afl-fuzz: the in-process fork server (a hang is bounded by the harness's step budget).
                Fuzzer.Run(stream =>
                {
                    using var memory = new MemoryStream();
                    stream.CopyTo(memory);
                    harness.Run(memory.ToArray());
                });
                return 0;
            }
            return Replay(harness, args);
        }

        private static int Replay(Harness harness, string[] args)
        {
            int failures = 0;
            int count = 0;
            for (int i = 1; i < args.Length; i++)
            {
                string[] files = Directory.Exists(args[i]) ? Directory.GetFiles(args[i]) : new[] { args[i] };
                Array.Sort(files, StringComparer.Ordinal);
                foreach (string file in files)
                {
                    count++;
                    try
                    {
                        string outcome = harness.Run(File.ReadAllBytes(file));
                        Console.WriteLine($"ok    {Path.GetFileName(file)}: {outcome}");
                    }
                    catch (Exception e)
                    {
                        failures++;
                        Console.WriteLine($"CRASH {Path.GetFileName(file)}: {e.GetType().Name}: {e.Message}");
                        Console.WriteLine(e.StackTrace);
                    }
                }
            }
            Console.WriteLine($"{count} inputs, {failures} crashes");
            return failures == 0 ? 0 : 1;
        }
    }
}
