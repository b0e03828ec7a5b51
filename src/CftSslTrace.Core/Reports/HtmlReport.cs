using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CftSslTrace.Analysis;
using CftSslTrace.Pictures;
using CftSslTrace.Sessions;

namespace CftSslTrace.Reports
{
    /// <summary>Which sessions get a section of their own (ladder, chains, findings, events) in the report.</summary>
    public enum ReportDetail
    {
        /// <summary>Every session when there are at most <see cref="HtmlReport.AutoDetailLimit"/>; beyond, the failed and incomplete ones.</summary>
        Auto,
        All,
        /// <summary>Failed and incomplete sessions.</summary>
        Failed,
        None,
    }

    /// <summary>
    /// One self-contained HTML file from sessions: a summary (counts, period, files, the failing partners and the likely
    /// cause of each), the partners with the history of their sessions as an SVG chart, a table of every session (filter
    /// and sort with a few lines of inline script; a plain table without it), and per session its ladder, certificate
    /// chains against its time, findings, explanation and CFT lines. No external script, font, style or image; a
    /// Content-Security-Policy that allows nothing else. Every text is escaped (<see cref="Markup"/>).
    /// Sessions are added one by one: the sections and table rows are written to temporary files as they come; the
    /// partners' histories are built as they come (<see cref="PartnerHistoryBuilder"/>), their charts' points merged
    /// beyond a few thousand (<see cref="PartnerPoints"/>): memory does not grow with the number of sessions.
    /// </summary>
    public sealed class HtmlReport : IDisposable
    {
        public const int AutoDetailLimit = 200;

        /// <summary>With -Detail Auto on a large input, at most this many failed or incomplete sessions get a section.</summary>
        public const int AutoSectionLimit = 500;

        /// <summary>Changes listed under a partner's chart: the last ones.</summary>
        public const int MaxListedChanges = 100;

        /// <summary>Rows of the sessions table by default: beyond, the failed sessions first, then the incomplete ones, then the established ones.</summary>
        public const int DefaultTableLimit = 20000;

        private readonly string title;
        private ReportDetail detail;
        // the partners' histories and the points of their charts, built as the sessions come (not the sessions)
        private readonly PartnerHistoryBuilder history = new PartnerHistoryBuilder();
        private readonly Dictionary<(string, string, string), PartnerPoints> points = new Dictionary<(string, string, string), PartnerPoints>();
        private readonly Func<PartnerPoint, bool> linked;
        private readonly HashSet<string> files = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> anchors = new Dictionary<string, string>(StringComparer.Ordinal);
        // while -Detail Auto has not yet seen more than AutoDetailLimit sessions: their rows and sections, held
        private readonly List<(Row Row, string Html)> held = new List<(Row, string)>();
        private Spool sections, tableRows;
        // beyond the table's limit: the rows of each result (failed, incomplete, established), each up to the limit, and
        // where each row ends in its spool (in characters)
        private readonly Spool[] rowsOf = new Spool[3];
        private readonly List<long>[] rowEnds = { new List<long>(), new List<long>(), new List<long>() };
        private readonly long[] rowsCount = new long[3];
        private readonly int tableLimit;
        private bool tableNarrowed, heldRowsWritten;
        private int sessions, established, failed, detailed, leftOut;
        private DateTime? first, last;
        private bool detailNarrowed;

        private sealed class Row
        {
            public string Id, Ctx, Partner, Role, Result, Version, Suite, Problem, Anchor, File;
            public DateTime? Start;
            public long Line;
        }

        /// <summary>Text written to a temporary file as it comes, read back once (deleted when closed).</summary>
        private sealed class Spool : IDisposable
        {
            private readonly StreamWriter writer;

            public Spool()
            {
                string path = Path.Combine(Path.GetTempPath(), "cftssltrace-report-" + Guid.NewGuid().ToString("N") + ".part");
                writer = new StreamWriter(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose), new UTF8Encoding(false));
            }

            /// <summary>Characters written.</summary>
            public long Chars { get; private set; }

            public void Write(string text)
            {
                writer.Write(text);
                Chars += text.Length;
            }

            /// <summary>Copies what was written, its first <paramref name="chars"/> characters at most.</summary>
            public void CopyTo(TextWriter w, long chars = long.MaxValue)
            {
                writer.Flush();
                writer.BaseStream.Position = 0;
                var reader = new StreamReader(writer.BaseStream, Encoding.UTF8, false, 1 << 16);
                var buffer = new char[1 << 16];
                int n;
                while (chars > 0 && (n = reader.Read(buffer, 0, (int)Math.Min(buffer.Length, chars))) > 0)
                {
                    w.Write(buffer, 0, n);
                    chars -= n;
                }
            }

            public void Dispose() => writer.Dispose();
        }

        private readonly X509.CertificateInventory certificates;
        private readonly DateTime asOf;
        private readonly int expiringWithin;

        /// <param name="expiringWithin">Certificates that expire within this many days (or have expired) are marked and counted in the summary.</param>
        /// <param name="tableLimit">Rows of the sessions table: beyond, the failed sessions first, then the incomplete ones, then the established ones, each in log order.</param>
        /// <param name="asOf">The day the certificates' days left are counted from (null: now).</param>
        public HtmlReport(string title, ReportDetail detail = ReportDetail.Auto, int expiringWithin = 30, int tableLimit = DefaultTableLimit, DateTime? asOf = null)
        {
            if (tableLimit < 1) throw new ArgumentOutOfRangeException(nameof(tableLimit));
            this.asOf = asOf ?? DateTime.Now;
            certificates = new X509.CertificateInventory(this.asOf);
            this.tableLimit = tableLimit;
            this.title = string.IsNullOrWhiteSpace(title) ? "CFT SSL/TLS sessions" : title;
            this.detail = detail;
            this.expiringWithin = expiringWithin;
            linked = p => p.SessionId != null && anchors.ContainsKey(p.SessionId);
        }

        public int Sessions => sessions;
        public int Detailed => detailed + held.Count;

        /// <summary>The Auto detail narrowed to the failures on a large input (the report says so).</summary>
        public bool DetailNarrowed => detailNarrowed;

        /// <summary>Failed or incomplete sessions left without a section by the Auto limit (<see cref="AutoSectionLimit"/>).</summary>
        public int LeftOut => leftOut;

        public void Add(CftSslSession s)
        {
            if (s == null) return;
            var f = SessionFacts.Of(s);
            history.Add(f, s);
            AddSession(s, f);
            // its point on its partner's chart, once its section is known (a point with a section stays single)
            var key = (f.Computer ?? "", f.Partner ?? "", f.Role ?? "");
            if (!points.TryGetValue(key, out var pp)) points[key] = pp = new PartnerPoints();
            pp.Add(new PartnerPoint { Time = f.StartTime, Result = f.Result, SessionId = f.SessionId, Problem = f.Problem }, linked);
        }

        private void AddSession(CftSslSession s, SessionFacts f)
        {
            certificates.Add(s);
            if (s.Result == SessionResult.Failed && s.Explanation != null) explanations[f.Partner + "|" + f.Role] = s.Explanation;
            if (s.File != null) files.Add(s.File);
            if (s.LastFile != null) files.Add(s.LastFile);
            if (s.StartTime.HasValue)
            {
                if (first == null || s.StartTime < first) first = s.StartTime;
                if (last == null || s.StartTime > last) last = s.StartTime;
            }
            if (s.Result == SessionResult.Established) established++;
            else if (s.Result == SessionResult.Failed) failed++;
            int index = sessions++;
            var row = new Row
            {
                Id = s.SessionId, Ctx = s.Ctx, Partner = f.Partner, Role = f.Role, Result = f.Result, Version = f.Version, Suite = s.CipherSuiteName,
                Problem = f.Problem, Start = s.StartTime, File = s.File, Line = s.FirstLine,
            };
            bool notEstablished = s.Result != SessionResult.Established;
            string anchor = "s" + index.ToString(CultureInfo.InvariantCulture) + "-" + Markup.Id(s.Ctx);
            if (detail == ReportDetail.Auto)
            {
                // every session a section, until there are too many: then the failures only, up to a limit
                held.Add((row, Section(s, anchor)));
                row.Anchor = anchor;
                if (sessions > AutoDetailLimit)
                {
                    detail = ReportDetail.Failed;
                    detailNarrowed = true;
                    foreach (var h in held)
                    {
                        if (h.Row.Result != "Established" && detailed < AutoSectionLimit) Keep(h.Row, h.Html);
                        else
                        {
                            if (h.Row.Result != "Established") leftOut++;
                            h.Row.Anchor = null;
                        }
                        WriteRow(h.Row);
                    }
                    held.Clear();
                }
                return;
            }
            bool wanted = detail == ReportDetail.All || (detail == ReportDetail.Failed && notEstablished);
            if (wanted && detailNarrowed && detailed >= AutoSectionLimit) { wanted = false; leftOut++; }
            if (wanted) { row.Anchor = anchor; Keep(row, Section(s, anchor)); }
            WriteRow(row);
        }

        private void Keep(Row row, string html)
        {
            if (sections == null) sections = new Spool();
            sections.Write(html);
            anchors[row.Id ?? ""] = row.Anchor;
            detailed++;
        }

        private void WriteRow(Row r)
        {
            int c = r.Result == "Failed" ? 0 : r.Result == "Established" ? 2 : 1;
            rowsCount[c]++;
            bool resultFull = rowEnds[c].Count >= tableLimit;
            // a row beyond what its result can show is not made (a million sessions, 20,000 rows)
            if (tableNarrowed && resultFull) return;
            string html = RowHtml(r);
            if (!tableNarrowed)
            {
                if (tableRows == null) tableRows = new Spool();
                tableRows.Write(html);
                if (RowsWritten > tableLimit)
                {
                    // more sessions than rows: the table keeps the failed ones first (the rows of each result are kept apart from the start)
                    tableNarrowed = true;
                    tableRows.Dispose();
                    tableRows = null;
                }
            }
            if (resultFull) return;
            if (rowsOf[c] == null) rowsOf[c] = new Spool();
            rowsOf[c].Write(html);
            rowEnds[c].Add(rowsOf[c].Chars);
        }

        private long RowsWritten => rowsCount[0] + rowsCount[1] + rowsCount[2];

        private static string RowHtml(Row r)
        {
            var sb = new StringBuilder(384);
            string cls = r.Result == "Established" ? "good" : r.Result == "Failed" ? "bad" : "warn";
            sb.Append("<tr class=\"").Append(cls).Append("\"><td data-sort=\"").Append(r.Start.HasValue ? r.Start.Value.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture) : "").Append("\">")
              .Append(Markup.Escape(r.Start.HasValue ? Stamp(r.Start.Value) : "")).Append("</td>");
            sb.Append("<td>").Append(r.Anchor != null ? "<a href=\"#" + r.Anchor + "\">" + Markup.Escape(r.Ctx) + "</a>" : Markup.Escape(r.Ctx)).Append("</td>");
            sb.Append("<td>").Append(Markup.Escape(r.Partner)).Append("</td><td>").Append(Markup.Escape(r.Role)).Append("</td><td>").Append(Markup.Escape(r.Result)).Append("</td><td>").Append(Markup.Escape(r.Version)).Append("</td>");
            sb.Append("<td>").Append(Markup.Escape(r.Result == "Established" ? r.Suite : r.Problem)).Append("</td>");
            sb.Append("<td>").Append(Markup.Escape((r.File != null ? Path.GetFileName(r.File) + ":" : "line ") + r.Line.ToString(CultureInfo.InvariantCulture))).Append("</td></tr>\n");
            return sb.ToString();
        }

        /// <summary>Writes the whole page.</summary>
        public void WriteTo(TextWriter w)
        {
            // the rows held while -Detail Auto had not decided (200 sessions at most) go to the table as the others
            if (held.Count > 0 && !heldRowsWritten)
            {
                foreach (var h in held) WriteRow(h.Row);
                heldRowsWritten = true;
            }
            var partners = history.Partners();
            string script = Script;
            string hash = Convert.ToBase64String(SHA256Hash(Encoding.UTF8.GetBytes(script)));
            int incomplete = sessions - established - failed;

            w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
            w.Write("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-" + hash + "'; img-src data:; base-uri 'none'; form-action 'none'\">\n");
            w.Write("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"CftSslTrace\">\n");
            w.Write("<title>" + Markup.Escape(title) + "</title>\n<style>" + Styles + LadderSvg.Styles + ChainChart.Styles + "</style>\n</head>\n<body>\n");
            w.Write("<header><h1>" + Markup.Escape(title) + "</h1>\n<p class=\"meta\">");
            w.Write(Markup.Escape(sessions.ToString("#,0", CultureInfo.InvariantCulture) + " session" + (sessions == 1 ? "" : "s")
                + (first.HasValue ? " from " + Stamp(first.Value) + " to " + Stamp(last.Value) : "")
                + "; made " + DateTime.Now.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " by CftSslTrace"));
            w.Write("</p></header>\n");
            var certs = certificates.Certificates.ToList();
            int expiring = certs.Count(c => c.DaysLeft.HasValue && c.DaysLeft < expiringWithin);
            w.Write("<nav aria-label=\"Contents\"><ul><li><a href=\"#summary\">Summary</a></li><li><a href=\"#partners\">Partners</a></li><li><a href=\"#certificates\">Certificates</a></li><li><a href=\"#sessions\">Sessions</a></li>"
                + (Detailed > 0 ? "<li><a href=\"#details\">Session details</a></li>" : "") + "</ul></nav>\n<main>\n");

            // summary
            w.Write("<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>\n<ul class=\"counts\">");
            w.Write("<li class=\"good\"><strong>" + established.ToString(CultureInfo.InvariantCulture) + "</strong> established</li>");
            w.Write("<li class=\"bad\"><strong>" + failed.ToString(CultureInfo.InvariantCulture) + "</strong> failed</li>");
            w.Write("<li class=\"warn\"><strong>" + incomplete.ToString(CultureInfo.InvariantCulture) + "</strong> incomplete</li>");
            w.Write("<li><strong>" + partners.Count.ToString(CultureInfo.InvariantCulture) + "</strong> partner" + (partners.Count == 1 ? "" : "s") + ", <strong>"
                + partners.Count(p => p.Status == "Failing").ToString(CultureInfo.InvariantCulture) + "</strong> failing</li>"
                + "<li class=\"" + (expiring > 0 ? "warn" : "good") + "\"><strong>" + expiring.ToString(CultureInfo.InvariantCulture) + "</strong> of " + certs.Count.ToString(CultureInfo.InvariantCulture)
                + " certificate" + (certs.Count == 1 ? "" : "s") + " expired or expiring within " + expiringWithin.ToString(CultureInfo.InvariantCulture) + " days</li></ul>\n");
            var failing = partners.Where(p => p.Status == "Failing").ToList();
            if (failing.Count > 0)
            {
                w.Write("<h3>Failing partners</h3>\n");
                foreach (var p in failing)
                {
                    // the last failure against the last session that worked before it
                    var (good, bad) = history.LastFailure(p);
                    var cause = good != null && bad != null ? SessionComparer.Compare(good, bad).LastOrDefault(d => d.LikelyCause) : null;
                    string anchor = AnchorOf(p.LastFailedSession);
                    w.Write("<article class=\"failing\"><h4>" + Markup.Escape(p.Partner) + " <span class=\"role\">" + Markup.Escape(p.Role) + "</span></h4><p>");
                    w.Write(Markup.Escape("Failing since " + (p.FailingSince.HasValue ? Stamp(p.FailingSince.Value) : "the first session read") + ": " + (p.LastProblem ?? "(no reason in the log)")
                        + (p.LastEstablished.HasValue ? "; last established " + Stamp(p.LastEstablished.Value) : "; never established in these logs") + "."));
                    if (anchor != null) w.Write(" <a href=\"#" + anchor + "\">Last failed session</a>");
                    w.Write("</p>");
                    if (cause != null)
                        w.Write("<p class=\"cause\"><strong>Likely cause (" + Markup.Escape(cause.Aspect) + "):</strong> " + Markup.Escape(cause.Explanation) + "</p>");
                    else
                    {
                        explanations.TryGetValue(p.Partner + "|" + p.Role, out var explanation);
                        if (explanation != null) w.Write("<p class=\"cause\"><strong>Explanation:</strong> " + Markup.Escape(explanation) + "</p>");
                    }
                    w.Write("</article>\n");
                }
            }
            w.Write("<p class=\"files\">Read from: " + Markup.Escape(string.Join(", ", files.Select(Path.GetFileName).Distinct().Take(20))) + (files.Count > 20 ? " and " + (files.Count - 20).ToString(CultureInfo.InvariantCulture) + " more" : "") + "</p>\n");
            if (detailNarrowed)
                w.Write("<p class=\"note\">" + sessions.ToString("#,0", CultureInfo.InvariantCulture) + " sessions: only the failed and incomplete ones have a section of their own (more than "
                    + AutoDetailLimit.ToString(CultureInfo.InvariantCulture) + " sessions"
                    + (leftOut > 0 ? "; the first " + AutoSectionLimit.ToString(CultureInfo.InvariantCulture) + " of them: " + leftOut.ToString("#,0", CultureInfo.InvariantCulture) + " more are in the table only" : "")
                    + "; Export-CftSslReport -Detail All gives every session one).</p>\n");
            w.Write("</section>\n");

            // partners
            w.Write("<section id=\"partners\" aria-labelledby=\"partners-h\"><h2 id=\"partners-h\">Partners</h2>\n");
            int pn = 0;
            foreach (var p in partners)
            {
                pn++;
                var marks = points.TryGetValue((p.Computer ?? "", p.Partner ?? "", p.Role ?? ""), out var pp) ? pp.Points : (IReadOnlyList<PartnerPoint>)Array.Empty<PartnerPoint>();
                foreach (var m in marks) if (m.Count == 1) m.Anchor = AnchorOf(m.SessionId);
                w.Write("<article class=\"partner " + (p.Status == "Failing" ? "bad" : p.Status == "Incomplete" ? "warn" : "good") + "\" id=\"p" + pn.ToString(CultureInfo.InvariantCulture) + "\"><h3>"
                    + Markup.Escape(p.Partner) + " <span class=\"role\">" + Markup.Escape(p.Role) + "</span> <span class=\"status\">" + Markup.Escape(p.Status) + "</span></h3>\n");
                w.Write("<figure>" + PartnerChart.Render(p, marks, "ph" + pn.ToString(CultureInfo.InvariantCulture)) + "</figure>\n");
                if (p.Changes.Count > 0)
                {
                    // the last changes, numbered as on the chart (a partner whose aspects flap has thousands)
                    int skip = Math.Max(0, p.Changes.Count - MaxListedChanges);
                    if (skip > 0)
                        w.Write("<p class=\"note\">The last " + MaxListedChanges.ToString(CultureInfo.InvariantCulture) + " of " + p.Changes.Count.ToString("#,0", CultureInfo.InvariantCulture)
                            + " changes (Get-CftSslPartner lists them all).</p>\n");
                    w.Write(skip > 0 ? "<ol class=\"changes\" start=\"" + (skip + 1).ToString(CultureInfo.InvariantCulture) + "\">" : "<ol class=\"changes\">");
                    foreach (var c in p.Changes.Skip(skip))
                        w.Write("<li><time>" + Markup.Escape(c.Time.HasValue ? Stamp(c.Time.Value) : "?") + "</time> <strong>" + Markup.Escape(c.Aspect) + "</strong>: "
                            + Markup.Escape(c.From ?? "(none)") + " &#8594; " + Markup.Escape(c.To ?? "(none)") + "</li>");
                    w.Write("</ol>\n");
                }
                w.Write("</article>\n");
            }
            w.Write("</section>\n");

            // certificates seen, the soonest to expire first
            w.Write("<section id=\"certificates\" aria-labelledby=\"certificates-h\"><h2 id=\"certificates-h\">Certificates</h2>\n");
            if (certs.Count == 0) w.Write("<p>No certificate in the traces of these sessions.</p>\n");
            else
            {
                w.Write("<table id=\"certs\"><caption>Every certificate the sessions presented, once, the soonest to expire first; days left counted from "
                    + Markup.Escape(asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) + "</caption><thead><tr>");
                foreach (var h in new[] { "Days left", "Not after", "Owner", "Used as", "Subject", "Issuer", "Partners", "Sessions" }) w.Write("<th scope=\"col\">" + h + "</th>");
                w.Write("</tr></thead>\n<tbody>\n");
                foreach (var c in certs)
                {
                    string cls = !c.DaysLeft.HasValue ? "" : c.DaysLeft < 0 ? " class=\"bad\"" : c.DaysLeft < expiringWithin ? " class=\"warn\"" : "";
                    w.Write("<tr" + cls + "><td>" + Markup.Escape(c.DaysLeft?.ToString(CultureInfo.InvariantCulture)) + "</td><td>" + Markup.Escape(c.NotAfter?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                        + "</td><td>" + Markup.Escape(c.Owner) + "</td><td>" + Markup.Escape(c.UsedAs) + "</td><td>" + Markup.Escape(c.Subject) + "</td><td>" + Markup.Escape(c.Issuer)
                        + "</td><td>" + Markup.Escape(string.Join(", ", c.Partners)) + "</td><td>" + c.Sessions.ToString(CultureInfo.InvariantCulture) + "</td></tr>\n");
                }
                w.Write("</tbody></table>\n");
            }
            w.Write("</section>\n");

            // sessions table
            w.Write("<section id=\"sessions\" aria-labelledby=\"sessions-h\"><h2 id=\"sessions-h\">Sessions</h2>\n");
            w.Write("<p class=\"filter\" hidden><label for=\"filter\">Filter</label> <input id=\"filter\" type=\"search\" placeholder=\"partner, result, version, problem...\"> <span id=\"shown\"></span></p>\n");
            long shown = 0;
            var shownOf = new long[3];
            if (tableNarrowed)
                for (int c = 0; c < 3; c++) { shownOf[c] = Math.Min(rowEnds[c].Count, tableLimit - shown); shown += shownOf[c]; }
            string caption = !tableNarrowed ? "Every session, in the order of the logs; click a heading to sort"
                : "The first " + shown.ToString("#,0", CultureInfo.InvariantCulture) + " of " + RowsWritten.ToString("#,0", CultureInfo.InvariantCulture) + " sessions (at most "
                    + tableLimit.ToString("#,0", CultureInfo.InvariantCulture) + " rows: " + shownOf[0].ToString("#,0", CultureInfo.InvariantCulture) + " of " + rowsCount[0].ToString("#,0", CultureInfo.InvariantCulture) + " failed, "
                    + shownOf[1].ToString("#,0", CultureInfo.InvariantCulture) + " of " + rowsCount[1].ToString("#,0", CultureInfo.InvariantCulture) + " incomplete, "
                    + shownOf[2].ToString("#,0", CultureInfo.InvariantCulture) + " of " + rowsCount[2].ToString("#,0", CultureInfo.InvariantCulture) + " established, each in the order of the logs; Export-CftSslReport -TableLimit shows more); click a heading to sort";
            w.Write("<table id=\"table\"><caption>" + Markup.Escape(caption) + "</caption><thead><tr>");
            foreach (var h in new[] { "Start", "Ctx", "Partner", "Role", "Result", "Version", "Cipher suite or problem", "Where" })
                w.Write("<th scope=\"col\">" + h + "</th>");
            w.Write("</tr></thead>\n<tbody>\n");
            if (!tableNarrowed) tableRows?.CopyTo(w);
            else
                for (int c = 0; c < 3; c++)
                    if (shownOf[c] > 0) rowsOf[c].CopyTo(w, rowEnds[c][(int)shownOf[c] - 1]);
            w.Write("</tbody></table>\n</section>\n");

            // details
            if (Detailed > 0)
            {
                w.Write("<section id=\"details\" aria-labelledby=\"details-h\"><h2 id=\"details-h\">Session details</h2>\n");
                sections?.CopyTo(w);
                foreach (var h in held) w.Write(h.Html);
                w.Write("</section>\n");
            }
            w.Write("</main>\n<footer><p>Made by CftSslTrace from Transfer CFT logs (TRACE=255). Subjects, names and messages come from the partners and the logs, as they were written.</p></footer>\n");
            w.Write("<script>" + script + "</script>\n</body>\n</html>\n");
        }

        private string AnchorOf(string sessionId)
        {
            if (sessionId == null) return null;
            if (anchors.TryGetValue(sessionId, out var a)) return a;
            foreach (var h in held) if (h.Row.Id == sessionId) return h.Row.Anchor;
            return null;
        }

        /// <summary>The explanation of the last failure of each partner (partner|role).</summary>
        private readonly Dictionary<string, string> explanations = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>One session's section: its facts, its ladder, its chains against its time, findings, CFT lines.</summary>
        private string Section(CftSslSession s, string anchor)
        {
            var ladder = Ladder.Of(s);
            var sb = new StringBuilder(8192);
            string cls = s.Result == SessionResult.Established ? "good" : s.Result == SessionResult.Failed ? "bad" : "warn";
            sb.Append("<article class=\"session ").Append(cls).Append("\" id=\"").Append(anchor).Append("\" aria-labelledby=\"").Append(anchor).Append("-h\">\n");
            sb.Append("<h3 id=\"").Append(anchor).Append("-h\">").Append(Markup.Escape(s.Ctx + " " + (s.PartnerOrProtocol ?? "") + " " + s.Role.ToString().ToLowerInvariant() + ": " + s.Result))
              .Append(" <span class=\"when\">").Append(Markup.Escape(s.StartTime.HasValue ? Stamp(s.StartTime.Value) : "")).Append("</span></h3>\n");
            sb.Append("<dl class=\"facts\">");
            Fact(sb, "Session", s.SessionId);
            Fact(sb, "Partner", s.Partner);
            Fact(sb, "Protocol", s.Protocol);
            Fact(sb, "SSL profile", s.SslProfile);
            Fact(sb, "Remote host", s.RemoteHost);
            Fact(sb, "Version", s.Version);
            Fact(sb, "Cipher suite", s.CipherSuiteName != null ? s.CipherSuiteName + " (" + s.CipherSuiteId?.ToString(CultureInfo.InvariantCulture) + ")" : null);
            Fact(sb, "Authentication", s.Authentication);
            Fact(sb, "SNI", s.ServerName);
            Fact(sb, "ALPN", s.Alpn);
            Fact(sb, "Offered versions", s.OfferedVersions.Count > 0 ? string.Join(", ", s.OfferedVersions) : null);
            Fact(sb, "Duration", s.Duration?.ToString());
            Fact(sb, "Log", (s.File != null ? Path.GetFileName(s.File) : "") + ":" + s.FirstLine.ToString(CultureInfo.InvariantCulture)
                + (s.LastLine > s.FirstLine ? " to " + (s.LastFile != null && s.LastFile != s.File ? Path.GetFileName(s.LastFile) + ":" : "") + s.LastLine.ToString(CultureInfo.InvariantCulture) : ""));
            Fact(sb, "Problem", s.Problem);
            sb.Append("</dl>\n");
            if (s.Explanation != null) sb.Append("<p class=\"explanation\"><strong>What to do:</strong> ").Append(Markup.Escape(s.Explanation)).Append("</p>\n");
            sb.Append("<figure class=\"ladder\">");
            LadderSvg.Write(sb, ladder, anchor + "-l", explanation: false);
            sb.Append("<figcaption>The handshake as CFT traced it: CFT on the left, the partner on the right, CFT's lines where it wrote them.</figcaption></figure>\n");
            if (s.ServerCertificates.Count > 0)
            {
                sb.Append("<figure>");
                ChainChart.Write(sb, s.Role == SessionRole.Client ? "Server chain (the partner's), against the session's time" : "Server chain (CFT's), against the session's time", s.ServerCertificates, s.StartTime, anchor + "-sc");
                sb.Append("</figure>\n");
            }
            if (s.ClientCertificates.Count > 0)
            {
                sb.Append("<figure>");
                ChainChart.Write(sb, s.Role == SessionRole.Server ? "Client chain (the partner's), against the session's time" : "Client chain (CFT's), against the session's time", s.ClientCertificates, s.StartTime, anchor + "-cc");
                sb.Append("</figure>\n");
            }
            if (s.Findings.Count > 0)
            {
                sb.Append("<h4>Findings</h4><ul class=\"findings\">");
                foreach (var f in s.Findings)
                    sb.Append("<li class=\"sev-").Append(Markup.Id(f.Severity.ToString().ToLowerInvariant())).Append("\"><strong>").Append(Markup.Escape(f.Severity.ToString())).Append("</strong> ")
                      .Append(Markup.Escape(f.Code)).Append(": ").Append(Markup.Escape(f.Text)).Append("</li>");
                sb.Append("</ul>\n");
            }
            if (s.Transfers.Count > 0)
            {
                sb.Append("<h4>Transfers</h4><table class=\"small\"><thead><tr><th scope=\"col\">IDTU</th><th scope=\"col\">IDF</th><th scope=\"col\">IDT</th><th scope=\"col\">DIAGI</th><th scope=\"col\">DIAGP</th><th scope=\"col\">Line</th></tr></thead><tbody>");
                foreach (var t in s.Transfers)
                    sb.Append("<tr><td>").Append(Markup.Escape(t.Idtu)).Append("</td><td>").Append(Markup.Escape(t.Idf)).Append("</td><td>").Append(Markup.Escape(t.Idt)).Append("</td><td>")
                      .Append(Markup.Escape(t.Diagi?.ToString(CultureInfo.InvariantCulture))).Append("</td><td>").Append(Markup.Escape(t.Diagp)).Append("</td><td>").Append(Markup.Escape(t.Code + " " + t.Line.ToString(CultureInfo.InvariantCulture))).Append("</td></tr>");
                sb.Append("</tbody></table>\n");
            }
            if (s.Notes.Count > 0)
            {
                sb.Append("<h4>Notes</h4><ul>");
                foreach (var n in s.Notes) sb.Append("<li>").Append(Markup.Escape(n)).Append("</li>");
                sb.Append("</ul>\n");
            }
            sb.Append("</article>\n");
            return sb.ToString();
        }

        private static void Fact(StringBuilder sb, string name, string value)
        {
            if (string.IsNullOrEmpty(value)) return;
            sb.Append("<dt>").Append(Markup.Escape(name)).Append("</dt><dd>").Append(Markup.Escape(value)).Append("</dd>");
        }

        private static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

        private static byte[] SHA256Hash(byte[] data)
        {
            using (var sha = SHA256.Create()) return sha.ComputeHash(data);
        }

        public void Dispose()
        {
            sections?.Dispose();
            sections = null;
            tableRows?.Dispose();
            tableRows = null;
            for (int c = 0; c < 3; c++) { rowsOf[c]?.Dispose(); rowsOf[c] = null; }
        }

        /// <summary>Filter and sort for the sessions table; the page reads without it (the filter box shows only with it).</summary>
        private const string Script = @"
(function () {
  var table = document.getElementById('table');
  if (!table) return;
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var box = document.querySelector('p.filter'), input = document.getElementById('filter'), shown = document.getElementById('shown');
  box.hidden = false;
  input.addEventListener('input', function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; }), n = 0;
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; });
      r.hidden = !ok; if (ok) n++;
    });
    shown.textContent = words.length ? n + ' of ' + rows.length + ' sessions' : '';
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
    th.tabIndex = 0; th.setAttribute('aria-sort', 'none');
    function sort() {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var key = function (r) { var c = r.cells[i]; return c.getAttribute('data-sort') || c.textContent; };
      rows.sort(function (a, b) { var x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener('click', sort);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
  });
})();
";

        private const string Styles = @"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif; color: #1f2933; margin: 0 auto; max-width: 1100px; padding: 0 1rem 2rem; line-height: 1.4; }
header h1 { margin-bottom: 0.2rem; }
.meta, .files, .note, .when, figcaption { color: #52606d; }
.when { font-weight: normal; font-size: 0.9em; }
nav ul { list-style: none; padding: 0; display: flex; gap: 1.2rem; }
a { color: #0b5cad; }
ul.counts { list-style: none; padding: 0; display: flex; gap: 1.5rem; font-size: 1.1rem; }
.counts .good strong { color: #2e7d32; } .counts .bad strong { color: #c62828; } .counts .warn strong { color: #e65100; }
article.failing { border-left: 4px solid #c62828; padding: 0.2rem 0.8rem; margin: 0.6rem 0; background: #fff5f5; }
article.failing h4 { margin: 0.3rem 0; }
.role, .status { font-size: 0.8em; font-weight: normal; color: #52606d; border: 1px solid #cbd2d9; border-radius: 3px; padding: 0 0.3em; }
article.partner.bad .status { color: #c62828; border-color: #c62828; }
article.partner.good .status { color: #2e7d32; border-color: #2e7d32; }
.cause strong { color: #7f0000; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
caption { text-align: left; color: #52606d; padding: 0.3rem 0; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #e4e7eb; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f5f7fa; }
#table th { cursor: pointer; }
tr.bad td { background: #fff5f5; } tr.warn td { background: #fffaf0; }
[hidden] { display: none !important; }
.filter input { width: 22rem; max-width: 100%; }
article.session { border-top: 3px solid #cbd2d9; margin-top: 2rem; }
article.session.bad { border-top-color: #c62828; } article.session.good { border-top-color: #2e7d32; } article.session.warn { border-top-color: #e65100; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 1rem; }
dl.facts dt { color: #52606d; } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.explanation { background: #f0f4f8; padding: 0.5rem 0.8rem; border-left: 4px solid #0b5cad; }
figure { margin: 1rem 0; overflow-x: auto; }
svg { max-width: 100%; height: auto; }
ol.changes li { margin: 0.2rem 0; overflow-wrap: anywhere; }
ul.findings .sev-critical strong, ul.findings .sev-high strong { color: #c62828; }
ul.findings .sev-medium strong { color: #e65100; }
footer { margin-top: 3rem; color: #7b8794; font-size: 0.85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; }
  th, td { padding: 0.15rem 0.3rem; }
  nav, p.filter { display: none !important; }
  a { color: inherit; text-decoration: none; }
  article.session, article.partner, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  article.session { break-before: page; page-break-before: always; }
  th { cursor: auto; }
  tr.bad td, article.failing, .explanation { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
";
    }
}
