using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CsCheck;
using Xunit;
using Xunit.Abstractions;
using static CftSslTrace.Tests.HistoryLogs;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The files of one command are one history, as CFT wrote it across its log switches: any cut of a real multi-session
    /// log into files, in any names, some compressed (gzip of one or two members, zip entries), reads exactly as the whole
    /// (sessions, frames, results, warnings; every object naming its file and line); files are ordered by their first
    /// time, or by name in natural order when their lines carry no time.
    /// </summary>
    public class HistoryTests
    {
        private readonly ITestOutputHelper output;
        public HistoryTests(ITestOutputHelper output) { this.output = output; }

        private static int Iterations => int.Parse(Environment.GetEnvironmentVariable("CFTSSLTRACE_HISTORY_ITER") ?? "100");

        /// <summary>Cuts the log's lines into k pieces at line boundaries drawn from the seed; names, storage drawn too.</summary>
        private static List<Piece> Cut(int lineCount, int k, int seed, bool dated)
        {
            var rnd = new Random(seed);
            var cuts = new SortedSet<int>();
            while (cuts.Count < Math.Min(k - 1, lineCount - 1)) cuts.Add(rnd.Next(1, lineCount));
            var bounds = new List<int> { 0 };
            bounds.AddRange(cuts);
            bounds.Add(lineCount);
            var pieces = new List<Piece>();
            // names: dated logs get names whose order is not the time order; undated ones cftlog1..cftlogN (natural order, not ordinal)
            var numbers = Enumerable.Range(1, bounds.Count - 1).ToList();
            if (dated) numbers = numbers.OrderBy(_ => rnd.Next()).ToList();
            string archive = "archive-" + rnd.Next(1000) + ".zip";
            for (int i = 0; i + 1 < bounds.Count; i++)
            {
                var storage = (Storage)rnd.Next(4);
                if (rnd.Next(3) != 0) storage = Storage.Plain;
                string name = (dated ? "cftlog-" + numbers[i] * 7919 % 10007 : "cftlog" + numbers[i]);
                pieces.Add(new Piece
                {
                    First = bounds[i], Count = bounds[i + 1] - bounds[i], Storage = storage, Archive = archive,
                    Name = storage == Storage.GZip || storage == Storage.GZipTwoMembers ? name + ".gz" : name,
                });
            }
            if (!dated)
            {
                // entries of one zip are ordered by their names too: the archive's entries keep the natural order only if
                // the archive holds a run of consecutive pieces whose names sort after the files before them; keep undated
                // cuts to plain and gzip files
                foreach (var p in pieces.Where(p => p.Storage == Storage.Zip)) p.Storage = Storage.Plain;
            }
            return pieces;
        }

        private void CheckCutsReadAsTheWhole(bool dated, int iterations)
        {
            string whole = Log(dated);
            var lines = Lines(whole);
            var reference = Read(new[] { whole });
            string expected = Canon(reference, new Dictionary<string, long> { [whole] = 0, [Path.GetFileName(whole)] = 0 });
            Assert.True(reference.Sessions.Count >= 20, reference.Sessions.Count + " sessions");
            if (dated)
            {
                // the gap: sessions returned idle, and the later lines of one of them
                Assert.Contains(reference.Sessions, s => s.EndedBy == SessionEnd.Idle);
                Assert.Contains(reference.Sessions, s => s.ContinuesFrom != null);
            }
            output.WriteLine((dated ? "dated" : "undated") + " log: " + lines.Count + " lines, " + reference.Sessions.Count + " sessions, " + reference.Frames.Count + " frames, " + reference.Diagnostics.Count + " warnings");
            Gen.Select(Gen.Int[1, 50], Gen.Int).Sample((k, seed) =>
            {
                var pieces = Cut(lines.Count, k, seed, dated);
                string dir = Write(lines, pieces);
                try
                {
                    var files = Directory.GetFiles(dir).OrderBy(_ => seed ^ _.GetHashCode()).ToList(); // any order of the inputs
                    var cut = Read(files, threads: seed % 3);
                    string actual = Canon(cut, Offsets(dir, pieces));
                    if (actual != expected)
                    {
                        var a = actual.Split('\n');
                        var e = expected.Split('\n');
                        int i = 0;
                        while (i < a.Length && i < e.Length && a[i] == e[i]) i++;
                        throw new Exception("k=" + k + " seed=" + seed + ": first difference at line " + i + "\n  whole: " + (i < e.Length ? e[i] : "(end)") + "\n  cut:   " + (i < a.Length ? a[i] : "(end)")
                            + "\n  pieces: " + string.Join(", ", pieces.Select(p => p.Name + "[" + p.First + "+" + p.Count + " " + p.Storage + "]")));
                    }
                    Assert.DoesNotContain(cut.Diagnostics, d => d.Kind == DiagnosticKind.SameLog || d.Kind == DiagnosticKind.Overlap);
                }
                finally { Directory.Delete(dir, true); }
            }, iter: iterations, threads: 1);
        }

        [Fact]
        public void AHistoryOfManyFiles_CostsLittleMoreThanTheWholeLog()
        {
            // forty switched files of the generated log: each is read in the line buffer of the one before it, its first
            // lines probed in a small buffer, without a file stream's buffer of its own (each took some 400 KB of its own:
            // a line buffer up to 256 KB, a probe's of 256 KB, file streams' of 64 KB; .NET collected its whole heap every
            // few files)
            string whole = Log(dated: true);
            var lines = Lines(whole);
            var pieces = Cut(lines.Count, 40, 11, dated: true);
            foreach (var p in pieces)
            {
                p.Storage = Storage.Plain;
                if (p.Name.EndsWith(".gz", StringComparison.Ordinal)) p.Name = p.Name.Substring(0, p.Name.Length - 3);
            }
            string dir = Write(lines, pieces);
            try
            {
                var files = Directory.GetFiles(dir);
                long Allocated(string[] paths)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    int n = SessionReader.ReadFiles(paths, null, new SessionReaderOptions { Threads = 1 }).Count();
                    Assert.True(n >= 20, n + " sessions");
                    return GC.GetAllocatedBytesForCurrentThread() - before;
                }
                Allocated(new[] { whole });
                Allocated(files);
                long one = Allocated(new[] { whole }), many = Allocated(files);
                long perFile = (many - one) / files.Length;
                output.WriteLine("the whole log: " + one + " bytes allocated; " + files.Length + " files: " + many + " (" + perFile + " more per file)");
                Assert.True(perFile < 48 << 10, perFile + " bytes more per file");
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void AnyCutIntoFiles_ReadsAsTheWholeLog()
            => CheckCutsReadAsTheWhole(dated: true, Iterations);

        [Fact]
        public void AnyCutOfALogWithoutTimes_ReadsAsTheWhole_FilesInNaturalOrder()
            => CheckCutsReadAsTheWhole(dated: false, Math.Max(10, Iterations / 2));

        [Fact]
        public void ASessionAcrossTheSwitch_NamesTheFileAndLineWhereItStartsAndEnds()
        {
            var lines = Lines(Log(true));
            int cut = lines.Count / 3;
            var pieces = new List<Piece>
            {
                new Piece { First = 0, Count = cut, Name = "cftlog.1", Storage = Storage.Plain },
                new Piece { First = cut, Count = lines.Count - cut, Name = "cftlog", Storage = Storage.Plain },
            };
            string dir = Write(lines, pieces);
            try
            {
                var r = Read(Directory.GetFiles(dir));
                var across = r.Sessions.Where(s => s.File != s.LastFile).ToList();
                Assert.NotEmpty(across);
                foreach (var s in across)
                {
                    Assert.EndsWith("cftlog.1", s.File);
                    Assert.EndsWith("cftlog", s.LastFile);
                    Assert.Contains(s.Notes, n => n.Contains("the last line in cftlog.1; the session goes on in cftlog from its line"));
                    Assert.Contains(s.Frames.Concat(r.Frames.Where(f => f.SessionId == s.SessionId)), f => f.File.EndsWith("cftlog.1"));
                }
                // the frames of such a session name the second file for the records read there
                Assert.Contains(r.Frames, f => across.Any(s => s.SessionId == f.SessionId) && f.File.EndsWith(Path.DirectorySeparatorChar + "cftlog"));
                Assert.Contains(r.Notes, n => n.StartsWith("files ordered by the time of their first dated line: cftlog.1 ("));
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void AGapLongerThanTheIdleRuleBetweenTwoFiles_EndsTheOpenSessions()
        {
            // two files ten minutes apart: the sessions open at the end of the first are returned idle, as in one file
            var first = File.ReadAllLines(Fixtures.PathOf("real/tls12-ecdhe-rsa-mutual.client.log"));
            int half = first.Length / 2;
            string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-gap-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            try
            {
                File.WriteAllLines(Path.Combine(dir, "a.log"), first.Take(half));
                // the new file starts with a line of no session, fourteen minutes later: the clock moves on, the session is idle
                File.WriteAllLines(Path.Combine(dir, "b.log"), new[] { "00 26/11/24 09:59:30.00 CFTT13I Session parameters <PART=PARTNER02 PROT=PESITSSL SAP=1761 HOST=127.0.0.1>" }
                    .Concat(first.Skip(half).Select(l => l.Replace("26/11/24 09:45", "26/11/24 09:59"))));
                var r = Read(Directory.GetFiles(dir));
                Assert.Equal(2, r.Sessions.Count);
                Assert.Equal(SessionEnd.Idle, r.Sessions[0].EndedBy);
                Assert.Equal(r.Sessions[0].SessionId, r.Sessions[1].ContinuesFrom);
                // the same lines without the gap: one session across the two files
                File.WriteAllLines(Path.Combine(dir, "b.log"), first.Skip(half));
                r = Read(Directory.GetFiles(dir));
                Assert.Single(r.Sessions);
                Assert.Equal(SessionResult.Established, r.Sessions[0].Result);
                Assert.EndsWith("b.log", r.Sessions[0].LastFile);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void AWarningNamesTheFileAndLineItIsAbout()
        {
            string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-warn-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            try
            {
                var busy = File.ReadAllLines(Fixtures.PathOf("real/busy.log"));
                File.WriteAllLines(Path.Combine(dir, "cftlog.1"), busy.Take(100));
                var second = busy.Skip(100).ToList();
                second.Insert(5, "00 26/11/27 22:15:10.00 CFTY02Z>> CTX=20a0ff 16030100 ZZ010000 DF0303BF >...<");
                File.WriteAllLines(Path.Combine(dir, "cftlog.2"), second);
                var r = Read(Directory.GetFiles(dir));
                var w = Assert.Single(r.Diagnostics, d => d.Kind == DiagnosticKind.DamagedDump);
                Assert.EndsWith("cftlog.2", w.File);
                Assert.Equal(6, w.Line);
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}
