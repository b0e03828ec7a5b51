using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using CftSslTrace.Analysis;
using CftSslTrace.Reading;
using CftSslTrace.Tls;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Demultiplexes the lines of a history (one log, or the files of a command read as one log across CFT's log
    /// switches) by CTX into sessions and decodes them as the lines arrive, streaming: a session is returned as soon as
    /// it is over (closing line plus a grace period, reuse of its CTX, idle for the idle timeout, or the end of the
    /// input), and a session holds its handshake, not its application data, so memory stays flat whatever the size of
    /// the log. Lines are numbered as one sequence across the files (positions); every object names its file and line.
    /// </summary>
    public sealed partial class SessionReader
    {
        /// <summary>Lines to wait after a closing line for stragglers of the same CTX (a final alert...).</summary>
        public const int ClosingGraceLines = 200;

        private readonly string name;
        private readonly SourceMap map;
        /// <summary>The input of the lines being applied, and the position of its first line.</summary>
        private string file, shortName;
        private long segmentStart = 1;
        private readonly SessionReaderOptions options;
        private readonly Dictionary<string, OpenSession> open = new Dictionary<string, OpenSession>(StringComparer.Ordinal);
        private readonly CtxTable openByKey = new CtxTable();
        private readonly Queue<OpenSession> closing = new Queue<OpenSession>();
        private readonly List<CftSslSession> ready = new List<CftSslSession>();
        private readonly ReturnedSessions returned = new ReturnedSessions();
        private readonly X509.CertificateCache certificates = new X509.CertificateCache();
        private readonly SharedRecordBytes records = new SharedRecordBytes();
        private readonly MemoryGuard memory = new MemoryGuard();
        private OpenSession current, lastTrace;
        private OpenSession lruHead, lruTail;
        private long lineNumber;
        private long nowTicks = -1;
        // text input (FeedLine): lines are scanned one at a time on the caller's thread
        private BatchProducer textProducer;
        private LineBatch textBatch;

        public SessionReader(string file, SessionReaderOptions options = null)
        {
            name = file;
            map = new SourceMap(file);
            this.file = file;
            shortName = map.ShortNameOf(1);
            this.options = options?.Copy() ?? new SessionReaderOptions();
            idleTicks = this.options.IdleTimeout.Ticks;
            idleLines = this.options.IdleLines;
        }

        private readonly long idleTicks, idleLines;

        /// <summary>Called for each malformed or suspicious line.</summary>
        public Action<TraceDiagnostic> Diagnostic { get; set; }

        /// <summary>With <see cref="SessionReaderOptions.StreamFrames"/>: each frame of each session, in the session's log order, as soon as it is decoded.</summary>
        public Action<CftSslSession, TlsFrame> FrameReleased { get; set; }

        public ReaderStatistics Statistics { get; } = new ReaderStatistics();

        /// <summary>Where the lines read come from: resolves a position to its file and line.</summary>
        public SourceMap Sources => map;

        /// <summary>Reads every session of a file (streaming), as it is (no archive, no probe: see <see cref="ReadFiles"/>).</summary>
        public static IEnumerable<CftSslSession> ReadFile(string path, Action<TraceDiagnostic> diagnostic = null, SessionReaderOptions options = null)
        {
            using (var stream = OpenFile(path))
            {
                var reader = new SessionReader(path, options) { Diagnostic = diagnostic };
                foreach (var s in reader.ReadAll(stream)) yield return s;
            }
        }

        /// <summary>Reads files as one history (ordered by their first time, archives read in place, copies read once).</summary>
        public static IEnumerable<CftSslSession> ReadFiles(IEnumerable<string> paths, Action<TraceDiagnostic> diagnostic = null, SessionReaderOptions options = null)
        {
            var history = LogHistory.Open(paths, options?.Encoding, diagnostic);
            var reader = new SessionReader(history.Sources.Count > 0 ? history.Sources[0].Name : "", options) { Diagnostic = diagnostic };
            return reader.ReadAll(history);
        }

        /// <summary>Opens a log for reading while CFT may still write it (shared read/write/delete, sequential).</summary>
        public static FileStream OpenFile(string path) => LogSource.OpenFile(path);

        /// <summary>Reads every session of a stream (streaming); see <see cref="ReadAll(LogHistory, Action{long})"/>.</summary>
        public IEnumerable<CftSslSession> ReadAll(Stream stream, Action<long> bytesRead = null)
            => ReadAll(LogHistory.Of(LogSource.FromStream(name, stream)), bytesRead);

        /// <summary>
        /// Reads every session of a history (streaming): its inputs one after the other as one log. bytesRead is called
        /// now and then with the bytes read so far (as stored: compressed for archives). With two cores or more and a
        /// large input, one thread reads and parses the lines while the caller's thread decodes the sessions (and receives
        /// them, and the frames); memory holds at most a few batches of parsed lines.
        /// </summary>
        public IEnumerable<CftSslSession> ReadAll(LogHistory history, Action<long> bytesRead = null)
        {
            bool compressed = false;
            foreach (var s in history.Sources) compressed |= s.Format != FileFormat.Plain;
            long length = compressed ? -1 : history.StoredLength;
            long nextProgress = 0;
            // the producer last: a read stopped early closes its input once the reading thread has stopped
            using (var producer = new BatchProducer(name, history, options.Encoding))
            using (length < 0 || length >= 4L << 20 ? MemoryGuard.Batch() : null)
            {
                if (UseTwoThreads(compressed ? history.StoredLength * 8 : history.StoredLength))
                {
                    using (var pipeline = new BatchPipeline(producer, length))
                    {
                        LineBatch batch;
                        while ((batch = pipeline.Take()) != null)
                        {
                            Apply(batch);
                            bool end = batch.EndOfInput;
                            long at = batch.BytesRead;
                            pipeline.Return(batch);
                            if (bytesRead != null && at >= nextProgress) { bytesRead(at); nextProgress = at + (4 << 20); }
                            if (ready.Count > 0)
                            {
                                StampFloor();
                                foreach (var s in ready.ToArray()) yield return s;
                                ready.Clear();
                            }
                            if (end) break;
                        }
                    }
                }
                else
                {
                    var batch = LineBatch.ForInput(length);
                    bool more = true;
                    while (more)
                    {
                        batch.Clear();
                        more = producer.Fill(batch);
                        Apply(batch);
                        if (bytesRead != null && batch.BytesRead >= nextProgress) { bytesRead(batch.BytesRead); nextProgress = batch.BytesRead + (4 << 20); }
                        if (ready.Count > 0)
                        {
                            StampFloor();
                            foreach (var s in ready.ToArray()) yield return s;
                            ready.Clear();
                        }
                    }
                }
            }
            foreach (var s in Complete()) yield return s;
        }

        private bool UseTwoThreads(long length)
        {
            if (options.Threads == 1 || Environment.ProcessorCount < 2) return false;
            if (options.Threads >= 2) return true;
            return length >= 4L << 20;
        }

        /// <summary>Feeds one physical line of text (from the pipeline); returns the sessions that are now complete.</summary>
        public IReadOnlyList<CftSslSession> FeedLine(long number, string text)
        {
            ready.Clear();
            if (textProducer == null) { textProducer = new BatchProducer(name, null, null); textBatch = new LineBatch(); }
            textBatch.Clear();
            textProducer.FeedText(textBatch, text, number);
            Apply(textBatch);
            StampFloor();
            var result = ready.Count == 0 ? Array.Empty<CftSslSession>() : ready.ToArray();
            ready.Clear();
            return result;
        }

        /// <summary>Ends the input: every open session is returned.</summary>
        public IReadOnlyList<CftSslSession> Complete()
        {
            ready.Clear();
            if (textProducer != null)
            {
                textBatch.Clear();
                textProducer.Flush(textBatch);
                Apply(textBatch);
            }
            var all = new List<OpenSession>(open.Values);
            all.Sort((a, b) => a.Session.FirstPosition.CompareTo(b.Session.FirstPosition));
            foreach (var s in all) Finish(s, SessionEnd.EndOfInput);
            open.Clear();
            openByKey.Clear();
            closing.Clear();
            lruHead = lruTail = current = lastTrace = ageHead = ageTail = null;
            StampFloor();
            var result = ready.ToArray();
            ready.Clear();
            return result;
        }

        /// <summary>
        /// Following a live log: the clock moves on while no line comes. Sessions closed for longer than closingGrace
        /// (wall-clock) are returned without waiting for the grace lines, and sessions idle for the idle timeout of log
        /// time, counted up to now (CFT's log time is the machine's local time), are returned.
        /// </summary>
        public IReadOnlyList<CftSslSession> Tick(DateTime now, TimeSpan closingGrace)
        {
            ready.Clear();
            if (textProducer != null)
            {
                // a message held for continuation lines: CFT writes them with it, so none is coming any more
                textBatch.Clear();
                textProducer.Flush(textBatch);
                Apply(textBatch);
            }
            long wall = DateTime.UtcNow.Ticks;
            while (closing.Count > 0)
            {
                var s = closing.Peek();
                if (s.Finished) { closing.Dequeue(); continue; }
                if (wall - s.ClosedWallTicks < closingGrace.Ticks) break;
                closing.Dequeue();
                Finish(s, SessionEnd.ClosingLine);
            }
            if (now.Ticks > nowTicks && nowTicks >= 0) nowTicks = now.Ticks;
            if (lruTail != null) ExpireIdle(lineNumber);
            StampFloor();
            var result = ready.Count == 0 ? Array.Empty<CftSslSession>() : ready.ToArray();
            ready.Clear();
            return result;
        }

        /// <summary>
        /// Following a live log: CFT switched it (renamed away and recreated, or truncated). The sessions still open go on
        /// in the new log (a dump cut by the switch continues there), as they do across the files of a history: the lines
        /// fed from now on (numbered on from the last line fed) are the new file's, from its line 1.
        /// </summary>
        public void SwitchFile(string newFile)
        {
            if (textProducer != null)
            {
                ready.Clear();
                textBatch.Clear();
                textProducer.Flush(textBatch);
                Apply(textBatch);
                textProducer = null;
            }
            BeginSegment(new SegmentStart { Source = null, FirstPosition = lineNumber + 1, FirstLine = 1 }, newFile, System.IO.Path.GetFileName(newFile), "the log was switched (followed with -Wait)");
        }

        /// <summary>The lines from here on are another input's (the next file of a history, or the new log after a switch).</summary>
        private void BeginSegment(SegmentStart seg, string inputName, string inputShortName, string why)
        {
            map.Begin(seg.FirstPosition, inputName, inputShortName, seg.FirstLine);
            file = inputName;
            shortName = inputShortName;
            segmentStart = seg.FirstPosition;
            switchReason = why;
        }

        private string switchReason;

        // --- lines -------------------------------------------------------------------------------------

        /// <summary>The lines of a batch, in order: the decoding side of the reader.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Apply(LineBatch b)
        {
            if (b.Error != null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(b.Error).Throw();
            Statistics.Lines += b.Lines;
            if (b.Count > 64) memory.Check();
            for (int i = 0; i < b.Count; i++)
            {
                long number = b.Numbers[i];
                lineNumber = number;
                // every line with a time moves the log's clock on (a line of no session after a gap too)
                long ticks = b.Times[i];
                if (ticks >= 0) nowTicks = ticks;
                switch (b.Kinds[i])
                {
                    case ItemKind.Event:
                        OnEvent((LogLine)b.Objects[i]);
                        break;
                    case ItemKind.Text:
                        Statistics.UnrecognizedLines++;
                        break;
                    case ItemKind.Warning:
                        Warn(number, (TraceDiagnostic)b.Objects[i]);
                        break;
                    case ItemKind.Segment:
                        {
                            var seg = (SegmentStart)b.Objects[i];
                            BeginSegment(seg, seg.Source.Name, seg.Source.ShortName, null);
                            break;
                        }
                    default:
                        OnTrace(b, i);
                        break;
                }
                // sessions past their closing grace, or idle (the least recently active is at the tail); after the line, so
                // that a line of a session always goes to it (one line with a wrong date costs only its time)
                if (closing.Count > 0) ExpireClosing(number);
                var tail = lruTail;
                if (tail != null && (tail.LastTicks >= 0 && nowTicks >= 0 ? nowTicks - tail.LastTicks > idleTicks : number - tail.LastLine > idleLines)) ExpireIdle(number);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void OnTrace(LineBatch b, int i)
        {
            Statistics.TraceLines++;
            long number = b.Numbers[i];
            long ticks = b.Times[i];
            int ctxLength = b.CtxLengths[i];
            long key = b.CtxKeys[i];
            OpenSession s;
            if (ctxLength == 0)
            {
                if (b.Continuations[i] && lastTrace != null && !lastTrace.Finished) s = lastTrace;
                else
                {
                    Statistics.MalformedLines++;
                    Warn(number, DiagnosticKind.TraceWithoutCtx, "CFTY02Z line without CTX=", b.Texts[i]);
                    return;
                }
            }
            else if (current != null && current.Key.Packed == key && current.Key.Length == ctxLength && key >= 0) s = current;
            else
            {
                if (key >= 0) s = openByKey.Find(key, ctxLength) ?? Get(LineBatch.KeyText(key, ctxLength), number, Time(ticks), new CtxKey(key, ctxLength));
                else s = Get(AsciiBytes.Text(b.Bytes, (int)(-key - 1), ctxLength), number, Time(ticks));
                current = s;
            }
            if (lastTrace != s) lastTrace = s;
            Touch(s, number, ticks);
            switch (b.Kinds[i])
            {
                case ItemKind.Hex:
                    {
                        int start = b.DataStarts[i], end = start + b.DataLengths[i], count = 0;
                        var kind = TraceLineParser.ParseDump(b.Bytes, start, end, ref decoded, ref count, out int damagedAt, hexTable, pairTable);
                        if (kind == DumpParse.Dump) { AddDump(s, decoded, 0, count, number, ticks, null); break; }
                        if (kind == DumpParse.Damaged)
                        {
                            Statistics.MalformedLines++;
                            Warn(number, DiagnosticKind.DamagedDump, TraceLineParser.DamageMessage(b.Bytes, damagedAt, end, count), "CTX=" + s.Session.Ctx + " " + AsciiBytes.Text(b.Bytes, start, end - start));
                            if (count > 0) AddDump(s, decoded, 0, count, number, ticks, null);
                            break;
                        }
                        OnOther(s, TraceLineParser.ParseContent(b.Bytes, start, end, allowEvent: true), number, Time(ticks), "CTX=" + s.Session.Ctx + " " + AsciiBytes.Text(b.Bytes, start, end - start));
                        break;
                    }
                case ItemKind.Dump:
                    AddDump(s, b.Bytes, b.DataStarts[i], b.DataLengths[i], number, ticks, b.Texts[i]);
                    break;
                case ItemKind.DamagedDump:
                    Statistics.MalformedLines++;
                    Warn(number, DiagnosticKind.DamagedDump, (string)b.Objects[i], b.Texts[i]);
                    if (b.DataLengths[i] > 0) AddDump(s, b.Bytes, b.DataStarts[i], b.DataLengths[i], number, ticks, b.Texts[i]);
                    break;
                default:
                    OnOther(s, (TraceLine)b.Objects[i], number, Time(ticks), b.Texts[i]);
                    break;
            }
        }

        private static DateTime? Time(long ticks) => ticks < 0 ? (DateTime?)null : new DateTime(ticks);

        private byte[] decoded = new byte[256];
        private readonly sbyte[] hexTable = AsciiBytes.HexValue;
        private readonly ushort[] pairTable = AsciiBytes.HexPairs;

        /// <summary>A trace line that is not a dump: a data header, a trace event, or a malformed line.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void OnOther(OpenSession s, TraceLine tl, long number, DateTime? time, string text)
        {
            switch (tl.Kind)
            {
                case TraceLineKind.DataHeader:
                    Header(s, tl, number, time);
                    break;
                case TraceLineKind.Malformed:
                    Statistics.MalformedLines++;
                    Warn(number, tl.Problem ?? DiagnosticKind.MalformedTrace, tl.Message, text);
                    if (tl.Bytes != null && tl.Bytes.Length > 0) AddDump(s, tl.Bytes, 0, tl.Bytes.Length, number, time?.Ticks ?? -1, text);
                    else if (tl.Direction != TraceDirection.Unknown) Header(s, tl, number, time);
                    break;
                default:
                    s.Session.Events.Add(new CftEvent
                    {
                        File = map.FileOf(number), Line = map.LineOf(number), Position = number,
                        Time = time, Code = "CFTY02Z", Text = tl.Message, Values = new Dictionary<string, string>(),
                    });
                    break;
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Header(OpenSession s, TraceLine tl, long number, DateTime? time)
        {
            FlushUnknown(s);
            s.BlockDirection = tl.Direction;
            s.Conversation.BeginBlock(tl.Direction, number, time, tl.Count);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void AddDump(OpenSession s, byte[] bytes, int offset, int count, long number, long ticks, string text)
        {
            if (s.BlockDirection != TraceDirection.Unknown)
            {
                s.Conversation.Add(s.BlockDirection, bytes, offset, count);
                return;
            }
            // no data header of this session yet: the direction is unknown
            if (s.Unknown == null)
            {
                s.Unknown = new UnknownRun(count) { Line = number, Time = Time(ticks) };
                Warn(number, DiagnosticKind.DumpWithoutHeader, "dump line without a data header: direction unknown, its bytes are kept as a frame but not decoded", text);
            }
            s.Unknown.Add(bytes, offset, count);
        }

        private static void FlushUnknown(OpenSession s)
        {
            var u = s.Unknown;
            if (u == null) return;
            s.Unknown = null;
            s.Conversation.AddUnknown(u.Kept(), u.Captured, u.Line, u.Time);
        }

        private void OnEvent(LogLine line)
        {
            if (!line.IsSsl)
            {
                // a line of a transfer or of the protocol: most name no open session (the transfers of partners without
                // SSL), and its values are read only for one that does
                string named = CftEvent.FindValue(line.Body, "CTX");
                if (!string.IsNullOrEmpty(named))
                {
                    if (open.TryGetValue(named, out var related)) AddEvent(related, line, CftEvent.ParseValues(line.Body));
                    else Statistics.OtherCftLines++;
                    return;
                }
                var target = Correlate(line, out string how);
                if (target != null) AddEvent(target, line, CftEvent.ParseValues(line.Body), how);
                else Statistics.OtherCftLines++;
                return;
            }
            var values = CftEvent.ParseValues(line.Body);
            values.TryGetValue("CTX", out string ctx);
            if (ctx != null && ctx.Length == 0) ctx = null;
            if (line.IsSsl)
            {
                Statistics.SessionLines++;
                if (line.Code == "CFTY19I" || line.Code == "CFTY20I")
                {
                    if (ctx == null) { Warn(line.LineNumber, DiagnosticKind.SessionLineWithoutCtx, line.Code + " without CTX=", line.Text); return; }
                    if (open.TryGetValue(ctx, out var previous)) Finish(previous, SessionEnd.CtxReused);
                    returned.Forget(ctx);
                    var s = Start(ctx, line.LineNumber, line.Time, openingMissing: false);
                    s.Session.Role = line.Code == "CFTY19I" ? SessionRole.Client : SessionRole.Server;
                    AddEvent(s, line, values);
                    return;
                }
                if (ctx == null) return; // system-level SSL messages (CFTY07E...) belong to no session
                var os = Get(ctx, line.LineNumber, line.Time);
                AddEvent(os, line, values);
                if (line.Code == "CFTY11I" || line.Code == "CFTY12I")
                {
                    os.Session.Closed = true;
                    if (os.ClosedAt < 0) { os.ClosedAt = line.LineNumber; os.ClosedWallTicks = DateTime.UtcNow.Ticks; closing.Enqueue(os); }
                }
                return;
            }
        }

        /// <summary>Lines of transfers and of the protocol that name no CTX are tied to a session by these rules, searched this far.</summary>
        private const int CorrelationSearch = 256;
        private static readonly long CorrelationTicks = TimeSpan.FromMinutes(2).Ticks;
        private const long CorrelationLines = 2000;

        /// <summary>
        /// The session a CFT line without CTX belongs to. A line with PART= (CFTT75E connect reject, CFTH11E, CFTT13I...):
        /// the client session of that partner active within 2 minutes of log time (2,000 lines in logs without times), with
        /// the same PID when the line has one; of several, the one that closed last, else the last active (MatchedBy says
        /// so). CFTN04E (a network error, no partner named): the server session that closed within the 50 lines before it
        /// without any TLS data (a partner that connected without SSL).
        /// </summary>
        private OpenSession Correlate(LogLine line, out string how)
        {
            how = null;
            long ticks = line.Time?.Ticks ?? -1;
            string part = CftEvent.FindValue(line.Body, "PART");
            if (!string.IsNullOrEmpty(part))
            {
                string pid = null;
                bool pidRead = false;
                OpenSession best = null;
                int candidates = 0, steps = 0;
                for (var o = lruHead; o != null && steps < CorrelationSearch; o = o.Next, steps++)
                {
                    var cs = o.Session;
                    if (cs.Role != SessionRole.Client || !string.Equals(cs.Partner, part, StringComparison.OrdinalIgnoreCase)) continue;
                    if (!pidRead) { pid = CftEvent.FindValue(line.Body, "PID"); pidRead = true; }
                    if (!string.IsNullOrEmpty(pid) && cs.Pid != null && cs.Pid != pid) continue;
                    bool near = ticks >= 0 && o.LastTicks >= 0 ? Math.Abs(ticks - o.LastTicks) <= CorrelationTicks : line.LineNumber - o.LastLine <= CorrelationLines;
                    if (!near) continue;
                    candidates++;
                    if (best == null || (o.ClosedAt >= 0 && (best.ClosedAt < 0 || o.ClosedAt > best.ClosedAt))) best = o;
                }
                if (best == null) return null;
                how = "partner " + part + (!string.IsNullOrEmpty(pid) && best.Session.Pid != null ? ", PID " + pid : "") + " and time"
                    + (candidates > 1 ? " (" + candidates + " sessions of the partner were active: the one " + (best.ClosedAt >= 0 ? "that closed last" : "active last") + ")" : "");
                return best;
            }
            if (line.Code == "CFTN04E")
            {
                OpenSession best = null;
                foreach (var o in closing)
                {
                    if (o.Finished || o.Session.Role != SessionRole.Server || line.LineNumber - o.ClosedAt > 50) continue;
                    if (o.Session.RecordsSent + o.Session.RecordsReceived > 0 || o.HasData) continue;
                    if (best == null || o.ClosedAt > best.ClosedAt) best = o;
                }
                if (best != null) how = "the server session that closed at " + map.Describe(best.ClosedAt, best.Session.File) + " without TLS data";
                return best;
            }
            return null;
        }

        private void AddEvent(OpenSession s, LogLine line, Dictionary<string, string> values, string matchedBy = null)
        {
            var e = new CftEvent
            {
                File = map.FileOf(line.LineNumber), Line = map.LineOf(line.LineNumber), Position = line.LineNumber,
                Time = line.Time, Code = records.Text(line.Code), Text = line.Body, Values = values, MatchedBy = matchedBy,
            };
            s.Session.Events.Add(e);
            SessionAnalyzer.TakeIdentity(s.Session, e);
            e.ValuesFromText(); // (they were read from its text, line.Body)
            Touch(s, line.LastLineNumber, line.Time?.Ticks ?? -1);
        }

        // --- sessions ----------------------------------------------------------------------------------

        private OpenSession Get(string ctx, long line, DateTime? time, CtxKey key = default(CtxKey))
        {
            if (key.Length == 0 && open.TryGetValue(ctx, out var s)) return s; // (with a key: not open, openByKey said so)
            var created = Start(ctx, line, time, openingMissing: true, key);
            var earlier = returned.Find(ctx);
            if (earlier != null)
            {
                created.Session.ContinuesFrom = earlier.SessionId;
                created.Session.Notes.Add(created.Session.LineText(line) + ": continues session " + earlier.SessionId + ", which was returned at " + map.Describe(earlier.LastLine, created.Session.File)
                    + " (" + Describe(earlier.EndedBy) + "); its opening line is there");
            }
            // else: its note ("no opening line") is written when it ends (a session being read holds no text)
            return created;
        }

        private static string Describe(SessionEnd end)
        {
            switch (end)
            {
                case SessionEnd.Idle: return "idle";
                case SessionEnd.ClosingLine: return "after its closing line";
                case SessionEnd.OpenSessionLimit: return "too many sessions open";
                default: return end.ToString();
            }
        }

        private OpenSession Start(string ctx, long line, DateTime? time, bool openingMissing, CtxKey key = default(CtxKey))
        {
            var session = new CftSslSession
            {
                File = map.FileOf(line), FileShortName = map.ShortNameOf(line), FirstLine = map.LineOf(line), FirstPosition = line, LastPosition = line,
                Sources = map, Ctx = ctx, StartTime = time, EndTime = time, OpeningMissing = openingMissing,
            };
            var s = new OpenSession(session, key.Length > 0 ? key : CtxKey.Of(ctx), this);
            open[ctx] = s;
            if (s.Key.Length > 0) openByKey.Set(s);
            if (open.Count > options.MaxOpenSessions && lruTail != null) Finish(lruTail, SessionEnd.OpenSessionLimit);
            LruPushFront(s);
            AgePush(s);
            s.LastLine = line;
            s.LastTicks = time?.Ticks ?? -1;
            s.StartKnown = time.HasValue;
            return s;
        }

        private TlsConversation NewConversation(CftSslSession session)
        {
            var c = new TlsConversation(session, options.StreamFrames, certificates, records);
            if (FrameReleased != null) StreamFramesOf(c);
            return c;
        }

        /// <summary>Frames of a conversation go to <see cref="FrameReleased"/> (a method of its own: the closure is made only when frames stream).</summary>
        private void StreamFramesOf(TlsConversation c) => c.FrameReleased = f => FrameReleased(c.Session, f);

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Touch(OpenSession s, long line, long ticks)
        {
            if (s.LastLine < segmentStart && line >= segmentStart) NoteSwitch(s, line);
            s.LastLine = line;
            if (ticks >= 0)
            {
                s.LastTicks = ticks;
                nowTicks = ticks;
                if (!s.StartKnown) { s.StartKnown = true; if (s.Session.StartTime == null) s.Session.StartTime = new DateTime(ticks); }
            }
            if (lruHead != s) { LruRemove(s); LruPushFront(s); }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void ExpireClosing(long number)
        {
            while (closing.Count > 0)
            {
                var s = closing.Peek();
                if (s.Finished) { closing.Dequeue(); continue; }
                if (number - s.ClosedAt < options.ClosingGraceLines) break;
                closing.Dequeue();
                Finish(s, SessionEnd.ClosingLine);
            }
        }

        /// <summary>
        /// Sessions without a line for the idle timeout (log time) are returned; in logs without times, without a line
        /// for the idle line count. The least recently active session is at the tail of the LRU list: O(1) a line.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void ExpireIdle(long number)
        {
            while (lruTail != null)
            {
                var s = lruTail;
                bool idle = s.LastTicks >= 0 && nowTicks >= 0 ? nowTicks - s.LastTicks > idleTicks : number - s.LastLine > idleLines;
                if (!idle) return;
                Finish(s, SessionEnd.Idle);
            }
        }

        private void Finish(OpenSession s, SessionEnd reason)
        {
            if (s.Finished) return;
            s.Finished = true;
            if (open.TryGetValue(s.Session.Ctx, out var o) && o == s)
            {
                open.Remove(s.Session.Ctx);
                if (s.Key.Length > 0) openByKey.Remove(s.Key);
            }
            LruRemove(s);
            AgeRemove(s);
            if (current == s) current = null;
            if (lastTrace == s) lastTrace = null;
            FlushUnknown(s);
            var session = s.Session;
            if (session.OpeningMissing && session.ContinuesFrom == null) session.DeferOpeningNote();
            s.Session.EndedBy = reason;
            s.Session.LastPosition = Math.Max(s.Session.LastPosition, s.LastLine);
            s.Session.LastFile = map.FileOf(s.Session.LastPosition);
            s.Session.LastLine = map.LineOf(s.Session.LastPosition);
            if (s.LastTicks >= 0) s.Session.EndTime = new DateTime(s.LastTicks);
            if (reason == SessionEnd.Idle)
                s.Session.Notes.Add("returned after " + (s.LastTicks >= 0 && nowTicks >= 0 ? "being idle for " + FormatSpan(TimeSpan.FromTicks(nowTicks - s.LastTicks)) + " of log time" : (lineNumber - s.LastLine) + " lines without a line of its CTX") + " (no closing line)");
            else if (reason == SessionEnd.OpenSessionLimit)
                s.Session.DeferOpenLimitNote(options.MaxOpenSessions, lineNumber);
            if (reason == SessionEnd.Idle || reason == SessionEnd.ClosingLine || reason == SessionEnd.OpenSessionLimit)
                returned.Remember(s.Session);
            s.Conversation.Finish();
            SessionAnalyzer.Analyze(s.Session, s.Conversation);
            Statistics.Sessions++;
            Statistics.Frames += s.Session.RecordsSent + s.Session.RecordsReceived;
            ready.Add(s.Session);
            s.Detach();
        }

        /// <summary>
        /// Stamps the sessions about to be returned with their <see cref="CftSslSession.ReturnFloor"/>: the first position
        /// of the sessions returned after each (the rest of the batch, the sessions still open, or the next line: sessions
        /// yet to start begin there or further on). The open sessions are listed by age (<see cref="AgePush"/>): the oldest
        /// is the head, found in O(1) (a scan of the open sessions each time the oldest ended cost 4% of a million one-line
        /// sessions).
        /// </summary>
        private void StampFloor()
        {
            if (ready.Count == 0) return;
            long floor = ageHead?.FirstPosition ?? lineNumber + 1;
            for (int i = ready.Count - 1; i >= 0; i--)
            {
                ready[i].ReturnFloor = floor;
                if (ready[i].FirstPosition < floor) floor = ready[i].FirstPosition;
            }
        }

        // --- open sessions by age (the order they started: a session starts at a later line than the ones before it) --

        private OpenSession ageHead, ageTail;

        private void AgePush(OpenSession s)
        {
            s.Older = ageTail;
            if (ageTail != null) ageTail.Newer = s; else ageHead = s;
            ageTail = s;
        }

        private void AgeRemove(OpenSession s)
        {
            if (s.Older != null) s.Older.Newer = s.Newer; else if (ageHead == s) ageHead = s.Newer;
            if (s.Newer != null) s.Newer.Older = s.Older; else if (ageTail == s) ageTail = s.Older;
            s.Older = s.Newer = null;
        }

        private static string FormatSpan(TimeSpan t)
            => t.TotalHours >= 1 ? t.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h"
             : t.TotalMinutes >= 1 ? t.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min"
             : t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

        private void Warn(long line, string kind, string message, string text)
        {
            if (Diagnostic != null) Warn(line, new TraceDiagnostic { Kind = kind, Severity = DiagnosticSeverity.Warning, Message = message, Text = text });
        }

        /// <summary>A diagnostic about the line at a position (its file and line resolved here unless the reading side set them).</summary>
        private void Warn(long position, TraceDiagnostic d)
        {
            if (d.File == null)
            {
                d.File = map.FileOf(position);
                d.Line = map.LineOf(position);
            }
            Diagnostic?.Invoke(d);
        }

        /// <summary>A session's first line in another input than its previous line's: it went on across a log switch.</summary>
        private void NoteSwitch(OpenSession s, long line)
        {
            s.Session.Notes.Add(map.Describe(s.LastLine, s.Session.File) + ": " + (switchReason ?? "the last line in " + map.ShortNameOf(s.LastLine))
                + "; the session goes on in " + shortName + " from its line " + map.LineOf(line).ToString(CultureInfo.InvariantCulture));
        }

        // --- LRU list of open sessions (most recently active first) -----------------------------------

        private void LruPushFront(OpenSession s)
        {
            s.Prev = null;
            s.Next = lruHead;
            if (lruHead != null) lruHead.Prev = s;
            lruHead = s;
            if (lruTail == null) lruTail = s;
        }

        private void LruRemove(OpenSession s)
        {
            if (s.Prev != null) s.Prev.Next = s.Next; else if (lruHead == s) lruHead = s.Next;
            if (s.Next != null) s.Next.Prev = s.Prev; else if (lruTail == s) lruTail = s.Prev;
            s.Prev = s.Next = null;
        }

        /// <summary>One session being read.</summary>
        private sealed class OpenSession
        {
            public OpenSession(CftSslSession session, CtxKey key, SessionReader owner)
            {
                Session = session;
                FirstPosition = session.FirstPosition;
                Key = key;
                this.owner = owner;
            }

            public CftSslSession Session { get; private set; }

            /// <summary>
            /// It was returned: it lets go of the session and its decoder, so that this object, old and dead, does not keep
            /// them alive until a full collection (the queue of closing sessions may still hold it, finished).
            /// </summary>
            public void Detach()
            {
                Session = null;
                conversation = null;
            }

            /// <summary>The CTX packed in a number when it has 1 to 7 bytes (Length 0 otherwise).</summary>
            public readonly CtxKey Key;
            private readonly SessionReader owner;
            private TlsConversation conversation;
            /// <summary>The session's TLS decoder, made with its first TLS data (a session without any holds none).</summary>
            public TlsConversation Conversation => conversation ?? (conversation = owner.NewConversation(Session));
            public bool HasData => conversation != null && conversation.HasData;
            /// <summary>Direction of the dump in progress: dump lines continue it until the next data header of the session.</summary>
            public TraceDirection BlockDirection;
            public UnknownRun Unknown;
            public long ClosedAt = -1;
            /// <summary>When the closing line was read (UTC ticks), for following a live log.</summary>
            public long ClosedWallTicks;
            public bool Finished;
            public long LastLine;
            /// <summary>Ticks of the time of its last line with a time, or -1.</summary>
            public long LastTicks = -1;
            public bool StartKnown;
            public OpenSession Prev, Next;
            /// <summary>Its neighbours in the list of open sessions by age, and where it starts (kept after it is detached).</summary>
            public OpenSession Older, Newer;
            public long FirstPosition;
            /// <summary>The next session of its bucket in the table of sessions by CTX.</summary>
            public OpenSession NextInBucket;
        }

        /// <summary>A CTX of 1 to 7 bytes as one number, to find a session without making a string.</summary>
        private readonly struct CtxKey : IEquatable<CtxKey>
        {
            public readonly long Packed;
            public readonly int Length;
            public CtxKey(long packed, int length) { Packed = packed; Length = length; }

            public static CtxKey Of(string ctx)
            {
                var b = AsciiBytes.Bytes(ctx);
                return b.Length >= 1 && b.Length <= LineBatch.MaxPackedCtx ? new CtxKey(LineBatch.Key(b, 0, b.Length), b.Length) : default(CtxKey);
            }

            public bool Equals(CtxKey other) => Packed == other.Packed && Length == other.Length;
            public override bool Equals(object obj) => obj is CtxKey k && Equals(k);
            public override int GetHashCode() => (int)Packed ^ (int)(Packed >> 32) ^ (Length << 24);
        }

        /// <summary>Dump bytes before any data header of a session.</summary>
        private sealed class UnknownRun
        {
            private const int MaxKept = 4096;
            private byte[] data;
            private int kept;

            /// <param name="first">Bytes of its first line: the room made (a session of one dump line often has no other).</param>
            public UnknownRun(int first) { data = new byte[Math.Max(1, Math.Min(MaxKept, first))]; }
            public long Line;
            public DateTime? Time;
            public int Captured;

            public void Add(byte[] b, int offset, int count)
            {
                Captured += count;
                int room = Math.Min(count, MaxKept - kept);
                if (room <= 0) return;
                if (kept + room > data.Length) Array.Resize(ref data, Math.Min(MaxKept, Math.Max(data.Length * 2, kept + room)));
                Buffer.BlockCopy(b, offset, data, kept, room);
                kept += room;
            }

            public byte[] Kept()
            {
                if (kept == data.Length) return data;
                var r = new byte[kept];
                Buffer.BlockCopy(data, 0, r, 0, kept);
                return r;
            }
        }

        /// <summary>
        /// Sessions returned before the input ended, by CTX, so a later line of the same CTX says what it continues.
        /// Bounded, and compact: a ring of entries without an object each (a log of a million one-line sessions passes a
        /// million through it).
        /// </summary>
        private sealed class ReturnedSessions
        {
            private const int Max = 10000;
            private readonly Dictionary<string, int> byCtx = new Dictionary<string, int>(StringComparer.Ordinal);
            private readonly Entry[] ring = new Entry[Max];
            private int next;

            private struct Entry
            {
                public string Ctx, ShortName;
                public long FirstLine, LastPosition;
                public SessionEnd EndedBy;
            }

            public void Remember(CftSslSession s)
            {
                if (byCtx.TryGetValue(s.Ctx, out int at)) ring[at].Ctx = null; // its older entry is replaced
                ref var e = ref ring[next];
                if (e.Ctx != null && byCtx.TryGetValue(e.Ctx, out int i) && i == next) byCtx.Remove(e.Ctx);
                e.Ctx = s.Ctx;
                e.ShortName = s.FileShortName;
                e.FirstLine = s.FirstLine;
                e.LastPosition = s.LastPosition;
                e.EndedBy = s.EndedBy;
                byCtx[s.Ctx] = next;
                next = (next + 1) % Max;
            }

            public Returned Find(string ctx)
            {
                if (!byCtx.TryGetValue(ctx, out int i)) return null;
                var e = ring[i];
                return new Returned { SessionId = e.ShortName + ":" + e.FirstLine.ToString(CultureInfo.InvariantCulture) + ":" + e.Ctx, LastLine = e.LastPosition, EndedBy = e.EndedBy };
            }

            public void Forget(string ctx)
            {
                if (byCtx.TryGetValue(ctx, out int i)) { ring[i].Ctx = null; byCtx.Remove(ctx); }
            }
        }

        private sealed class Returned
        {
            public string SessionId;
            /// <summary>Position of its last line.</summary>
            public long LastLine;
            public SessionEnd EndedBy;
        }
    }
}
