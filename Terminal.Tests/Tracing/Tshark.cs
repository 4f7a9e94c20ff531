using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace Terminal.Tests.Tracing
{
    /// <summary>Runs Debian's tshark on a capture file; absent tshark skips locally and fails under CI=true.</summary>
    internal static class Tshark
    {
        public const string Path = "/usr/bin/tshark";

        public static bool Available(out string why)
        {
            why = "";
            if (File.Exists(Path))
            {
                return true;
            }
            why = "tshark is not installed (apt-get install tshark)";
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), why + " and CI=true");
            return false;
        }

        /// <summary>tshark's output for the arguments; fails the test on a non-zero exit.</summary>
        public static string Run(params string[] arguments)
        {
            ProcessStartInfo start = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in arguments)
            {
                start.ArgumentList.Add(a);
            }
            start.Environment["HOME"] = System.IO.Path.GetTempPath(); // no user profile, no recent-files writes
            using Process process = Process.Start(start)!;
            System.Threading.Tasks.Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            string stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60000), "tshark did not finish");
            Assert.True(process.ExitCode == 0, "tshark failed: " + stderr);
            return stdout.Result;
        }
    }
}
