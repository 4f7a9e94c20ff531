using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using Terminal.Boards;
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
        internal const string Firmware = "Terminal SESAM reader 0.1.0";
        internal const string DriverPath = "/usr/lib/pcsc/drivers/serial/libccidtwin.so";

        internal static int Run(RunOptions options)
        {
            Logger log = new Logger(options.LogLevel);
            ReaderProfile? profile = ReaderProfile.FromName(options.Profile);
            if (profile == null || profile == ReaderProfile.NativeUsb)
            {
                Console.Error.WriteLine("terminal run: --profile must be sec1210 or gempcpinpad, not '" + options.Profile + "'.");
                return 2;
            }
            if (options.Board.StartsWith("linux:", StringComparison.Ordinal))
            {
                Console.Error.WriteLine("terminal run: --board linux:<file> is not available yet (the Linux board bindings have not landed); use --board virtual.");
                return 2;
            }
            if (options.Board != "virtual")
            {
                Console.Error.WriteLine("terminal run: --board must be virtual or linux:<board file>.");
                return 2;
            }
            if (options.ClearPin != "refuse" && options.ClearPin != "allow")
            {
                Console.Error.WriteLine("terminal run: --clear-pin must be refuse or allow.");
                return 2;
            }
            bool interactive = !Console.IsInputRedirected && !Console.IsOutputRedirected;

            Terminal.Simulator.VirtualBoard board = new Terminal.Simulator.VirtualBoard();
            VirtualCard?[] cards = new VirtualCard?[board.Slots.Length];
            string?[] specs = new[] { options.Slot0, options.Slot1 };
            for (int i = 0; i < cards.Length && i < specs.Length; i++)
            {
                string? error = CreateCard(specs[i]!, board.Slots[i], log, out cards[i]);
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
            CardSlot[] slots = new CardSlot[ib.SlotCount];
            for (int i = 0; i < slots.Length; i++)
            {
                slots[i] = new CardSlot(i, ib.GetCardLine(i), ib.Indicators, ib.VoltageSupport, ib.MaxDataRate);
                slots[i].ReaderDoesPps = profile.ReaderDoesPps;
            }
            // --trace FILE.pcapng: both links in one Wireshark capture; any other name: the text trace.
            VirtualTraceClock traceClock = new VirtualTraceClock(board.Clock);
            PcapngTrace? pcapng = null;
            FileTraceSink? pcapngFile = null;
            ICcidSlot[] ccidSlots = slots;
            if (options.Trace != null && options.Trace.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase))
            {
                pcapngFile = new FileTraceSink(options.Trace);
                byte[] configuration = CcidDescriptors.ConfigurationDescriptor(
                    CcidDescriptors.BoardFacts.From(ib.SlotCount, ib.VoltageSupport, ib.GetCardLine(0).ClockHz, ib.MaxDataRate));
                pcapng = new PcapngTrace(pcapngFile, slots.Length, configuration, Firmware, traceClock.NowMicroseconds);
                ccidSlots = new ICcidSlot[slots.Length];
                for (int i = 0; i < slots.Length; i++)
                {
                    ccidSlots[i] = new TracedSlot(slots[i], pcapng, traceClock);
                }
            }
            CcidDevice device = new CcidDevice(ccidSlots, profile, Firmware, 0);
            device.ProfileChanged += p =>
            {
                foreach (CardSlot s in slots)
                {
                    s.ReaderDoesPps = p.ReaderDoesPps;
                }
                log.Info("the host's driver asks for reader type " + p.Name + ": switched profile");
            };

            SecurePinService pins = new SecurePinService(ib.Keypad!, ib.Display, ib.Indicators, ib.Clock);
            pins.ModifyLayout = profile == ReaderProfile.GemPcPinPad ? MessageIndexLayout.AlwaysThree : MessageIndexLayout.Auto;
            PinPolicy policy = new PinPolicy(ib.SlotCount);
            policy.SetEnforced(PinPolicy.CpxSlot, options.ClearPin == "refuse");
            ReaderProperties readerInfo = new ReaderProperties { FirmwareVersion = "0.1.0", FirmwareId = Firmware, ExecutePace = true };
            CcidPinPad pinPad = new CcidPinPad(device, slots, pins, readerInfo, policy);
            device.SecureHandler = pinPad;
            PaceService paceService = new PaceService(pins.Entry, ib.Clock, Terminal.Iso7816.Desktop.DesktopCipherFactory.Instance, new DesktopEcProvider());
            CcidPace pace = new CcidPace(slots, paceService);
            pinPad.Pace = pace;
            pace.Event = (slot, kind, result, session) =>
            {
                // Never the password or a key: the Result, the MSE status, whether keys are held, the buffers.
                string clear = paceService.BuffersAreClear ? "password buffers clear" : "PASSWORD BUFFERS NOT CLEAR";
                if (kind == PaceEvent.Established)
                {
                    string mse = paceService.MseStatus < 0 ? "none" : paceService.MseStatus.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
                    log.Info($"PACE slot {slot}: EstablishPACEChannel Result {result:X8}, MSE:Set AT {mse}, channel " + (session.IsOpen ? "open" : "closed") + ", " + clear);
                }
                else
                {
                    log.Info($"PACE slot {slot}: channel " + (kind == PaceEvent.Destroyed ? "destroyed" : "ended") + (session.HoldsNoKeys ? ", keys wiped" : ", KEYS HELD") + (session.LastChannelError != 0 ? $" (SM error {session.LastChannelError})" : ""));
                }
            };
            pinPad.OperationFinished = (r, clear) =>
            {
                string sw = r.StatusWord < 0 ? "none" : r.StatusWord.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
                string line = "secure PIN " + (r.Operation == PinOperation.Modify ? "modify" : "verify") + ": " + r.Outcome + $", SW {sw}, bError {r.BError:X2}, PIN buffers " + (clear ? "clear" : "NOT CLEAR");
                if (clear)
                {
                    log.Info(line);
                }
                else
                {
                    log.Error(line);
                }
            };
            device.ProfileChanged += p => pins.ModifyLayout = p == ReaderProfile.GemPcPinPad ? MessageIndexLayout.AlwaysThree : MessageIndexLayout.Auto;

            IByteStream stream;
            IDisposable streamOwner;
            try
            {
                stream = OpenLink(options.Link, profile, out streamOwner);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is FormatException || e is System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine("terminal run: --link " + options.Link + ": " + e.Message);
                return 2;
            }

            using TextTrace trace = new TextTrace(pcapng == null ? options.Trace : null, log);
            using IDisposable? pcapngOwner = pcapngFile;
            SerialHostLink link = new SerialHostLink(stream, device, new WallClock());
            link.Trace = pcapng == null ? trace : new PcapngLinkTrace(pcapng, traceClock);
            pinPad.KeepAlive = link;

            using ManualResetEventSlim stopped = new ManualResetEventSlim(false);
            void Stop()
            {
                link.Stop();
            }
            using PosixSignalRegistration term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; log.Info("SIGTERM: shutting down"); Stop(); });
            using PosixSignalRegistration intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; log.Info("interrupted: shutting down"); Stop(); });

            log.Info("firmware " + Firmware + ", profile " + profile.Name + ", slot 0: " + Describe(cards[0]) + ", slot 1: " + Describe(cards.Length > 1 ? cards[1] : null) + (realTime ? ", real-time pacing" : ", free-running virtual time"));
            Thread console = interactive
                ? new Thread(() => ConsoleLoop(board, cards, Stop)) { IsBackground = true, Name = "console" }
                : new Thread(() => ControlLoop(board, cards, log, Stop)) { IsBackground = true, Name = "control" };
            console.Start();
            Console.Out.WriteLine("terminal: ready");
            Console.Out.Flush();

            link.Run();

            for (int i = 0; i < slots.Length; i++)
            {
                slots[i].PowerOff();
            }
            streamOwner.Dispose();
            log.Info("stopped: frames " + link.FramesReceived + ", NAKs " + link.NaksSent + ", time requests " + link.TimeRequestsSent);
            return 0;
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

        // Headless: control lines on standard input (tests and scripts).
        private static void ControlLoop(Terminal.Simulator.VirtualBoard board, VirtualCard?[] cards, Logger log, Action stop)
        {
            string? line;
            while ((line = Console.In.ReadLine()) != null)
            {
                string[] words = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words.Length == 0)
                {
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
}
