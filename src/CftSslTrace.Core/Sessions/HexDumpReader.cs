using System;
using System.Collections.Generic;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Turns trace text into dump blocks without building sessions (ConvertFrom-CftHexDump): CFTY02Z lines with any
    /// prefix, and bare dump lines as pasted from an e-mail ("16030100 2A020000 ..." with or without "CTX=").
    /// A block ends at the next data header of its CTX, at a non-dump line of its CTX, at a blank line
    /// (bare lines) or at the end of the input.
    /// </summary>
    public sealed class HexDumpReader
    {
        private readonly string file;
        private readonly LogLineParser parser;
        private readonly Dictionary<string, BlockAssembler> open = new Dictionary<string, BlockAssembler>(StringComparer.Ordinal);
        private readonly List<DumpBlock> ready = new List<DumpBlock>();

        public HexDumpReader(string file)
        {
            this.file = file;
            parser = new LogLineParser(file);
        }

        public Action<TraceDiagnostic> Diagnostic { get; set; }

        public IReadOnlyList<DumpBlock> FeedLine(long number, string text)
        {
            ready.Clear();
            foreach (var line in parser.Feed(number, text)) Process(line);
            return ready.ToArray();
        }

        public IReadOnlyList<DumpBlock> Complete()
        {
            ready.Clear();
            var last = parser.Flush();
            if (last != null) Process(last);
            foreach (var a in open.Values) Emit(a.Close());
            open.Clear();
            ready.Sort((x, y) => x.Line.CompareTo(y.Line));
            return ready.ToArray();
        }

        private void Process(LogLine line)
        {
            TraceLine t;
            if (line.IsTrace) t = TraceLineParser.ParseTraceBody(line.Body);
            else if (line.Code == null)
            {
                if (line.Body.Length == 0) { CloseBare(); return; }
                t = TraceLineParser.ParseBare(line.Body);
                if (t == null) { CloseBare(); return; }
            }
            else
            {
                // a session line ends the open block of its CTX
                var values = CftEvent.ParseValues(line.Body);
                if (values.TryGetValue("CTX", out var c) && open.TryGetValue(c, out var a)) Emit(a.Close());
                return;
            }
            string key = t.Ctx ?? "";
            if (!open.TryGetValue(key, out var asm)) open[key] = asm = new BlockAssembler(file, t.Ctx);
            switch (t.Kind)
            {
                case TraceLineKind.DataHeader:
                    Emit(asm.Header(t, line.LineNumber, line.Time));
                    break;
                case TraceLineKind.Dump:
                    asm.Dump(t.Bytes, line.LineNumber, line.Time, out var closed);
                    Emit(closed);
                    break;
                case TraceLineKind.Malformed:
                    Diagnostic?.Invoke(new TraceDiagnostic { File = file, Line = line.LineNumber, Message = t.Message, Text = line.Text });
                    if (t.Bytes != null && t.Bytes.Length > 0) { asm.Dump(t.Bytes, line.LineNumber, line.Time, out var closedByDamaged); Emit(closedByDamaged); }
                    else if (t.Direction != TraceDirection.Unknown) Emit(asm.Header(t, line.LineNumber, line.Time));
                    break;
                default:
                    Emit(asm.Close());
                    break;
            }
        }

        private void CloseBare()
        {
            if (open.TryGetValue("", out var a)) Emit(a.Close());
        }

        private void Emit(DumpBlock b)
        {
            if (b != null) ready.Add(b);
        }
    }
}
