using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using Xunit;

namespace Terminal.Tests.EndToEnd
{
    /// <summary>`terminal run` as a separate process (the built terminal.dll via `dotnet`), stopped by PID with SIGTERM.</summary>
    public sealed class TerminalProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new StringBuilder();

        private TerminalProcess(Process process)
        {
            _process = process;
        }

        /// <summary>Everything the process printed (standard output and error).</summary>
        public string Output
        {
            get { lock (_output) { return _output.ToString(); } }
        }

        public int Pid => _process.Id;

        /// <summary>The built terminal.dll: beside the tests (copied as a project reference) or in Terminal/bin.</summary>
        public static string TerminalDll()
        {
            string beside = Path.Combine(AppContext.BaseDirectory, "terminal.dll");
            if (File.Exists(beside) && File.Exists(Path.Combine(AppContext.BaseDirectory, "terminal.runtimeconfig.json")))
            {
                return beside;
            }
            string config = AppContext.BaseDirectory.Contains("/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";
            return Path.Combine(Repository.Root, "Terminal", "bin", config, "net10.0", "terminal.dll");
        }

        /// <summary>Starts `terminal run` with <paramref name="arguments"/> and waits until it says it is ready.</summary>
        public static TerminalProcess Start(params string[] arguments)
        {
            ProcessStartInfo psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(TerminalDll());
            psi.ArgumentList.Add("run");
            foreach (string a in arguments)
            {
                psi.ArgumentList.Add(a);
            }
            TerminalProcess t = new TerminalProcess(Process.Start(psi)!);
            t._process.OutputDataReceived += (_, e) => t.Append(e.Data);
            t._process.ErrorDataReceived += (_, e) => t.Append(e.Data);
            t._process.BeginOutputReadLine();
            t._process.BeginErrorReadLine();
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (!t.Output.Contains("terminal: ready", StringComparison.Ordinal))
            {
                if (t._process.HasExited || DateTime.UtcNow > deadline)
                {
                    string output = t.Output;
                    t.Dispose();
                    Assert.Fail("terminal run did not become ready:\n" + output);
                }
                Thread.Sleep(50);
            }
            return t;
        }

        private void Append(string? line)
        {
            if (line != null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        /// <summary>Sends a control line (remove N, insert N, keys ..., quit) to the headless terminal.</summary>
        public void Send(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        /// <summary>SIGTERM by PID; returns the exit code (-1 if it had to be killed).</summary>
        public int Stop()
        {
            if (_process.HasExited)
            {
                return _process.ExitCode;
            }
            PcscStack.Signal(_process.Id, 15);
            if (!_process.WaitForExit(15000))
            {
                _process.Kill();
                _process.WaitForExit();
                return -1;
            }
            _process.WaitForExit();
            return _process.ExitCode;
        }

        /// <summary>SIGKILL by PID: the process dies as in a crash, without cleaning up.</summary>
        public void Crash()
        {
            PcscStack.Signal(_process.Id, 9);
            _process.WaitForExit();
        }

        public void Dispose()
        {
            Stop();
            _process.Dispose();
        }
    }
}
