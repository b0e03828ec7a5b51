using System;
using System.Collections.Generic;
using System.IO;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Turns trace text into dump blocks without building sessions (ConvertFrom-CftHexDump): CFTY02Z lines with any
    /// prefix, and bare dump lines as pasted from an e-mail ("16030100 2A020000 ..." with or without "CTX=").
    /// As in sessions, a block is a data header and the dump lines of its CTX that follow it, up to the next data header
    /// of that CTX (the count of the header is advisory); bare lines end at a blank or other line. Blocks come out in the
    /// order of their first line.
    /// </summary>
    public sealed class HexDumpReader : ILogLineSink
    {
        private readonly string file;
        private readonly LogScanner scanner;
        private readonly Dictionary<string, DumpBlock> open = new Dictionary<string, DumpBlock>(StringComparer.Ordinal);
        private readonly List<DumpBlock> ready = new List<DumpBlock>();
        private string lastCtx;

        public HexDumpReader(string file)
        {
            this.file = file;
            scanner = new LogScanner(file, this);
        }

        public Action<TraceDiagnostic> Diagnostic { get; set; }

        /// <summary>Feeds one line of text; returns the blocks now complete.</summary>
        public IReadOnlyList<DumpBlock> FeedLine(long number, string text)
        {
            ready.Clear();
            var bytes = AsciiBytes.Bytes(text);
            if (scanner.Feed(bytes, 0, bytes.Length, number)) OnTrace(scanner);
            return Take();
        }

        /// <summary>Every block of a stream.</summary>
        public IEnumerable<DumpBlock> ReadAll(Stream stream, System.Text.Encoding encoding = null)
        {
            var lines = new LineReader(stream, encoding);
            while (lines.Read())
            {
                ready.Clear();
                if (scanner.Feed(lines.Buffer, lines.LineStart, lines.LineLength, lines.Number)) OnTrace(scanner);
                foreach (var b in Take()) yield return b;
            }
            foreach (var b in Complete()) yield return b;
        }

        /// <summary>The end of the input: every open block is complete.</summary>
        public IReadOnlyList<DumpBlock> Complete()
        {
            ready.Clear();
            scanner.Flush();
            foreach (var b in open.Values) Close(b);
            open.Clear();
            return Take();
        }

        private IReadOnlyList<DumpBlock> Take()
        {
            if (ready.Count == 0) return Array.Empty<DumpBlock>();
            ready.Sort((x, y) => x.Line.CompareTo(y.Line));
            var r = ready.ToArray();
            ready.Clear();
            return r;
        }

        private void OnTrace(LogScanner t)
        {
            string ctx = t.CtxLength > 0 ? t.CtxText : t.IsContinuation ? lastCtx : null;
            if (ctx == null)
            {
                Warn(t.Number, DiagnosticKind.TraceWithoutCtx, "CFTY02Z line without CTX=", t.Text);
                return;
            }
            lastCtx = ctx;
            Content(ctx, t, allowEvent: true);
        }

        void ILogLineSink.OnText(LogScanner t)
        {
            // a line pasted without its code: "[CTX=x] hex groups" or a bare data header
            var b = t.Buffer;
            int p = t.Start;
            string ctx = TraceLineParser.ReadCtx(b, ref p, t.End, out int cs, out int cl) ? AsciiBytes.Text(b, cs, cl) : null;
            var line = TraceLineParser.ParseContent(b, p, t.End, allowEvent: false);
            if (line == null) { CloseBare(); return; }
            line.Ctx = ctx;
            Apply(ctx ?? "", line, t.Number, t.Time, t.Text);
        }

        void ILogLineSink.OnEvent(LogLine line) { }

        void ILogLineSink.OnWarning(long line, string kind, string message, string text) => Warn(line, kind, message, text);

        private void Content(string ctx, LogScanner t, bool allowEvent)
        {
            switch (t.Content)
            {
                case TraceContent.Dump:
                    Dump(ctx, t.DumpBuffer, t.DumpStart, t.DumpCount, t.Number, t.Time);
                    return;
                case TraceContent.DamagedDump:
                    Warn(t.Number, DiagnosticKind.DamagedDump, t.DamageMessage, t.Text);
                    if (t.DumpCount > 0) Dump(ctx, t.DumpBuffer, t.DumpStart, t.DumpCount, t.Number, t.Time);
                    return;
            }
            var line = t.ParseOther();
            Apply(ctx, line, t.Number, t.Time, t.Text);
        }

        private void Apply(string key, TraceLine line, long number, DateTime? time, string text)
        {
            switch (line.Kind)
            {
                case TraceLineKind.DataHeader:
                    Header(key, line, number, time);
                    break;
                case TraceLineKind.Dump:
                    Dump(key, line.Bytes, 0, line.Bytes.Length, number, time);
                    break;
                case TraceLineKind.Malformed:
                    Warn(number, line.Problem ?? DiagnosticKind.MalformedTrace, line.Message, text);
                    if (line.Bytes != null && line.Bytes.Length > 0) Dump(key, line.Bytes, 0, line.Bytes.Length, number, time);
                    else if (line.Direction != TraceDirection.Unknown) Header(key, line, number, time);
                    break;
            }
        }

        private void Header(string key, TraceLine t, long number, DateTime? time)
        {
            if (open.TryGetValue(key, out var previous)) Close(previous);
            open[key] = new DumpBlock
            {
                File = file, Ctx = key.Length == 0 ? null : key, Line = number, LastLine = number, Time = time,
                Direction = t.Direction, Function = t.Function, DataKind = t.DataKind, AnnouncedCount = t.Count,
            };
        }

        private void Dump(string key, byte[] bytes, int offset, int count, long number, DateTime? time)
        {
            if (!open.TryGetValue(key, out var b))
                open[key] = b = new DumpBlock { File = file, Ctx = key.Length == 0 ? null : key, Line = number, Time = time, Direction = TraceDirection.Unknown };
            b.Accumulator.Add(bytes, offset, count);
            b.LastLine = number;
        }

        private void CloseBare()
        {
            if (open.TryGetValue("", out var b)) { open.Remove(""); Close(b); }
        }

        private void Close(DumpBlock b)
        {
            b.Seal();
            ready.Add(b);
        }

        private void Warn(long line, string kind, string message, string text)
            => Diagnostic?.Invoke(new TraceDiagnostic { File = file, Line = line, Kind = kind, Severity = DiagnosticSeverity.Warning, Message = message, Text = text });
    }
}
