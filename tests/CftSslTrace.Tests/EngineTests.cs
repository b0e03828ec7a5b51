using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The reading engine's rules on real sessions: when a session without a closing line is returned, how a later line of
    /// its CTX continues it, how many sessions are held, what a session keeps of its application data, how frames stream,
    /// and that one thread and two read the same.
    /// </summary>
    public class EngineTests
    {

        private static readonly Regex Prefix = new Regex(@"^00 \d\d/\d\d/\d\d \d\d:\d\d:\d\d\.\d\d ", RegexOptions.Compiled);

        /// <summary>The lines of a real session without their prefix.</summary>
        internal static List<string> Messages(string fixture)
            => File.ReadAllLines(Fixtures.PathOf("real/" + fixture)).Select(l => Prefix.Replace(l, "")).ToList();

        internal static string WithCtx(string message, string ctx) => Regex.Replace(message, "CTX=[0-9a-f]{6}", "CTX=" + ctx);

        private static List<CftSslSession> Read(string text, SessionReaderOptions options = null, List<TraceDiagnostic> diagnostics = null)
        {
            var reader = new SessionReader("engine.log", options) { Diagnostic = d => diagnostics?.Add(d) };
            using var ms = new MemoryStream(Encoding.UTF8.GetBytes(text));
            return reader.ReadAll(ms).ToList();
        }

        private static string Stamp(DateTime t) => "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " ";

        [Fact]
        public void ASessionWithoutClosingLine_IsReturnedWhenIdle_AndALaterLineContinuesIt()
        {
            // a real established session whose closing line CFT did not write, then 10 minutes of another session,
            // then a late alert of the first CTX
            var first = Messages("tls12-ecdhe-rsa-mutual.client.log").Where(m => !m.StartsWith("CFTY11I")).Select(m => WithCtx(m, "2000aa")).ToList();
            var other = Messages("tls13-server-auth.client.log").Select(m => WithCtx(m, "2000bb")).ToList();
            var t = new DateTime(2026, 11, 24, 9, 0, 0);
            var sb = new StringBuilder();
            foreach (var m in first) { sb.Append(Stamp(t)).Append(m).Append('\n'); t = t.AddMilliseconds(10); }
            t = t.AddMinutes(10);
            foreach (var m in other) { sb.Append(Stamp(t)).Append(m).Append('\n'); t = t.AddMilliseconds(10); }
            sb.Append(Stamp(t)).Append("CFTY02Z>> CTX=2000aa SSLact()_ 31 ALERT DATA SENDING\n");
            sb.Append(Stamp(t)).Append("CFTY02Z>> CTX=2000aa 15030300 1A000000 00000000 01000000 >................<\n");
            sb.Append(Stamp(t)).Append("CFTY02Z>> CTX=2000aa 00000000 00000000 00000000 000000 >...............<\n");

            var sessions = Read(sb.ToString());
            Assert.Equal(new[] { "2000aa", "2000bb", "2000aa" }, sessions.Select(s => s.Ctx));
            var idle = sessions[0];
            Assert.Equal(SessionEnd.Idle, idle.EndedBy);
            Assert.Equal(SessionResult.Established, idle.Result);
            Assert.Contains(idle.Notes, n => n.Contains("idle") && n.Contains("no closing line"));
            // returned while the second session was being read: before the end of the input
            Assert.True(idle.LastLine < sessions[1].FirstLine + other.Count);
            var late = sessions[2];
            Assert.Equal(idle.SessionId, late.ContinuesFrom);
            Assert.Contains(late.Notes, n => n.Contains("continues session " + idle.SessionId));
            Assert.Equal(SessionEnd.EndOfInput, late.EndedBy);
            Assert.Equal(1, late.RecordsSent);
        }

        [Fact]
        public void IdleTimeout_IsAParameter_AndLinesWithoutTimesUseALineCount()
        {
            var a = Messages("tls12-rsa-aes256-sha256.client.log").Where(m => !m.StartsWith("CFTY11I")).Select(m => WithCtx(m, "2000aa"));
            var b = Messages("tls10-rsa-aes128.client.log").Select(m => WithCtx(m, "2000bb")).ToList();
            string text = string.Join("\n", a.Concat(b)) + "\n";
            // no times: 100,000 lines by default, so both sessions run to the end of the input
            Assert.All(Read(text), s => Assert.Equal(SessionEnd.EndOfInput, s.EndedBy == SessionEnd.ClosingLine ? SessionEnd.EndOfInput : s.EndedBy));
            // a session is idle after as many lines without its CTX as the option says
            var sessions = Read(text, new SessionReaderOptions { IdleLines = b.Count / 2 });
            Assert.Equal(SessionEnd.Idle, sessions.Single(s => s.Ctx == "2000aa").EndedBy);
            // and after so much log time
            var t = new DateTime(2026, 11, 24, 9, 0, 0);
            string timed = string.Join("", a.Select(m => Stamp(t) + m + "\n")) + string.Join("", b.Select((m, i) => Stamp(t.AddSeconds(30 + i / 10.0)) + m + "\n"));
            Assert.Equal(SessionEnd.Idle, Read(timed, new SessionReaderOptions { IdleTimeout = TimeSpan.FromSeconds(20) }).Single(s => s.Ctx == "2000aa").EndedBy);
            Assert.Equal(SessionEnd.EndOfInput, Read(timed).Single(s => s.Ctx == "2000aa").EndedBy);
        }

        [Fact]
        public void LinesAfterTheClosingGrace_StartAContinuation_NotPartOfTheClosedSession()
        {
            var s1 = Messages("tls12-rsa-aes256-sha256.client.log").Select(m => WithCtx(m, "2000aa")).ToList();
            var filler = Messages("tls10-rsa-aes128.client.log").Select(m => WithCtx(m, "2000bb")).ToList();
            var lines = new List<string>(s1);
            while (lines.Count < s1.Count + SessionReader.ClosingGraceLines + 10) lines.AddRange(filler.Select(m => m.Replace("CFTY19I", "CFTT99I")));
            lines.Add("CFTY02Z>> CTX=2000aa SSLact()_ 7 ALERT DATA SENDING");
            lines.Add("CFTY02Z>> CTX=2000aa 15030300 020100 >.......<");
            var sessions = Read(string.Join("\n", lines) + "\n").Where(s => s.Ctx == "2000aa").ToList();
            Assert.Equal(2, sessions.Count);
            Assert.Equal(SessionEnd.ClosingLine, sessions[0].EndedBy);
            Assert.DoesNotContain(sessions[0].Frames, f => f.Alert != null);
            Assert.Equal(sessions[0].SessionId, sessions[1].ContinuesFrom);
            Assert.Equal("close_notify", sessions[1].Alerts.Single().Name);
        }

        [Fact]
        public void AtMostMaxOpenSessions_AreHeld()
        {
            var template = Messages("tls12-no-shared-cipher.client.log").Where(m => !m.StartsWith("CFTY11I")).ToList();
            var sb = new StringBuilder();
            for (int i = 0; i < 50; i++) foreach (var m in template) sb.Append(WithCtx(m, (0x300000 + i).ToString("x6"))).Append('\n');
            var sessions = Read(sb.ToString(), new SessionReaderOptions { MaxOpenSessions = 10 });
            Assert.Equal(50, sessions.Count);
            Assert.Equal(40, sessions.Count(s => s.EndedBy == SessionEnd.OpenSessionLimit));
            Assert.All(sessions, s => Assert.Equal(SessionResult.Failed, s.Result));
        }

        [Fact]
        public void ManyInterleavedSessions_AreEachFoundByTheirCtx_ShortOrLong_AndAgainAfterTheyEnd()
        {
            // 600 copies of a real mutual-TLS session interleaved line by line, each starting a line after the previous
            // one (no two lines in a row of one CTX: every line looks its session up among hundreds open, and sessions end
            // while others go on), their CTX of 1 to 9 characters (up to 7 found by number, longer by text); then the same
            // 600 CTX again
            var template = Messages("tls12-ecdhe-rsa-mutual.client.log");
            var single = Read(string.Join("\n", template) + "\n").Single();
            const int count = 600;
            string Ctx(int i) => i.ToString("x", CultureInfo.InvariantCulture).PadLeft(1 + i % 9, '0');
            var sb = new StringBuilder();
            for (int round = 0; round < 2; round++)
                for (int step = 0; step < template.Count + count - 1; step++)
                    for (int i = 0; i < count; i++)
                        if (step - i >= 0 && step - i < template.Count) sb.Append(WithCtx(template[step - i], Ctx(i))).Append('\n');
            var sessions = Read(sb.ToString());
            Assert.Equal(2 * count, sessions.Count);
            for (int round = 0; round < 2; round++)
            {
                var ofRound = sessions.Where(s => s.FirstLine > round * template.Count * count && s.FirstLine <= (round + 1) * template.Count * count).ToList();
                Assert.Equal(Enumerable.Range(0, count).Select(Ctx).OrderBy(c => c, StringComparer.Ordinal), ofRound.Select(s => s.Ctx).OrderBy(c => c, StringComparer.Ordinal));
            }
            Assert.All(sessions, s =>
            {
                Assert.Equal(single.Result, s.Result);
                Assert.Equal(single.CipherSuiteId, s.CipherSuiteId);
                Assert.Equal(single.Frames.Count, s.Frames.Count);
                Assert.Equal(single.HandshakeMessages.Select(m => m.Summary), s.HandshakeMessages.Select(m => m.Summary));
                Assert.Equal(single.ApplicationDataRecords, s.ApplicationDataRecords);
                Assert.Equal(single.Events.Count, s.Events.Count);
                Assert.Null(s.ContinuesFrom);
            });
        }

        /// <summary>
        /// A real session's log <paramref name="count"/> times over, each copy its own CTX (300000 on), read on this thread
        /// after a read of the fixture alone: its sessions, and the bytes the read allocated a session.
        /// </summary>
        private static List<CftSslSession> ReadRepeated(string fixture, string ctx, int count, out long perSession)
        {
            var lines = File.ReadAllLines(Fixtures.PathOf(fixture));
            var sb = new StringBuilder();
            for (int i = 0; i < count; i++)
                foreach (var l in lines) sb.Append(l.Replace("CTX=" + ctx, "CTX=" + (300000 + i).ToString(CultureInfo.InvariantCulture))).Append('\n');
            var bytes = Encoding.ASCII.GetBytes(sb.ToString());
            // a first read of the fixture alone: what a process makes once (registries, caches of the runtime) is not counted
            Assert.NotEmpty(Fixtures.Sessions(fixture));
            var reader = new SessionReader(Path.GetFileName(fixture), new SessionReaderOptions { Threads = 1 });
            var sessions = new List<CftSslSession>();
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (var ms = new MemoryStream(bytes))
                foreach (var s in reader.ReadAll(ms)) sessions.Add(s);
            perSession = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
            Assert.Equal(count, sessions.Count);
            return sessions;
        }

        [Fact]
        public void APartnersSessions_DecodeTheirHandshakes_WithoutCopyingWhatRepeats()
        {
            // the same real mutual-TLS session (client view, two certificates each way) two hundred times, each its own
            // CTX: a message whole in its record is decoded where it is and a certificate seen before is looked up where
            // it is, not copied first (a session allocated 62.9 KB before, 49.8 KB after; a frame of one message also makes its texts without lists);
            // a record read before costs no array either (the cutter cuts it in lent room): 38.7 KB; measured after a read of
            // the fixture alone (what a process makes once not counted): 38.5 KB, 36.9 KB once the record a cutter hands
            // over is one per reader
            const int count = 200;
            var sessions = ReadRepeated("real/tls12-ecdhe-rsa-mutual.client.log", "200002", count, out long perSession);
            Assert.All(sessions, s => Assert.Equal(SessionResult.Established, s.Result));
            Assert.All(sessions, s => Assert.Equal("Mutual", s.Authentication));
            // one decoded certificate for every session that presents it
            Assert.Same(sessions[0].ServerCertificate, sessions[count - 1].ServerCertificate);
            Assert.Equal(sessions[0].ServerCertificate.Thumbprint, sessions[count - 1].ServerCertificate.Thumbprint);
            Assert.True(perSession < 37800, perSession + " bytes allocated a session");
        }

        [Fact]
        public void ALargeCertificateChain_OverTwoRecords_CostsOneArrayASession()
        {
            // the same real session two hundred times (client view, TLS 1.2, a Certificate message of 30,564 bytes over a
            // record of 16,384 bytes and one of 14,184): records read before cost no array (the reader lends the room to
            // cut them in and keeps their bytes once), and the message over two records is put together in one array of
            // its size, decoded where it lies (before: each record's array, then a buffer doubling to 32 KiB and a copy of
            // the message taken out of it: 139.7 KB a session; after: 60.1 KB; 58.6 KB once the record a cutter hands over is
            // one per reader)
            const int count = 200;
            var sessions = ReadRepeated("real/tls12-large-certificate.client.log", "20000a", count, out long perSession);
            var alone = Fixtures.Sessions("real/tls12-large-certificate.client.log").Single();
            foreach (var s in new[] { sessions[0], sessions[count - 1] })
            {
                Assert.Equal(alone.Result, s.Result);
                Assert.Equal(alone.ServerCertificates.Select(c => c.Thumbprint), s.ServerCertificates.Select(c => c.Thumbprint));
                var certificate = s.HandshakeMessages.Single(m => m.Type == "Certificate");
                Assert.Equal(30564, certificate.Length);
                Assert.Equal(30564, certificate.CapturedLength);
                Assert.Null(certificate.DecodeError);
                Assert.Equal(alone.Frames.Select(f => f.Summary), s.Frames.Select(f => f.Summary));
                Assert.Equal(alone.Frames.Select(f => Convert.ToHexString(f.GetBytes())), s.Frames.Select(f => Convert.ToHexString(f.GetBytes())));
            }
            Assert.True(perSession < 59600, perSession + " bytes allocated a session");
        }

        [Fact]
        public void StreamedApplicationData_KeepsEachRecordsOwnHeader()
        {
            // the header of a record whose body is not kept is cut in the cutter's own array: a frame copies it
            var frames = new List<TlsFrame>();
            var reader = new SessionReader("busy.log", new SessionReaderOptions { StreamFrames = true, Threads = 1 });
            reader.FrameReleased = (s, f) => frames.Add(f);
            using (var fs = File.OpenRead(Fixtures.PathOf("real/busy.log")))
                foreach (var s in reader.ReadAll(fs)) { }
            var data = frames.Where(f => f.Messages == "ApplicationData").ToList();
            Assert.True(data.Select(f => f.Length).Distinct().Count() > 3, "application data of several lengths");
            Assert.All(data, f =>
            {
                var b = f.GetBytes();
                Assert.Equal(5, b.Length);
                Assert.Equal(23, b[0]);
                Assert.Equal(f.VersionValue, (b[1] << 8) | b[2]);
                Assert.Equal(f.Length, (b[3] << 8) | b[4]);
            });
        }

        [Fact]
        public void SessionsOfOneDumpLine_AreReadWhole_AndAllocateLittle()
        {
            // a log of one-line sessions (a dump line of a CTX seen once, its first bytes a real ServerHello's): each is a
            // session with one frame of unknown direction; the reader makes little for each (the collector's work, and so
            // the time of such a log, follows what it makes): 2.9 KB a session before the reader learnt to make nothing
            // for empty lists and directions, 1.6 KB after
            const int count = 20000;
            var sb = new StringBuilder();
            for (int i = 0; i < count; i++)
                sb.Append("00 26/11/20 00:00:00.00 CFTY02Z>> CTX=").Append((100000 + i).ToString(CultureInfo.InvariantCulture))
                  .Append(" 16030100 2A020000 26030336 A1BE1AF8 >....*...&..6....<\n");
            var bytes = Encoding.ASCII.GetBytes(sb.ToString());
            int warnings = 0;
            var reader = new SessionReader("oneline.log", new SessionReaderOptions { Threads = 1 }) { Diagnostic = d => warnings++ };
            int sessions = 0, limited = 0;
            CftSslSession first = null;
            long before = GC.GetAllocatedBytesForCurrentThread();
            using (var ms = new MemoryStream(bytes))
                foreach (var s in reader.ReadAll(ms))
                {
                    sessions++;
                    if (s.EndedBy == SessionEnd.OpenSessionLimit) limited++;
                    if (first == null) first = s;
                }
            long perSession = (GC.GetAllocatedBytesForCurrentThread() - before) / count;
            Assert.Equal(count, sessions);
            Assert.Equal(count, warnings);
            Assert.Equal(count - SessionReaderOptions.DefaultMaxOpenSessions, limited);
            var f = Assert.Single(first.Frames);
            Assert.Equal(TraceDirection.Unknown, f.Direction);
            Assert.Equal(16, f.CapturedLength);
            Assert.Equal(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x2A, 0x02, 0x00, 0x00 }, f.GetBytes().Take(8).ToArray());
            Assert.Equal("oneline.log:1:100000", f.SessionId);
            Assert.Equal(SessionResult.Incomplete, first.Result);
            Assert.Empty(first.Events);
            Assert.Empty(first.Transfers);
            Assert.Contains(first.Notes, n => n.Contains("no opening line"));
            Assert.Contains(first.Notes, n => n.Contains("returned early"));
            Assert.True(perSession < 2000, perSession + " bytes allocated a session");
        }

        [Fact]
        public void ASessionCountsItsApplicationData_AndKeepsOnlyItsHandshake()
        {
            var s = Fixtures.Sessions("real/tls12-ecdhe-rsa-mutual.client.log").Single();
            var frames = Fixtures.Frames("real/tls12-ecdhe-rsa-mutual.client.log");
            var app = frames.Where(f => f.Messages == "ApplicationData").ToList();
            Assert.NotEmpty(app);
            Assert.Equal(frames.Count - app.Count, s.Frames.Count);
            Assert.Equal(app.Count, s.ApplicationDataRecords);
            Assert.Equal(app.Where(f => f.Direction == Reading.TraceDirection.Sent).Sum(f => (long)f.Length), s.ApplicationDataSent);
            Assert.Equal(app.Where(f => f.Direction == Reading.TraceDirection.Received).Sum(f => (long)f.Length), s.ApplicationDataReceived);
            Assert.Equal(frames.Count(f => f.Direction == Reading.TraceDirection.Sent), s.RecordsSent);
            Assert.Equal(frames.Where(f => f.Direction == Reading.TraceDirection.Received).Sum(f => (long)f.Length + 5), s.BytesReceived);
            Assert.Equal(app.First().Time, s.FirstApplicationData);
            Assert.Equal(app.Last().Time, s.LastApplicationData);
            // a frame of application data carries its header, not its encrypted body
            Assert.All(app, f => Assert.Equal(5, f.GetBytes().Length));
            Assert.All(s.Frames, f => Assert.Equal(f.CapturedLength, f.GetBytes().Length));
        }

        [Fact]
        public void Frames_StreamInEachSessionsOrder_AndATransferStreamsBeforeItsSessionEnds()
        {
            // one session followed by more application-data records than a session holds before streaming
            var lines = Messages("tls12-rsa-aes256-sha256.client.log").Select(m => WithCtx(m, "2000aa")).ToList();
            int closing = lines.FindIndex(l => l.StartsWith("CFTY11I"));
            var transfer = new List<string>();
            var record = new byte[5 + 64];
            record[0] = 23; record[1] = 3; record[2] = 3; record[4] = 64;
            for (int i = 0; i < FrameStream.HoldLimit + 50; i++)
            {
                transfer.Add("CFTY02Z>> CTX=2000aa PDataRq()_ 20 APPLICATION DATA SENDING");
                for (int off = 0; off < record.Length; off += 16) transfer.Add("CFTY02Z>> CTX=2000aa " + Convert.ToHexString(record, off, Math.Min(16, record.Length - off)));
            }
            lines.InsertRange(closing, transfer);
            int own = Fixtures.Frames("real/tls12-rsa-aes256-sha256.client.log").Count(f => f.Messages == "ApplicationData");
            var reader = new SessionReader("transfer.log", new SessionReaderOptions { StreamFrames = true });
            var seen = new List<TlsFrame>();
            int beforeEnd = -1;
            var stream = new FrameStream(s => true, s => true, false, seen.Add);
            stream.Attach(reader);
            using var ms = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
            foreach (var s in reader.ReadAll(ms)) { beforeEnd = seen.Count; stream.OnSessionEnd(s); }
            Assert.True(beforeEnd > FrameStream.HoldLimit, "frames out before the session ended: " + beforeEnd);
            Assert.Equal(Enumerable.Range(1, seen.Count), seen.Select(f => f.Index));
            Assert.Equal("ClientHello", seen[0].Messages);
            Assert.Equal(FrameStream.HoldLimit + 50 + own, seen.Count(f => f.Messages == "ApplicationData"));
        }

        [Fact]
        public void AFilterOnTheResult_HoldsTheFramesUntilTheSessionEnds()
        {
            var all = Fixtures.Frames("real/busy.log");
            var failed = new List<TlsFrame>();
            var reader = new SessionReader("busy.log", new SessionReaderOptions { StreamFrames = true });
            var stream = new FrameStream(s => true, s => s.Result == SessionResult.Failed, true, failed.Add);
            stream.Attach(reader);
            using (var fs = File.OpenRead(Fixtures.PathOf("real/busy.log")))
                foreach (var s in reader.ReadAll(fs)) stream.OnSessionEnd(s);
            var failedIds = Fixtures.Sessions("real/busy.log").Where(s => s.Result == SessionResult.Failed).Select(s => s.SessionId).ToList();
            Assert.NotEmpty(failedIds);
            Assert.Equal(all.Where(f => failedIds.Contains(f.SessionId)).Select(f => f.SessionId + "#" + f.Index), failed.Select(f => f.SessionId + "#" + f.Index));
        }

        [Fact]
        public void OneThreadAndTwo_ReadTheSame()
        {
            string Describe(int threads)
            {
                var sb = new StringBuilder();
                var reader = new SessionReader("busy.log", new SessionReaderOptions { Threads = threads, StreamFrames = true });
                var stream = new FrameStream(null, null, false, f => sb.Append(f.SessionId).Append(f.Index).Append(f.Summary).Append('\n'));
                stream.Attach(reader);
                // large enough for several batches of lines
                var busy = File.ReadAllBytes(Fixtures.PathOf("real/busy.log"));
                using var ms = new MemoryStream();
                for (int i = 0; i < 12; i++) ms.Write(busy, 0, busy.Length);
                ms.Position = 0;
                foreach (var s in reader.ReadAll(ms)) { stream.OnSessionEnd(s); sb.Append(s.SessionId).Append(s.Result).Append(s.Problem).Append(s.EndedBy).Append('\n'); }
                return sb.ToString();
            }
            string one = Describe(1), two = Describe(2);
            Assert.True(one.Length > 10000);
            Assert.Equal(one, two);
        }

        [Fact]
        public void StoppingEarly_StopsTheReadingThread()
        {
            // Select-Object -First 1, Ctrl+C: the enumerator is disposed mid-file; the reading thread ends at once
            var busy = File.ReadAllBytes(Fixtures.PathOf("real/busy.log"));
            var path = Path.Combine(Path.GetTempPath(), "cftssltrace-stop-" + Guid.NewGuid().ToString("N") + ".log");
            try
            {
                using (var f = File.Create(path)) for (int i = 0; i < 200; i++) f.Write(busy, 0, busy.Length);
                var sw = Stopwatch.StartNew();
                using (var fs = SessionReader.OpenFile(path))
                {
                    var first = new SessionReader(path, new SessionReaderOptions { Threads = 2 }).ReadAll(fs).First();
                    Assert.StartsWith("20a00", first.Ctx);
                }
                File.Delete(path); // the file is no longer in use
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10));
            }
            finally { if (File.Exists(path)) File.Delete(path); }
        }
    }
}
