using System;
using Terminal.Ccid;
using Terminal.Core;
using Terminal.Desktop.VirtualBoard;
using Terminal.HostLink;
using Terminal.Iso7816;
using Terminal.PinPad;
using Terminal.Simulator;
using Terminal.Tracing;

namespace Terminal.Desktop.Soak
{
    /// <summary>A soak invariant broke; the message names the seed and the command that broke it.</summary>
    public sealed class SoakFailure : Exception
    {
        /// <summary>A failure described by <paramref name="message"/>.</summary>
        public SoakFailure(string message) : base(message)
        {
        }
    }

    /// <summary>
    /// The soak (issue 10, item 3): the firmware as `terminal run` wires it (<see cref="ReaderCore"/>,
    /// SEC1210: both slots, PIN pad, clear-PIN policy, pcapng trace of both links) on the virtual board
    /// in virtual time, Vitale 2 in slot 0 and CPS3 in slot 1, driven by a seeded random host: every
    /// CCID command (valid and invalid parameters), Abort, invalid slots, unknown types, bad LRCs,
    /// garbage, truncated frames, dwLength over 261, the host going away; PIN entries (PC/SC part 10
    /// PPDU verify and modify) with random keys, corrections, cancels and timeouts; a PIN in clear from
    /// the host; cards pulled out between commands and at random character indices
    /// (<see cref="CardFaults.RemoveAt"/>) and put back; injected card faults (mute, no ATR, wrong TS or
    /// TCK, parity errors, late characters, PPS refused). After every command it checks: exactly one
    /// well-formed answer in time, or one NAK for a bad frame (<see cref="LinkChecker"/>), and nothing
    /// more (the link in step); the ICC status of every reply is the simulator's truth (absent, present
    /// and unpowered, powered); after every PIN operation the PIN buffers are zero, and the digits typed
    /// appear in no byte to the host, no trace byte and no log line; the firmware allocates nothing after
    /// warm-up (the thread's allocation around each poll, minus what the simulator allocates inside board
    /// calls, <see cref="BoardAllocationMeter"/>). The same seed replays the same run.
    /// </summary>
    public sealed class SoakRun
    {
        /// <summary>Commands before allocation is counted (JIT tiers, first use of each path, the simulator's lists growing).</summary>
        public const int WarmUpCommands = 5000;

        private const byte Cpx = 1;

        private static readonly CardProfile[] Profiles = { CardProfile.Load("vitale2"), CardProfile.Load("cps3") };

        private readonly Random _random;
        private readonly Terminal.Simulator.VirtualBoard _board;
        private readonly VirtualClock _clock;
        private readonly HostPipe _pipe;
        private readonly BoardAllocationMeter _meter = new BoardAllocationMeter();
        private readonly ReaderCore _firmware;
        private readonly SerialHostLink _link;
        private readonly LinkChecker _checker = new LinkChecker();
        private readonly RecordingTrace _trace;
        private readonly ScanningSink _sink = new ScanningSink();
        private readonly byte[] _message = new byte[CcidMessage.MaxMessageLength + 16];
        private readonly byte[] _frame = new byte[CcidMessage.MaxMessageLength + 600];
        private readonly byte[] _pin = new byte[16];
        private readonly byte[] _pinBlock = new byte[8];
        private readonly char[] _keys = new char[40];
        private readonly int[] _removedAt = new int[2];
        private readonly long[] _allocationByKind = new long[(int)Kind.Count];
        private readonly long[] _countByKind = new long[(int)Kind.Count];
        private readonly System.Collections.Generic.List<string> _allocationSamples = new System.Collections.Generic.List<string>();
        private int _pinLength;
        private int _pinWatch;
        private byte _seq;
        private bool _pinFinished;
        private bool _pinClear;
        private SecurePinResult? _pinResult;
        private long _commands;
        private long _firmwareBytes;
        private long _measuredCommands;
        private long _pinEntries;
        private long _pinOperations;
        private int _lastReplyStatus;
        private long _naks;
        private long _removals;
        private long _insertions;
        private long _faults;
        private long _hostResets;
        private long _answered;
        private Kind _kind;

        /// <summary>What a soak step sends (for the statistics and failure messages).</summary>
        public enum Kind
        {
            /// <summary>XfrBlock with an ISO 7816-4 command TPDU.</summary>
            Xfr,
            /// <summary>XfrBlock with random bytes.</summary>
            XfrRandom,
            /// <summary>IccPowerOn.</summary>
            PowerOn,
            /// <summary>IccPowerOff.</summary>
            PowerOff,
            /// <summary>GetSlotStatus.</summary>
            SlotStatus,
            /// <summary>Get/Reset/SetParameters.</summary>
            Parameters,
            /// <summary>Escape.</summary>
            Escape,
            /// <summary>IccClock, T0APDU, Mechanical, SetDataRateAndClockFrequency, Secure.</summary>
            Other,
            /// <summary>Abort.</summary>
            Abort,
            /// <summary>An unknown bMessageType.</summary>
            UnknownType,
            /// <summary>A valid type to a slot that does not exist.</summary>
            InvalidSlot,
            /// <summary>A frame with a wrong LRC.</summary>
            BadLrc,
            /// <summary>Bytes that are no frame.</summary>
            Garbage,
            /// <summary>A frame cut short.</summary>
            Truncated,
            /// <summary>dwLength over 261.</summary>
            Oversized,
            /// <summary>A PIN entry on the keypad (PPDU verify or modify).</summary>
            PinEntry,
            /// <summary>A VERIFY with a PIN in clear from the host.</summary>
            ClearPin,
            /// <summary>A pseudo-APDU answered by the reader (features, properties, reader info).</summary>
            Pseudo,
            /// <summary>Start-up Escapes after the host came back.</summary>
            StartUp,
            /// <summary>Number of kinds.</summary>
            Count,
        }

        /// <summary>Sets up a soak for <paramref name="seed"/>: the board, the firmware, the host's start-up sequence.</summary>
        public SoakRun(int seed)
        {
            Seed = seed;
            _random = new Random(seed);
            _board = new Terminal.Simulator.VirtualBoard();
            _clock = _board.Clock;
            _board.Display.RecordHistory = false;
            _board.Indicators.RecordHistory = false;
            _board.Keypad.RecordHistory = false;
            _board.Slots[0].Insert(VirtualCard.FromProfile(Profiles[0]));
            _board.Slots[1].Insert(VirtualCard.FromProfile(Profiles[1]));
            _pipe = new HostPipe(_clock, 1 << 16);
            ProbedBoard probed = new ProbedBoard(new VirtualBoardBinding(_board), _meter);
            VirtualClockSource clocks = new VirtualClockSource(_clock);
            byte[] configuration = CcidDescriptors.ConfigurationDescriptor(CcidDescriptors.BoardFacts.From(2, _board.VoltageSupport, 4_000_000, _board.MaxDataRate));
            PcapngTrace pcapng = new PcapngTrace(_sink, 2, configuration, ReaderCore.FirmwareId, clocks.NowMicroseconds);
            _firmware = new ReaderCore(probed, _pipe, clocks, ReaderProfile.Sec1210, true, pcapng, clocks);
            _link = _firmware.Link;
            _trace = new RecordingTrace(_link.Trace!);
            _link.Trace = _trace;
            _firmware.PinPad!.OperationFinished = OnPinOperation;
            // The link's keeper thread, on virtual time: every 100 ms it lets the link send a time
            // request when a command has kept the host waiting a second (SerialHostLink.Run does the
            // same on wall time).
            _ = new VirtualLinkKeeper(_clock, _link);
            StartUp();
            if (Environment.GetEnvironmentVariable("SOAK_ALLOCATION_STACKS") == "1")
            {
                _meter.FirmwareAllocated = (bytes, stack) =>
                {
                    if (_commands > WarmUpCommands)
                    {
                        Console.Error.WriteLine($"-- command {_commands} ({_kind}): the firmware allocated {bytes} B before this board call:\n{stack}");
                    }
                };
            }
        }

        /// <summary>The seed of this run.</summary>
        public int Seed { get; }

        /// <summary>Host commands sent (frames, good and bad).</summary>
        public long Commands => _commands;

        /// <summary>Commands answered with a reply frame.</summary>
        public long Answered => _answered;

        /// <summary>Bad frames NAKed.</summary>
        public long Naks => _naks;

        /// <summary>PIN entries run on the keypad.</summary>
        public long PinEntries => _pinEntries;

        /// <summary>Cards pulled out (between commands or at a character index).</summary>
        public long Removals => _removals;

        /// <summary>Cards put back.</summary>
        public long Insertions => _insertions;

        /// <summary>Card faults injected.</summary>
        public long Faults => _faults;

        /// <summary>Times the host went away and came back.</summary>
        public long HostResets => _hostResets;

        /// <summary>Time-request bytes the link sent.</summary>
        public long TimeRequests => _checker.TimeRequests;

        /// <summary>Virtual time elapsed, in hours.</summary>
        public double VirtualHours => _clock.NowPicoseconds / 3.6e15;

        /// <summary>Bytes the firmware allocated after warm-up.</summary>
        public long FirmwareBytesAfterWarmUp => _firmwareBytes;

        /// <summary>Commands counted after warm-up.</summary>
        public long MeasuredCommands => _measuredCommands;

        /// <summary>Firmware bytes allocated per 1000 commands after warm-up.</summary>
        public double BytesPerThousandCommands => _measuredCommands == 0 ? 0 : _firmwareBytes * 1000.0 / _measuredCommands;

        /// <summary>The first commands after warm-up during which the firmware allocated (what, how much).</summary>
        public System.Collections.Generic.IReadOnlyList<string> AllocationSamples => _allocationSamples;

        /// <summary>Commands sent of each <see cref="Kind"/>.</summary>
        public long CountOf(Kind kind) => _countByKind[(int)kind];

        /// <summary>Firmware bytes allocated after warm-up by the commands of each <see cref="Kind"/>.</summary>
        public long AllocationOf(Kind kind) => _allocationByKind[(int)kind];

        /// <summary>Runs until <paramref name="commands"/> host commands have been sent; throws <see cref="SoakFailure"/> on the first broken invariant.</summary>
        public void Run(long commands)
        {
            while (_commands < commands)
            {
                Step();
            }
        }

        /// <summary>A one-line summary of the run so far.</summary>
        public string Summary()
        {
            return $"soak seed {Seed}: {_commands} host commands ({_answered} answered, {_naks} NAKed), {VirtualHours:F2} virtual hours, {_pinEntries} PIN entries ({_pinOperations} PIN operations reported), {_removals} removals, {_insertions} insertions, {_faults} faults, {_hostResets} host resets, {TimeRequests} time requests; firmware allocation after warm-up {_firmwareBytes} B ({BytesPerThousandCommands:F1} B per 1000 commands)";
        }

        private void Step()
        {
            int r = _random.Next(1000);
            if (r < 20)
            {
                MoveCard();
                return;
            }
            if (r < 45)
            {
                InjectFault();
                return;
            }
            if (r < 50)
            {
                HostGoesAway();
                return;
            }
            if (_random.Next(20) == 0)
            {
                ClearSomeFault();
            }
            if ((_commands & 1023) == 0)
            {
                // The cards' logs of reader misbehaviour (faults provoke entries) are not needed here.
                for (int s = 0; s < 2; s++)
                {
                    _board.Slots[s].Card?.ClearObservations();
                }
            }
            int slot = _random.Next(2);
            r = _random.Next(1000);
            if (r < 250)
            {
                if (IccStatusOf(slot) != CcidStatus.IccActive && _random.Next(5) != 0)
                {
                    SendCommand(Kind.PowerOn, CcidMessage.IccPowerOn, slot, (byte)_random.Next(4), 0, 0, 0);
                }
                else
                {
                    SendTpdu(slot);
                }
            }
            else if (r < 320)
            {
                int power = _random.Next(20) == 0 ? _random.Next(4, 256) : _random.Next(4);
                SendCommand(Kind.PowerOn, CcidMessage.IccPowerOn, slot, (byte)power, 0, 0, 0);
            }
            else if (r < 350)
            {
                SendCommand(Kind.PowerOff, CcidMessage.IccPowerOff, slot, 0, 0, 0, 0);
            }
            else if (r < 430)
            {
                SendCommand(Kind.SlotStatus, CcidMessage.GetSlotStatus, slot, 0, 0, 0, 0);
            }
            else if (r < 490)
            {
                SendParameters(slot);
            }
            else if (r < 520)
            {
                SendEscape(slot);
            }
            else if (r < 560)
            {
                SendOther(slot);
            }
            else if (r < 590)
            {
                SendCommand(Kind.Abort, CcidMessage.Abort, slot, 0, 0, 0, 0);
            }
            else if (r < 605)
            {
                byte type;
                do
                {
                    type = (byte)_random.Next(256);
                }
                while (CcidDevice.ReplyType(type) != 0 || type == SerialHostLink.Sync);
                SendCommand(Kind.UnknownType, type, slot, (byte)_random.Next(256), 0, 0, _random.Next(8));
            }
            else if (r < 630)
            {
                byte[] types = InvalidSlotTypes;
                SendCommand(Kind.InvalidSlot, types[_random.Next(types.Length)], _random.Next(2, 256), 0, 0, 0, 0);
            }
            else if (r < 650)
            {
                int n = _random.Next(1, CcidMessage.MaxDataLength + 1);
                Header(CcidMessage.XfrBlock, slot, n, 0, 0, 0);
                FillRandom(_message, CcidMessage.HeaderLength, n);
                Send(Kind.XfrRandom, CcidMessage.HeaderLength + n);
            }
            else if (r < 680)
            {
                SendBadLrc(slot);
            }
            else if (r < 705)
            {
                SendGarbage();
            }
            else if (r < 735)
            {
                SendTruncated(slot);
            }
            else if (r < 745)
            {
                SendOversized(slot);
            }
            else if (r < 890)
            {
                SendPinEntry(_random.Next(10) == 0 ? 0 : Cpx);
            }
            else if (r < 910)
            {
                SendClearPin();
            }
            else
            {
                SendPseudo(slot);
            }
        }

        private static readonly byte[] InvalidSlotTypes =
        {
            CcidMessage.IccPowerOn, CcidMessage.IccPowerOff, CcidMessage.GetSlotStatus, CcidMessage.XfrBlock,
            CcidMessage.GetParameters, CcidMessage.ResetParameters, CcidMessage.SetParameters, CcidMessage.Escape,
            CcidMessage.IccClock, CcidMessage.T0Apdu, CcidMessage.Secure, CcidMessage.Mechanical, CcidMessage.Abort,
            CcidMessage.SetDataRateAndClockFrequency,
        };

        // ---- host commands -------------------------------------------------------------------

        private void StartUp()
        {
            // libccid's SEC1210 start-up: firmware version (Escape 06), notifications (01 01 01), slot status.
            Header(CcidMessage.Escape, 0, 1, 0, 0, 0);
            _message[10] = 0x06;
            Send(Kind.StartUp, 11);
            Header(CcidMessage.Escape, 0, 3, 0, 0, 0);
            _message[10] = 0x01;
            _message[11] = 0x01;
            _message[12] = 0x01;
            Send(Kind.StartUp, 13);
            SendCommand(Kind.StartUp, CcidMessage.GetSlotStatus, 0, 0, 0, 0, 0);
            SendCommand(Kind.StartUp, CcidMessage.GetSlotStatus, 1, 0, 0, 0, 0);
        }

        private void SendCommand(Kind kind, byte type, int slot, byte b7, byte b8, byte b9, int dataLength)
        {
            Header(type, slot, dataLength, b7, b8, b9);
            FillRandom(_message, CcidMessage.HeaderLength, dataLength);
            Send(kind, CcidMessage.HeaderLength + dataLength);
        }

        private void SendTpdu(int slot)
        {
            // T=0 TPDUs the host's driver would send: selections, reads of various lengths, GET
            // RESPONSE, GET DATA, an empty VERIFY (retry counter), and now and then one the card refuses.
            int n;
            int d = CcidMessage.HeaderLength;
            switch (_random.Next(8))
            {
                case 0:
                    n = Put(d, 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00);
                    break;
                case 1:
                    n = Put(d, 0x00, 0xA4, 0x00, 0x00, 0x02, 0x2F, slot == 0 ? (byte)0x02 : (byte)0x00);
                    break;
                case 2:
                    n = Put(d, 0x00, 0xB0, 0x00, (byte)_random.Next(4), (byte)_random.Next(256));
                    break;
                case 3:
                    n = Put(d, 0x00, 0xC0, 0x00, 0x00, (byte)_random.Next(256));
                    break;
                case 4:
                    n = Put(d, 0x00, 0xCA, 0x00, (byte)_random.Next(256), 0x00);
                    break;
                case 5:
                    n = Put(d, 0x00, 0x20, 0x00, 0x01, 0x00);
                    break;
                case 6:
                    n = Put(d, 0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00, 0x00, 0x00, 0x01, 0x53, 0x49, 0x4D);
                    break;
                default:
                    n = Put(d, (byte)_random.Next(256), (byte)_random.Next(256), (byte)_random.Next(256), (byte)_random.Next(256), 0x00);
                    break;
            }
            Header(CcidMessage.XfrBlock, slot, n, 0, 0, 0);
            Send(Kind.Xfr, d + n);
        }

        private void SendParameters(int slot)
        {
            switch (_random.Next(5))
            {
                case 0:
                    SendCommand(Kind.Parameters, CcidMessage.GetParameters, slot, 0, 0, 0, 0);
                    return;
                case 1:
                    SendCommand(Kind.Parameters, CcidMessage.ResetParameters, slot, 0, 0, 0, 0);
                    return;
                case 2:
                    // T=0: bmFindexDindex 11 or the card's, TCCKST 00, guard time, WI, clock stop.
                    Header(CcidMessage.SetParameters, slot, 5, 0, 0, 0);
                    Put(CcidMessage.HeaderLength, _random.Next(2) == 0 ? (byte)0x11 : (byte)0x13, 0x00, (byte)_random.Next(3), 0x0A, 0x00);
                    Send(Kind.Parameters, CcidMessage.HeaderLength + 5);
                    return;
                case 3:
                    Header(CcidMessage.SetParameters, slot, 7, 1, 0, 0);
                    Put(CcidMessage.HeaderLength, 0x11, 0x10, 0x00, 0x45, 0x00, 0xFE, 0x00);
                    Send(Kind.Parameters, CcidMessage.HeaderLength + 7);
                    return;
                default:
                    SendCommand(Kind.Parameters, CcidMessage.SetParameters, slot, (byte)_random.Next(4), 0, 0, _random.Next(10));
                    return;
            }
        }

        private void SendEscape(int slot)
        {
            switch (_random.Next(5))
            {
                case 0:
                    Header(CcidMessage.Escape, slot, 1, 0, 0, 0);
                    _message[10] = _random.Next(2) == 0 ? (byte)0x06 : (byte)0x02;
                    Send(Kind.Escape, 11);
                    return;
                case 1:
                    Header(CcidMessage.Escape, slot, 3, 0, 0, 0);
                    Put(CcidMessage.HeaderLength, 0x01, 0x01, 0x01);
                    Send(Kind.Escape, 13);
                    return;
                case 2:
                    Header(CcidMessage.Escape, slot, 1, 0, 0, 0);
                    _message[10] = 0x6A;
                    Send(Kind.Escape, 11);
                    return;
                case 3:
                    Header(CcidMessage.Escape, slot, 165, 0, 0, 0);
                    Put(CcidMessage.HeaderLength, 0xB2, 0xA0, 0x00, 0x4D, 0x4C);
                    FillRandom(_message, CcidMessage.HeaderLength + 5, 160);
                    Send(Kind.Escape, CcidMessage.HeaderLength + 165);
                    return;
                default:
                    SendCommand(Kind.Escape, CcidMessage.Escape, slot, 0, 0, 0, _random.Next(0, 20));
                    return;
            }
        }

        private void SendOther(int slot)
        {
            switch (_random.Next(6))
            {
                case 0:
                    SendCommand(Kind.Other, CcidMessage.IccClock, slot, (byte)_random.Next(3), 0, 0, 0);
                    return;
                case 1:
                    SendCommand(Kind.Other, CcidMessage.T0Apdu, slot, (byte)_random.Next(5), 0, 0, 0);
                    return;
                case 2:
                    SendCommand(Kind.Other, CcidMessage.Mechanical, slot, (byte)_random.Next(1, 6), 0, 0, 0);
                    return;
                case 3:
                    Header(CcidMessage.SetDataRateAndClockFrequency, slot, 8, 0, 0, 0);
                    CcidDevice.WriteInt(_message, 10, _random.Next(2) == 0 ? 4000 : _random.Next(1, 20000));
                    CcidDevice.WriteInt(_message, 14, _random.Next(2) == 0 ? 10752 : _random.Next(1, 600000));
                    Send(Kind.Other, CcidMessage.HeaderLength + 8);
                    return;
                case 4:
                    SendCommand(Kind.Other, CcidMessage.SetDataRateAndClockFrequency, slot, 0, 0, 0, _random.Next(8));
                    return;
                default:
                    SendCommand(Kind.Other, CcidMessage.Secure, slot, 0, 0, 0, _random.Next(30));
                    return;
            }
        }

        private void SendBadLrc(int slot)
        {
            Header(CcidMessage.GetSlotStatus, slot, 0, 0, 0, 0);
            int n = Framed(CcidMessage.HeaderLength);
            _frame[n - 1] ^= (byte)_random.Next(1, 256);
            SendFrameBytes(Kind.BadLrc, n, false);
        }

        private void SendGarbage()
        {
            int n = _random.Next(1, 64);
            FillRandom(_frame, 0, n);
            if (_frame[0] == SerialHostLink.Sync)
            {
                _frame[0] = 0x00;
            }
            SendFrameBytes(Kind.Garbage, n, false);
        }

        private void SendTruncated(int slot)
        {
            Header(CcidMessage.XfrBlock, slot, 5, 0, 0, 0);
            Put(CcidMessage.HeaderLength, 0x00, 0xB0, 0x00, 0x00, 0x10);
            int n = Framed(CcidMessage.HeaderLength + 5);
            SendFrameBytes(Kind.Truncated, _random.Next(1, n), false);
        }

        private void SendOversized(int slot)
        {
            Header(CcidMessage.XfrBlock, slot, 0, 0, 0, 0);
            CcidDevice.WriteInt(_message, 1, _random.Next(CcidMessage.MaxDataLength + 1, 100_000));
            int n = Framed(CcidMessage.HeaderLength);
            SendFrameBytes(Kind.Oversized, n, false);
        }

        private void SendPinEntry(int slot)
        {
            // PC/SC part 10 PIN_VERIFY_STRUCTURE (or PIN_MODIFY_STRUCTURE) in a PPDU FF C2 01 06/07:
            // ASCII digits in an 8-byte block padded with FF, 4 to 8 digits, validation by OK.
            bool modify = _random.Next(8) == 0;
            int timeout = _random.Next(4) == 0 ? _random.Next(1, 31) : 5;
            int d = CcidMessage.HeaderLength;
            int p = d + 5;
            int s;
            if (!modify)
            {
                s = Put(p, (byte)timeout, (byte)timeout, 0x82, 0x08, 0x00, 0x08, 0x04, 0x02, 0x01, 0x09, 0x04, 0x00, 0, 0, 0, 13, 0, 0, 0);
                s += Put(p + s, 0x00, 0x20, 0x00, 0x01, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
            }
            else
            {
                s = Put(p, (byte)timeout, (byte)timeout, 0x82, 0x08, 0x00, 0x00, 0x08, 0x08, 0x04, 0x03, 0x02, 0x03, 0x09, 0x04, 0x00, 0x01, 0x02, 0, 0, 0, 21, 0, 0, 0);
                s += Put(p + s, 0x00, 0x24, 0x00, 0x01, 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
            }
            Put(d, 0xFF, 0xC2, 0x01, modify ? (byte)0x07 : (byte)0x06, (byte)s);
            Header(CcidMessage.XfrBlock, slot, 5 + s, 0, 0, 0);
            ScriptKeys(modify);
            _pinEntries++;
            _pinFinished = false;
            _pinWatch = 16;
            _sink.Reset();
            Send(Kind.PinEntry, d + 5 + s);
            if ((_lastReplyStatus & 0xC0) == 0 && !_pinFinished)
            {
                Fail("a PIN entry was answered without the PIN pad reporting the operation (OperationFinished)");
            }
            if (_pinFinished && !_pinClear)
            {
                Fail($"a PIN operation left a PIN or APDU buffer not zero ({_pinResult?.Outcome})");
            }
        }

        private void ScriptKeys(bool modify)
        {
            // One entry's keys: the right PIN, a wrong one, with a correction, cancelled, left to time
            // out (first key or between keys), too short or too long. The longest run of digits is
            // what the leak checks look for.
            int k = 0;
            int parts = modify ? 3 : 1;
            for (int part = 0; part < parts; part++)
            {
                int choice = _random.Next(20);
                if (choice < 6)
                {
                    k = Append(k, "1234K");
                }
                else if (choice < 11)
                {
                    k = Digits(k, _random.Next(4, 9));
                    _keys[k++] = 'K';
                }
                else if (choice < 13)
                {
                    k = Digits(k, _random.Next(1, 4));
                    _keys[k++] = 'R';
                    k = Digits(k, _random.Next(4, 9));
                    _keys[k++] = 'K';
                }
                else if (choice < 16)
                {
                    k = Digits(k, _random.Next(0, 6));
                    _keys[k++] = 'C';
                }
                else if (choice < 18)
                {
                    k = Digits(k, _random.Next(0, 4));
                }
                else
                {
                    k = Digits(k, _random.Next(2) == 0 ? _random.Next(1, 4) : _random.Next(9, 12));
                    _keys[k++] = 'K';
                }
                if (k > _keys.Length - 14)
                {
                    break;
                }
            }
            string script = new string(_keys, 0, k);
            _board.Keypad.Script(script);
            // The digits to look for: the longest run typed (4 digits at least).
            _pinLength = 0;
            int run = 0;
            for (int i = 0; i <= k; i++)
            {
                bool digit = i < k && _keys[i] >= '0' && _keys[i] <= '9';
                if (digit)
                {
                    run++;
                    continue;
                }
                if (run >= 4 && run > _pinLength)
                {
                    _pinLength = Math.Min(run, 8);
                    for (int j = 0; j < _pinLength; j++)
                    {
                        _pin[j] = (byte)_keys[i - run + j];
                    }
                }
                run = 0;
            }
            for (int j = 0; j < 8; j++)
            {
                _pinBlock[j] = j < _pinLength ? _pin[j] : (byte)0xFF;
            }
        }

        private int Digits(int k, int count)
        {
            for (int i = 0; i < count; i++)
            {
                _keys[k++] = (char)('0' + _random.Next(10));
            }
            return k;
        }

        private int Append(int k, string text)
        {
            foreach (char c in text)
            {
                _keys[k++] = c;
            }
            return k;
        }

        private void SendClearPin()
        {
            // A VERIFY with the PIN in clear from the host to the CPx slot: the policy refuses it (6982).
            int d = CcidMessage.HeaderLength;
            int n = Put(d, 0x00, 0x20, 0x00, 0x01, 0x08, 0x41, 0x42, 0x43, 0x44, 0xFF, 0xFF, 0xFF, 0xFF);
            Header(CcidMessage.XfrBlock, Cpx, n, 0, 0, 0);
            Send(Kind.ClearPin, d + n);
        }

        private void SendPseudo(int slot)
        {
            int d = CcidMessage.HeaderLength;
            int n;
            switch (_random.Next(5))
            {
                case 0:
                    n = Put(d, 0xFF, 0xC2, 0x01, 0x00, 0x00);
                    break;
                case 1:
                    n = Put(d, 0xFF, 0xC2, 0x01, 0x0A, 0x00);
                    break;
                case 2:
                    n = Put(d, 0xFF, 0xC2, 0x01, 0x12, 0x00);
                    break;
                case 3:
                    n = Put(d, 0xFF, 0x9A, 0x01, (byte)_random.Next(1, 9), 0x00);
                    break;
                default:
                    n = Put(d, 0xFF, 0x9A, (byte)_random.Next(256), (byte)_random.Next(256), 0x00);
                    break;
            }
            Header(CcidMessage.XfrBlock, slot, n, 0, 0, 0);
            Send(Kind.Pseudo, d + n);
        }

        // ---- the world -----------------------------------------------------------------------

        private void MoveCard()
        {
            int slot = _random.Next(2);
            VirtualSlot s = _board.Slots[slot];
            if (s.Card != null)
            {
                if (_random.Next(2) == 0)
                {
                    s.Remove();
                    _removals++;
                    _removedAt[slot] = (int)Math.Min(_answered, int.MaxValue);
                }
                else
                {
                    // Pulled out while the card is about to send its n-th character since the last reset.
                    s.Card.Faults.RemoveAt = _random.Next(0, 600);
                }
            }
            else if (_answered > _removedAt[slot])
            {
                // Put back only once the firmware has seen the slot empty (a command answered since).
                s.Insert(VirtualCard.FromProfile(Profiles[slot]));
                _insertions++;
            }
        }

        private void InjectFault()
        {
            VirtualCard? card = _board.Slots[_random.Next(2)].Card;
            if (card == null)
            {
                return;
            }
            _faults++;
            CardFaults f = card.Faults;
            switch (_random.Next(8))
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
                    f.WrongTs = (byte)_random.Next(256);
                    break;
                case 4:
                    f.ParityErrorAt = _random.Next(0, 400);
                    f.ParityErrorRepeats = _random.Next(1, 6);
                    break;
                case 5:
                    f.DelayAt = _random.Next(0, 400);
                    f.DelayCycles = _random.Next(1, 20_000_000);
                    break;
                case 6:
                    f.PpsRefusal = _random.Next(2) == 0 ? PpsRefusal.Mute : PpsRefusal.DefaultRate;
                    break;
                default:
                    f.Clear();
                    break;
            }
        }

        private void ClearSomeFault()
        {
            VirtualCard? card = _board.Slots[_random.Next(2)].Card;
            if (card != null)
            {
                card.Faults.Clear();
            }
        }

        private void HostGoesAway()
        {
            _kind = Kind.StartUp;
            // pcscd stops: the link reads "no host", the firmware powers the cards off and forgets the
            // start-up; a new pcscd then runs the start-up again.
            _hostResets++;
            _pipe.HostGone();
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long b0 = _meter.BoardBytes;
            _meter.Mark();
            int result = _link.Poll(0);
            Account(a0, b0);
            if (result != -2)
            {
                Fail($"the link read {result} instead of -2 when the host went away");
            }
            CheckOutput(-2, 0);
            for (int s = 0; s < 2; s++)
            {
                if (_board.Slots[s].VirtualLine.Vcc != VoltageClass.None)
                {
                    Fail($"slot {s} still powered after the host went away");
                }
            }
            StartUp();
        }

        // ---- sending and checking -------------------------------------------------------------

        private void Header(byte type, int slot, int dataLength, byte b7, byte b8, byte b9)
        {
            _message[0] = type;
            CcidDevice.WriteInt(_message, 1, dataLength);
            _message[5] = (byte)slot;
            _message[6] = _seq++;
            _message[7] = b7;
            _message[8] = b8;
            _message[9] = b9;
        }

        private int Put(int offset, params byte[] bytes)
        {
            Array.Copy(bytes, 0, _message, offset, bytes.Length);
            return bytes.Length;
        }

        private void FillRandom(byte[] buffer, int offset, int count)
        {
            for (int i = 0; i < count; i++)
            {
                buffer[offset + i] = (byte)_random.Next(256);
            }
        }

        private int Framed(int length)
        {
            _frame[0] = SerialHostLink.Sync;
            _frame[1] = SerialHostLink.Ack;
            int lrc = SerialHostLink.Sync ^ SerialHostLink.Ack;
            for (int i = 0; i < length; i++)
            {
                _frame[2 + i] = _message[i];
                lrc ^= _message[i];
            }
            _frame[2 + length] = (byte)lrc;
            return length + 3;
        }

        private void Send(Kind kind, int length)
        {
            SendFrameBytes(kind, Framed(length), true);
        }

        private void SendFrameBytes(Kind kind, int frameLength, bool wellFormed)
        {
            _kind = kind;
            _countByKind[(int)kind]++;
            _commands++;
            _pipe.TakeOutput();
            _pipe.HostWrite(_frame, 0, frameLength);
            long sentAt = _clock.NowPicoseconds;
            long a0 = GC.GetAllocatedBytesForCurrentThread();
            long b0 = _meter.BoardBytes;
            _meter.Mark();
            int result = _link.Poll(0);
            Account(a0, b0);
            int expected = wellFormed ? 1 : -1;
            if (result != expected)
            {
                Fail($"poll returned {result}, expected {expected} for a {(wellFormed ? "good" : "bad")} frame {LinkChecker.Hex(_frame, 0, frameLength)}");
            }
            if (wellFormed && !_trace.LastCommandEquals(_message, frameLength - 3))
            {
                Fail("the link received another message than the host sent");
            }
            CheckOutput(result, sentAt);
            if (result == 1)
            {
                _answered++;
                _lastReplyStatus = _pipe.Output[_checker.ReplyOffset + 7];
                CheckIccStatus();
            }
            else
            {
                _naks++;
            }
            if (_pinWatch > 0)
            {
                _pinWatch--;
                CheckNoPin();
            }
            // Nothing more: the whole frame was taken, no second answer follows.
            _pipe.TakeOutput();
            a0 = GC.GetAllocatedBytesForCurrentThread();
            b0 = _meter.BoardBytes;
            _meter.Mark();
            int again = _link.Poll(0);
            Account(a0, b0);
            if (again != 0 || _pipe.OutputLength != 0 || _pipe.Pending != 0)
            {
                Fail($"after the answer the link polled {again} with {_pipe.OutputLength} bytes out and {_pipe.Pending} bytes of the frame unread (out of step)");
            }
            if (_commands == WarmUpCommands)
            {
                _firmwareBytes = 0;
                _measuredCommands = 0;
                Array.Clear(_allocationByKind);
            }
            else if (_commands > WarmUpCommands)
            {
                _measuredCommands++;
            }
        }

        private void Account(long allocatedBefore, long boardBefore)
        {
            long firmware = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) - (_meter.BoardBytes - boardBefore);
            _firmwareBytes += firmware;
            _allocationByKind[(int)_kind] += firmware;
            if (firmware != 0 && _commands > WarmUpCommands && _allocationSamples.Count < 20)
            {
                _allocationSamples.Add($"command {_commands} ({_kind}) {LinkChecker.Hex(_trace.LastCommand, 0, Math.Min(_trace.LastCommandLength, 24))}: {firmware} B, answer {LinkChecker.Hex(_pipe.Output, 0, _pipe.OutputLength)}");
            }
        }

        private void CheckOutput(int result, long sentAt)
        {
            string? error = _checker.Check(result, _trace.LastCommand, _trace.LastCommandLength, false, _pipe, sentAt);
            if (error != null)
            {
                Fail(error);
            }
        }

        private void CheckIccStatus()
        {
            byte[] o = _pipe.Output;
            int m = _checker.ReplyOffset;
            int slot = o[m + 5];
            int reported = o[m + 7] & 0x03;
            int truth = slot < 2 ? IccStatusOf(slot) : CcidStatus.IccAbsent;
            if (reported != truth)
            {
                Fail($"reply {LinkChecker.Hex(o, m, _checker.ReplyLength)} reports ICC status {reported} for slot {slot}; the simulator's truth is {truth}");
            }
        }

        private int IccStatusOf(int slot)
        {
            VirtualSlot s = _board.Slots[slot];
            if (s.Card == null)
            {
                return CcidStatus.IccAbsent;
            }
            return s.VirtualLine.Vcc == VoltageClass.None ? CcidStatus.IccInactive : CcidStatus.IccActive;
        }

        private void OnPinOperation(SecurePinResult result, bool buffersClear)
        {
            _pinFinished = true;
            _pinOperations++;
            _pinClear = buffersClear;
            _pinResult = result;
        }

        private void CheckNoPin()
        {
            if (_pinLength < 4)
            {
                return;
            }
            if (Contains(_pipe.Output, _pipe.OutputLength, _pin, _pinLength) || Contains(_pipe.Output, _pipe.OutputLength, _pinBlock, 8))
            {
                Fail($"the digits typed ({_pinLength}) are in the bytes sent to the host: {LinkChecker.Hex(_pipe.Output, 0, _pipe.OutputLength)}");
            }
            // The trace holds text (block comments, "iso7816" link names): there the bare digits count
            // from 6 on; the PIN block as the reader builds it (digits padded with FF) always.
            int at = _pinLength >= 6 ? IndexOf(_sink.Bytes, _sink.Length, _pin, _pinLength) : -1;
            if (at < 0)
            {
                at = IndexOf(_sink.Bytes, _sink.Length, _pinBlock, 8);
            }
            if (at >= 0)
            {
                int from = Math.Max(0, at - 32);
                Fail($"the digits typed ({System.Text.Encoding.ASCII.GetString(_pin, 0, _pinLength)}) are in the pcapng trace at byte {at} of {_sink.Length} since the entry: ...{LinkChecker.Hex(_sink.Bytes, from, Math.Min(64, _sink.Length - from))}");
            }
            string? leaked = _trace.EventContaining(_pin, _pinLength);
            if (leaked != null)
            {
                Fail($"the digits typed are in a log line: {leaked}");
            }
        }

        private static bool Contains(byte[] haystack, int length, byte[] needle, int needleLength)
        {
            return IndexOf(haystack, length, needle, needleLength) >= 0;
        }

        private static int IndexOf(byte[] haystack, int length, byte[] needle, int needleLength)
        {
            for (int i = 0; i + needleLength <= length; i++)
            {
                int j = 0;
                while (j < needleLength && haystack[i + j] == needle[j])
                {
                    j++;
                }
                if (j == needleLength)
                {
                    return i;
                }
            }
            return -1;
        }

        private void Fail(string what)
        {
            throw new SoakFailure($"soak seed {Seed}, host command {_commands} ({_kind}, {VirtualHours:F3} virtual hours): {what}. Replay: terminal soak --seed {Seed} --commands {_commands}");
        }

        /// <summary>The pcapng trace's bytes since the last PIN entry began (the leak check reads them).</summary>
        private sealed class ScanningSink : ITraceSink
        {
            public readonly byte[] Bytes = new byte[1 << 20];
            public int Length;

            public void Reset() => Length = 0;

            public void Write(byte[] buffer, int offset, int count)
            {
                int n = Math.Min(count, Bytes.Length - Length);
                Array.Copy(buffer, offset, Bytes, Length, n);
                Length += n;
            }

            public void Flush()
            {
            }
        }
    }
}
