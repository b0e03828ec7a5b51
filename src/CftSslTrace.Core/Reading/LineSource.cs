using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CftSslTrace.Reading
{
    /// <summary>A physical line of input with its 1-based number.</summary>
    public struct RawLine
    {
        public RawLine(long number, string text) { Number = number; Text = text; }
        public long Number { get; }
        public string Text { get; }
    }

    /// <summary>
    /// Streams the lines of a log file without loading it: LF or CRLF endings; UTF-16 when the file has a
    /// UTF-16 byte-order mark (Windows PowerShell's Out-File); otherwise each line is UTF-8 when it is valid
    /// UTF-8 and Latin-1 when it is not, so a log mixing both still reads.
    /// </summary>
    public static class LineSource
    {
        private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

        /// <summary>A "line" longer than this (a binary file, a log without line ends) is cut into pieces of this size, so memory stays bounded.</summary>
        public const int MaxLineBytes = 1 << 20;
        private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

        public static IEnumerable<RawLine> Read(Stream stream, Action<long> progress = null)
        {
            var bom = new byte[3];
            int got = FillPrefix(stream, bom);
            if (got >= 2 && ((bom[0] == 0xFF && bom[1] == 0xFE) || (bom[0] == 0xFE && bom[1] == 0xFF)))
                return ReadUtf16(stream, bom, got, progress);
            return ReadBytes(stream, bom, got, progress);
        }

        private static int FillPrefix(Stream stream, byte[] prefix)
        {
            int total = 0;
            while (total < prefix.Length)
            {
                int n = stream.Read(prefix, total, prefix.Length - total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        }

        private static IEnumerable<RawLine> ReadUtf16(Stream stream, byte[] prefix, int got, Action<long> progress)
        {
            var encoding = prefix[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            var combined = new PrefixedStream(prefix, got, stream);
            using (var reader = new StreamReader(combined, encoding, true, 1 << 16))
            {
                long number = 0;
                string line;
                while ((line = reader.ReadLine()) != null)
                {
                    number++;
                    if (progress != null && (number & 0x3FFF) == 0) progress(combined.Position);
                    yield return new RawLine(number, line);
                }
            }
        }

        private static IEnumerable<RawLine> ReadBytes(Stream stream, byte[] prefix, int got, Action<long> progress)
        {
            var buffer = new byte[1 << 16];
            int start = 0, end = 0;
            long consumed = 0, number = 0;
            int skip = got >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF ? 3 : 0;
            Array.Copy(prefix, skip, buffer, 0, got - skip);
            end = got - skip;
            consumed = got;
            bool eof = false;
            while (true)
            {
                int nl = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (nl < 0)
                {
                    if (eof)
                    {
                        if (end > start) { number++; yield return new RawLine(number, Decode(buffer, start, end - start)); }
                        yield break;
                    }
                    // move the partial line to the front, grow if one line exceeds the buffer
                    if (start > 0) { Array.Copy(buffer, start, buffer, 0, end - start); end -= start; start = 0; }
                    if (end >= MaxLineBytes)
                    {
                        number++;
                        yield return new RawLine(number, Decode(buffer, 0, end));
                        end = 0;
                        continue;
                    }
                    if (end == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    int n = stream.Read(buffer, end, buffer.Length - end);
                    if (n <= 0) eof = true; else { end += n; consumed += n; }
                    if (progress != null) progress(consumed);
                    continue;
                }
                int len = nl - start;
                if (len > 0 && buffer[nl - 1] == (byte)'\r') len--;
                number++;
                yield return new RawLine(number, Decode(buffer, start, len));
                start = nl + 1;
            }
        }

        internal static string Decode(byte[] bytes, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++)
            {
                if (bytes[i] >= 0x80)
                {
                    try { return StrictUtf8.GetString(bytes, offset, count); }
                    catch (DecoderFallbackException) { return Latin1.GetString(bytes, offset, count); }
                }
            }
            return Latin1.GetString(bytes, offset, count); // pure ASCII: the fastest exact decoder
        }

        /// <summary>Splits text that may hold several lines (Get-Content -Raw) into lines.</summary>
        public static IEnumerable<string> SplitLines(string text)
        {
            if (text == null) yield break;
            if (text.Length == 0) { yield return text; yield break; }
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    int len = i - start;
                    if (len > 0 && text[i - 1] == '\r') len--;
                    yield return text.Substring(start, len);
                    start = i + 1;
                }
            }
            if (start < text.Length) yield return text.Substring(start).TrimEnd('\r');
        }

        /// <summary>A read-only stream that first returns bytes already read (the BOM probe), then the rest.</summary>
        private sealed class PrefixedStream : Stream
        {
            private readonly byte[] prefix; private readonly int prefixLength; private readonly Stream inner; private int prefixPos; private long position;
            public PrefixedStream(byte[] prefix, int length, Stream inner) { this.prefix = prefix; prefixLength = length; this.inner = inner; }
            public override bool CanRead => true; public override bool CanSeek => false; public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => position; set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count)
            {
                int n;
                if (prefixPos < prefixLength)
                {
                    n = Math.Min(count, prefixLength - prefixPos);
                    Array.Copy(prefix, prefixPos, buffer, offset, n);
                    prefixPos += n;
                }
                else n = inner.Read(buffer, offset, count);
                position += n;
                return n;
            }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
