using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Terminal.Ccid;
using Terminal.Desktop.Run;
using Terminal.Iso7816;
using Terminal.PinPad;
using Terminal.Simulator;
using Terminal.Slots;
using Terminal.Tracing;

namespace Terminal.Desktop.Conformance
{
    /// <summary>
    /// Runs catalogue cases on the virtual board: simulated cards (profile, overrides, faults), the
    /// firmware's slots, CCID device and PIN pad exactly as `terminal run` wires them, the script
    /// playing the host and the keypad. Each case gets a pcapng trace (host link as USB CCID, slots
    /// as ISO 7816).
    /// </summary>
    public sealed class CaseRunner
    {
        /// <summary>Firmware string answered to the firmware Escape.</summary>
        public const string Firmware = "Terminal SESAM reader 0.1.0";

        private static readonly Dictionary<string, byte> MessageTypes = new Dictionary<string, byte>(StringComparer.OrdinalIgnoreCase)
        {
            ["IccPowerOn"] = CcidMessage.IccPowerOn, ["IccPowerOff"] = CcidMessage.IccPowerOff, ["GetSlotStatus"] = CcidMessage.GetSlotStatus,
            ["XfrBlock"] = CcidMessage.XfrBlock, ["GetParameters"] = CcidMessage.GetParameters, ["ResetParameters"] = CcidMessage.ResetParameters,
            ["SetParameters"] = CcidMessage.SetParameters, ["Escape"] = CcidMessage.Escape, ["IccClock"] = CcidMessage.IccClock,
            ["T0Apdu"] = CcidMessage.T0Apdu, ["Secure"] = CcidMessage.Secure, ["Mechanical"] = CcidMessage.Mechanical, ["Abort"] = CcidMessage.Abort,
            ["SetDataRateAndClockFrequency"] = CcidMessage.SetDataRateAndClockFrequency,
        };

        private static readonly Dictionary<string, byte> ErrorNames = new Dictionary<string, byte>(StringComparer.OrdinalIgnoreCase)
        {
            ["CMD_ABORTED"] = 0xFF, ["ICC_MUTE"] = 0xFE, ["XFR_PARITY_ERROR"] = 0xFD, ["XFR_OVERRUN"] = 0xFC, ["HW_ERROR"] = 0xFB,
            ["BAD_ATR_TS"] = 0xF8, ["BAD_ATR_TCK"] = 0xF7, ["ICC_PROTOCOL_NOT_SUPPORTED"] = 0xF6, ["ICC_CLASS_NOT_SUPPORTED"] = 0xF5,
            ["PROCEDURE_BYTE_CONFLICT"] = 0xF4, ["DEACTIVATED_PROTOCOL"] = 0xF3, ["BUSY_WITH_AUTO_SEQUENCE"] = 0xF2, ["PIN_TIMEOUT"] = 0xF0,
            ["PIN_CANCELLED"] = 0xEF, ["CMD_SLOT_BUSY"] = 0xE0, ["CMD_NOT_SUPPORTED"] = 0x00, ["BAD_LENGTH"] = 0x01, ["BAD_SLOT"] = 0x05,
        };

        /// <summary>Where traces go (null: no traces).</summary>
        public string? TraceDirectory { get; set; }

        /// <summary>Relative path prefix of traces in the reports.</summary>
        public string TraceLinkPrefix { get; set; } = "traces/";

        /// <summary>
        /// A hook for tests: called with the board's slots before each case runs (a test can break a
        /// slot on purpose and check that the matching case fails).
        /// </summary>
        public Func<CardSlot, ICcidSlot>? SlotWrapper { get; set; }

        /// <summary>A hook for tests: wraps each slot's card line (e.g. a line that skips the reader's waits).</summary>
        public Func<ICardLine, ICardLine>? LineWrapper { get; set; }

        /// <summary>Run cases marked "skip" too (a lab checking whether a known defect is fixed).</summary>
        public bool RunSkipped { get; set; }

        /// <summary>Runs every case (sweeps expand into one result per character).</summary>
        public List<CaseResult> RunAll(IEnumerable<CaseSpec> cases)
        {
            var results = new List<CaseResult>();
            foreach (CaseSpec c in cases)
            {
                results.AddRange(Run(c));
            }
            return results;
        }

        /// <summary>Runs one case; a sweep gives one result per variant.</summary>
        public List<CaseResult> Run(CaseSpec spec)
        {
            var results = new List<CaseResult>();
            if (spec.Skip != null && !RunSkipped)
            {
                results.Add(Skipped(spec, spec.Skip));
                return results;
            }
            if (spec.Requires != null && !Available(spec.Requires, out string why))
            {
                results.Add(Skipped(spec, why));
                return results;
            }
            if (spec.Sweep == null)
            {
                results.Add(RunOnce(spec, spec.Id, null, -1, out _));
                return results;
            }
            // Reference run with no removal: it tells how many characters the card sends, step by step.
            CaseResult reference = RunOnce(spec, spec.Id + "-ref", null, -1, out Execution exec);
            reference.Title = spec.Title + " (reference run, card left in)";
            results.Add(reference);
            if (reference.Status != CaseStatus.Pass)
            {
                return results;
            }
            int total = exec.CardCharsPerStep.Count == 0 ? 0 : exec.CardCharsTotal;
            int last = spec.Sweep.To != null && spec.Sweep.To.Value < total - 1 ? spec.Sweep.To.Value : total - 1;
            for (int k = spec.Sweep.From; k <= last; k++)
            {
                int stepOfK = exec.StepOfCardChar(k);
                CaseResult r = RunOnce(spec, spec.Id + "-" + k.ToString("D3", CultureInfo.InvariantCulture), exec, k, out _);
                r.Title = $"{spec.Title}: card removed before its character {k} (step {stepOfK + 1})";
                results.Add(r);
            }
            return results;
        }

        private static bool Available(string feature, out string why)
        {
            // Every case runs with the PIN pad installed (PinPadWiring, as `terminal run`).
            why = "";
            if (feature == "pinpad")
            {
                return true;
            }
            why = $"unknown feature '{feature}'";
            return false;
        }

        private static CaseResult Skipped(CaseSpec spec, string why) => new CaseResult
        {
            Id = spec.Id, Title = spec.Title, Clause = spec.Clause, Category = spec.Category ?? "",
            Expected = spec.Expected ?? "", Observed = "not run", Status = CaseStatus.Skip, Message = why,
        };

        /// <summary>What a run saw, for the sweep.</summary>
        private sealed class Execution
        {
            public List<int> CardCharsPerStep = new List<int>();
            public int CardCharsTotal;

            public int StepOfCardChar(int k)
            {
                int acc = 0;
                for (int s = 0; s < CardCharsPerStep.Count; s++)
                {
                    acc += CardCharsPerStep[s];
                    if (k < acc) { return s; }
                }
                return CardCharsPerStep.Count - 1;
            }
        }

        private CaseResult RunOnce(CaseSpec spec, string id, Execution? reference, int removeAt, out Execution exec)
        {
            exec = new Execution();
            var result = new CaseResult { Id = id, Title = spec.Title, Clause = spec.Clause, Category = spec.Category ?? "" };
            var expected = new StringBuilder(spec.Expected ?? "");
            var observed = new StringBuilder();
            var failures = new List<string>();
            Stopwatch wall = Stopwatch.StartNew();
            FileTraceSink? sink = null;
            try
            {
                ReaderProfile profile = ReaderProfile.FromName(spec.Profile) ?? throw new InvalidDataException($"unknown reader profile '{spec.Profile}'");
                var board = new Terminal.Simulator.VirtualBoard();
                CardSpec?[] cardSpecs = { spec.Slot0, spec.Slot1 };
                for (int i = 0; i < board.Slots.Length && i < cardSpecs.Length; i++)
                {
                    if (cardSpecs[i] != null)
                    {
                        if (cardSpecs[i]!.ClockHz > 0) { board.Slots[i].ClockHz = cardSpecs[i]!.ClockHz; }
                        board.Slots[i].Insert(MakeCard(cardSpecs[i]!, spec.SourceDirectory));
                    }
                }
                if (reference != null && spec.Sweep != null)
                {
                    VirtualCard sweptCard = board.Slots[spec.Sweep.Slot].Card ?? throw new InvalidDataException("sweep slot is empty");
                    sweptCard.Faults.RemoveAt = removeAt;
                }
                var binding = new Terminal.Desktop.VirtualBoard.VirtualBoardBinding(board);
                var taps = new LineTap[board.Slots.Length];
                var cardSlots = new CardSlot[board.Slots.Length];
                var ccidSlots = new ICcidSlot[board.Slots.Length];
                for (int i = 0; i < taps.Length; i++)
                {
                    taps[i] = new LineTap(board.Slots[i].Line, board.Clock);
                    ICardLine line = LineWrapper != null ? LineWrapper(taps[i]) : taps[i];
                    cardSlots[i] = new CardSlot(i, line, binding.Indicators, binding.VoltageSupport, binding.MaxDataRate);
                    cardSlots[i].ReaderDoesPps = profile.ReaderDoesPps;
                    cardSlots[i].ApduLevel = profile.Level == ExchangeLevel.ExtendedApdu;
                    ccidSlots[i] = SlotWrapper != null ? SlotWrapper(cardSlots[i]) : cardSlots[i];
                }
                var device = new CcidDevice(ccidSlots, profile, Firmware, profile.Level == ExchangeLevel.ExtendedApdu ? 65544 : 0) { RecogniseProfile = false };
                CcidPinPad pinPad = PinPadWiring.Install(device, cardSlots, binding, !ClearPinAllowed(spec));

                PcapngTrace? trace = null;
                long epochUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
                if (TraceDirectory != null)
                {
                    Directory.CreateDirectory(TraceDirectory);
                    string file = SafeName(id) + ".pcapng";
                    sink = new FileTraceSink(Path.Combine(TraceDirectory, file));
                    var facts = new CcidDescriptors.BoardFacts { SlotCount = profile.SlotCount, PinSupport = profile.PinSupport, Features = profile.Features };
                    trace = new PcapngTrace(sink, board.Slots.Length, CcidDescriptors.ConfigurationDescriptor(facts), "terminal conformance " + id, epochUs);
                    result.Trace = TraceLinkPrefix + file;
                }
                var recorder = new TraceRecorder(trace, epochUs, board, taps, cardSlots, profile);

                byte[] command = new byte[70000];
                byte[] reply = new byte[CcidDevice.ResponseBufferLength];
                int seq = 0;
                int swept = spec.Sweep?.Slot ?? -1;
                bool removedSeen = false;
                int cardCharsBefore = swept >= 0 ? CountCardChars(taps[swept]) : 0;
                SecurePinResult? lastPin = null;
                for (int s = 0; s < spec.Steps.Count; s++)
                {
                    StepSpec step = spec.Steps[s];
                    string label = $"{s + 1}. ";
                    if (step.Do != null)
                    {
                        string done = DoAction(step, board, cardSlots, spec.SourceDirectory);
                        observed.Append(label).Append(done).Append('\n');
                        expected.Append(expected.Length > 0 ? "\n" : "").Append(label).Append(done);
                        exec.CardCharsPerStep.Add(0);
                        continue;
                    }
                    int length = BuildMessage(step, seq++, command, board, device);
                    long t0 = board.Clock.NowNanoseconds;
                    recorder.Host(command, length);
                    int n = device.Process(command, length, reply);
                    long t1 = board.Clock.NowNanoseconds;
                    recorder.Reply(command, length, reply, n);
                    double ms = (t1 - t0) / 1e6;
                    if (swept >= 0)
                    {
                        int now = CountCardChars(taps[swept]);
                        exec.CardCharsPerStep.Add(now - cardCharsBefore);
                        cardCharsBefore = now;
                    }
                    string what = Describe(command, length);
                    observed.Append(label).Append(what).Append(" -> ").Append(DescribeReply(reply, n)).Append($" [{ms:0.###} ms]");
                    SecurePinResult? pin = pinPad.LastResult;
                    if (pin != null && !ReferenceEquals(pin, lastPin))
                    {
                        lastPin = pin;
                        observed.Append($" [PIN entry: {pin.Outcome}]");
                    }
                    observed.Append('\n');
                    if (!pinPad.BuffersAreClear)
                    {
                        // A PIN must not outlive its operation (issue 8): every buffer that held a digit is zero again.
                        failures.Add($"step {s + 1} ({what}): a PIN buffer still holds digits after the step");
                    }

                    ExpectSpec? ex = step.Expect;
                    if (reference != null)
                    {
                        // Sweep variant: the step during which the removed card was due to send its
                        // character fails with ICC_MUTE and "absent"; every later step sees no card.
                        int target = reference.StepOfCardChar(removeAt);
                        if (s == target)
                        {
                            ex = new ExpectSpec { Status = "failed", Icc = "absent", Error = "ICC_MUTE" };
                            removedSeen = true;
                        }
                        else if (s > target)
                        {
                            ex = new ExpectSpec { Icc = "absent" };
                        }
                    }
                    if (ex != null)
                    {
                        expected.Append(expected.Length > 0 ? "\n" : "").Append(label).Append(what).Append(" -> ").Append(DescribeExpect(ex));
                        foreach (string f in Check(ex, reply, n, ms, board, step))
                        {
                            failures.Add($"step {s + 1} ({what}): {f}");
                        }
                    }
                }
                if (reference != null && !removedSeen)
                {
                    failures.Add($"the removal before card character {removeAt} fell in no step");
                }
                exec.CardCharsTotal = 0;
                foreach (int c in exec.CardCharsPerStep) { exec.CardCharsTotal += c; }
                CheckObservations(spec, board, failures, observed);
                result.VirtualMilliseconds = board.Clock.NowNanoseconds / 1e6;
            }
            catch (Exception e) when (e is InvalidDataException || e is FormatException || e is FileNotFoundException || e is ArgumentException || e is InvalidOperationException || e is JsonException)
            {
                failures.Add("case set-up: " + e.Message);
            }
            finally
            {
                sink?.Dispose();
            }
            result.Duration = wall.Elapsed;
            result.Expected = expected.ToString().TrimEnd();
            result.Observed = observed.ToString().TrimEnd();
            result.Status = failures.Count == 0 ? CaseStatus.Pass : CaseStatus.Fail;
            result.Message = string.Join("; ", failures);
            return result;
        }

        private static int CountCardChars(LineTap tap)
        {
            int n = 0;
            foreach (TapChar c in tap.Chars) { if (c.FromCard) { n++; } }
            return n;
        }

        private static string SafeName(string id)
        {
            var sb = new StringBuilder();
            foreach (char c in id) { sb.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' ? c : '_'); }
            return sb.ToString();
        }

        private static void CheckObservations(CaseSpec spec, Terminal.Simulator.VirtualBoard board, List<string> failures, StringBuilder observed)
        {
            var seen = new List<string>();
            foreach (VirtualSlot slot in board.Slots)
            {
                if (slot.Card == null) { continue; }
                foreach (ReaderObservation o in slot.Card.Observations)
                {
                    seen.Add($"slot {slot.Index}: {o.Kind}");
                }
            }
            if (seen.Count > 0)
            {
                observed.Append("card observed of the reader: ").Append(string.Join(", ", seen));
            }
            // Default "none": every case also checks the reader's line discipline as the card saw it
            // (guard time, turnaround, rate, convention, sequence numbers), the EMV timing category.
            JsonNode? want = spec.Observations;
            if (want is JsonValue v && v.TryGetValue(out string? s) && s == "any")
            {
                return;
            }
            var kinds = new List<string>();
            if (want is JsonArray arr)
            {
                foreach (JsonNode? k in arr) { if (k != null) { kinds.Add(k.GetValue<string>()); } }
            }
            foreach (string k in kinds)
            {
                if (!seen.Exists(x => x.EndsWith(": " + k, StringComparison.Ordinal)))
                {
                    failures.Add($"the card should have recorded reader misbehaviour {k}; it recorded: {(seen.Count == 0 ? "nothing" : string.Join(", ", seen))}");
                }
            }
            foreach (string x in seen)
            {
                if (!kinds.Exists(k => x.EndsWith(": " + k, StringComparison.Ordinal)))
                {
                    failures.Add($"the card recorded reader misbehaviour ({x})");
                }
            }
        }

        private static bool ClearPinAllowed(CaseSpec spec)
        {
            if (spec.ClearPin == null || spec.ClearPin == "refuse")
            {
                return false;
            }
            if (spec.ClearPin == "allow")
            {
                return true;
            }
            throw new InvalidDataException($"clearPin must be refuse or allow, not '{spec.ClearPin}'");
        }

        private static string DoAction(StepSpec step, Terminal.Simulator.VirtualBoard board, CardSlot[] slots, string? baseDirectory)
        {
            if (step.Slot < 0 || step.Slot >= board.Slots.Length)
            {
                throw new InvalidDataException($"{step.Do}: there is no slot {step.Slot}");
            }
            VirtualSlot slot = board.Slots[step.Slot];
            switch (step.Do)
            {
                case "remove":
                    if (step.AfterMs > 0)
                    {
                        // Pulled out while the next message runs (a PIN entry, a long command).
                        board.Clock.ScheduleAfter(TimeSpan.FromMilliseconds(step.AfterMs), () => slot.Remove());
                        return $"card to be removed from slot {step.Slot} {step.AfterMs} ms later";
                    }
                    slot.Remove();
                    return $"card removed from slot {step.Slot}";
                case "insert":
                    VirtualCard inserted = MakeCard(step.Card ?? throw new InvalidDataException("insert needs a card"), baseDirectory);
                    if (step.AfterMs > 0)
                    {
                        board.Clock.ScheduleAfter(TimeSpan.FromMilliseconds(step.AfterMs), () => slot.Insert(inserted));
                        return $"card {step.Card.Card} to be inserted in slot {step.Slot} {step.AfterMs} ms later";
                    }
                    slot.Insert(inserted);
                    return $"card {step.Card.Card} inserted in slot {step.Slot}";
                case "keys":
                    // The cardholder's keys, one comma-separated part per PIN prompt (digits, K OK, C
                    // Cancel, R Correction, _ one second without a key); keys come 100 ms apart.
                    try
                    {
                        board.Keypad.Script(step.Keys ?? throw new InvalidDataException("keys needs a keys script"));
                    }
                    catch (ArgumentException e)
                    {
                        throw new InvalidDataException("keys: " + e.Message, e);
                    }
                    // Digits never reach the report: a PIN is shown as stars, as on the reader's display.
                    string shown = step.Keys.Length == 0 ? "" : System.Text.RegularExpressions.Regex.Replace(step.Keys, "[0-9]", "*");
                    return shown.Length == 0 ? "no key will be pressed" : $"keys scripted: {shown}";
                case "wait":
                    board.Clock.Advance(TimeSpan.FromMilliseconds(step.Ms));
                    return $"{step.Ms} ms pass";
                case "faults":
                    VirtualCard card = slot.Card ?? throw new InvalidDataException($"faults: slot {step.Slot} is empty");
                    ApplyProperties(card.Faults, step.Faults);
                    return $"faults on slot {step.Slot}: {step.Faults?.ToJsonString()}";
                default:
                    throw new InvalidDataException($"unknown action '{step.Do}'");
            }
        }

        /// <summary>
        /// Builds a simulated card from a spec: a profile name (hardware/cards) or a profile file (a
        /// relative path is taken from the catalogue file's directory), ATR and timing overrides, faults.
        /// </summary>
        public static VirtualCard MakeCard(CardSpec spec, string? baseDirectory = null)
        {
            string file = spec.Card;
            if (file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(file) && baseDirectory != null)
            {
                file = Path.Combine(baseDirectory, file);
            }
            CardProfile p = File.Exists(file) ? CardProfile.LoadFile(file) : CardProfile.Load(spec.Card);
            if (spec.Atr != null)
            {
                p.Atr = spec.Atr;
            }
            ApplyProperties(p.Timing, spec.Timing);
            VirtualCard card = VirtualCard.FromProfile(p);
            ApplyProperties(card.Faults, spec.Faults);
            return card;
        }

        // Sets the public properties named in the JSON object (camelCase) on target: how a lab names
        // any fault or timing knob of the simulator without code.
        private static void ApplyProperties(object target, JsonObject? values)
        {
            if (values == null) { return; }
            foreach (KeyValuePair<string, JsonNode?> kv in values)
            {
                PropertyInfo? prop = target.GetType().GetProperty(kv.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                    ?? throw new InvalidDataException($"{target.GetType().Name} has no setting '{kv.Key}'");
                Type t = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
                object? value;
                JsonNode? node = kv.Value;
                if (node == null) { value = null; }
                else if (t == typeof(byte) && node is JsonValue jv && jv.TryGetValue(out string? hex)) { value = Hex.Parse(hex!)[0]; }
                else if (t.IsEnum) { value = Enum.Parse(t, node.GetValue<string>(), true); }
                else { value = node.Deserialize(prop.PropertyType, new JsonSerializerOptions { PropertyNameCaseInsensitive = true }); }
                prop.SetValue(target, value);
            }
        }

        private static int BuildMessage(StepSpec step, int seq, byte[] m, Terminal.Simulator.VirtualBoard board, CcidDevice device)
        {
            if (step.Send == null || step.Send.Equals("raw", StringComparison.OrdinalIgnoreCase))
            {
                byte[] raw = Hex.Parse(step.Raw ?? throw new InvalidDataException("a step needs send, raw or do"));
                Array.Copy(raw, m, raw.Length);
                return raw.Length;
            }
            if (!MessageTypes.TryGetValue(step.Send, out byte type))
            {
                throw new InvalidDataException($"unknown CCID message '{step.Send}'");
            }
            byte[] data = step.Data != null ? Hex.Parse(step.Data) : Array.Empty<byte>();
            if (step.T1 != null)
            {
                data = T1Frame(step.T1, DefaultCrc(step, board, device));
            }
            Array.Clear(m, 0, 10);
            m[0] = type;
            CcidDevice.WriteInt(m, 1, step.Length ?? data.Length);
            m[5] = (byte)step.Slot;
            m[6] = (byte)seq;
            if (step.Param != null)
            {
                byte[] p = Hex.Parse(step.Param);
                Array.Copy(p, 0, m, 7, Math.Min(3, p.Length));
            }
            if (step.Byte7 != null) { m[7] = (byte)step.Byte7.Value; }
            if (step.Level != null) { m[8] = (byte)step.Level.Value; m[9] = (byte)(step.Level.Value >> 8); }
            Array.Copy(data, 0, m, 10, data.Length);
            return 10 + data.Length;
        }

        private static bool DefaultCrc(StepSpec step, Terminal.Simulator.VirtualBoard board, CcidDevice device)
        {
            if (step.T1?.Edc != null)
            {
                return step.T1.Edc.Equals("crc", StringComparison.OrdinalIgnoreCase);
            }
            int physical = device.Profile.PhysicalSlot(step.Slot);
            VirtualCard? card = physical >= 0 && physical < board.Slots.Length ? board.Slots[physical].Card : null;
            return card != null && card.Atr.Crc;
        }

        /// <summary>Frames a T=1 block (NAD PCB LEN INF EDC).</summary>
        public static byte[] T1Frame(T1Spec t, bool crc)
        {
            byte[] inf = Hex.Parse(t.Inf);
            int edc = crc ? 2 : 1;
            byte[] b = new byte[3 + inf.Length + edc];
            b[0] = Hex.Parse(t.Nad)[0];
            b[1] = Hex.Parse(t.Pcb)[0];
            b[2] = (byte)(t.Len ?? inf.Length);
            inf.CopyTo(b, 3);
            if (crc)
            {
                int c = T1Block.Crc(b, 0, 3 + inf.Length);
                b[3 + inf.Length] = (byte)(c >> 8);
                b[4 + inf.Length] = (byte)c;
            }
            else
            {
                b[3 + inf.Length] = T1Block.Lrc(b, 0, 3 + inf.Length);
            }
            if (t.BadEdc)
            {
                b[b.Length - 1] ^= 0x5A;
            }
            return b;
        }

        private static IEnumerable<string> Check(ExpectSpec ex, byte[] r, int n, double ms, Terminal.Simulator.VirtualBoard board, StepSpec step)
        {
            if (ex.NoReply)
            {
                if (n != 0) { yield return $"expected no reply, got {Hex.Short(r, 0, n)}"; }
                yield break;
            }
            if (n < 10)
            {
                yield return $"expected a reply, got {(n == 0 ? "none" : Hex.Format(r, 0, n))}";
                yield break;
            }
            int dataLength = n - 10;
            if (ex.Type != null && Hex.Parse(ex.Type)[0] != r[0])
            {
                yield return $"reply type {r[0]:X2}, expected {ex.Type}";
            }
            string status = StatusName(r[7] >> 6);
            if (ex.Status != null && !ex.Status.Equals(status, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"bmCommandStatus {status}{(status == "failed" ? $" (bError {ErrorName(r[8])})" : "")}, expected {ex.Status}";
            }
            string icc = IccName(r[7] & 3);
            if (ex.Icc != null && !ex.Icc.Equals(icc, StringComparison.OrdinalIgnoreCase))
            {
                yield return $"bmICCStatus {icc}, expected {ex.Icc}";
            }
            if (ex.Error != null)
            {
                byte want = ErrorNames.TryGetValue(ex.Error, out byte e) ? e : Hex.Parse(ex.Error)[0];
                if (r[8] != want || (r[7] >> 6) == 0)
                {
                    string got = (r[7] >> 6) == 0 ? "no error (the command succeeded)" : "bError " + ErrorName(r[8]);
                    yield return $"{got}, expected bError {ErrorName(want)}";
                }
            }
            if (ex.Byte9 != null && Hex.Parse(ex.Byte9)[0] != r[9])
            {
                yield return $"byte 9 {r[9]:X2}, expected {ex.Byte9}";
            }
            if (ex.DataLength != null && ex.DataLength.Value != dataLength)
            {
                yield return $"{dataLength} data bytes, expected {ex.DataLength}";
            }
            if (ex.Data != null && !Hex.Matches(ex.Data, r, 10, dataLength))
            {
                yield return $"data {Hex.Short(r, 10, dataLength, 40)}, expected {ex.Data}";
            }
            if (ex.Sw != null)
            {
                string sw = dataLength >= 2 ? Hex.Format(r, n - 2, 2) : "(none)";
                if (dataLength < 2 || !Hex.Matches(ex.Sw, r, n - 2, 2)) { yield return $"status word {sw}, expected {ex.Sw}"; }
            }
            if (ex.T1 != null)
            {
                foreach (string f in CheckT1(ex.T1, r, 10, dataLength)) { yield return f; }
            }
            if (ex.ElapsedMsAtLeast != null && ms < ex.ElapsedMsAtLeast.Value)
            {
                yield return $"took {ms:0.###} ms of board time, expected at least {ex.ElapsedMsAtLeast} ms";
            }
            if (ex.ElapsedMsAtMost != null && ms > ex.ElapsedMsAtMost.Value)
            {
                yield return $"took {ms:0.###} ms of board time, expected at most {ex.ElapsedMsAtMost} ms";
            }
        }

        private static IEnumerable<string> CheckT1(T1Expect ex, byte[] b, int off, int len)
        {
            if (len < 4)
            {
                yield return $"expected a T=1 block, got {Hex.Format(b, off, len)}";
                yield break;
            }
            byte pcb = b[off + 1];
            int inf = b[off + 2];
            if (ex.Pcb != null)
            {
                string kind = (pcb & 0x80) == 0 ? "I" : (pcb & 0xC0) == 0x80 ? "R" : "S";
                bool ok = ex.Pcb.Length == 1 ? ex.Pcb == kind : Hex.Matches(ex.Pcb, b, off + 1, 1);
                if (!ok) { yield return $"PCB {pcb:X2} ({kind}-block), expected {ex.Pcb}"; }
            }
            if (ex.Inf != null && (3 + inf > len || !Hex.Matches(ex.Inf, b, off + 3, inf)))
            {
                yield return $"INF {Hex.Short(b, off + 3, Math.Max(0, Math.Min(inf, len - 3)))}, expected {ex.Inf}";
            }
            if (ex.EdcValid != null)
            {
                int edc = len - 3 - inf;
                bool valid = edc == 1 ? T1Block.Lrc(b, off, 3 + inf) == b[off + len - 1]
                    : edc == 2 && T1Block.Crc(b, off, 3 + inf) == ((b[off + len - 2] << 8) | b[off + len - 1]);
                if (valid != ex.EdcValid.Value) { yield return $"EDC {(valid ? "valid" : "invalid")}, expected {(ex.EdcValid.Value ? "valid" : "invalid")}"; }
            }
        }

        private static string StatusName(int s) => s == 0 ? "ok" : s == 1 ? "failed" : s == 2 ? "timeext" : "rfu";

        private static string IccName(int s) => s == 0 ? "active" : s == 1 ? "inactive" : s == 2 ? "absent" : "rfu";

        /// <summary>bError by name, e.g. "FE ICC_MUTE".</summary>
        public static string ErrorName(byte e)
        {
            foreach (KeyValuePair<string, byte> kv in ErrorNames)
            {
                if (kv.Value == e && e >= 0xE0) { return $"{e:X2} {kv.Key}"; }
            }
            return e < 0xE0 && e != 0 ? $"{e:X2} (offset {e} of the field in error)" : $"{e:X2}" + (e == 0 ? " CMD_NOT_SUPPORTED" : "");
        }

        private static string Name(byte type)
        {
            foreach (KeyValuePair<string, byte> kv in MessageTypes) { if (kv.Value == type) { return kv.Key; } }
            return $"message {type:X2}";
        }

        private static string Describe(byte[] m, int n)
        {
            if (n < 10) { return $"{n}-byte fragment {Hex.Format(m, 0, n)}"; }
            string data = "";
            if (n > 10)
            {
                // The report shows the host's messages as the trace does: a PIN sent in clear is masked.
                byte[] payload = new byte[n - 10];
                Array.Copy(m, 10, payload, 0, payload.Length);
                if (m[0] == CcidMessage.XfrBlock || m[0] == CcidMessage.Secure)
                {
                    PinMask.MaskCcidPayload(payload, 0, payload.Length);
                }
                data = " " + Hex.Short(payload, 0, payload.Length, 16);
            }
            return $"{Name(m[0])} slot {m[5]}{data}";
        }

        private static string DescribeReply(byte[] r, int n)
        {
            if (n == 0) { return "no reply"; }
            if (n < 10) { return Hex.Format(r, 0, n); }
            string s = $"{r[0]:X2} {StatusName(r[7] >> 6)}, ICC {IccName(r[7] & 3)}";
            if ((r[7] >> 6) == 1) { s += $", bError {ErrorName(r[8])}"; }
            if (n > 10) { s += ", data " + Hex.Short(r, 10, n - 10, 32); }
            return s;
        }

        private static string DescribeExpect(ExpectSpec ex)
        {
            if (ex.NoReply) { return "no reply"; }
            var parts = new List<string>();
            if (ex.Type != null) { parts.Add("type " + ex.Type); }
            if (ex.Status != null) { parts.Add(ex.Status); }
            if (ex.Icc != null) { parts.Add("ICC " + ex.Icc); }
            if (ex.Error != null) { parts.Add("bError " + ex.Error); }
            if (ex.Data != null) { parts.Add("data " + ex.Data); }
            if (ex.DataLength != null) { parts.Add($"{ex.DataLength} data bytes"); }
            if (ex.Sw != null) { parts.Add("SW " + ex.Sw); }
            if (ex.Byte9 != null) { parts.Add("byte 9 " + ex.Byte9); }
            if (ex.T1 != null) { parts.Add($"T=1 block{(ex.T1.Pcb != null ? " PCB " + ex.T1.Pcb : "")}{(ex.T1.Inf != null ? " INF " + ex.T1.Inf : "")}{(ex.T1.EdcValid != null ? (ex.T1.EdcValid.Value ? " EDC valid" : " EDC invalid") : "")}"); }
            if (ex.ElapsedMsAtLeast != null) { parts.Add($">= {ex.ElapsedMsAtLeast} ms"); }
            if (ex.ElapsedMsAtMost != null) { parts.Add($"<= {ex.ElapsedMsAtMost} ms"); }
            return string.Join(", ", parts);
        }
    }
}
