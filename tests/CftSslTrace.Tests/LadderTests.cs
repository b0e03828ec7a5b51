using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CftSslTrace.Pictures;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>The handshake ladder of real sessions (openssl recorded as CFT traces): its steps, and as text, Mermaid and SVG.</summary>
    public class LadderTests
    {
        private static Ladder Of(string fixture, int index = 0) => Ladder.Of(Fixtures.Sessions(fixture)[index]);

        [Fact]
        public void Write_AppendsWhatRenderReturns_LadderAfterLadder_OnAnyThread()
        {
            // the report writes ladders and chain charts into its section (builders kept per thread for the body and the
            // description): each is what Render returns, after what was there, whatever was drawn before on that thread
            var sessions = new[] { "real/tls12-ecdhe-rsa-mutual.server.log", "real/tls12-hostile-subject.client.log", "real/tls12-unknown-ca.client.log", "real/busy.log" }
                .SelectMany(f => Fixtures.Sessions(f)).ToList();
            var expected = new System.Text.StringBuilder("<p>before</p>");
            foreach (var s in sessions)
                expected.Append(LadderSvg.Render(Ladder.Of(s), s.Ctx, explanation: s.Ctx.EndsWith("2"))).Append(ChainChart.Render("chain of " + s.Ctx, s.ServerCertificates, s.StartTime, s.Ctx + "-c"));
            Assert.Contains("&lt;script&gt;", expected.ToString());
            for (int round = 0; round < 2; round++)
            {
                var written = new System.Text.StringBuilder("<p>before</p>");
                var task = System.Threading.Tasks.Task.Run(() =>
                {
                    foreach (var s in sessions)
                    {
                        LadderSvg.Write(written, Ladder.Of(s), s.Ctx, explanation: s.Ctx.EndsWith("2"));
                        ChainChart.Write(written, "chain of " + s.Ctx, s.ServerCertificates, s.StartTime, s.Ctx + "-c");
                    }
                });
                task.Wait();
                Assert.Equal(expected.ToString(), written.ToString());
            }
        }

        [Theory]
        [InlineData(0.0)]
        [InlineData(-0.0)]
        [InlineData(92.0)]
        [InlineData(4095.0)]
        [InlineData(4096.0)]
        [InlineData(36.55)]
        [InlineData(110.9)]
        [InlineData(-3.0)]
        [InlineData(1e9)]
        [InlineData(double.NaN)]
        public void Numbers_AreWrittenAsTheInvariantFormatWritesThem(double value)
        {
            // whole pixels come from a table: the same texts
            Assert.Equal(value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), Markup.Num(value));
            Assert.Equal(value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture), Markup.Num(value));
        }

        [Fact]
        public void MutualServerSession_OneArrowPerMessageOrRecord_CftLinesBetween_DataSummed()
        {
            // CFT is the server: ClientHello comes from the partner, ServerHello goes to it
            var l = Of("real/tls12-ecdhe-rsa-mutual.server.log");
            var arrows = l.Steps.Where(s => s.IsArrow).ToList();
            Assert.Equal(new[]
            {
                "ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "CertificateRequest", "ServerHelloDone",
                "Certificate", "ClientKeyExchange", "CertificateVerify", "ChangeCipherSpec", "Finished",
                "NewSessionTicket", "ChangeCipherSpec", "Finished", "Alert", "Alert",
            }, arrows.Select(a => a.Code));
            Assert.Equal(16, l.Arrows);
            Assert.False(arrows[0].FromCft);
            Assert.True(arrows[1].FromCft);
            Assert.False(arrows[6].FromCft); // the client's certificate
            Assert.Contains("CN=PARTNER01, O=Partner Corp, C=FR <- CftSslTrace Test Root CA", arrows[6].Details[0]);
            Assert.Equal("accepts CN=CftSslTrace Test Root CA, OU=PKI, O=CftSslTrace Test, C=FR", Assert.Single(arrows[4].Details));

            // CFTY22I (client certificate accepted) where CFT wrote it: after the client's Certificate, before its ClientKeyExchange
            var codes = l.Steps.Select(s => s.Code).ToList();
            int accepted = codes.IndexOf("CFTY22I");
            Assert.True(accepted > l.Steps.ToList().IndexOf(arrows[6]) && accepted < l.Steps.ToList().IndexOf(arrows[7]));
            Assert.Equal(LadderTone.Good, l.Steps[accepted].Tone);
            // the application data between the handshake and the closing alerts
            var data = Assert.Single(l.Steps, s => s.Kind == LadderStepKind.Data);
            Assert.Equal("application data: 2 records, 6,877 bytes sent, 42 received", data.Label);
            Assert.True(codes.IndexOf("CFTY15I") < l.Steps.ToList().IndexOf(data));
            Assert.True(l.Steps.ToList().IndexOf(data) < l.Steps.ToList().IndexOf(arrows[14]));
            Assert.Equal("CFT server SSLSRV01", l.CftLabel);
            Assert.Equal("PESITSSL client 127.0.0.1", l.PartnerLabel);
            Assert.Equal("Established TLS 1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, authentication Mutual", l.Outcome);
        }

        [Fact]
        public void FailedSession_EndsWithTheFatalAlert_TheCftError_AndTheExplanation()
        {
            var l = Of("real/tls12-unknown-ca.client.log");
            var alert = l.Steps.Last(s => s.IsArrow);
            Assert.Equal("Alert fatal unknown_ca (48)", alert.Label);
            Assert.True(alert.FromCft);
            Assert.Equal(LadderTone.Bad, alert.Tone);
            var error = Assert.Single(l.Steps, s => s.Code == "CFTY13E");
            Assert.Equal(LadderTone.Bad, error.Tone);
            Assert.StartsWith("CFTY13E SSL Handshake local error [UNKNOWN_CA] CR=48", error.Label);
            Assert.DoesNotContain("CTX=20000c", error.Label); // the CTX is the ladder's, not repeated on each line
            Assert.Equal("Failed: unknown_ca (48): server cert not trusted", l.Outcome);
            Assert.Contains("ROOTCID of CFTSSL SSLCLI01", l.Explanation);
        }

        [Fact]
        public void CertificateAcrossRecords_IsOneArrow_HelloRetry_TwoClientHellos_Ssl2_AndPlainText()
        {
            var large = Of("real/tls12-large-certificate.client.log");
            var cert = Assert.Single(large.Steps, s => s.Code == "Certificate");
            Assert.Contains(cert.Details, d => d.StartsWith("(continued in the record of line", StringComparison.Ordinal));
            Assert.Equal(13, large.Arrows); // 14 records, one the rest of the Certificate message

            var retry = Of("real/tls13-hello-retry.client.log");
            Assert.Equal(2, retry.Steps.Count(s => s.Code == "ClientHello"));
            Assert.Equal(LadderTone.Warning, Assert.Single(retry.Steps, s => s.Code == "HelloRetryRequest").Tone);

            var ssl2 = Of("spec/sslv2-session.client.log");
            Assert.Equal(new[] { "ClientHello", "ServerHello", "Certificate", "ClientMasterKey" }, ssl2.Steps.Where(s => s.Kind == LadderStepKind.Message).Select(s => s.Code));
            Assert.Equal(9, ssl2.Arrows);

            var plain = Of("real/plain-http-answer.client.log");
            var bytes = plain.Steps.Single(s => s.IsArrow && !s.FromCft);
            Assert.Equal(LadderTone.Bad, bytes.Tone);
            Assert.Contains("HTML", bytes.Label);
            Assert.StartsWith("Failed: not_tls", plain.Outcome);
        }

        [Fact]
        public void Text_FitsItsWidth_AsciiIsAscii_ColoursOnlyAddSequences()
        {
            foreach (var fixture in new[] { "real/tls12-ecdhe-rsa-mutual.server.log", "real/tls12-unknown-ca.client.log", "real/tls13-hello-retry.client.log", "spec/sslv2-session.client.log", "real/tls12-hostile-subject.client.log" })
            {
                var l = Of(fixture);
                foreach (int width in new[] { 40, 79, 120 })
                {
                    var lines = LadderText.Render(l, width).ToList();
                    Assert.All(lines, x => Assert.True(x.Length <= width, fixture + " at " + width + ": " + x));
                    // the lifelines frame every row of the ladder: each row between the first and the last is the full width
                    int top = lines.FindIndex(x => x.Contains('┬')), bottom = lines.FindIndex(x => x.Contains('┴'));
                    Assert.True(top > 0 && bottom > top);
                    for (int i = top; i <= bottom; i++) Assert.Equal(width, lines[i].Length);
                    var ascii = LadderText.Render(l, width, ascii: true).ToList();
                    Assert.All(ascii, x => Assert.True(x.All(c => c >= 0x20 && c <= 0x7E), x));
                    Assert.Equal(lines.Count, ascii.Count);
                    var colored = LadderText.Render(l, width, color: true).ToList();
                    Assert.Contains(colored, x => x.Contains('\u001b'));
                    Assert.Equal(lines, colored.Select(x => Regex.Replace(x, "\u001b\\[[0-9;]*m", "")));
                }
            }
        }

        [Fact]
        public void Text_OfAKnownSession_ReadsAsALadder()
        {
            var lines = LadderText.Render(Of("real/tls12-unknown-ca.client.log"), 79).ToList();
            Assert.Equal("20000c PARTNER08 client TLS 1.2 Failed 2026-11-24 09:45:33", lines[0]);
            Assert.Equal("             CFT client SSLCLI01                               PARTNER08 server", lines[1]);
            Assert.Contains("             │─ ClientHello TLS 1.2, 28 suites ──────────────────────────────▶│", lines);
            Assert.Contains("             │◀───────────────────────────────────────────── ServerHelloDone ─│", lines);
            Assert.Contains("             ✖ CFTY13E SSL Handshake local error [UNKNOWN_CA] CR=48           │", lines);
            Assert.Contains("             ✖ Failed: unknown_ca (48): server cert not trusted", lines);
        }

        [Fact]
        public void Clean_MakesControlCharactersVisible()
        {
            Assert.Equal("CN=a\\x1B[31mb\\x07", Ladder.Clean("CN=a\u001b[31mb\u0007"));
            Assert.Equal("x\uFFFDy", Ladder.Clean("x\uD800y"));
            Assert.Equal("plain", Ladder.Clean("plain"));
        }

        [Fact]
        public void Mermaid_OneMessagePerArrow_MarkupFromTheWireEscaped()
        {
            var l = Of("real/tls12-hostile-subject.client.log");
            var lines = LadderMermaid.Render(l).ToList();
            Assert.Equal("sequenceDiagram", lines[3]);
            Assert.Equal("    participant CFT as CFT client SSLCLI01", lines[4]);
            Assert.Equal(l.Arrows, lines.Count(x => Regex.IsMatch(x, @"^    (CFT|P)(->>|-->>|-x)(CFT|P): ")));
            Assert.Contains(lines, x => x.StartsWith("    CFT-xP: ", StringComparison.Ordinal) && x.Contains("unknown_ca"));
            string all = string.Join("\n", lines);
            Assert.Contains("CN=#34;#60;script#62;alert(cft)#60;/script#62;#34;", all);
            Assert.DoesNotContain("<script", all);
            Assert.DoesNotContain("<img", all);
            // the text of every statement: entities and line breaks only, no character Mermaid or HTML would read
            foreach (var x in lines.Skip(4))
            {
                string text = x.Substring(x.IndexOf(": ", StringComparison.Ordinal) < 0 ? x.IndexOf(" as ", StringComparison.Ordinal) + 4 : x.IndexOf(": ", StringComparison.Ordinal) + 2);
                Assert.DoesNotMatch("[<>;#&\"]", Regex.Replace(text.Replace("<br/>", " "), "#[0-9]+;", ""));
            }
        }

        [Fact]
        public void Svg_IsWellFormed_OneArrowElementPerArrow_TextEscaped()
        {
            foreach (var fixture in new[] { "real/tls12-ecdhe-rsa-mutual.server.log", "real/tls12-hostile-subject.client.log", "real/tls13-mutual.client.log" })
            {
                var l = Of(fixture);
                var svg = XElement.Parse(LadderSvg.Render(l, "t1"));
                XNamespace ns = "http://www.w3.org/2000/svg";
                Assert.Equal("img", (string)svg.Attribute("role"));
                Assert.Equal(l.Arrows.ToString(), (string)svg.Attribute("data-arrows"));
                var arrows = svg.Elements(ns + "g").Where(g => ((string)g.Attribute("class")).StartsWith("arrow", StringComparison.Ordinal)).ToList();
                Assert.Equal(l.Arrows, arrows.Count);
                Assert.All(arrows, a => Assert.NotNull(a.Element(ns + "title")));
                Assert.Empty(svg.Descendants().Where(e => e.Name.LocalName == "script" || e.Name.LocalName == "img" || e.Name.LocalName == "foreignObject"));
                Assert.NotNull(svg.Element(ns + "desc"));
            }
            var hostile = XElement.Parse(LadderSvg.Render(Of("real/tls12-hostile-subject.client.log"), "h"));
            Assert.Contains(hostile.Descendants().Select(e => (string)e), t => t.Contains("<script>alert(cft)</script>"));
        }
    }
}
