using System;
using CftSslTrace.Registry;
using CftSslTrace.X509;

namespace CftSslTrace.Tls
{
    public enum TlsPeer { Unknown, Client, Server }

    /// <summary>A decoded handshake message. Subclasses add the fields of each message type.</summary>
    public class HandshakeMessage
    {
        /// <summary>PascalCase name: ClientHello, Certificate, ServerHelloDone...</summary>
        public string Type { get; internal set; }
        public int TypeValue { get; internal set; }
        /// <summary>Body length announced in the message header.</summary>
        public int Length { get; internal set; }
        /// <summary>Body bytes present in the trace.</summary>
        public int CapturedLength { get; internal set; }
        public bool Truncated => CapturedLength < Length;
        public TlsPeer Sender { get; internal set; }
        /// <summary>Log line of the record the message starts in (in the file of that record: its frame's File).</summary>
        public long Line { get; internal set; }
        /// <summary>The line's position in the history read: log order.</summary>
        internal long Position { get; set; }
        /// <summary>One line in words.</summary>
        public string Summary
        {
            get => summary ?? (summaryDeferred ? (summary = HandshakeDecoder.SummaryOf(this)) : null);
            internal set => summary = value;
        }
        private string summary;
        private bool summaryDeferred;

        /// <summary>The summary is made when first read (a session that stays open holds its messages, not their texts).</summary>
        internal void DeferSummary() => summaryDeferred = true;
        /// <summary>Why decoding stopped before the end of the message, if it did.</summary>
        public string DecodeError { get; internal set; }

        internal Reading.TraceDirection Direction { get; set; }

        public override string ToString() => Type;
    }

    public sealed class ClientHelloMessage : HandshakeMessage
    {
        /// <summary>legacy_version / client_version ("TLS 1.2").</summary>
        public string ClientVersion { get; internal set; }
        public int ClientVersionValue { get; internal set; }
        public string Random { get => random.Text; internal set => random = HexText.Of(value); }
        private HexText random, sessionId;
        internal void SetRandom(byte[] bytes) => random = HexText.Of(bytes);
        internal void SetSessionId(byte[] bytes) => sessionId = HexText.Of(bytes);
        /// <summary>The first four bytes of the random read as gmt_unix_time (meaningful before TLS 1.3 only).</summary>
        public DateTime? RandomTime { get; internal set; }
        public string SessionId { get => sessionId.Text; internal set => sessionId = HexText.Of(value); }
        /// <summary>Bytes of the session id (its text is made only when read).</summary>
        internal int SessionIdLength => sessionId.ByteCount;
        internal HexText SessionIdValue => sessionId;
        public NamedList<CipherSuiteInfo> CipherSuites { get; internal set; } = new NamedList<CipherSuiteInfo>();
        public NamedList<string> CompressionMethods { get; internal set; } = new NamedList<string>();
        public NamedList<TlsExtension> Extensions { get; internal set; } = NamedList<TlsExtension>.None;
        public string ServerName { get; internal set; }
        public NamedList<string> Alpn { get; internal set; } = NamedList<string>.None;
        // the names of these lists are made when read, from their extension's wire values (a session that stays open holds its hello)
        public NamedList<string> SupportedVersions => SupportedVersionsExtension?.Items ?? NamedList<string>.None;
        public NamedList<string> SupportedGroups => SupportedGroupsExtension?.Items ?? NamedList<string>.None;
        public NamedList<string> SignatureAlgorithms => SignatureAlgorithmsExtension?.Items ?? NamedList<string>.None;
        internal TlsExtension SupportedVersionsExtension, SupportedGroupsExtension, SignatureAlgorithmsExtension;
        public NamedList<string> KeyShareGroups { get; internal set; } = NamedList<string>.None;
        public NamedList<string> EcPointFormats { get; internal set; } = NamedList<string>.None;
        public NamedList<string> PskKeyExchangeModes { get; internal set; } = NamedList<string>.None;
        public bool RenegotiationInfo { get; internal set; }
        public bool ExtendedMasterSecret { get; internal set; }
        public bool SessionTicket { get; internal set; }
        public bool StatusRequest { get; internal set; }
        public bool PreSharedKey { get; internal set; }
        /// <summary>Sent in the SSL 2.0 compatible format.</summary>
        public bool IsSslV2Format { get; internal set; }
    }

    /// <summary>The field layout of a ServerHello, which depends on its version.</summary>
    internal enum ServerHelloLayout { Legacy, Tls13Draft, Unknown }

    public sealed class ServerHelloMessage : HandshakeMessage
    {
        public string ServerVersion { get; internal set; }
        public int ServerVersionValue { get; internal set; }
        public string Random { get => random.Text; internal set => random = HexText.Of(value); }
        private HexText random, sessionId;
        internal void SetRandom(byte[] bytes) => random = HexText.Of(bytes);
        internal void SetSessionId(byte[] bytes) => sessionId = HexText.Of(bytes);
        public DateTime? RandomTime { get; internal set; }
        public string SessionId { get => sessionId.Text; internal set => sessionId = HexText.Of(value); }
        /// <summary>Bytes of the session id (its text is made only when read).</summary>
        internal int SessionIdLength => sessionId.ByteCount;
        internal HexText SessionIdValue => sessionId;
        public CipherSuiteInfo CipherSuite { get; internal set; }
        public string CompressionMethod { get; internal set; }
        public NamedList<TlsExtension> Extensions { get; internal set; } = NamedList<TlsExtension>.None;
        /// <summary>From supported_versions (TLS 1.3), else null.</summary>
        public string SelectedVersion { get; internal set; }
        public int? SelectedVersionValue { get; internal set; }
        /// <summary>The version in force: supported_versions when present, else server_version.</summary>
        public string NegotiatedVersion => SelectedVersion ?? ServerVersion;
        public int NegotiatedVersionValue => SelectedVersionValue ?? ServerVersionValue;
        public string KeyShareGroup { get; internal set; }
        public string Alpn { get; internal set; }
        public bool IsHelloRetryRequest { get; internal set; }
        public bool RenegotiationInfo { get; internal set; }
        public bool ExtendedMasterSecret { get; internal set; }
        /// <summary>Session id echoed from the ClientHello (abbreviated handshake, TLS 1.2 and earlier).</summary>
        public bool ResumesSession { get; internal set; }
        /// <summary>An SSL 2.0 server-hello: the cipher kinds both sides support (the client chooses in its client-master-key).</summary>
        public bool IsSslV2Format { get; internal set; }
        public NamedList<CipherSuiteInfo> SslV2CipherKinds { get; internal set; } = new NamedList<CipherSuiteInfo>();
    }

    /// <summary>SSL 2.0 client-master-key: the cipher kind the client chose and the sizes of its key material.</summary>
    public sealed class SslV2ClientMasterKeyMessage : HandshakeMessage
    {
        public CipherSuiteInfo CipherKind { get; internal set; }
        public int ClearKeyLength { get; internal set; }
        public int EncryptedKeyLength { get; internal set; }
        public int KeyArgLength { get; internal set; }
    }

    public sealed class CertificateMessage : HandshakeMessage
    {
        public NamedList<CertificateInfo> Certificates { get; internal set; } = new NamedList<CertificateInfo>();
        /// <summary>Total length of the chain announced by the message.</summary>
        public int ChainLength { get; internal set; }
        public bool IsEmpty => ChainLength == 0;
    }

    public sealed class CertificateRequestMessage : HandshakeMessage
    {
        public NamedList<string> CertificateTypes { get; internal set; } = new NamedList<string>();
        public NamedList<string> SignatureAlgorithms { get; internal set; } = new NamedList<string>();
        /// <summary>Distinguished names of the CAs whose certificates the server accepts.</summary>
        public NamedList<string> CertificateAuthorities { get; internal set; } = new NamedList<string>();
        public NamedList<TlsExtension> Extensions { get; internal set; } = NamedList<TlsExtension>.None;
    }

    public sealed class ServerKeyExchangeMessage : HandshakeMessage
    {
        /// <summary>ECDHE, DHE, RSA (export), PSK...</summary>
        public string KeyExchange { get; internal set; }
        /// <summary>Named group of an ECDHE exchange.</summary>
        public string Group { get; internal set; }
        /// <summary>Size in bits: DH prime, or the curve's.</summary>
        public int? KeySize { get; internal set; }
        public int? PublicKeyLength { get; internal set; }
        public string SignatureAlgorithm { get; internal set; }
        public int? SignatureLength { get; internal set; }
    }

    public sealed class ClientKeyExchangeMessage : HandshakeMessage
    {
        public string KeyExchange { get; internal set; }
        /// <summary>Length of the RSA-encrypted pre-master secret, or of the client's (EC)DH public value.</summary>
        public int? ExchangeKeysLength { get; internal set; }
    }

    public sealed class CertificateVerifyMessage : HandshakeMessage
    {
        public string SignatureAlgorithm { get; internal set; }
        public int? SignatureLength { get; internal set; }
    }

    public sealed class FinishedMessage : HandshakeMessage
    {
        public int VerifyDataLength { get; internal set; }
    }

    public sealed class NewSessionTicketMessage : HandshakeMessage
    {
        public long LifetimeSeconds { get; internal set; }
        public int TicketLength { get; internal set; }
        public NamedList<TlsExtension> Extensions { get; internal set; } = NamedList<TlsExtension>.None;
    }

    public sealed class EncryptedExtensionsMessage : HandshakeMessage
    {
        public NamedList<TlsExtension> Extensions { get; internal set; } = NamedList<TlsExtension>.None;
    }

    public sealed class CertificateStatusMessage : HandshakeMessage
    {
        public string StatusType { get; internal set; }
        public int ResponseLength { get; internal set; }
    }

    public sealed class KeyUpdateMessage : HandshakeMessage
    {
        public bool UpdateRequested { get; internal set; }
    }

    /// <summary>A TLS alert (level and description).</summary>
    public sealed class AlertInfo
    {
        public int LevelValue { get; internal set; }
        /// <summary>warning, fatal (or the number when unknown).</summary>
        public string Level { get; internal set; }
        public int Description { get; internal set; }
        /// <summary>IANA name: handshake_failure, unknown_ca...</summary>
        public string Name { get; internal set; }
        public TlsPeer Sender { get; internal set; }
        public long Line { get; internal set; }
        internal long Position { get; set; }
        public bool IsFatal => LevelValue == 2;
        internal Reading.TraceDirection Direction { get; set; }

        public override string ToString() => Level + " " + Name + " (" + Description + ")";

        internal static AlertInfo Create(int level, int description)
            => new AlertInfo
            {
                LevelValue = level,
                Level = level == 1 ? "warning" : level == 2 ? "fatal" : level.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Description = description,
                Name = TlsRegistry.AlertName(description),
            };
    }
}
