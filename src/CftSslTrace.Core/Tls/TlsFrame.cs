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
        public string File { get; internal set; }
        /// <summary>Line of the data header (or first dump line) of the block the record starts in.</summary>
        public long Line { get; internal set; }
        public DateTime? Time { get; internal set; }
        public string Ctx { get; internal set; }
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
        public bool Encrypted { get; internal set; }
        /// <summary>Handshake messages starting in this record.</summary>
        public NamedList<HandshakeMessage> HandshakeMessages { get; } = new NamedList<HandshakeMessage>();
        public AlertInfo Alert { get; internal set; }

        internal int HeaderLength { get; set; } = 5;
        /// <summary>" [truncated: n of m bytes, why]" or empty.</summary>
        internal string TruncationNote { get; set; } = "";
        internal System.Collections.Generic.List<string> Continuations { get; } = new System.Collections.Generic.List<string>();
        internal void SetBytes(byte[] b) { bytes = b; CapturedLength = b.Length; }

        /// <summary>The record's bytes present in the trace (header included).</summary>
        public byte[] GetBytes() => (byte[])bytes.Clone();

        public override string ToString() => Summary;
    }
}
