using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Terminal.Boards;
using Terminal.Desktop.Boards;
using Xunit;

namespace Terminal.Tests.Boards
{
    /// <summary>hardware/boards/*.json, read by the Linux board, against the values compiled in for nanoFramework.</summary>
    public class BoardJsonTests
    {
        private static BoardConfig Load(string name)
        {
            Assert.True(BoardJson.TryLoad(Repository.PathOf("hardware/boards/" + name + ".json"), out BoardConfig config, out _, out string error), error);
            return config;
        }

        private static IEnumerable<string> Differences(object expected, object actual, string path)
        {
            foreach (FieldInfo field in expected.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                object? e = field.GetValue(expected);
                object? a = field.GetValue(actual);
                string at = path + field.Name;
                if (e is Array ea && a is Array aa)
                {
                    if (ea.Length != aa.Length)
                    {
                        yield return at + ": " + ea.Length + " elements in the C# class, " + aa.Length + " in the JSON";
                        continue;
                    }
                    for (int i = 0; i < ea.Length; i++)
                    {
                        object? x = ea.GetValue(i);
                        object? y = aa.GetValue(i);
                        if (x is SlotConfig sx && y is SlotConfig sy)
                        {
                            foreach (string d in Differences(sx, sy, at + "[" + i + "]."))
                            {
                                yield return d;
                            }
                        }
                        else if (!Equals(x, y))
                        {
                            yield return at + "[" + i + "]: " + x + " in the C# class, " + y + " in the JSON";
                        }
                    }
                }
                else if (!Equals(e, a))
                {
                    yield return at + ": " + e + " in the C# class, " + a + " in the JSON";
                }
            }
        }

        [Fact]
        public void Esp32DevKitC_CompiledValues_EqualTheJsonBoardFile()
        {
            BoardConfig compiled = Esp32DevKitC.Create();
            BoardConfig json = Load("esp32-devkitc");
            List<string> differences = Differences(compiled, json, "").ToList();
            Assert.True(differences.Count == 0, string.Join("\n", differences));
            // The comparison itself sees every field: a changed value is caught.
            json.Slots[1].OffPin = 39;
            json.KeypadLayout[3] = "OK";
            Assert.Equal(2, Differences(compiled, json, "").Count());
        }

        [Fact]
        public void RaspberryPi_BoardFile_UsesHeaderGpiosOnce()
        {
            BoardConfig pi = Load("raspberry-pi");
            Assert.Equal("raspberry-pi", pi.Name);
            int[] gpios = new[]
            {
                pi.CardTxPin, pi.CardRxPin, pi.CardClockPin, pi.HostTxPin, pi.HostRxPin, pi.ShiftDataPin, pi.ShiftClockPin,
                pi.ShiftLatchPin, pi.ShiftOutputEnablePin, pi.SecureLedPin,
            }.Concat(pi.Slots.SelectMany(s => new[] { s.VccEnablePin, s.RstInPin, s.OffPin }))
             .Concat(pi.KeypadRowPins).Concat(pi.KeypadColumnPins).ToArray();
            Assert.All(gpios, g => Assert.InRange(g, 2, 27));
            Assert.Equal(gpios.Length, gpios.Distinct().Count());
            // Same card-interface board as the ESP32: the same shift-register outputs and keypad layout.
            BoardConfig esp = Esp32DevKitC.Create();
            Assert.Equal(esp.KeypadLayout, pi.KeypadLayout);
            Assert.Equal(esp.LcdDataPins, pi.LcdDataPins);
            Assert.Equal(esp.SlotSelectPin, pi.SlotSelectPin);
            Assert.Equal(esp.BuzzerPin, pi.BuzzerPin);
        }

        [Theory]
        [InlineData("GPIO17", 17)]
        [InlineData("SR3", 1003)]
        [InlineData("", -1)]
        public void Pin_Names_Parse(string text, int expected)
        {
            Assert.Equal(expected, BoardJson.ParsePin(text, "x"));
        }

        [Theory]
        [InlineData("{", "not valid JSON")]
        [InlineData("{\"name\":\"x\"}", "card: missing")]
        public void BadBoardFile_PreciseErrorNoException(string json, string expected)
        {
            Assert.False(BoardJson.TryParse(json, "test.json", out _, out _, out string error));
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }

        [Fact]
        public void BadPin_NamesTheMember()
        {
            string json = System.IO.File.ReadAllText(Repository.PathOf("hardware/boards/esp32-devkitc.json")).Replace("\"GPIO21\"", "\"PIN21\"");
            Assert.False(BoardJson.TryParse(json, "test.json", out _, out _, out string error));
            Assert.Contains("card.slots[0].vccEnablePin", error, StringComparison.Ordinal);
        }

        [Fact]
        public void LinuxBoard_MissingFile_ReportsIt()
        {
            Assert.False(LinuxBoard.TryCreate("linux:/nonexistent/board.json", out DriverBoard? board, out IDisposable? hardware, out string error));
            Assert.Null(board);
            Assert.Null(hardware);
            Assert.Contains("/nonexistent/board.json", error, StringComparison.Ordinal);
        }
    }
}
