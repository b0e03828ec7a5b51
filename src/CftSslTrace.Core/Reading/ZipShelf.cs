using System;
using System.Collections.Generic;
using System.IO.Compression;
using System.Threading;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// The open copies of one zip archive that its entries are read from, each kept for the next entry once one is read:
    /// .NET reads an archive's whole directory when it opens it (0.4 ms for a thousand entries), so opening it again for
    /// each entry (and again for its probe) cost the square of their number. A copy serves one entry at a time (the next
    /// entry, opened ahead while one is read, takes another). <see cref="Close"/> closes those kept; a copy given back
    /// after it is closed.
    /// </summary>
    internal sealed class ZipShelf
    {
        /// <summary>Copies kept at most: the entry read, the next one read ahead.</summary>
        private const int MaxKept = 2;

        private readonly string path;
        private readonly Stack<ZipArchive> kept = new Stack<ZipArchive>();
        private bool closed;

        private static int opened, open;

        public ZipShelf(string path) { this.path = path; }

        /// <summary>Copies of archives opened in this process, and open now (for the tests).</summary>
        internal static int Opened => Volatile.Read(ref opened);
        internal static int Open => Volatile.Read(ref open);

        /// <summary>An open copy of the archive, for one entry at a time: given back with <see cref="Loan"/>.</summary>
        public ZipArchive Take()
        {
            lock (kept)
            {
                if (kept.Count > 0) return kept.Pop();
            }
            var file = LogSource.OpenFile(path);
            ZipArchive zip;
            try { zip = new ZipArchive(file, ZipArchiveMode.Read); }
            catch
            {
                file.Dispose();
                throw;
            }
            Interlocked.Increment(ref opened);
            Interlocked.Increment(ref open);
            return zip;
        }

        /// <summary>Closes a copy that is not given back (an entry that failed may leave it anywhere).</summary>
        public static void Discard(ZipArchive zip)
        {
            zip.Dispose();
            Interlocked.Decrement(ref open);
        }

        /// <summary>Keeps a copy for the next entry (its entry's stream closed), or closes it.</summary>
        public void GiveBack(ZipArchive zip)
        {
            lock (kept)
            {
                if (!closed && kept.Count < MaxKept)
                {
                    kept.Push(zip);
                    return;
                }
            }
            Discard(zip);
        }

        /// <summary>What gives a copy back when an entry's stream is closed (once).</summary>
        public IDisposable Loan(ZipArchive zip) => new Lent(this, zip);

        /// <summary>Closes the copies kept; those given back later are closed then.</summary>
        public void Close()
        {
            ZipArchive[] copies;
            lock (kept)
            {
                closed = true;
                copies = kept.ToArray();
                kept.Clear();
            }
            foreach (var z in copies) Discard(z);
        }

        private sealed class Lent : IDisposable
        {
            private ZipShelf shelf;
            private readonly ZipArchive zip;
            public Lent(ZipShelf shelf, ZipArchive zip) { this.shelf = shelf; this.zip = zip; }
            public void Dispose()
            {
                var s = shelf;
                shelf = null;
                s?.GiveBack(zip);
            }
        }
    }
}
