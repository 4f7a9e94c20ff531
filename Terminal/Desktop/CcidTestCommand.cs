using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Terminal.Ccid;
using Terminal.Desktop.CcidTest;
using Terminal.Desktop.Conformance;
using Terminal.Tracing;

namespace Terminal.Desktop
{
    /// <summary>`terminal ccid-test`: the host side of the CCID cases against any reader that speaks libccid's serial framing.</summary>
    internal static class CcidTestCommand
    {
        internal static Command Create()
        {
            Option<string> link = new Option<string>("--link") { Description = "The reader: serial:<device>, pty:<path> or tcp:<host>:<port>.", Required = true };
            Option<string> profile = new Option<string>("--profile") { Description = "Reader type to test as libccid would drive it: sec1210 or gempcpinpad.", DefaultValueFactory = _ => "sec1210" };
            Option<int> slot = new Option<int>("--slot") { Description = "CCID slot for the card exchanges (default: the first slot with a card).", DefaultValueFactory = _ => -1 };
            Option<string?> slow = new Option<string?>("--slow-tpdu") { Description = "[<slot>:]<hex>: a command the card takes more than 1.5 s over, for the time extension case: a TPDU for a T=0 card (e.g. 0:00B0000004), the APDU for a T=1 card (sent in an I-block)." };
            Option<string?> keys = new Option<string?>("--keys") { Description = "How the PIN is typed on the reader's keypad for the GemPC Pinpad PIN case: interactive (prompt an operator) or a command run as '<cmd> pin|cancel'." };
            Option<string?> removal = new Option<string?>("--removal") { Description = "How to move the card for the removal case: interactive (prompt an operator) or a command run as '<cmd> remove|insert <slot>'." };
            Option<string> output = new Option<string>("--output", "-o") { Description = "Report directory: junit.xml, report.md, report.html, ccid-test.pcapng.", DefaultValueFactory = _ => "ccid-test-report" };
            Command command = new Command("ccid-test", "Run the host side of the CCID cases (start-up sequence, every message, invalid slot, bad lengths and LRC, Abort, time extension, power cycling, chained blocks, removal) against a reader on a serial line, pty or TCP. Exits 1 on any failure.");
            foreach (Option o in new Option[] { link, profile, slot, slow, removal, keys, output })
            {
                command.Options.Add(o);
            }
            command.SetAction(r =>
            {
                var options = new CcidTestOptions { Profile = r.GetValue(profile)!, Slot = r.GetValue(slot), SlowTpdu = r.GetValue(slow) };
                string? how = r.GetValue(removal);
                if (how == "interactive")
                {
                    options.MoveCard = Interactive;
                    options.MoveCardDescription = "by an operator";
                }
                else if (how != null)
                {
                    options.MoveCard = (s, remove) => RunCommand($"{how} {(remove ? "remove" : "insert")} {s}");
                    options.MoveCardDescription = "with " + how;
                }
                string? typing = r.GetValue(keys);
                if (typing == "interactive")
                {
                    options.TypeKeys = InteractiveKeys;
                    options.TypeKeysDescription = "by an operator";
                }
                else if (typing != null)
                {
                    options.TypeKeys = what => RunCommand($"{typing} {what}");
                    options.TypeKeysDescription = "with " + typing;
                }
                return Run(r.GetValue(link)!, options, r.GetValue(output)!, Console.Out);
            });
            return command;
        }

        /// <summary>Runs the suite and writes the reports; returns the exit code (0 all passed, 1 a failure, 2 bad usage or no link).</summary>
        internal static int Run(string linkSpec, CcidTestOptions options, string output, TextWriter log)
        {
            if (options.Profile != "sec1210" && options.Profile != "gempcpinpad")
            {
                Console.Error.WriteLine("terminal ccid-test: --profile must be sec1210 or gempcpinpad.");
                return 2;
            }
            IHostTransport transport;
            try
            {
                transport = HostTransport.Open(linkSpec);
            }
            catch (Exception e) when (e is IOException || e is FormatException || e is System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"terminal ccid-test: --link {linkSpec}: {e.Message}");
                return 2;
            }
            Directory.CreateDirectory(output);
            List<CaseResult> results;
            using (transport)
            using (var sink = new FileTraceSink(Path.Combine(output, "ccid-test.pcapng")))
            {
                var client = new HostLinkClient(transport);
                ReaderProfile rp = options.Profile == "gempcpinpad" ? ReaderProfile.GemPcPinPad : ReaderProfile.Sec1210;
                var facts = new CcidDescriptors.BoardFacts { SlotCount = rp.SlotCount, PinSupport = rp.PinSupport, Features = rp.Features };
                client.Trace = new PcapngTrace(sink, 0, CcidDescriptors.ConfigurationDescriptor(facts), "terminal ccid-test " + transport.Name, client.NowMicroseconds);
                client.Drain(100);
                results = new CcidTestSuite(client, options, "ccid-test.pcapng").Run();
            }
            foreach (CaseResult r in results)
            {
                log.WriteLine($"{r.Status.ToString().ToUpperInvariant(),-4} {r.Id} {r.Title}{(r.Message.Length > 0 ? ": " + r.Message : "")}");
            }
            string[] files = ReportWriter.WriteAll(output, "terminal ccid-test",
                $"Host-side CCID cases over libccid's serial framing against {linkSpec}, reader type {options.Profile}. Trace of the host link: ccid-test.pcapng.", results);
            var (p, f, s) = ReportWriter.Count(results);
            log.WriteLine($"{results.Count} cases: {p} passed, {f} failed, {s} skipped (not run). Reports: {string.Join(", ", files)}");
            return f > 0 ? 1 : 0;
        }

        private static bool Interactive(int slot, bool remove)
        {
            Console.Error.WriteLine($">>> {(remove ? "Take the card out of" : "Put the card back in")} slot {slot}, then press Enter.");
            Console.In.ReadLine();
            return true;
        }

        private static bool InteractiveKeys(string what)
        {
            Console.Error.WriteLine(what == "cancel"
                ? ">>> When the reader asks for the PIN, press Cancel on its keypad."
                : ">>> When the reader asks for the PIN, type the card's PIN on its keypad and press OK.");
            return true;
        }

        private static bool RunCommand(string commandLine)
        {
            var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(commandLine);
            using Process? p = Process.Start(psi);
            if (p == null) { return false; }
            p.WaitForExit(30000);
            Thread.Sleep(50);
            return p.HasExited && p.ExitCode == 0;
        }
    }
}
