using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Terminal.Desktop.Conformance
{
    /// <summary>A catalogue file (hardware/conformance/cases/*.json): a list of cases.</summary>
    public sealed class CaseFile
    {
        /// <summary>What the file covers.</summary>
        public string? Description { get; set; }
        /// <summary>Default category of its cases.</summary>
        public string? Category { get; set; }
        /// <summary>The cases.</summary>
        public List<CaseSpec> Cases { get; set; } = new List<CaseSpec>();
    }

    /// <summary>One case: a reader type, the cards (profile + overrides + faults) and a scripted exchange.</summary>
    public sealed class CaseSpec
    {
        /// <summary>Stable identifier.</summary>
        public string Id { get; set; } = "";
        /// <summary>One-line title.</summary>
        public string Title { get; set; } = "";
        /// <summary>Clause checked.</summary>
        public string Clause { get; set; } = "";
        /// <summary>Category (defaults to the file's).</summary>
        public string? Category { get; set; }
        /// <summary>Expected behaviour in words (the step expectations are added to it).</summary>
        public string? Expected { get; set; }
        /// <summary>Reader type: sec1210 (default), gempcpinpad or usb (APDU level).</summary>
        public string Profile { get; set; } = "sec1210";
        /// <summary>Card in physical slot 0, or null for an empty slot.</summary>
        public CardSpec? Slot0 { get; set; }
        /// <summary>Card in physical slot 1.</summary>
        public CardSpec? Slot1 { get; set; }
        /// <summary>The exchange.</summary>
        public List<StepSpec> Steps { get; set; } = new List<StepSpec>();
        /// <summary>Reader misbehaviour the card must record: "none" (default: any observation fails the case), a list of kinds expected, or "any" (not checked).</summary>
        public JsonNode? Observations { get; set; }
        /// <summary>When set, the case is not run and reported as skipped with this reason.</summary>
        public string? Skip { get; set; }
        /// <summary>Optional sweep: one variant per card character (removal at every character of the exchange).</summary>
        public SweepSpec? Sweep { get; set; }
        /// <summary>Feature the case needs ("pinpad": always there, the runner installs the PIN pad as `terminal run` does); an unknown feature skips the case.</summary>
        public string? Requires { get; set; }
        /// <summary>The clear-PIN policy on the CPx slot: "refuse" (default, as `terminal run`: 6982) or "allow".</summary>
        public string? ClearPin { get; set; }
        /// <summary>Directory of the catalogue file (card profile paths in a case are relative to it).</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public string? SourceDirectory { get; set; }
    }

    /// <summary>A card: a profile name plus overrides, and faults to inject.</summary>
    public sealed class CardSpec
    {
        /// <summary>Profile name (hardware/cards/&lt;name&gt;.json) or path of a profile file.</summary>
        public string Card { get; set; } = "";
        /// <summary>ATR override (hex).</summary>
        public string? Atr { get; set; }
        /// <summary>Timing overrides (properties of the profile's timing, camelCase).</summary>
        public JsonObject? Timing { get; set; }
        /// <summary>Faults (properties of the simulator's CardFaults, camelCase).</summary>
        public JsonObject? Faults { get; set; }
        /// <summary>Card clock in Hz (default 4 MHz).</summary>
        public int ClockHz { get; set; }
    }

    /// <summary>Sweep: a fault set to every card character index of a reference run.</summary>
    public sealed class SweepSpec
    {
        /// <summary>The fault: removeAt (the only one so far).</summary>
        public string Fault { get; set; } = "removeAt";
        /// <summary>Physical slot whose card is swept.</summary>
        public int Slot { get; set; }
        /// <summary>First card character index swept (default 0).</summary>
        public int From { get; set; }
        /// <summary>Last card character index swept (default: the last of the reference run).</summary>
        public int? To { get; set; }
    }

    /// <summary>One step: a CCID message from the host, or an action on the board.</summary>
    public sealed class StepSpec
    {
        /// <summary>Message name (IccPowerOn, XfrBlock, ...) or "raw".</summary>
        public string? Send { get; set; }
        /// <summary>Action instead of a message: remove, insert, wait, faults, keys.</summary>
        public string? Do { get; set; }
        /// <summary>bSlot (CCID slot for messages, physical slot for actions).</summary>
        public int Slot { get; set; }
        /// <summary>Message data (hex), the abData.</summary>
        public string? Data { get; set; }
        /// <summary>A T=1 block built by the runner: NAD, PCB, INF and the slot card's EDC.</summary>
        public T1Spec? T1 { get; set; }
        /// <summary>The whole message in hex (for invalid headers); bSeq is not touched.</summary>
        public string? Raw { get; set; }
        /// <summary>Bytes 7..9 of the header (hex, 3 bytes), or the message-specific fields below.</summary>
        public string? Param { get; set; }
        /// <summary>bPowerSelect, bProtocolNum, bClockCommand, bFunction (byte 7).</summary>
        public int? Byte7 { get; set; }
        /// <summary>wLevelParameter (bytes 8-9).</summary>
        public int? Level { get; set; }
        /// <summary>dwLength override (a lie about the length).</summary>
        public int? Length { get; set; }
        /// <summary>Card for insert.</summary>
        public CardSpec? Card { get; set; }
        /// <summary>Milliseconds for wait.</summary>
        public int Ms { get; set; }
        /// <summary>remove or insert: done this many milliseconds of board time later, during the next message (0: at once).</summary>
        public int AfterMs { get; set; }
        /// <summary>keys: the keypad script, one comma-separated part per PIN prompt (digits, K, C, R, _ one second).</summary>
        public string? Keys { get; set; }
        /// <summary>Faults for the faults action.</summary>
        public JsonObject? Faults { get; set; }
        /// <summary>What the reply must be.</summary>
        public ExpectSpec? Expect { get; set; }
        /// <summary>Free text shown in the report.</summary>
        public string? Note { get; set; }
    }

    /// <summary>A T=1 block the runner frames.</summary>
    public sealed class T1Spec
    {
        /// <summary>NAD (hex, default 00).</summary>
        public string Nad { get; set; } = "00";
        /// <summary>PCB (hex).</summary>
        public string Pcb { get; set; } = "00";
        /// <summary>INF (hex).</summary>
        public string Inf { get; set; } = "";
        /// <summary>lrc or crc; default from the card's ATR.</summary>
        public string? Edc { get; set; }
        /// <summary>Corrupt the EDC (bad checksum from the host).</summary>
        public bool BadEdc { get; set; }
        /// <summary>LEN override.</summary>
        public int? Len { get; set; }
    }

    /// <summary>Expectations on a reply. Hex patterns accept "xx" for any byte and ".." for any rest.</summary>
    public sealed class ExpectSpec
    {
        /// <summary>bMessageType of the reply (hex).</summary>
        public string? Type { get; set; }
        /// <summary>ok, failed or timeext (bmCommandStatus).</summary>
        public string? Status { get; set; }
        /// <summary>active, inactive or absent (bmICCStatus).</summary>
        public string? Icc { get; set; }
        /// <summary>bError (hex or a name such as ICC_MUTE).</summary>
        public string? Error { get; set; }
        /// <summary>abData pattern.</summary>
        public string? Data { get; set; }
        /// <summary>Exact abData length.</summary>
        public int? DataLength { get; set; }
        /// <summary>Last two data bytes (SW1 SW2).</summary>
        public string? Sw { get; set; }
        /// <summary>Byte 9 (bChainParameter / bClockStatus / bProtocolNum by type).</summary>
        public string? Byte9 { get; set; }
        /// <summary>Byte 9 of Parameters replies is bProtocolNum; 7 of ... (kept general): header byte 9 is checked by <see cref="Byte9"/>.</summary>
        public T1Expect? T1 { get; set; }
        /// <summary>Virtual time the step may take at least (ms).</summary>
        public double? ElapsedMsAtLeast { get; set; }
        /// <summary>Virtual time the step may take at most (ms).</summary>
        public double? ElapsedMsAtMost { get; set; }
        /// <summary>No reply at all (the message is too short to be answered).</summary>
        public bool NoReply { get; set; }
    }

    /// <summary>Expectations on a T=1 block in the reply data.</summary>
    public sealed class T1Expect
    {
        /// <summary>PCB pattern (hex byte, xx allowed), or a kind: I, R, S.</summary>
        public string? Pcb { get; set; }
        /// <summary>INF pattern.</summary>
        public string? Inf { get; set; }
        /// <summary>EDC must be right (true) or wrong (false).</summary>
        public bool? EdcValid { get; set; }
    }

    /// <summary>Hex strings and patterns.</summary>
    public static class Hex
    {
        /// <summary>Parses "3B 75 13" or "3B7513".</summary>
        public static byte[] Parse(string s)
        {
            string t = s.Replace(" ", "", StringComparison.Ordinal).Replace(":", "", StringComparison.Ordinal);
            if (t.Length % 2 != 0)
            {
                throw new FormatException($"odd number of hex digits in '{s}'");
            }
            byte[] b = new byte[t.Length / 2];
            for (int i = 0; i < b.Length; i++)
            {
                b[i] = byte.Parse(t.AsSpan(2 * i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            return b;
        }

        /// <summary>"3B 75 13".</summary>
        public static string Format(byte[] b, int offset, int count)
        {
            var sb = new StringBuilder(count * 3);
            for (int i = 0; i < count; i++)
            {
                if (i > 0) { sb.Append(' '); }
                sb.Append(b[offset + i].ToString("X2", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        /// <summary>Formats at most <paramref name="max"/> bytes, then "... (n bytes)".</summary>
        public static string Short(byte[] b, int offset, int count, int max = 24)
        {
            return count <= max ? Format(b, offset, count) : Format(b, offset, max) + $" ... ({count} bytes)";
        }

        /// <summary>Matches a pattern: hex bytes, "xx" any byte, ".." any rest (at the end).</summary>
        public static bool Matches(string pattern, byte[] b, int offset, int count)
        {
            string[] tokens = pattern.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var list = new List<string>();
            foreach (string tok in tokens)
            {
                if (tok == "..") { list.Add(".."); continue; }
                for (int i = 0; i + 1 < tok.Length + 1 && i < tok.Length; i += 2)
                {
                    list.Add(tok.Substring(i, Math.Min(2, tok.Length - i)));
                }
            }
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] == "..")
                {
                    return true;
                }
                if (i >= count)
                {
                    return false;
                }
                if (list[i].Equals("xx", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }
                if (byte.Parse(list[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != b[offset + i])
                {
                    return false;
                }
            }
            return list.Count == count;
        }
    }

    /// <summary>Loads catalogue files.</summary>
    public static class CaseCatalogue
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        /// <summary>
        /// The catalogue directory: $TERMINAL_CONFORMANCE_DIR, else hardware/conformance/cases above the
        /// working directory, else above the assembly.
        /// </summary>
        public static string? FindDirectory()
        {
            string? env = Environment.GetEnvironmentVariable("TERMINAL_CONFORMANCE_DIR");
            if (!string.IsNullOrEmpty(env) && Directory.Exists(env))
            {
                return env;
            }
            foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                string? d = start;
                while (d != null)
                {
                    string c = Path.Combine(d, "hardware", "conformance", "cases");
                    if (Directory.Exists(c))
                    {
                        return c;
                    }
                    d = Path.GetDirectoryName(d);
                }
            }
            return null;
        }

        /// <summary>Reads one file; throws InvalidDataException naming the file on a JSON error.</summary>
        public static CaseFile LoadFile(string path)
        {
            try
            {
                CaseFile? f = JsonSerializer.Deserialize<CaseFile>(File.ReadAllText(path), Options);
                if (f == null)
                {
                    throw new InvalidDataException($"{path}: empty");
                }
                foreach (CaseSpec c in f.Cases)
                {
                    c.Category ??= f.Category ?? Path.GetFileNameWithoutExtension(path);
                    c.SourceDirectory = Path.GetDirectoryName(Path.GetFullPath(path));
                }
                return f;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
        }

        /// <summary>Every case of every *.json file in <paramref name="directory"/>, in file then case order.</summary>
        public static List<CaseSpec> LoadDirectory(string directory)
        {
            var cases = new List<CaseSpec>();
            string[] files = Directory.GetFiles(directory, "*.json");
            Array.Sort(files, StringComparer.Ordinal);
            foreach (string f in files)
            {
                cases.AddRange(LoadFile(f).Cases);
            }
            return cases;
        }
    }
}
