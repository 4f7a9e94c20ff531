using System;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Text;
using Terminal.Iso7816;

namespace Terminal.Desktop
{
    /// <summary>
    /// `terminal atr`: decodes Answers-to-Reset for people (text) and labs (one JSON object a line),
    /// with the engine's own parser (Terminal.Iso7816.Atr), so what it prints is what the reader does.
    /// </summary>
    internal static class AtrCommand
    {
        /// <summary>The JSON keys, in the order they are written.</summary>
        internal static readonly string[] JsonKeys =
        {
            "atr", "valid", "error", "convention", "protocols", "fi", "di", "fmax_khz", "n", "wi", "ifsc", "cwi", "bwi",
            "edc", "clock_stop", "classes", "specific_mode", "historical", "tck",
        };

        internal static Command Create()
        {
            Argument<string> atrArgument = new Argument<string>("atr")
            {
                Description = "The ATR in hexadecimal (spaces or colons allowed), or '-' to read one ATR a line from standard input.",
            };
            Option<bool> jsonOption = new Option<bool>("--json")
            {
                Description = "Print one JSON object a line per ATR (keys: " + string.Join(", ", JsonKeys) + ").",
            };
            Command atr = new Command("atr", "Decode an Answer-to-Reset (hex), or one a line from standard input with '-'.");
            atr.Arguments.Add(atrArgument);
            atr.Options.Add(jsonOption);
            atr.SetAction(parseResult =>
                Run(parseResult.GetValue(atrArgument) ?? "", parseResult.GetValue(jsonOption), Console.In, Console.Out));
            return atr;
        }

        /// <summary>Decodes <paramref name="input"/> (or every line of <paramref name="stdin"/> for "-"); 0 when every ATR is valid, 1 otherwise.</summary>
        internal static int Run(string input, bool json, TextReader stdin, TextWriter stdout)
        {
            Atr atr = new Atr();
            StringBuilder text = new StringBuilder(1024);
            bool allValid = true;
            if (input == "-")
            {
                string? line;
                while ((line = stdin.ReadLine()) != null)
                {
                    if (line.Trim().Length == 0)
                    {
                        continue;
                    }
                    allValid &= DecodeOne(line, json, atr, text, stdout);
                }
            }
            else
            {
                allValid = DecodeOne(input, json, atr, text, stdout);
            }
            stdout.Flush();
            return allValid ? 0 : 1;
        }

        private static bool DecodeOne(string input, bool json, Atr atr, StringBuilder text, TextWriter stdout)
        {
            text.Clear();
            byte[]? bytes = ParseHex(input);
            if (bytes == null)
            {
                if (json)
                {
                    WriteJsonNotHex(input, text);
                }
                else
                {
                    text.Append("ATR: ").Append(input.Trim()).Append('\n');
                    text.Append("  not an ATR: expected hexadecimal bytes (e.g. 3B 75 13 00 00 47 09 EA 90 00)\n");
                }
                stdout.Write(text.ToString());
                return false;
            }
            AtrError error = atr.Parse(bytes, 0, bytes.Length);
            if (json)
            {
                WriteJson(bytes, atr, error, text);
            }
            else
            {
                WriteText(bytes, atr, error, text);
            }
            stdout.Write(text.ToString());
            return error == AtrError.None;
        }

        /// <summary>Hex digits with optional spaces, colons, tabs, commas or a 0x prefix per byte; null when anything else, or an odd digit count.</summary>
        internal static byte[]? ParseHex(string input)
        {
            string s = input.Trim().Replace("0x", " ", StringComparison.OrdinalIgnoreCase);
            int digits = 0;
            foreach (char c in s)
            {
                if (Uri.IsHexDigit(c))
                {
                    digits++;
                }
                else if (c != ' ' && c != ':' && c != '\t' && c != ',' && c != '-')
                {
                    return null;
                }
            }
            if (digits == 0 || digits % 2 != 0)
            {
                return null;
            }
            byte[] result = new byte[digits / 2];
            int n = 0;
            int high = -1;
            foreach (char c in s)
            {
                if (!Uri.IsHexDigit(c))
                {
                    continue;
                }
                int v = Uri.FromHex(c);
                if (high < 0)
                {
                    high = v;
                }
                else
                {
                    result[n++] = (byte)((high << 4) | v);
                    high = -1;
                }
            }
            return result;
        }

        private static string Hex(byte[] b, int offset, int length, string separator)
        {
            if (length <= 0)
            {
                return "";
            }
            StringBuilder s = new StringBuilder(length * 3);
            for (int i = 0; i < length; i++)
            {
                if (i > 0)
                {
                    s.Append(separator);
                }
                s.Append(b[offset + i].ToString("X2", CultureInfo.InvariantCulture));
            }
            return s.ToString();
        }

        // ---- JSON ----

        private static void WriteJson(byte[] bytes, Atr atr, AtrError error, StringBuilder j)
        {
            bool tsOk = error != AtrError.BadTs && error != AtrError.Empty;
            j.Append("{\"atr\":\"").Append(Hex(bytes, 0, bytes.Length, "")).Append('"');
            j.Append(",\"valid\":").Append(error == AtrError.None ? "true" : "false");
            j.Append(",\"error\":").Append(error == AtrError.None ? "null" : "\"" + error + "\"");
            j.Append(",\"convention\":").Append(!tsOk ? "null" : atr.Convention == Convention.Inverse ? "\"inverse\"" : "\"direct\"");
            j.Append(",\"protocols\":[");
            int count = tsOk ? atr.ProtocolCount : 0;
            for (int i = 0; i < count; i++)
            {
                j.Append(i == 0 ? "" : ",").Append(atr.GetProtocol(i));
            }
            j.Append(']');
            j.Append(",\"fi\":").Append(NullIfZero(atr.Fi));
            j.Append(",\"di\":").Append(NullIfZero(atr.Di));
            j.Append(",\"fmax_khz\":").Append(NullIfZero(atr.FmaxKhz));
            j.Append(",\"n\":").Append(atr.N);
            j.Append(",\"wi\":").Append(NullIfZero(atr.WI));
            j.Append(",\"ifsc\":").Append(NullIfZero(atr.Ifsc));
            j.Append(",\"cwi\":").Append(atr.Cwi);
            j.Append(",\"bwi\":").Append(atr.Bwi < 0 ? "null" : atr.Bwi.ToString(CultureInfo.InvariantCulture));
            j.Append(",\"edc\":").Append(atr.EdcRfu ? "null" : atr.UsesCrc ? "\"CRC\"" : "\"LRC\"");
            j.Append(",\"clock_stop\":").Append(ClockStopJson(atr.ClockStop));
            j.Append(",\"classes\":");
            if (atr.ClassMask == 0)
            {
                j.Append("null");
            }
            else
            {
                j.Append('[');
                bool first = true;
                for (int i = 0; i < 3; i++)
                {
                    if ((atr.ClassMask & (1 << i)) != 0)
                    {
                        j.Append(first ? "" : ",").Append('"').Append((char)('A' + i)).Append('"');
                        first = false;
                    }
                }
                j.Append(']');
            }
            j.Append(",\"specific_mode\":").Append(atr.SpecificMode ? "true" : "false");
            j.Append(",\"historical\":\"").Append(Hex(atr.Bytes, atr.HistoricalOffset, atr.HistoricalLength, "")).Append('"');
            j.Append(",\"tck\":\"").Append(atr.Tck == TckStatus.Correct ? "correct" : atr.Tck == TckStatus.Wrong ? "wrong" : "absent").Append('"');
            j.Append("}\n");
        }

        private static void WriteJsonNotHex(string input, StringBuilder j)
        {
            j.Append("{\"atr\":").Append(JsonString(input.Trim().ToUpperInvariant()));
            j.Append(",\"valid\":false,\"error\":\"NotHex\",\"convention\":null,\"protocols\":[],\"fi\":null,\"di\":null,\"fmax_khz\":null,")
                .Append("\"n\":null,\"wi\":null,\"ifsc\":null,\"cwi\":null,\"bwi\":null,\"edc\":null,\"clock_stop\":null,\"classes\":null,")
                .Append("\"specific_mode\":false,\"historical\":\"\",\"tck\":\"absent\"}\n");
        }

        private static string JsonString(string s)
        {
            StringBuilder b = new StringBuilder(s.Length + 2);
            b.Append('"');
            foreach (char c in s)
            {
                if (c == '"' || c == '\\')
                {
                    b.Append('\\').Append(c);
                }
                else if (c < 0x20)
                {
                    b.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                }
                else
                {
                    b.Append(c);
                }
            }
            return b.Append('"').ToString();
        }

        private static string NullIfZero(int v)
        {
            return v == 0 ? "null" : v.ToString(CultureInfo.InvariantCulture);
        }

        private static string ClockStopJson(ClockStop stop)
        {
            switch (stop)
            {
                case ClockStop.NotSupported: return "\"not supported\"";
                case ClockStop.StateL: return "\"state L\"";
                case ClockStop.StateH: return "\"state H\"";
                case ClockStop.NoPreference: return "\"no preference\"";
                default: return "null";
            }
        }

        // ---- text for people ----

        private static readonly string[] ClassNames = { "A (5 V)", "B (3 V)", "C (1.8 V)" };

        private static void WriteText(byte[] bytes, Atr atr, AtrError error, StringBuilder t)
        {
            t.Append("ATR: ").Append(Hex(bytes, 0, bytes.Length, " ")).Append('\n');
            t.Append(error == AtrError.None ? "  valid\n" : "  " + (Atr.IsFatal(error) ? "INVALID: " : "warning: ") + Describe(error) + "\n");
            if (error == AtrError.Empty || error == AtrError.BadTs)
            {
                return;
            }
            t.Append("  TS  = ").Append(bytes[0].ToString("X2", CultureInfo.InvariantCulture))
                .Append(atr.Convention == Convention.Inverse ? "  inverse convention\n" : "  direct convention\n");
            WriteInterfaceBytes(bytes, t);
            t.Append("  Parameters\n");
            t.Append("    Fi = ").Append(Or(atr.Fi, "RFU")).Append(", Di = ").Append(Or(atr.Di, "RFU"))
                .Append(", fmax = ").Append(atr.FmaxKhz == 0 ? "RFU" : (atr.FmaxKhz / 1000.0).ToString("0.#", CultureInfo.InvariantCulture) + " MHz")
                .Append(atr.HasTa1 ? "" : "  (TA1 absent: defaults)").Append('\n');
            if (atr.Fi > 0 && atr.Di > 0)
            {
                t.Append("    at 4 MHz: ").Append(SpeedPolicy.BitRate(4000000, atr.Fi, atr.Di).ToString("N0", CultureInfo.InvariantCulture))
                    .Append(" bit/s (default ").Append(SpeedPolicy.BitRate(4000000, 372, 1).ToString("N0", CultureInfo.InvariantCulture)).Append(" bit/s)\n");
            }
            t.Append("    N (extra guard time) = ").Append(atr.N).Append(atr.N == 255 ? "  (minimum guard time: 12 ETU in T=0, 11 in T=1)" : "").Append('\n');
            t.Append("    protocols: ");
            for (int i = 0; i < atr.ProtocolCount; i++)
            {
                t.Append(i == 0 ? "" : ", ").Append("T=").Append(atr.GetProtocol(i));
            }
            t.Append("; default T=").Append(atr.DefaultProtocol).Append('\n');
            if (atr.SpecificMode)
            {
                t.Append("    specific mode: T=").Append(atr.SpecificProtocol)
                    .Append(atr.CanChangeMode ? ", can change to negotiable mode" : ", cannot change mode")
                    .Append(atr.ImplicitParameters ? ", implicit parameters" : ", parameters of TA1").Append('\n');
            }
            else
            {
                t.Append("    negotiable mode (PPS possible)\n");
            }
            if (atr.Offers(0))
            {
                t.Append("    T=0: WI = ").Append(Or(atr.WI, "RFU"));
                if (atr.WI > 0 && atr.Fi > 0)
                {
                    long cycles = 960L * atr.WI * atr.Fi;
                    t.Append(", WT = ").Append(cycles.ToString(CultureInfo.InvariantCulture)).Append(" cycles (")
                        .Append((cycles / 4000.0).ToString("0.#", CultureInfo.InvariantCulture)).Append(" ms at 4 MHz)");
                }
                t.Append('\n');
            }
            if (atr.Offers(1))
            {
                t.Append("    T=1: IFSC = ").Append(Or(atr.Ifsc, "RFU")).Append(", CWI = ").Append(atr.Cwi)
                    .Append(", BWI = ").Append(atr.Bwi < 0 ? "RFU" : atr.Bwi.ToString(CultureInfo.InvariantCulture))
                    .Append(", EDC = ").Append(atr.EdcRfu ? "RFU" : atr.UsesCrc ? "CRC" : "LRC").Append('\n');
            }
            if (atr.HasClassIndicator)
            {
                t.Append("    clock stop: ").Append(ClockStopJson(atr.ClockStop).Trim('"')).Append("; classes: ");
                if (atr.ClassMask == 0)
                {
                    t.Append("none indicated (RFU)");
                }
                for (int i = 0, n = 0; i < 3; i++)
                {
                    if ((atr.ClassMask & (1 << i)) != 0)
                    {
                        t.Append(n++ == 0 ? "" : ", ").Append(ClassNames[i]);
                    }
                }
                t.Append('\n');
            }
            t.Append("  Historical bytes (").Append(atr.HistoricalLength).Append("): ")
                .Append(Hex(atr.Bytes, atr.HistoricalOffset, atr.HistoricalLength, " "));
            if (atr.HistoricalLength > 0)
            {
                t.Append("  \"");
                for (int i = 0; i < atr.HistoricalLength; i++)
                {
                    byte c = atr.Bytes[atr.HistoricalOffset + i];
                    t.Append(c >= 0x20 && c < 0x7F ? (char)c : '.');
                }
                t.Append('"');
            }
            t.Append('\n');
            t.Append("  TCK: ").Append(atr.Tck == TckStatus.Correct ? "correct" : atr.Tck == TckStatus.Wrong ? "WRONG" : "absent").Append('\n');
            if (atr.StrayTck >= 0)
            {
                t.Append("  after the ATR: ").Append(atr.StrayTck.ToString("X2", CultureInfo.InvariantCulture))
                    .Append("  stray TCK, not part of the ATR (only T=0 is indicated, so TCK is absent: ISO/IEC 7816-3 §8.2.5)\n");
            }
        }

        // Names each interface byte as ISO/IEC 7816-3 §8.2.3 does (TAi, TBi, TCi, TDi) with its meaning.
        private static void WriteInterfaceBytes(byte[] b, StringBuilder t)
        {
            if (b.Length < 2)
            {
                return;
            }
            int y = b[1] >> 4;
            t.Append("  T0  = ").Append(b[1].ToString("X2", CultureInfo.InvariantCulture))
                .Append("  K = ").Append(b[1] & 0x0F).Append(" historical bytes\n");
            int pos = 2;
            int group = 1;
            int protocol = -1;
            while (pos < b.Length)
            {
                int td = -1;
                for (int which = 0; which < 4 && pos <= b.Length; which++)
                {
                    if ((y & (1 << which)) == 0)
                    {
                        continue;
                    }
                    if (pos >= b.Length)
                    {
                        return;
                    }
                    int v = b[pos++];
                    t.Append("  T").Append("ABCD"[which]).Append(group).Append(group < 10 ? " = " : "= ")
                        .Append(v.ToString("X2", CultureInfo.InvariantCulture)).Append("  ").Append(Meaning(group, which, protocol, v)).Append('\n');
                    if (which == 3)
                    {
                        td = v;
                    }
                }
                if (td < 0)
                {
                    return;
                }
                protocol = td & 0x0F;
                y = td >> 4;
                group++;
            }
        }

        private static string Meaning(int group, int which, int protocol, int v)
        {
            if (which == 3)
            {
                return "next group: " + YList(v >> 4, group + 1) + "; protocol T=" + (v & 0x0F);
            }
            if (group == 1)
            {
                switch (which)
                {
                    case 0: return "Fi = " + Or(RateTables.Fi(v >> 4), "RFU") + ", Di = " + Or(RateTables.Di(v & 0x0F), "RFU");
                    case 1: return "programming voltage (deprecated, ignored)";
                    default: return "extra guard time N = " + v;
                }
            }
            if (group == 2)
            {
                switch (which)
                {
                    case 0: return "specific mode T=" + (v & 0x0F) + ((v & 0x80) != 0 ? ", cannot change" : ", can change") + ((v & 0x10) != 0 ? ", implicit parameters" : "");
                    case 1: return "programming voltage (deprecated, ignored)";
                    default: return "WI = " + v + " (T=0 waiting time)";
                }
            }
            if (protocol == 1)
            {
                switch (which)
                {
                    case 0: return "IFSC = " + v + " (T=1; the first TA for T=1 counts)";
                    case 1: return "BWI = " + (v >> 4) + ", CWI = " + (v & 0x0F) + " (T=1)";
                    default: return "EDC = " + ((v & 1) != 0 ? "CRC" : "LRC") + " (T=1)";
                }
            }
            if (protocol == 15)
            {
                switch (which)
                {
                    case 0: return "clock stop " + ClockStopJson((ClockStop)((v >> 6) + 1)).Trim('"') + ", class indicator " + (v & 0x3F).ToString("X2", CultureInfo.InvariantCulture);
                    case 1: return "SPU (standard or proprietary use)";
                    default: return "global byte for T=15";
                }
            }
            return "specific to T=" + protocol;
        }

        private static string YList(int y, int group)
        {
            if (y == 0)
            {
                return "none";
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 4; i++)
            {
                if ((y & (1 << i)) != 0)
                {
                    s.Append(s.Length == 0 ? "" : " ").Append('T').Append("ABCD"[i]).Append(group);
                }
            }
            return s.ToString();
        }

        private static string Or(int v, string zero)
        {
            return v == 0 ? zero : v.ToString(CultureInfo.InvariantCulture);
        }

        private static string Describe(AtrError e)
        {
            switch (e)
            {
                case AtrError.Empty: return "no bytes";
                case AtrError.BadTs: return "TS is neither 3B (direct) nor 3F (inverse)";
                case AtrError.TooLong: return "more than 33 bytes";
                case AtrError.TruncatedInterfaceBytes: return "ends inside the interface bytes T0 and the TD bytes announce";
                case AtrError.TruncatedHistoricalBytes: return "ends inside the historical bytes T0 announces";
                case AtrError.MissingTck: return "TCK missing (a protocol other than T=0 is indicated)";
                case AtrError.BadTck: return "TCK does not check";
                case AtrError.ExtraBytes: return "bytes after the end the structure announces";
                case AtrError.UnexpectedTck: return "only T=0 is indicated, so the ATR has no TCK, yet one more byte follows that checks as a TCK (stray TCK, not part of the ATR)";
                case AtrError.RfuFi: return "TA1 gives an RFU Fi";
                case AtrError.RfuDi: return "TA1 gives an RFU Di";
                case AtrError.RfuTa2: return "TA2 has RFU bits set";
                case AtrError.RfuWi: return "TC2 = 00 (RFU)";
                case AtrError.RfuIfsc: return "IFSC 00 or FF (RFU)";
                case AtrError.RfuBwi: return "BWI above 9 (RFU)";
                case AtrError.RfuEdc: return "the first TC for T=1 has RFU bits set";
                case AtrError.RfuClassIndicator: return "no class indicated in the first TA for T=15";
                case AtrError.RfuProtocol: return "TD1 indicates T=15";
                default: return e.ToString();
            }
        }
    }
}
