using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Analysis;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Partner history built as the sessions come (Get-CftSslPartner on a day of logs, Export-CftSslReport): the reader
    /// returns sessions as they end, the history needs them in the order they started, and holding a day's sessions to
    /// sort them cost 825 MB for a million. The reader stamps each session with a floor (no session returned after it
    /// starts before), and the history holds only the sessions that ended before an older one.
    /// </summary>
    public class PartnerStreamTests
    {
        private static List<CftSslSession> Read(string path, int threads)
            => SessionReader.ReadFiles(new[] { path }, null, new SessionReaderOptions { Threads = threads }).ToList();

        /// <summary>A partner in words: everything its history says, changes and certificates included.</summary>
        private static string Text(CftSslPartner p)
            => string.Join("|", p.ToString(), p.Sessions, p.Established, p.Failed, p.Incomplete, p.FirstSeen, p.LastSeen, p.LastEstablished, p.LastFailure, p.FailingSince,
                p.LastProblem, p.LastEstablishedSession, p.LastFailedSession, p.Versions, p.CipherSuites, p.Ja4, p.RemoteHosts, p.SslProfiles,
                string.Join(";", p.Certificates.Select(c => c.ToString() + c.Sessions + c.FirstSeen + c.LastSeen)),
                string.Join(";", p.Changes.Select(c => c.ToString() + "@" + c.SessionId + "=" + c.Result)));

        private static string Text(IEnumerable<CftSslPartner> partners) => string.Join("\n", partners.Select(Text));

        [Theory]
        [InlineData(1)]
        [InlineData(2)]
        public void EverySessionReturnedLater_StartsAtOrAfterTheFloorOfTheOnesBefore(int threads)
        {
            var sessions = Read(HistoryLogs.Log(dated: true, kib: 5120), threads);
            Assert.True(sessions.Count > 100, sessions.Count + " sessions");
            int outOfStartOrder = AssertFloors(sessions);
            // the log interleaves its sessions: they end in another order than they start
            Assert.True(outOfStartOrder > 10, outOfStartOrder + " sessions returned before one that started earlier");
        }

        /// <summary>Every session returned is stamped, and every one returned after it starts at or after its floor; how many were returned before one that started earlier.</summary>
        private static int AssertFloors(List<CftSslSession> returned)
        {
            long lowestLater = long.MaxValue;
            int outOfStartOrder = 0;
            for (int i = returned.Count - 1; i >= 0; i--)
            {
                Assert.True(returned[i].ReturnFloor > 0, "every session returned is stamped");
                Assert.True(lowestLater >= returned[i].ReturnFloor, "session " + i + " " + returned[i].SessionId + ": a later one starts at " + lowestLater + ", below its floor " + returned[i].ReturnFloor);
                if (returned[i].FirstPosition > lowestLater) outOfStartOrder++;
                lowestLater = Math.Min(lowestLater, returned[i].FirstPosition);
            }
            return outOfStartOrder;
        }

        [Fact]
        public void TheFloor_HoldsForLinesFedOneByOne()
        {
            var reader = new SessionReader("<pipeline>");
            var returned = new List<CftSslSession>();
            long n = 0;
            foreach (var line in File.ReadLines(HistoryLogs.Log(dated: true, kib: 5120))) returned.AddRange(reader.FeedLine(++n, line));
            returned.AddRange(reader.Complete());
            AssertFloors(returned);
        }

        [Fact]
        public void PartnersFoldedAsSessionsEnd_AreThoseOfTheSessionsSortedByStart_HoldingFew()
        {
            var sessions = Read(HistoryLogs.Log(dated: true, kib: 5120), 0);
            var facts = sessions.Select(s => SessionFacts.Of(s)).ToList();
            // times on every line (10 ms apart): the order they started is the order of their start times
            var expected = Text(PartnerHistory.Of(facts));
            var builder = new PartnerHistoryBuilder();
            for (int i = 0; i < sessions.Count; i++) builder.Add(facts[i], sessions[i]);
            Assert.Equal(expected, Text(builder.Partners()));
            Assert.Equal(0, builder.Order.Late);
            Assert.Equal(0, builder.Order.Kept);

            // folded as they end instead, the same sessions tell another history: the order matters
            var asTheyEnd = new PartnerHistoryBuilder();
            foreach (var f in facts) asTheyEnd.Fold(f);
            Assert.NotEqual(expected, Text(asTheyEnd.Partners()));
        }

        /// <summary>
        /// 2,000 real sessions one after the other (a refused version, 21 lines each, a second apart), and one more that
        /// opens before the 500th and closes after the 700th, one line among every ten of theirs.
        /// </summary>
        private static string LongSessionAmongShortOnes()
        {
            string path = Path.Combine(Path.GetTempPath(), "cftssltrace-partner-stream-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".log");
            var template = File.ReadAllLines(Fixtures.PathOf("real/tls-version-mismatch.client.log"));
            string Line(string line, string ctx, DateTime t)
                => "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", System.Globalization.CultureInfo.InvariantCulture) + line.Substring(23).Replace("CTX=20000f", "CTX=" + ctx).Replace("PART=PARTNER16", "PART=BANK" + ctx.Substring(5));
            var start = new DateTime(2026, 11, 24, 8, 0, 0);
            using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
            {
                for (int i = 0; i < 2000; i++)
                {
                    var t = start.AddSeconds(i);
                    foreach (var line in template) w.WriteLine(Line(line, (0x200000 + i).ToString("x6"), t));
                    int k = i - 500;
                    if (k >= 0 && k % 10 == 0 && k / 10 < template.Length) w.WriteLine(Line(template[k / 10], "3fffff", t));
                }
            }
            return path;
        }

        [Fact]
        public void ALongSessionHoldsOnlyTheSessionsThatEndWhileItIsOpen()
        {
            string log = LongSessionAmongShortOnes();
            try
            {
                var sessions = Read(log, 0);
                Assert.Equal(2001, sessions.Count);
                Assert.Equal("3fffff", sessions.Single(s => s.FirstPosition == 501 * 21 + 1).Ctx);
                var facts = sessions.Select(s => SessionFacts.Of(s)).ToList();
                var builder = new PartnerHistoryBuilder();
                int mostHeldNow = 0;
                for (int i = 0; i < sessions.Count; i++)
                {
                    builder.Add(facts[i], sessions[i]);
                    mostHeldNow = Math.Max(mostHeldNow, builder.Order.Held);
                }
                // the 200 sessions that end while the long one is open wait for it; none else waits
                Assert.InRange(builder.Order.MostHeld, 195, 205);
                Assert.Equal(builder.Order.MostHeld, mostHeldNow);
                Assert.Equal(Text(PartnerHistory.Of(facts)), Text(builder.Partners()));
                Assert.Equal(0, builder.Order.Held);
            }
            finally { File.Delete(log); }
        }

        [Fact]
        public void CopiesAndResortedSessions_AreStillFolded_AndCounted()
        {
            var sessions = Read(HistoryLogs.Log(dated: true, kib: 5120), 0);
            var facts = sessions.Select(s => SessionFacts.Of(s)).ToList();
            // copies (no session behind them): kept, folded by start time, as PartnerHistory.Of does
            var copies = new PartnerHistoryBuilder();
            foreach (var f in facts) copies.Add(f);
            Assert.Equal(facts.Count, copies.Order.Kept);
            Assert.Equal(Text(PartnerHistory.Of(facts)), Text(copies.Partners()));
            // a pipeline that re-sorted the sessions (newest first): each comes after a later one was folded
            var reversed = new PartnerHistoryBuilder();
            for (int i = sessions.Count - 1; i >= 0; i--) reversed.Add(facts[i], sessions[i]);
            var partners = reversed.Partners();
            Assert.True(reversed.Order.Late > facts.Count / 2, reversed.Order.Late + " late");
            Assert.Equal(facts.Count, partners.Sum(p => p.Sessions));
        }

        [Fact]
        public void AChartOfAMillionSessions_HoldsAFewThousandPoints_ThatCountThemAll()
        {
            var pp = new CftSslTrace.Pictures.PartnerPoints();
            var start = new DateTime(2026, 11, 24);
            var kept = new HashSet<string> { "s17", "s500000", "s999999" };
            var byResult = new Dictionary<string, long>();
            for (int i = 0; i < 1_000_000; i++)
            {
                string result = i % 97 == 0 ? "Failed" : i % 13 == 0 ? "Incomplete" : "Established";
                byResult[result] = byResult.TryGetValue(result, out var n) ? n + 1 : 1;
                pp.Add(new CftSslTrace.Pictures.PartnerPoint { Time = start.AddSeconds(i * 0.0864), Result = result, SessionId = "s" + i }, p => kept.Contains(p.SessionId));
            }
            pp.Add(new CftSslTrace.Pictures.PartnerPoint { Result = "Failed", SessionId = "untimed" });
            Assert.InRange(pp.Points.Count, 100, 2 * CftSslTrace.Pictures.PartnerPoints.Limit + 1);
            Assert.Equal(1_000_001, pp.Sessions);
            Assert.Equal(1, pp.Untimed);
            foreach (var r in byResult) Assert.Equal(r.Value, pp.Points.Where(x => x.Result == r.Key).Sum(x => (long)x.Count));
            // the sessions with a section of their own keep their point (and its link)
            Assert.Equal(kept.OrderBy(x => x), pp.Points.Where(x => x.Count == 1 && kept.Contains(x.SessionId)).Select(x => x.SessionId).OrderBy(x => x));
            // every merged point spans sessions of one result, within its time
            Assert.All(pp.Points.Where(x => x.Count > 1), x => Assert.True(x.LastTime >= x.Time && x.SessionId == null));
            var partner = new CftSslPartner { Partner = "BANK-A", Role = "Client", Status = "Recovered" };
            string svg = CftSslTrace.Pictures.PartnerChart.Render(partner, pp.Points, "p1");
            long drawn = System.Text.RegularExpressions.Regex.Matches(svg, "<title>(\\d+) sessions ").Sum(m => long.Parse(m.Groups[1].Value))
                + System.Text.RegularExpressions.Regex.Matches(svg, "<title>2026-[^<]+\\(s\\d+\\)</title>").Count;
            Assert.Equal(1_000_000, drawn);
        }

        [Fact]
        public void FailuresComparedAsSessionsEnd_AreThoseComparedOnAllSessions()
        {
            var files = Directory.GetFiles(Fixtures.PathOf("history/server1"));
            foreach (var sessions in new[] { SessionReader.ReadFiles(files).ToList(), Read(HistoryLogs.Log(dated: true, kib: 5120), 0) })
            {
                var facts = sessions.Select(s => SessionFacts.Of(s)).ToList();
                string Text(IEnumerable<SessionDifference> d) => string.Join("\n", d.Select(x => x.Partner + "|" + x.Role + "|" + x.Aspect + "|" + x.ReferenceSession + "|" + x.DifferenceSession + "|" + x.Reference + "|" + x.Difference + "|" + x.LikelyCause + "|" + x.Explanation)
                    .OrderBy(x => x.Substring(0, x.IndexOf('|', x.IndexOf('|') + 1)), StringComparer.Ordinal));
                var expected = Text(SessionComparer.CompareFailures(facts));
                var comparisons = new FailureComparisons();
                for (int i = 0; i < sessions.Count; i++) comparisons.Add(facts[i], sessions[i]);
                var found = comparisons.All();
                Assert.NotEmpty(found);
                Assert.Equal(expected, Text(found));
                Assert.Equal(sessions.Count, comparisons.Sessions);
                Assert.Equal(0, comparisons.Order.Late);
            }
        }

        [Fact]
        public void TheFactsOfAOneLineSession_CostLittle_AndMakeNoListOfTheSession()
        {
            // what Get-CftSslPartner reads of each session: a million one-line sessions cost 2 s in facts when taking them
            // made the session's lists (offered versions and suites, CAs, chains, transfers, handshake messages) and named
            // the role and result through Enum.ToString (1,224 bytes a session); now the lists the session never made are
            // read as empty (760 bytes)
            const int count = 20000;
            var sb = new StringBuilder();
            for (int i = 0; i < count; i++)
                sb.Append("00 26/11/20 00:00:00.00 CFTY02Z>> CTX=").Append((100000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
                  .Append(" 16030100 2A020000 26030336 A1BE1AF8 >....*...&..6....<\n");
            var reader = new SessionReader("oneline.log", new SessionReaderOptions { Threads = 1 }) { Diagnostic = d => { } };
            List<CftSslSession> sessions;
            using (var ms = new MemoryStream(Encoding.ASCII.GetBytes(sb.ToString()))) sessions = reader.ReadAll(ms).ToList();
            SessionFacts.Of(sessions[0]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var facts = new List<SessionFacts>(count);
            foreach (var s in sessions) facts.Add(SessionFacts.Of(s));
            long perSession = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
            Assert.InRange(perSession, 100, 1000);
            Assert.All(facts, f => Assert.Equal(("Unknown", "Incomplete"), (f.Role, f.Result)));
            var made = typeof(CftSslSession).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
                .Where(x => x.FieldType.IsGenericType && x.FieldType.GetGenericTypeDefinition() == typeof(CftSslTrace.Tls.NamedList<>))
                .Where(x => x.GetValue(sessions[5]) != null).Select(x => x.Name).ToList();
            Assert.True(made.All(n => n == "frames"), "lists made: " + string.Join(", ", made) + "; " + perSession + " bytes a session");
        }
    }
}
