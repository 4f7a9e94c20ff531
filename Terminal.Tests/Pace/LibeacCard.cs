using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Terminal.Simulator;
using Terminal.Tests.Boards;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Pace
{
    /// <summary>
    /// The independent PACE card of hardware/pace-card (C on Debian's libeac), built by the tests into a temporary
    /// directory and run as a vpcd-protocol card connected to a bridge slot of a virtual board (slot 1, T=1).
    /// </summary>
    internal sealed class LibeacCard : IDisposable
    {
        private static readonly object BuildLock = new object();
        private static string? _binary;
        private static string? _buildError;

        public readonly VirtualBoard Board = new VirtualBoard();
        public readonly VpcdBridge Bridge;
        private readonly Process _process;
        private readonly StringWriter _stderr = new StringWriter();

        private LibeacCard(string binary, string arguments)
        {
            Bridge = VpcdBridge.Listen(0);
            Bridge.AttachTo(Board.Slots[1], BridgeProtocol.T1);
            var start = new ProcessStartInfo(binary, $"--port {Bridge.Port} {arguments}")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            _process = Process.Start(start)!;
            _process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_stderr) { _stderr.WriteLine(e.Data); } } };
            _process.BeginErrorReadLine();
            Assert.True(SpinWait.SpinUntil(() => Board.Slots[1].Line.CardPresent, 10000),
                $"the libeac card did not connect to the bridge: {Stderr}");
        }

        public string Stderr { get { lock (_stderr) { return _stderr.ToString(); } } }

        /// <summary>The card (and its channel at T=1), or null with a message when libeac or gcc is missing
        /// (a failure under CI=true).</summary>
        public static LibeacCard? Start(ITestOutputHelper output, string arguments = "")
        {
            string? binary = Binary(output);
            return binary == null ? null : new LibeacCard(binary, arguments);
        }

        /// <summary>The built card program, or null with a message when libeac or gcc is missing (a failure under
        /// CI=true). Tests that run it against another bridge (`terminal run --slot1 vicc:...`) start it themselves.</summary>
        public static string? Binary(ITestOutputHelper output)
        {
            string? binary = Build();
            if (binary == null)
            {
                string message = $"skipped: libeac card not built: {_buildError} (apt-get install -y libeac-dev gcc)";
                Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase), message + " and CI=true");
                output.WriteLine(message);
            }
            return binary;
        }

        /// <summary>The card process dies (the card is pulled out): the bridge removes it from the slot when it notices.</summary>
        public void Kill()
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        public T1SlotChannel PowerUp() => T1SlotChannel.PowerUp(Board, 1);

        private static string? Build()
        {
            lock (BuildLock)
            {
                if (_binary != null || _buildError != null) { return _binary; }
                if (!File.Exists("/usr/include/eac/pace.h")) { _buildError = "/usr/include/eac/pace.h not found"; return null; }
                if (!File.Exists("/usr/bin/gcc") && !File.Exists("/usr/bin/cc")) { _buildError = "no C compiler"; return null; }
                string dir = Directory.CreateTempSubdirectory("pace-card-").FullName;
                var make = new ProcessStartInfo("make", $"-C {Repository.PathOf("hardware/pace-card")} OUT={dir}")
                {
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                    UseShellExecute = false,
                };
                using Process p = Process.Start(make)!;
                string err = p.StandardError.ReadToEnd();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                string bin = Path.Combine(dir, "pace-card");
                if (p.ExitCode != 0 || !File.Exists(bin))
                {
                    // With the headers present a failed build is a real failure, not a skip.
                    Assert.Fail($"make of hardware/pace-card failed: {err}");
                }
                _binary = bin;
                return bin;
            }
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited) { _process.Kill(); _process.WaitForExit(5000); }
            }
            catch (InvalidOperationException)
            {
            }
            _process.Dispose();
            Bridge.Dispose();
        }
    }
}
