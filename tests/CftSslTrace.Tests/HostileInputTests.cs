using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Export;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Damaged copies of real traces (the cases of the hostile-input issue): each bad field costs at most its line,
    /// nothing silently disappears, nothing is quadratic.
    /// </summary>
    public class HostileInputTests
    {
        private const string RealLog = "real/tls12-ecdhe-rsa-mutual.client.log";

        private static List<CftSslSession> Read(byte[] bytes, List<TraceDiagnostic> diags = null, SessionReaderOptions options = null)
        {
            var r = new SessionReader("damaged.log", options) { Diagnostic = d => diags?.Add(d) };
            using var ms = new MemoryStream(bytes);
            return r.ReadAll(ms).ToList();
        }

        private static string Describe(IEnumerable<CftSslSession> sessions)
            => string.Join("\n", sessions.Select(s => s.Ctx + "|" + s.Role + "|" + s.Result + "|" + s.Version + "|" + s.CipherSuiteId + "|" + s.Authentication + "|"
                + string.Join(",", s.Frames.Select(f => f.Direction + ":" + f.Messages + ":" + f.Length + ":" + f.CapturedLength + ":" + f.Truncated))));

        private static string Real => File.ReadAllText(Fixtures.PathOf(RealLog), Encoding.Latin1);

        [Theory]
        [InlineData("00 00/01/01 10:00:00 ")]          // CFT's own style, year 00 is 2000: a valid date, read as such
        [InlineData("01/01/0000 10:00:00 ")]           // year 0000
        [InlineData("0000-11-24 10:00:00.123 ")]       // ISO, year 0000
        [InlineData("9999-12-31 23:59:59.9999999 ")]   // the last representable instant
        [InlineData("2026-13-45 25:61:61 ")]           // no such month, day, hour, minute, second
        [InlineData("00 26/02/30 10:00:00 ")]          // no 30th of February
        [InlineData("2026-11-24 10:00:00.99999999999999999999 ")] // fraction longer than a tick
        public void AnyDateInAPrefix_CostsAtMostTheTimeOfItsLine(string prefix)
        {
            var lines = Real.Split('\n');
            var expected = Describe(Read(Encoding.Latin1.GetBytes(Real)));
            // every fifth line gets the hostile prefix in place of its own
            for (int i = 0; i < lines.Length; i += 5)
            {
                int code = lines[i].IndexOf("CFTY", StringComparison.Ordinal);
                if (code > 0) lines[i] = prefix + lines[i].Substring(code);
            }
            var diags = new List<TraceDiagnostic>();
            var sessions = Read(Encoding.Latin1.GetBytes(string.Join("\n", lines)), diags);
            Assert.Equal(expected, Describe(sessions));
            Assert.DoesNotContain(diags, d => d.Severity == DiagnosticSeverity.Error);
        }

        [Fact]
        public void OutOfRangeNumbers_CostTheirLineAtMost()
        {
            // counts beyond Int32 and Int64, CTX too long, a cipher number beyond Int32: the session is read
            string text = "CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=99999999999999999999999\n"
                + "CFTY02Z>> CTX=200001 SSLact()_ 99999999999999999999999 HANDSHAKE DATA SENDING\n"
                + "CFTY02Z>> CTX=200001 16030100 05010000 0100 >..........<\n"
                + "CFTY02Z>> CTX=2000010000000000000000000000000000 ndata()_ 2147483648 HANDSHAKE DATA RECEIVED FROM NETWORK\n"
                + "CFTY14I CTX=200001 PART=P1 SSL=S1 client session established VERSION=TLSv1.2 CIPHER=99999999999 AUTH=BOTH\n"
                + "CFTY11I CTX=200001 PART=P1 SSL=S1 Closing client SSL session\n";
            var s = Read(Encoding.ASCII.GetBytes(text)).Single(x => x.Ctx == "200001");
            Assert.Equal("P1", s.Partner);
            Assert.Equal("ClientHello", s.Frames.Single().Messages);
            Assert.Equal(SessionResult.Established, s.Result);
        }

        [Theory]
        [InlineData("9999-12-31 23:59:59.9999999 ")]
        [InlineData("0001-01-01 00:00:00 ")]
        [InlineData("1969-12-31 23:59:59 ")]
        [InlineData("2200-01-01 00:00:00 ")]
        public void PcapExport_OnExtremeTimes_WritesACapture(string prefix)
        {
            string text = string.Concat(Real.Split('\n').Select(l =>
            {
                int code = l.IndexOf("CFTY", StringComparison.Ordinal);
                return code < 0 ? "" : prefix + l.Substring(code) + "\n";
            }));
            var sessions = Read(Encoding.Latin1.GetBytes(text));
            Assert.NotEmpty(sessions);
            foreach (var format in new[] { CaptureFormat.Pcap, CaptureFormat.Pcapng })
            {
                using var ms = new MemoryStream();
                var x = new PcapExporter(ms, format);
                foreach (var s in sessions) x.Write(s);
                Assert.True(x.Packets > sessions.Sum(s => s.Frames.Count));
                Assert.True(ms.Length > 100);
            }
            // from frames too (Get-CftSslFrame | Export-CftSslPcap)
            using (var ms = new MemoryStream())
            {
                var x = new PcapExporter(ms, CaptureFormat.Pcapng);
                foreach (var f in sessions.SelectMany(s => s.Frames)) x.Write(f);
                x.Complete();
                Assert.True(x.Packets > 0);
            }
        }

        [Fact]
        public void ManyContinuationLines_AreCappedWithAWarning_AndTheFollowingLinesRead()
        {
            // 40,000 continuation lines of one message (the 29 s case): the message stops at the cap, a warning
            // says so, the lines after it are read; the work is linear (each continuation line is appended once).
            var sb = new StringBuilder();
            sb.Append("00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=1\n");
            sb.Append("00 26/11/24 10:00:01 CFTY14I CTX=200001 PART=P1 SSL=S1 client session established VERSION=TLSv1.2 CIPHER=47 AUTH=BOTH\n");
            for (int i = 0; i < 40000; i++) sb.Append("00 26/11/24 10:00:01 CFTY14I+ continuation ").Append(i.ToString("D6")).Append(" of a very long message\n");
            sb.Append("00 26/11/24 10:00:02 CFTY11I CTX=200001 PART=P1 SSL=S1 Closing client SSL session\n");
            sb.Append(Real);
            var diags = new List<TraceDiagnostic>();
            var sessions = Read(Encoding.ASCII.GetBytes(sb.ToString()), diags);
            var first = sessions.Single(s => s.Ctx == "200001");
            var est = first.Events.Single(e => e.Code == "CFTY14I");
            Assert.True(est.Text.Length <= LogScanner.MaxMessageBytes, "message of " + est.Text.Length + " characters");
            Assert.Contains("continuation 000000", est.Text);
            Assert.Equal("TLS 1.2", first.Version);
            Assert.Equal(SessionResult.Established, first.Result);
            Assert.Single(diags, d => d.Message.Contains("continued beyond " + LogScanner.MaxMessageBytes / 1024 + " KiB") && d.Line == 1525);
            // the real session after it is whole
            Assert.Equal(Describe(Read(Encoding.Latin1.GetBytes(Real))), Describe(sessions.Where(s => s.Ctx != "200001")));
        }

        [Theory]
        [InlineData("cr")]
        [InlineData("lf")]
        [InlineData("crlf")]
        [InlineData("mixed")]
        [InlineData("crcrlf")]
        public void LineEnds_CrAloneAndMixed_ReadAsGetContentReadsThem(string style)
        {
            var lines = Real.TrimEnd('\n').Split('\n');
            var expected = Describe(Read(Encoding.Latin1.GetBytes(Real)));
            var sb = new StringBuilder();
            for (int i = 0; i < lines.Length; i++)
                sb.Append(lines[i]).Append(style switch { "cr" => "\r", "lf" => "\n", "crlf" => "\r\n", "crcrlf" => "\r\r\n", _ => new[] { "\r", "\n", "\r\n" }[i % 3] });
            var diags = new List<TraceDiagnostic>();
            var sessions = Read(Encoding.Latin1.GetBytes(sb.ToString()), diags);
            Assert.Equal(expected, Describe(sessions));
            Assert.True(sessions.Single().Frames.Count >= 10);
            Assert.Empty(diags);
        }

        [Theory]
        [InlineData("cr")]
        [InlineData("mixed")]
        [InlineData("lf, then cr")]
        [InlineData("cr, then crlf")]
        [InlineData("cr, then mixed")]
        public void LineEnds_OfALogOfManyBuffers_ReadAsGetContentReadsThem_WhateverTheSizeOfEachRead(string style)
        {
            // 3 MB of lines (the reader's buffer is refilled and moved many times), read in pieces of odd sizes, so that
            // a line end falls on every kind of boundary: the lines are StreamReader's (Get-Content's), in order
            var random = new Random(20261204);
            var sb = new StringBuilder();
            int n = 0;
            while (sb.Length < 3 << 20)
            {
                sb.Append((char)('a' + n % 26)).Append(n).Append(' ', random.Next(0, 4)).Append('x', random.Next(0, 400));
                bool firstHalf = sb.Length < 3 << 19;
                sb.Append(style switch
                {
                    "cr" => "\r",
                    "lf, then cr" => firstHalf ? "\n" : "\r",
                    "cr, then crlf" => firstHalf ? "\r" : "\r\n",
                    "cr, then mixed" when firstHalf => "\r",
                    _ => new[] { "\r", "\n", "\r\n", "\r\r\n", "\n\r" }[random.Next(5)],
                });
                n++;
            }
            string text = sb.ToString();
            var expected = new List<string>();
            using (var sr = new StringReader(text)) { string l; while ((l = sr.ReadLine()) != null) expected.Add(l); }
            var bytes = Encoding.ASCII.GetBytes(text);
            foreach (var stream in new Stream[] { new MemoryStream(bytes), new PiecesStream(bytes, random) }) // a file's full reads, then pieces
            {
                var lines = new List<string>();
                var numbers = new List<long>();
                var r = new LineReader(stream);
                while (r.Read()) { lines.Add(Encoding.ASCII.GetString(r.Buffer, r.LineStart, r.LineLength)); numbers.Add(r.Number); }
                Assert.Equal(expected.Count, lines.Count);
                for (int i = 0; i < expected.Count; i++)
                    Assert.True(expected[i] == lines[i] && numbers[i] == i + 1, style + ", " + stream.GetType().Name + ": line " + (i + 1) + " read as " + numbers[i] + " '" + lines[i] + "', expected '" + expected[i] + "'");
            }
        }

        /// <summary>A stream that gives its bytes in reads of random sizes (1 byte to 70 KB), as pipes and archives do.</summary>
        private sealed class PiecesStream : MemoryStream
        {
            private readonly Random random;
            public PiecesStream(byte[] bytes, Random random) : base(bytes) { this.random = random; }
            public override bool CanSeek => false;
            public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, random.Next(0, 3) == 0 ? random.Next(1, 64) : random.Next(1, 70000)));
        }

        [Fact]
        public void TabsForSpaces_ReadAsTheSameSessions()
        {
            // a log whose spaces a tool turned into tabs: the session lines' key=value pairs end at a tab as at a space
            // (PART= ran to the end of the line, and CTX= was never found: "CFTY19I without CTX=" and sessions split)
            var expected = Read(Encoding.Latin1.GetBytes(Real));
            var diags = new List<TraceDiagnostic>();
            var tabbed = Read(Encoding.Latin1.GetBytes(Real.Replace(' ', '\t')), diags);
            Assert.Empty(diags);
            Assert.Equal(Describe(expected), Describe(tabbed));
            Assert.Equal(expected.Select(x => x.Partner + "|" + x.SslProfile), tabbed.Select(x => x.Partner + "|" + x.SslProfile));
        }

        [Theory]
        [InlineData("utf-16LE")]
        [InlineData("utf-16BE")]
        public void Utf16WithoutByteOrderMark_IsReadAndWarned(string encoding)
        {
            var enc = Encoding.GetEncoding(encoding);
            var expected = Describe(Read(Encoding.Latin1.GetBytes(Real)));
            var diags = new List<TraceDiagnostic>();
            var sessions = Read(enc.GetBytes(Real), diags); // GetBytes writes no byte-order mark
            Assert.Equal(expected, Describe(sessions));
            var w = Assert.Single(diags);
            Assert.Equal(DiagnosticSeverity.Warning, w.Severity);
            Assert.Contains("without a byte-order mark", w.Message);
            Assert.Contains("-Encoding", w.Message);
            // told explicitly: read, no warning
            diags.Clear();
            Assert.Equal(expected, Describe(Read(enc.GetBytes(Real), diags, new SessionReaderOptions { Encoding = enc })));
            Assert.Empty(diags);
        }

        [Fact]
        public void WindowsCodePage_GivenAsEncoding_DecodesThePartnerName()
        {
            // a partner name in windows-1252 bytes that are not Latin-1 (0x80 is the euro sign)
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
            var cp = Encoding.GetEncoding(1252);
            string text = Real.Replace("PARTNER", "PART€");
            var s = Read(cp.GetBytes(text), null, new SessionReaderOptions { Encoding = cp }).Single();
            Assert.StartsWith("PART€", s.Partner);
            Assert.Equal(Describe(Read(Encoding.Latin1.GetBytes(Real))), Describe(new[] { s }));
        }

        [Fact]
        public void Ebcdic_IsWarnedWithTheParameterToUse_AndReadWhenTold()
        {
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
            var ebcdic = Encoding.GetEncoding("IBM037");
            var diags = new List<TraceDiagnostic>();
            var none = Read(ebcdic.GetBytes(Real), diags);
            Assert.Empty(none);
            var w = Assert.Single(diags, d => d.Message.Contains("EBCDIC"));
            Assert.Contains("-Encoding IBM", w.Message);
            var told = Read(ebcdic.GetBytes(Real), null, new SessionReaderOptions { Encoding = ebcdic });
            Assert.Equal(Describe(Read(Encoding.Latin1.GetBytes(Real))), Describe(told));
        }
    
        [Fact]
        public void DataHeaderStartingWithItsCount_AfterADumpLineEndingInADigit_KeepsItsCount()
        {
            // found by AFL++: read from a file, the bytes before a header's text belong to the previous line (a dump
            // without its ASCII column ends in a hex digit); the count must not be taken as glued to them
            string text = "CFTY19I PART=P1 SSL=S1 opening client session CTX=200006 on task PID=1\n"
                + "CFTY02Z>> CTX=200006 SSLact()_ 6 HANDSHAKE DATA SENDING\n"
                + "CFTY02Z>> CTX=200006 14030300 0101\n"
                + "CFTY02Z>> CTX=200006 7 ALERT DATA SENDING\n"
                + "CFTY02Z>> CTX=200006 15030300 020228\n";
            var diags = new List<TraceDiagnostic>();
            var fromFile = Read(Encoding.ASCII.GetBytes(text), diags).Single();
            Assert.Empty(diags);
            Assert.Equal(new[] { "ChangeCipherSpec", "Alert" }, fromFile.Frames.Select(f => f.ContentType));
            Assert.Equal(7, fromFile.Frames[1].AnnouncedCount);
        }

        [Theory]
        [InlineData("lone CR inside an LF line", "a\nb\rc\nd\n", new[] { "a", "b", "c", "d" })]
        [InlineData("CR-only lines after the last LF", "a\nb\rc\rd", new[] { "a", "b", "c", "d" })]
        [InlineData("CR CR LF", "a\r\r\nb", new[] { "a", "", "b" })]
        [InlineData("LF CR", "a\n\rb", new[] { "a", "", "b" })]
        [InlineData("final CR", "a\nb\r", new[] { "a", "b" })]
        public void LineEnds_SplitAsGetContentSplitsThem(string what, string text, string[] expected)
        {
            // what StreamReader.ReadLine (Get-Content) makes of the same text, and what the pipeline reader makes of it
            var reference = new List<string>();
            using (var sr = new StringReader(text)) { string l; while ((l = sr.ReadLine()) != null) reference.Add(l); }
            Assert.Equal(expected, reference);
            Assert.Equal(expected, TextLines.Split(text).ToArray());
            var lines = new List<string>();
            using (var ms = new MemoryStream(Encoding.ASCII.GetBytes(text)))
            {
                var r = new LineReader(ms);
                while (r.Read()) lines.Add(Encoding.ASCII.GetString(r.Buffer, r.LineStart, r.LineLength));
            }
            Assert.True(expected.SequenceEqual(lines), what + ": " + string.Join("|", lines));
        }
    
        [Theory]
        [InlineData("\u00e92000063")] // 8 bytes in Latin-1, the first above 0x7F
        [InlineData("\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff")]
        [InlineData("2000063")]       // 7 bytes
        [InlineData("20000633")]      // 8 bytes
        [InlineData("200006332000063320000633")] // longer
        public void AnyCtx_IsOneSession_WhateverItsLengthAndBytes(string ctx)
        {
            // found by AFL++: an 8-byte CTX starting with a byte of 0x80 or more ended the whole read
            string text = "CFTY19I PART=P1 SSL=S1 opening client session CTX=" + ctx + " on task PID=1\n"
                + "CFTY02Z>> CTX=" + ctx + " SSLact()_ 6 HANDSHAKE DATA SENDING\n"
                + "CFTY02Z>> CTX=" + ctx + " 14030300 0101 >......<\n"
                + "CFTY02Z>> CTX=" + ctx + " ndata()_ 7 ALERT DATA RECEIVED FROM NETWORK\n"
                + "CFTY02Z>> CTX=" + ctx + " 15030300 020228 >.......<\n";
            var diags = new List<TraceDiagnostic>();
            var s = Read(Encoding.Latin1.GetBytes(text), diags).Single();
            Assert.Equal(ctx, s.Ctx);
            Assert.Equal(new[] { "ChangeCipherSpec", "Alert" }, s.Frames.Select(f => f.ContentType));
            Assert.Empty(diags);
        }
}
}
