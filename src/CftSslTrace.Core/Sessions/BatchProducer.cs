using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// The reading side: the lines of a history (its inputs one after the other, numbered as one sequence of positions)
    /// or single strings, scanned by a <see cref="LogScanner"/> into <see cref="LineBatch"/>es. Runs on the thread that
    /// reads the files when two cores are used. Where one input ends and the next starts goes into the batch (a segment
    /// item), with what the switch says: a copy of an input already read has its lines read once; an input that goes
    /// back in time without being a copy is said.
    /// </summary>
    internal sealed class BatchProducer : ILogLineSink, IDisposable
    {
        private readonly LogScanner scanner;
        private readonly LogHistory history;
        private readonly Encoding encoding;
        private LineBatch batch;

        // the input being read
        private int nextSource;
        private LogSource source;
        private SourceStream stream;
        private LineReader lines;
        private byte[] spare;          // the buffer of the input read before, for the next one
        private LogSource aheadSource; // the next input, an archive, opened (read ahead) while this one is read
        private SourceStream aheadStream;
        private bool encodingReported;
        private long numberBase;       // position = numberBase + the line's number in its input
        private ReadInput copyOf;      // the input this one copies (its first lines were skipped)
        private long skipped;

        // the history so far
        private long lastPosition;
        private long storedDone;
        private long maxTicks = -1;
        private string maxTicksInput;
        private readonly List<ReadInput> read = new List<ReadInput>();

        /// <param name="name">The input's name for a text producer (lines fed one at a time).</param>
        /// <param name="history">The inputs to read, or null for text fed with <see cref="FeedText"/>.</param>
        public BatchProducer(string name, LogHistory history, Encoding encoding)
        {
            this.history = history;
            this.encoding = encoding;
            scanner = new LogScanner(name, this) { DecodeDumps = false };
        }

        /// <summary>Fills the batch with the next lines; false when the input has ended (the batch then holds the last lines).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public bool Fill(LineBatch b)
        {
            batch = b;
            while (!b.Full)
            {
                if (lines == null)
                {
                    if (OpenNext()) continue;
                    scanner.Flush();
                    b.EndOfInput = true;
                    b.BytesRead = storedDone;
                    return false;
                }
                if (!ReadLine())
                {
                    CloseInput();
                    continue;
                }
                if (!encodingReported) ReportEncoding();
                if (lines.LongLineEnded) ReportLongLine();
                Feed(lines.Buffer, lines.LineStart, lines.LineLength, numberBase + lines.Number);
            }
            b.BytesRead = storedDone + (stream?.StoredRead ?? 0);
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

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private bool ReadLine()
        {
            try { return lines.Read(); }
            catch (Exception e) when (LogHistory.IsReadError(e))
            {
                FileWarning(DiagnosticKind.Unreadable, "reading stopped after this line (" + e.Message + "); the lines up to it are read", DiagnosticSeverity.Error, lines.Number);
                return false;
            }
        }

        // --- inputs --------------------------------------------------------------------------------------

        /// <summary>Opens the next input of the history; false when there is none.</summary>
        private bool OpenNext()
        {
            if (history == null) return false;
            while (nextSource < history.Sources.Count)
            {
                var s = history.Sources[nextSource++];
                try { stream = OpenSource(s); }
                catch (Exception e) when (LogHistory.IsReadError(e))
                {
                    source = s;
                    FileWarning(DiagnosticKind.Unreadable, "cannot be read: " + e.Message, DiagnosticSeverity.Error, 0);
                    return true; // the next one on the next call: a batch holds a bounded number of such items
                }
                source = s;
                lines = new LineReader(stream, encoding, stream.TextLength, Spare(stream.TextLength));
                encodingReported = false;
                skipped = 0;
                copyOf = CopiedInput(s);
                if (copyOf != null && !SkipCopiedLines())
                {
                    // the same first lines, then other ones: not a copy, read from its start
                    copyOf = null;
                    skipped = 0;
                    stream.Dispose();
                    stream = s.Open(readAhead: true);
                    spare = lines.Buffer;
                    lines = new LineReader(stream, encoding, stream.TextLength, Spare(stream.TextLength));
                }
                if (copyOf == null && s.Probe?.FirstTime != null && maxTicks >= 0 && s.Probe.FirstTime.Value.Ticks < maxTicks)
                {
                    FileWarning(DiagnosticKind.Overlap, "overlaps in time with " + maxTicksInput + " (its first line, " + Format(s.Probe.FirstTime.Value.Ticks) + ", is before the last of "
                        + maxTicksInput + ", " + Format(maxTicks) + ") and is not a copy of it: it is read after it; if they are the logs of two CFT instances, read each with its own command", DiagnosticSeverity.Warning, 0);
                }
                numberBase = lastPosition - skipped;
                int i = NewItem(ItemKind.Segment, lastPosition + 1);
                batch.Objects[i] = new SegmentStart { Source = s, FirstPosition = lastPosition + 1, FirstLine = skipped + 1 };
                OpenAhead();
                return true;
            }
            return false;
        }

        private SourceStream OpenSource(LogSource s)
        {
            if (!ReferenceEquals(s, aheadSource)) return s.Open(readAhead: true);
            var opened = aheadStream;
            aheadSource = null;
            aheadStream = null;
            return opened;
        }

        /// <summary>
        /// Opens the next input when it is an archive, so that its inflating starts while this one is read: between the
        /// switched archives of a history the reading side then finds their first bytes ready instead of waiting for them
        /// (a thousand .gz files: a pause each). One that cannot be opened is said when its turn comes.
        /// </summary>
        private void OpenAhead()
        {
            if (nextSource >= history.Sources.Count || Environment.ProcessorCount < 2) return;
            var next = history.Sources[nextSource];
            if (next.Format == FileFormat.Plain) return;
            try
            {
                aheadStream = next.Open(readAhead: true);
                aheadSource = next;
            }
            catch (Exception e) when (LogHistory.IsReadError(e)) { }
        }

        /// <summary>
        /// Closes the input being read when the read stops before its end (Select-Object -First, Ctrl+C): its file, and an
        /// archive's inflating thread. Called once the thread that fills batches has stopped.
        /// </summary>
        public void Dispose()
        {
            var s = stream;
            stream = null;
            s?.Dispose();
            var a = aheadStream;
            aheadStream = null;
            aheadSource = null;
            a?.Dispose();
            history?.CloseArchives();
        }

        private void CloseInput()
        {
            if (lines.LongLineEnded) ReportLongLine();
            long count = lines.Number;
            var probe = source.Probe;
            lastPosition = numberBase + count;
            if (copyOf != null)
            {
                string also = count > skipped ? "; its " + (count - skipped).ToString(CultureInfo.InvariantCulture) + " further line(s) are read" : " (it holds nothing else)";
                FileWarning(DiagnosticKind.SameLog, "the same log as " + copyOf.Name + " (the same first lines): its first " + skipped.ToString(CultureInfo.InvariantCulture)
                    + " line(s) were read there and are read once" + also, DiagnosticSeverity.Warning, 0);
            }
            if (probe != null)
                read.Add(new ReadInput { Name = source.ShortName, Source = source, HeadHash = probe.HeadHash, HeadLineCount = probe.HeadLineCount, Lines = count });
            storedDone += source.StoredLength >= 0 ? source.StoredLength : stream.StoredRead;
            stream.Dispose();
            stream = null;
            spare = lines.Buffer;
            lines = null;
            copyOf = null;
        }

        /// <summary>
        /// The buffer of the input read before when it is large enough for this one (a history of many switched files reads
        /// them in one buffer: a new one for each, most of them too large to be young objects, made .NET collect every
        /// generation every few files), or null.
        /// </summary>
        private byte[] Spare(long length)
        {
            var b = spare;
            spare = null;
            return b != null && b.Length >= LineReader.BufferSize(length) ? b : null;
        }

        /// <summary>An input read before whose first lines are this one's: maybe a copy, or the same log a little shorter or longer.</summary>
        private ReadInput CopiedInput(LogSource s)
        {
            var p = s.Probe;
            if (p == null || p.HeadLineCount == 0) return null;
            foreach (var r in read)
                if (r.HeadHash == p.HeadHash && r.HeadLineCount == p.HeadLineCount) return r;
            return null;
        }

        /// <summary>
        /// Reads the lines of the current input that the earlier one (<see cref="copyOf"/>) holds, comparing them with that
        /// one's, read again: true when they are all the same (a copy: they are read once, this input goes on after them),
        /// false at the first that differs (or when the earlier one cannot be read again).
        /// </summary>
        private bool SkipCopiedLines()
        {
            SourceStream earlierStream;
            try { earlierStream = copyOf.Source.Open(); }
            catch (Exception e) when (LogHistory.IsReadError(e)) { return false; }
            using (earlierStream)
            {
                var earlier = new LineReader(earlierStream, encoding, earlierStream.TextLength);
                while (skipped < copyOf.Lines)
                {
                    bool a, b;
                    try { a = earlier.Read(); }
                    catch (Exception e) when (LogHistory.IsReadError(e)) { return false; }
                    b = ReadLine();
                    if (!b) return true; // this one ends first: a shorter copy, all of it read before
                    if (!a || earlier.LineLength != lines.LineLength || !AsciiBytes.Same(earlier.Buffer, earlier.LineStart, lines.Buffer, lines.LineStart, lines.LineLength)) return false;
                    skipped = lines.Number;
                }
                return true;
            }
        }

        private static string Format(long ticks) => new DateTime(ticks).ToString(ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm:ss.ff", CultureInfo.InvariantCulture);

        private void ReportEncoding()
        {
            encodingReported = true;
            if (lines.EncodingWarning != null) FileWarning(DiagnosticKind.Encoding, lines.EncodingWarning, DiagnosticSeverity.Warning, 0);
        }

        private void ReportLongLine()
        {
            long n = lines.LongLineLength;
            string size = n >= 1 << 20 ? (n / (double)(1 << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB" : n.ToString(CultureInfo.InvariantCulture) + " bytes";
            string message = lines.LongLineTerminated
                ? "a line of " + size + ", longer than " + (LineReader.MaxLineBytes >> 20) + " MiB: read in pieces of " + (LineReader.MaxLineBytes >> 20) + " MiB"
                : "a line of " + size + " without a line end before the end of the file: read in pieces of " + (LineReader.MaxLineBytes >> 20) + " MiB (a binary file, or a log without line ends?)";
            FileWarning(DiagnosticKind.LineTooLong, message, DiagnosticSeverity.Warning, lines.Number);
        }

        /// <summary>A warning the reading side can place itself: about the current input, at a line of it (0: the whole input).</summary>
        private void FileWarning(string kind, string message, DiagnosticSeverity severity, long line)
        {
            int i = NewItem(ItemKind.Warning, line > 0 ? numberBase + line : lastPosition);
            batch.Objects[i] = new TraceDiagnostic { File = source?.Name, Line = line, Kind = kind, Message = message, Severity = severity };
        }

        // --- lines ---------------------------------------------------------------------------------------

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
            long ticks = scanner.Time?.Ticks ?? -1;
            b.Times[i] = ticks;
            if (ticks > maxTicks) { maxTicks = ticks; maxTicksInput = source?.ShortName; }
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

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private int NewItem(ItemKind kind, long number)
        {
            var b = batch;
            if (b.Count >= b.Slots) throw new InvalidOperationException("line batch overflow");
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

        void ILogLineSink.OnEvent(LogLine line)
        {
            int i = NewItem(ItemKind.Event, line.LineNumber);
            batch.Objects[i] = line;
            long ticks = line.Time?.Ticks ?? -1;
            batch.Times[i] = ticks;
            if (ticks > maxTicks) { maxTicks = ticks; maxTicksInput = source?.ShortName; }
        }

        void ILogLineSink.OnText(LogScanner line)
        {
            for (int k = line.Start; k < line.End; k++)
            {
                byte c = line.Buffer[k];
                if (c != (byte)' ' && c != (byte)'\t' && c != 0) { NewItem(ItemKind.Text, line.Number); return; }
            }
        }

        void ILogLineSink.OnWarning(long line, string kind, string message, string text)
        {
            int i = NewItem(ItemKind.Warning, line);
            batch.Objects[i] = new TraceDiagnostic { Kind = kind, Message = message, Text = text, Severity = DiagnosticSeverity.Warning };
            batch.Texts[i] = text;
        }

        /// <summary>An input read, for finding copies of it.</summary>
        private sealed class ReadInput
        {
            public string Name;
            public LogSource Source;
            public ulong HeadHash;
            public int HeadLineCount;
            public long Lines;
        }
    }
}
