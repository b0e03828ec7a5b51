using System;

namespace CftSslTrace.Tls
{
    /// <summary>Raised when a structure runs past the bytes that are there (a truncated dump or a malformed message).</summary>
    public sealed class TlsDecodeException : Exception
    {
        public TlsDecodeException(string message) : base(message) { }
    }

    /// <summary>Bounds-checked big-endian reader over a byte range.</summary>
    internal sealed class ByteCursor
    {
        private readonly byte[] data;
        private readonly int end;
        public int Position { get; private set; }

        public ByteCursor(byte[] data) : this(data, 0, data.Length) { }
        public ByteCursor(byte[] data, int offset, int count)
        {
            this.data = data;
            Position = offset;
            end = Math.Min(data.Length, offset + count);
        }

        public int Remaining => end - Position;
        public bool AtEnd => Position >= end;

        private void Need(int n, string what)
        {
            if (n < 0 || Position + n > end)
                throw new TlsDecodeException("truncated " + what + " (needs " + n + " bytes, " + Math.Max(0, end - Position) + " present)");
        }

        public int U8(string what = "field") { Need(1, what); return data[Position++]; }
        public int U16(string what = "field") { Need(2, what); int v = (data[Position] << 8) | data[Position + 1]; Position += 2; return v; }
        public int U24(string what = "field") { Need(3, what); int v = (data[Position] << 16) | (data[Position + 1] << 8) | data[Position + 2]; Position += 3; return v; }
        public uint U32(string what = "field") { Need(4, what); uint v = ((uint)data[Position] << 24) | ((uint)data[Position + 1] << 16) | ((uint)data[Position + 2] << 8) | data[Position + 3]; Position += 4; return v; }

        public byte[] Bytes(int n, string what = "field")
        {
            Need(n, what);
            var b = new byte[n];
            Buffer.BlockCopy(data, Position, b, 0, n);
            Position += n;
            return b;
        }

        /// <summary>The next n bytes where they are, without copying them (advances past them): the array and the offset.</summary>
        public byte[] Slice(int n, out int offset, string what = "field")
        {
            Need(n, what);
            offset = Position;
            Position += n;
            return data;
        }

        /// <summary>A sub-cursor over the next n bytes (advances past them). When fewer are present and partialOk, covers what is there.</summary>
        public ByteCursor Sub(int n, string what, bool partialOk = false)
        {
            if (partialOk && Position + n > end) n = end - Position;
            Need(n, what);
            var c = new ByteCursor(data, Position, n);
            Position += n;
            return c;
        }

        public void Skip(int n, string what = "field") { Need(n, what); Position += n; }

        /// <summary>The byte at this offset from the position, without moving; -1 past the end.</summary>
        public int PeekU8(int offset) => offset >= 0 && Position + offset < end ? data[Position + offset] : -1;

        /// <summary>The big-endian 16-bit value at this offset from the position, without moving; -1 past the end.</summary>
        public int PeekU16(int offset) => offset >= 0 && Position + offset + 1 < end ? (data[Position + offset] << 8) | data[Position + offset + 1] : -1;
    }
}
