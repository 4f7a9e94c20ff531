using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Xunit;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>All tests that start pcscd: one pcscd per machine (fixed socket), so they never run in parallel.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class PcscdCollection
    {
        public const string Name = "pcscd";
    }

    /// <summary>
    /// The stock PC/SC stack of Debian (pcscd, libccid's serial driver, pcsc-tools, pyscard) driven
    /// by a test: a reader.conf in a temporary directory, pcscd in the foreground, clients started
    /// and stopped by PID (design/pcsc-serial.md).
    /// </summary>
    public sealed class PcscStack : IDisposable
    {
        public const string Pcscd = "/usr/sbin/pcscd";
        public const string Driver = "/usr/lib/pcsc/drivers/serial/libccidtwin.so";
        public const string PcscScan = "/usr/bin/pcsc_scan";
        public const string Python = "/usr/bin/python3";

        private Process? _pcscd;
        private readonly StringBuilder _log = new StringBuilder();

        public PcscStack()
        {
            Directory = Path.Combine(Path.GetTempPath(), "terminal-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            System.IO.Directory.CreateDirectory(Directory);
        }

        /// <summary>The temporary directory holding reader.conf, scripts and logs.</summary>
        public string Directory { get; }

        /// <summary>pcscd's output so far (for failure messages).</summary>
        public string Log
        {
            get { lock (_log) { return _log.ToString(); } }
        }

        /// <summary>
        /// Null when pcscd, the serial driver, pcsc_scan and pyscard are installed; otherwise the
        /// reason. Tests skip with it locally and fail when CI=true.
        /// </summary>
        public static string? Missing()
        {
            foreach (string path in new[] { Pcscd, Driver, PcscScan, Python })
            {
                if (!File.Exists(path))
                {
                    return "missing " + path + " (apt-get install -y pcscd libccid pcsc-tools python3-pyscard)";
                }
            }
            if (!System.IO.Directory.Exists("/usr/lib/python3/dist-packages/smartcard"))
            {
                return "missing pyscard for /usr/bin/python3 (apt-get install -y python3-pyscard)";
            }
            return null;
        }

        /// <summary>
        /// True when the stack is installed. Otherwise, locally, says why on standard error and returns
        /// false (xunit 2 has no dynamic skip: the test returns at once); with CI=true it fails.
        /// </summary>
        public static bool Installed()
        {
            string? missing = Missing();
            if (missing == null)
            {
                return true;
            }
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail("CI=true and the PC/SC stack is missing: " + missing);
            }
            Console.Error.WriteLine("SKIPPED (PC/SC stack not installed): " + missing);
            return false;
        }

        /// <summary>Starts pcscd with one reader.conf entry for <paramref name="device"/> of reader type <paramref name="readerType"/>.</summary>
        public void Start(string device, string readerType)
        {
            string conf = Path.Combine(Directory, "reader.conf.d");
            System.IO.Directory.CreateDirectory(conf);
            File.WriteAllText(Path.Combine(conf, "terminal"),
                "FRIENDLYNAME  \"Terminal\"\n" +
                "DEVICENAME    " + device + ":" + readerType + "\n" +
                "LIBPATH       " + Driver + "\n");
            WaitForOldPcscdGone();
            ProcessStartInfo psi = new ProcessStartInfo(Pcscd)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in new[] { "--foreground", "--debug", "--apdu", "--config", conf })
            {
                psi.ArgumentList.Add(a);
            }
            psi.Environment["LIBCCID_ifdLogLevel"] = "0x0007";
            _pcscd = Process.Start(psi)!;
            _pcscd.OutputDataReceived += (_, e) => Append(e.Data);
            _pcscd.ErrorDataReceived += (_, e) => Append(e.Data);
            _pcscd.BeginOutputReadLine();
            _pcscd.BeginErrorReadLine();
            // pcscd answers clients once its socket exists and the reader has been opened.
            DateTime deadline = DateTime.UtcNow.AddSeconds(15);
            while (DateTime.UtcNow < deadline && !File.Exists("/run/pcscd/pcscd.comm"))
            {
                Thread.Sleep(50);
            }
            Thread.Sleep(1500);
        }

        private void Append(string? line)
        {
            if (line != null)
            {
                lock (_log)
                {
                    _log.AppendLine(line);
                }
            }
        }

        private static void WaitForOldPcscdGone()
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline && File.Exists("/run/pcscd/pcscd.pid"))
            {
                string pid = File.ReadAllText("/run/pcscd/pcscd.pid").Trim();
                if (!System.IO.Directory.Exists("/proc/" + pid))
                {
                    break;
                }
                Thread.Sleep(100);
            }
        }

        /// <summary>Runs a client to completion (or kills it by PID after the timeout) and returns its output.</summary>
        public static (int Code, string Output) Run(string file, int timeoutSeconds, params string[] args) => Run(file, timeoutSeconds, null, args);

        /// <summary>As <see cref="Run(string, int, string[])"/>, with extra environment variables for the client (e.g. OPENSC_CONF).</summary>
        public static (int Code, string Output) Run(string file, int timeoutSeconds, IReadOnlyDictionary<string, string>? environment, params string[] args)
        {
            ProcessStartInfo psi = new ProcessStartInfo(file)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string a in args)
            {
                psi.ArgumentList.Add(a);
            }
            if (environment != null)
            {
                foreach (KeyValuePair<string, string> e in environment)
                {
                    psi.Environment[e.Key] = e.Value;
                }
            }
            using Process p = Process.Start(psi)!;
            StringBuilder output = new StringBuilder();
            p.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
            p.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.AppendLine(e.Data); } } };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            if (!p.WaitForExit(timeoutSeconds * 1000))
            {
                Signal(p.Id, 15);
                if (!p.WaitForExit(3000))
                {
                    p.Kill();
                }
                p.WaitForExit();
                return (-1, output.ToString());
            }
            p.WaitForExit();
            lock (output)
            {
                return (p.ExitCode, output.ToString());
            }
        }

        /// <summary>Writes a pyscard script in the temporary directory and runs it with Debian's python.</summary>
        public (int Code, string Output) Python3(string script, int timeoutSeconds)
        {
            string path = Path.Combine(Directory, "client-" + Guid.NewGuid().ToString("N").Substring(0, 6) + ".py");
            File.WriteAllText(path, script);
            return Run(Python, timeoutSeconds, path);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int sig);

        /// <summary>Sends a signal to a process by PID.</summary>
        public static void Signal(int pid, int signal)
        {
            kill(pid, signal);
        }

        /// <summary>Stops pcscd with SIGTERM by PID and waits for it to exit.</summary>
        public void Stop()
        {
            Process? p = _pcscd;
            _pcscd = null;
            if (p == null)
            {
                return;
            }
            if (!p.HasExited)
            {
                Signal(p.Id, 15);
                if (!p.WaitForExit(10000))
                {
                    p.Kill();
                }
            }
            p.WaitForExit();
            p.Dispose();
        }

        public void Dispose()
        {
            Stop();
            try
            {
                System.IO.Directory.Delete(Directory, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
