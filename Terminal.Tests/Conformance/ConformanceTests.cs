using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Terminal.Ccid;
using Terminal.Desktop;
using Terminal.Desktop.Conformance;
using Xunit;

namespace Terminal.Tests.Conformance
{
    /// <summary>`terminal conformance`: the catalogue passes on the virtual board, and breaking a behaviour on purpose makes the matching case fail.</summary>
    public sealed class ConformanceTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("conformance-").FullName;

        public void Dispose() => Directory.Delete(_dir, true);

        private static string Catalogue()
        {
            string? dir = CaseCatalogue.FindDirectory();
            Assert.NotNull(dir);
            return dir!;
        }

        private static CaseSpec Find(string id) => CaseCatalogue.LoadDirectory(Catalogue()).Single(c => c.Id == id);

        private static CaseResult RunOne(CaseSpec spec, Func<Terminal.Slots.CardSlot, ICcidSlot>? wrapper = null)
        {
            var runner = new CaseRunner { SlotWrapper = wrapper };
            return Assert.Single(runner.Run(spec));
        }

        [Fact]
        public void Conformance_Catalogue_EveryCasePassesOnTheVirtualBoard_AndWritesJUnitMarkdownHtmlAndTraces()
        {
            string output = Path.Combine(_dir, "report");
            int exit = ConformanceCommand.Run(null, output, null, noTrace: false, runSkipped: false, quiet: true);

            XDocument junit = XDocument.Load(Path.Combine(output, "junit.xml"));
            var failures = junit.Descendants("testcase").Where(t => t.Element("failure") != null)
                .Select(t => t.Attribute("name")!.Value + ": " + t.Element("failure")!.Attribute("message")!.Value).ToList();
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            Assert.Equal(0, exit);
            int tests = int.Parse(junit.Root!.Attribute("tests")!.Value);
            Assert.True(tests >= 280, $"{tests} cases");
            // Every case runs: none is left as "not run" (no known defect, the PIN pad installed).
            var skipped = junit.Descendants("testcase").Where(t => t.Element("skipped") != null).Select(t => t.Attribute("name")!.Value).ToList();
            Assert.True(skipped.Count == 0, "not run: " + string.Join(", ", skipped));
            Assert.Equal("0", junit.Root!.Attribute("skipped")!.Value);
            // Every category the issue names is present.
            var suites = junit.Descendants("testsuite").Select(s => s.Attribute("name")!.Value).ToList();
            foreach (string category in new[] { "ATR", "ATR TA1", "PPS", "T=0", "T=1", "CCID", "Removal", "PIN" })
            {
                Assert.Contains("terminal conformance." + category, suites);
            }
            // The PIN entry outcomes run with the PIN pad as `terminal run` installs it.
            var pin = junit.Descendants("testcase").Where(t => t.Attribute("name")!.Value.StartsWith("PIN-", StringComparison.Ordinal)).ToList();
            Assert.True(pin.Count >= 6, $"{pin.Count} PIN cases");
            string md = File.ReadAllText(Path.Combine(output, "report.md"));
            Assert.Contains("| PIN-003 | PASS |", md);
            Assert.Contains("| T1A-008 | PASS |", md);
            Assert.Contains("| RM-T1A-IFS-019 | PASS |", md);
            Assert.Contains("## Summary", md);
            Assert.Contains("| ATR-001 | PASS |", md);
            string html = File.ReadAllText(Path.Combine(output, "report.html"));
            Assert.Contains("<table>", html);
            Assert.Contains("TA1-97", html);
            // One pcapng a case, starting with a section header block.
            byte[] trace = File.ReadAllBytes(Path.Combine(output, "traces", "T1-002.pcapng"));
            Assert.Equal(new byte[] { 0x0A, 0x0D, 0x0D, 0x0A }, trace.Take(4).ToArray());
        }

        [Fact]
        public void Conformance_RemovalSweep_CoversEveryCardCharacterOfTheExchange()
        {
            var runner = new CaseRunner();
            List<CaseResult> results = runner.Run(Find("RM-T0"));
            // vitale2: 10 ATR characters, a 4-byte PPS response, SELECT (ACK + 90 00), READ BINARY (ACK + 10 + 90 00).
            Assert.Equal("RM-T0-ref", results[0].Id);
            Assert.Equal(1 + 10 + 4 + 3 + 13, results.Count);
            Assert.All(results, r => Assert.True(r.Status == CaseStatus.Pass, r.Id + ": " + r.Message));
            Assert.Contains("card removed before its character 29", results[^1].Title);
        }

        [Fact]
        public void Conformance_BrokenCardProfile_Atr001FailsNamingTheAtr()
        {
            CaseSpec spec = Find("ATR-001");
            spec.Slot0!.Card = "vitale1";
            CaseResult r = RunOne(spec);
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("step 1 (IccPowerOn slot 0): data 3F 65 25 00 2C 09 69 90 00, expected 3B 75 13 00 00 47 09 EA 90 00", r.Message);
        }

        [Fact]
        public void Conformance_FaultThatBreaksTheExpectation_Atr003FailsWithBadAtrTck()
        {
            CaseSpec spec = Find("ATR-003");
            spec.Slot1!.Faults = new JsonObject { ["wrongTck"] = true };
            CaseResult r = RunOne(spec);
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("bmCommandStatus failed (bError F7 BAD_ATR_TCK), expected ok", r.Message);
        }

        [Fact]
        public void Conformance_NullBytesRemoved_T0_003FailsAsMuteAfterWwt()
        {
            CaseSpec spec = Find("T0-003");
            spec.Slot0!.Timing!["nullIntervalMilliseconds"] = 0;
            CaseResult r = RunOne(spec);
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("step 3", r.Message);
            Assert.Contains("bError FE ICC_MUTE", r.Message);
        }

        [Fact]
        public void Conformance_BrokenSlotWrapper_DroppingSw2_MakesT0_001Fail()
        {
            CaseResult r = RunOne(Find("T0-001"), slot => new DropLastByteSlot(slot));
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("step 2 (XfrBlock slot 0 00 A4 00 00 02 3F 00): data 61, expected 61 19", r.Message);
        }

        [Fact]
        public void Conformance_BrokenSlotWrapper_HidingRemoval_MakesRm001Fail()
        {
            CaseResult r = RunOne(Find("RM-001"), slot => new AlwaysPresentSlot(slot));
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("step 3 (GetSlotStatus slot 0): bmICCStatus", r.Message);
            Assert.Contains("expected absent", r.Message);
        }

        [Fact]
        public void Conformance_ReaderSkippingItsTurnaroundWaits_IsCaughtByTheCard_T0_001Fails()
        {
            var runner = new CaseRunner { LineWrapper = line => new NoWaitLine(line) };
            CaseResult r = Assert.Single(runner.Run(Find("T0-001")));
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("the card recorded reader misbehaviour (slot 0: CharacterTooEarly)", r.Message);
        }

        [Fact]
        public void Conformance_CaseMarkedSkip_IsReportedNotRunWithItsReason_AndRunsOnRequest()
        {
            string file = Path.Combine(_dir, "skip.json");
            File.WriteAllText(file, "{ \"category\": \"ATR\", \"cases\": [ { \"id\": \"S-1\", \"title\": \"a known defect\", \"clause\": \"ISO/IEC 7816-3 §8.1\", \"skip\": \"known defect: the lab's note\", " +
                "\"slot0\": { \"card\": \"vitale2\" }, \"steps\": [ { \"send\": \"IccPowerOn\", \"slot\": 0, \"expect\": { \"status\": \"ok\" } } ] } ] }");
            CaseSpec spec = Assert.Single(CaseCatalogue.LoadFile(file).Cases);
            CaseResult skipped = RunOne(spec);
            Assert.Equal(CaseStatus.Skip, skipped.Status);
            Assert.Equal("known defect: the lab's note", skipped.Message);
            Assert.Equal("not run", skipped.Observed);
            CaseResult run = Assert.Single(new CaseRunner { RunSkipped = true }.Run(spec));
            Assert.Equal(CaseStatus.Pass, run.Status);
        }

        [Fact]
        public void Conformance_SlotStillReportedActiveAfterDeactivation_MakesT1A_008Fail()
        {
            // The defect T1A-008 found, put back on purpose: a deactivated card reported active.
            CaseResult r = RunOne(Find("T1A-008"), slot => new StuckActiveSlot(slot));
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("step 3 (XfrBlock slot 1 00 A4 04 00 08 A0 00 00 00 01 53 49 4D): bmICCStatus active, expected inactive", r.Message);
            Assert.Contains("step 4 (GetSlotStatus slot 1): bmICCStatus active, expected inactive", r.Message);
        }

        [Fact]
        public void Conformance_PowerOnThatIgnoresAFailure_MakesTheRmT1aIfsSweepFail()
        {
            // The defect RM-T1A-IFS found, put back on purpose: IccPowerOn answered ok whatever happened.
            List<CaseResult> results = new CaseRunner { SlotWrapper = slot => new PowerOnAlwaysOkSlot(slot) }.Run(Find("RM-T1A-IFS"));
            Assert.Equal(CaseStatus.Pass, results[0].Status); // the reference run, card left in
            CaseResult r = results.Single(x => x.Id == "RM-T1A-IFS-021");
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("step 1 (IccPowerOn slot 1): bmCommandStatus ok, expected failed", r.Message);
            Assert.Contains("no error (the command succeeded), expected bError FE ICC_MUTE", r.Message);
        }

        [Fact]
        public void Conformance_PinCases_NoPinDigitInTheTracesOrTheReport()
        {
            string output = Path.Combine(_dir, "pin");
            Assert.Equal(0, ConformanceCommand.Run(null, output, "PIN-", noTrace: false, runSkipped: false, quiet: true));
            byte[] ascii = { 0x31, 0x32, 0x33, 0x34 };
            byte[] bcd = { 0x12, 0x34 };
            string[] traces = Directory.GetFiles(Path.Combine(output, "traces"), "PIN-*.pcapng");
            Assert.True(traces.Length >= 6);
            foreach (string trace in traces)
            {
                byte[] b = File.ReadAllBytes(trace);
                Assert.True(b.AsSpan().IndexOf(ascii) < 0, Path.GetFileName(trace) + " holds the PIN in ASCII");
                Assert.True(b.AsSpan().IndexOf(bcd) < 0, Path.GetFileName(trace) + " holds the PIN in BCD");
            }
            // PIN-008/009 send "1234" in clear from the host: masked in the report as in the trace.
            string md = File.ReadAllText(Path.Combine(output, "report.md"));
            Assert.DoesNotContain("31 32 33 34", md);
            Assert.DoesNotContain("1234", md);
            Assert.Contains("00 20 00 01 04 2A 2A 2A 2A", md);
            Assert.Contains("keys scripted: ****K", md);
        }

        [Fact]
        public void Conformance_CaseFile_WithAJsonError_NamesTheFile()
        {
            string file = Path.Combine(_dir, "bad.json");
            File.WriteAllText(file, "{ \"cases\": [ { \"id\": \"X\", \"steps\": [ { \"send\": 5 } ] } ] }");
            InvalidDataException e = Assert.Throws<InvalidDataException>(() => CaseCatalogue.LoadFile(file));
            Assert.Contains("bad.json", e.Message);
            Assert.Equal(2, ConformanceCommand.Run(file, Path.Combine(_dir, "out"), null, true, false, true));
        }

        [Fact]
        public void Conformance_CaseWithUnknownFault_FailsAtSetUpWithTheName()
        {
            CaseSpec spec = Find("ATR-001");
            spec.Slot0!.Faults = new JsonObject { ["noSuchFault"] = true };
            CaseResult r = RunOne(spec);
            Assert.Equal(CaseStatus.Fail, r.Status);
            Assert.Contains("CardFaults has no setting 'noSuchFault'", r.Message);
        }

        [Fact]
        public void Conformance_FailingCase_ExitsNonZero_AndJUnitCarriesTheFailure()
        {
            string file = Path.Combine(_dir, "one.json");
            File.WriteAllText(file, "{ \"category\": \"ATR\", \"cases\": [ { \"id\": \"X-1\", \"title\": \"wrong on purpose\", \"clause\": \"ISO/IEC 7816-3 §8.1\", \"slot0\": { \"card\": \"vitale2\" }, " +
                "\"steps\": [ { \"send\": \"IccPowerOn\", \"slot\": 0, \"expect\": { \"data\": \"3F ..\" } } ] } ] }");
            string output = Path.Combine(_dir, "out");
            Assert.Equal(1, ConformanceCommand.Run(file, output, null, true, false, true));
            XElement failure = XDocument.Load(Path.Combine(output, "junit.xml")).Descendants("failure").Single();
            Assert.Contains("expected 3F ..", failure.Attribute("message")!.Value);
            Assert.Contains("| X-1 | **FAIL** |", File.ReadAllText(Path.Combine(output, "report.md")));
        }

        [Fact]
        public void Conformance_CaseTrace_OpensInTshark_CcidOnTheHostLink_T1BlocksWithTheBadEdcShown()
        {
            if (!Terminal.Tests.Tracing.Tshark.Available(out _))
            {
                return;
            }
            // T1-002 on the LRC card (the Lua dissector's CRC variant differs from libccid's: see the report).
            CaseSpec spec = Find("T1-002");
            spec.Slot1!.Card = "t1-lrc";
            string traces = Path.Combine(_dir, "traces");
            CaseResult r = Assert.Single(new CaseRunner { TraceDirectory = traces }.Run(spec));
            Assert.Equal(CaseStatus.Pass, r.Status);
            string path = Path.Combine(traces, "T1-002.pcapng");
            string[] ccid = Terminal.Tests.Tracing.Tshark.Run("-r", path, "-Y", "usbccid", "-T", "fields", "-e", "usbccid.bMessageType", "-e", "usbccid.bSlot")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(x => x.TrimEnd('\r')).ToArray();
            Assert.Equal(new[] { "0x62\t1", "0x80\t1", "0x6f\t1", "0x80\t1", "0x6f\t1", "0x80\t1", "0x6f\t1", "0x80\t1" }, ccid);
            string lua = "lua_script:" + Path.Combine(Repository.Root, "tools", "wireshark", "iso7816-3.lua");
            string[] blocks = Terminal.Tests.Tracing.Tshark.Run("-X", lua, "-r", path, "-Y", "iso7816t1", "-T", "fields", "-e", "exported_pdu.p2p_dir", "-e", "iso7816t1.block_type", "-e", "iso7816t1.edc_good")
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(x => x.TrimEnd('\r')).ToArray();
            Assert.Equal(new[]
            {
                "0\t\t", "1\t\t",                    // PPS request and response
                "0\tS-block\t1", "1\tS-block\t1",    // S(IFS) both ways
                "0\tI-block\t1", "1\tI-block\t0",    // the card's answer with its EDC broken on purpose
                "0\tR-block\t1", "1\tI-block\t1",    // R-block, the answer again
            }, blocks);
        }

        [Theory]
        [InlineData("3B 75 ..", "3B 75 13", true)]
        [InlineData("3B xx 13", "3B 75 13", true)]
        [InlineData("3B 75", "3B 75 13", false)]
        [InlineData("3B7513", "3B 75 13", true)]
        [InlineData("3B 75 13 00", "3B 75 13", false)]
        [InlineData("..", "", true)]
        public void Conformance_HexPattern_Matches(string pattern, string data, bool expected)
        {
            byte[] b = Hex.Parse(data);
            Assert.Equal(expected, Hex.Matches(pattern, b, 0, b.Length));
        }

        /// <summary>A slot that loses the last byte of every card answer (a "broken slot" on purpose).</summary>
        private sealed class DropLastByteSlot : ForwardingSlot
        {
            public DropLastByteSlot(ICcidSlot inner) : base(inner) { }

            public override int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
            {
                int e = Inner.TransmitTpdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
                if (responseLength > 0) { responseLength--; }
                return e;
            }
        }

        /// <summary>A slot that reports a deactivated card as still active.</summary>
        private sealed class StuckActiveSlot : ForwardingSlot
        {
            public StuckActiveSlot(ICcidSlot inner) : base(inner) { }

            public override int IccStatus => Inner.IccStatus == CcidStatus.IccInactive ? CcidStatus.IccActive : Inner.IccStatus;
        }

        /// <summary>A slot whose power-on reports success whatever the card did.</summary>
        private sealed class PowerOnAlwaysOkSlot : ForwardingSlot
        {
            public PowerOnAlwaysOkSlot(ICcidSlot inner) : base(inner) { }

            public override int PowerOn(int voltage, byte[] atr, int offset, out int atrLength)
            {
                Inner.PowerOn(voltage, atr, offset, out atrLength);
                return CcidError.None;
            }
        }

        /// <summary>A slot whose presence switch is stuck closed (another broken slot).</summary>
        private sealed class AlwaysPresentSlot : ForwardingSlot
        {
            public AlwaysPresentSlot(ICcidSlot inner) : base(inner) { }

            public override int IccStatus => Inner.IccStatus == CcidStatus.IccAbsent ? CcidStatus.IccInactive : Inner.IccStatus;
        }

        /// <summary>A line whose Wait does nothing: the reader talks over the card's turnaround time.</summary>
        private sealed class NoWaitLine : Terminal.Iso7816.ICardLine
        {
            private readonly Terminal.Iso7816.ICardLine _line;

            public NoWaitLine(Terminal.Iso7816.ICardLine line) { _line = line; }

            public int ClockHz => _line.ClockHz;
            public long Now => _line.Now;
            public bool CardPresent => _line.CardPresent;
            public void SetVcc(Terminal.Iso7816.VoltageClass voltageClass) => _line.SetVcc(voltageClass);
            public void SetReset(bool high) => _line.SetReset(high);
            public void SetClock(bool running) => _line.SetClock(running);
            public void Configure(Terminal.Iso7816.Convention convention, int fi, int di, int guardTimeEtu, bool errorSignal) => _line.Configure(convention, fi, di, guardTimeEtu, errorSignal);
            public void Send(byte[] buffer, int offset, int count) => _line.Send(buffer, offset, count);
            public int Receive(long timeoutCycles) => _line.Receive(timeoutCycles);
            public void Wait(long cycles) { }
        }

        private class ForwardingSlot : ICcidSlot
        {
            protected readonly ICcidSlot Inner;

            public ForwardingSlot(ICcidSlot inner) { Inner = inner; }

            public virtual int IccStatus => Inner.IccStatus;
            public int ClockStatus => Inner.ClockStatus;
            public int ChangeCount => Inner.ChangeCount;
            public virtual int PowerOn(int voltage, byte[] atr, int offset, out int atrLength) => Inner.PowerOn(voltage, atr, offset, out atrLength);
            public void PowerOff() => Inner.PowerOff();
            public virtual int TransmitTpdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
                => Inner.TransmitTpdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
            public int TransmitApdu(byte[] command, int offset, int length, byte[] response, int responseOffset, int responseMax, out int responseLength)
                => Inner.TransmitApdu(command, offset, length, response, responseOffset, responseMax, out responseLength);
            public int GetParameters(byte[] buffer, int offset, out int protocol, out int length) => Inner.GetParameters(buffer, offset, out protocol, out length);
            public int SetParameters(int protocol, byte[] data, int offset, int length) => Inner.SetParameters(protocol, data, offset, length);
            public int ResetParameters() => Inner.ResetParameters();
            public int SetClock(bool stop) => Inner.SetClock(stop);
            public int SetDataRateAndClock(int clockHz, int dataRate, out int actualClockHz, out int actualDataRate) => Inner.SetDataRateAndClock(clockHz, dataRate, out actualClockHz, out actualDataRate);
        }
    }
}
