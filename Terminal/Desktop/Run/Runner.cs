using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Terminal.Boards;
using Terminal.Core;
using Terminal.Desktop.Boards;
using Terminal.Ccid;
using Terminal.HostLink;
using Terminal.Pace;
using Terminal.PinPad;
using Terminal.Simulator;
using Terminal.Slots;
using Terminal.Tracing;

namespace Terminal.Desktop.Run
{
    /// <summary>
    /// Wires the firmware for `terminal run`: board, slots, CCID device, host link; prints where the
    /// host connects; runs until Ctrl-C, SIGTERM or `quit`. Headless (standard input not a terminal)
    /// it reads control lines from standard input: `remove N`, `insert N [card]`, `keys SCRIPT`, `quit`.
    /// </summary>
    internal static class Runner
    {
        internal const string Firmware = ReaderCore.FirmwareId;
        internal const string DriverPath = "/usr/lib/pcsc/drivers/serial/libccidtwin.so";

        internal static int Run(RunOptions options)
        {
            return Run(options, KernelHardware.Instance, Console.In);
        }

        /// <summary>
        /// `terminal run` with the Linux board's GPIO and PWM opened through <paramref name="linux"/> and the
        /// headless control lines read from <paramref name="control"/> (tests give stand-ins for both).
        /// </summary>
        internal static int Run(RunOptions options, ILinuxHardware linux, TextReader control)
        {
            Logger log = new Logger(options.LogLevel);
            ReaderProfile? profile = ReaderProfile.FromName(options.Profile);
            if (profile == null || profile == ReaderProfile.NativeUsb)
            {
                Console.Error.WriteLine("terminal run: --profile must be sec1210 or gempcpinpad, not '" + options.Profile + "'.");
                return 2;
            }
            if (options.ClearPin != "refuse" && options.ClearPin != "allow")
            {
                Console.Error.WriteLine("terminal run: --clear-pin must be refuse or allow.");
                return 2;
            }
            if (options.Board.StartsWith("linux:", StringComparison.Ordinal))
            {
                return RunLinux(options, profile, linux, control, log);
            }
            if (options.Board != "virtual")
            {
                Console.Error.WriteLine("terminal run: --board must be virtual or linux:<board file>.");
                return 2;
            }
            return RunVirtual(options, profile, control, log);
        }

        private static int RunVirtual(RunOptions options, ReaderProfile profile, TextReader control, Logger log)
        {
            bool interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;

            Terminal.Simulator.VirtualBoard board = new Terminal.Simulator.VirtualBoard();
            VirtualCard?[] cards = new VirtualCard?[board.Slots.Length];
            string[] specs = new[] { options.Slot0 ?? "vitale2", options.Slot1 ?? "cps3" };
            for (int i = 0; i < cards.Length && i < specs.Length; i++)
            {
                string? error = CreateCard(specs[i], board.Slots[i], log, out cards[i]);
                if (error != null)
                {
                    Console.Error.WriteLine("terminal run: --slot" + i + ": " + error);
                    return 2;
                }
                if (cards[i] != null)
                {
                    board.Slots[i].Insert(cards[i]!);
                }
            }
            bool realTime = options.Pace == null ? interactive : options.Pace == "real";
            board.Clock.RealTimePacing = realTime;
            if (options.Keys != null)
            {
                board.Keypad.Script(options.Keys);
            }

            IBoard ib = new Terminal.Desktop.VirtualBoard.VirtualBoardBinding(board);
            IByteStream stream;
            IDisposable streamOwner;
            string linkSpec = options.Link ?? "pty";
            try
            {
                stream = OpenLink(linkSpec, profile, out streamOwner);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException || e is System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine("terminal run: --link " + linkSpec + ": " + e.Message);
                return 2;
            }
            string description = "slot 0: " + Describe(cards[0]) + ", slot 1: " + Describe(cards.Length > 1 ? cards[1] : null) + (realTime ? ", real-time pacing" : ", free-running virtual time");
            return Serve(options, profile, ib, stream, streamOwner, new VirtualTraceClock(board.Clock), log, description,
                interactive ? core => ConsoleLoop(board, cards, core.Stop) : core => ControlLoop(board, cards, log, control, core.Stop));
        }

        private static int RunLinux(RunOptions options, ReaderProfile profile, ILinuxHardware linux, TextReader control, Logger log)
        {
            // What the virtual board simulates, a real board has: refuse it rather than ignore it.
            string? simulatedOnly = options.Slot0 != null ? "--slot0" : options.Slot1 != null ? "--slot1" : options.Keys != null ? "--keys"
                : options.Pace != null ? "--pace" : options.Link != null ? "--link" : null;
            if (simulatedOnly != null)
            {
                Console.Error.WriteLine("terminal run: " + simulatedOnly + " is for the virtual board; a Linux board has real slots and keypad, and its host link is host.uart of the board file.");
                return 2;
            }
            if (!LinuxBoard.TryCreate(options.Board, linux, out DriverBoard? board, out IDisposable? hardware, out string error) || board == null || hardware == null)
            {
                Console.Error.WriteLine("terminal run: " + error);
                return 2;
            }
            BoardConfig config = board.Config;
            string suffix = profile == ReaderProfile.GemPcPinPad ? "GemPCPinPad" : "SEC1210";
            Console.Out.WriteLine("Host link: " + config.HostUart + " " + config.HostBaudRate + " 8" + ParityLetter(config.HostParity) + config.HostStopBits + " (host.uart of board " + config.Name + ")");
            Console.Out.WriteLine("reader.conf for pcscd on the host PC, DEVICENAME its end of that line (a USB-UART bridge: /dev/ttyUSB0):");
            Console.Out.WriteLine("FRIENDLYNAME  \"Terminal\"");
            Console.Out.WriteLine("DEVICENAME    /dev/ttyUSB0:" + suffix);
            Console.Out.WriteLine("LIBPATH       " + DriverPath);
            MatrixKeypad? keypad = board.KeypadDriver;
            keypad?.Start();
            return Serve(options, profile, board, new HostPortStream(board.HostPort), new BoardLease(keypad, hardware), new StopwatchTraceClock(), log, "board " + config.Name,
                core =>
                {
                    core.ShowIdle();
                    ControlLoop(null, null, log, control, core.Stop);
                });
        }

        /// <summary>At the end of a Linux board run: the keypad scan stopped first, then every pin and port closed.</summary>
        private sealed class BoardLease : IDisposable
        {
            private readonly MatrixKeypad? _keypad;
            private readonly IDisposable _hardware;

            public BoardLease(MatrixKeypad? keypad, IDisposable hardware)
            {
                _keypad = keypad;
                _hardware = hardware;
            }

            public void Dispose()
            {
                _keypad?.Stop();
                _hardware.Dispose();
            }
        }

        /// <summary>
        /// The part every board shares: the trace, the firmware core (<see cref="ReaderCore"/>) on the board
        /// and the host stream, logging, signals, the control thread, then the link until stopped.
        /// </summary>
        private static int Serve(RunOptions options, ReaderProfile profile, IBoard board, IByteStream stream, IDisposable streamOwner,
            ITraceClock traceClock, Logger log, string description, Action<ReaderCore> controlLoop)
        {
            // Whatever happens, the link (and on a real board every pin and port) is closed on the way out.
            using (streamOwner)
            {
                FileTraceSink? pcapngFile = null;
                TextTrace trace;
                try
                {
                    // --trace FILE.pcapng: both links in one Wireshark capture; any other name: the text trace.
                    bool pcapngWanted = options.Trace != null && options.Trace.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase);
                    pcapngFile = pcapngWanted ? new FileTraceSink(options.Trace!) : null;
                    trace = new TextTrace(pcapngWanted ? null : options.Trace, log);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    pcapngFile?.Dispose();
                    Console.Error.WriteLine("terminal run: --trace " + options.Trace + ": " + e.Message);
                    return 2;
                }
                using IDisposable? pcapngOwner = pcapngFile;
                using TextTrace textTrace = trace;
                PcapngTrace? pcapng = null;
                if (pcapngFile != null)
                {
                    CcidDescriptors.BoardFacts facts = CcidDescriptors.BoardFacts.From(board.SlotCount, board.VoltageSupport, board.GetCardLine(0).ClockHz, board.MaxDataRate);
                    facts.PinSupport = ReaderCore.PinSupport(board, true);
                    byte[] configuration = CcidDescriptors.ConfigurationDescriptor(facts);
                    pcapng = new PcapngTrace(pcapngFile, board.SlotCount, configuration, Firmware, traceClock.NowMicroseconds);
                }
                ReaderCore core = new ReaderCore(board, stream, new WallClock(), profile, options.ClearPin == "refuse", pcapng, pcapng == null ? null : traceClock);
                if (pcapng == null)
                {
                    core.Link.Trace = trace;
                }
                CcidPace? pace = core.EnablePace(Terminal.Iso7816.Desktop.DesktopCipherFactory.Instance, new DesktopEcProvider());
                if (pace != null)
                {
                    pace.Event = (slot, kind, result, session) => log.Info(DescribePace(pace, slot, kind, result, session));
                }
                core.Device.ProfileChanged += p => log.Info("the host's driver asks for reader type " + p.Name + ": switched profile");
                if (core.PinPad != null)
                {
                    core.PinPad.OperationFinished = (r, clear) =>
                    {
                        if (clear)
                        {
                            log.Info(ReaderCore.Describe(r, clear));
                        }
                        else
                        {
                            log.Error(ReaderCore.Describe(r, clear));
                        }
                    };
                }

                using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; log.Info("SIGTERM: shutting down"); core.Stop(); });
                using PosixSignalRegistration intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; log.Info("interrupted: shutting down"); core.Stop(); });

                log.Info("firmware " + Firmware + ", profile " + profile.Name + ", " + description);
                Thread console = new Thread(() => controlLoop(core)) { IsBackground = true, Name = "control" };
                console.Start();
                Console.Out.WriteLine("terminal: ready");
                Console.Out.Flush();

                core.Run();

                log.Info("stopped: frames " + core.Link.FramesReceived + ", NAKs " + core.Link.NaksSent + ", time requests " + core.Link.TimeRequestsSent);
                return 0;
            }
        }

        // Never the password or a key: the Result, the MSE status, whether keys are held, the buffers.
        private static string DescribePace(CcidPace pace, int slot, PaceEvent kind, uint result, PaceSession session)
        {
            if (kind == PaceEvent.Established)
            {
                string clear = pace.Service.BuffersAreClear ? "password buffers clear" : "PASSWORD BUFFERS NOT CLEAR";
                string mse = pace.Service.MseStatus < 0 ? "none" : pace.Service.MseStatus.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
                return $"PACE slot {slot}: EstablishPACEChannel Result {result:X8}, MSE:Set AT {mse}, channel {(session.IsOpen ? "open" : "closed")}, {clear}";
            }
            string end = kind == PaceEvent.Destroyed ? "destroyed" : "ended";
            string keys = session.HoldsNoKeys ? ", keys wiped" : ", KEYS HELD";
            string error = session.LastChannelError != 0 ? $" (SM error {session.LastChannelError})" : "";
            return $"PACE slot {slot}: channel {end}{keys}{error}";
        }

        private static char ParityLetter(SerialParity parity)
        {
            return parity == SerialParity.Even ? 'E' : parity == SerialParity.Odd ? 'O' : 'N';
        }

        private static IByteStream OpenLink(string spec, ReaderProfile profile, out IDisposable owner)
        {
            string suffix = profile == ReaderProfile.GemPcPinPad ? "GemPCPinPad" : "SEC1210";
            if (spec == "pty" || spec.StartsWith("pty:", StringComparison.Ordinal))
            {
                PtyStream pty;
                if (spec.Length > 4)
                {
                    // A named pty outlives a crashed firmware process, so that pcscd recovers (PtyKeeper).
                    string path = spec.Substring(4);
                    int fd = PtyKeeper.Attach(path, out System.Net.Sockets.Socket keeper, out bool started);
                    pty = new PtyStream(fd, path);
                    owner = new KeeperLease(pty, keeper);
                    if (!started)
                    {
                        Console.Out.WriteLine("Host link: took over the pseudo-terminal kept at " + path);
                    }
                }
                else
                {
                    pty = new PtyStream(null);
                    owner = pty;
                }
                Console.Out.WriteLine("Host link: pseudo-terminal " + pty.HostPath + (pty.HostPath != pty.SlavePath ? " -> " + pty.SlavePath : ""));
                Console.Out.WriteLine("reader.conf for pcscd (pcscd --foreground --config <file or directory>):");
                Console.Out.WriteLine("FRIENDLYNAME  \"Terminal\"");
                Console.Out.WriteLine("DEVICENAME    " + pty.HostPath + ":" + suffix);
                Console.Out.WriteLine("LIBPATH       " + DriverPath);
                return pty;
            }
            if (spec.StartsWith("tcp:", StringComparison.Ordinal))
            {
                TcpHostStream tcp = new TcpHostStream(int.Parse(spec.Substring(4), System.Globalization.CultureInfo.InvariantCulture));
                owner = tcp;
                Console.Out.WriteLine("Host link: TCP 127.0.0.1:" + tcp.Port + " (serial CCID framing; bridge it to a pty for pcscd, reader type " + suffix + ")");
                return tcp;
            }
            if (spec.StartsWith("serial:", StringComparison.Ordinal))
            {
                string rest = spec.Substring(7);
                int baud = 115200;
                int colon = rest.LastIndexOf(':');
                if (colon > 0 && int.TryParse(rest.Substring(colon + 1), out int b))
                {
                    baud = b;
                    rest = rest.Substring(0, colon);
                }
                SerialPortHostStream serial = new SerialPortHostStream(rest, baud);
                owner = serial;
                Console.Out.WriteLine("Host link: serial " + rest + " " + baud + " 8N2, reader type " + suffix);
                return serial;
            }
            throw new FormatException("expected pty[:<path>], tcp:<port> or serial:<device>[:<baud>]");
        }

        /// <summary>Closes the adopted master, then tells the keeper to remove the pty (clean shutdown).</summary>
        private sealed class KeeperLease : IDisposable
        {
            private readonly PtyStream _pty;
            private readonly System.Net.Sockets.Socket _keeper;

            public KeeperLease(PtyStream pty, System.Net.Sockets.Socket keeper)
            {
                _pty = pty;
                _keeper = keeper;
            }

            public void Dispose()
            {
                _pty.Dispose();
                PtyKeeper.Release(_keeper);
                string link = _pty.HostPath;
                for (int i = 0; i < 50 && (File.Exists(link) || new FileInfo(link).LinkTarget != null); i++)
                {
                    Thread.Sleep(20);
                }
            }
        }

        private static string? CreateCard(string spec, VirtualSlot slot, Logger log, out VirtualCard? card)
        {
            card = null;
            if (spec == "none")
            {
                return null;
            }
            try
            {
                if (spec.StartsWith("vicc:", StringComparison.Ordinal))
                {
                    string[] parts = spec.Split(':');
                    if (parts.Length != 3 || !int.TryParse(parts[2], out int port))
                    {
                        return "expected vicc:<host>:<port>";
                    }
                    if (parts[1] != "localhost" && parts[1] != "127.0.0.1" && parts[1] != "::1")
                    {
                        return "the vicc bridge listens on loopback only";
                    }
                    // The vpcd protocol: the reader side listens, the virtual card (vicc) connects; the
                    // slot gets the card when it connects and loses it when it goes.
                    VpcdBridge bridge = VpcdBridge.Listen(port);
                    bridge.AttachTo(slot, BridgeProtocol.T1);
                    log.Info("slot " + slot.Index + ": waiting for a vicc on 127.0.0.1:" + bridge.Port + " (presented as a T=1 card)");
                    return null;
                }
                if (File.Exists(spec) ? HasPaceSection(spec) : spec.StartsWith("pace", StringComparison.Ordinal))
                {
                    // A PACE profile: the simulated PACE card in front of its file system.
                    card = File.Exists(spec) ? Terminal.Simulator.Pace.PaceCard.FromProfileFile(spec) : Terminal.Simulator.Pace.PaceCard.FromProfile(spec);
                    return null;
                }
                card = File.Exists(spec) ? VirtualCard.FromProfileFile(spec) : VirtualCard.FromProfile(spec);
                return null;
            }
            catch (Exception e) when (e is IOException || e is ArgumentException || e is InvalidOperationException || e is FormatException || e is System.Text.Json.JsonException)
            {
                return "cannot load card '" + spec + "': " + e.Message;
            }
        }

        private static bool HasPaceSection(string path)
        {
            var options = new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true };
            using System.Text.Json.JsonDocument doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path), options);
            return doc.RootElement.TryGetProperty("pace", out _);
        }

        private static string Describe(VirtualCard? card) => card == null ? "empty" : card.Profile.Name;

        // Headless: control lines on standard input (tests and scripts). On a real board (no virtual
        // board given) only `quit`: its cards and keys are real.
        private static void ControlLoop(Terminal.Simulator.VirtualBoard? board, VirtualCard?[]? cards, Logger log, TextReader control, Action stop)
        {
            string? line;
            while ((line = control.ReadLine()) != null)
            {
                string[] words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
                    continue;
                }
                if (board == null || cards == null)
                {
                    if (words[0] == "quit")
                    {
                        stop();
                        return;
                    }
                    log.Warning("unknown control line (a real board takes only quit): " + line);
                    continue;
                }
                try
                {
                    if (words[0] == "quit")
                    {
                        stop();
                        return;
                    }
                    if (words[0] == "remove" && words.Length == 2)
                    {
                        board.Slots[int.Parse(words[1])].Remove();
                        log.Info("slot " + words[1] + ": card removed");
                    }
                    else if (words[0] == "insert" && words.Length >= 2)
                    {
                        int slot = int.Parse(words[1]);
                        if (words.Length == 3)
                        {
                            cards[slot] = File.Exists(words[2]) ? VirtualCard.FromProfileFile(words[2]) : VirtualCard.FromProfile(words[2]);
                        }
                        if (cards[slot] != null)
                        {
                            board.Slots[slot].Insert(cards[slot]!);
                            log.Info("slot " + slot + ": card inserted");
                        }
                    }
                    else if (words[0] == "keys" && words.Length == 2)
                    {
                        board.Keypad.Script(words[1]);
                    }
                    else
                    {
                        log.Warning("unknown control line: " + line);
                    }
                }
                catch (Exception e) when (e is FormatException || e is ArgumentException || e is IOException || e is InvalidOperationException)
                {
                    log.Warning("control line '" + line + "': " + e.Message);
                }
            }
        }

        // With a console: the display and LEDs drawn on one status line, keys to the keypad,
        // [ and ] take out or put back the card of slot 0 or 1, q quits.
        private static void ConsoleLoop(Terminal.Simulator.VirtualBoard board, VirtualCard?[] cards, Action stop)
        {
            string last = "";
            Console.Out.WriteLine("Keys: digits, Enter/K = OK, Esc/C = Cancel, Backspace/R = Correction, [ ] = card out/in in slot 0/1, q = quit.");
            while (true)
            {
                while (Console.KeyAvailable)
                {
                    ConsoleKeyInfo k = Console.ReadKey(true);
                    char c = k.Key switch
                    {
                        ConsoleKey.Enter => 'K',
                        ConsoleKey.Escape => 'C',
                        ConsoleKey.Backspace => 'R',
                        _ => char.ToUpperInvariant(k.KeyChar),
                    };
                    if (c == 'Q')
                    {
                        stop();
                        return;
                    }
                    if (c == '[' || c == ']')
                    {
                        int slot = c == '[' ? 0 : 1;
                        if (board.Slots[slot].Card != null)
                        {
                            board.Slots[slot].Remove();
                        }
                        else if (cards[slot] != null)
                        {
                            board.Slots[slot].Insert(cards[slot]!);
                        }
                    }
                    else if ((c >= '0' && c <= '9') || c == 'K' || c == 'C' || c == 'R')
                    {
                        board.Keypad.Press(c);
                    }
                }
                string state = "[" + board.Display.GetLine(0) + "|" + board.Display.GetLine(1) + "] secure " + (board.Indicators.SecureMode ? "ON " : "off")
                    + "  slot0 " + (board.Slots[0].Card == null ? "empty" : "card ") + (board.Indicators.CardAccess(0) ? "*" : " ")
                    + "  slot1 " + (board.Slots[1].Card == null ? "empty" : "card ") + (board.Indicators.CardAccess(1) ? "*" : " ");
                if (state != last)
                {
                    Console.Out.Write("\r" + state);
                    last = state;
                }
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The virtual board's clock in microseconds, for traces: host and card records on one time line.</summary>
    internal sealed class VirtualTraceClock : ITraceClock
    {
        private readonly Terminal.Simulator.VirtualClock _clock;

        public VirtualTraceClock(Terminal.Simulator.VirtualClock clock)
        {
            _clock = clock;
        }

        public long NowMicroseconds => _clock.NowNanoseconds / 1000;
    }

    /// <summary>Real time in microseconds, for traces on a real board.</summary>
    internal sealed class StopwatchTraceClock : ITraceClock
    {
        private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();

        public long NowMicroseconds => _watch.ElapsedTicks * 1000000 / System.Diagnostics.Stopwatch.Frequency;
    }
}
