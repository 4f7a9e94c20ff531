using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using Terminal.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Fuzz
{
    /// <summary>
    /// A short, bounded AFL++ run of every harness through fuzz/run.sh (SharpFuzz-instrumented
    /// assemblies, the committed corpus as seeds): FUZZ_CI_SECONDS each (20 by default). It must start,
    /// execute inputs and save no crash or hang other than the known findings of
    /// <see cref="FuzzRegressionTests"/> (each crash is replayed in-process to tell). Needs afl-fuzz
    /// (Debian afl++): skips with a message when it is missing, fails when CI=true.
    /// </summary>
    [Collection(Name)]
    public class AflRunTests
    {
        /// <summary>
        /// The collection's name. Its runs go alone, after the parallel tests: with the rest of the suite
        /// loading both cores, AFL++'s dry run has reported "No instrumentation detected" for a build that
        /// runs fine unloaded (fuzz/run.sh also retries that case).
        /// </summary>
        public const string Name = "afl";

        /// <summary>Messages of the findings already reported and kept as skipped regression tests.</summary>
        private static readonly string[] KnownFindings =
        {
        };

        private readonly ITestOutputHelper _out;

        public AflRunTests(ITestOutputHelper output)
        {
            _out = output;
        }

        public static IEnumerable<object[]> HarnessNames()
        {
            foreach (Harness h in HarnessRegistry.All)
            {
                yield return new object[] { h.Name };
            }
        }

        [Theory]
        [MemberData(nameof(HarnessNames))]
        public void Fuzz_Afl_BoundedRun_ExecutesInputs_AndSavesNoNewCrashOrHang(string harness)
        {
            if (!OnPath("afl-fuzz"))
            {
                string message = "skipped: afl-fuzz not found (apt-get install -y afl++)";
                Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), message + " and CI=true");
                _out.WriteLine(message);
                return;
            }
            int seconds = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CI_SECONDS"), out int s) && s > 0 ? s : 20;
            string root = FuzzCorpus.Root;
            var psi = new ProcessStartInfo("bash", $"fuzz/run.sh {harness} {seconds}s")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(psi)!;
            string errors = "";
            var errorReader = new System.Threading.Thread(() => errors = process.StandardError.ReadToEnd());
            errorReader.Start();
            string stdout = process.StandardOutput.ReadToEnd();
            // The first run also builds and instruments the harnesses.
            if (!process.WaitForExit((seconds + 900) * 1000))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"fuzz/run.sh {harness} did not end");
            }
            errorReader.Join();
            _out.WriteLine(stdout.Trim());
            Assert.True(process.ExitCode == 0 || process.ExitCode == 1, $"fuzz/run.sh {harness} exited {process.ExitCode}:\n{Tail(errors)}");

            Match m = Regex.Match(stdout, @"fuzz \S+: (\d+) execs in \d+s \(([\d.]+)/s\), (\d+) paths, (\d+) edges.*, (\d+) crashes, (\d+) hangs");
            Assert.True(m.Success, $"no summary from fuzz/run.sh:\n{stdout}\n{Tail(errors)}");
            Assert.True(long.Parse(m.Groups[1].Value) > 0, "AFL++ executed no input");
            Assert.True(int.Parse(m.Groups[3].Value) > 0, "AFL++ kept no path");
            Assert.Equal("0", m.Groups[6].Value);

            if (process.ExitCode == 1)
            {
                string crashes = Path.Combine(root, "fuzz", "out", harness, "findings", "default", "crashes");
                Harness h = HarnessRegistry.Find(harness)!;
                foreach (string file in Directory.GetFiles(crashes, "id:*"))
                {
                    byte[] input = File.ReadAllBytes(file);
                    try
                    {
                        h.Run(input);
                        Assert.Fail($"{file} crashed under AFL++ but not in-process ({Convert.ToHexString(input)})");
                    }
                    catch (HarnessViolation e) when (Known(e.Message))
                    {
                        _out.WriteLine($"known finding: {e.Message}");
                    }
                    catch (Exception e) when (e is not Xunit.Sdk.XunitException)
                    {
                        Assert.Fail($"new crash in {harness}: {e.GetType().Name}: {e.Message}\ninput {Convert.ToHexString(input)}\n{e.StackTrace}");
                    }
                }
            }
        }

        private static bool Known(string message)
        {
            foreach (string k in KnownFindings)
            {
                if (message.Contains(k, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }

        private static bool OnPath(string tool)
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            {
                if (dir.Length > 0 && File.Exists(Path.Combine(dir, tool)))
                {
                    return true;
                }
            }
            return false;
        }

        private static string Tail(string text)
        {
            string[] lines = text.Split('\n');
            return string.Join("\n", lines, Math.Max(0, lines.Length - 25), Math.Min(25, lines.Length));
        }
    }

    /// <summary>The AFL++ runs, serial and apart from the parallel tests (see <see cref="AflRunTests.Name"/>).</summary>
    [CollectionDefinition(AflRunTests.Name, DisableParallelization = true)]
    public class AflCollection
    {
    }
}
