using System;
using System.IO;
using System.Text;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>What one item of a <see cref="LineBatch"/> is.</summary>
    internal enum ItemKind : byte
    {
        /// <summary>A dump line: its bytes are in the batch's Bytes.</summary>
        Dump,
        /// <summary>A damaged dump line: the bytes read before the damage, and the message (Obj).</summary>
        DamagedDump,
        /// <summary>A trace line that is not a dump: a data header, a trace event or a malformed line (Obj: TraceLine).</summary>
        Other,
        /// <summary>A trace line whose content (after CTX=) starts with a hex digit, copied as text into Bytes for the decoding thread.</summary>
        Hex,
        /// <summary>A CFT message other than the trace (Obj: LogLine).</summary>
        Event,
        /// <summary>A line without a CFT code and not blank.</summary>
        Text,
        /// <summary>A warning about a line or a file (Obj: a TraceDiagnostic, its File and Line set when the reading side knows them).</summary>
        Warning,
        /// <summary>The lines from here on come from another input of the history (Obj: a <see cref="SegmentStart"/>).</summary>
        Segment,
    }

    /// <summary>Where the lines of an input of the history start: its first position, and the line number it has there.</summary>
    internal sealed class SegmentStart
    {
        public LogSource Source;
        public long FirstPosition;
        public long FirstLine;
    }

    /// <summary>
    /// Lines of a log already parsed, in order: what the reading thread hands to the decoding thread. Columns of
    /// arrays (no object per line); the dumps' bytes in one buffer. Reused from batch to batch.
    /// </summary>
    internal sealed class LineBatch
    {
        /// <summary>Lines a batch holds at most (batches of small inputs are smaller: <see cref="ForInput"/>).</summary>
        public const int Capacity = 4096;
        private const int DefaultBytes = 1 << 18;

        public int Count;
        private readonly int capacity;
        /// <summary>Lines this batch can hold.</summary>
        public int Slots => capacity;
        public readonly ItemKind[] Kinds;
        public readonly long[] Numbers;
        /// <summary>Ticks of the line's time, or -1.</summary>
        public readonly long[] Times;
        /// <summary>The CTX when it has 1 to 7 bytes, packed in a long (compared as one number; never negative); 0 when the line has none.</summary>
        public readonly long[] CtxKeys;
        public readonly byte[] CtxLengths;
        public readonly bool[] Continuations;
        public readonly int[] DataStarts;
        public readonly int[] DataLengths;
        public readonly object[] Objects;
        public readonly string[] Texts;
        public byte[] Bytes;
        public int ByteCount;
        /// <summary>Physical lines read into this batch (continuation lines make no item).</summary>
        public long Lines;
        /// <summary>Bytes of the input read so far (for progress).</summary>
        public long BytesRead;
        public bool EndOfInput;
        public Exception Error;

        public bool Full => Count >= capacity - 16 || ByteCount > Bytes.Length - 4096;

        public LineBatch() : this(Capacity, DefaultBytes) { }

        private LineBatch(int capacity, int bytes)
        {
            this.capacity = capacity;
            Kinds = new ItemKind[capacity];
            Numbers = new long[capacity];
            Times = new long[capacity];
            CtxKeys = new long[capacity];
            CtxLengths = new byte[capacity];
            Continuations = new bool[capacity];
            DataStarts = new int[capacity];
            DataLengths = new int[capacity];
            Objects = new object[capacity];
            Texts = new string[capacity];
            Bytes = new byte[bytes];
        }

        /// <summary>
        /// A batch sized for an input of this many bytes (-1: unknown): a small log (a pasted trace, one session, a fuzz
        /// input) does not pay for the half megabyte a large one's batches use.
        /// </summary>
        public static LineBatch ForInput(long length)
        {
            if (length < 0 || length >= 1 << 20) return new LineBatch();
            int lines = (int)Math.Min(Capacity, Math.Max(64, length / 24 + 32));
            int bytes = (int)Math.Min(DefaultBytes, Math.Max(16 << 10, length / 2 + 8192));
            return new LineBatch(lines, bytes);
        }

        public void Clear()
        {
            Array.Clear(Objects, 0, Count);
            Array.Clear(Texts, 0, Count);
            Count = 0;
            ByteCount = 0;
            Lines = 0;
            EndOfInput = false;
            Error = null;
        }

        /// <summary>
        /// A CTX of up to this many bytes is packed in a long. Seven, not eight: the top byte stays zero, so a packed key
        /// is never negative, which marks a longer CTX kept in Bytes (a CTX of eight bytes starting with a byte of 0x80 or
        /// more was taken for an offset).
        /// </summary>
        public const int MaxPackedCtx = 7;

        /// <summary>A CTX of more than 7 bytes is kept whole in Bytes; CtxKeys then holds its offset, negated and minus one.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public static long Key(byte[] b, int start, int length)
        {
            long k = 0;
            for (int i = 0; i < length; i++) k = (k << 8) | b[start + i];
            return k;
        }

        public static unsafe string KeyText(long key, int length)
        {
            // the usual CTX is ASCII: one string, no byte array
            if ((key & unchecked((long)0x8080808080808080UL)) == 0)
            {
                char* c = stackalloc char[8];
                for (int i = length - 1; i >= 0; i--) { c[i] = (char)(key & 0xFF); key >>= 8; }
                return new string(c, 0, length);
            }
            var bytes = new byte[length];
            for (int i = length - 1; i >= 0; i--) { bytes[i] = (byte)key; key >>= 8; }
            return AsciiBytes.Text(bytes, 0, length);
        }
    }
}
