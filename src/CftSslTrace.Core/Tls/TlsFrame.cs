using System;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// One TLS record ("SSL frame" in the product documentation) as CFT sent or received it. Flat properties
    /// read well in tables and Export-Csv; the decoded messages are there for drilling down.
    /// </summary>
    public sealed class TlsFrame
    {
        private byte[] bytes;

        /// <summary>Identifies the session: "file:firstLine:Ctx".</summary>
        public string SessionId { get; internal set; }
        /// <summary>The file (or "archive.zip!entry") of <see cref="Line"/>.</summary>
        public string File { get; internal set; }
        /// <summary>Line of the data header (or first dump line) of the block the record starts in, in <see cref="File"/>.</summary>
        public long Line { get; internal set; }
        /// <summary>The line's position in the history read (the line number of the files' concatenation): log order.</summary>
        internal long Position { get; set; }
        public DateTime? Time { get; internal set; }
        public string Ctx { get; internal set; }
        /// <summary>The session's partner (PART=, client) or protocol (PROT=, server).</summary>
        public string Partner { get; internal set; }
        public SessionRole Role { get; internal set; }
        public TraceDirection Direction { get; internal set; }
        public TlsPeer Sender { get; internal set; }
        /// <summary>1-based position of the record in its session.</summary>
        public int Index { get; internal set; }
        /// <summary>Handshake, ChangeCipherSpec, Alert, ApplicationData, or Unrecognized for bytes that are not a record.</summary>
        public string ContentType { get; internal set; }
        public int ContentTypeValue { get; internal set; }
        /// <summary>Record-layer version ("TLS 1.0"; "SSL 2.0" for an SSLv2-format hello).</summary>
        public string Version { get; internal set; }
        public int VersionValue { get; internal set; }
        /// <summary>Record length (without the record header).</summary>
        public int Length { get; internal set; }
        /// <summary>Handshake message type(s) starting in this record, "Encrypted", the alert, or the content type.</summary>
        public string Messages { get; internal set; }
        public string Summary { get; internal set; }
        /// <summary>True when the trace holds only part of the record.</summary>
        public bool Truncated => CapturedLength < Length + HeaderLength;
        /// <summary>Bytes of the record (header included) present in the trace.</summary>
        public int CapturedLength { get; internal set; }
        /// <summary>
        /// The byte count announced by the data header of the dump the record starts in (CFT counts the plaintext of
        /// application data, so it may differ from the record's size; the record framing in the bytes decides).
        /// </summary>
        public int? AnnouncedCount { get; internal set; }
        public bool Encrypted { get; internal set; }
        /// <summary>Handshake messages starting in this record.</summary>
        public NamedList<HandshakeMessage> HandshakeMessages
        {
            get
            {
                if (handshakeMessages == null && onlyMessage != null) handshakeMessages = new NamedList<HandshakeMessage> { onlyMessage };
                return handshakeMessages ?? NamedList<HandshakeMessage>.None;
            }
        }

        // most records start no message (application data, continuations) or one: the list is made when read, or with a second
        private NamedList<HandshakeMessage> handshakeMessages;
        private HandshakeMessage onlyMessage;

        /// <summary>The frame's one message when it has exactly one (read without making its list), else null.</summary>
        internal HandshakeMessage SingleMessage => handshakeMessages == null ? onlyMessage : (handshakeMessages.Count == 1 ? handshakeMessages[0] : null);

        /// <summary>Whether the frame starts any message (without making its list).</summary>
        internal bool HasMessages => onlyMessage != null || (handshakeMessages != null && handshakeMessages.Count > 0);

        internal void AddMessage(HandshakeMessage m)
        {
            if (handshakeMessages == null && onlyMessage == null) { onlyMessage = m; return; }
            HandshakeMessages.Add(m);
        }
        public AlertInfo Alert { get; internal set; }

        internal int HeaderLength { get; set; } = 5;
        /// <summary>" [truncated: n of m bytes, why]" or empty.</summary>
        internal string TruncationNote { get; set; } = "";
        /// <summary>Messages this record continues (made with the first: most records continue none).</summary>
        internal System.Collections.Generic.List<string> Continuations => continuations ?? (continuations = new System.Collections.Generic.List<string>());
        internal bool HasContinuations => continuations != null && continuations.Count > 0;
        private System.Collections.Generic.List<string> continuations;
        /// <summary>Position of the record in its direction's byte stream (bytes missing from the trace included).</summary>
        internal long Offset { get; set; }
        /// <summary>The record is kept in its session's Frames (application data is only streamed).</summary>
        internal bool Kept { get; set; }
        /// <summary>Order in which the record was completed (ties of Line).</summary>
        internal long Sequence { get; set; }
        internal void SetBytes(byte[] b, int captured) { bytes = b; CapturedLength = captured; }

        /// <summary>
        /// The record's bytes present in the trace (header included). Bytes that do not start a record are kept up to
        /// 4 KiB. Application data is only streamed (Get-CftSslFrame), with its bytes.
        /// </summary>
        public byte[] GetBytes() => (byte[])bytes.Clone();

        internal byte[] RawBytes => bytes;

        public override string ToString() => Summary;
    }
}
