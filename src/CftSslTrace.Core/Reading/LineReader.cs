using System;
using System.IO;
using System.Text;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Streams the lines of a log as byte ranges in one reused buffer, without a string per line and without loading the
    /// file. Line ends are what Get-Content accepts: LF, CRLF, and CR alone. Encodings: UTF-8 (with or without BOM) and
    /// Latin-1/ANSI line by line as they are; UTF-16 and UTF-32 with a byte-order mark, UTF-16 without one (detected, with
    /// a warning), or any encoding the caller names, are transcoded to UTF-8 on the fly. A line longer than
    /// <see cref="MaxLineBytes"/> (a binary file, a log without line ends) is read in pieces of that size, all with the
    /// line's number, so memory stays bounded and the lines after it keep their numbers.
    /// </summary>
    public sealed class LineReader
    {
        public const int MaxLineBytes = 1 << 20;
        private const int InitialBuffer = 1 << 18;
        private const int SniffBytes = 4096;

        private readonly Stream source;
        private Stream stream;
        private byte[] buffer;
        private int start, end;
        private bool eof, sniffed;
        private bool mixedLineEnds;
        // mixed line ends: the first LF at or after lfFrom (-1: none before lfEnd), searched once for the lines it spans,
        // not for each line (a file of CR line ends has no LF: each search would cross the whole buffer); lfEnd -1: unknown
        private int lfAt, lfFrom, lfEnd = -1;
        private long sourceRead;
        private readonly Encoding requested;

        /// <param name="stream">The log.</param>
        /// <param name="encoding">Null: detect (UTF-8/Latin-1, BOMs, UTF-16 without BOM); otherwise read the file in this encoding.</param>
        /// <param name="length">The bytes the stream holds when it cannot tell (-1: unknown, or ask the stream).</param>
        /// <param name="buffer">
        /// Room to read into that the caller no longer uses (the buffer of a reader that has ended: a history of many files
        /// reads them all in one), or null: a new one, sized for the input (<see cref="BufferSize"/>). Either grows when a
        /// line needs more.
        /// </param>
        public LineReader(Stream stream, Encoding encoding = null, long length = -1, byte[] buffer = null)
        {
            source = stream ?? throw new ArgumentNullException(nameof(stream));
            this.stream = stream;
            requested = encoding;
            if (buffer != null && buffer.Length >= 2 * SniffBytes) this.buffer = buffer;
            else this.buffer = new byte[BufferSize(length < 0 ? Remaining(stream) : length)]; // a small input gets a small buffer
        }

        /// <summary>The room a reader takes for an input of this many bytes (-1: unknown).</summary>
        public static int BufferSize(long length) => length < 0 ? InitialBuffer : (int)Math.Min(InitialBuffer, Math.Max(2 * SniffBytes, length + 16));

        /// <summary>Bytes left to read in a stream, or -1 when it cannot tell.</summary>
        public static long Remaining(Stream stream)
        {
            try { return stream.CanSeek ? Math.Max(0, stream.Length - stream.Position) : -1; }
            catch (NotSupportedException) { return -1; }
            catch (IOException) { return -1; }
        }

        /// <summary>The buffer holding the current line.</summary>
        public byte[] Buffer => buffer;
        /// <summary>Offset of the current line in <see cref="Buffer"/>.</summary>
        public int LineStart { get; private set; }
        /// <summary>Length of the current line, without its line end.</summary>
        public int LineLength { get; private set; }
        /// <summary>1-based number of the current line.</summary>
        public long Number { get; private set; }
        /// <summary>The current line is the last piece of a line longer than <see cref="MaxLineBytes"/>, read in pieces.</summary>
        public bool LongLineEnded { get; private set; }
        /// <summary>With <see cref="LongLineEnded"/>: the whole line's length in bytes, and whether a line end ended it (else the input did).</summary>
        public long LongLineLength { get; private set; }
        public bool LongLineTerminated { get; private set; }
        private long longLength;
        private bool inLongLine;
        /// <summary>How the bytes are read: "UTF-8", "UTF-16LE (byte-order mark)"...</summary>
        public string EncodingName { get; private set; } = "UTF-8";
        /// <summary>Set when the file looks like another encoding than the one used: what to do about it.</summary>
        public string EncodingWarning { get; private set; }
        /// <summary>Bytes consumed from the underlying stream (for progress).</summary>
        public long BytesRead => source.CanSeek ? SafePosition() : sourceRead;

        private long SafePosition()
        {
            try { return source.Position; } catch (IOException) { return sourceRead; } catch (NotSupportedException) { return sourceRead; }
        }

        /// <summary>Moves to the next line; false at the end of the input.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public bool Read()
        {
            LongLineEnded = false;
            if (!sniffed) Sniff();
            while (true)
            {
                if (start < end)
                {
                    int stop = mixedLineEnds ? FindMixedEnd(out int terminator) : FindLfEnd(out terminator);
                    if (stop >= 0)
                    {
                        Take(stop, stop + terminator, true);
                        return true;
                    }
                }
                if (eof)
                {
                    // the last line, without a line end (its CRs were seen by the searches above)
                    if (start >= end)
                    {
                        if (inLongLine) EndLongLine(false); // the input ended right after a piece
                        return false;
                    }
                    Take(end, end, false);
                    return true;
                }
                if (start > 0)
                {
                    System.Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                    lfEnd = -1;
                }
                if (end >= MaxLineBytes)
                {
                    // no line end within MaxLineBytes: that much is a piece of its own, with the line's number
                    bool first = !inLongLine;
                    LineStart = start;
                    LineLength = MaxLineBytes;
                    start = MaxLineBytes;
                    if (first) { Number++; inLongLine = true; longLength = 0; }
                    longLength += MaxLineBytes;
                    return true;
                }
                if (end == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes + InitialBuffer));
                int n = ReadSome(buffer, end, buffer.Length - end);
                if (n <= 0) eof = true; else end += n;
            }
        }

        private void Take(int stop, int next, bool terminated)
        {
            LineStart = start;
            LineLength = stop - start;
            start = next;
            if (inLongLine)
            {
                longLength += LineLength;
                EndLongLine(terminated);
                return;
            }
            Number++;
        }

        private void EndLongLine(bool terminated)
        {
            inLongLine = false;
            LongLineEnded = true;
            LongLineLength = longLength;
            LongLineTerminated = terminated;
        }

        /// <summary>LF (or CRLF) files: one vectorised search for the line end, one for a lone CR within the line.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private int FindLfEnd(out int terminator)
        {
            terminator = 1;
            int nl = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            int stop = nl < 0 ? end : nl;
            if (nl > start && buffer[nl - 1] == (byte)'\r') { stop--; terminator = 2; }
            else if (nl < 0 && !eof && stop > start && buffer[stop - 1] == (byte)'\r') stop--; // a CRLF the next read completes
            if (stop > start && Array.IndexOf(buffer, (byte)'\r', start, stop - start) >= 0)
            {
                // a lone CR ends a line, as Get-Content and StreamReader read it: read the rest of the file as mixed
                mixedLineEnds = true;
                return FindMixedEnd(out terminator);
            }
            return nl < 0 ? -1 : stop;
        }

        /// <summary>CR, LF and CRLF line ends mixed (or CR alone, as old Mac files and some exports have).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private int FindMixedEnd(out int terminator)
        {
            terminator = 1;
            int nl = NextLf();
            int limit = nl < 0 ? end : nl;
            int cr = Array.IndexOf(buffer, (byte)'\r', start, limit - start);
            if (cr >= 0)
            {
                if (cr + 1 < end) { if (buffer[cr + 1] == (byte)'\n') terminator = 2; return cr; }
                if (eof) return cr;
                return -1; // a CR at the end of the buffer: wait for the next byte (CRLF split across reads)
            }
            return nl;
        }

        /// <summary>The first LF at or after <see cref="start"/>, or -1: known from an earlier search while the buffer holds the same bytes.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private int NextLf()
        {
            if (lfEnd == end && start >= lfFrom && (lfAt < 0 || lfAt >= start)) return lfAt;
            lfAt = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            lfFrom = start;
            lfEnd = end;
            return lfAt;
        }

        private int ReadSome(byte[] b, int offset, int count)
        {
            int n = stream.Read(b, offset, count);
            if (n > 0 && ReferenceEquals(stream, source)) sourceRead += n;
            return n;
        }

        /// <summary>Reads the first bytes and decides how to read the file: BOMs, UTF-16 without BOM, EBCDIC, line ends.</summary>
        private void Sniff()
        {
            sniffed = true;
            while (end < SniffBytes && !eof)
            {
                int n = ReadSome(buffer, end, SniffBytes - end);
                if (n <= 0) eof = true; else end += n;
            }
            int bom = 0;
            Encoding transcode = null;
            if (requested != null)
            {
                var pre = requested.GetPreamble();
                if (pre.Length > 0 && end >= pre.Length && AsciiBytes.Same(buffer, 0, pre, 0, pre.Length)) bom = pre.Length;
                if (requested.CodePage != 65001) transcode = requested;
                EncodingName = requested.WebName;
            }
            else if (StartsWith(0xEF, 0xBB, 0xBF)) { bom = 3; EncodingName = "UTF-8 (byte-order mark)"; }
            else if (StartsWith(0xFF, 0xFE, 0x00, 0x00)) { bom = 4; transcode = new UTF32Encoding(false, false); EncodingName = "UTF-32LE (byte-order mark)"; }
            else if (StartsWith(0x00, 0x00, 0xFE, 0xFF)) { bom = 4; transcode = new UTF32Encoding(true, false); EncodingName = "UTF-32BE (byte-order mark)"; }
            else if (StartsWith(0xFF, 0xFE)) { bom = 2; transcode = Encoding.Unicode; EncodingName = "UTF-16LE (byte-order mark)"; }
            else if (StartsWith(0xFE, 0xFF)) { bom = 2; transcode = Encoding.BigEndianUnicode; EncodingName = "UTF-16BE (byte-order mark)"; }
            else
            {
                var utf16 = LooksLikeUtf16(buffer, end);
                if (utf16 != null)
                {
                    transcode = utf16;
                    EncodingName = utf16.CodePage == 1200 ? "UTF-16LE (no byte-order mark)" : "UTF-16BE (no byte-order mark)";
                    EncodingWarning = "the file looks like " + (utf16.CodePage == 1200 ? "UTF-16LE" : "UTF-16BE") + " without a byte-order mark and is read as such; use -Encoding "
                        + (utf16.CodePage == 1200 ? "Unicode" : "BigEndianUnicode") + " to say so, or -Encoding to name another encoding";
                }
                else if (LooksLikeEbcdic(buffer, end))
                    EncodingWarning = "the file looks like EBCDIC (a z/OS log transferred in binary): no line can be read; read it with -Encoding IBM1047 (or the code page of the system that wrote it, e.g. IBM037), or transfer it in text mode";
            }
            if (transcode != null)
            {
                stream = new TranscodingStream(new PrefixedStream(buffer, bom, end, new CountingStream(source, this)), transcode);
                buffer = new byte[InitialBuffer];
                start = end = 0;
                lfEnd = -1;
                eof = false;
                mixedLineEnds = true; // transcoded input is rare: accept every kind of line end without probing
                return;
            }
            start = bom;
            // Line ends: a lone CR in the first bytes means CR or mixed line ends for this file.
            for (int i = start; i < end; i++)
            {
                if (buffer[i] == (byte)'\r' && i + 1 < end && buffer[i + 1] != (byte)'\n') { mixedLineEnds = true; break; }
            }
        }

        private bool StartsWith(params int[] bytes)
        {
            if (end < bytes.Length) return false;
            for (int i = 0; i < bytes.Length; i++) if (buffer[i] != bytes[i]) return false;
            return true;
        }

        /// <summary>UTF-16 text of ASCII characters has a zero in every other byte; UTF-8 and ANSI logs have none.</summary>
        internal static Encoding LooksLikeUtf16(byte[] b, int length)
        {
            int pairs = length / 2;
            if (pairs < 8) return null;
            int evenZero = 0, oddZero = 0;
            for (int i = 0; i + 1 < length; i += 2)
            {
                if (b[i] == 0) evenZero++;
                if (b[i + 1] == 0) oddZero++;
            }
            if (oddZero > pairs * 4 / 10 && evenZero < pairs / 20) return Encoding.Unicode;
            if (evenZero > pairs * 4 / 10 && oddZero < pairs / 20) return Encoding.BigEndianUnicode;
            return null;
        }

        /// <summary>EBCDIC: no LF, and "CFT" in EBCDIC (C3 C6 E3).</summary>
        private static bool LooksLikeEbcdic(byte[] b, int length)
        {
            if (Array.IndexOf(b, (byte)'\n', 0, length) >= 0) return false;
            for (int i = 0; i + 2 < length; i++) if (b[i] == 0xC3 && b[i + 1] == 0xC6 && b[i + 2] == 0xE3) return true;
            return false;
        }

        /// <summary>Counts what the transcoder reads from the source, for progress on streams that cannot seek.</summary>
        private sealed class CountingStream : ReadOnlyStream
        {
            private readonly Stream inner;
            private readonly LineReader owner;
            public CountingStream(Stream inner, LineReader owner) { this.inner = inner; this.owner = owner; }
            public override int Read(byte[] buffer, int offset, int count) { int n = inner.Read(buffer, offset, count); if (n > 0) owner.sourceRead += n; return n; }
        }
    }
}
