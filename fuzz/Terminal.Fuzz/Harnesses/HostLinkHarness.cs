using System;
using Terminal.Ccid;
using Terminal.Core;
using Terminal.Desktop.Soak;
using Terminal.Desktop.VirtualBoard;
using Terminal.Desktop;
using Terminal.HostLink;
using Terminal.Iso7816;
using Terminal.Simulator;
using Terminal.Tracing;

namespace Terminal.Fuzz.Harnesses
{
    /// <summary>
    /// The whole host-link input: bytes from the host into the firmware as `terminal run` wires it
    /// (<see cref="ReaderCore"/>: libccid's serial framing, the CCID device, both slots with
    /// simulated cards, the PIN pad, the clear-PIN policy, a pcapng trace) on the virtual board in
    /// virtual time. Byte 0: bit 0 the GemPCPinPad profile (else SEC1210), bits 1-2 slot 0 / slot 1
    /// empty, bits 4-7 the number of key bytes that follow (low nibble 0-9 a digit, 10 OK, 11 Cancel,
    /// 12 Correction, 13 a one-second pause, 14 the next PIN entry). Then records: a header byte h,
    /// 1-239: the host writes h bytes and waits for the answer; F0: 240 + the next byte; F1 n: n bytes
    /// written with no pause after (they run into the next write); F2 s: the card of slot s&amp;1 pulled
    /// out, or a fresh one put in; F3 s v: a fault on slot s&amp;1's card (kind s&gt;&gt;1, parameter v); F4
    /// s v: the card of slot s&amp;1 pulled out at its character 4v; 00: the host goes away (pcscd
    /// stops); F5-FF: the rest is one write. After each write the link is polled until it is idle and
    /// every poll's output is judged as libccid would take it (<see cref="LinkChecker"/>: one
    /// well-formed reply of the matching type with bSlot and bSeq echoed and right lengths, or one NAK,
    /// nothing more, no silence over 3 s); every reply's ICC status is the simulator's truth.
    /// </summary>
    public sealed class HostLinkHarness : Harness
    {
        private static readonly Lazy<CardProfile[]> Profiles = new Lazy<CardProfile[]>(() => new[] { CardProfile.Load("vitale2"), CardProfile.Load("cps3") });

        private static readonly char[] KeyChars = { '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'K', 'C', 'R', '_', ',', ' ' };

        /// <inheritdoc/>
        public override string Name => "host";

        /// <inheritdoc/>
        public override string Description => "the host-link byte stream into the firmware on the virtual board (framing, CCID, slots, PIN pad): every reply well formed, in step, in time";

        /// <inheritdoc/>
        protected override long StepBudget(int length)
        {
            // Every board call is a step: an APDU costs a few hundred, a PIN entry polls the keypad
            // every 50 ms until its timeout.
            return 100_000 + 2_000L * length;
        }

        /// <inheritdoc/>
        protected override string Execute(byte[] data, Budget budget)
        {
            if (data.Length == 0)
            {
                return "empty";
            }
            World w = new World(data[0], budget);
            int p = 1;
            int keys = data[0] >> 4;
            if (keys > 0)
            {
                char[] script = new char[Math.Min(keys, data.Length - p)];
                for (int i = 0; i < script.Length; i++)
                {
                    script[i] = KeyChars[data[p + i] & 0x0F];
                }
                p += script.Length;
                w.Board.Keypad.Script(new string(script));
            }
            int writes = 0;
            while (p < data.Length)
            {
                budget.Step("record");
                int h = data[p++];
                int length;
                bool pause = true;
                if (h == 0x00)
                {
                    w.HostGone();
                    continue;
                }
                if (h == 0xF2 || h == 0xF3 || h == 0xF4)
                {
                    int a = p < data.Length ? data[p++] : 0;
                    int b = h != 0xF2 && p < data.Length ? data[p++] : 0;
                    w.Event(h, a, b);
                    continue;
                }
                if (h < 0xF0)
                {
                    length = h;
                }
                else if (h == 0xF0)
                {
                    length = 240 + (p < data.Length ? data[p++] : 0);
                }
                else if (h == 0xF1)
                {
                    length = p < data.Length ? data[p++] : 0;
                    pause = false;
                }
                else
                {
                    length = data.Length - p;
                }
                length = Math.Min(length, data.Length - p);
                w.Write(data, p, length, pause);
                p += length;
                writes++;
            }
            w.Drain();
            return $"{writes} writes: {w.Answered} answered, {w.Naks} NAKed, {w.TimeRequests} time requests";
        }

        /// <summary>The board, the firmware and the host end, for one input.</summary>
        private sealed class World : IBoardProbe
        {
            private readonly Budget _budget;
            private readonly HostPipe _pipe;
            private readonly ReaderCore _firmware;
            private readonly LinkChecker _checker = new LinkChecker();
            private readonly RecordingTrace _recorder;

            public World(byte options, Budget budget)
            {
                _budget = budget;
                Board = new Terminal.Simulator.VirtualBoard();
                Board.Display.RecordHistory = false;
                Board.Indicators.RecordHistory = false;
                Board.Keypad.RecordHistory = false;
                if ((options & 2) == 0)
                {
                    Board.Slots[0].Insert(VirtualCard.FromProfile(Profiles.Value[0]));
                }
                if ((options & 4) == 0)
                {
                    Board.Slots[1].Insert(VirtualCard.FromProfile(Profiles.Value[1]));
                }
                _pipe = new HostPipe(Board.Clock, 1 << 15);
                ReaderProfile profile = (options & 1) == 0 ? ReaderProfile.Sec1210 : ReaderProfile.GemPcPinPad;
                VirtualClockSource clocks = new VirtualClockSource(Board.Clock);
                byte[] configuration = CcidDescriptors.ConfigurationDescriptor(CcidDescriptors.BoardFacts.From(2, Board.VoltageSupport, 4_000_000, Board.MaxDataRate));
                PcapngTrace trace = new PcapngTrace(new NullSink(), 2, configuration, ReaderCore.FirmwareId, 0);
                _firmware = new ReaderCore(new ProbedBoard(new VirtualBoardBinding(Board), this), _pipe, clocks, profile, true, trace, clocks);
                _recorder = new RecordingTrace(_firmware.Link.Trace!);
                _firmware.Link.Trace = _recorder;
                _ = new VirtualLinkKeeper(Board.Clock, _firmware.Link);
            }

            public Terminal.Simulator.VirtualBoard Board { get; }

            public int Answered { get; private set; }

            public int Naks { get; private set; }

            public long TimeRequests => _checker.TimeRequests;

            public void Enter()
            {
                _budget.Step("board call");
            }

            public void Leave()
            {
            }

            public void Write(byte[] data, int offset, int length, bool pause)
            {
                _pipe.HostWrite(data, offset, length);
                if (pause)
                {
                    _pipe.HostPause();
                    Drain();
                }
            }

            public void HostGone()
            {
                _pipe.HostGone();
                Drain();
                for (int s = 0; s < 2; s++)
                {
                    Check(Board.Slots[s].VirtualLine.Vcc == VoltageClass.None, $"slot {s} still powered after the host went away");
                }
            }

            public void Event(int kind, int a, int b)
            {
                VirtualSlot slot = Board.Slots[a & 1];
                VirtualCard? card = slot.Card;
                if (kind == 0xF2)
                {
                    if (card != null)
                    {
                        slot.Remove();
                    }
                    else
                    {
                        slot.Insert(VirtualCard.FromProfile(Profiles.Value[a & 1]));
                    }
                    return;
                }
                if (card == null)
                {
                    return;
                }
                if (kind == 0xF4)
                {
                    card.Faults.RemoveAt = b * 4;
                    return;
                }
                CardFaults f = card.Faults;
                switch ((a >> 1) & 7)
                {
                    case 0:
                        f.Mute = true;
                        break;
                    case 1:
                        f.NoAtr = true;
                        break;
                    case 2:
                        f.WrongTck = true;
                        break;
                    case 3:
                        f.WrongTs = (byte)b;
                        break;
                    case 4:
                        f.ParityErrorAt = b;
                        f.ParityErrorRepeats = 1 + ((a >> 4) & 7);
                        break;
                    case 5:
                        f.DelayAt = b;
                        f.DelayCycles = ((a >> 4) + 1) * 1_000_000L;
                        break;
                    case 6:
                        f.PpsRefusal = (a & 0x10) == 0 ? PpsRefusal.Mute : PpsRefusal.DefaultRate;
                        break;
                    default:
                        f.Clear();
                        break;
                }
            }

            /// <summary>Polls until the link is idle, judging each poll's output.</summary>
            public void Drain()
            {
                while (true)
                {
                    _budget.Step("poll");
                    _pipe.TakeOutput();
                    long sentAt = Board.Clock.NowPicoseconds;
                    int result = _firmware.Link.Poll(0);
                    string? error = _checker.Check(result, _recorder.LastCommand, _recorder.LastCommandLength, _firmware.Device.Profile.Echo, _pipe, sentAt);
                    if (error != null)
                    {
                        throw new HarnessViolation(error);
                    }
                    if (result == 1)
                    {
                        Answered++;
                        CheckIccStatus();
                    }
                    else if (result == -1)
                    {
                        Naks++;
                    }
                    if (result == 0 || result == -2)
                    {
                        return;
                    }
                }
            }

            private void CheckIccStatus()
            {
                byte[] o = _pipe.Output;
                int m = _checker.ReplyOffset;
                int physical = _firmware.Device.Profile.PhysicalSlot(o[m + 5]);
                int truth = CcidStatus.IccAbsent;
                if (physical >= 0 && physical < 2 && Board.Slots[physical].Card != null)
                {
                    truth = Board.Slots[physical].VirtualLine.Vcc == VoltageClass.None ? CcidStatus.IccInactive : CcidStatus.IccActive;
                }
                Check((o[m + 7] & 3) == truth, $"reply {LinkChecker.Hex(o, m, _checker.ReplyLength)} reports ICC status {o[m + 7] & 3}; the simulator's truth is {truth}");
            }
        }

        private sealed class NullSink : ITraceSink
        {
            public void Write(byte[] buffer, int offset, int count)
            {
            }

            public void Flush()
            {
            }
        }
    }
}
