using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using Terminal.HostLink;

namespace Terminal.Desktop.Run
{
    /// <summary>The desktop wall clock for host-side timeouts.</summary>
    internal sealed class WallClock : IWallClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMilliseconds => _watch.ElapsedMilliseconds;
    }

    /// <summary>Plain log lines on standard error, filtered by level.</summary>
    internal sealed class Logger
    {
        private readonly int _level;
        private readonly object _lock = new object();

        public Logger(string level)
        {
            _level = level.ToLowerInvariant() switch
            {
                "error" => 0,
                "warning" or "warn" => 1,
                "debug" or "trace" => 3,
                _ => 2,
            };
        }

        public bool DebugEnabled => _level >= 3;

        public void Error(string text) => Write(0, "error", text);

        public void Warning(string text) => Write(1, "warning", text);

        public void Info(string text) => Write(2, "info", text);

        public void Debug(string text) => Write(3, "debug", text);

        private void Write(int level, string name, string text)
        {
            if (level > _level)
            {
                return;
            }
            lock (_lock)
            {
                Console.Error.WriteLine(DateTime.UtcNow.ToString("HH:mm:ss.fff") + " " + name + ": " + text);
            }
        }
    }

    /// <summary>
    /// The `--trace` file: one line a CCID message or link event, UTC timestamps in microseconds.
    /// Only CCID messages cross the link: the PIN typed on the reader's keypad never does. What a host sends
    /// with a PIN in it (a clear VERIFY, an EstablishPACEChannel with its password) is written masked
    /// (<see cref="Terminal.Tracing.PinMask"/>).
    /// </summary>
    internal sealed class TextTrace : ILinkTrace, IDisposable
    {
        private readonly StreamWriter? _file;
        private readonly Logger? _log;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly DateTime _start = DateTime.UtcNow;
        private readonly object _lock = new object();

        public TextTrace(string? path, Logger? debugLog)
        {
            if (path != null)
            {
                _file = new StreamWriter(path, false, new UTF8Encoding(false)) { AutoFlush = true };
                _file.WriteLine("# terminal trace: time, direction (> host to reader, < reader to host, * event), CCID message in hex");
            }
            _log = debugLog != null && debugLog.DebugEnabled ? debugLog : null;
        }

        public void Message(bool fromHost, byte[] buffer, int offset, int length)
        {
            string hex;
            if (fromHost)
            {
                byte[] copy = new byte[length];
                System.Array.Copy(buffer, offset, copy, 0, length);
                Terminal.Tracing.PinMask.MaskCcidMessage(copy, 0, length);
                hex = Convert.ToHexString(copy);
                System.Array.Clear(copy);
            }
            else
            {
                hex = Convert.ToHexString(buffer, offset, length);
            }
            Write(Stamp() + (fromHost ? " > " : " < ") + hex);
        }

        public void Event(string text)
        {
            Write(Stamp() + " * " + text);
        }

        private string Stamp()
        {
            return _start.AddTicks(_watch.Elapsed.Ticks).ToString("HH:mm:ss.ffffff");
        }

        private void Write(string line)
        {
            lock (_lock)
            {
                _file?.WriteLine(line);
            }
            _log?.Debug(line);
        }

        public void Dispose()
        {
            lock (_lock)
            {
                _file?.Dispose();
            }
        }
    }
}
