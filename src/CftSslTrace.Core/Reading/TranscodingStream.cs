using System;
using System.IO;
using System.Text;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Reads a stream in one encoding (UTF-16, UTF-32, a code page) as UTF-8 bytes, so that the reader works on one
    /// byte layout whatever the file's encoding. Read-only, forward-only.
    /// </summary>
    internal sealed class TranscodingStream : ReadOnlyStream
    {
        private readonly Stream inner;
        private readonly Decoder decoder;
        private readonly Encoder encoder = new UTF8Encoding(false).GetEncoder();
        private readonly byte[] input = new byte[1 << 16];
        private readonly char[] chars;
        private readonly byte[] output;
        private int outStart, outEnd;
        private bool done;

        public TranscodingStream(Stream inner, Encoding from)
        {
            this.inner = inner;
            decoder = from.GetDecoder();
            chars = new char[from.GetMaxCharCount(input.Length) + 2];
            output = new byte[Encoding.UTF8.GetMaxByteCount(chars.Length)];
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (outStart == outEnd)
            {
                if (done) return 0;
                int n = inner.Read(input, 0, input.Length);
                bool flush = n <= 0;
                int c = decoder.GetChars(input, 0, Math.Max(n, 0), chars, 0, flush);
                outStart = 0;
                outEnd = encoder.GetBytes(chars, 0, c, output, 0, flush);
                if (flush) done = true;
            }
            int k = Math.Min(count, outEnd - outStart);
            Buffer.BlockCopy(output, outStart, buffer, offset, k);
            outStart += k;
            return k;
        }
    }

    /// <summary>A read-only stream that first returns bytes already read (the encoding probe), then the rest.</summary>
    internal sealed class PrefixedStream : ReadOnlyStream
    {
        private readonly byte[] prefix;
        private readonly int prefixEnd;
        private readonly Stream inner;
        private int prefixPos;

        public PrefixedStream(byte[] prefix, int start, int end, Stream inner)
        {
            this.prefix = prefix;
            prefixPos = start;
            prefixEnd = end;
            this.inner = inner;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (prefixPos < prefixEnd)
            {
                int n = Math.Min(count, prefixEnd - prefixPos);
                Buffer.BlockCopy(prefix, prefixPos, buffer, offset, n);
                prefixPos += n;
                return n;
            }
            return inner.Read(buffer, offset, count);
        }
    }
}
