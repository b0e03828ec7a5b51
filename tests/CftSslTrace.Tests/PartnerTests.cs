using System;
using System.IO;
using System.Linq;
using CftSslTrace.Analysis;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// "It worked yesterday: what changed?" on real sessions (tests/fixtures/history, recorded with openssl over three days):
    /// BANK-A renews its server certificate under another CA, BANK-B stops accepting TLS 1.1, BANK-C changes the CA list of
    /// its CertificateRequest, BANK-D connects from another address, BANK-E stays the same.
    /// </summary>
    public class PartnerTests
    {
        private static SessionFacts[] Server1()
        {
            var files = Directory.GetFiles(Fixtures.PathOf("history/server1"));
            var diagnostics = new System.Collections.Generic.List<TraceDiagnostic>();
            var sessions = SessionReader.ReadFiles(files, diagnostics.Add).ToList();
            Assert.Empty(diagnostics);
            return sessions.Select(s => SessionFacts.Of(s)).ToArray();
        }

        [Fact]
        public void Partners_SayWhoIsFailingSinceWhen_AndWhatChanged()
        {
            var partners = PartnerHistory.Of(Server1());
            Assert.Equal(new[] { "BANK-A", "BANK-B", "BANK-C", "BANK-D", "BANK-E" }, partners.Select(p => p.Partner));
            var a = partners[0];
            Assert.Equal("Failing", a.Status);
            Assert.Equal(new DateTime(2026, 11, 26, 9, 0, 0), a.FailingSince);
            Assert.Equal(new DateTime(2026, 11, 25, 9, 0, 0), a.LastEstablished);
            Assert.Equal((4, 2, 2), (a.Sessions, a.Established, a.Failed));
            Assert.Equal("unknown_ca (48): server cert not trusted", a.LastProblem);
            var issuer = Assert.Single(a.Changes, c => c.Aspect == "ServerIssuer");
            Assert.Equal("CN=CftSslTrace Test Intermediate CA, O=CftSslTrace Test, C=FR", issuer.From);
            Assert.Equal("CN=Unrelated Root CA, O=Unrelated Org, C=DE", issuer.To);
            Assert.Equal(new DateTime(2026, 11, 26, 9, 0, 0), issuer.Time);
            Assert.Equal(2, a.Certificates.Count(c => c.Owner == "Partner" && c.Subject.StartsWith("CN=cft-server", StringComparison.Ordinal)));
            Assert.Equal(new[] { "TLS 1.2" }, a.Versions);

            var b = partners[1];
            Assert.Equal("Failing", b.Status);
            Assert.Equal("protocol_version (70): version refused", b.LastProblem);

            var c3 = partners[2];
            var caList = Assert.Single(c3.Changes, c => c.Aspect == "AcceptedClientCAs");
            Assert.Equal("CN=Unrelated Root CA, O=Unrelated Org, C=DE", caList.To);
            Assert.Contains(c3.Changes, c => c.Aspect == "ClientCertificate" && c.To == "(none sent)");

            var d = partners[3];
            Assert.Equal("Server", d.Role);
            Assert.Equal("Established", d.Status);
            var moved = Assert.Single(d.Changes);
            Assert.Equal(("RemoteHost", "192.0.2.44", "198.51.100.7"), (moved.Aspect, moved.From, moved.To));
            Assert.Equal(new[] { "192.0.2.44", "198.51.100.7" }, d.RemoteHosts);

            var e = partners[4];
            Assert.Equal("Established", e.Status);
            Assert.Empty(e.Changes);
        }

        [Fact]
        public void EachFailure_IsComparedWithTheLastSessionThatWorked_AndTheCauseIsSaidInCftTerms()
        {
            var diffs = SessionComparer.CompareFailures(Server1());
            var causes = diffs.Where(x => x.LikelyCause).ToList();
            // BANK-A twice (both failures), BANK-B, BANK-C
            Assert.Equal(new[] { "BANK-A ServerIssuer", "BANK-A ServerIssuer", "BANK-B Version", "BANK-C AcceptedClientCAs" }, causes.Select(x => x.Partner + " " + x.Aspect).OrderBy(x => x));
            var ca = causes.First(x => x.Partner == "BANK-A");
            Assert.Contains("not in ROOTCID of CFTSSL SSLCLI01", ca.Explanation);
            Assert.Contains("'CN=Unrelated Root CA, O=Unrelated Org, C=DE'", ca.Explanation);
            Assert.Equal("Failed", ca.DifferenceResult);
            var version = causes.Single(x => x.Partner == "BANK-B");
            Assert.Equal("TLS 1.1", version.Reference);
            Assert.Equal(SessionComparer.NotInTrace, version.Difference);
            Assert.Contains("no longer accepts TLS 1.1", version.Explanation);
            var list = causes.Single(x => x.Partner == "BANK-C");
            Assert.Contains("USERCID of CFTSSL SSLCLI01", list.Explanation);
            Assert.Contains("issued by 'CN=CftSslTrace Test Root CA", list.Explanation);
            // the partners that did not fail are not compared
            Assert.DoesNotContain(diffs, x => x.Partner == "BANK-D" || x.Partner == "BANK-E");
        }

        [Fact]
        public void TwoSessions_SideBySide_WithIncludeEqual()
        {
            var s = Server1();
            var ok = s.First(f => f.Partner == "BANK-A" && f.Established);
            var failed = s.First(f => f.Partner == "BANK-A" && f.Failed);
            var all = SessionComparer.Compare(ok, failed, includeEqual: true);
            Assert.Contains(all, x => x.Aspect == "Version" && x.Equal && x.Reference == "TLS 1.2");
            Assert.Contains(all, x => x.Aspect == "ServerName" && x.Equal && x.Reference == "bank-a.example.test");
            Assert.Contains(all, x => x.Aspect == "Ja4" && x.Equal);
            Assert.Contains(all, x => x.Aspect == "ServerIssuer" && !x.Equal && x.LikelyCause);
            Assert.Contains(all, x => x.Aspect == "Extensions" && x.Reference.Contains("server_name"));
            var only = SessionComparer.Compare(ok, failed);
            Assert.All(only, x => Assert.False(x.Equal));
            Assert.True(only.Count < all.Count);
        }

        [Fact]
        public void FactsFromFingerprints_AreThoseOfSplittingTheirStrings_ForAnyText()
        {
            // extensions, groups and signature algorithms are read in place from JA3's and JA4_r's strings: the same as
            // splitting them and int.TryParse of each piece, on every real session and on random texts (signs, spaces,
            // hex letters, long and empty pieces, missing parts)
            static System.Collections.Generic.List<string> Reference(string ja3Full, string ja4Raw)
            {
                var r = new System.Collections.Generic.List<string>();
                System.Collections.Generic.IEnumerable<int> Numbers(string dashed)
                {
                    foreach (var p in dashed.Split('-'))
                        if (int.TryParse(p, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v)) yield return v;
                }
                if (!string.IsNullOrEmpty(ja3Full))
                {
                    var parts = ja3Full.Split(',');
                    if (parts.Length >= 4)
                    {
                        foreach (var e in Numbers(parts[2])) r.Add("e:" + Registry.TlsRegistry.ExtensionName(e));
                        foreach (var g in Numbers(parts[3])) r.Add("g:" + Registry.TlsRegistry.GroupName(g));
                    }
                }
                if (!string.IsNullOrEmpty(ja4Raw))
                {
                    var parts = ja4Raw.Split('_');
                    if (parts.Length >= 4)
                        foreach (var h in parts[3].Split(','))
                            if (int.TryParse(h, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out int v)) r.Add("s:" + Registry.TlsRegistry.SignatureSchemeName(v));
                }
                return r;
            }
            static System.Collections.Generic.List<string> Ours(string ja3Full, string ja4Raw)
            {
                var f = new SessionFacts();
                f.FromFingerprints(ja3Full, ja4Raw);
                return f.Extensions.Select(x => "e:" + x).Concat(f.Groups.Select(x => "g:" + x)).Concat(f.SignatureAlgorithms.Select(x => "s:" + x)).ToList();
            }
            var real = Directory.GetFiles(Fixtures.PathOf("real"), "*.log").SelectMany(f => SessionReader.ReadFiles(new[] { f })).ToList();
            int compared = 0;
            foreach (var s in real.Where(s => s.Ja3Full != null || s.Ja4Raw != null))
            {
                Assert.Equal(Reference(s.Ja3Full, s.Ja4Raw), Ours(s.Ja3Full, s.Ja4Raw));
                compared++;
            }
            Assert.True(compared >= 30, compared + " sessions");
            Assert.Contains(real, s => Ours(s.Ja3Full, s.Ja4Raw).Count(x => x.StartsWith("s:", StringComparison.Ordinal)) > 5);
            var rnd = new Random(20261204);
            string[] odd = { "", "+5", " 7", "7 ", "-", "ff", "FFFFFFFF", "7FFFFFFF", "80000000", "2147483647", "2147483648", "0000000042", "x1", "1a", "G", "0x10", "+", " ", "١٢" };
            string Token() => rnd.Next(3) == 0 ? odd[rnd.Next(odd.Length)] : rnd.Next(2) == 0 ? rnd.Next(0, 70000).ToString(System.Globalization.CultureInfo.InvariantCulture) : rnd.Next(0, 70000).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            string Pieces(char separator) => string.Join(separator.ToString(), Enumerable.Range(0, rnd.Next(9)).Select(_ => Token()));
            for (int i = 0; i < 20000; i++)
            {
                string ja3 = rnd.Next(10) == 0 ? null : string.Join(",", Enumerable.Range(0, rnd.Next(7)).Select(_ => Pieces('-')));
                string ja4 = rnd.Next(10) == 0 ? null : string.Join("_", Enumerable.Range(0, rnd.Next(7)).Select(_ => Pieces(',')));
                Assert.Equal(Reference(ja3, ja4), Ours(ja3, ja4));
            }
        }

        [Fact]
        public void AKeysText_IsItsWordsJoinedBySpaces()
        {
            static string Reference(string algorithm, object size, string curve)
            {
                string text = (algorithm ?? "") + " " + (size?.ToString() ?? "") + " " + (curve ?? "");
                text = string.Join(" ", text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
                return text.Length == 0 ? null : text;
            }
            string[] words = { null, "", " ", "RSA", "EC", "id-ecPublicKey", "Ed25519", "P-256", "  two  words ", "a b", "\t" };
            object[] sizes = { null, 2048, 256, 0, "", " 384", "x y" };
            foreach (var a in words) foreach (var z in sizes) foreach (var c in words)
                Assert.Equal(Reference(a, z, c), SessionFacts.KeyText(a, z, c));
            Assert.Equal("RSA 2048", SessionFacts.KeyText("RSA", 2048, null));
            Assert.Equal("EC 256 P-256", SessionFacts.KeyText("EC", 256, "P-256"));
        }

        [Fact]
        public void SessionCopies_GiveTheSameFactsAsTheSessions()
        {
            // a session known by its properties only (as after Invoke-Command): the same partners and causes
            var files = Directory.GetFiles(Fixtures.PathOf("history/server1"));
            var sessions = SessionReader.ReadFiles(files).ToList();
            object Get(object o, string name) => o?.GetType().GetProperty(name)?.GetValue(o) is object v ? (v is Enum ? v.ToString() : v) : null;
            System.Collections.Generic.IEnumerable<object> Items(object v) => v is System.Collections.IEnumerable e && !(v is string) ? e.Cast<object>() : Enumerable.Empty<object>();
            var copies = sessions.Select(x => SessionFacts.FromProperties(Get, Items, x, "server1")).ToList();
            var direct = sessions.Select(x => SessionFacts.Of(x, "server1")).ToList();
            string Text(System.Collections.Generic.IEnumerable<SessionDifference> d) => string.Join("\n", d.Select(x => x.Partner + "|" + x.Aspect + "|" + x.Reference + "|" + x.Difference + "|" + x.LikelyCause + "|" + x.Explanation));
            Assert.Equal(Text(SessionComparer.CompareFailures(direct)), Text(SessionComparer.CompareFailures(copies)));
            Assert.Equal(PartnerHistory.Of(direct).Select(p => p.ToString() + p.Changes), PartnerHistory.Of(copies).Select(p => p.ToString() + p.Changes));
        }
    }
}
