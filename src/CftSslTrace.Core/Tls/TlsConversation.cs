using System;
using System.Collections.Generic;
using System.Linq;
using CftSslTrace.Reading;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// Decodes the two byte streams of one session: records per direction, handshake messages reassembled across
    /// records, encryption state (after ChangeCipherSpec, or after a TLS 1.3 ServerHello), alerts.
    /// Fed one dump block at a time, in log order.
    /// </summary>
    internal sealed class TlsConversation
    {
        private sealed class DirectionState
        {
            public RecordCutter Cutter = new RecordCutter(allowSslV2: true);
            public bool Encrypted;
            public bool ChangeCipherSpecSeen;
            public int EncryptedHandshakeRecords;
            public int EncryptedRecords;
            public int ApplicationDataRecords;
            public readonly List<byte> Handshake = new List<byte>();
            public TlsFrame MessageStartFrame;
            public readonly List<TlsFrame> MessageFrames = new List<TlsFrame>();
            /// <summary>Handshake bytes of a message cut by a gap still to come in later records.</summary>
            public int SkipHandshake;
            /// <summary>Declared handshake bytes in the records of the message in progress.</summary>
            public int DeclaredInMessage;
        }

        private readonly CftSslSession session;
        private readonly DirectionState sent = new DirectionState();
        private readonly DirectionState received = new DirectionState();
        private readonly HandshakeContext context = new HandshakeContext();
        private TraceDirection clientDirection = TraceDirection.Unknown;
        private bool serverHelloSeen;

        public TlsConversation(CftSslSession session) { this.session = session; }

        public ClientHelloMessage ClientHello { get; private set; }
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
                if (context.IsTls13) return sent.EncryptedRecords > 0 && received.EncryptedRecords > 0;
                return sent.ChangeCipherSpecSeen && received.ChangeCipherSpecSeen && sent.EncryptedHandshakeRecords > 0 && received.EncryptedHandshakeRecords > 0;
            }
        }

        public bool ApplicationDataSeen => sent.ApplicationDataRecords + received.ApplicationDataRecords > 0;

        public void AddBlock(DumpBlock block)
        {
            if (block.Direction == TraceDirection.Unknown) return;
            var d = State(block.Direction);
            var chunk = new StreamChunk
            {
                Bytes = block.Bytes,
                MissingAfter = block.Truncated ? block.AnnouncedCount.Value - block.Length : 0,
                Line = block.Line,
                Time = block.Time,
            };
            if (block.Truncated)
                session.Notes.Add("line " + block.Line + ": dump truncated, " + block.Length + " of " + block.AnnouncedCount + " bytes present");
            foreach (var rec in d.Cutter.Add(chunk)) OnRecord(block.Direction, d, rec);
        }

        public void Finish()
        {
            foreach (var dir in new[] { TraceDirection.Sent, TraceDirection.Received })
            {
                var d = State(dir);
                var rec = d.Cutter.Finish();
                if (rec != null) OnRecord(dir, d, rec);
                if (d.Handshake.Count > 0) FlushPartialMessage(dir, d, "the trace ends inside the message");
            }
            // Records still waiting for bytes came out last: put every frame back in log order.
            var ordered = session.Frames.OrderBy(f => f.Line).ThenBy(f => f.Index).ToList();
            session.Frames.Clear();
            for (int i = 0; i < ordered.Count; i++) { ordered[i].Index = i + 1; session.Frames.Add(ordered[i]); }
        }

        private DirectionState State(TraceDirection dir) => dir == TraceDirection.Sent ? sent : received;
        private DirectionState Other(TraceDirection dir) => dir == TraceDirection.Sent ? received : sent;

        private void OnRecord(TraceDirection dir, DirectionState d, CutRecord rec)
        {
            var frame = new TlsFrame
            {
                File = session.File,
                Line = rec.Line,
                Time = rec.Time,
                Ctx = session.Ctx,
                Direction = dir,
                Index = session.Frames.Count + 1,
                HeaderLength = rec.HeaderLength,
            };
            frame.SetBytes(rec.Bytes);
            session.Frames.Add(frame);
            if (rec.Unrecognized)
            {
                frame.ContentType = "Unrecognized";
                frame.Version = "";
                frame.HeaderLength = 0;
                frame.Length = rec.Bytes.Length;
                frame.Messages = "Unrecognized";
                frame.Summary = "Bytes that do not start a TLS record (" + rec.Bytes.Length + " bytes)";
                session.Notes.Add("line " + rec.Line + ": " + rec.Bytes.Length + " bytes that are not a TLS record");
                return;
            }
            frame.Length = rec.DeclaredLength;
            if (rec.IsSslV2)
            {
                frame.ContentType = "Handshake";
                frame.ContentTypeValue = 22;
                frame.VersionValue = 0x0002;
                frame.Version = "SSL 2.0";
                SslV2ClientHello(dir, frame, rec);
                return;
            }
            if (rec.Bytes.Length < 5)
            {
                frame.ContentType = rec.Bytes.Length > 0 ? TlsRegistry.ContentTypeName(rec.Bytes[0]) : "Unrecognized";
                frame.Version = "";
                frame.Messages = "(incomplete)";
                frame.Summary = "Record header incomplete (" + rec.Bytes.Length + " of 5 bytes)";
                return;
            }
            int type = rec.Bytes[0];
            frame.ContentTypeValue = type;
            frame.ContentType = TlsRegistry.ContentTypeName(type);
            frame.VersionValue = (rec.Bytes[1] << 8) | rec.Bytes[2];
            frame.Version = TlsRegistry.VersionName(frame.VersionValue);
            int payloadLength = rec.Bytes.Length - 5;
            int presentPayload = Math.Min(payloadLength, rec.DeclaredLength);
            string truncation = frame.Truncated ? " [truncated: " + presentPayload + " of " + rec.DeclaredLength + " bytes" + (rec.Note != null ? ", " + rec.Note : "") + "]" : "";
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
                    var payload = Payload(rec.Bytes, presentPayload);
                    for (int i = 0; i + 1 < payload.Length; i += 2)
                    {
                        var a = AlertInfo.Create(payload[i], payload[i + 1]);
                        a.Line = rec.Line;
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
                    Handshake(dir, d, frame, Payload(rec.Bytes, presentPayload), rec.DeclaredLength, truncation);
                    break;
                case 23:
                    frame.Encrypted = true;
                    bool handshakePhase = context.IsTls13 && !HandshakeCompleted;
                    d.EncryptedRecords++;
                    if (handshakePhase)
                    {
                        frame.Messages = "Encrypted";
                        frame.Summary = "Encrypted record, " + rec.DeclaredLength + " bytes (TLS 1.3: handshake or application data)" + truncation;
                    }
                    else
                    {
                        d.ApplicationDataRecords++;
                        frame.Messages = "ApplicationData";
                        frame.Summary = "Application data, " + rec.DeclaredLength + " bytes (encrypted" + (context.IsTls13 ? "; TLS 1.3 records may also carry post-handshake messages" : "") + ")" + truncation;
                    }
                    break;
                default:
                    frame.Messages = frame.ContentType;
                    frame.Summary = frame.ContentType + " record, " + rec.DeclaredLength + " bytes" + truncation;
                    break;
            }
        }

        /// <summary>The record's payload present in the trace (copied only for the records that are decoded).</summary>
        private static byte[] Payload(byte[] record, int length)
        {
            var payload = new byte[length];
            Array.Copy(record, 5, payload, 0, length);
            return payload;
        }

        private void Handshake(TraceDirection dir, DirectionState d, TlsFrame frame, byte[] payload, int declared, string truncation)
        {
            int offset = 0;
            if (d.SkipHandshake > 0)
            {
                // the rest of a message whose middle is missing from the trace
                int n = Math.Min(d.SkipHandshake, declared);
                d.SkipHandshake -= n;
                offset = Math.Min(n, payload.Length);
                frame.Continuations.Add("(rest of a truncated message)");
                if (offset >= payload.Length && declared <= n) { FinishFrameText(frame, truncation); return; }
            }
            if (d.Handshake.Count == 0) { d.MessageStartFrame = frame; d.MessageFrames.Clear(); d.DeclaredInMessage = 0; }
            d.MessageFrames.Add(frame);
            for (int i = offset; i < payload.Length; i++) d.Handshake.Add(payload[i]);
            d.DeclaredInMessage += declared - offset;
            ParseMessages(dir, d, frame);
            if (payload.Length < declared && d.Handshake.Count > 0)
            {
                // a gap in the handshake stream: decode what is there of the message in progress
                int msgTotal = d.Handshake.Count >= 4 ? ((d.Handshake[1] << 16) | (d.Handshake[2] << 8) | d.Handshake[3]) + 4 : -1;
                if (msgTotal > d.DeclaredInMessage) d.SkipHandshake = msgTotal - d.DeclaredInMessage;
                FlushPartialMessage(dir, d, null);
            }
            FinishFrameText(frame, truncation);
        }

        private void ParseMessages(TraceDirection dir, DirectionState d, TlsFrame current)
        {
            while (d.Handshake.Count >= 4)
            {
                int type = d.Handshake[0];
                int len = (d.Handshake[1] << 16) | (d.Handshake[2] << 8) | d.Handshake[3];
                if (d.Handshake.Count < 4 + len) return;
                var body = d.Handshake.GetRange(4, len).ToArray();
                d.Handshake.RemoveRange(0, 4 + len);
                var msg = HandshakeDecoder.Decode(type, body, len, context);
                Attach(dir, d, msg);
                d.MessageStartFrame = current;
                d.MessageFrames.Clear();
                d.MessageFrames.Add(current);
                d.DeclaredInMessage = d.Handshake.Count;
            }
        }

        private void FlushPartialMessage(TraceDirection dir, DirectionState d, string note)
        {
            if (d.Handshake.Count == 0) return;
            if (d.Handshake.Count < 4)
            {
                d.MessageStartFrame?.Continuations.Add("(" + d.Handshake.Count + " bytes of a handshake header)");
                d.Handshake.Clear();
                return;
            }
            int type = d.Handshake[0];
            int len = (d.Handshake[1] << 16) | (d.Handshake[2] << 8) | d.Handshake[3];
            var body = d.Handshake.GetRange(4, d.Handshake.Count - 4).ToArray();
            d.Handshake.Clear();
            var msg = HandshakeDecoder.Decode(type, body, len, context);
            if (note != null) msg.Summary += " (" + note + ")";
            Attach(dir, d, msg);
        }

        private void Attach(TraceDirection dir, DirectionState d, HandshakeMessage msg)
        {
            var start = d.MessageStartFrame;
            msg.Line = start?.Line ?? 0;
            msg.Direction = dir;
            start?.HandshakeMessages.Add(msg);
            foreach (var f in d.MessageFrames) if (f != start) f.Continuations.Add(msg.Type + " (continued)");
            session.HandshakeMessages.Add(msg);
            switch (msg)
            {
                case ClientHelloMessage ch:
                    if (ClientHello == null) ClientHello = ch;
                    else if (HelloRetryRequest != null) ClientHello = ch; // the second hello after a HelloRetryRequest
                    if (clientDirection == TraceDirection.Unknown) clientDirection = dir;
                    break;
                case ServerHelloMessage sh:
                    if (clientDirection == TraceDirection.Unknown) clientDirection = dir == TraceDirection.Sent ? TraceDirection.Received : TraceDirection.Sent;
                    if (sh.IsHelloRetryRequest) { HelloRetryRequest = sh; break; }
                    ServerHello = sh;
                    serverHelloSeen = true;
                    context.Version = sh.NegotiatedVersionValue;
                    context.CipherSuite = sh.CipherSuite;
                    if (context.IsTls13) { sent.Encrypted = true; received.Encrypted = true; }
                    break;
                case CertificateRequestMessage cr:
                    CertificateRequest = cr;
                    break;
            }
        }

        private static void FinishFrameText(TlsFrame frame, string truncation)
        {
            var names = new List<string>();
            var sums = new List<string>();
            foreach (var c in frame.Continuations) { names.Add(c); sums.Add(c); }
            foreach (var m in frame.HandshakeMessages) { names.Add(m.Type); sums.Add(m.Summary); }
            frame.Messages = names.Count > 0 ? string.Join(", ", names) : "Handshake";
            frame.Summary = (sums.Count > 0 ? string.Join("; ", sums) : "Handshake fragment") + truncation;
        }

        /// <summary>Messages of frames whose messages completed in later records are settled at the end.</summary>
        public void RefreshFrameTexts()
        {
            foreach (var f in session.Frames)
            {
                if (f.ContentTypeValue != 22 || f.Encrypted || f.HeaderLength == 2) continue;
                FinishFrameText(f, f.TruncationNote);
            }
        }

        private void SslV2ClientHello(TraceDirection dir, TlsFrame frame, CutRecord rec)
        {
            var ch = new ClientHelloMessage { Type = "ClientHello", TypeValue = 1, IsSslV2Format = true, Line = rec.Line };
            int bodyLength = rec.DeclaredLength;
            ch.Length = bodyLength;
            ch.CapturedLength = rec.Bytes.Length - 2;
            try
            {
                var c = new ByteCursor(rec.Bytes, 2, rec.Bytes.Length - 2);
                c.U8("msg_type");
                ch.ClientVersionValue = c.U16("version");
                ch.ClientVersion = TlsRegistry.VersionName(ch.ClientVersionValue);
                int specs = c.U16("cipher_spec_length"), sid = c.U16("session_id_length"), challenge = c.U16("challenge_length");
                var sc = c.Sub(specs, "cipher_specs", partialOk: true);
                while (sc.Remaining >= 3)
                {
                    int a = sc.U8(), b = sc.U8(), e = sc.U8();
                    ch.CipherSuites.Add(a == 0 ? TlsRegistry.GetCipherSuite((b << 8) | e) : CipherSuiteInfo.Unknown((a << 16) | (b << 8) | e, SslV2CipherName((a << 16) | (b << 8) | e)));
                }
                ch.SessionId = HandshakeDecoder.Hex(c.Bytes(sid, "session_id"));
                ch.Random = HandshakeDecoder.Hex(c.Bytes(challenge, "challenge"));
            }
            catch (TlsDecodeException e) { ch.DecodeError = e.Message; }
            ch.Summary = "ClientHello (SSLv2 format) " + ch.ClientVersion + ", " + ch.CipherSuites.Count + " suites" + (ch.Truncated ? " [truncated]" : "");
            ch.Direction = dir;
            frame.HandshakeMessages.Add(ch);
            frame.Messages = "ClientHello";
            frame.Summary = ch.Summary;
            session.HandshakeMessages.Add(ch);
            if (ClientHello == null) ClientHello = ch;
            if (clientDirection == TraceDirection.Unknown) clientDirection = dir;
        }

        private static string SslV2CipherName(int spec)
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
