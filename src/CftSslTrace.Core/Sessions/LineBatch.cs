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
        /// <summary>A warning about a line (Obj: message, Text: the line).</summary>
        Warning,
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
        public static long Key(byte[] b, int start, int length)
        {
            long k = 0;
            for (int i = 0; i < length; i++) k = (k << 8) | b[start + i];
            return k;
        }

        public static string KeyText(long key, int length)
        {
            var bytes = new byte[length];
            for (int i = length - 1; i >= 0; i--) { bytes[i] = (byte)key; key >>= 8; }
            return AsciiBytes.Text(bytes, 0, length);
        }
    }

    /// <summary>
    /// The reading side: lines from a <see cref="LineReader"/> (or single strings), scanned by a <see cref="LogScanner"/>
    /// into <see cref="LineBatch"/>es. Runs on the thread that reads the file when two cores are used.
    /// </summary>
    internal sealed class BatchProducer : ILogLineSink
    {
        private readonly LogScanner scanner;
        private readonly LineReader lines;
        private LineBatch batch;
        private bool encodingReported;

        public BatchProducer(string source, LineReader lines)
        {
            this.lines = lines;
            scanner = new LogScanner(source, this) { DecodeDumps = false };
        }

        /// <summary>Fills the batch with the next lines; false when the input has ended (the batch then holds the last lines).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public bool Fill(LineBatch b)
        {
            batch = b;
            while (!b.Full)
            {
                if (!lines.Read())
                {
                    if (!encodingReported) ReportEncoding();
                    scanner.Flush();
                    b.EndOfInput = true;
                    b.BytesRead = lines.BytesRead;
                    return false;
                }
                if (!encodingReported) ReportEncoding();
                if (lines.LineWasCut)
                    AddWarning(lines.Number, "line longer than " + (LineReader.MaxLineBytes >> 20) + " MiB without a line end: cut into pieces (a binary file, or a log without line ends?)", null);
                Feed(lines.Buffer, lines.LineStart, lines.LineLength, lines.Number);
            }
            b.BytesRead = lines.BytesRead;
            return true;
        }

        /// <summary>One line that is already text (from the pipeline).</summary>
        public void FeedText(LineBatch b, string text, long number)
        {
            batch = b;
            var bytes = AsciiBytes.Bytes(text);
            Feed(bytes, 0, bytes.Length, number);
        }

        /// <summary>The end of text input: a message held for continuation lines is complete.</summary>
        public void Flush(LineBatch b)
        {
            batch = b;
            scanner.Flush();
        }

        private void ReportEncoding()
        {
            encodingReported = true;
            if (lines?.EncodingWarning != null) AddWarning(0, lines.EncodingWarning, null);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Feed(byte[] buffer, int start, int length, long number)
        {
            var b = batch;
            b.Lines++;
            if (!ReferenceEquals(scanner.DumpBuffer, b.Bytes)) scanner.DumpBuffer = b.Bytes;
            scanner.DumpStart = b.ByteCount;
            if (!scanner.Feed(buffer, start, length, number)) return;
            if (!ReferenceEquals(scanner.DumpBuffer, b.Bytes)) b.Bytes = scanner.DumpBuffer;
            int i = b.Count++;
            b.Numbers[i] = number;
            b.Times[i] = scanner.Time?.Ticks ?? -1;
            b.Continuations[i] = scanner.IsContinuation;
            switch (scanner.Content)
            {
                case TraceContent.Hex:
                    {
                        // the hex text goes as it is: the decoding thread turns it into bytes (the work is shared between the cores)
                        b.Kinds[i] = ItemKind.Hex;
                        int from = scanner.ContentStart, n = scanner.End - from;
                        EnsureBytes(b.ByteCount + n + 64);
                        System.Buffer.BlockCopy(buffer, from, b.Bytes, b.ByteCount, n);
                        b.DataStarts[i] = b.ByteCount;
                        b.DataLengths[i] = n;
                        break;
                    }
                case TraceContent.Dump:
                    b.Kinds[i] = ItemKind.Dump;
                    b.DataStarts[i] = b.ByteCount;
                    b.DataLengths[i] = scanner.DumpCount;
                    break;
                case TraceContent.DamagedDump:
                    b.Kinds[i] = ItemKind.DamagedDump;
                    b.DataStarts[i] = b.ByteCount;
                    b.DataLengths[i] = scanner.DumpCount;
                    b.Objects[i] = scanner.DamageMessage;
                    b.Texts[i] = scanner.Text;
                    break;
                default:
                    {
                        b.Kinds[i] = ItemKind.Other;
                        b.DataLengths[i] = 0;
                        var other = scanner.ParseOther();
                        b.Objects[i] = other;
                        if (other.Kind != TraceLineKind.DataHeader) b.Texts[i] = scanner.Text; // for a warning
                        break;
                    }
            }
            b.ByteCount += b.DataLengths[i];
            int ctxLength = scanner.CtxLength;
            if (ctxLength == 0) { b.CtxKeys[i] = 0; b.CtxLengths[i] = 0; }
            else if (ctxLength <= LineBatch.MaxPackedCtx) { b.CtxKeys[i] = LineBatch.Key(buffer, scanner.CtxStart, ctxLength); b.CtxLengths[i] = (byte)ctxLength; }
            else
            {
                // a long CTX: its bytes after the content's
                int n = Math.Min(ctxLength, 255);
                EnsureBytes(b.ByteCount + n);
                System.Buffer.BlockCopy(buffer, scanner.CtxStart, b.Bytes, b.ByteCount, n);
                b.CtxKeys[i] = -b.ByteCount - 1;
                b.CtxLengths[i] = (byte)n;
                b.ByteCount += n;
            }
            if (ctxLength == 0 && !scanner.IsContinuation && b.Texts[i] == null) b.Texts[i] = scanner.Text;
        }

        private void EnsureBytes(int size)
        {
            if (batch.Bytes.Length < size) { Array.Resize(ref batch.Bytes, Math.Max(size, batch.Bytes.Length * 2)); scanner.DumpBuffer = batch.Bytes; }
        }

        private int NewItem(ItemKind kind, long number)
        {
            var b = batch;
            if (b.Count >= b.Slots) GrowForOverflow();
            int i = b.Count++;
            b.Kinds[i] = kind;
            b.Numbers[i] = number;
            b.Times[i] = -1;
            b.CtxKeys[i] = 0;
            b.CtxLengths[i] = 0;
            b.Continuations[i] = false;
            b.DataLengths[i] = 0;
            return i;
        }

        /// <summary>Warnings and a held event can come after a full batch (at the end of input): they never exceed a few items.</summary>
        private void GrowForOverflow() => throw new InvalidOperationException("line batch overflow");

        void ILogLineSink.OnEvent(LogLine line)
        {
            int i = NewItem(ItemKind.Event, line.LineNumber);
            batch.Objects[i] = line;
            batch.Times[i] = line.Time?.Ticks ?? -1;
        }

        void ILogLineSink.OnText(LogScanner line)
        {
            for (int k = line.Start; k < line.End; k++)
            {
                byte c = line.Buffer[k];
                if (c != (byte)' ' && c != (byte)'\t' && c != 0) { NewItem(ItemKind.Text, line.Number); return; }
            }
        }

        void ILogLineSink.OnWarning(long line, string message, string text) => AddWarning(line, message, text);

        private void AddWarning(long line, string message, string text)
        {
            int i = NewItem(ItemKind.Warning, line);
            batch.Objects[i] = message;
            batch.Texts[i] = text;
        }
    }
}

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Two cores: a thread reads and parses lines into batches while the caller's thread decodes them. A bounded number
    /// of batches circulate (memory stays flat); disposing stops the reading thread and waits for it, so the stream can
    /// be closed safely (Ctrl+C, Select-Object -First).
    /// </summary>
    internal sealed class BatchPipeline : IDisposable
    {
        private const int Batches = 4;
        private readonly System.Collections.Concurrent.BlockingCollection<LineBatch> full = new System.Collections.Concurrent.BlockingCollection<LineBatch>(Batches);
        private readonly System.Collections.Concurrent.BlockingCollection<LineBatch> free = new System.Collections.Concurrent.BlockingCollection<LineBatch>(Batches);
        private readonly System.Threading.CancellationTokenSource cancel = new System.Threading.CancellationTokenSource();
        private readonly System.Threading.Thread thread;

        public BatchPipeline(BatchProducer producer, long inputLength)
        {
            for (int i = 0; i < Batches; i++) free.Add(LineBatch.ForInput(inputLength));
            thread = new System.Threading.Thread(() => Run(producer)) { IsBackground = true, Name = "CftSslTrace line reader" };
            thread.Start();
        }

        private void Run(BatchProducer producer)
        {
            try
            {
                while (true)
                {
                    var b = free.Take(cancel.Token);
                    b.Clear();
                    bool more;
                    try { more = producer.Fill(b); }
                    catch (Exception e) { b.Error = e; b.EndOfInput = true; more = false; }
                    full.Add(b, cancel.Token);
                    if (!more) break;
                }
            }
            catch (OperationCanceledException) { }
            finally { full.CompleteAdding(); }
        }

        /// <summary>The next batch in order, or null when the reading thread has ended.</summary>
        public LineBatch Take()
        {
            try { return full.Take(); }
            catch (InvalidOperationException) { return null; }
        }

        public void Return(LineBatch b) => free.Add(b);

        public void Dispose()
        {
            cancel.Cancel();
            thread.Join();
            cancel.Dispose();
            full.Dispose();
            free.Dispose();
        }
    }
}
