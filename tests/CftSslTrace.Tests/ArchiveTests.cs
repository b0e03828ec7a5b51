using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using Xunit;
using Xunit.Abstractions;
using static CftSslTrace.Tests.HistoryLogs;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Archived logs are read in place (gzip of any number of members, zip entries), with the real gzip and zip tools; a
    /// format that is not read gets a warning naming it; a file that is not a CFT log gets one warning saying what it
    /// looks like; a file given twice or a copy of a log (beside its archive) is read once.
    /// </summary>
    public sealed class ArchiveTests : IDisposable
    {
        private readonly ITestOutputHelper output;
        private readonly string dir;

        public ArchiveTests(ITestOutputHelper output)
        {
            this.output = output;
            dir = Path.Combine(Path.GetTempPath(), "cftssltrace-archive-" + Guid.NewGuid().ToString("N").Substring(0, 10));
            Directory.CreateDirectory(dir);
        }

        public void Dispose() => Directory.Delete(dir, true);

        private static string Find(string program)
            => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

        private bool Tool(string name)
        {
            if (Find(name) != null) return true;
            Assert.True(Environment.GetEnvironmentVariable("CI") == null, name + " is not installed (CI installs it)");
            output.WriteLine(name + " is not installed: this check is not run");
            return false;
        }

        private void Run(string program, string arguments)
        {
            var psi = new ProcessStartInfo(program, arguments) { WorkingDirectory = dir, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            string err = p.StandardError.ReadToEnd();
            p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(60000), program + " did not finish");
            Assert.True(p.ExitCode == 0, program + " " + arguments + ": " + err);
        }

        private string Path_(string name) => Path.Combine(dir, name);

        /// <summary>The generated log cut in n pieces at equal line counts, written as plain files piece1..pieceN.</summary>
        private List<Piece> Pieces(List<byte[]> lines, int n)
        {
            var pieces = new List<Piece>();
            for (int i = 0; i < n; i++)
            {
                int first = lines.Count * i / n, end = lines.Count * (i + 1) / n;
                var p = new Piece { First = first, Count = end - first, Name = "piece" + (i + 1), Storage = Storage.Plain };
                using (var fs = File.Create(Path_(p.Name))) for (int k = first; k < end; k++) fs.Write(lines[k]);
                pieces.Add(p);
            }
            return pieces;
        }

        [Fact]
        public void LogsArchivedWithTheRealGzipAndZip_ReadAsTheWhole()
        {
            if (!Tool("gzip") || !Tool("zip")) return;
            string whole = Log(true);
            var lines = Lines(whole);
            string expected = Canon(Read(new[] { whole }), new Dictionary<string, long> { [whole] = 0, [Path.GetFileName(whole)] = 0 });
            var pieces = Pieces(lines, 6);
            // piece2.gz: gzip; piece3.gz: two members, as `gzip -c a >> b` (or a log compressed piece by piece) makes
            Run("gzip", "piece2");
            pieces[1].Name = "piece2.gz";
            int half = pieces[2].Count / 2;
            File.WriteAllBytes(Path_("p3a"), lines.Skip(pieces[2].First).Take(half).SelectMany(l => l).ToArray());
            File.WriteAllBytes(Path_("p3b"), lines.Skip(pieces[2].First + half).Take(pieces[2].Count - half).SelectMany(l => l).ToArray());
            File.Delete(Path_("piece3"));
            Run("sh", "-c \"gzip -c p3a > piece3.gz && gzip -c p3b >> piece3.gz && rm p3a p3b\"");
            pieces[2].Name = "piece3.gz";
            // pieces 4 and 5 in one zip, with a folder entry
            Directory.CreateDirectory(Path_("sub"));
            File.Move(Path_("piece5"), Path_("sub/piece5"));
            Run("zip", "-q -r logs.zip piece4 sub");
            File.Delete(Path_("piece4"));
            Directory.Delete(Path_("sub"), true);
            pieces[3].Storage = pieces[4].Storage = Storage.Zip;
            pieces[3].Archive = pieces[4].Archive = "logs.zip";
            pieces[4].Name = "sub/piece5";
            var r = Read(Directory.GetFiles(dir));
            Assert.Equal(expected, Canon(r, Offsets(dir, pieces)));
            Assert.Contains(r.Sessions, s => s.File.EndsWith("logs.zip!piece4") || s.LastFile.EndsWith("logs.zip!sub/piece5"));
            output.WriteLine(r.Notes.FirstOrDefault());
        }

        [Fact]
        public void FormatsThatAreNotRead_AreNamed_AndTheOtherFilesGoOn()
        {
            File.Copy(Fixtures.PathOf("real/tls12-unknown-ca.client.log"), Path_("cftlog"));
            File.Copy(Fixtures.PathOf("real/tls12-ecdhe-rsa-mutual.client.log"), Path_("mutual.log"));
            var expectations = new Dictionary<string, string>();
            if (Tool("bzip2")) { Run("bzip2", "-k mutual.log"); expectations["mutual.log.bz2"] = "bzip2"; }
            if (Tool("xz")) { Run("xz", "-k mutual.log"); expectations["mutual.log.xz"] = "xz"; }
            if (Find("zstd") != null) { Run("zstd", "-q mutual.log -o mutual.log.zst"); expectations["mutual.log.zst"] = "Zstandard"; }
            if (Tool("tar")) { Run("tar", "-cf logs.tar mutual.log"); expectations["logs.tar"] = "tar archive"; }
            // a 7-Zip archive's signature (7z is not installed here)
            File.WriteAllBytes(Path_("logs.7z"), new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4 }.Concat(new byte[200]).ToArray());
            expectations["logs.7z"] = "7-Zip";
            File.Delete(Path_("mutual.log"));
            var r = Read(Directory.GetFiles(dir));
            Assert.Single(r.Sessions);
            Assert.Equal("unknown_ca", r.Sessions[0].Failure.Name);
            foreach (var e in expectations)
            {
                var d = Assert.Single(r.Diagnostics, x => x.File.EndsWith(e.Key));
                Assert.Equal(DiagnosticKind.NotRead, d.Kind);
                Assert.Contains(e.Value, d.Message);
                Assert.Contains("not read", d.Message);
                output.WriteLine(d.ToString());
            }
            Assert.Equal(expectations.Count, r.Diagnostics.Count);
        }

        [Fact]
        public void AFileThatIsNotALog_GetsOneWarningSayingWhatItLooksLike()
        {
            File.Copy(Fixtures.PathOf("real/tls12-unknown-ca.client.log"), Path_("cftlog"));
            var rnd = new Random(5);
            var binary = new byte[300000];
            rnd.NextBytes(binary);
            File.WriteAllBytes(Path_("core.dump"), binary);
            File.WriteAllText(Path_("catalina.out"), string.Concat(Enumerable.Range(0, 5000).Select(i => "2026-11-20 10:00:" + (i % 60).ToString("00") + " INFO [main] org.apache.catalina.startup.Catalina.start Server startup in " + i + " ms\n")));
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
            File.WriteAllBytes(Path_("cftlog.ebcdic"), Encoding.GetEncoding(37).GetBytes(File.ReadAllText(Fixtures.PathOf("real/tls12-ecdhe-rsa-mutual.client.log")).Replace("\n", "\u0085")));
            File.WriteAllBytes(Path_("empty.log"), Array.Empty<byte>());
            var r = Read(Directory.GetFiles(dir));
            Assert.Single(r.Sessions);
            var binaryWarning = Assert.Single(r.Diagnostics, d => d.File.EndsWith("core.dump"));
            Assert.Equal(DiagnosticKind.NotALog, binaryWarning.Kind);
            Assert.Contains("binary data", binaryWarning.Message);
            var text = Assert.Single(r.Diagnostics, d => d.File.EndsWith("catalina.out"));
            Assert.Contains("another product's log", text.Message);
            Assert.Contains("first line: '2026-11-20 10:00:00 INFO [main] org.apache.catalina", text.Message);
            Assert.Contains("-Encoding", text.Message);
            var ebcdic = Assert.Single(r.Diagnostics, d => d.File.EndsWith("cftlog.ebcdic"));
            Assert.Contains("EBCDIC", ebcdic.Message);
            Assert.Contains("-Encoding IBM1047", ebcdic.Message);
            Assert.DoesNotContain(r.Diagnostics, d => d.File.EndsWith("empty.log"));
            Assert.Contains(r.Notes, n => n.Contains("empty.log: empty"));
            Assert.Equal(3, r.Diagnostics.Count);
            foreach (var d in r.Diagnostics) output.WriteLine(d.ToString());
        }

        [Fact]
        public void TheSameLogGivenTwice_OrBesideItsArchive_IsReadOnce()
        {
            if (!Tool("gzip")) return;
            string whole = Log(true);
            var single = Read(new[] { whole });
            File.Copy(whole, Path_("cftlog.1"));
            File.Copy(whole, Path_("cftlog.1.bak"));
            Run("gzip", "-k cftlog.1");
            // the same path twice, a copy, and the archive of it: one history of the log
            var r = Read(new[] { Path_("cftlog.1"), Path_("cftlog.1.bak"), Path_("cftlog.1.gz"), Path_("cftlog.1") });
            Assert.Equal(single.Sessions.Select(s => s.ToString() + s.FirstLine + s.LastLine), r.Sessions.Select(s => s.ToString() + s.FirstLine + s.LastLine));
            Assert.Equal(3, r.Diagnostics.Count(d => d.Kind == DiagnosticKind.SameLog));
            var copy = Assert.Single(r.Diagnostics, d => d.File.EndsWith("cftlog.1.bak"));
            Assert.Contains("the same log as cftlog.1", copy.Message);
            Assert.Contains("(it holds nothing else)", copy.Message);
            Assert.Single(r.Diagnostics, d => d.File.EndsWith("cftlog.1.gz") && d.Message.Contains("the same log as cftlog.1"));
            Assert.Single(r.Diagnostics, d => d.Message.Contains("named more than once"));
        }

        [Fact]
        public void ACopyTakenEarlier_BesideTheLogThatWentOn_ReadsAsTheLog()
        {
            string whole = Log(true);
            var lines = Lines(whole);
            var single = Read(new[] { whole });
            string expected = Canon(single, new Dictionary<string, long> { [whole] = 0, [Path.GetFileName(whole)] = 0 });
            // cftlog.copy: the first 60% of the log (a copy taken while CFT wrote it); cftlog: the whole log
            File.WriteAllBytes(Path_("cftlog.copy"), lines.Take(lines.Count * 6 / 10).SelectMany(l => l).ToArray());
            File.Copy(whole, Path_("cftlog"));
            var r = Read(Directory.GetFiles(dir));
            var d = Assert.Single(r.Diagnostics.Where(x => x.Kind == DiagnosticKind.SameLog));
            Assert.EndsWith("cftlog.copy", d.File);
            Assert.Equal(single.Sessions.Count, r.Sessions.Count);
            Assert.Equal(single.Sessions.Select(s => s.ToString() + s.LastLine), r.Sessions.Select(s => s.ToString() + s.LastLine));
            // the other order of names: the shorter copy first, the log's further lines read from the longer one
            File.Move(Path_("cftlog.copy"), Path_("a-copy"));
            r = Read(Directory.GetFiles(dir));
            d = Assert.Single(r.Diagnostics.Where(x => x.Kind == DiagnosticKind.SameLog));
            Assert.EndsWith(Path.DirectorySeparatorChar + "cftlog", d.File);
            Assert.Contains("further line(s) are read", d.Message);
            Assert.Equal(single.Sessions.Select(s => s.ToString() + s.Result + s.Version + s.Frames.Count), r.Sessions.Select(s => s.ToString() + s.Result + s.Version + s.Frames.Count));
        }

        [Fact]
        public void LogsThatOverlapInTime_WithoutBeingCopies_AreSaid()
        {
            // two different logs of the same minutes (the logs of two CFT instances?): both read, and the warning names both
            File.Copy(Fixtures.PathOf("real/tls12-ecdhe-rsa-mutual.client.log"), Path_("node1.log"));
            File.Copy(Fixtures.PathOf("real/tls12-ecdhe-rsa-mutual.server.log"), Path_("node2.log"));
            var r = Read(Directory.GetFiles(dir));
            Assert.Equal(2, r.Sessions.Count);
            var d = Assert.Single(r.Diagnostics);
            Assert.Equal(DiagnosticKind.Overlap, d.Kind);
            Assert.Contains("node1.log", d.Message);
            Assert.EndsWith("node2.log", d.File);
            Assert.Contains("read each with its own command", d.Message);
        }

        [Fact]
        public void GzipMembers_AreFoundAfterEachOther_WhereTheRuntimeStopsAtTheFirst()
        {
            // .NET Framework's GZipStream stops after one member: the members stream finds the next ones itself
            Assert.True(GZipMembers.RuntimeReadsMembers, "this runtime reads every member");
            var rnd = new Random(3);
            foreach (int members in new[] { 1, 2, 5 })
            foreach (int size in new[] { 0, 1, 100, 8192, 65536, 300000 })
            {
                var ms = new MemoryStream();
                var expected = new MemoryStream();
                for (int m = 0; m < members; m++)
                {
                    var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, size / 40 + 1).Select(i => "member " + m + " line " + i + " " + rnd.Next() + "\n")));
                    data = data.Take(size + m + 1).ToArray(); // at least a byte: .NET writes no member for an empty one
                    expected.Write(data);
                    using var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true);
                    gz.Write(data);
                }
                ms.Position = 0;
                using var read = new GZipMembersStream(new OneByOne(ms, rnd), OneMember);
                var got = new MemoryStream();
                read.CopyTo(got, 4096);
                Assert.True(expected.ToArray().SequenceEqual(got.ToArray()), members + " member(s) of " + size + " bytes: " + got.Length + " of " + expected.Length + " bytes read");
                Assert.Equal(members, read.Members);
            }
        }

        /// <summary>
        /// Decompresses one gzip member and stops, as .NET Framework's GZipStream does (this runtime's reads them all):
        /// the header read here, the deflate data by DeflateStream, which reads ahead past the member's end.
        /// </summary>
        private static Stream OneMember(Stream s)
        {
            var h = new byte[10];
            Assert.Equal(10, LogSource.ReadFully(s, h, 10));
            Assert.True(h[0] == 0x1F && h[1] == 0x8B && h[2] == 8, "a gzip header");
            int flags = h[3];
            var b = new byte[2];
            if ((flags & 4) != 0) { LogSource.ReadFully(s, b, 2); LogSource.ReadFully(s, new byte[b[0] | (b[1] << 8)], b[0] | (b[1] << 8)); }
            if ((flags & 8) != 0) while (s.ReadByte() > 0) { }
            if ((flags & 16) != 0) while (s.ReadByte() > 0) { }
            if ((flags & 2) != 0) LogSource.ReadFully(s, b, 2);
            return new DeflateStream(s, CompressionMode.Decompress, leaveOpen: true);
        }

        /// <summary>A stream that hands out its bytes in reads of random sizes (members end anywhere in a read).</summary>
        private sealed class OneByOne : Stream
        {
            private readonly Stream inner;
            private readonly Random rnd;
            public OneByOne(Stream inner, Random rnd) { this.inner = inner; this.rnd = rnd; }
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, rnd.Next(1, 9000)));
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
