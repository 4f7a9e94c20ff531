using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Xml;

namespace Terminal.Desktop.Conformance
{
    /// <summary>Outcome of one case.</summary>
    public enum CaseStatus
    {
        /// <summary>Run, and every expectation held.</summary>
        Pass,
        /// <summary>Run, and an expectation did not hold (or the case could not be set up).</summary>
        Fail,
        /// <summary>Not run; <see cref="CaseResult.Message"/> says why. Never counted as a pass.</summary>
        Skip,
    }

    /// <summary>One case as run: what it checks, what was expected, what happened, where its trace is.</summary>
    public sealed class CaseResult
    {
        /// <summary>Case identifier (stable; e.g. ATR-001).</summary>
        public string Id = "";
        /// <summary>One-line title.</summary>
        public string Title = "";
        /// <summary>The clause checked (ISO/IEC 7816-3 §..., USB CCID rev 1.1 §..., PC/SC part 10 ..., EMV L1 category).</summary>
        public string Clause = "";
        /// <summary>Category (ATR, PPS, T=0, T=1, CCID, Removal, PIN, Link...).</summary>
        public string Category = "";
        /// <summary>Expected behaviour, readable.</summary>
        public string Expected = "";
        /// <summary>Observed behaviour, readable.</summary>
        public string Observed = "";
        /// <summary>Pass, fail or skip.</summary>
        public CaseStatus Status;
        /// <summary>Failure or skip reason (empty on pass).</summary>
        public string Message = "";
        /// <summary>The case's pcapng trace, relative to the report directory, or empty.</summary>
        public string Trace = "";
        /// <summary>Wall-clock duration of the run.</summary>
        public TimeSpan Duration;
        /// <summary>Virtual (board) time the case took, in milliseconds, or -1 when not on the virtual board.</summary>
        public double VirtualMilliseconds = -1;
    }

    /// <summary>Writes JUnit XML, Markdown and HTML reports of a run with a summary table.</summary>
    public static class ReportWriter
    {
        /// <summary>Writes junit.xml, report.md and report.html in <paramref name="directory"/>; returns their paths.</summary>
        public static string[] WriteAll(string directory, string suite, string description, IList<CaseResult> results)
        {
            Directory.CreateDirectory(directory);
            string junit = Path.Combine(directory, "junit.xml");
            string md = Path.Combine(directory, "report.md");
            string html = Path.Combine(directory, "report.html");
            File.WriteAllText(junit, JUnit(suite, results));
            File.WriteAllText(md, Markdown(suite, description, results));
            File.WriteAllText(html, Html(suite, description, results));
            return new[] { junit, md, html };
        }

        /// <summary>Counts of (pass, fail, skip).</summary>
        public static (int Pass, int Fail, int Skip) Count(IEnumerable<CaseResult> results)
        {
            int p = 0, f = 0, s = 0;
            foreach (CaseResult r in results)
            {
                if (r.Status == CaseStatus.Pass) { p++; }
                else if (r.Status == CaseStatus.Fail) { f++; }
                else { s++; }
            }
            return (p, f, s);
        }

        /// <summary>JUnit XML: one testsuite per category, one testcase per case, failure/skipped elements.</summary>
        public static string JUnit(string suite, IList<CaseResult> results)
        {
            var sb = new StringBuilder();
            var settings = new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) };
            using (var sw = new StringWriterUtf8(sb))
            using (XmlWriter w = XmlWriter.Create(sw, settings))
            {
                var (p, f, s) = Count(results);
                w.WriteStartElement("testsuites");
                w.WriteAttributeString("name", suite);
                w.WriteAttributeString("tests", results.Count.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("failures", f.ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("skipped", s.ToString(CultureInfo.InvariantCulture));
                foreach (var group in Group(results))
                {
                    var (gp, gf, gs) = Count(group.Value);
                    double time = 0;
                    foreach (CaseResult r in group.Value) { time += r.Duration.TotalSeconds; }
                    w.WriteStartElement("testsuite");
                    w.WriteAttributeString("name", suite + "." + group.Key);
                    w.WriteAttributeString("tests", group.Value.Count.ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("failures", gf.ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("errors", "0");
                    w.WriteAttributeString("skipped", gs.ToString(CultureInfo.InvariantCulture));
                    w.WriteAttributeString("time", time.ToString("0.000", CultureInfo.InvariantCulture));
                    foreach (CaseResult r in group.Value)
                    {
                        w.WriteStartElement("testcase");
                        w.WriteAttributeString("classname", suite + "." + group.Key);
                        w.WriteAttributeString("name", r.Id + " " + r.Title);
                        w.WriteAttributeString("time", r.Duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture));
                        if (r.Status == CaseStatus.Fail)
                        {
                            w.WriteStartElement("failure");
                            w.WriteAttributeString("message", r.Message);
                            w.WriteString("Clause: " + r.Clause + "\nExpected: " + r.Expected + "\nObserved: " + r.Observed);
                            w.WriteEndElement();
                        }
                        else if (r.Status == CaseStatus.Skip)
                        {
                            w.WriteStartElement("skipped");
                            w.WriteAttributeString("message", r.Message);
                            w.WriteEndElement();
                        }
                        w.WriteElementString("system-out", "Clause: " + r.Clause + "\nExpected: " + r.Expected + "\nObserved: " + r.Observed + (r.Trace.Length > 0 ? "\nTrace: " + r.Trace : ""));
                        w.WriteEndElement();
                    }
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            return sb.ToString();
        }

        /// <summary>Markdown: summary table per category, then one row per case.</summary>
        public static string Markdown(string suite, string description, IList<CaseResult> results)
        {
            var (p, f, s) = Count(results);
            var sb = new StringBuilder();
            sb.Append("# ").Append(suite).Append('\n').Append('\n');
            sb.Append(description).Append("\n\n");
            sb.Append($"**{results.Count} cases: {p} passed, {f} failed, {s} skipped (not run).** Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC.\n\n");
            sb.Append("## Summary\n\n| category | cases | pass | fail | skip |\n|---|---:|---:|---:|---:|\n");
            foreach (var group in Group(results))
            {
                var (gp, gf, gs) = Count(group.Value);
                sb.Append($"| {Cell(group.Key)} | {group.Value.Count} | {gp} | {gf} | {gs} |\n");
            }
            sb.Append("\n## Cases\n\n| id | result | clause | title | expected | observed | trace |\n|---|---|---|---|---|---|---|\n");
            foreach (CaseResult r in results)
            {
                string status = r.Status == CaseStatus.Pass ? "PASS" : r.Status == CaseStatus.Fail ? "**FAIL**" : "SKIP";
                string observed = r.Observed + (r.Message.Length > 0 ? " — " + r.Message : "");
                string trace = r.Trace.Length > 0 ? $"[pcapng]({r.Trace})" : "";
                sb.Append($"| {Cell(r.Id)} | {status} | {Cell(r.Clause)} | {Cell(r.Title)} | {Cell(r.Expected)} | {Cell(observed)} | {trace} |\n");
            }
            return sb.ToString();
        }

        /// <summary>HTML: the same tables, failures highlighted.</summary>
        public static string Html(string suite, string description, IList<CaseResult> results)
        {
            var (p, f, s) = Count(results);
            var sb = new StringBuilder();
            sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(suite)).Append("</title>\n");
            sb.Append("<style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #999;padding:3px 6px;vertical-align:top}" +
                      "tr.pass td.r{background:#cfc}tr.fail td.r{background:#f99;font-weight:bold}tr.skip td.r{background:#ffc}code{font-size:90%}</style></head><body>\n");
            sb.Append("<h1>").Append(E(suite)).Append("</h1>\n<p>").Append(E(description)).Append("</p>\n");
            sb.Append($"<p><b>{results.Count} cases: {p} passed, {f} failed, {s} skipped (not run).</b> Generated {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC.</p>\n");
            sb.Append("<h2>Summary</h2>\n<table><tr><th>category</th><th>cases</th><th>pass</th><th>fail</th><th>skip</th></tr>\n");
            foreach (var group in Group(results))
            {
                var (gp, gf, gs) = Count(group.Value);
                sb.Append($"<tr><td>{E(group.Key)}</td><td>{group.Value.Count}</td><td>{gp}</td><td>{gf}</td><td>{gs}</td></tr>\n");
            }
            sb.Append("</table>\n<h2>Cases</h2>\n<table><tr><th>id</th><th>result</th><th>clause</th><th>title</th><th>expected</th><th>observed</th><th>trace</th></tr>\n");
            foreach (CaseResult r in results)
            {
                string cls = r.Status == CaseStatus.Pass ? "pass" : r.Status == CaseStatus.Fail ? "fail" : "skip";
                string status = r.Status.ToString().ToUpperInvariant();
                string observed = E(r.Observed) + (r.Message.Length > 0 ? "<br><i>" + E(r.Message) + "</i>" : "");
                string trace = r.Trace.Length > 0 ? $"<a href=\"{E(r.Trace)}\">pcapng</a>" : "";
                sb.Append($"<tr class=\"{cls}\"><td>{E(r.Id)}</td><td class=\"r\">{status}</td><td>{E(r.Clause)}</td><td>{E(r.Title)}</td><td>{E(r.Expected)}</td><td>{observed}</td><td>{trace}</td></tr>\n");
            }
            sb.Append("</table>\n</body></html>\n");
            return sb.ToString();
        }

        private static SortedDictionary<string, List<CaseResult>> Group(IEnumerable<CaseResult> results)
        {
            var groups = new SortedDictionary<string, List<CaseResult>>(StringComparer.Ordinal);
            foreach (CaseResult r in results)
            {
                string key = r.Category.Length == 0 ? "other" : r.Category;
                if (!groups.TryGetValue(key, out List<CaseResult>? list))
                {
                    list = new List<CaseResult>();
                    groups[key] = list;
                }
                list.Add(r);
            }
            return groups;
        }

        private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br>", StringComparison.Ordinal);

        private static string E(string s) => WebUtility.HtmlEncode(s).Replace("\n", "<br>", StringComparison.Ordinal);

        private sealed class StringWriterUtf8 : StringWriter
        {
            public StringWriterUtf8(StringBuilder sb) : base(sb, CultureInfo.InvariantCulture) { }
            public override Encoding Encoding => new UTF8Encoding(false);
        }
    }
}
