using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using Terminal.Desktop.Conformance;

namespace Terminal.Desktop
{
    /// <summary>`terminal conformance`: the case catalogue on the virtual board, with JUnit, Markdown and HTML reports.</summary>
    internal static class ConformanceCommand
    {
        internal static Command Create()
        {
            Option<string?> cases = new Option<string?>("--cases") { Description = "Catalogue directory or one case file (default: hardware/conformance/cases, or $TERMINAL_CONFORMANCE_DIR)." };
            Option<string> output = new Option<string>("--output", "-o") { Description = "Report directory: junit.xml, report.md, report.html and traces/.", DefaultValueFactory = _ => "conformance-report" };
            Option<string?> filter = new Option<string?>("--filter") { Description = "Run only the cases whose identifier starts with this prefix (or contains it, with a leading '*')." };
            Option<bool> noTrace = new Option<bool>("--no-trace") { Description = "Do not write a pcapng trace per case." };
            Option<bool> runSkipped = new Option<bool>("--run-skipped") { Description = "Also run the cases marked skip (known defects), to see whether they are fixed." };
            Option<bool> quiet = new Option<bool>("--quiet", "-q") { Description = "Print only failures and the summary." };
            Command command = new Command("conformance", "Run the protocol case catalogue (ISO/IEC 7816-3, USB CCID rev 1.1, PC/SC part 10, EMV level 1) on the virtual board against simulated cards with fault injection. Exits 1 on any failure.");
            foreach (Option o in new Option[] { cases, output, filter, noTrace, runSkipped, quiet })
            {
                command.Options.Add(o);
            }
            command.SetAction(r => Run(r.GetValue(cases), r.GetValue(output)!, r.GetValue(filter), r.GetValue(noTrace), r.GetValue(runSkipped), r.GetValue(quiet)));
            return command;
        }

        internal static int Run(string? casesPath, string output, string? filter, bool noTrace, bool runSkipped, bool quiet)
        {
            string? dir = casesPath ?? CaseCatalogue.FindDirectory();
            if (dir == null)
            {
                Console.Error.WriteLine("terminal conformance: no catalogue found (hardware/conformance/cases); give --cases <directory>.");
                return 2;
            }
            List<CaseSpec> all;
            try
            {
                all = File.Exists(dir) ? CaseCatalogue.LoadFile(dir).Cases : CaseCatalogue.LoadDirectory(dir);
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Console.Error.WriteLine("terminal conformance: " + e.Message);
                return 2;
            }
            var selected = new List<CaseSpec>();
            foreach (CaseSpec c in all)
            {
                if (filter == null
                    || (filter.StartsWith('*') && c.Id.Contains(filter.Substring(1), StringComparison.OrdinalIgnoreCase))
                    || c.Id.StartsWith(filter, StringComparison.OrdinalIgnoreCase))
                {
                    selected.Add(c);
                }
            }
            var runner = new CaseRunner { TraceDirectory = noTrace ? null : Path.Combine(output, "traces"), RunSkipped = runSkipped };
            var results = new List<CaseResult>();
            foreach (CaseSpec c in selected)
            {
                foreach (CaseResult r in runner.Run(c))
                {
                    results.Add(r);
                    if (!quiet || r.Status == CaseStatus.Fail)
                    {
                        Console.Out.WriteLine($"{r.Status.ToString().ToUpperInvariant(),-4} {r.Id} {r.Title}{(r.Message.Length > 0 ? ": " + r.Message : "")}");
                    }
                }
            }
            string[] files = ReportWriter.WriteAll(output, "terminal conformance",
                "Protocol cases run on the virtual board (simulated cards with fault injection) through the firmware's slots and CCID device; the case script plays the host.", results);
            var (p, f, s) = ReportWriter.Count(results);
            Console.Out.WriteLine($"{results.Count} cases: {p} passed, {f} failed, {s} skipped (not run). Reports: {string.Join(", ", files)}");
            return f > 0 ? 1 : 0;
        }
    }
}
