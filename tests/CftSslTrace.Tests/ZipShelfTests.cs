using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The entries of a zip archive are read from copies of the archive kept open for the next entry (.NET reads the
    /// whole directory of an archive each time it opens one: opening it for each entry cost the square of their number),
    /// and the copies are closed when the read ends or stops.
    /// Alone: the tests count the copies opened in the process.
    /// </summary>
    [Collection(HeapMeasures.Name)]
    public sealed class ZipShelfTests
    {
        /// <summary>The generated dated log (1 MB) cut into entries of one zip archive, in their order.</summary>
        private static string ZipOfEntries(int entries, out string whole, out string dir)
        {
            whole = HistoryLogs.Log(dated: true);
            var lines = HistoryLogs.Lines(whole);
            var pieces = new List<HistoryLogs.Piece>();
            for (int i = 0; i < entries; i++)
            {
                int first = lines.Count * i / entries, next = lines.Count * (i + 1) / entries;
                pieces.Add(new HistoryLogs.Piece { First = first, Count = next - first, Name = "cftlog-" + i.ToString("D3"), Storage = HistoryLogs.Storage.Zip, Archive = "month.zip" });
            }
            dir = HistoryLogs.Write(lines, pieces);
            return Path.Combine(dir, "month.zip");
        }

        private static string[] Describe(IEnumerable<CftSslSession> sessions)
            => sessions.Select(s => s.Ctx + " " + s.Result + " " + s.Frames.Count + " " + s.Events.Count).ToArray();

        [Fact]
        public void TheEntriesOfAnArchive_AreReadFromAFewCopiesOfIt_AsTheWholeLog_AndTheCopiesAreClosedAfter()
        {
            string zip = ZipOfEntries(60, out string whole, out string dir);
            try
            {
                var expected = Describe(SessionReader.ReadFiles(new[] { whole }));
                int opened = ZipShelf.Opened, open = ZipShelf.Open;
                var actual = Describe(SessionReader.ReadFiles(new[] { zip }));
                Assert.True(expected.Length >= 20, expected.Length + " sessions");
                Assert.Equal(expected, actual);
                // listing, probing and reading sixty entries (one read ahead of the other): three copies at most (121 before)
                Assert.InRange(ZipShelf.Opened - opened, 1, 3);
                Assert.Equal(open, ZipShelf.Open);
            }
            finally { Directory.Delete(dir, true); }
        }

        [Fact]
        public void AReadStoppedEarly_ClosesTheCopiesOfTheArchive()
        {
            string zip = ZipOfEntries(8, out _, out string dir);
            try
            {
                int open = ZipShelf.Open;
                using (var sessions = SessionReader.ReadFiles(new[] { zip }).GetEnumerator())
                {
                    Assert.True(sessions.MoveNext());
                    Assert.True(ZipShelf.Open > open, "the archive is open while its entries are read");
                }
                Assert.Equal(open, ZipShelf.Open);
                // and an archive that holds no log: its copy is closed once it is found so (no read follows)
                using (var z = System.IO.Compression.ZipFile.Open(Path.Combine(dir, "notes.zip"), System.IO.Compression.ZipArchiveMode.Create))
                using (var w = new StreamWriter(z.CreateEntry("notes.txt").Open()))
                    w.Write("not a log\n");
                var history = LogHistory.Open(new[] { Path.Combine(dir, "notes.zip") }, null, _ => { });
                Assert.Empty(history.Sources);
                history.CloseArchives();
                Assert.Equal(open, ZipShelf.Open);
            }
            finally { Directory.Delete(dir, true); }
        }
    }
}
