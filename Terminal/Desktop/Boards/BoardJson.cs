using System;
using System.IO;
using System.Text.Json;
using Terminal.Boards;

namespace Terminal.Desktop.Boards
{
    /// <summary>
    /// Reads hardware/boards/&lt;board&gt;.json into a <see cref="BoardConfig"/>. Pins are "GPIOn" (a GPIO,
    /// BCM numbering on a Raspberry Pi), "SRn" (output n of the 74HC595 chain) or "" (none).
    /// </summary>
    internal static class BoardJson
    {
        /// <summary>Loads a board file; false with a message naming the file and the member on any error.</summary>
        internal static bool TryLoad(string path, out BoardConfig config, out int gpioChip, out string error)
        {
            config = new BoardConfig();
            gpioChip = 0;
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                error = path + ": " + e.Message;
                return false;
            }
            return TryParse(text, path, out config, out gpioChip, out error);
        }

        /// <summary>Parses board JSON; false with a message naming the member on any error.</summary>
        internal static bool TryParse(string json, string source, out BoardConfig config, out int gpioChip, out string error)
        {
            config = new BoardConfig();
            gpioChip = 0;
            try
            {
                using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
                Read(document.RootElement, config, out gpioChip);
                error = "";
                return true;
            }
            catch (JsonException e)
            {
                error = source + ": not valid JSON: " + e.Message;
            }
            catch (BoardFormatException e)
            {
                error = source + ": " + e.Message;
            }
            catch (InvalidOperationException e)
            {
                error = source + ": wrong type: " + e.Message;
            }
            catch (FormatException e)
            {
                error = source + ": " + e.Message;
            }
            return false;
        }

        /// <summary>"GPIO17" to 17, "SR3" to ShiftRegisterBase + 3, "" to NoPin.</summary>
        internal static int ParsePin(string text, string member)
        {
            if (text.Length == 0)
            {
                return BoardConfig.NoPin;
            }
            if (text.StartsWith("GPIO", StringComparison.Ordinal) && int.TryParse(text.AsSpan(4), out int gpio) && gpio >= 0 && gpio < BoardConfig.ShiftRegisterBase)
            {
                return gpio;
            }
            if (text.StartsWith("SR", StringComparison.Ordinal) && int.TryParse(text.AsSpan(2), out int sr) && sr >= 0 && sr < 256)
            {
                return BoardConfig.ShiftRegisterBase + sr;
            }
            throw new BoardFormatException(member + ": \"" + text + "\" is not a pin (GPIOn, SRn or \"\")");
        }

        private static void Read(JsonElement root, BoardConfig c, out int gpioChip)
        {
            c.Name = Str(root, "name");
            JsonElement card = Obj(root, "card");
            c.CardUart = Str(card, "uart");
            c.CardTxPin = Pin(card, "card.txPin", "txPin");
            c.CardRxPin = Pin(card, "card.rxPin", "rxPin");
            c.CardEcho = Member(card, "echo", "card.echo").GetBoolean();
            c.CardClockPin = Pin(card, "card.clockPin", "clockPin");
            c.PwmChip = Int(card, "pwmChip", "card.pwmChip");
            c.PwmChannel = Int(card, "pwmChannel", "card.pwmChannel");
            c.CardClockHz = Int(card, "clockHz", "card.clockHz");
            c.MaxDataRate = Int(card, "maxDataRate", "card.maxDataRate");
            c.VoltageSupport = Int(card, "voltageSupport", "card.voltageSupport");
            c.SlotSelectPin = Pin(card, "card.slotSelectPin", "slotSelectPin");
            c.ActivationMicroseconds = Int(card, "activationMicroseconds", "card.activationMicroseconds");
            c.DeactivationMicroseconds = Int(card, "deactivationMicroseconds", "card.deactivationMicroseconds");
            c.SerialLatencyMilliseconds = Int(card, "serialLatencyMilliseconds", "card.serialLatencyMilliseconds");
            JsonElement slots = Member(card, "slots", "card.slots");
            c.Slots = new SlotConfig[slots.GetArrayLength()];
            int i = 0;
            foreach (JsonElement s in slots.EnumerateArray())
            {
                string at = "card.slots[" + i + "].";
                SlotConfig slot = new SlotConfig();
                slot.VccEnablePin = Pin(s, at + "vccEnablePin", "vccEnablePin");
                slot.RstInPin = Pin(s, at + "rstinPin", "rstinPin");
                slot.ClassSelectPin = Pin(s, at + "classSelectPin", "classSelectPin");
                slot.OffPin = Pin(s, at + "offPin", "offPin");
                slot.AccessLedPin = Pin(s, at + "accessLedPin", "accessLedPin");
                c.Slots[i++] = slot;
            }

            JsonElement host = Obj(root, "host");
            c.HostUart = Str(host, "uart");
            c.HostTxPin = Pin(host, "host.txPin", "txPin");
            c.HostRxPin = Pin(host, "host.rxPin", "rxPin");
            c.HostBaudRate = Int(host, "baudRate", "host.baudRate");
            string parity = Str(host, "parity");
            c.HostParity = parity == "none" ? SerialParity.None : parity == "even" ? SerialParity.Even : parity == "odd" ? SerialParity.Odd
                : throw new BoardFormatException("host.parity: \"" + parity + "\" (none, even or odd)");
            c.HostStopBits = Int(host, "stopBits", "host.stopBits");

            if (root.TryGetProperty("shiftRegister", out JsonElement sr))
            {
                c.ShiftDataPin = Pin(sr, "shiftRegister.dataPin", "dataPin");
                c.ShiftClockPin = Pin(sr, "shiftRegister.clockPin", "clockPin");
                c.ShiftLatchPin = Pin(sr, "shiftRegister.latchPin", "latchPin");
                c.ShiftOutputEnablePin = Pin(sr, "shiftRegister.outputEnablePin", "outputEnablePin");
                c.ShiftLength = Int(sr, "length", "shiftRegister.length");
            }

            JsonElement display = Obj(root, "display");
            c.DisplayKind = Str(display, "kind");
            if (c.DisplayKind != "none")
            {
                c.DisplayRows = Int(display, "rows", "display.rows");
                c.DisplayColumns = Int(display, "columns", "display.columns");
                c.LcdRsPin = Pin(display, "display.rsPin", "rsPin");
                c.LcdEPin = Pin(display, "display.ePin", "ePin");
                c.LcdDataPins = Pins(display, "dataPins", "display.dataPins");
                if (c.LcdDataPins.Length != 4)
                {
                    throw new BoardFormatException("display.dataPins: four pins, D4 to D7");
                }
            }

            JsonElement keypad = Obj(root, "keypad");
            c.KeypadRowPins = Pins(keypad, "rowPins", "keypad.rowPins");
            c.KeypadColumnPins = Pins(keypad, "columnPins", "keypad.columnPins");
            JsonElement layout = Member(keypad, "layout", "keypad.layout");
            c.KeypadLayout = new string[c.KeypadRowPins.Length * c.KeypadColumnPins.Length];
            int row = 0;
            foreach (JsonElement line in layout.EnumerateArray())
            {
                int col = 0;
                foreach (JsonElement key in line.EnumerateArray())
                {
                    if (row >= c.KeypadRowPins.Length || col >= c.KeypadColumnPins.Length)
                    {
                        throw new BoardFormatException("keypad.layout: larger than rowPins x columnPins");
                    }
                    string name = key.GetString() ?? "";
                    if (name.Length > 0 && BoardConfig.ParseKey(name) == Key.None)
                    {
                        throw new BoardFormatException("keypad.layout[" + row + "][" + col + "]: unknown key \"" + name + "\"");
                    }
                    c.KeypadLayout[row * c.KeypadColumnPins.Length + col] = name;
                    col++;
                }
                row++;
            }
            for (int k = 0; k < c.KeypadLayout.Length; k++)
            {
                c.KeypadLayout[k] ??= "";
            }
            c.KeypadScanMilliseconds = Int(keypad, "scanMilliseconds", "keypad.scanMilliseconds");
            c.KeypadDebounceScans = Int(keypad, "debounceScans", "keypad.debounceScans");

            JsonElement indicators = Obj(root, "indicators");
            c.SecureLedPin = Pin(indicators, "indicators.secureLedPin", "secureLedPin");
            c.BuzzerPin = Pin(indicators, "indicators.buzzerPin", "buzzerPin");

            gpioChip = 0;
            if (root.TryGetProperty("linux", out JsonElement linux) && linux.TryGetProperty("gpioChip", out JsonElement chip))
            {
                gpioChip = chip.GetInt32();
            }
        }

        private static JsonElement Member(JsonElement parent, string name, string path)
        {
            if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out JsonElement value))
            {
                throw new BoardFormatException(path + ": missing");
            }
            return value;
        }

        private static JsonElement Obj(JsonElement parent, string name)
        {
            JsonElement value = Member(parent, name, name);
            if (value.ValueKind != JsonValueKind.Object)
            {
                throw new BoardFormatException(name + ": an object expected");
            }
            return value;
        }

        private static string Str(JsonElement parent, string name)
        {
            return Member(parent, name, name).GetString() ?? "";
        }

        private static int Int(JsonElement parent, string name, string path)
        {
            JsonElement value = Member(parent, name, path);
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int result))
            {
                throw new BoardFormatException(path + ": an integer expected");
            }
            return result;
        }

        private static int Pin(JsonElement parent, string path, string name)
        {
            JsonElement value = Member(parent, name, path);
            return ParsePin(value.GetString() ?? "", path);
        }

        private static int[] Pins(JsonElement parent, string name, string path)
        {
            JsonElement value = Member(parent, name, path);
            int[] pins = new int[value.GetArrayLength()];
            int i = 0;
            foreach (JsonElement p in value.EnumerateArray())
            {
                pins[i] = ParsePin(p.GetString() ?? "", path + "[" + i + "]");
                i++;
            }
            return pins;
        }
    }

    /// <summary>A board file that parses as JSON but does not describe a board.</summary>
    internal sealed class BoardFormatException : Exception
    {
        internal BoardFormatException(string message) : base(message)
        {
        }
    }
}
