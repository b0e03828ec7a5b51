using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// One input of a history: a plain log file, a gzip-compressed one (every member), an entry of a zip archive, or a
    /// stream the caller opened. <see cref="Open"/> gives its text bytes, decompressed as they are read (never the whole
    /// file in memory).
    /// </summary>
    public sealed class LogSource
    {
        /// <summary>Between an archive's path and the name of its entry in <see cref="Name"/>: "logs.zip!cftlog.1".</summary>
        public const string EntrySeparator = "!";

        /// <summary>Opens the text bytes; the argument wraps the stored bytes (to count them) before they are decompressed.</summary>
        private readonly Func<Func<Stream, Stream>, Stream> open;

        private LogSource(string path, string entry, FileFormat format, long storedLength, Func<Func<Stream, Stream>, Stream> open)
        {
            Path = path;
            Entry = entry;
            Format = format;
            StoredLength = storedLength;
            this.open = open;
            Name = entry == null ? path : path + EntrySeparator + entry;
            ShortName = entry == null ? System.IO.Path.GetFileName(path) : System.IO.Path.GetFileName(path) + EntrySeparator + entry;
        }

        /// <summary>The file on disk (the archive for an entry).</summary>
        public string Path { get; }
        /// <summary>The entry of a zip archive, or null.</summary>
        public string Entry { get; }
        /// <summary>How it is stored: Plain, GZip, or Zip (an entry).</summary>
        public FileFormat Format { get; }
        /// <summary>What warnings and sessions name: the path, or "archive.zip!entry".</summary>
        public string Name { get; }
        /// <summary>The file name, or "archive.zip!entry": what identifiers (SessionId) use.</summary>
        public string ShortName { get; }
        /// <summary>Bytes as stored (compressed for an archive), for progress; -1 when unknown.</summary>
        public long StoredLength { get; }

        /// <summary>What the first lines say (set by <see cref="LogProbe"/>).</summary>
        public LogProbe Probe { get; internal set; }

        /// <summary>For an entry of a zip archive: the archive's open copies, kept for its next entry.</summary>
        internal ZipShelf Shelf { get; private set; }

        /// <summary>The text bytes, decompressed; <see cref="SourceStream.StoredRead"/> counts the stored bytes read.</summary>
        /// <param name="readAhead">Inflate an archive on a thread of its own, ahead of the reader (with two processors or more).</param>
        internal SourceStream Open(bool readAhead = false)
        {
            CountingStream counter = null;
            var text = open(stored => counter = new CountingStream(stored));
            if (readAhead && Format != FileFormat.Plain && Environment.ProcessorCount > 1)
            {
                var ahead = new ReadAheadStream(text, () => counter?.Count ?? 0);
                return new SourceStream(ahead, () => ahead.StoredRead, -1);
            }
            return new SourceStream(text, () => counter?.Count ?? 0, Format == FileFormat.Plain ? StoredLength : -1);
        }

        public override string ToString() => Name;

        /// <summary>An input already open (pipeline text, a test's memory stream): read as it is, not owned.</summary>
        public static LogSource FromStream(string name, Stream stream)
        {
            long length = LineReader.Remaining(stream);
            return new LogSource(name, null, FileFormat.Plain, length, wrap => wrap(new NotOwnedStream(stream)));
        }

        /// <summary>
        /// The logs a file holds: itself, its decompressed content (gzip), or each entry of a zip archive (folders left
        /// out). A format that is not read (bzip2, xz, 7z, tar...) is reported through <paramref name="warn"/> and holds
        /// none.
        /// </summary>
        public static List<LogSource> Expand(string path, Action<string, string> warn)
        {
            var result = new List<LogSource>();
            FileFormat format;
            long length;
            using (var fs = OpenFile(path, Unbuffered))
            {
                length = fs.Length;
                var head = new byte[ArchiveFormat.SniffBytes];
                int got = ReadFully(fs, head, head.Length);
                format = ArchiveFormat.Of(head, got);
            }
            switch (format)
            {
                case FileFormat.Plain:
                    int buffer = length < 1 << 20 ? Unbuffered : 1 << 16; // (a large file reads a little faster with one: 9 A/B pairs)
                    result.Add(new LogSource(path, null, FileFormat.Plain, length, wrap => wrap(OpenFile(path, buffer))));
                    break;
                case FileFormat.GZip:
                    result.Add(new LogSource(path, null, FileFormat.GZip, length, wrap => GZipMembers.Open(wrap(OpenFile(path)))));
                    break;
                case FileFormat.Zip:
                    ExpandZip(path, result, warn);
                    break;
                default:
                    warn(path, ArchiveFormat.Advice(format));
                    break;
            }
            return result;
        }

        private static void ExpandZip(string path, List<LogSource> result, Action<string, string> warn)
        {
            var shelf = new ZipShelf(path);
            ZipArchive zip = null;
            try
            {
                zip = shelf.Take();
                int entries = 0;
                foreach (var e in zip.Entries)
                {
                    if (e.FullName.EndsWith("/", StringComparison.Ordinal) || e.FullName.EndsWith("\\", StringComparison.Ordinal)) continue; // a folder
                    entries++;
                    string name = e.FullName;
                    result.Add(new LogSource(path, name, FileFormat.Zip, e.CompressedLength, wrap => OpenEntry(shelf, path, name, wrap)) { Shelf = shelf });
                }
                if (entries == 0)
                {
                    warn(path, "a zip archive without any file: nothing to read");
                    ZipShelf.Discard(zip);
                }
                else shelf.GiveBack(zip); // the copy that listed the entries reads the first
                zip = null;
            }
            catch (InvalidDataException e)
            {
                if (zip != null) ZipShelf.Discard(zip);
                warn(path, "a zip archive that cannot be read (" + e.Message + ")");
            }
            catch
            {
                if (zip != null) ZipShelf.Discard(zip);
                throw;
            }
        }

        private static Stream OpenEntry(ZipShelf shelf, string path, string name, Func<Stream, Stream> wrap)
        {
            var zip = shelf.Take();
            try
            {
                var entry = zip.GetEntry(name) ?? throw new FileNotFoundException("the entry is no longer in the archive", path + EntrySeparator + name);
                var content = wrap(entry.Open());
                // an entry that is itself gzip-compressed (cftlog.1.gz zipped) is read decompressed
                var head = new byte[2];
                int got = ReadFully(content, head, 2);
                Stream text = new PrefixedStream(head, 0, got, content);
                if (got == 2 && head[0] == 0x1F && head[1] == 0x8B) text = GZipMembers.Open(text);
                return new OwningStream(text, content, shelf.Loan(zip));
            }
            catch
            {
                ZipShelf.Discard(zip); // not kept: an entry that failed may leave it anywhere
                throw;
            }
        }

        /// <summary>Opens a log for reading while CFT may still write it (shared read/write/delete, sequential).</summary>
        /// <param name="bufferSize">The stream's own buffer: <see cref="Unbuffered"/> where the reader reads in large pieces.</param>
        public static FileStream OpenFile(string path, int bufferSize = 1 << 16)
            => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize, FileOptions.SequentialScan);

        /// <summary>
        /// No buffer of the file stream's own (1: .NET Framework's smallest, none on .NET): a small plain log is read by a
        /// line reader in pieces of its own, a file's format by a read of a few bytes; a buffer for each would cost more
        /// than the reads of a history of many small files.
        /// </summary>
        public const int Unbuffered = 1;

        internal static int ReadFully(Stream s, byte[] b, int count)
        {
            int got = 0, n;
            while (got < count && (n = s.Read(b, got, count - got)) > 0) got += n;
            return got;
        }

        /// <summary>Disposes what an entry's stream needs (the entry's stream, the archive).</summary>
        private sealed class OwningStream : ReadOnlyStream
        {
            private readonly Stream inner;
            private readonly IDisposable[] owned;
            public OwningStream(Stream inner, params IDisposable[] owned) { this.inner = inner; this.owned = owned; }
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
            protected override void Dispose(bool disposing)
            {
                if (disposing) { inner.Dispose(); foreach (var o in owned) o.Dispose(); }
                base.Dispose(disposing);
            }
        }

        /// <summary>A caller's stream: read, never closed.</summary>
        private sealed class NotOwnedStream : ReadOnlyStream
        {
            private readonly Stream inner;
            public NotOwnedStream(Stream inner) { this.inner = inner; }
            public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        }

        /// <summary>Counts the stored bytes read (compressed for an archive), for progress.</summary>
        internal sealed class CountingStream : ReadOnlyStream
        {
            private readonly Stream inner;
            public CountingStream(Stream inner) { this.inner = inner; }
            public long Count { get; private set; }
            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = inner.Read(buffer, offset, count);
                if (n > 0) Count += n;
                return n;
            }
            protected override void Dispose(bool disposing)
            {
                if (disposing) inner.Dispose();
                base.Dispose(disposing);
            }
        }
    }

    /// <summary>
    /// The text bytes of a <see cref="LogSource"/> (decompressed), with the count of stored bytes read for progress and
    /// the text's length when it is known (a plain file), so that the reader sizes its buffers to a small input.
    /// </summary>
    internal sealed class SourceStream : ReadOnlyStream
    {
        private readonly Stream inner;
        private readonly Func<long> stored;

        internal SourceStream(Stream inner, Func<long> stored, long textLength)
        {
            this.inner = inner;
            this.stored = stored;
            TextLength = textLength;
        }

        /// <summary>Bytes of the stored file read so far (compressed for an archive).</summary>
        public long StoredRead => stored();

        /// <summary>Bytes of text, or -1 when unknown (compressed).</summary>
        public long TextLength { get; }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
