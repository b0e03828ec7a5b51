using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CftSslTrace.Reports;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>The HTML report on real sessions: self-contained, escaped, one section per session it details. (What a
    /// browser shows is tested in CftSslTrace.PowerShell.Tests, with Chromium.)</summary>
    public class ReportTests
    {
        private static string Html(IEnumerable<CftSslSession> sessions, ReportDetail detail = ReportDetail.Auto, string title = null)
        {
            using (var r = new HtmlReport(title, detail))
            {
                foreach (var s in sessions) r.Add(s);
                var w = new StringWriter();
                r.WriteTo(w);
                return w.ToString();
            }
        }

        /// <summary>The classes of the sessions table's rows (not the certificates table's: an expired certificate is a "bad" row there).</summary>
        private static List<string> SessionRows(string html)
            => Regex.Matches(Regex.Match(html, "<table id=\"table\">.*?</table>", RegexOptions.Singleline).Value, "<tr class=\"(good|bad|warn)\">").Select(m => m.Groups[1].Value).ToList();

        private static List<CftSslSession> Real(params string[] names) => names.SelectMany(n => Fixtures.Sessions("real/" + n)).ToList();

        [Fact]
        public void SelfContained_OneScript_AllowedByItsHash_NothingFetched()
        {
            string html = Html(Real("tls12-ecdhe-rsa-mutual.server.log", "tls12-unknown-ca.client.log", "tls13-hello-retry.client.log"));
            Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html);
            var scripts = Regex.Matches(html, "<script>(.*?)</script>", RegexOptions.Singleline);
            Assert.Single(scripts);
            Assert.Equal(1, Regex.Matches(html, "<script").Count);
            string hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(scripts[0].Groups[1].Value)));
            Assert.Contains("script-src 'sha256-" + hash + "'", html);
            Assert.Contains("default-src 'none'", html);
            // no src, no link, no remote url: the only addresses are anchors in the page and the SVG namespace
            Assert.DoesNotMatch(@"\ssrc\s*=", html);
            Assert.DoesNotMatch("<link", html);
            Assert.Empty(Regex.Matches(html, "href=\"([^\"]*)\"").Select(m => m.Groups[1].Value).Where(h => !h.StartsWith("#", StringComparison.Ordinal)));
            Assert.Empty(Regex.Matches(html, "https?://[^\"< ]+").Select(m => m.Value).Where(u => u != "http://www.w3.org/2000/svg"));
            Assert.DoesNotMatch(@"url\((?!#)", html);
        }

        [Fact]
        public void MarkupFromTheWire_StaysText()
        {
            string html = Html(Real("tls12-hostile-subject.client.log", "tls12-hostile-subject.server.log"), title: "Report <b>for</b> \"Evil\" & co");
            Assert.Contains("&lt;script&gt;alert(cft)&lt;/script&gt;", html);
            Assert.Contains("Evil &amp; Sons &lt;img src=x onerror=alert(2)&gt;", html);
            Assert.DoesNotContain("<img", html);
            Assert.DoesNotContain("<script>alert", html);
            Assert.Contains("<title>Report &lt;b&gt;for&lt;/b&gt; &quot;Evil&quot; &amp; co</title>", html);
        }

        [Fact]
        public void ACertificateWithoutExpiry_IsDrawnToTheAxisEnd_AndTheOthersKeepTheirWidth()
        {
            // a real session whose server certificate has notAfter 99991231235959Z (RFC 5280's "no well-defined
            // expiration date"): the chain chart padded its axis past DateTime's range and the whole report failed
            var session = Real("tls12-no-expiry.client.log").Single();
            Assert.Equal(new DateTime(9999, 12, 31, 23, 59, 59), session.ServerCertificate.NotAfter);
            string html = Html(new[] { session }, ReportDetail.All);
            string chart = Regex.Match(html, "<svg [^>]*class=\"chart chain\".*?</svg>", RegexOptions.Singleline).Value;
            var svg = System.Xml.Linq.XElement.Parse(chart);
            System.Xml.Linq.XNamespace ns = "http://www.w3.org/2000/svg";
            var bars = svg.Descendants(ns + "g").Where(g => ((string)g.Attribute("class") ?? "").StartsWith("cert ", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, bars.Count);
            Assert.All(bars, b => Assert.Equal("valid", (string)b.Attribute("data-state")));
            double Width(System.Xml.Linq.XElement g) => double.Parse((string)g.Element(ns + "rect").Attribute("width"), System.Globalization.CultureInfo.InvariantCulture);
            // the axis reaches 30 years after the session: the 10-year root CA is a third of it, not a pixel
            Assert.InRange(Width(bars[1]), 120, 200);
            Assert.InRange(Width(bars[0]), 400, 500);
            Assert.Equal("to 9999-12-31 \u2192", bars[0].Elements(ns + "text").Last().Value);
            var years = svg.Descendants(ns + "g").Single(g => (string)g.Attribute("class") == "axis").Elements(ns + "text").Select(t => int.Parse(t.Value)).ToList();
            Assert.InRange(years.Min(), 2026, 2027);
            Assert.InRange(years.Max(), 2050, 2057);
            Assert.Contains("valid 2026-11-01 to 9999-12-31 (valid at the session&#39;s time)", html);
        }

        [Theory]
        [InlineData("9999-12-31 23:59:59.9999999 ")] // the last instant DateTime holds
        [InlineData("0001-01-01 00:00:00 ")]         // the first
        public void SessionsDatedAtTheEndsOfTime_AreReportedAndDrawn(string prefix)
        {
            // a log whose prefixes the reader takes as such dates (a damaged clock, a hand-edited line): the partner's
            // chart and the chains' charts padded their axes past DateTime's range, and Export-CftSslReport wrote nothing
            var lines = File.ReadAllLines(Fixtures.PathOf("real/tls12-ecdhe-rsa-mutual.server.log"), Encoding.Latin1)
                .Select(l => { int code = l.IndexOf("CFTY", StringComparison.Ordinal); return code > 0 ? prefix + l.Substring(code) : l; });
            var sessions = Fixtures.SessionsFromText(string.Join("\n", lines) + "\n");
            var start = Assert.Single(sessions).StartTime.Value;
            Assert.True(start.Year == 9999 || start.Year == 1, start.ToString("o"));
            string html = Html(sessions, ReportDetail.All);
            Assert.Equal(1, Regex.Matches(html, "class=\"chart history\"").Count);
            var charts = Regex.Matches(html, "<svg [^>]*class=\"chart (chain|history)\".*?</svg>", RegexOptions.Singleline);
            Assert.Equal(3, charts.Count); // the partner's history, the server chain, the client chain
            foreach (Match c in charts) System.Xml.Linq.XElement.Parse(c.Value);
            Assert.Contains(start.Year == 1 ? "data-state=\"not yet valid\"" : "data-state=\"expired\"", html);
        }

        [Fact]
        public void CertificatesJudgedOnTheLastDay_AreExpired_NotAnError()
        {
            // -AsOf 9999-12-31 (Export-CftSslReport, Get-CftSslCertificate): the expiry horizon (30 days on) was past DateTime's range
            var sessions = Real("tls12-ecdhe-rsa-mutual.server.log", "tls12-no-expiry.client.log");
            using (var r = new HtmlReport("Last day", ReportDetail.All, 30, HtmlReport.DefaultTableLimit, DateTime.MaxValue.Date))
            {
                foreach (var s in sessions) r.Add(s);
                var w = new StringWriter();
                r.WriteTo(w);
                Assert.Matches("<strong>([0-9]+)</strong> of \\1 certificates expired or expiring within 30 days", w.ToString()); // every one, on the last day
            }
            var findings = Analysis.SecurityAudit.Of(sessions.Last(), DateTime.MaxValue.Date);
            Assert.DoesNotContain(findings, f => f.Code == "CERT_EXPIRED");
            Assert.Contains(findings, f => f.Code == "CERT_EXPIRED_SINCE"); // the root CA (ten years)
            Assert.Contains(findings, f => f.Code == "CERT_EXPIRING" && f.Text.Contains("expires 9999-12-31 (in 1 days)")); // the one without expiry
        }

        [Fact]
        public void EverySessionDetailed_WithItsLadder_Chains_AndPartnerCharts()
        {
            var sessions = Real("tls12-ecdhe-rsa-mutual.server.log", "tls12-unknown-ca.client.log", "tls12-expired-certificate.client.log");
            string html = Html(sessions);
            Assert.Equal(sessions.Count, Regex.Matches(html, "<article class=\"session ").Count);
            var arrows = Regex.Matches(html, "data-arrows=\"([0-9]+)\"").Select(m => int.Parse(m.Groups[1].Value)).ToList();
            Assert.Equal(sessions.Select(s => Pictures.Ladder.Of(s).Arrows), arrows);
            Assert.Equal(3, Regex.Matches(html, "class=\"chart history\"").Count); // three partners
            // the expired certificate drawn red against the session's time
            Assert.Contains("data-state=\"expired\"", html);
            Assert.Contains("<h3>PARTNER15 <span class=\"role\">Client</span> <span class=\"status\">Failing</span></h3>", html);
            Assert.Contains("<strong>Explanation:</strong>", html);
        }

        [Fact]
        public void ManySessions_Auto_DetailsTheFailuresOnly_AndSaysSo_AllDetailsEvery()
        {
            var one = Real("tls12-ecdhe-rsa-mutual.server.log", "tls12-unknown-ca.client.log", "tls13-hello-retry.client.log", "tls12-no-client-cert.server.log");
            var many = Enumerable.Range(0, 60).SelectMany(_ => one).ToList(); // 240 sessions
            int failures = many.Count(s => s.Result != SessionResult.Established);
            string auto = Html(many);
            Assert.Equal(failures, Regex.Matches(auto, "<article class=\"session ").Count);
            Assert.Contains("only the failed and incomplete ones have a section of their own", auto);
            Assert.Equal(many.Count, SessionRows(auto).Count);
            // the table links to the sections there are, and only to them
            var links = Regex.Matches(auto, "<td><a href=\"#(s[0-9]+-[0-9a-f]+)\">").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(failures, links.Count);
            Assert.All(links, a => Assert.Contains("id=\"" + a + "\"", auto));
            Assert.Equal(many.Count, Regex.Matches(Html(many, ReportDetail.All), "<article class=\"session ").Count);
            Assert.Equal(0, Regex.Matches(Html(many, ReportDetail.None), "<article class=\"session ").Count);
            Assert.Equal(one.Count, Regex.Matches(Html(one), "<article class=\"session ").Count);
        }
    
        [Fact]
        public void ManyFailures_Auto_SectionsForTheFirst500_TheRestInTheTable_SaysHowManyAreLeftOut()
        {
            var failed = Real("tls12-unknown-ca.client.log").Single();
            var ok = Real("tls12-ecdhe-rsa-mutual.server.log").Single();
            var many = Enumerable.Range(0, 700).SelectMany(i => i % 7 == 0 ? new[] { ok, failed } : new[] { failed }).ToList();
            int failures = many.Count(s => s.Result == SessionResult.Failed);
            using (var r = new HtmlReport(null))
            {
                foreach (var s in many) r.Add(s);
                var w = new StringWriter();
                r.WriteTo(w);
                string html = w.ToString();
                Assert.Equal(HtmlReport.AutoSectionLimit, r.Detailed);
                Assert.Equal(failures - HtmlReport.AutoSectionLimit, r.LeftOut);
                Assert.Equal(HtmlReport.AutoSectionLimit, Regex.Matches(html, "<article class=\"session ").Count);
                Assert.Equal(many.Count, SessionRows(html).Count);
                Assert.Equal(HtmlReport.AutoSectionLimit, Regex.Matches(html, "<td><a href=\"#s[0-9]+-").Count);
                Assert.Contains("the first 500 of them: " + (failures - 500).ToString() + " more are in the table only", html);
            }
        }

        [Theory]
        [InlineData(50)]
        [InlineData(150)]
        [InlineData(230)]
        [InlineData(1000)]
        public void ATableOfMoreSessionsThanItsLimit_ShowsTheFailedFirst_AndSaysHowManyOfEach(int limit)
        {
            // a million sessions made a table of a million rows (244 MB of HTML); beyond its limit the table keeps the
            // failed sessions, then the incomplete ones, then the established ones, each in log order
            var one = Real("tls12-ecdhe-rsa-mutual.server.log", "tls12-unknown-ca.client.log", "tls13-hello-retry.client.log", "tls12-no-client-cert.server.log");
            var many = Enumerable.Range(0, 60).SelectMany(_ => one).ToList(); // 240 sessions
            int failed = many.Count(s => s.Result == SessionResult.Failed), established = many.Count(s => s.Result == SessionResult.Established);
            int incomplete = many.Count - failed - established;
            Assert.Equal((120, 0, 120), (failed, incomplete, established));
            string html;
            using (var r = new HtmlReport(null, ReportDetail.Auto, 30, limit))
            {
                foreach (var s in many) r.Add(s);
                var w = new StringWriter();
                r.WriteTo(w);
                html = w.ToString();
            }
            var rows = SessionRows(html);
            if (limit >= many.Count)
            {
                Assert.Equal(many.Select(s => s.Result == SessionResult.Established ? "good" : s.Result == SessionResult.Failed ? "bad" : "warn"), rows);
                Assert.Contains("<caption>Every session, in the order of the logs", html);
                return;
            }
            int shownFailed = Math.Min(failed, limit), shownIncomplete = Math.Min(incomplete, limit - shownFailed), shownEstablished = Math.Min(established, limit - shownFailed - shownIncomplete);
            Assert.Equal(Enumerable.Repeat("bad", shownFailed).Concat(Enumerable.Repeat("warn", shownIncomplete)).Concat(Enumerable.Repeat("good", shownEstablished)), rows);
            Assert.Contains("<caption>The first " + limit + " of 240 sessions (at most " + limit + " rows: " + shownFailed + " of " + failed + " failed, " + shownIncomplete + " of " + incomplete + " incomplete, "
                + shownEstablished + " of " + established + " established, each in the order of the logs", html);
            // every session still counts: the summary and the partners
            Assert.Contains("<strong>" + failed + "</strong> failed", html);
        }

        [Fact]
        public void APartnerWhoseAspectsFlap_KeepsItsChangesSmall_InTheObjectAndOnThePage()
        {
            // many clients behind one server partner: its remote host (and offers) change at nearly every session; a day
            // of them made a chart and a list of every change (77 MB to write the page of 2,634 such sessions)
            // (a client session, its partner its PART whatever the address; read here: it is changed, not the shared fixture's)
            var ok = SessionReader.ReadFile(Fixtures.PathOf("real/tls13-mutual.client.log")).Single();
            string html;
            var start = ok.StartTime.Value;
            using (var r = new HtmlReport(null, ReportDetail.None))
            {
                for (int i = 0; i < 3000; i++)
                {
                    ok.RemoteHost = i % 2 == 0 ? "192.0.2.10" : "192.0.2.11";
                    ok.StartTime = start.AddSeconds(i * 20);
                    r.Add(ok);
                }
                var w = new StringWriter();
                r.WriteTo(w);
                html = w.ToString();
            }
            Assert.Contains("The last " + HtmlReport.MaxListedChanges + " of 2,999 changes (Get-CftSslPartner lists them all).", html);
            Assert.Contains("<ol class=\"changes\" start=\"2900\">", html);
            Assert.Equal(HtmlReport.MaxListedChanges, Regex.Matches(html, "<li><time>[^<]*</time> <strong>RemoteHost</strong>").Count);
            // each change line of the chart names its first few changes and counts the others
            var titles = Regex.Matches(html, "<g class=\"change\" data-aspect=\"RemoteHost\"><title>([^<]*)</title>").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(titles);
            Assert.All(titles, t => Assert.True(Regex.Matches(t, "Change [0-9]+, ").Count <= CftSslTrace.Pictures.PartnerChart.MaxTitleChanges, t));
            Assert.Contains(titles, t => t.Contains(" more changes"));
            Assert.True(html.Length < 2_000_000, html.Length + " characters");

            // the partner itself: every change, naming the two values as two strings (each session's value is a string
            // of its own, as an aspect's text made for each session is)
            var builder = new CftSslTrace.Analysis.PartnerHistoryBuilder();
            for (int i = 0; i < 3000; i++)
            {
                ok.RemoteHost = new string((i % 2 == 0 ? "192.0.2.10" : "192.0.2.11").ToCharArray());
                builder.Fold(CftSslTrace.Analysis.SessionFacts.Of(ok));
            }
            var partner = Assert.Single(builder.Partners());
            Assert.Equal(2999, partner.Changes.Count);
            Assert.Equal(2, partner.Changes.Select(c => c.To).Distinct(ReferenceEqualityComparer.Instance).Count());
        }
    }
}
