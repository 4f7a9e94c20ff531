using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using Terminal.Desktop;
using Xunit;
using Xunit.Abstractions;

namespace Terminal.Tests.Iso7816
{
    /// <summary>`terminal atr`: the human decode, `-` from standard input, and `--json` with the keys and defaults of issue 3.</summary>
    public class AtrCommandTests
    {
        private const string PcscToolsList = "/usr/share/pcsc/smartcard_list.txt";
        private readonly ITestOutputHelper _output;

        public AtrCommandTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private static (int Code, string Output) Run(string input, bool json, string stdin = "")
        {
            StringWriter stdout = new StringWriter();
            int code = AtrCommand.Run(input, json, new StringReader(stdin), stdout);
            return (code, stdout.ToString());
        }

        private static JsonElement Json(string atr)
        {
            (int _, string output) = Run(atr, true);
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Single(lines);
            return JsonDocument.Parse(lines[0]).RootElement.Clone();
        }

        [Fact]
        public void Json_HasExactlyTheKeysOfTheIssue_InOrder()
        {
            JsonElement o = Json("3B 75 13 00 00 47 09 EA 90 00");
            string[] keys = o.EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(new[] { "atr", "valid", "error", "convention", "protocols", "fi", "di", "fmax_khz", "n", "wi", "ifsc", "cwi", "bwi", "edc", "clock_stop", "classes", "specific_mode", "historical", "tck" }, keys);
        }

        [Fact]
        public void Json_Vitale2()
        {
            JsonElement o = Json("3b 75 13 00 00 47 09 ea 90 00");
            Assert.Equal("3B75130000470 9EA9000".Replace(" ", ""), o.GetProperty("atr").GetString());
            Assert.True(o.GetProperty("valid").GetBoolean());
            Assert.Equal(JsonValueKind.Null, o.GetProperty("error").ValueKind);
            Assert.Equal("direct", o.GetProperty("convention").GetString());
            Assert.Equal(new[] { 0 }, o.GetProperty("protocols").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            Assert.Equal(372, o.GetProperty("fi").GetInt32());
            Assert.Equal(4, o.GetProperty("di").GetInt32());
            Assert.Equal(5000, o.GetProperty("fmax_khz").GetInt32());
            Assert.Equal("470 9EA9000".Replace(" ", ""), o.GetProperty("historical").GetString());
            Assert.Equal("absent", o.GetProperty("tck").GetString());
            Assert.False(o.GetProperty("specific_mode").GetBoolean());
        }

        [Fact]
        public void Json_AbsentBytes_GiveTheIsoDefaults()
        {
            JsonElement o = Json("3F 65 25 00 2C 09 69 90 00");
            Assert.Equal("inverse", o.GetProperty("convention").GetString());
            Assert.Equal(372, o.GetProperty("fi").GetInt32());
            Assert.Equal(1, o.GetProperty("di").GetInt32());
            Assert.Equal(5000, o.GetProperty("fmax_khz").GetInt32());
            Assert.Equal(0, o.GetProperty("n").GetInt32());
            Assert.Equal(10, o.GetProperty("wi").GetInt32());
            Assert.Equal(32, o.GetProperty("ifsc").GetInt32());
            Assert.Equal(13, o.GetProperty("cwi").GetInt32());
            Assert.Equal(4, o.GetProperty("bwi").GetInt32());
            Assert.Equal("LRC", o.GetProperty("edc").GetString());
            Assert.Equal(JsonValueKind.Null, o.GetProperty("clock_stop").ValueKind);
            Assert.Equal(JsonValueKind.Null, o.GetProperty("classes").ValueKind);
        }

        [Fact]
        public void Json_T1Card_SpecificBytesClassesClockStopTck()
        {
            JsonElement o = Json("3B DA 18 FF 81 B1 FE 75 1F 03 00 31 C5 73 C0 01 40 00 90 00 0C");
            Assert.Equal(new[] { 1 }, o.GetProperty("protocols").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            Assert.Equal(12, o.GetProperty("di").GetInt32());
            Assert.Equal(255, o.GetProperty("n").GetInt32());
            Assert.Equal(254, o.GetProperty("ifsc").GetInt32());
            Assert.Equal(5, o.GetProperty("cwi").GetInt32());
            Assert.Equal(7, o.GetProperty("bwi").GetInt32());
            Assert.Equal("not supported", o.GetProperty("clock_stop").GetString());
            Assert.Equal(new[] { "A", "B" }, o.GetProperty("classes").EnumerateArray().Select(e => e.GetString()).ToArray());
            Assert.Equal("correct", o.GetProperty("tck").GetString());
        }

        [Fact]
        public void Json_ProtocolsInOrderWithoutRepeatsOrT15()
        {
            JsonElement o = Json("3B 80 80 81 1F 03 9D");
            Assert.Equal(new[] { 0, 1 }, o.GetProperty("protocols").EnumerateArray().Select(e => e.GetInt32()).ToArray());
            Assert.Equal("no preference", Json("3B 80 80 1F C7 D8").GetProperty("clock_stop").GetString());
        }

        [Theory]
        [InlineData("3B 10 71", "fi")]
        [InlineData("3B 10 71", "fmax_khz")]
        [InlineData("3B 10 1A", "di")]
        [InlineData("3B 80 40 00", "wi")]
        [InlineData("3B 80 81 11 FF EF", "ifsc")]
        [InlineData("3B 80 81 21 A5 85", "bwi")]
        [InlineData("3B 80 81 41 02 42", "edc")]
        public void Json_RfuValue_GivesNull(string atr, string key)
        {
            JsonElement o = Json(atr);
            Assert.Equal(JsonValueKind.Null, o.GetProperty(key).ValueKind);
            Assert.False(o.GetProperty("valid").GetBoolean());
            Assert.StartsWith("Rfu", o.GetProperty("error").GetString());
        }

        [Fact]
        public void Json_WrongTck_InvalidWithError()
        {
            JsonElement o = Json("3B 80 01 80");
            Assert.False(o.GetProperty("valid").GetBoolean());
            Assert.Equal("BadTck", o.GetProperty("error").GetString());
            Assert.Equal("wrong", o.GetProperty("tck").GetString());
        }

        [Fact]
        public void Iso7816_3_8_2_5_Json_StrayTckAfterAT0OnlyAtr_TckAbsent_ErrorUnexpectedTck()
        {
            // Only T=0 indicated: TCK is absent by §8.2.5; the trailing 80 is reported, not decoded as TCK.
            JsonElement o = Json("3B 80 00 80");
            Assert.Equal("3B800080", o.GetProperty("atr").GetString());
            Assert.False(o.GetProperty("valid").GetBoolean());
            Assert.Equal("UnexpectedTck", o.GetProperty("error").GetString());
            Assert.Equal("absent", o.GetProperty("tck").GetString());
            Assert.Equal("", o.GetProperty("historical").GetString());
            Assert.Equal(new[] { 0 }, o.GetProperty("protocols").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        }

        [Fact]
        public void Iso7816_3_8_2_5_Text_StrayTck_ShownAfterTheAtr()
        {
            (int code, string output) = Run("3B 80 00 80", json: false);
            Assert.NotEqual(0, code);
            Assert.Contains("warning: only T=0 is indicated", output);
            Assert.Contains("TCK: absent", output);
            Assert.Contains("after the ATR: 80  stray TCK", output);
        }

        [Fact]
        public void Json_NotHex_IsOneInvalidObjectWithAllKeys()
        {
            JsonElement o = Json("hello");
            Assert.False(o.GetProperty("valid").GetBoolean());
            Assert.Equal("NotHex", o.GetProperty("error").GetString());
            Assert.Equal(19, o.EnumerateObject().Count());
        }

        [Fact]
        public void Dash_ReadsOneAtrALine_FromStandardInput()
        {
            (int code, string output) = Run("-", true, "3B 75 13 00 00 47 09 EA 90 00\n\n3F 65 25 00 2C 09 69 90 00\n3B 80 01 80\n");
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.Equal("3F6525002C09699000", JsonDocument.Parse(lines[1]).RootElement.GetProperty("atr").GetString());
            Assert.Equal(1, code);
            Assert.Equal(0, Run("-", true, "3B 75 13 00 00 47 09 EA 90 00\n").Code);
        }

        [Fact]
        public void Text_DecodeForPeople()
        {
            (int code, string output) = Run("3B AC 00 40 2A 00 12 25 00 64 80 00 03 10 00 90 00", false);
            Assert.Equal(0, code);
            Assert.Contains("direct convention", output);
            Assert.Contains("TD1 = 40", output);
            Assert.Contains("TC2 = 2A  WI = 42", output);
            Assert.Contains("protocols: T=0", output);
            Assert.Contains("Historical bytes (12)", output);
            (int bad, string invalid) = Run("3C 00", false);
            Assert.Equal(1, bad);
            Assert.Contains("INVALID", invalid);
        }

        /// <summary>Every concrete ATR of pcsc-tools' database decodes without an exception, in one process, in under 10 s.</summary>
        [Fact]
        public void PcscToolsDatabase_EveryConcreteAtr_DecodesUnder10Seconds()
        {
            if (!File.Exists(PcscToolsList))
            {
                string message = PcscToolsList + " is absent: install Debian's pcsc-tools (listed in .ci/apt-packages)";
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", message);
                _output.WriteLine("SKIPPED: " + message);
                return;
            }
            List<string> atrs = File.ReadLines(PcscToolsList)
                .Where(l => l.Length > 0 && !char.IsWhiteSpace(l[0]) && !l.StartsWith("#", StringComparison.Ordinal))
                .Where(l => l.IndexOf('.') < 0 && l.IndexOf('[') < 0)
                .ToList();
            Assert.True(atrs.Count > 1000, "only " + atrs.Count + " ATRs found");

            Stopwatch watch = Stopwatch.StartNew();
            StringWriter stdout = new StringWriter();
            AtrCommand.Run("-", true, new StringReader(string.Join("\n", atrs)), stdout);
            watch.Stop();

            string[] lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(atrs.Count, lines.Length);
            int valid = 0;
            Dictionary<string, int> errors = new Dictionary<string, int>();
            foreach (string line in lines)
            {
                JsonElement o = JsonDocument.Parse(line).RootElement;
                Assert.Equal(AtrCommand.JsonKeys, o.EnumerateObject().Select(p => p.Name).ToArray());
                Assert.NotEqual("NotHex", o.GetProperty("error").ValueKind == JsonValueKind.String ? o.GetProperty("error").GetString() : "");
                if (o.GetProperty("valid").GetBoolean())
                {
                    valid++;
                }
                else
                {
                    string e = o.GetProperty("error").GetString()!;
                    errors[e] = errors.TryGetValue(e, out int n) ? n + 1 : 1;
                }
            }
            _output.WriteLine(atrs.Count + " ATRs in " + watch.ElapsedMilliseconds + " ms; " + valid + " valid; "
                + string.Join(", ", errors.OrderByDescending(p => p.Value).Select(p => p.Key + " " + p.Value)));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "took " + watch.Elapsed);
        }
    }

    /// <summary>The definition that keeps tests which redirect the process console from running beside others.</summary>
    [CollectionDefinition("Iso7816Console", DisableParallelization = true)]
    public class Iso7816ConsoleCollection
    {
    }

    /// <summary>`terminal atr` through System.CommandLine and the process console (not in parallel with other tests).</summary>
    [Collection("Iso7816Console")]
    public class AtrCommandConsoleTests
    {
        [Fact]
        public void CommandLine_TerminalAtr_ParsesArgumentAndJsonOption()
        {
            TextWriter saved = Console.Out;
            StringWriter captured = new StringWriter();
            Console.SetOut(captured);
            try
            {
                System.CommandLine.RootCommand root = new System.CommandLine.RootCommand();
                root.Subcommands.Add(AtrCommand.Create());
                int code = root.Parse(new[] { "atr", "--json", "3B 75 13 00 00 47 09 EA 90 00" }).Invoke();
                Assert.Equal(0, code);
            }
            finally
            {
                Console.SetOut(saved);
            }
            Assert.Contains("\"di\":4", captured.ToString());
        }

        [Fact]
        public void CommandLine_TerminalAtrDash_ReadsStandardInput()
        {
            TextWriter savedOut = Console.Out;
            TextReader savedIn = Console.In;
            StringWriter captured = new StringWriter();
            Console.SetOut(captured);
            Console.SetIn(new StringReader("3B 75 13 00 00 47 09 EA 90 00\n3F 65 25 00 2C 09 69 90 00\n"));
            try
            {
                System.CommandLine.RootCommand root = new System.CommandLine.RootCommand();
                root.Subcommands.Add(AtrCommand.Create());
                Assert.Equal(0, root.Parse(new[] { "atr", "-", "--json" }).Invoke());
            }
            finally
            {
                Console.SetOut(savedOut);
                Console.SetIn(savedIn);
            }
            Assert.Equal(2, captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }
    }
}
