using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace CftSslTrace.Reading
{
    /// <summary>What a <see cref="LogScanner"/> hands on, line by line, besides the trace lines that Feed returns.</summary>
    internal interface ILogLineSink
    {
        /// <summary>Any other CFT message, continuation lines (CFTxnnS+) rejoined.</summary>
        void OnEvent(LogLine line);
        /// <summary>A line without a CFT message code.</summary>
        void OnText(LogScanner line);
        /// <summary>Something wrong with one input line (kind: a <see cref="Sessions.DiagnosticKind"/>).</summary>
        void OnWarning(long line, string kind, string message, string text);
    }

    /// <summary>What the content of the current trace line is.</summary>
    internal enum TraceContent
    {
        None,
        Dump,
        DamagedDump,
        Other,
        /// <summary>Starts with a hex digit: probably a dump, left to decode (<see cref="LogScanner.DecodeDumps"/> false).</summary>
        Hex,
    }

    /// <summary>
    /// The front end shared by every reader: finds the CFT message code after any prefix, reads the time of the prefix
    /// (once per distinct prefix), rejoins continuation lines in linear time and bounded size, and parses CFTY02Z lines
    /// (CTX, hex groups straight into a reused buffer) without making a string. Events and warnings are the only text
    /// it makes.
    /// </summary>
    internal sealed class LogScanner
    {
        /// <summary>A message rejoined from continuation lines is cut at this size.</summary>
        public const int MaxMessageBytes = 64 * 1024;

        private readonly string source;
        private readonly ILogLineSink sink;
        private readonly sbyte[] hexTable = AsciiBytes.HexValue;
        private readonly ushort[] pairTable = AsciiBytes.HexPairs;

        // prefix -> time cache
        private byte[] lastPrefix = new byte[64];
        private int lastPrefixLength = -1;
        private DateTime? lastTime;
        private DateTime lastDate;
        private int lastTimeStart = -1, lastTimeEnd;

        // the CFT message waiting for possible continuation lines
        private string pendingCode;
        private readonly MessageBuilder pendingBody = new MessageBuilder();
        private long pendingLine, pendingLastLine;
        private DateTime? pendingTime;
        private string pendingText;
        private bool pendingCut;


        public LogScanner(string source, ILogLineSink sink)
        {
            this.source = source;
            this.sink = sink;
        }

        // --- the current line -------------------------------------------------------------------------
        public byte[] Buffer { get; private set; }
        public int Start { get; private set; }
        public int End { get; private set; }
        public long Number { get; private set; }
        public DateTime? Time { get; private set; }
        /// <summary>Position of the text after the code ("&gt;&gt; CTX=..." for a trace line).</summary>
        public int BodyStart { get; private set; }
        /// <summary>A "CFTY02Z+" continuation line.</summary>
        public bool IsContinuation { get; private set; }
        /// <summary>Trace line: CTX= value, or CtxLength 0 when the line has none.</summary>
        public int CtxStart { get; private set; }
        public int CtxLength { get; private set; }
        public TraceContent Content { get; private set; }
        /// <summary>
        /// Where the bytes of a dump line go: <see cref="DumpBuffer"/> from <see cref="DumpStart"/> on (set by the caller
        /// before <see cref="Feed"/>; the buffer grows when needed). A dump or damaged dump line leaves its bytes in
        /// DumpBuffer[DumpStart, DumpStart + DumpCount).
        /// </summary>
        public byte[] DumpBuffer { get; set; } = new byte[256];

        /// <summary>Decode hex groups here (default); false: leave content that starts with a hex digit as <see cref="TraceContent.Hex"/> for the decoding thread.</summary>
        public bool DecodeDumps { get; set; } = true;
        public int DumpStart { get; set; }
        public int DumpCount { get; private set; }
        private int damagedAt, contentStart;

        /// <summary>The line as text (made on demand: for warnings and events).</summary>
        public string Text => AsciiBytes.Text(Buffer, Start, End - Start);

        /// <summary>Why the dump line is damaged.</summary>
        public string DamageMessage => TraceLineParser.DamageMessage(Buffer, damagedAt, End, DumpCount);

        /// <summary>The content of the trace line (after CTX=) as bytes of the line.</summary>
        public int ContentStart => contentStart;

        /// <summary>The content of a trace line that is not a dump: header, event or malformed (parsed on demand).</summary>
        public TraceLine ParseOther() => TraceLineParser.ParseContent(Buffer, contentStart, End, allowEvent: true);

        public bool SameCtx(byte[] ctx, int length) => CtxLength == length && AsciiBytes.Same(Buffer, CtxStart, ctx, 0, length);

        public string CtxText => CtxLength == 0 ? null : AsciiBytes.Text(Buffer, CtxStart, CtxLength);

        /// <summary>
        /// Reads one physical line. True for a CFTY02Z line, which the caller handles from this scanner's properties
        /// (the hot path calls no interface); other lines go to the sink.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public bool Feed(byte[] b, int start, int length, long number)
        {
            int end = start + length;
            // Lines of a log share their prefix layout: look for the code where the last line had it first.
            int code = -1, match = 0, off = lastPrefixLength;
            if (off > 0 && start + off + 7 <= end && b[start + off] == (byte)'C' && b[start + off + 1] == (byte)'F' && b[start + off + 2] == (byte)'T'
                && AsciiBytes.IsUpper(b[start + off + 3]) && AsciiBytes.IsDigit(b[start + off + 4]) && AsciiBytes.IsDigit(b[start + off + 5])
                && AsciiBytes.IsUpper(b[start + off + 6]) && !AsciiBytes.IsAlnum(b[start + off - 1]))
            {
                match = MatchPrefix(b, start, off);
                if (match != 0) code = start + off;
            }
            if (code < 0) code = AsciiBytes.FindCode(b, start, end);
            if (code < 0)
            {
                FlushPending();
                Set(b, start, end, number, null);
                sink.OnText(this);
                return false;
            }
            bool continuation = code + 7 < end && b[code + 7] == (byte)'+';
            if (continuation && pendingCode != null && MatchesPending(b, code))
            {
                Append(b, code + 8, end, number);
                return false;
            }
            FlushPending();
            DateTime? time = TimeOf(b, start, code, end, number, match);
            // "CFTY02Z" (FindCode checked "CFT"); no static field here: hot methods are compiled before class initialisation
            bool trace = b[code + 3] == (byte)'Y' && b[code + 4] == (byte)'0' && b[code + 5] == (byte)'2' && b[code + 6] == (byte)'Z';
            if (!trace)
            {
                pendingCode = CodeAt(b, code);
                pendingLine = pendingLastLine = number;
                pendingTime = time;
                // the line as it is for the SSL messages (a warning may quote it); the others are read for their values
                pendingText = b[code + 3] == (byte)'Y' ? AsciiBytes.Text(b, start, end - start) : null;
                pendingCut = false;
                pendingBody.Clear();
                int bodyAt = code + 7 + (continuation ? 1 : 0); // an orphan continuation is kept as a line
                while (bodyAt < end && AsciiBytes.IsBlank(b[bodyAt])) bodyAt++;
                pendingBody.Append(b, bodyAt, end - bodyAt);
                return false;
            }
            Set(b, start, end, number, time);
            IsContinuation = continuation;
            BodyStart = code + 7 + (continuation ? 1 : 0);
            ParseTrace();
            return true;
        }

        /// <summary>The end of the input: the message held for continuations is complete.</summary>
        public void Flush() => FlushPending();

        private void Set(byte[] b, int start, int end, long number, DateTime? time)
        {
            Buffer = b;
            Start = start;
            End = end;
            Number = number;
            Time = time;
            IsContinuation = false;
            Content = TraceContent.None;
            CtxLength = 0;
            DumpCount = 0;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void ParseTrace()
        {
            int p = BodyStart;
            // the usual line: "CTX=" where the last line had it, a value of the same length, then a blank
            int at = BodyStart + lastCtxOffset, len = lastCtxLength;
            var b = Buffer;
            if (len > 0 && at + len < End && b[at - 4] == (byte)'C' && b[at - 3] == (byte)'T' && b[at - 2] == (byte)'X' && b[at - 1] == (byte)'='
                && AsciiBytes.IsBlank(b[at + len]) && !AsciiBytes.IsBlank(b[at]) && OnlyMarks(b, BodyStart, at - 4) && NoBlank(b, at, len))
            {
                CtxStart = at;
                CtxLength = len;
                p = at + len;
            }
            else if (TraceLineParser.ReadCtx(Buffer, ref p, End, out int cs, out int cl))
            {
                CtxStart = cs;
                CtxLength = cl;
                lastCtxOffset = cs - BodyStart;
                lastCtxLength = cs >= BodyStart + 4 ? cl : 0;
            }
            else CtxLength = 0;
            while (p < End && AsciiBytes.IsBlank(Buffer[p])) p++;
            contentStart = p;
            if (!DecodeDumps && p < End && hexTable[Buffer[p]] >= 0) { Content = TraceContent.Hex; DumpCount = 0; return; }
            int count = DumpStart;
            var output = DumpBuffer;
            var kind = TraceLineParser.ParseDump(Buffer, p, End, ref output, ref count, out damagedAt, hexTable, pairTable);
            DumpBuffer = output;
            DumpCount = count - DumpStart;
            Content = kind == DumpParse.Dump ? TraceContent.Dump : kind == DumpParse.Damaged ? TraceContent.DamagedDump : TraceContent.Other;
        }

        private int lastCtxOffset, lastCtxLength;

        /// <summary>Only the "&gt;" marks and blanks that come between the code and "CTX=".</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static bool OnlyMarks(byte[] b, int from, int to)
        {
            for (int i = from; i < to; i++) if (b[i] != (byte)'>' && !AsciiBytes.IsBlank(b[i])) return false;
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static bool NoBlank(byte[] b, int from, int count)
        {
            for (int i = from; i < from + count; i++) if (AsciiBytes.IsBlank(b[i])) return false;
            return true;
        }

        /// <summary>
        /// How the prefix [start, start + length) compares with the last line's (same length): 1 identical, 2 identical
        /// but for the time of day, 0 different. Plain loops: a prefix is a few dozen bytes.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private unsafe int MatchPrefix(byte[] b, int start, int length)
        {
            var last = lastPrefix;
            int ts = lastTimeStart, te = lastTimeEnd;
            if (ts < 0) ts = te = length;
            if (start < 0 || length > b.Length - start || length > last.Length) return 0;
            fixed (byte* x = b, y = last)
            {
                byte* a = x + start;
                if (!Same(a, y, ts) || !Same(a + te, y + te, length - te)) return 0;
                return Same(a + ts, y + ts, te - ts) ? 1 : 2;
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static unsafe bool Same(byte* a, byte* b, int n)
        {
            int i = 0;
            for (; i + 8 <= n; i += 8) if (*(long*)(a + i) != *(long*)(b + i)) return false;
            for (; i < n; i++) if (a[i] != b[i]) return false;
            return true;
        }

        /// <param name="match">What <see cref="MatchPrefix"/> found, 0 when it was not asked.</param>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private DateTime? TimeOf(byte[] b, int start, int code, int end, long number, int match)
        {
            int length = code - start;
            if (length == 0) return null;
            // Prefixes repeat from line to line: parse each distinct prefix once, and the time of day alone when only it changed.
            if (match == 0 && length == lastPrefixLength) match = MatchPrefix(b, start, length);
            if (match == 1) return lastTime;
            if (match == 2)
            {
                long tod = TimestampParser.TimeOfDay(b, start + lastTimeStart, start + lastTimeEnd);
                if (tod >= 0)
                {
                    System.Buffer.BlockCopy(b, start + lastTimeStart, lastPrefix, lastTimeStart, lastTimeEnd - lastTimeStart);
                    return lastTime = lastDate.AddTicks(tod);
                }
            }
            if (length > lastPrefix.Length) lastPrefix = new byte[Math.Max(length, lastPrefix.Length * 2)];
            System.Buffer.BlockCopy(b, start, lastPrefix, 0, length);
            lastPrefixLength = length;
            lastTime = TimestampParser.Parse(b, start, code, out bool invalid, out int ts, out int te);
            lastTimeStart = lastTime.HasValue && ts >= 0 ? ts - start : -1;
            lastTimeEnd = te - start;
            if (lastTime.HasValue) lastDate = lastTime.Value.Date;
            if (invalid && lastTime == null)
                sink.OnWarning(number, Sessions.DiagnosticKind.PrefixTime, "unreadable date or time in the line prefix (out of range): the line is read without a time", AsciiBytes.Text(b, start, Math.Min(end, code + 80) - start));
            return lastTime;
        }

        private bool MatchesPending(byte[] b, int code)
        {
            for (int i = 0; i < 7; i++) if (b[code + i] != pendingCode[i]) return false;
            return true;
        }

        private void Append(byte[] b, int from, int end, long number)
        {
            pendingLastLine = number;
            if (pendingCut) return;
            if (pendingBody.Length + (end - from) > MaxMessageBytes)
            {
                pendingBody.Append(b, from, Math.Max(0, MaxMessageBytes - pendingBody.Length));
                pendingCut = true;
                sink.OnWarning(number, Sessions.DiagnosticKind.MessageTooLong, pendingCode + " message continued beyond " + (MaxMessageBytes / 1024) + " KiB (from line " + pendingLine.ToString(CultureInfo.InvariantCulture) + "): the rest of it is ignored", null);
                return;
            }
            pendingBody.Append(b, from, end - from);
        }

        /// <summary>The message codes met, made once each (a log holds a few hundred kinds among millions of lines).</summary>
        private readonly Dictionary<ulong, string> codes = new Dictionary<ulong, string>();

        private string CodeAt(byte[] b, int code)
        {
            ulong key = 0;
            for (int i = 0; i < 7; i++) key = key << 8 | b[code + i];
            if (codes.TryGetValue(key, out var known)) return known;
            var text = Encoding.ASCII.GetString(b, code, 7);
            if (codes.Count < 4096) codes[key] = text;
            return text;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void FlushPending()
        {
            if (pendingCode == null) return;
            var line = new LogLine
            {
                Source = source, LineNumber = pendingLine, LastLineNumber = pendingLastLine, Time = pendingTime,
                Code = pendingCode, Body = pendingBody.ToText().TrimEnd(), Text = pendingText,
            };
            pendingCode = null;
            pendingText = null;
            sink.OnEvent(line);
        }

        /// <summary>The bytes of a rejoined message; linear in its size.</summary>
        private sealed class MessageBuilder
        {
            private byte[] data = new byte[256];
            public int Length { get; private set; }
            public void Clear() => Length = 0;
            public void Append(byte[] b, int offset, int count)
            {
                if (count <= 0) return;
                if (Length + count > data.Length) Array.Resize(ref data, Math.Max(data.Length * 2, Length + count));
                System.Buffer.BlockCopy(b, offset, data, Length, count);
                Length += count;
            }
            public string ToText() => AsciiBytes.Text(data, 0, Length);
        }
    }

    /// <summary>Lines of text that is already a string.</summary>
    public static class TextLines
    {
        /// <summary>Splits text that may hold several lines (Get-Content -Raw, a string from the pipeline) into lines: LF, CRLF or CR.</summary>
        public static IEnumerable<string> Split(string text)
        {
            if (text == null) yield break;
            if (text.Length == 0) { yield return text; yield break; }
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c != '\n' && c != '\r') continue;
                yield return text.Substring(start, i - start);
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                start = i + 1;
            }
            if (start < text.Length) yield return text.Substring(start);
        }
    }
}
