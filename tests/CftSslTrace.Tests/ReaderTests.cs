using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>Line reading and trace-line understanding, on variants of real traces.</summary>
    public class ReaderTests
    {
        private static string Doc => File.ReadAllText(Fixtures.PathOf("doc/doc-simple-auth-client.log"));

        private static List<CftSslSession> Read(byte[] bytes, List<TraceDiagnostic> diags = null)
        {
            var r = new SessionReader("bytes.log") { Diagnostic = d => diags?.Add(d) };
            using var ms = new MemoryStream(bytes);
            return r.ReadAll(ms).ToList();
        }

        private static string Describe(CftSslSession s)
            => s.Ctx + "|" + s.Role + "|" + s.Result + "|" + s.CipherSuiteId + "|" + string.Join(",", s.Frames.Select(f => f.Direction + ":" + f.Messages + ":" + f.Length + ":" + f.CapturedLength));

        [Theory]
        [InlineData("utf8-lf")]
        [InlineData("utf8-bom-crlf")]
        [InlineData("utf16le-bom")]
        [InlineData("utf16be-bom")]
        [InlineData("latin1")]
        public void Encodings_AndLineEndings_ReadTheSame(string variant)
        {
            string text = Doc.Replace("LOOPSSL1", "DÉPÔT01");
            var expected = Describe(Read(Encoding.UTF8.GetBytes(text)).Single());
            byte[] bytes = variant switch
            {
                "utf8-lf" => Encoding.UTF8.GetBytes(text),
                "utf8-bom-crlf" => Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n"))).ToArray(),
                "utf16le-bom" => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text.Replace("\n", "\r\n"))).ToArray(),
                "utf16be-bom" => Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray(),
                _ => Encoding.Latin1.GetBytes(text),
            };
            var s = Read(bytes).Single();
            Assert.Equal(expected, Describe(s));
            Assert.Equal("DÉPÔT01", s.Partner);
            Assert.Equal(new DateTime(2011, 4, 21, 11, 23, 41), s.StartTime);
        }

        [Theory]
        [InlineData("00 11/04/21 11:23:41 ", 2011, 4, 21, 11, 23, 41, 0)]
        [InlineData("11/04/21 11:23:41.5 ", 2011, 4, 21, 11, 23, 41, 500)]
        [InlineData("01 26/11/24 09:06:41.96 ", 2026, 11, 24, 9, 6, 41, 960)]
        [InlineData("2026-11-24 09:06:41.963 ", 2026, 11, 24, 9, 6, 41, 963)]
        [InlineData("2026-11-24T09:06:41 host01 cft[123]: ", 2026, 11, 24, 9, 6, 41, 0)]
        [InlineData("[24/11/2026 09:06:41] ", 2026, 11, 24, 9, 6, 41, 0)]
        [InlineData("cftlog:12: ", 0, 0, 0, 0, 0, 0, 0)]
        [InlineData("", 0, 0, 0, 0, 0, 0, 0)]
        public void Prefixes_AnyTextBeforeTheCode_TimeKeptWhenReadable(string prefix, int y, int mo, int d, int h, int mi, int s, int ms)
        {
            var session = Fixtures.SessionsFromText(prefix + "CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=1\n").Single();
            var line = Assert.Single(session.Events);
            Assert.Equal("CFTY19I", line.Code);
            Assert.StartsWith("PART=P1", line.Text);
            Assert.Equal("P1", session.Partner);
            if (y == 0) Assert.Null(line.Time);
            else Assert.Equal(new DateTime(y, mo, d, h, mi, s).AddMilliseconds(ms), line.Time);
        }

        [Fact]
        public void AHugeLineWithoutLineEnd_IsCutInPieces_AndTheRestIsRead()
        {
            // 5 MB of binary-looking data without a line feed, then a session: memory stays bounded, the session is read
            var junk = new byte[5 << 20];
            new Random(3).NextBytes(junk);
            for (int i = 0; i < junk.Length; i++) if (junk[i] == (byte)'\n') junk[i] = 0;
            var bytes = junk.Concat(Encoding.UTF8.GetBytes("\n" + Doc)).ToArray();
            var lines = 0;
            int longest = 0;
            using (var ms = new MemoryStream(bytes))
            {
                var reader = new LineReader(ms);
                while (reader.Read()) { lines++; longest = Math.Max(longest, reader.LineLength); }
            }
            Assert.True(longest <= LineReader.MaxLineBytes);
            var s = Read(bytes).Single();
            Assert.Equal("200005", s.Ctx);
            Assert.Equal(SessionResult.Established, s.Result);
        }

        [Fact]
        public void ALongLineThatEnds_IsNotSaidToLackALineEnd_AndTheLinesAfterItKeepTheirNumbers()
        {
            // a line of 1.5 MiB with its line end, then the documentation's session: one warning that says what it is
            var big = new string('x', 3 << 19);
            var bytes = Encoding.UTF8.GetBytes("00 26/11/24 11:00:00.00 CFTT99I " + big + "\n" + Doc);
            var diagnostics = new List<TraceDiagnostic>();
            var s = Fixtures.SessionsFromText(Encoding.UTF8.GetString(bytes), diagnostics).Single();
            var d = Assert.Single(diagnostics);
            Assert.Equal(DiagnosticKind.LineTooLong, d.Kind);
            Assert.Equal(1, d.Line);
            Assert.Contains("a line of 1.5 MiB, longer than 1 MiB: read in pieces", d.Message);
            Assert.DoesNotContain("without a line end", d.Message);
            Assert.Equal(2, s.FirstLine); // the line after it is line 2, not the number of its pieces plus one
            // the same line at the end of the file, without a line end
            diagnostics.Clear();
            s = Fixtures.SessionsFromText(Doc + "00 26/11/24 11:00:00.00 " + big + big, diagnostics).Single();
            d = Assert.Single(diagnostics);
            Assert.Contains("a line of 3 MiB without a line end before the end of the file", d.Message);
            Assert.Equal(SessionResult.Established, s.Result);
        }

        [Fact]
        public void ContinuationLines_AreRejoined()
        {
            string text = "00 26/11/24 10:00:00 CFTY19I PART=PARTNER1 SSL=SSLCLI opening client session CTX=200001 on task PID=9\n"
                + "00 26/11/24 10:00:01 CFTY14I CTX=200001 PART=PARTNER1 SSL=SSLCLI client session established VERS\n"
                + "00 26/11/24 10:00:01 CFTY14I+ION=TLSv1.2 CIPHER=49199 AUTH=BOTH\n"
                + "00 26/11/24 10:00:02 CFTY11I CTX=200001 PART=PARTNER1 SSL=SSLCLI Closing client SSL session\n";
            var s = Fixtures.SessionsFromText(text).Single();
            var est = s.Events.Single(e => e.Code == "CFTY14I");
            Assert.Equal("TLSv1.2", est.Get("VERSION"));
            Assert.Equal("BOTH", est.Get("AUTH"));
            Assert.Equal("TLS 1.2", s.Version);
            Assert.Equal(49199, s.CipherSuiteId);
            Assert.Equal("Mutual", s.Authentication);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal(3, s.Events.Count);
        }

        [Theory]
        [InlineData("ndata()_ 47 HANDSHAKE DATA RECEIVED FROM NETWORK", TraceDirection.Received, 47, "ndata")]
        [InlineData("ndata () _ DATA RECEIVED FROM HANDSHAKE 1458 NETWORK", TraceDirection.Received, 1458, "ndata")]
        [InlineData("_ 47 ndata() RECEIVED FROM NETWORK HANDSHAKE DATA", TraceDirection.Received, 47, "ndata")]
        [InlineData("SSLact()_ 58 HANDSHAKE DATA SENDING", TraceDirection.Sent, 58, "SSLact")]
        [InlineData("SSLact () _ SENDING DATA 1458 HANDSHAKE", TraceDirection.Sent, 1458, "SSLact")]
        [InlineData("PDataRq()_165 APPLICATION DATA SENDING", TraceDirection.Sent, 165, "PDataRq")]
        [InlineData("SSLact()_ 7 ALERT DATA SENDING", TraceDirection.Sent, 7, "SSLact")]
        [InlineData("ndata()_ 9", TraceDirection.Received, 9, "ndata")]
        public void DataHeaders_AreUnderstoodByKeywordsInAnyOrder(string text, TraceDirection dir, int count, string function)
        {
            var t = TraceLineParser.ParseTraceBody(">> CTX=200003 " + text);
            Assert.Equal(TraceLineKind.DataHeader, t.Kind);
            Assert.Equal("200003", t.Ctx);
            Assert.Equal(dir, t.Direction);
            Assert.Equal(count, t.Count);
            Assert.Equal(function, t.Function?.Trim());
        }

        [Theory]
        [InlineData("sslact()_ 58 handshake data sending", TraceDirection.Sent, 58, "SSLact", "HANDSHAKE")]
        [InlineData("NDATA()_ 31 Alert Data Received from network", TraceDirection.Received, 31, "ndata", "ALERT")]
        [InlineData("xSSLact()_ 12 xchange DATA sendingx", TraceDirection.Sent, 12, "xSSLact", "CHANGE")]
        public void DataHeaders_KeywordsAreFoundWhateverTheirCase_AndInsideWords(string text, TraceDirection dir, int count, string function, string kind)
        {
            var t = TraceLineParser.ParseTraceBody(">> CTX=200003 " + text);
            Assert.Equal(TraceLineKind.DataHeader, t.Kind);
            Assert.Equal(dir, t.Direction);
            Assert.Equal(count, t.Count);
            Assert.Equal(function, t.Function);
            Assert.Equal(kind, t.DataKind);
        }

        [Theory]
        [InlineData("16030100 35010000 3103014D AECAB8AD >....5...1..M....<", "160301003501000031030" + "14DAECAB8AD")]
        [InlineData("1BE73E6D CE>...m.<", "1BE73E6DCE")]
        [InlineData("000A0009 00010002 0100 >..........<", "000A00090001000201 00")]
        [InlineData("74463CDE D8 >tF<..<", "74463CDED8")]
        [InlineData("16030100 2A020000", "160301002A020000")]
        public void DumpLines_BytesComeFromTheHexGroups_NeverTheAsciiColumn(string text, string hex)
        {
            var t = TraceLineParser.ParseTraceBody(">> CTX=200003 " + text);
            Assert.Equal(TraceLineKind.Dump, t.Kind);
            Assert.Equal(hex.Replace(" ", ""), Convert.ToHexString(t.Bytes));
        }

        [Theory]
        [InlineData("HANDSHAKE DONE SUCCESSFULLY")]
        [InlineData("DONE SUCCESSFULLY HANDSHAKE")]
        [InlineData("cftpki()_ PHASE EndSession")]
        public void OtherTraceLines_AreEvents(string text)
        {
            var t = TraceLineParser.ParseTraceBody(">> CTX=200003 " + text);
            Assert.Equal(TraceLineKind.Event, t.Kind);
            Assert.Equal(text, t.Message);
        }

        [Fact]
        public void DumpsBeforeAnyDataHeader_AreKeptAndReported()
        {
            // the session's first data header is lost: its dump lines have no direction
            var diags = new List<TraceDiagnostic>();
            var text = string.Join("\n", Doc.Split('\n').Where(l => !l.Contains("SSLact()_ 58")));
            var s = Fixtures.SessionsFromText(text, diags).Single();
            var d = Assert.Single(diags);
            Assert.Equal(2, d.Line);
            Assert.Contains("without a data header", d.Message);
            var unknown = s.Frames.First();
            Assert.Equal(TraceDirection.Unknown, unknown.Direction);
            Assert.Equal("Unrecognized", unknown.ContentType);
            Assert.Equal(58, unknown.CapturedLength);
            Assert.Equal(58, unknown.GetBytes().Length);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal("ServerHello", s.Frames[1].Messages);
        }

        [Fact]
        public void UnrelatedAndUnknownLines_AreCounted_NotAttached()
        {
            var busy = File.ReadAllBytes(Fixtures.PathOf("real/busy.log"));
            var reader = new SessionReader("busy.log");
            using var ms = new MemoryStream(busy);
            var sessions = reader.ReadAll(ms).ToList();
            Assert.Equal(5, sessions.Count);
            Assert.Equal(1, reader.Statistics.UnrecognizedLines); // "---- log switched ..."
            Assert.True(reader.Statistics.OtherCftLines >= 2);   // CFTT13I, CFTI18I, CFTT75E, CFTH11E
            Assert.Equal(0, reader.Statistics.MalformedLines);
            Assert.Equal(reader.Statistics.Lines, File.ReadAllLines(Fixtures.PathOf("real/busy.log")).Length);
            Assert.All(sessions, s => Assert.DoesNotContain(s.Events, e => e.Code.StartsWith("CFTT") || e.Code.StartsWith("CFTH") || e.Code.StartsWith("CFTI")));
        }

        [Fact]
        public void BusyLog_InterleavedSessions_ReusedCtx_MissingOpening()
        {
            var sessions = Fixtures.Sessions("real/busy.log");
            var byStart = sessions.OrderBy(s => s.FirstLine).Select(s => s.Ctx).ToList();
            Assert.Equal(new[] { "20a001", "20a002", "20a003" }, byStart.Take(3).OrderBy(c => c)); // concurrent
            Assert.Equal(new[] { "20a001", "20a004" }, byStart.Skip(3));
            var reused = sessions.Where(s => s.Ctx == "20a001").OrderBy(s => s.FirstLine).ToList();
            Assert.Equal("PARTNER02", reused[0].Partner);
            Assert.Equal("TLS 1.2", reused[0].Version);
            Assert.Equal("Mutual", reused[0].Authentication);
            Assert.Equal("PARTNER01", reused[1].Partner);
            Assert.Equal("TLS 1.0", reused[1].Version);
            Assert.True(reused[0].LastLine < reused[1].FirstLine);
            var orphan = sessions.Single(s => s.Ctx == "20a004");
            Assert.True(orphan.OpeningMissing);
            Assert.Equal(SessionRole.Client, orphan.Role); // from its closing line and its ClientHello
            Assert.Equal("PARTNER09", orphan.Partner);
            Assert.Equal(SessionResult.Failed, orphan.Result);
            Assert.Contains(orphan.Notes, n => n.Contains("no opening line"));
            var ca = sessions.Single(s => s.Ctx == "20a002");
            Assert.Equal("unknown_ca", ca.Failure.Name);
            Assert.All(sessions.Where(s => s != orphan), s => Assert.False(s.OpeningMissing));
            Assert.All(sessions, s => Assert.DoesNotContain(s.Frames, f => f.Truncated));
        }

        [Fact]
        public void ClosedSessions_AreReturnedBeforeTheEndOfTheInput()
        {
            // streaming: the first session comes out while later lines are still unread
            var lines = File.ReadAllLines(Fixtures.PathOf("real/busy.log"), Encoding.Latin1);
            var reader = new SessionReader("busy.log");
            long firstOut = -1;
            for (int i = 0; i < lines.Length && firstOut < 0; i++)
                if (reader.FeedLine(i + 1, lines[i]).Count > 0) firstOut = i + 1;
            Assert.True(firstOut > 0 && firstOut < lines.Length - 100, "first session returned at line " + firstOut + " of " + lines.Length);
        }

        [Fact]
        public void TruncatedDumpInsideARecordSpanningBlocks_TheFollowingRecordsStillDecode()
        {
            // The server's Certificate record of a real session, dumped in two blocks; the first block cut short.
            var real = Fixtures.Sessions("real/tls12-rsa-aes256-sha256.client.log").Single();
            var certFrame = real.Frames.Single(f => f.Messages == "Certificate");
            var rec = certFrame.GetBytes();
            string ctx = "200777";
            var sb = new StringBuilder();
            sb.Append("CFTY19I PART=P SSL=S opening client session CTX=" + ctx + " on task PID=1\n");
            void Block(string header, byte[] bytes, int announce)
            {
                sb.Append("CFTY02Z>> CTX=" + ctx + " " + header.Replace("{n}", announce.ToString()) + "\n");
                for (int i = 0; i < bytes.Length; i += 16)
                    sb.Append("CFTY02Z>> CTX=" + ctx + " " + string.Join(" ", Enumerable.Range(0, (Math.Min(16, bytes.Length - i) + 3) / 4).Select(g => Convert.ToHexString(bytes, i + g * 4, Math.Min(4, Math.Min(16, bytes.Length - i) - g * 4)))) + "\n");
            }
            var ch = real.Frames[0].GetBytes();
            Block("SSLact()_ {n} HANDSHAKE DATA SENDING", ch, ch.Length);
            // first 700 bytes announced, only 100 dumped; the other 600 missing; then the rest of the record in a second block
            Block("ndata()_ {n} HANDSHAKE DATA RECEIVED FROM NETWORK", rec.Take(100).ToArray(), 700);
            Block("ndata()_ {n} HANDSHAKE DATA RECEIVED FROM NETWORK", rec.Skip(700).ToArray(), rec.Length - 700);
            var shd = real.Frames.Single(f => f.Messages == "ServerHelloDone").GetBytes();
            Block("ndata()_ {n} HANDSHAKE DATA RECEIVED FROM NETWORK", shd, shd.Length);
            var s = Fixtures.SessionsFromText(sb.ToString()).Single();
            Assert.Equal(new[] { "ClientHello", "Certificate", "ServerHelloDone" }, s.Frames.Select(f => f.Messages));
            var cf = s.Frames[1];
            Assert.True(cf.Truncated);
            Assert.Equal(certFrame.Length, cf.Length);
            Assert.Equal(100, cf.CapturedLength);
            var cm = Assert.IsType<CertificateMessage>(cf.HandshakeMessages.Single());
            Assert.True(cm.Truncated);
            Assert.True(cm.Certificates.Single().Truncated);
            Assert.False(s.Frames[2].Truncated);
        }

        [Fact]
        public void SslV2CompatibleClientHello_IsDecoded()
        {
            // SSLv2-format hello offering TLS 1.0 with three suites (0x00002F, 0x00000A, SSL2 RC4-MD5) - as old clients send it.
            var body = new List<byte> { 0x01, 0x03, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x2F, 0x00, 0x00, 0x0A, 0x01, 0x00, 0x80 };
            body.AddRange(Enumerable.Range(1, 16).Select(i => (byte)i));
            var rec = new List<byte> { (byte)(0x80 | (body.Count >> 8)), (byte)body.Count };
            rec.AddRange(body);
            string text = "CFTY20I PROT=PESITSSL SSL=SRV opening server session CTX=210001 on task PID=1\n"
                + "CFTY02Z>> CTX=210001 ndata()_ " + rec.Count + " HANDSHAKE DATA RECEIVED FROM NETWORK\n"
                + "CFTY02Z>> CTX=210001 " + Convert.ToHexString(rec.ToArray()) + "\n";
            var s = Fixtures.SessionsFromText(text).Single();
            var f = s.Frames.Single();
            Assert.Equal("SSL 2.0", f.Version);
            var ch = Assert.IsType<ClientHelloMessage>(f.HandshakeMessages.Single());
            Assert.True(ch.IsSslV2Format);
            Assert.Equal("TLS 1.0", ch.ClientVersion);
            Assert.Equal(new[] { "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "SSL2_RC4_128_WITH_MD5" }, ch.CipherSuites.Select(c => c.Name));
            Assert.Equal(TlsPeer.Client, ch.Sender);
        }

        [Fact]
        public void AnyInput_NeverThrows_AndLosesNoReadableSession()
        {
            // Mutations of real traces: lines dropped, cut, duplicated, bytes flipped. The reader must not throw.
            var rnd = new Random(1234);
            var files = Directory.GetFiles(Fixtures.PathOf("real"), "*.log").Concat(Directory.GetFiles(Fixtures.PathOf("doc"), "*.log")).ToList();
            for (int round = 0; round < 200; round++)
            {
                var lines = File.ReadAllLines(files[rnd.Next(files.Count)], Encoding.Latin1).ToList();
                int edits = rnd.Next(1, 20);
                for (int e = 0; e < edits && lines.Count > 0; e++)
                {
                    int i = rnd.Next(lines.Count);
                    switch (rnd.Next(5))
                    {
                        case 0: lines.RemoveAt(i); break;
                        case 1: lines[i] = lines[i].Substring(0, rnd.Next(lines[i].Length + 1)); break;
                        case 2: lines.Insert(i, lines[rnd.Next(lines.Count)]); break;
                        case 3:
                            var chars = lines[i].ToCharArray();
                            if (chars.Length > 0) chars[rnd.Next(chars.Length)] = "0123456789ABCDEFXZ> =<"[rnd.Next(22)];
                            lines[i] = new string(chars);
                            break;
                        case 4: lines[i] = new string(lines[i].Reverse().ToArray()); break;
                    }
                }
                var text = string.Join(rnd.Next(2) == 0 ? "\n" : "\r\n", lines);
                var sessions = Read(Encoding.Latin1.GetBytes(text));
                foreach (var s in sessions)
                {
                    Assert.NotNull(s.Problem);
                    foreach (var f in s.Frames) { Assert.NotNull(f.Summary); Assert.NotNull(f.Messages); }
                }
            }
        }
    }
}
