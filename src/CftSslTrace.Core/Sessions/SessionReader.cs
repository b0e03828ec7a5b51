using System;
using System.Collections.Generic;
using System.IO;
using CftSslTrace.Analysis;
using CftSslTrace.Reading;
using CftSslTrace.Tls;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Demultiplexes the lines of one input by CTX into sessions and decodes them, streaming: a session is returned
    /// as soon as it is over (closing line plus a grace period, reuse of its CTX, or end of input), so memory
    /// holds only the sessions still open.
    /// </summary>
    public sealed class SessionReader
    {
        /// <summary>Lines to wait after a closing line for stragglers of the same CTX (a final alert...).</summary>
        public const int ClosingGraceLines = 200;

        private sealed class OpenSession
        {
            public CftSslSession Session;
            public TlsConversation Conversation;
            public BlockAssembler Blocks;
            public long ClosedAt = -1;
        }

        private readonly string file;
        private readonly LogLineParser parser;
        private readonly Dictionary<string, OpenSession> open = new Dictionary<string, OpenSession>(StringComparer.Ordinal);
        private readonly Queue<OpenSession> closing = new Queue<OpenSession>();
        private readonly List<CftSslSession> ready = new List<CftSslSession>();
        private long lastLine;

        public SessionReader(string file)
        {
            this.file = file;
            parser = new LogLineParser(file);
        }

        /// <summary>Called for each malformed or suspicious line.</summary>
        public Action<TraceDiagnostic> Diagnostic { get; set; }

        public ReaderStatistics Statistics { get; } = new ReaderStatistics();

        /// <summary>Reads every session of a file (streaming).</summary>
        public static IEnumerable<CftSslSession> ReadFile(string path, Action<TraceDiagnostic> diagnostic = null)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan))
            {
                var reader = new SessionReader(path) { Diagnostic = diagnostic };
                foreach (var s in reader.ReadAll(stream)) yield return s;
            }
        }

        /// <summary>Reads every session of a stream (streaming).</summary>
        public IEnumerable<CftSslSession> ReadAll(Stream stream, Action<long> bytesRead = null)
        {
            foreach (var raw in LineSource.Read(stream, bytesRead))
                foreach (var s in FeedLine(raw.Number, raw.Text)) yield return s;
            foreach (var s in Complete()) yield return s;
        }

        /// <summary>Feeds one physical line; returns the sessions that are now complete.</summary>
        public IReadOnlyList<CftSslSession> FeedLine(long number, string text)
        {
            ready.Clear();
            Statistics.Lines++;
            lastLine = number;
            foreach (var line in parser.Feed(number, text)) Process(line);
            ExpireClosing(number);
            return ready.Count == 0 ? Array.Empty<CftSslSession>() : ready.ToArray();
        }

        /// <summary>Ends the input: every open session is returned.</summary>
        public IReadOnlyList<CftSslSession> Complete()
        {
            ready.Clear();
            var last = parser.Flush();
            if (last != null) Process(last);
            var all = new List<OpenSession>(open.Values);
            all.Sort((a, b) => a.Session.FirstLine.CompareTo(b.Session.FirstLine));
            foreach (var s in all) Finish(s);
            open.Clear();
            closing.Clear();
            return ready.ToArray();
        }

        private void Process(LogLine line)
        {
            if (line.Code == null)
            {
                if (line.Body.Length > 0) Statistics.UnrecognizedLines++;
                return;
            }
            if (line.IsTrace) { Trace(line); return; }
            var values = CftEvent.ParseValues(line.Body);
            values.TryGetValue("CTX", out string ctx);
            if (line.IsSsl)
            {
                Statistics.SessionLines++;
                if (line.Code == "CFTY19I" || line.Code == "CFTY20I")
                {
                    if (ctx == null) { Warn(line, line.Code + " without CTX="); return; }
                    if (open.TryGetValue(ctx, out var previous)) { open.Remove(ctx); Finish(previous); }
                    var s = Start(ctx, line, openingMissing: false);
                    s.Session.Role = line.Code == "CFTY19I" ? SessionRole.Client : SessionRole.Server;
                    AddEvent(s, line, values);
                    return;
                }
                if (ctx == null) return; // system-level SSL messages (CFTY07E...) belong to no session
                var os = Get(ctx, line);
                AddEvent(os, line, values);
                if (line.Code == "CFTY11I" || line.Code == "CFTY12I")
                {
                    os.Session.Closed = true;
                    if (os.ClosedAt < 0) { os.ClosedAt = line.LineNumber; closing.Enqueue(os); }
                }
                return;
            }
            if (ctx != null && open.TryGetValue(ctx, out var related)) { AddEvent(related, line, values); return; }
            Statistics.OtherCftLines++;
        }

        private void Trace(LogLine line)
        {
            Statistics.TraceLines++;
            var t = TraceLineParser.ParseTraceBody(line.Body);
            if (t.Ctx == null)
            {
                Statistics.MalformedLines++;
                Warn(line, t.Message);
                return;
            }
            var s = Get(t.Ctx, line);
            s.Session.LastLine = line.LastLineNumber;
            if (line.Time.HasValue) s.Session.EndTime = line.Time;
            switch (t.Kind)
            {
                case TraceLineKind.DataHeader:
                    Deliver(s, s.Blocks.Header(t, line.LineNumber, line.Time));
                    break;
                case TraceLineKind.Dump:
                    {
                        bool orphan = s.Blocks.Dump(t.Bytes, line.LineNumber, line.Time, out var closed);
                        Deliver(s, closed);
                        if (orphan)
                            Warn(line, "dump line without a data header" + (closed != null ? " (the previous block already holds the " + closed.AnnouncedCount + " bytes announced)" : "")
                                + ": direction unknown, its bytes are kept in the session's blocks but not decoded");
                    }
                    break;
                case TraceLineKind.Malformed:
                    Statistics.MalformedLines++;
                    Warn(line, t.Message);
                    if (t.Bytes != null && t.Bytes.Length > 0) { s.Blocks.Dump(t.Bytes, line.LineNumber, line.Time, out var closedByDamaged); Deliver(s, closedByDamaged); }
                    else if (t.Direction != TraceDirection.Unknown) Deliver(s, s.Blocks.Header(t, line.LineNumber, line.Time));
                    break;
                case TraceLineKind.Event:
                    Deliver(s, s.Blocks.Close());
                    s.Session.Events.Add(new CftEvent { Line = line.LineNumber, Time = line.Time, Code = line.Code, Text = t.Message, Values = new Dictionary<string, string>() });
                    break;
            }
        }

        private void Deliver(OpenSession s, DumpBlock block)
        {
            if (block == null) return;
            s.Session.Blocks.Add(block);
            s.Conversation.AddBlock(block);
        }

        private OpenSession Get(string ctx, LogLine line)
        {
            if (open.TryGetValue(ctx, out var s)) return s;
            var created = Start(ctx, line, openingMissing: true);
            created.Session.Notes.Add("line " + line.LineNumber + ": no opening line (CFTY19I/CFTY20I) for CTX=" + ctx + " before this line");
            return created;
        }

        private OpenSession Start(string ctx, LogLine line, bool openingMissing)
        {
            var session = new CftSslSession
            {
                File = file, Ctx = ctx, FirstLine = line.LineNumber, LastLine = line.LastLineNumber,
                StartTime = line.Time, EndTime = line.Time, OpeningMissing = openingMissing,
            };
            var s = new OpenSession { Session = session, Conversation = new TlsConversation(session), Blocks = new BlockAssembler(file, ctx) };
            open[ctx] = s;
            return s;
        }

        private void AddEvent(OpenSession s, LogLine line, Dictionary<string, string> values)
        {
            Deliver(s, s.Blocks.Close());
            s.Session.Events.Add(new CftEvent { Line = line.LineNumber, Time = line.Time, Code = line.Code, Text = line.Body, Values = values });
            s.Session.LastLine = line.LastLineNumber;
            if (line.Time.HasValue) s.Session.EndTime = line.Time;
        }

        private void ExpireClosing(long number)
        {
            while (closing.Count > 0)
            {
                var s = closing.Peek();
                if (!open.TryGetValue(s.Session.Ctx, out var current) || current != s) { closing.Dequeue(); continue; }
                if (number - s.ClosedAt < ClosingGraceLines) break;
                closing.Dequeue();
                open.Remove(s.Session.Ctx);
                Finish(s);
            }
        }

        private void Finish(OpenSession s)
        {
            Deliver(s, s.Blocks.Close());
            s.Conversation.Finish();
            s.Conversation.RefreshFrameTexts();
            SessionAnalyzer.Analyze(s.Session, s.Conversation);
            Statistics.Sessions++;
            Statistics.Frames += s.Session.Frames.Count;
            ready.Add(s.Session);
        }

        private void Warn(LogLine line, string message)
        {
            Diagnostic?.Invoke(new TraceDiagnostic { File = file, Line = line.LineNumber, Severity = DiagnosticSeverity.Warning, Message = message, Text = line.Text });
        }
    }
}
