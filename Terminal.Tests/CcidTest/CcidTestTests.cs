using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Xml.Linq;
using Terminal.Ccid;
using Terminal.Desktop;
using Terminal.Desktop.CcidTest;
using Terminal.Desktop.Conformance;
using Terminal.HostLink;
using Terminal.Simulator;
using Terminal.Slots;
using Terminal.Tests.EndToEnd;
using Xunit;

namespace Terminal.Tests.CcidTest
{
    /// <summary>
    /// `terminal ccid-test` against the firmware: in process over an in-memory serial line (fast, and
    /// with a deliberately broken link), and against `terminal run` on a pty as CI runs it.
    /// </summary>
    public sealed class CcidTestTests : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("ccid-test-").FullName;

        public void Dispose() => Directory.Delete(_dir, true);

        private static readonly string[] Always = { "START-001", "LINK-001", "LINK-002", "LINK-003", "LINK-004", "LINK-005", "LINK-006", "CCID-SLOT", "CCID-LEN", "CCID-TYPE",
            "MSG-62", "MSG-65", "MSG-6F", "MSG-6C", "MSG-61", "MSG-6D", "MSG-6B", "MSG-6E", "MSG-6A", "MSG-71", "MSG-72", "MSG-73", "MSG-63", "PWR-001" };

        // A slow T=0 card (SELECT takes 6 s with NULL bytes every 400 ms) for the time extension case.
        private string SlowCard()
        {
            string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cards", "vitale2.json"));
            string json = string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            JsonObject card = JsonNode.Parse(json)!.AsObject();
            card["name"] = "vitale2-slow";
            JsonObject timing = card["timing"]?.AsObject() ?? new JsonObject();
            card["timing"] = timing;
            timing["insProcessingMilliseconds"] = new JsonObject { ["A4"] = 6000 };
            timing["nullIntervalMilliseconds"] = 400;
            string path = Path.Combine(_dir, "vitale2-slow.json");
            File.WriteAllText(path, card.ToJsonString());
            return path;
        }

        private static Dictionary<string, CaseResult> ById(IEnumerable<CaseResult> results) => results.ToDictionary(r => r.Id);

        private static void AssertPassed(Dictionary<string, CaseResult> results, params string[] ids)
        {
            foreach (string id in ids)
            {
                Assert.True(results.ContainsKey(id), id + " missing");
                Assert.True(results[id].Status == CaseStatus.Pass, $"{id}: {results[id].Status} {results[id].Message}\n{results[id].Observed}");
            }
        }

        [Fact]
        public void CcidTest_AgainstTerminalRunOnPty_Sec1210_EveryCasePasses()
        {
            string pty = Path.Combine(_dir, "tty");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + pty, "--slot0", SlowCard(), "--slot1", "t1-generic", "--pace", "real", "--log-level", "warning");
            var options = new CcidTestOptions
            {
                Profile = "sec1210", Slot = 1, SlowTpdu = "0:00 A4 02 0C 02 2F 02", StartUpReplyMilliseconds = 500,
                MoveCard = (slot, remove) => { terminal.Send((remove ? "remove " : "insert ") + slot); return true; },
                MoveCardDescription = "terminal run's control lines",
            };
            string output = Path.Combine(_dir, "report");
            var log = new StringWriter();
            int exit = CcidTestCommand.Run("pty:" + pty, options, output, log);
            XDocument junit = XDocument.Load(Path.Combine(output, "junit.xml"));
            Assert.True(exit == 0, log.ToString());
            Assert.Equal("0", junit.Root!.Attribute("failures")!.Value);
            Assert.Equal("0", junit.Root!.Attribute("skipped")!.Value);
            Assert.Equal(28, int.Parse(junit.Root!.Attribute("tests")!.Value));
            Assert.Contains("PASS TEXT-001", log.ToString());
            Assert.Contains("PASS CHAIN-001", log.ToString());
            Assert.Contains("PASS RM-001", log.ToString());
            Assert.True(new FileInfo(Path.Combine(output, "ccid-test.pcapng")).Length > 1000);
            Assert.True(File.Exists(Path.Combine(output, "report.html")));
            Assert.Equal(0, terminal.Stop());
        }

        // The virtual CPS3 (PIN 1234, INS 88 takes 2.5 s) with a T=1 ATR (t1-generic's: CRC, BWI 4,
        // so BWT 1.4 s and the card asks for a waiting time extension), for the GemPC Pinpad's one slot.
        private string T1Cps()
        {
            string text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "cards", "cps3.json"));
            string json = string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
            JsonObject card = JsonNode.Parse(json)!.AsObject();
            card["name"] = "cps3-t1";
            card["atr"] = "3B D5 18 FF 81 71 FE 45 01 53 49 4D 54 31 4A";
            string path = Path.Combine(_dir, "cps3-t1.json");
            File.WriteAllText(path, card.ToJsonString());
            return path;
        }

        [Fact]
        public void CcidTest_AgainstTerminalRunOnPty_GemPcPinPad_EveryCasePasses_PinTypedOnTheKeypadAndTimeExtension()
        {
            string pty = Path.Combine(_dir, "tty");
            using TerminalProcess terminal = TerminalProcess.Start("--link", "pty:" + pty, "--profile", "gempcpinpad", "--slot1", T1Cps(), "--pace", "real", "--log-level", "warning");
            var options = new CcidTestOptions
            {
                Profile = "gempcpinpad", StartUpReplyMilliseconds = 500,
                // INTERNAL AUTHENTICATE: 2.5 s of card work, an S(WTX request) first.
                SlowTpdu = "00 88 00 00 08 01 02 03 04 05 06 07 08 00",
                // The GemPC Pinpad's only CCID slot is the board's slot 1.
                MoveCard = (slot, remove) => { terminal.Send((remove ? "remove " : "insert ") + "1"); return true; },
                // A cardholder who waits 1.5 s before typing: the entry outlasts libccid's byte timeout margin.
                TypeKeys = what => { terminal.Send("keys " + (what == "cancel" ? "_C" : "_1234K")); return true; },
                TypeKeysDescription = "terminal run's keys control line",
            };
            string output = Path.Combine(_dir, "report");
            var log = new StringWriter();
            int exit = CcidTestCommand.Run("pty:" + pty, options, output, log);
            XDocument junit = XDocument.Load(Path.Combine(output, "junit.xml"));
            string text = log.ToString();
            Assert.True(exit == 0, text);
            Assert.True(junit.Root!.Attribute("failures")!.Value == "0", text);
            Assert.True(junit.Root!.Attribute("skipped")!.Value == "0", text);
            Assert.Equal(28, int.Parse(junit.Root!.Attribute("tests")!.Value));
            foreach (string id in Always.Concat(new[] { "TEXT-001", "MSG-69", "CHAIN-001", "RM-001" }))
            {
                Assert.Contains("PASS " + id + " ", text);
            }
            // The PIN typed on the keypad verified on the card, and it never crossed the host link.
            string report = File.ReadAllText(Path.Combine(output, "report.md"));
            Assert.Contains("card's status word: 90 00", report);
            byte[] trace = File.ReadAllBytes(Path.Combine(output, "ccid-test.pcapng"));
            Assert.Equal(-1, trace.AsSpan().IndexOf(new byte[] { 0x31, 0x32, 0x33, 0x34 }));
            Assert.Equal(0, terminal.Stop());
        }

        [Fact]
        public void CcidTest_InProcess_Sec1210_PassesOverAnInMemoryLine()
        {
            using var reader = new InProcessReader("sec1210", "vitale2", "t1-generic", dropNaks: false);
            var options = new CcidTestOptions { Profile = "sec1210", Slot = 1, NakTimeoutMilliseconds = 1000, StartUpReplyMilliseconds = 500, MoveCard = reader.Move };
            var results = ById(new CcidTestSuite(new HostLinkClient(reader.Host), options, "").Run());
            AssertPassed(results, Always);
            AssertPassed(results, "MSG-69", "CHAIN-001", "RM-001");
            Assert.Equal(CaseStatus.Skip, results["TEXT-001"].Status);
            Assert.Contains("not exercised", results["TEXT-001"].Message);
        }

        [Fact]
        public void CcidTest_ReaderThatNeverNaks_FailsTheLinkCasesWithAClearMessage()
        {
            using var reader = new InProcessReader("sec1210", "vitale2", "t1-generic", dropNaks: true);
            var options = new CcidTestOptions { Profile = "sec1210", NakTimeoutMilliseconds = 400, StartUpReplyMilliseconds = 500 };
            var results = ById(new CcidTestSuite(new HostLinkClient(reader.Host), options, "").Run());
            foreach (string id in new[] { "LINK-001", "LINK-002", "LINK-003", "LINK-004", "LINK-005", "LINK-006" })
            {
                Assert.Equal(CaseStatus.Fail, results[id].Status);
                Assert.Contains("expected NAK 03 15 16, got nothing", results[id].Message);
            }
            AssertPassed(results, "START-001", "MSG-62", "PWR-001");
        }

        [Fact]
        public void CcidTest_BadLink_ExitCode2()
        {
            Assert.Equal(2, CcidTestCommand.Run("pty:" + Path.Combine(_dir, "nothing-here"), new CcidTestOptions(), Path.Combine(_dir, "r"), TextWriter.Null));
            Assert.Equal(2, CcidTestCommand.Run("usb:1", new CcidTestOptions(), Path.Combine(_dir, "r"), TextWriter.Null));
        }

        /// <summary>The firmware's link, device and slots on a virtual board, reached through an in-memory line.</summary>
        private sealed class InProcessReader : IDisposable
        {
            private readonly Terminal.Simulator.VirtualBoard _board = new Terminal.Simulator.VirtualBoard();
            private readonly SerialHostLink _link;
            private readonly Thread _thread;
            private readonly VirtualCard?[] _cards = new VirtualCard?[2];
            private readonly Pipe _toReader = new Pipe();
            private readonly Pipe _toHost = new Pipe();

            public InProcessReader(string profileName, string? slot0, string? slot1, bool dropNaks)
            {
                string?[] names = { slot0, slot1 };
                for (int i = 0; i < 2; i++)
                {
                    if (names[i] != null)
                    {
                        _cards[i] = VirtualCard.FromProfile(names[i]!);
                        _board.Slots[i].Insert(_cards[i]!);
                    }
                }
                ReaderProfile profile = ReaderProfile.FromName(profileName)!;
                var binding = new Terminal.Desktop.VirtualBoard.VirtualBoardBinding(_board);
                var slots = new CardSlot[2];
                for (int i = 0; i < 2; i++)
                {
                    slots[i] = new CardSlot(i, binding.GetCardLine(i), binding.Indicators, binding.VoltageSupport, binding.MaxDataRate) { ReaderDoesPps = profile.ReaderDoesPps };
                }
                var device = new CcidDevice(slots, profile, "Terminal SESAM reader 0.1.0", 0);
                _link = new SerialHostLink(new ReaderSide(_toReader, _toHost, dropNaks), device, new Wall());
                Host = new HostSide(_toHost, _toReader);
                _thread = new Thread(_link.Run) { IsBackground = true };
                _thread.Start();
            }

            public IHostTransport Host { get; }

            public bool Move(int slot, bool remove)
            {
                if (remove) { _board.Slots[slot].Remove(); }
                else { _board.Slots[slot].Insert(_cards[slot]!); }
                return true;
            }

            public void Dispose()
            {
                _link.Stop();
                _thread.Join(5000);
            }

            private sealed class Wall : IWallClock
            {
                private readonly System.Diagnostics.Stopwatch _sw = System.Diagnostics.Stopwatch.StartNew();
                public long NowMilliseconds => _sw.ElapsedMilliseconds;
            }

            private sealed class Pipe
            {
                private readonly Queue<byte> _bytes = new Queue<byte>();

                public void Write(byte[] b, int off, int n)
                {
                    lock (_bytes)
                    {
                        for (int i = 0; i < n; i++) { _bytes.Enqueue(b[off + i]); }
                        Monitor.PulseAll(_bytes);
                    }
                }

                public int Read(byte[] b, int off, int n, int timeout)
                {
                    lock (_bytes)
                    {
                        DateTime end = DateTime.UtcNow.AddMilliseconds(timeout);
                        while (_bytes.Count == 0)
                        {
                            int left = (int)(end - DateTime.UtcNow).TotalMilliseconds;
                            if (left <= 0 || !Monitor.Wait(_bytes, left)) { if (_bytes.Count == 0) { return 0; } }
                        }
                        int k = 0;
                        while (k < n && _bytes.Count > 0) { b[off + k++] = _bytes.Dequeue(); }
                        return k;
                    }
                }
            }

            // The reader's end; with dropNaks it swallows every NAK it sends (a broken link on purpose).
            private sealed class ReaderSide : IByteStream
            {
                private readonly Pipe _in;
                private readonly Pipe _out;
                private readonly bool _dropNaks;

                public ReaderSide(Pipe input, Pipe output, bool dropNaks) { _in = input; _out = output; _dropNaks = dropNaks; }

                public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds) => _in.Read(buffer, offset, count, timeoutMilliseconds);

                public void Write(byte[] buffer, int offset, int count)
                {
                    if (_dropNaks && count == 3 && buffer[offset] == 0x03 && buffer[offset + 1] == 0x15) { return; }
                    _out.Write(buffer, offset, count);
                }
            }

            private sealed class HostSide : IHostTransport
            {
                private readonly Pipe _in;
                private readonly Pipe _out;

                public HostSide(Pipe input, Pipe output) { _in = input; _out = output; }

                public string Name => "in-memory line";
                public int Read(byte[] buffer, int offset, int count, int timeoutMilliseconds) => _in.Read(buffer, offset, count, timeoutMilliseconds);
                public void Write(byte[] buffer, int offset, int count) => _out.Write(buffer, offset, count);
                public void Dispose() { }
            }
        }
    }
}
