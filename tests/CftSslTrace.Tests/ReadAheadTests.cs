using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using CftSslTrace.Reading;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// An archive is inflated on a thread of its own, ahead of the reader: the reader gets the same bytes in the same
    /// order, whatever the sizes it asks for, the damage the archive holds is reported where it is, and stopping early
    /// stops the thread.
    /// Alone (no other test reading archives meanwhile): one test counts the read-ahead threads of the process.
    /// </summary>
    [Collection(HeapMeasures.Name)]
    public sealed class ReadAheadTests
    {
        private static byte[] LogBytes(int minimum)
        {
            var one = File.ReadAllBytes(Fixtures.PathOf("real/busy.log"));
            var all = new MemoryStream();
            while (all.Length < minimum) all.Write(one, 0, one.Length);
            return all.ToArray();
        }

        private static byte[] Gzip(byte[] text)
        {
            var ms = new MemoryStream();
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(text, 0, text.Length);
            return ms.ToArray();
        }

        private static byte[] ReadAll(Stream s, Random sizes)
        {
            var result = new MemoryStream();
            var buffer = new byte[70000];
            int n;
            while ((n = s.Read(buffer, 0, sizes == null ? buffer.Length : sizes.Next(1, buffer.Length))) > 0) result.Write(buffer, 0, n);
            return result.ToArray();
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(ReadAheadStream.ChunkSize)]          // ends on a chunk's edge
        [InlineData(ReadAheadStream.ChunkSize * 7 + 13)]
        public void GivesTheBytesOfTheStreamItReads_InOrder_WhateverTheReadSizes(int length)
        {
            var text = LogBytes(length).Take(length).ToArray();
            foreach (var sizes in new[] { null, new Random(length) })
            {
                long stored = 0;
                using var ahead = new ReadAheadStream(new GZipStream(new MemoryStream(Gzip(text)), CompressionMode.Decompress), () => ++stored);
                Assert.Equal(text, ReadAll(ahead, sizes));
                Assert.Equal(0, ahead.Read(new byte[10], 0, 10));
                Assert.True(ahead.StoredRead > 0 || length == 0 && stored > 0);
            }
        }

        [Fact]
        public void ReadsThatEndOnAChunksEdge_WhileTheNextIsNotReady_GetEveryChunkOnce()
        {
            var text = LogBytes(ReadAheadStream.ChunkSize * 12);
            // an inner stream slow at first (the reader finds no chunk ready when it has just finished one), then fast (the
            // thread fills every buffer it is given at once)
            using var ahead = new ReadAheadStream(new SlowStream(new GZipStream(new MemoryStream(Gzip(text)), CompressionMode.Decompress)), () => 0);
            var got = new MemoryStream();
            var buffer = new byte[ReadAheadStream.ChunkSize + 1000];
            int n;
            while ((n = ahead.Read(buffer, 0, buffer.Length)) > 0) got.Write(buffer, 0, n);
            Assert.Equal(text, got.ToArray());
        }

        private sealed class SlowStream : ReadOnlyStream
        {
            private readonly Stream inner;
            public SlowStream(Stream inner) { this.inner = inner; }
            private long read;
            public override int Read(byte[] buffer, int offset, int count)
            {
                if (read < 4 * ReadAheadStream.ChunkSize) System.Threading.Thread.Sleep(2);
                int n = inner.Read(buffer, offset, Math.Min(count, 65536));
                read += n;
                return n;
            }
            protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        }

        [Fact]
        public void DamageInTheArchive_IsThrownAfterTheBytesBeforeIt()
        {
            // two gzip members, the second damaged (its first deflate block of a reserved type), as a damaged archive
            var text = LogBytes(3 << 20);
            var first = Gzip(text.Take(text.Length / 2).ToArray());
            var second = Gzip(text.Skip(text.Length / 2).ToArray());
            second[10] = 0xFF;
            var cut = first.Concat(second).ToArray();
            using var plain = new GZipStream(new MemoryStream(cut), CompressionMode.Decompress);
            var before = new MemoryStream();
            var buffer = new byte[ReadAheadStream.ChunkSize];
            Exception expected = null;
            try { int n; while ((n = plain.Read(buffer, 0, buffer.Length)) > 0) before.Write(buffer, 0, n); }
            catch (Exception e) { expected = e; }

            using var ahead = new ReadAheadStream(new GZipStream(new MemoryStream(cut), CompressionMode.Decompress), () => 0);
            var got = new MemoryStream();
            Exception thrown = null;
            try { int n; while ((n = ahead.Read(buffer, 0, 1000)) > 0) got.Write(buffer, 0, n); }
            catch (Exception e) { thrown = e; }
            Assert.NotNull(expected);
            Assert.Equal(expected.GetType(), thrown?.GetType());
            // every byte the stream gave before its damage, in order (at least what reading it directly gives)
            Assert.True(got.Length >= before.Length, got.Length + " bytes before the damage, " + before.Length + " read directly");
            Assert.Equal(text.Take((int)got.Length), got.ToArray());
            Assert.Equal(0, ahead.Read(buffer, 0, 10)); // nothing after the damage
        }

        [Fact]
        public void AReadStoppedEarly_LeavesNoThreadInflating()
        {
            // an archived log of many sessions, of which the reader takes the first only (Select-Object -First 1)
            var text = LogBytes(8 << 20);
            string path = Path.Combine(Path.GetTempPath(), "cftssltrace-readahead-" + Guid.NewGuid().ToString("N") + ".gz");
            File.WriteAllBytes(path, Gzip(text));
            try
            {
                int before = ReadAheadStream.Live;
                using (var sessions = CftSslTrace.Sessions.SessionReader.ReadFiles(new[] { path }).GetEnumerator())
                {
                    Assert.True(sessions.MoveNext());
                    Assert.True(ReadAheadStream.Live > before, "the archive is read ahead");
                }
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (ReadAheadStream.Live > before && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(10);
                Assert.Equal(before, ReadAheadStream.Live);
            }
            finally { File.Delete(path); }
        }

        /// <summary>The generated dated log (1 MB) cut into files of equal line counts, all gzip, named in their order.</summary>
        private static string CutIntoArchives(int files, out string whole)
        {
            whole = HistoryLogs.Log(dated: true);
            var lines = HistoryLogs.Lines(whole);
            var pieces = new System.Collections.Generic.List<HistoryLogs.Piece>();
            for (int i = 0; i < files; i++)
            {
                int first = lines.Count * i / files, next = lines.Count * (i + 1) / files;
                pieces.Add(new HistoryLogs.Piece { First = first, Count = next - first, Name = "cftlog-" + i.ToString("D3") + ".gz", Storage = HistoryLogs.Storage.GZip });
            }
            return HistoryLogs.Write(lines, pieces);
        }

        private static string[] Describe(System.Collections.Generic.IEnumerable<CftSslTrace.Sessions.CftSslSession> sessions)
            => sessions.Select(s => s.Ctx + " " + s.Result + " " + s.Frames.Count + " " + s.Events.Count).ToArray();

        [Fact]
        public void TheArchivesOfAHistory_AreReadAheadByAThreadOrTwo_AsTheWholeLog()
        {
            // forty switched .gz files: the next archive is opened (its inflating starts) while one is read, by threads
            // that wait a moment for the next stream rather than end (a thread was started and joined for each archive:
            // that cost more than inflating a small one)
            string dir = CutIntoArchives(40, out string whole);
            try
            {
                var expected = Describe(CftSslTrace.Sessions.SessionReader.ReadFiles(new[] { whole }));
                int started = ReadAheadThreads.Started;
                var actual = Describe(CftSslTrace.Sessions.SessionReader.ReadFiles(Directory.GetFiles(dir)));
                int threads = ReadAheadThreads.Started - started;
                Assert.True(expected.Length >= 20, expected.Length + " sessions");
                Assert.Equal(expected, actual);
                if (Environment.ProcessorCount > 1) Assert.InRange(threads, 0, 3);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void AReadStoppedEarly_WhileTheNextArchiveIsReadAhead_LeavesNoThreadInflatingEither()
        {
            // two archived logs of 8 MB: the second is inflated ahead (six chunks, then it waits) while the first is
            // read; the reader takes one session of the first and stops
            var gz = Gzip(LogBytes(8 << 20));
            string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-readahead-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, "cftlog1.gz"), gz);
            File.WriteAllBytes(Path.Combine(dir, "cftlog2.gz"), gz);
            try
            {
                int before = ReadAheadStream.Live;
                using (var sessions = CftSslTrace.Sessions.SessionReader.ReadFiles(Directory.GetFiles(dir)).GetEnumerator())
                {
                    Assert.True(sessions.MoveNext());
                    if (Environment.ProcessorCount > 1)
                    {
                        var wait = DateTime.UtcNow.AddSeconds(10);
                        while (ReadAheadStream.Live < before + 2 && DateTime.UtcNow < wait) System.Threading.Thread.Sleep(10);
                        Assert.True(ReadAheadStream.Live >= before + 2, "both archives read ahead: " + (ReadAheadStream.Live - before));
                    }
                }
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (ReadAheadStream.Live > before && DateTime.UtcNow < deadline) System.Threading.Thread.Sleep(10);
                Assert.Equal(before, ReadAheadStream.Live);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void Disposed_BeforeTheEnd_StopsItsThreadAndClosesTheStream()
        {
            var inner = new GZipStream(new MemoryStream(Gzip(LogBytes(8 << 20))), CompressionMode.Decompress);
            var ahead = new ReadAheadStream(inner, () => 0);
            Assert.Equal(100, ahead.Read(new byte[100], 0, 100));
            ahead.Dispose();
            Assert.Throws<ObjectDisposedException>(() => inner.Read(new byte[1], 0, 1));
            Assert.Throws<ObjectDisposedException>(() => ahead.Read(new byte[1], 0, 1));
        }
    }
}
