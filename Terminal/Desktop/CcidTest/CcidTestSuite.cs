using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using Terminal.Desktop.Conformance;
using Terminal.Iso7816;

namespace Terminal.Desktop.CcidTest
{
    /// <summary>Settings of a `terminal ccid-test` run.</summary>
    public sealed class CcidTestOptions
    {
        /// <summary>sec1210 or gempcpinpad: the reader type, as the suffix in pcscd's DEVICENAME picks it.</summary>
        public string Profile = "sec1210";
        /// <summary>CCID slot for card exchanges; -1: the first slot with a card.</summary>
        public int Slot = -1;
        /// <summary>
        /// A command the card takes long over (time extension case), hex: a TPDU for a T=0 card; for a
        /// T=1 card the APDU, sent in an I-block (the card's S(WTX request) is answered as libccid does).
        /// Null: the case reports "not exercised".
        /// </summary>
        public string? SlowTpdu;
        /// <summary>
        /// Gets keys typed on the reader's keypad for the PIN case, just before the PC_to_RDR_Secure
        /// goes: "pin" (the card's PIN, then OK) or "cancel" (the Cancel key). Null: not exercised.
        /// </summary>
        public Func<string, bool>? TypeKeys;
        /// <summary>How keys are typed, for the report.</summary>
        public string TypeKeysDescription = "";
        /// <summary>Takes the card out of (true) or puts it back in (false) a CCID slot; null: removal not exercised.</summary>
        public Func<int, bool, bool>? MoveCard;
        /// <summary>How card moves are made, for the report.</summary>
        public string MoveCardDescription = "";
        /// <summary>
        /// The start-up's later GetSlotStatus must be answered within this (libccid waits 100 ms). Tests on a
        /// loaded CI machine may widen it; a lab keeps 100.
        /// </summary>
        public int StartUpReplyMilliseconds = 100;
        /// <summary>How long to wait for the reader's NAK to a broken frame (it first waits out its own inter-byte timeout).</summary>
        public int NakTimeoutMilliseconds = 3000;
    }

    /// <summary>
    /// The host side of the CCID cases, against any reader speaking libccid's serial framing: the
    /// start-up sequence of the chosen reader type as libccid sends it, every PC_to_RDR message,
    /// invalid slot, bad lengths, bad LRC (NAK, the link stays in step), Abort, time extension,
    /// power cycling, chained XfrBlocks and the slot status on removal.
    /// </summary>
    public sealed class CcidTestSuite
    {
        private readonly HostLinkClient _link;
        private readonly CcidTestOptions _options;
        private readonly string _trace;
        private readonly List<CaseResult> _results = new List<CaseResult>();
        private int _slotCount;
        private int _slot;
        private byte[]? _atr;
        private readonly Atr _parsedAtr = new Atr();
        private bool _t1Crc;
        private int _ns;

        /// <summary>A suite over <paramref name="link"/>; <paramref name="traceLink"/> is the trace file named in the report.</summary>
        public CcidTestSuite(HostLinkClient link, CcidTestOptions options, string traceLink)
        {
            _link = link;
            _options = options;
            _trace = traceLink;
        }

        private bool Gem => _options.Profile == "gempcpinpad";

        /// <summary>Runs every case in order (start-up first, as a driver would).</summary>
        public List<CaseResult> Run()
        {
            _slotCount = Gem ? 1 : 2;
            _link.Echo = Gem;
            Case("START-001", $"Start-up sequence of libccid's {(Gem ? "GemPCPinPad" : "SEC1210")} driver", "pcsc-serial.md start-up; libccid ccid_serial.c/ifdhandler.c; CCID §6.1.8, §6.1.3", "Start-up", StartUp);
            ChooseSlot();
            // Early, while a real-time paced simulator has little slack (it never runs behind the wall clock).
            Case("TEXT-001", "Time extension: the reader keeps the host waiting with time requests (bytes >= 80) and answers", "pcsc-serial.md (time request); CCID §6.2.6 bmCommandStatus 2", "Link", TimeExtension);
            Case("LINK-001", "Bad LRC from the host: NAK 03 15 16, then the next command is answered", "pcsc-serial.md framing (reader NAK 03 15 16)", "Link", c => BrokenFrame(c, HostLinkClient.Frame(GetSlotStatusMessage(), corruptLrc: true), "a GetSlotStatus with its LRC inverted"));
            Case("LINK-002", "Bytes before SYNC: NAK, link back in step", "pcsc-serial.md framing", "Link", c => BrokenFrame(c, new byte[] { 0x55, 0xAA, 0x10 }, "three stray bytes"));
            Case("LINK-003", "SYNC not followed by ACK: NAK, link back in step", "pcsc-serial.md framing (03 06 ...)", "Link", c => BrokenFrame(c, new byte[] { 0x03, 0x07, 0x65, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x61 }, "03 07 + a GetSlotStatus"));
            Case("LINK-004", "Frame shorter than its dwLength (cut): NAK after the inter-byte timeout, link back in step", "pcsc-serial.md framing; CCID §6 dwLength", "Link", c => BrokenFrame(c, Cut(), "an XfrBlock announcing 20 data bytes carrying 3"));
            Case("LINK-005", "dwLength above 261 (message over 271 bytes): NAK, link back in step", "pcsc-serial.md (dwMaxCCIDMessageLength 271)", "Link", c => BrokenFrame(c, HostLinkClient.Frame(new byte[] { 0x6F, 0x00, 0x10, 0x00, 0x00, (byte)_slot, _link.NextSeq(), 0, 0, 0 }), "an XfrBlock with dwLength 4096"));
            Case("LINK-006", "dwLength smaller than the bytes sent: NAK (the LRC lands on a data byte), link back in step", "pcsc-serial.md framing; CCID §6 dwLength", "Link", c => BrokenFrame(c, Short(), "an Escape announcing 1 data byte carrying 4"));
            Case("CCID-SLOT", "Invalid slot: bError 05 (bSlot) for GetSlotStatus, IccPowerOn, XfrBlock", "CCID §6.2.6 (slot error, offset 5)", "CCID", InvalidSlot);
            Case("CCID-LEN", "Consistent frame, wrong dwLength for the message: BAD_LENGTH", "CCID §6.1.1, §6.2.6 (offset 1)", "CCID", BadLength);
            Case("CCID-TYPE", "Unknown bMessageType: SlotStatus with CMD_NOT_SUPPORTED", "CCID §6.2.6 (offset 0)", "CCID", UnknownType);
            Case("MSG-62", "PC_to_RDR_IccPowerOn: DataBlock with a well-formed ATR", "CCID §6.1.1; ISO/IEC 7816-3 §8", "Messages", PowerOn);
            Case("MSG-65", "PC_to_RDR_GetSlotStatus: SlotStatus, card active, bSeq echoed", "CCID §6.1.3", "Messages", c => SimpleReply(c, 0x65, 0, 0x81, expectOk: true, expectIcc: 0));
            Case("MSG-6F", "PC_to_RDR_XfrBlock: a TPDU answered by the card", "CCID §6.1.4 (TPDU level)", "Messages", XfrBlock);
            Case("MSG-6C", "PC_to_RDR_GetParameters: protocol of the ATR", "CCID §6.1.5, §6.2.3", "Messages", GetParameters);
            Case("MSG-61", "PC_to_RDR_SetParameters with the reader's own values: accepted, echoed", "CCID §6.1.7", "Messages", SetParameters);
            Case("MSG-6D", "PC_to_RDR_ResetParameters: Parameters reply", "CCID §6.1.6", "Messages", c => SimpleReply(c, 0x6D, 0, 0x82, expectOk: true, expectIcc: -1));
            Case("MSG-6B", "PC_to_RDR_Escape (firmware version): text under 50 bytes", "CCID §6.1.8; pcsc-serial.md", "Messages", Escape);
            Case("MSG-6E", "PC_to_RDR_IccClock (restart): SlotStatus", "CCID §6.1.9", "Messages", c => SimpleReply(c, 0x6E, 0, 0x81, expectOk: true, expectIcc: 0));
            Case("MSG-6A", "PC_to_RDR_T0APDU (no change): SlotStatus", "CCID §6.1.10", "Messages", c => SimpleReply(c, 0x6A, 0, 0x81, expectOk: true, expectIcc: -1));
            Case("MSG-69", "PC_to_RDR_Secure", "CCID §6.1.11; PC/SC part 10", "Messages", Secure);
            Case("MSG-71", "PC_to_RDR_Mechanical: SlotStatus (not supported is a valid answer)", "CCID §6.1.12", "Messages", c => SimpleReply(c, 0x71, 1, 0x81, expectOk: false, expectIcc: -1));
            Case("MSG-72", "PC_to_RDR_Abort: SlotStatus, slot usable after", "CCID §6.1.13, §5.3.1", "Messages", Abort);
            Case("MSG-73", "PC_to_RDR_SetDataRateAndClockFrequency: values in force", "CCID §6.1.14, §6.2.5", "Messages", DataRate);
            Case("MSG-63", "PC_to_RDR_IccPowerOff: SlotStatus, card inactive", "CCID §6.1.2", "Messages", c => SimpleReply(c, 0x63, 0, 0x81, expectOk: true, expectIcc: 1));
            Case("PWR-001", "Power cycling: three power-on/power-off rounds give the same ATR", "CCID §6.1.1/§6.1.2; ISO/IEC 7816-3 §6.2, §6.4", "Messages", PowerCycle);
            Case("CHAIN-001", "Chained XfrBlocks (T=1 I-blocks with the M bit, as libccid sends long APDUs)", "ISO/IEC 7816-3 §11.6.2.3; CCID §6.1.4 TPDU level", "Messages", Chained);
            Case("RM-001", "Card removal: slot status turns absent (and 50 02 is sent when notifications are on), insertion: present", "CCID §6.1.3, §6.3.1; pcsc-serial.md (50 02 / 50 03)", "Removal", Removal);
            return _results;
        }

        private sealed class Ctx
        {
            public readonly StringBuilder Observed = new StringBuilder();
            public readonly List<string> Failures = new List<string>();
            public string Expected = "";
            public string? SkipReason;

            public void Expect(bool condition, string failure)
            {
                if (!condition) { Failures.Add(failure); }
            }

            public void See(string line) => Observed.Append(Observed.Length > 0 ? "\n" : "").Append(line);
        }

        private void Case(string id, string title, string clause, string category, Action<Ctx> body)
        {
            var c = new Ctx();
            Stopwatch sw = Stopwatch.StartNew();
            try
            {
                body(c);
            }
            catch (Exception e) when (e is System.IO.IOException || e is TimeoutException || e is InvalidOperationException)
            {
                c.Failures.Add("link error: " + e.Message);
            }
            var r = new CaseResult
            {
                Id = id, Title = title, Clause = clause, Category = category, Expected = c.Expected,
                Observed = c.Observed.ToString(), Duration = sw.Elapsed, Trace = _trace,
            };
            if (c.SkipReason != null && c.Failures.Count == 0)
            {
                r.Status = CaseStatus.Skip;
                r.Message = c.SkipReason;
            }
            else
            {
                r.Status = c.Failures.Count == 0 ? CaseStatus.Pass : CaseStatus.Fail;
                r.Message = string.Join("; ", c.Failures);
            }
            _results.Add(r);
            _link.Drain(20);
        }

        private static string Describe(Exchange e)
        {
            var sb = new StringBuilder();
            if (e.Echo != null) { sb.Append($"echo frame {Hex.Short(e.Echo, 0, e.Echo.Length, 12)}; "); }
            if (e.TimeRequests > 0) { sb.Append($"{e.TimeRequests} time request(s); "); }
            foreach (byte n in e.Notifications) { sb.Append($"notification 50 {n:X2}; "); }
            if (e.Nak) { sb.Append("NAK 03 15 16"); }
            else if (e.Reply != null)
            {
                byte[] r = e.Reply;
                sb.Append($"{r[0]:X2} {(r[7] >> 6 == 0 ? "ok" : r[7] >> 6 == 1 ? "failed" : "time extension")}, ICC {(r[7] & 3) switch { 0 => "active", 1 => "inactive", 2 => "absent", _ => "?" }}");
                if (r[7] >> 6 == 1) { sb.Append($", bError {CaseRunner.ErrorName(r[8])}"); }
                if (r.Length > 10) { sb.Append(", data ").Append(Hex.Short(r, 10, r.Length - 10, 24)); }
            }
            else { sb.Append("no answer"); }
            foreach (string p in e.Problems) { sb.Append("; ").Append(p); }
            sb.Append($" [{e.Elapsed.TotalMilliseconds:0} ms]");
            return sb.ToString();
        }

        private Exchange Send(Ctx c, byte[] m, string what, int timeout = 0)
        {
            Exchange e = _link.Transact(m, timeout);
            c.See($"{what} -> {Describe(e)}");
            return e;
        }

        // A well-formed reply of the expected type to this command: bSeq and bSlot echoed, no link problem.
        private static void WellFormed(Ctx c, Exchange e, byte[] m, byte type, string what)
        {
            if (e.Reply == null)
            {
                c.Failures.Add($"{what}: {(e.Nak ? "NAK to a valid frame" : "no answer")}");
                return;
            }
            c.Expect(e.Reply[0] == type, $"{what}: reply type {e.Reply[0]:X2}, expected {type:X2}");
            c.Expect(e.Reply[5] == m[5], $"{what}: bSlot {e.Reply[5]:X2} in the reply, expected {m[5]:X2}");
            c.Expect(e.Reply[6] == m[6], $"{what}: bSeq {e.Reply[6]:X2} in the reply, expected {m[6]:X2}");
            foreach (string p in e.Problems) { c.Failures.Add($"{what}: {p}"); }
        }

        private byte[] GetSlotStatusMessage() => _link.Message(0x65, _slot, 0, 0, 0, null);

        private void StartUp(Ctx c)
        {
            var steps = new List<string>();
            if (Gem)
            {
                c.Expected = "Escape 02 answered within 2 s (EscapeResponse, not failed, text < 50 bytes); Escape 01 01 01 accepted; GetSlotStatus three times (the later two within 100 ms); Escape 6A answered (failure tolerated); after 1 s Escape B2 A0 00 4D 4C + 160 bytes of prompts accepted (failure aborts libccid's start-up)";
                byte[] m = _link.Message(0x6B, 0, 0, 0, 0, new byte[] { 0x02 });
                Exchange e = Send(c, m, "Escape 02", 2000);
                WellFormed(c, e, m, 0x83, "Escape 02");
                c.Expect(e.CommandStatus == 0, "Escape 02: failed (libccid gives up)");
                c.Expect(e.DataLength < 50, $"Escape 02: firmware text of {e.DataLength} bytes (libccid's buffer takes under 50)");
                c.Expect(e.Elapsed.TotalMilliseconds < 2000, "Escape 02: answered after 2 s");
                m = _link.Message(0x6B, 0, 0, 0, 0, new byte[] { 0x01, 0x01, 0x01 });
                e = Send(c, m, "Escape 01 01 01");
                WellFormed(c, e, m, 0x83, "Escape 01 01 01");
            }
            else
            {
                c.Expected = $"Escape 06 (firmware) answered with text under 50 bytes; GetSlotStatus three times on each slot, the later two within {_options.StartUpReplyMilliseconds} ms (libccid: 100)";
                byte[] m = _link.Message(0x6B, 0, 0, 0, 0, new byte[] { 0x06 });
                Exchange e = Send(c, m, "Escape 06", 2000);
                WellFormed(c, e, m, 0x83, "Escape 06");
                c.Expect(e.CommandStatus == 0, "Escape 06: failed");
                c.Expect(e.DataLength < 50, $"Escape 06: firmware text of {e.DataLength} bytes (must be under 50)");
            }
            for (int s = 0; s < _slotCount; s++)
            {
                for (int i = 0; i < 3; i++)
                {
                    byte[] m = _link.Message(0x65, s, 0, 0, 0, null);
                    int budget = _options.StartUpReplyMilliseconds;
                    Exchange e = Send(c, m, $"GetSlotStatus slot {s} ({i + 1})", i == 0 ? 0 : budget);
                    WellFormed(c, e, m, 0x81, $"GetSlotStatus slot {s} ({i + 1})");
                    c.Expect(i == 0 || e.Elapsed.TotalMilliseconds <= budget, $"GetSlotStatus slot {s} ({i + 1}) took {e.Elapsed.TotalMilliseconds:0} ms; libccid waits {budget} ms");
                }
            }
            if (Gem)
            {
                byte[] m = _link.Message(0x6B, 0, 0, 0, 0, new byte[] { 0x6A });
                Exchange e = Send(c, m, "Escape 6A");
                WellFormed(c, e, m, 0x83, "Escape 6A");
                Thread.Sleep(1000);
                byte[] prompts = new byte[165];
                prompts[0] = 0xB2; prompts[1] = 0xA0; prompts[2] = 0x00; prompts[3] = 0x4D; prompts[4] = 0x4C;
                string text = "ENTER PIN       PIN OK          WRONG PIN       CANCELLED       TIMEOUT         CHANGE PIN      NEW PIN         CONFIRM PIN     PINS DIFFER     PIN CHANGED     ";
                for (int i = 0; i < 160; i++) { prompts[5 + i] = (byte)text[i]; }
                m = _link.Message(0x6B, 0, 0, 0, 0, prompts);
                e = Send(c, m, "Escape B2 A0 00 4D 4C + 160 bytes of prompts");
                WellFormed(c, e, m, 0x83, "Escape B2 A0 00 4D 4C");
                c.Expect(e.CommandStatus == 0, "Escape B2 A0 00 4D 4C: failed (libccid aborts the reader's start-up)");
                c.Expect(e.Echo == null || e.Echo.Length <= 10, $"echo of {e.Echo?.Length} bytes overflows libccid's buffer: a header-only echo is needed");
            }
        }

        private void ChooseSlot()
        {
            _slot = _options.Slot;
            if (_slot >= 0) { return; }
            _slot = 0;
            for (int s = 0; s < _slotCount; s++)
            {
                Exchange e = _link.Transact(_link.Message(0x65, s, 0, 0, 0, null));
                if (e.Reply != null && e.IccStatus != 2)
                {
                    _slot = s;
                    return;
                }
            }
        }

        private void InStep(Ctx c, string after)
        {
            byte[] m = GetSlotStatusMessage();
            Exchange e = Send(c, m, $"GetSlotStatus after {after}");
            WellFormed(c, e, m, 0x81, $"GetSlotStatus after {after} (is the link in step?)");
        }

        private void BrokenFrame(Ctx c, byte[] bytes, string what)
        {
            c.Expected = $"{what} -> NAK 03 15 16; a following GetSlotStatus -> its own SlotStatus (bSeq echoed)";
            _link.SendRaw(bytes);
            Exchange e = _link.Receive(null, _options.NakTimeoutMilliseconds);
            c.See($"{what}: {Hex.Short(bytes, 0, bytes.Length, 16)} -> {Describe(e)}");
            c.Expect(e.Nak, $"{what}: expected NAK 03 15 16, got {(e.Reply != null ? "a reply " + Hex.Short(e.Reply, 0, e.Reply.Length, 12) : "nothing")}");
            InStep(c, what);
        }

        private byte[] Cut()
        {
            byte[] m = { 0x6F, 20, 0, 0, 0, (byte)_slot, _link.NextSeq(), 0, 0, 0, 0x00, 0xA4, 0x00 };
            byte[] f = new byte[m.Length + 2];
            f[0] = 0x03; f[1] = 0x06;
            m.CopyTo(f, 2);
            return f;
        }

        private byte[] Short()
        {
            byte[] m = { 0x6B, 1, 0, 0, 0, 0, _link.NextSeq(), 0, 0, 0, 0x06, 0x01, 0x02, 0x03 };
            byte[] f = HostLinkClient.Frame(m);
            // Make the byte the reader takes as LRC (0x01) wrong for the frame it thinks it got.
            byte expected = 0x03 ^ 0x06;
            for (int i = 0; i < 11; i++) { expected ^= m[i]; }
            if (expected == 0x01) { f[13] = 0x05; }
            return f;
        }

        private void InvalidSlot(Ctx c)
        {
            c.Expected = $"bSlot {_slotCount} (the reader has {_slotCount}) and FF -> failed, bError 05";
            foreach ((byte type, byte reply, byte[]? data, int slot) in new (byte, byte, byte[]?, int)[] { (0x65, 0x81, null, _slotCount), (0x62, 0x80, null, 0xFF), (0x6F, 0x80, new byte[] { 0x00, 0xA4, 0x00, 0x00 }, _slotCount) })
            {
                byte[] m = _link.Message(type, slot, 0, 0, 0, data);
                Exchange e = Send(c, m, $"{type:X2} slot {slot}");
                WellFormed(c, e, m, reply, $"{type:X2} slot {slot}");
                c.Expect(e.CommandStatus == 1 && e.Error == 5, $"{type:X2} slot {slot}: expected failed with bError 05, got {Describe(e)}");
            }
        }

        private void BadLength(Ctx c)
        {
            c.Expected = "IccPowerOn with one data byte -> failed, bError 01 (dwLength); IccClock with data -> failed, bError 01";
            byte[] m = _link.Message(0x62, _slot, 0, 0, 0, new byte[] { 0x00 });
            Exchange e = Send(c, m, "IccPowerOn with 1 data byte");
            WellFormed(c, e, m, 0x80, "IccPowerOn with data");
            c.Expect(e.CommandStatus == 1 && e.Error == 1, "IccPowerOn with data: expected bError 01");
            m = _link.Message(0x6E, _slot, 0, 0, 0, new byte[] { 0x00, 0x00 });
            e = Send(c, m, "IccClock with 2 data bytes");
            WellFormed(c, e, m, 0x81, "IccClock with data");
            c.Expect(e.CommandStatus == 1 && e.Error == 1, "IccClock with data: expected bError 01");
        }

        private void UnknownType(Ctx c)
        {
            c.Expected = "message type 70 -> SlotStatus (81), failed, bError 00";
            byte[] m = _link.Message(0x70, _slot, 0, 0, 0, null);
            Exchange e = Send(c, m, "message type 70");
            WellFormed(c, e, m, 0x81, "type 70");
            c.Expect(e.CommandStatus == 1 && e.Error == 0, "type 70: expected failed with bError 00");
        }

        private bool NeedCard(Ctx c)
        {
            if (_atr != null) { return true; }
            byte[] m = _link.Message(0x62, _slot, 0, 0, 0, null);
            Exchange e = Send(c, m, $"IccPowerOn slot {_slot}");
            if (e.Reply == null || e.CommandStatus != 0 || e.DataLength < 2)
            {
                c.SkipReason = $"no card that answers in slot {_slot}";
                return false;
            }
            SetAtr(e.Reply);
            return true;
        }

        private void SetAtr(byte[] reply)
        {
            _atr = new byte[reply.Length - 10];
            Array.Copy(reply, 10, _atr, 0, _atr.Length);
            _parsedAtr.Parse(_atr, 0, _atr.Length);
            _t1Crc = _parsedAtr.UsesCrc;
            _ns = 0;
        }

        private void PowerOn(Ctx c)
        {
            c.Expected = "DataBlock, ok, ICC active, an ATR the engine parses without a structural error";
            byte[] m = _link.Message(0x62, _slot, 0, 0, 0, null);
            Exchange e = Send(c, m, $"IccPowerOn slot {_slot}");
            WellFormed(c, e, m, 0x80, "IccPowerOn");
            if (e.Reply == null) { return; }
            if (e.IccStatus == 2) { c.SkipReason = $"slot {_slot} is empty"; return; }
            c.Expect(e.CommandStatus == 0 && e.IccStatus == 0, "IccPowerOn: expected ok with the card active");
            if (e.CommandStatus == 0)
            {
                SetAtr(e.Reply);
                AtrError err = _parsedAtr.LastError;
                c.See($"ATR: {err}, protocol T={_parsedAtr.DefaultProtocol}, {(_parsedAtr.Convention == Convention.Direct ? "direct" : "inverse")} convention");
                c.Expect(!Atr.IsFatal(err), $"ATR {Hex.Format(_atr!, 0, _atr!.Length)}: {err}");
            }
        }

        private void SimpleReply(Ctx c, byte type, byte b7, byte replyType, bool expectOk, int expectIcc)
        {
            if (!NeedCard(c)) { return; }
            c.Expected = $"reply {replyType:X2} with bSeq and bSlot echoed{(expectOk ? ", ok" : "")}{(expectIcc >= 0 ? $", ICC {(expectIcc == 0 ? "active" : "inactive")}" : "")}";
            byte[] m = _link.Message(type, _slot, b7, 0, 0, null);
            Exchange e = Send(c, m, $"{type:X2} slot {_slot}");
            WellFormed(c, e, m, replyType, $"{type:X2}");
            if (expectOk) { c.Expect(e.CommandStatus == 0, $"{type:X2}: failed ({Describe(e)})"); }
            if (expectIcc >= 0) { c.Expect(e.IccStatus == expectIcc, $"{type:X2}: bmICCStatus {e.IccStatus}, expected {expectIcc}"); }
            if (type == 0x63) { _atr = null; }
        }

        private byte[] T1(byte pcb, byte[] inf) => FrameT1(pcb, inf, _t1Crc);

        private static byte[] FrameT1(byte pcb, byte[] inf, bool crc)
        {
            byte[] b = new byte[3 + inf.Length + T1Block.EdcLength(crc)];
            T1Block.Encode(0, pcb, inf, 0, inf.Length, crc, b, 0);
            return b;
        }

        private static bool T1Valid(byte[] r, bool crc)
        {
            int n = r.Length - 10;
            if (n < 4) { return false; }
            int inf = r[12];
            int edc = crc ? 2 : 1;
            if (n != 3 + inf + edc) { return false; }
            return crc ? T1Block.Crc(r, 10, 3 + inf) == ((r[r.Length - 2] << 8) | r[r.Length - 1]) : T1Block.Lrc(r, 10, 3 + inf) == r[r.Length - 1];
        }

        private bool IsT1 => _parsedAtr.DefaultProtocol == 1;

        private void XfrBlock(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            if (IsT1)
            {
                c.Expected = "T=1: S(IFS request 254) -> S(IFS response 254) with a valid EDC; I(0) SELECT MF -> an I-block with a valid EDC";
                byte[] m = _link.Message(0x6F, _slot, 0, 0, 0, T1(0xC1, new byte[] { 0xFE }));
                Exchange e = Send(c, m, "XfrBlock S(IFS request)");
                WellFormed(c, e, m, 0x80, "XfrBlock S(IFS)");
                c.Expect(e.CommandStatus == 0 && e.DataLength >= 5 && e.Reply![11] == 0xE1 && e.Reply[13] == 0xFE && T1Valid(e.Reply, _t1Crc), "S(IFS): expected S(IFS response FE) with a valid EDC");
                m = _link.Message(0x6F, _slot, 0, 0, 0, T1((byte)(_ns << 6), new byte[] { 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 }));
                _ns ^= 1;
                e = Send(c, m, "XfrBlock I-block SELECT MF");
                WellFormed(c, e, m, 0x80, "XfrBlock I-block");
                c.Expect(e.CommandStatus == 0 && e.Reply != null && (e.Reply[11] & 0x80) == 0 && T1Valid(e.Reply, _t1Crc), "I-block: expected an I-block with a valid EDC");
            }
            else
            {
                c.Expected = "T=0: SELECT MF TPDU -> DataBlock ok ending with a status word";
                byte[] m = _link.Message(0x6F, _slot, 0, 0, 0, new byte[] { 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 });
                Exchange e = Send(c, m, "XfrBlock SELECT MF");
                WellFormed(c, e, m, 0x80, "XfrBlock");
                c.Expect(e.CommandStatus == 0 && e.DataLength >= 2 && (e.Reply![^2] & 0xF0) is 0x60 or 0x90, "XfrBlock: expected ok with SW1 6x/9x");
            }
        }

        private byte[]? _parameters;
        private int _protocol;

        private void GetParameters(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            c.Expected = $"Parameters (82), ok, bProtocolNum {_parsedAtr.DefaultProtocol} (the ATR's), 5 bytes for T=0 or 7 for T=1";
            byte[] m = _link.Message(0x6C, _slot, 0, 0, 0, null);
            Exchange e = Send(c, m, "GetParameters");
            WellFormed(c, e, m, 0x82, "GetParameters");
            if (e.Reply == null) { return; }
            _protocol = e.Reply[9];
            c.Expect(e.CommandStatus == 0, "GetParameters failed");
            c.Expect(_protocol == _parsedAtr.DefaultProtocol, $"bProtocolNum {_protocol}, the ATR says T={_parsedAtr.DefaultProtocol}");
            c.Expect(e.DataLength == (_protocol == 0 ? 5 : 7), $"{e.DataLength} bytes of abProtocolDataStructure for T={_protocol}");
            _parameters = new byte[e.DataLength];
            Array.Copy(e.Reply, 10, _parameters, 0, e.DataLength);
        }

        private void SetParameters(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            if (_parameters == null) { c.SkipReason = "GetParameters gave nothing to set"; return; }
            c.Expected = "SetParameters with GetParameters' values -> Parameters, ok, the same values";
            byte[] m = _link.Message(0x61, _slot, (byte)_protocol, 0, 0, _parameters);
            Exchange e = Send(c, m, "SetParameters " + Hex.Format(_parameters, 0, _parameters.Length));
            WellFormed(c, e, m, 0x82, "SetParameters");
            c.Expect(e.CommandStatus == 0, "SetParameters failed");
            c.Expect(e.Reply != null && e.DataLength == _parameters.Length && Hex.Matches(Hex.Format(_parameters, 0, _parameters.Length), e.Reply, 10, e.DataLength), "SetParameters: the reply does not carry the values set");
            if (_protocol == 1) { _ns = 0; }
        }

        private void Escape(Ctx c)
        {
            c.Expected = "EscapeResponse, ok, printable text under 50 bytes";
            byte[] m = _link.Message(0x6B, _slot, 0, 0, 0, new byte[] { Gem ? (byte)0x02 : (byte)0x06 });
            Exchange e = Send(c, m, "Escape firmware");
            WellFormed(c, e, m, 0x83, "Escape");
            c.Expect(e.CommandStatus == 0 && e.DataLength > 0 && e.DataLength < 50, "Escape: expected ok with 1..49 bytes of text");
            if (e.Reply != null) { c.See("firmware: " + Encoding.ASCII.GetString(e.Reply, 10, e.DataLength)); }
        }

        private void Secure(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            if (Gem)
            {
                SecurePinEntry(c);
                return;
            }
            c.Expected = "bPINSupport 0 (SEC1210): DataBlock, failed, bError 00 (command not supported)";
            byte[] verify = Hex.Parse("00 00 00 1E 1E 89 47 04 0C 04 02 01 04 00 00 00 00 0D 00 00 00 00 20 00 01 08 20 FF FF FF FF FF FF FF");
            byte[] m = _link.Message(0x69, _slot, 0, 0, 0, verify);
            Exchange e = Send(c, m, "Secure (verify)");
            WellFormed(c, e, m, 0x80, "Secure");
            c.Expect(e.CommandStatus == 1 && e.Error == 0, "Secure on a reader without PIN pad: expected failed with bError 00");
        }

        // PC_to_RDR_Secure verify as libccid sends FEATURE_VERIFY_PIN_DIRECT for OpenSC's CPS template
        // (ASCII, 4 to 8 digits, OK key, 30 s, VERIFY 00 20 00 01 with the block sized to the PIN).
        private static readonly byte[] VerifyStructure = Hex.Parse("00 1E 82 00 00 08 04 02 00 00 00 00 00 00 00 00 20 00 01 00");

        private void SecurePinEntry(Ctx c)
        {
            if (_options.TypeKeys == null)
            {
                c.SkipReason = "not exercised: the PIN is typed on the reader's keypad (give --keys interactive or --keys <cmd>)";
                return;
            }
            // A fresh power-on: in T=1 the host's and the card's sequence numbers start at 0 again.
            _atr = null;
            if (!NeedCard(c)) { return; }
            c.Expected = "Secure verify, the PIN typed on the reader -> DataBlock ok with the card's answer (T=0: a status word; T=1: the card's I-block with a valid EDC), the host kept waiting by time requests (bytes >= 80) while the cardholder types; "
                + "Secure verify, Cancel pressed -> DataBlock failed, bError EF (PIN_CANCELLED: libccid returns 6401)";
            Exchange e = SecureVerify(c, "pin", "the PIN, then OK");
            if (e.Reply != null && e.CommandStatus == 0)
            {
                if (IsT1)
                {
                    c.Expect(e.DataLength >= 4 && (e.Reply[11] & 0x80) == 0 && T1Valid(e.Reply, _t1Crc), "PIN verify: expected the card's I-block with a valid EDC");
                    _ns ^= 1;
                }
                else
                {
                    c.Expect(e.DataLength >= 2 && (e.Reply[^2] & 0xF0) is 0x60 or 0x90, "PIN verify: expected the card's answer ending with SW1 6x/9x");
                }
                int end = IsT1 ? e.Reply.Length - (_t1Crc ? 2 : 1) : e.Reply.Length;
                if (end - 2 >= 10) { c.See($"card's status word: {e.Reply[end - 2]:X2} {e.Reply[end - 1]:X2}"); }
            }
            else
            {
                c.Failures.Add($"PIN verify: expected ok with the card's answer, got {Describe(e)}");
            }
            TimeRequestsKeptTheHostWaiting(c, e, "PIN verify");
            e = SecureVerify(c, "cancel", "Cancel");
            c.Expect(e.Reply != null && e.CommandStatus == 1 && e.Error == 0xEF, $"PIN verify with Cancel: expected failed with bError EF (PIN_CANCELLED), got {Describe(e)}");
        }

        private Exchange SecureVerify(Ctx c, string keys, string what)
        {
            c.See($"keys on the reader: {what} ({_options.TypeKeysDescription})");
            if (!_options.TypeKeys!(keys))
            {
                c.Failures.Add($"the keys ({what}) could not be typed");
                return new Exchange();
            }
            byte[] verify = (byte[])VerifyStructure.Clone();
            if (IsT1)
            {
                // bTeoPrologue: NAD, PCB with the host's N(S); the reader sets LEN and the EDC.
                verify[13] = (byte)(_ns << 6);
            }
            byte[] m = _link.Message(0x69, _slot, 0, 0, 0, verify);
            // libccid's serial read timeout (3 s, restarted by every byte): only time requests keep it waiting.
            Exchange e = Send(c, m, $"Secure (verify), {what}");
            WellFormed(c, e, m, 0x80, $"Secure ({what})");
            return e;
        }

        // A command that ran longer than libccid's 1.5 s margin must have been covered by time requests.
        private static void TimeRequestsKeptTheHostWaiting(Ctx c, Exchange e, string what)
        {
            if (e.Reply != null && e.Elapsed.TotalMilliseconds >= 1500)
            {
                c.Expect(e.TimeRequests >= 1, $"{what}: {e.Elapsed.TotalMilliseconds:0} ms without a single time request");
            }
        }

        private void Abort(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            c.Expected = "Abort -> SlotStatus ok; the next GetSlotStatus answered, card still active";
            byte[] m = _link.Message(0x72, _slot, 0, 0, 0, null);
            Exchange e = Send(c, m, "Abort");
            WellFormed(c, e, m, 0x81, "Abort");
            c.Expect(e.CommandStatus == 0, "Abort failed");
            m = GetSlotStatusMessage();
            e = Send(c, m, "GetSlotStatus");
            WellFormed(c, e, m, 0x81, "GetSlotStatus after Abort");
            c.Expect(e.IccStatus == 0, "card no longer active after Abort");
        }

        private void DataRate(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            c.Expected = "DataRateAndClockFrequency (84) with 8 bytes (clock, rate in force)";
            byte[] data = { 0x00, 0x09, 0x3D, 0x00, 0x80, 0x25, 0x00, 0x00 };
            byte[] m = _link.Message(0x73, _slot, 0, 0, 0, data);
            Exchange e = Send(c, m, "SetDataRateAndClockFrequency 4 MHz 9600");
            WellFormed(c, e, m, 0x84, "SetDataRateAndClockFrequency");
            c.Expect(e.CommandStatus != 0 || e.DataLength == 8, "ok reply without the 8 bytes of values in force");
        }

        private void PowerCycle(Ctx c)
        {
            c.Expected = "3 x (IccPowerOn -> ok, same ATR; IccPowerOff -> ICC inactive)";
            byte[]? first = null;
            for (int i = 0; i < 3; i++)
            {
                byte[] m = _link.Message(0x62, _slot, 0, 0, 0, null);
                Exchange e = Send(c, m, $"IccPowerOn ({i + 1})");
                WellFormed(c, e, m, 0x80, $"IccPowerOn ({i + 1})");
                if (e.Reply == null || e.CommandStatus != 0) { c.Failures.Add($"IccPowerOn ({i + 1}) failed"); return; }
                byte[] atr = e.Reply[10..];
                first ??= atr;
                c.Expect(atr.AsSpan().SequenceEqual(first), $"IccPowerOn ({i + 1}): ATR {Hex.Format(atr, 0, atr.Length)} differs from the first");
                m = _link.Message(0x63, _slot, 0, 0, 0, null);
                e = Send(c, m, $"IccPowerOff ({i + 1})");
                WellFormed(c, e, m, 0x81, $"IccPowerOff ({i + 1})");
                c.Expect(e.IccStatus == 1, $"IccPowerOff ({i + 1}): card not inactive");
            }
            _atr = null;
        }

        private void TimeExtension(Ctx c)
        {
            if (_options.SlowTpdu == null)
            {
                c.SkipReason = "not exercised: give --slow-tpdu [<slot>:]<hex>, a TPDU the card takes more than 1.5 s over";
                return;
            }
            string spec = _options.SlowTpdu;
            int slot = _slot;
            int colon = spec.IndexOf(':');
            if (colon > 0)
            {
                slot = int.Parse(spec.AsSpan(0, colon), System.Globalization.CultureInfo.InvariantCulture);
                spec = spec.Substring(colon + 1);
            }
            c.Expected = "the slow command answered (DataBlock ok); while the card works the reader sends time requests (bytes >= 80) well within libccid's 3 s, so the host never times out (T=1: the card's S(WTX request) answered by the host's S(WTX response), the wait after it covered the same way)";
            byte[] m = _link.Message(0x62, slot, 0, 0, 0, null);
            Exchange e = Send(c, m, $"IccPowerOn slot {slot}");
            if (e.Reply == null || e.CommandStatus != 0 || e.DataLength < 2) { c.SkipReason = $"no card that answers in slot {slot}"; return; }
            var atr = new Atr();
            atr.Parse(e.Reply, 10, e.DataLength);
            bool t1 = atr.DefaultProtocol == 1;
            byte[] command = Hex.Parse(spec);
            if (t1)
            {
                // A fresh power-on: the host's first I-block has N(S) 0.
                command = FrameT1(0x00, command, atr.UsesCrc);
            }
            m = _link.Message(0x6F, slot, 0, 0, 0, command);
            e = Send(c, m, (t1 ? "XfrBlock I-block " : "XfrBlock ") + spec, 3000);
            for (int round = 0; t1 && round < 4 && e.Reply != null && e.CommandStatus == 0 && e.DataLength == 4 + T1Block.EdcLength(atr.UsesCrc) && e.Reply[11] == 0xC3; round++)
            {
                // S(WTX request): libccid (openct's T=1) answers with S(WTX response), same multiplier.
                m = _link.Message(0x6F, slot, 0, 0, 0, FrameT1(0xE3, new byte[] { e.Reply[13] }, atr.UsesCrc));
                e = Send(c, m, $"XfrBlock S(WTX response {e.Reply[13]})", 3000);
            }
            WellFormed(c, e, m, 0x80, "slow XfrBlock");
            c.Expect(e.CommandStatus == 0, "slow XfrBlock failed");
            if (e.Reply != null && e.Elapsed.TotalMilliseconds < 1500)
            {
                c.Failures.Clear();
                c.SkipReason = $"not exercised: the card answered in {e.Elapsed.TotalMilliseconds:0} ms, too fast to need a time extension";
                return;
            }
            c.Expect(e.TimeRequests >= 1, $"{e.Elapsed.TotalMilliseconds:0} ms without a single time request");
            if (slot == _slot) { _atr = null; }
        }

        private void Chained(Ctx c)
        {
            if (!NeedCard(c)) { return; }
            if (!IsT1)
            {
                c.SkipReason = "the card in the slot is T=0: chained blocks are a T=1 matter (give --slot with a T=1 card)";
                return;
            }
            c.Expected = "I(N(S), M) with the first half of SELECT by AID -> R-block asking for the next N(S); I(next) with the rest -> an I-block with a valid EDC";
            byte[] part1 = { 0x00, 0xA4, 0x04, 0x00, 0x08, 0xA0, 0x00 };
            byte[] part2 = { 0x00, 0x00, 0x01, 0x53, 0x49, 0x4D };
            byte[] m = _link.Message(0x6F, _slot, 0, 0, 0, T1((byte)((_ns << 6) | 0x20), part1));
            Exchange e = Send(c, m, "XfrBlock I-block with M");
            WellFormed(c, e, m, 0x80, "first link of the chain");
            int next = _ns ^ 1;
            c.Expect(e.CommandStatus == 0 && e.Reply != null && e.DataLength >= 4 && (e.Reply[11] & 0xC0) == 0x80 && ((e.Reply[11] >> 4) & 1) == next && T1Valid(e.Reply, _t1Crc),
                $"first link: expected R({next}) with a valid EDC");
            _ns = next;
            m = _link.Message(0x6F, _slot, 0, 0, 0, T1((byte)(_ns << 6), part2));
            _ns ^= 1;
            e = Send(c, m, "XfrBlock last I-block");
            WellFormed(c, e, m, 0x80, "last link of the chain");
            c.Expect(e.CommandStatus == 0 && e.Reply != null && (e.Reply[11] & 0x80) == 0 && T1Valid(e.Reply, _t1Crc), "last link: expected the card's I-block with a valid EDC");
        }

        private void Removal(Ctx c)
        {
            if (_options.MoveCard == null)
            {
                c.SkipReason = "not exercised: no way to move the card (give --removal <cmd> or --removal interactive)";
                return;
            }
            if (!NeedCard(c)) { return; }
            c.Expected = "after removal GetSlotStatus reports ICC absent within 5 s (50 02 seen when notifications were turned on by Escape 01 01 01), an XfrBlock fails with ICC_MUTE; after insertion the slot reports ICC inactive and IccPowerOn works";
            c.See($"removing the card from slot {_slot} ({_options.MoveCardDescription})");
            if (!_options.MoveCard(_slot, true)) { c.Failures.Add("the card could not be removed"); return; }
            var notifications = new List<byte>();
            Exchange e = WaitStatus(c, 2, notifications);
            c.Expect(e.IccStatus == 2, "slot status never turned absent");
            if (Gem) { c.Expect(notifications.Contains(0x02), "no 50 02 notification although Escape 01 01 01 asked for them"); }
            byte[] m = _link.Message(0x6F, _slot, 0, 0, 0, new byte[] { 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 });
            e = Send(c, m, "XfrBlock without a card");
            WellFormed(c, e, m, 0x80, "XfrBlock without a card");
            c.Expect(e.CommandStatus == 1 && e.Error == 0xFE && e.IccStatus == 2, "XfrBlock without a card: expected failed, ICC_MUTE, absent");
            c.See($"inserting the card in slot {_slot}");
            if (!_options.MoveCard(_slot, false)) { c.Failures.Add("the card could not be inserted"); return; }
            e = WaitStatus(c, 1, notifications);
            c.Expect(e.IccStatus == 1, "slot status never turned present (inactive)");
            m = _link.Message(0x62, _slot, 0, 0, 0, null);
            e = Send(c, m, "IccPowerOn after insertion");
            WellFormed(c, e, m, 0x80, "IccPowerOn after insertion");
            c.Expect(e.CommandStatus == 0, "IccPowerOn after insertion failed");
            if (e.Reply != null && e.CommandStatus == 0) { SetAtr(e.Reply); }
        }

        private Exchange WaitStatus(Ctx c, int icc, List<byte> notifications)
        {
            Exchange e = new Exchange();
            Stopwatch sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < 5000)
            {
                e = _link.Transact(GetSlotStatusMessage());
                notifications.AddRange(e.Notifications);
                if (e.IccStatus == icc) { break; }
                Thread.Sleep(100);
            }
            c.See($"GetSlotStatus polled for {sw.ElapsedMilliseconds} ms -> {Describe(e)}{(notifications.Count > 0 ? ", notifications " + string.Join(" ", notifications.ConvertAll(n => "50 " + n.ToString("X2"))) : "")}");
            return e;
        }
    }
}
