using System;
using System.Collections.Generic;
using CftSslTrace.Reading;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// Decodes the two byte streams of one session as dump bytes arrive: records per direction, handshake messages
    /// reassembled across records, encryption state (after ChangeCipherSpec, or after a TLS 1.3 ServerHello), alerts.
    /// Records of application data are counted on the session, not kept: a frame is made for them only when frames are
    /// streamed (<see cref="FrameReleased"/>). Every other record is kept as a frame of the session. Frames come out in
    /// the order their records start in the log.
    /// </summary>
    internal sealed partial class TlsConversation
    {
        /// <summary>A handshake message is not reassembled beyond this size (hostile or damaged input): the rest is skipped.</summary>
        internal const int MaxHandshakeMessage = 1 << 21;

        private sealed class DirectionState : IRecordSink
        {
            void IRecordSink.OnRecord(CutRecord record) => owner.OnRecord(this, record);
            bool IRecordSink.KeepBody(int contentType) => owner.KeepBody(this, contentType);
            void IRecordSink.Note(long line, string text) => owner.session.Notes.Add(owner.session.LineText(line) + ": " + text);

            public DirectionState(TlsConversation owner, TraceDirection direction) { this.owner = owner; Direction = direction; }
            private readonly TlsConversation owner;
            private RecordCutter cutter;
            public readonly TraceDirection Direction;
            /// <summary>The direction's record cutter, made with its first data (a session that dumped nothing holds none).</summary>
            public RecordCutter Cutter => cutter ?? (cutter = owner.NewCutter(this));
            public bool HasCutter => cutter != null;
            /// <summary>Line of the data header of this direction's unfinished record, or long.MaxValue.</summary>
            public long PendingLine => cutter?.PendingLine ?? long.MaxValue;
            public bool Encrypted;
            public bool ChangeCipherSpecSeen;
            public int EncryptedHandshakeRecords;
            public int EncryptedRecords;
            private HandshakeBuffer handshake;
            /// <summary>Handshake bytes waiting to form whole messages (made with the first message over records: most are in one).</summary>
            public HandshakeBuffer Handshake => handshake ?? (handshake = new HandshakeBuffer());
            public int HandshakeCount => handshake?.Count ?? 0;
            public TlsFrame MessageStartFrame;
            /// <summary>The frames after <see cref="MessageStartFrame"/> that hold bytes of the message in progress (made with the first).</summary>
            public List<TlsFrame> ContinuingFrames;
            /// <summary>Handshake bytes of a message cut by a gap still to come in later records.</summary>
            public int SkipHandshake;
            /// <summary>Declared handshake bytes in the records of the message in progress.</summary>
            public int DeclaredInMessage;
        }

        private readonly CftSslSession session;
        private readonly SharedRecordBytes records;
        /// <summary>Resolves a line's position to its file and line (null: the session's file, positions are its lines).</summary>
        private readonly SourceMap sources;
        /// <summary>The two directions' state, each made with its first data (a session with only bytes of unknown direction holds none).</summary>
        private DirectionState sent, received;
        private readonly HandshakeContext context = new HandshakeContext();
        private TraceDirection clientDirection = TraceDirection.Unknown;
        private bool serverHelloSeen;
        private readonly bool streamFrames;

        // frames waiting for an earlier unfinished record of the other direction (log order)
        private List<TlsFrame> waiting;
        private long frameSequence;
        private int released;

        /// <param name="session">The session the frames, messages, alerts and counters go to.</param>
        /// <param name="streamFrames">Make a frame for every record, application data included, for <see cref="FrameReleased"/>.</param>
        /// <param name="records">Where large records' bytes repeated across sessions are kept once (null: each frame keeps its own).</param>
        public TlsConversation(CftSslSession session, bool streamFrames = false, X509.CertificateCache certificates = null, SharedRecordBytes records = null)
        {
            this.records = records;
            this.session = session;
            sources = session.Sources;
            this.streamFrames = streamFrames;
            context.Certificates = certificates;
        }

        /// <summary>Each frame in log order as soon as it is known; kept frames are also in the session's Frames.</summary>
        public Action<TlsFrame> FrameReleased { get; set; }

        public ClientHelloMessage ClientHello { get; private set; }
        /// <summary>The first ClientHello (before a HelloRetryRequest).</summary>
        public ClientHelloMessage FirstClientHello { get; private set; }
        public ServerHelloMessage ServerHello { get; private set; }
        public ServerHelloMessage HelloRetryRequest { get; private set; }
        public CertificateRequestMessage CertificateRequest { get; private set; }
        public TraceDirection ClientDirection => clientDirection;
        public int? NegotiatedVersion => context.Version;

        public bool HandshakeCompleted
        {
            get
            {
                if (ServerHello == null) return false;
                if (ServerHello.IsSslV2Format) return SslV2HandshakeCompleted;
                if (sent == null || received == null) return false;
                if (context.IsTls13) return sent.EncryptedRecords > 0 && received.EncryptedRecords > 0;
                return sent.ChangeCipherSpecSeen && received.ChangeCipherSpecSeen && sent.EncryptedHandshakeRecords > 0 && received.EncryptedHandshakeRecords > 0;
            }
        }

        /// <summary>The session the frames, messages, alerts and counters go to.</summary>
        internal CftSslSession Session => session;

        public bool ApplicationDataSeen => session.ApplicationDataRecords > 0;

        /// <summary>Time of the record with which the handshake completed (null if it did not, or the line has no time).</summary>
        public DateTime? HandshakeCompletedTime { get; private set; }
        private bool completedNoted;

        /// <summary>A data header: the dump in progress (either direction) ends, a new dump of this direction starts.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void BeginBlock(TraceDirection dir, long line, DateTime? time, int? announced)
        {
            EndBlock();
            State(dir).Cutter.BeginBlock(line, time, announced);
            openBlock = dir;
        }

        /// <summary>The dump in progress ends (a new data header of the session, or its end).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void EndBlock()
        {
            if (openBlock == TraceDirection.Unknown) return;
            State(openBlock).Cutter.EndBlock();
            openBlock = TraceDirection.Unknown;
        }

        private TraceDirection openBlock = TraceDirection.Unknown;

        /// <summary>Bytes dumped before any data header of the session: their direction is unknown, they are kept (up to 4 KiB), not decoded.</summary>
        /// <summary>Dumped bytes were added (in either direction, recognized or not).</summary>
        public bool HasData { get; private set; }

        public void AddUnknown(byte[] bytes, int captured, long line, DateTime? time)
        {
            HasData = true;
            var frame = new TlsFrame
            {
                Time = time, Ctx = session.Ctx, Direction = TraceDirection.Unknown,
                HeaderLength = 0, Kept = true, Sequence = frameSequence++, ContentType = "Unrecognized", Version = "",
                Length = captured, Messages = "Unrecognized",
                Summary = UnknownSummary(captured),
            };
            Place(frame, line);
            frame.SetBytes(bytes, captured);
            Queue(frame);
        }

        /// <summary>The summary of a frame of bytes of unknown direction (the same few sizes over and over: made once each).</summary>
        private static string UnknownSummary(int captured)
        {
            var known = unknownSummaries;
            if (captured >= 0 && captured < known.Length && known[captured] != null) return known[captured];
            string text = captured.ToString(System.Globalization.CultureInfo.InvariantCulture) + " bytes dumped without a data header (direction unknown): not decoded";
            if (captured >= 0 && captured < known.Length) known[captured] = text;
            return text;
        }

        private static readonly string[] unknownSummaries = new string[4097];

        /// <summary>A frame's line: its position (log order), and the file and line it names.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Place(TlsFrame frame, long position)
        {
            frame.Position = position;
            if (sources == null) { frame.File = session.File; frame.Line = position; return; }
            frame.File = sources.FileOf(position);
            frame.Line = sources.LineOf(position);
        }

        /// <summary>Dump bytes of a direction.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void Add(TraceDirection dir, byte[] bytes, int offset, int count)
        {
            if (count > 0) HasData = true;
            State(dir).Cutter.Add(bytes, offset, count);
            if (waiting != null && waiting.Count > 0) Release(false);
        }

        public void Finish()
        {
            EndBlock();
            FinishDirection(sent);
            FinishDirection(received);
            Release(true);
            RefreshFrameTexts();
        }

        private void FinishDirection(DirectionState d)
        {
            if (d == null) return;
            if (d.HasCutter) d.Cutter.Finish();
            if (d.HandshakeCount > 0) FlushPartialMessage(d, "the trace ends inside the message");
        }

        private RecordCutter NewCutter(DirectionState d)
            => new RecordCutter(d, records);

        private DirectionState State(TraceDirection dir)
            => dir == TraceDirection.Sent ? sent ?? (sent = new DirectionState(this, TraceDirection.Sent))
                                          : received ?? (received = new DirectionState(this, TraceDirection.Received));

        private long PendingLine => Math.Min(sent?.PendingLine ?? long.MaxValue, received?.PendingLine ?? long.MaxValue);

        /// <summary>Keep a record's body unless it is application data (encrypted: its bytes say nothing without the keys).</summary>
        private bool KeepBody(DirectionState d, int type) => !(type == 23 && IsApplicationPhase);

        /// <summary>Records of type 23 are application data, except TLS 1.3's encrypted handshake.</summary>
        private bool IsApplicationPhase => !(context.IsTls13 && !HandshakeCompleted);

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void OnRecord(DirectionState d, CutRecord rec)
        {
            OnRecordCore(d, rec);
            if (!completedNoted && HandshakeCompleted) { completedNoted = true; HandshakeCompletedTime = rec.Time; }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void OnRecordCore(DirectionState d, CutRecord rec)
        {
            var dir = d.Direction;
            Count(dir, rec);
            int type = rec.ContentType;
            if (type == 23 && !rec.IsSslV2 && rec.Captured >= 5 && IsApplicationPhase)
            {
                // application data: counted; a frame only when frames are streamed
                d.EncryptedRecords++;
                session.ApplicationDataRecords++;
                if (dir == TraceDirection.Sent) session.ApplicationDataSent += rec.DeclaredLength; else session.ApplicationDataReceived += rec.DeclaredLength;
                if (rec.Time.HasValue)
                {
                    if (session.FirstApplicationData == null) session.FirstApplicationData = rec.Time;
                    session.LastApplicationData = rec.Time;
                }
                if (!streamFrames) return;
                var app = NewFrame(dir, rec, kept: false);
                app.ContentTypeValue = 23;
                app.ContentType = TlsRegistry.ContentTypeName(23);
                app.VersionValue = (rec.Bytes[1] << 8) | rec.Bytes[2];
                app.Version = TlsRegistry.VersionName(app.VersionValue);
                app.Length = rec.DeclaredLength;
                app.Encrypted = true;
                app.Messages = "ApplicationData";
                app.TruncationNote = TruncationText(app, rec, Math.Min(rec.Captured - 5, rec.DeclaredLength));
                app.Summary = "Application data, " + rec.DeclaredLength + " bytes (encrypted" + (context.IsTls13 ? "; TLS 1.3 records may also carry post-handshake messages" : "") + ")" + app.TruncationNote;
                Queue(app);
                return;
            }
            var frame = NewFrame(dir, rec, kept: true);
            Decode(d, frame, rec);
            Queue(frame);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Count(TraceDirection dir, CutRecord rec)
        {
            long wire = rec.Unrecognized ? rec.Captured : rec.HeaderLength + rec.DeclaredLength;
            if (dir == TraceDirection.Sent) { session.RecordsSent++; session.BytesSent += wire; }
            else { session.RecordsReceived++; session.BytesReceived += wire; }
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private TlsFrame NewFrame(TraceDirection dir, CutRecord rec, bool kept)
        {
            var frame = new TlsFrame
            {
                Time = rec.Time,
                Ctx = session.Ctx,
                Direction = dir,
                HeaderLength = rec.HeaderLength,
                AnnouncedCount = rec.Announced,
                Offset = rec.Offset,
                Kept = kept,
                Sequence = frameSequence++,
            };
            Place(frame, rec.Line);
            // a frame holds its record's bytes for GetBytes() and the capture export (the cutter kept the same bytes of many
            // sessions in one array); the header of application data is the cutter's array, copied
            frame.SetBytes(rec.Transient ? (byte[])rec.Bytes.Clone() : rec.Bytes, rec.Captured);
            return frame;
        }

        private static string TruncationText(TlsFrame frame, CutRecord rec, int presentPayload)
            => frame.Truncated ? " [truncated: " + Math.Max(0, presentPayload) + " of " + rec.DeclaredLength + " bytes" + (rec.Note != null ? ", " + rec.Note : "") + "]" : "";

        private void Decode(DirectionState d, TlsFrame frame, CutRecord rec)
        {
            var dir = d.Direction;
            if (rec.Unrecognized)
            {
                frame.ContentType = "Unrecognized";
                frame.Version = "";
                frame.HeaderLength = 0;
                frame.Length = rec.Captured;
                frame.Messages = "Unrecognized";
                frame.Summary = "Bytes that do not start a TLS record (" + rec.Captured + " bytes)";
                session.Notes.Add(session.LineText(rec.Line) + ": " + rec.Captured + " bytes that are not a TLS record");
                return;
            }
            frame.Length = rec.DeclaredLength;
            if (rec.IsSslV2)
            {
                frame.ContentType = "Handshake";
                frame.ContentTypeValue = 22;
                frame.VersionValue = 0x0002;
                frame.Version = "SSL 2.0";
                SslV2Record(d, frame, rec);
                return;
            }
            if (rec.Captured < 5)
            {
                frame.ContentType = rec.Bytes.Length > 0 ? TlsRegistry.ContentTypeName(rec.Bytes[0]) : "Unrecognized";
                frame.Version = "";
                frame.Messages = "(incomplete)";
                frame.Summary = "Record header incomplete (" + rec.Captured + " of 5 bytes)" + (rec.Note != null ? " [" + rec.Note + "]" : "");
                return;
            }
            int type = rec.Bytes[0];
            frame.ContentTypeValue = type;
            frame.ContentType = TlsRegistry.ContentTypeName(type);
            frame.VersionValue = (rec.Bytes[1] << 8) | rec.Bytes[2];
            frame.Version = TlsRegistry.VersionName(frame.VersionValue);
            int presentPayload = Math.Min(rec.Captured - 5, rec.DeclaredLength);
            string truncation = TruncationText(frame, rec, presentPayload);
            frame.TruncationNote = truncation;

            switch (type)
            {
                case 20:
                    frame.Messages = "ChangeCipherSpec";
                    frame.Summary = "ChangeCipherSpec" + truncation;
                    d.ChangeCipherSpecSeen = true;
                    // In TLS 1.3 (and before any ServerHello, TLS 1.3 middlebox compatibility) it changes nothing.
                    if (serverHelloSeen && !context.IsTls13) d.Encrypted = true;
                    break;
                case 21:
                    if (d.Encrypted && rec.DeclaredLength != 2)
                    {
                        frame.Encrypted = true;
                        frame.Messages = "Encrypted";
                        frame.Summary = "Encrypted alert (" + rec.DeclaredLength + " bytes)" + truncation;
                        break;
                    }
                    var alerts = new List<string>();
                    for (int i = 5; i + 1 < 5 + presentPayload; i += 2)
                    {
                        var a = AlertInfo.Create(rec.Bytes[i], rec.Bytes[i + 1]);
                        a.Line = frame.Line;
                        a.Position = frame.Position;
                        a.Direction = dir;
                        frame.Alert = frame.Alert ?? a;
                        session.Alerts.Add(a);
                        alerts.Add(a.ToString());
                    }
                    frame.Messages = frame.Alert != null ? "Alert " + frame.Alert.Name : "Alert";
                    frame.Summary = (alerts.Count > 0 ? "Alert " + string.Join(", ", alerts) : "Alert (" + rec.DeclaredLength + " bytes)") + truncation;
                    break;
                case 22:
                    if (d.Encrypted)
                    {
                        frame.Encrypted = true;
                        d.EncryptedHandshakeRecords++;
                        d.EncryptedRecords++;
                        frame.Messages = "Encrypted";
                        frame.Summary = "Encrypted handshake message (normally Finished), " + rec.DeclaredLength + " bytes" + truncation;
                        break;
                    }
                    Handshake(d, frame, rec.Bytes, 5, presentPayload, rec.DeclaredLength, truncation);
                    break;
                case 23:
                    // TLS 1.3 before both sides finished: handshake messages under encryption
                    frame.Encrypted = true;
                    d.EncryptedRecords++;
                    frame.Messages = "Encrypted";
                    frame.Summary = "Encrypted record, " + rec.DeclaredLength + " bytes (TLS 1.3: handshake or application data)" + truncation;
                    break;
                default:
                    frame.Messages = frame.ContentType;
                    frame.Summary = frame.ContentType + " record, " + rec.DeclaredLength + " bytes" + truncation;
                    break;
            }
        }

        private void Handshake(DirectionState d, TlsFrame frame, byte[] record, int payloadStart, int payloadLength, int declared, string truncation)
        {
            int offset = 0;
            if (d.SkipHandshake > 0)
            {
                // the rest of a message whose middle is missing from the trace
                int n = Math.Min(d.SkipHandshake, declared);
                d.SkipHandshake -= n;
                offset = Math.Min(n, payloadLength);
                frame.Continuations.Add("(rest of a truncated message)");
                if (offset >= payloadLength && declared <= n) { TextNow(frame, truncation); return; }
            }
            if (d.HandshakeCount == 0) { d.MessageStartFrame = frame; d.ContinuingFrames?.Clear(); d.DeclaredInMessage = 0; }
            else (d.ContinuingFrames ?? (d.ContinuingFrames = new List<TlsFrame>())).Add(frame);
            d.DeclaredInMessage += declared - offset;
            int at = payloadStart + offset, left = payloadLength - offset;
            if (d.HandshakeCount == 0)
            {
                // no message in progress: the record's whole messages are decoded from it, only a message it leaves
                // unfinished waits in the direction's buffer (most records hold whole messages: no copy, no buffer)
                while (left >= 4)
                {
                    int len = HandshakeBuffer.BodyLength(record, at);
                    if (left < 4 + len) break;
                    int type = record[at];
                    var message = HandshakeDecoder.Decode(type, record, at + 4, len, len, context);
                    at += 4 + len;
                    left -= 4 + len;
                    MessageDone(d, frame, message, left);
                }
            }
            if (left > 0) d.Handshake.Add(record, at, left);
            ParseMessages(d, frame);
            if (payloadLength < declared && d.HandshakeCount > 0)
            {
                // a gap in the handshake stream: decode what is there of the message in progress
                int msgTotal = d.Handshake.Count >= 4 ? d.Handshake.MessageLength + 4 : -1;
                if (msgTotal > d.DeclaredInMessage) d.SkipHandshake = msgTotal - d.DeclaredInMessage;
                FlushPartialMessage(d, null);
            }
            else if (d.HandshakeCount >= 4 && d.Handshake.MessageLength + 4 > MaxHandshakeMessage && d.Handshake.Count >= MaxHandshakeMessage)
            {
                int msgTotal = d.Handshake.MessageLength + 4;
                d.SkipHandshake = msgTotal - d.Handshake.Count;
                FlushPartialMessage(d, "message larger than " + (MaxHandshakeMessage >> 20) + " MiB: decoded as far as read, the rest skipped");
            }
            TextNow(frame, truncation);
        }

        /// <summary>
        /// A handshake frame's text, made now when frames stream (they go out as they are decoded); otherwise at the end
        /// of the session (<see cref="RefreshFrameTexts"/>), when its messages are whole: a session that stays open holds
        /// no texts.
        /// </summary>
        private void TextNow(TlsFrame frame, string truncation)
        {
            if (FrameReleased != null) FinishFrameText(frame, truncation);
        }

        private void ParseMessages(DirectionState d, TlsFrame current)
        {
            while (d.HandshakeCount >= 4)
            {
                int type = d.Handshake.MessageType;
                int len = d.Handshake.MessageLength;
                if (d.Handshake.Count < 4 + len) return;
                // decoded where it lies (the message keeps copies of what it holds), then dropped from the buffer
                var message = HandshakeDecoder.Decode(type, d.Handshake.Data, d.Handshake.BodyStart, len, len, context);
                d.Handshake.Skip(len);
                MessageDone(d, current, message, d.Handshake.Count);
            }
        }

        /// <summary>A whole message was decoded: it is attached, and the next one starts in the current record, with the bytes left of it.</summary>
        private void MessageDone(DirectionState d, TlsFrame current, HandshakeMessage msg, int left)
        {
            Attach(d, msg);
            d.MessageStartFrame = current;
            d.ContinuingFrames?.Clear();
            d.DeclaredInMessage = left;
        }

        private void FlushPartialMessage(DirectionState d, string note)
        {
            if (d.HandshakeCount == 0) return;
            if (d.HandshakeCount < 4)
            {
                d.MessageStartFrame?.Continuations.Add("(" + d.Handshake.Count + " bytes of a handshake header)");
                d.Handshake.Clear();
                return;
            }
            int type = d.Handshake.MessageType;
            int len = d.Handshake.MessageLength;
            var msg = HandshakeDecoder.Decode(type, d.Handshake.Data, d.Handshake.BodyStart, d.Handshake.Count - 4, len, context);
            d.Handshake.Clear();
            if (note != null) msg.Summary += " (" + note + ")";
            Attach(d, msg);
        }

        private void Attach(DirectionState d, HandshakeMessage msg)
        {
            var dir = d.Direction;
            var start = d.MessageStartFrame;
            msg.Line = start?.Line ?? 0;
            msg.Position = start?.Position ?? 0;
            msg.Direction = dir;
            start?.AddMessage(msg);
            if (d.ContinuingFrames != null) foreach (var f in d.ContinuingFrames) f.Continuations.Add(msg.Type + " (continued)");
            session.HandshakeMessages.Add(msg);
            switch (msg)
            {
                case ClientHelloMessage ch:
                    if (ClientHello == null) { ClientHello = ch; FirstClientHello = ch; }
                    else if (HelloRetryRequest != null) ClientHello = ch; // the second hello after a HelloRetryRequest
                    if (clientDirection == TraceDirection.Unknown) session.HelloClientDirection = clientDirection = dir;
                    break;
                case ServerHelloMessage sh:
                    if (clientDirection == TraceDirection.Unknown) session.HelloClientDirection = clientDirection = dir == TraceDirection.Sent ? TraceDirection.Received : TraceDirection.Sent;
                    if (sh.IsHelloRetryRequest)
                    {
                        // it selects the version (TLS 1.3) and the suite: what follows is read as TLS 1.3 even if the trace lacks the ServerHello
                        HelloRetryRequest = sh;
                        if (context.Version == null && sh.SelectedVersionValue.HasValue) context.Version = sh.SelectedVersionValue;
                        break;
                    }
                    ServerHello = sh;
                    serverHelloSeen = true;
                    context.Version = sh.NegotiatedVersionValue;
                    context.CipherSuite = sh.CipherSuite;
                    if (context.IsTls13) { State(TraceDirection.Sent).Encrypted = true; State(TraceDirection.Received).Encrypted = true; }
                    break;
                case CertificateRequestMessage cr:
                    CertificateRequest = cr;
                    break;
            }
        }

        private static void FinishFrameText(TlsFrame frame, string truncation)
        {
            if (!frame.HasContinuations)
            {
                // most frames: one message, or a fragment of one (no list, no joining)
                var only = frame.SingleMessage;
                if (only != null) { frame.Messages = only.Type; frame.Summary = only.Summary + truncation; return; }
                if (!frame.HasMessages) { frame.Messages = "Handshake"; frame.Summary = "Handshake fragment" + truncation; return; }
            }
            var names = new List<string>();
            var sums = new List<string>();
            if (frame.HasContinuations) foreach (var c in frame.Continuations) { names.Add(c); sums.Add(c); }
            foreach (var m in frame.HandshakeMessages) { names.Add(m.Type); sums.Add(m.Summary); }
            frame.Messages = names.Count > 0 ? string.Join(", ", names) : "Handshake";
            frame.Summary = (sums.Count > 0 ? string.Join("; ", sums) : "Handshake fragment") + truncation;
        }

        /// <summary>Messages of frames whose messages completed in later records are settled at the end.</summary>
        private void RefreshFrameTexts()
        {
            foreach (var f in session.FramesIfAny)
            {
                if (f.ContentTypeValue != 22 || f.Encrypted || f.HeaderLength != 5) continue;
                FinishFrameText(f, f.TruncationNote);
            }
        }

        // --- log order -----------------------------------------------------------------------------------

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Queue(TlsFrame frame)
        {
            if ((waiting == null || waiting.Count == 0) && frame.Position < PendingLine) { Emit(frame); return; } // nothing to wait for
            (waiting ?? (waiting = new List<TlsFrame>())).Add(frame);
            Release(false);
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Emit(TlsFrame f)
        {
            if (records != null && f.Kept) { f.Summary = records.Text(f.Summary); f.Messages = records.Text(f.Messages); }
            f.Index = ++released;
            if (f.Kept) session.Frames.Add(f);
            FrameReleased?.Invoke(f);
        }

        /// <summary>
        /// Frames come out in the order their records start in the log: a frame waits while the other direction has an
        /// unfinished record that started before it (records split over dumps of both directions). Bounded: a stream that
        /// never finishes its record does not hold the other direction back for more than a few frames.
        /// </summary>
        private void Release(bool all)
        {
            if (waiting == null || waiting.Count == 0) return;
            long pending = PendingLine;
            if (waiting.Count > 1) waiting.Sort(CompareFrames);
            int n = 0;
            while (n < waiting.Count && (all || waiting[n].Position < pending || waiting.Count - n > 64)) n++;
            for (int i = 0; i < n; i++) Emit(waiting[i]);
            waiting.RemoveRange(0, n);
        }

        private static int CompareFrames(TlsFrame a, TlsFrame b)
        {
            int c = a.Position.CompareTo(b.Position);
            return c != 0 ? c : a.Sequence.CompareTo(b.Sequence);
        }

        // --- SSL 2.0 -------------------------------------------------------------------------------------

        internal static string SslV2CipherName(int spec)
        {
            switch (spec)
            {
                case 0x010080: return "SSL2_RC4_128_WITH_MD5";
                case 0x020080: return "SSL2_RC4_128_EXPORT40_WITH_MD5";
                case 0x030080: return "SSL2_RC2_128_CBC_WITH_MD5";
                case 0x040080: return "SSL2_RC2_128_CBC_EXPORT40_WITH_MD5";
                case 0x050080: return "SSL2_IDEA_128_CBC_WITH_MD5";
                case 0x060040: return "SSL2_DES_64_CBC_WITH_MD5";
                case 0x0700C0: return "SSL2_DES_192_EDE3_CBC_WITH_MD5";
                default: return "SSL2_0x" + spec.ToString("X6", System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
