using System;
using CftSslTrace.Registry;
using CftSslTrace.Tls;
using CftSslTrace.X509;

namespace CftSslTrace.Sessions
{
    public enum SessionRole { Unknown, Client, Server }

    public enum SessionResult { Established, Failed, Incomplete }

    /// <summary>Why the reader decided a session was over.</summary>
    public enum SessionEnd
    {
        /// <summary>The input ended.</summary>
        EndOfInput,
        /// <summary>Its closing line (CFTY11I/CFTY12I), plus a grace of a few lines for stragglers.</summary>
        ClosingLine,
        /// <summary>A new session opened with the same CTX.</summary>
        CtxReused,
        /// <summary>No line of its CTX for the idle timeout (log time), or for the idle line count in logs without times.</summary>
        Idle,
        /// <summary>Too many sessions open at once: the one idle the longest was returned.</summary>
        OpenSessionLimit,
    }

    /// <summary>
    /// One SSL/TLS session of a CFT log: who, what was negotiated, how it ended, and every frame. Its lists are made when
    /// first used: a session being read holds little (a log of sessions that never close holds thousands of them).
    /// </summary>
    public sealed class CftSslSession
    {
        /// <summary>"file:firstLine:Ctx" - unique in the input, carried by every frame of the session.</summary>
        public string SessionId => sessionId ?? (sessionId = MakeId(FileShortName ?? System.IO.Path.GetFileName(File ?? ""), FirstLine, Ctx));

        /// <summary>"name:line:ctx".</summary>
        private static string MakeId(string name, long line, string ctx)
            => name + ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + ctx;
        private string sessionId;
        /// <summary>The file (or "archive.zip!entry") where the session starts, at <see cref="FirstLine"/>.</summary>
        public string File { get; internal set; }
        public long FirstLine { get; internal set; }
        /// <summary>The file where its last line is, at <see cref="LastLine"/>: another than <see cref="File"/> when the session went on across a log switch.</summary>
        public string LastFile { get; internal set; }
        public long LastLine { get; internal set; }
        /// <summary>The positions of its first and last lines in the history read (the concatenation's line numbers): log order.</summary>
        internal long FirstPosition { get; set; }
        internal long LastPosition { get; set; }
        /// <summary>
        /// Set by the reader as it returns the session: every session it returns after this one starts at or after this
        /// position (0: not set). Lets a consumer put the sessions, returned as they end, back in the order they started
        /// while holding only those that ended before an older one (<see cref="Analysis.StartOrder{T}"/>).
        /// </summary>
        internal long ReturnFloor { get; set; }
        /// <summary>The file name (with its archive entry) in <see cref="SessionId"/>.</summary>
        internal string FileShortName { get; set; }
        /// <summary>Where the history's lines come from (resolves positions to file and line).</summary>
        internal Reading.SourceMap Sources { get; set; }

        /// <summary>"line 17", or "line 17 of cftlog.2" when that position is not in the session's first file.</summary>
        internal string LineText(long position) => Sources != null ? Sources.Describe(position, File) : "line " + position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        public DateTime? StartTime { get; internal set; }
        public DateTime? EndTime { get; internal set; }
        public TimeSpan? Duration => StartTime.HasValue && EndTime.HasValue ? EndTime - StartTime : null;
        public string Ctx { get; internal set; }
        public SessionRole Role { get; internal set; }
        /// <summary>PART= of a client session.</summary>
        public string Partner { get; internal set; }
        /// <summary>PROT= of a server session.</summary>
        public string Protocol { get; internal set; }
        /// <summary>Partner for a client session, protocol for a server session.</summary>
        public string PartnerOrProtocol => Partner ?? Protocol;
        /// <summary>SSL= : the CFTSSL profile.</summary>
        public string SslProfile { get; internal set; }
        public string Pid { get; internal set; }
        /// <summary>HOST= of CFTY25I (server side).</summary>
        public string RemoteHost { get; internal set; }
        /// <summary>Negotiated version: from the ServerHello, else from CFT's VERSION=.</summary>
        public string Version { get; internal set; }
        public CipherSuiteInfo CipherSuite { get; internal set; }
        public int? CipherSuiteId => CipherSuite?.Id;
        public string CipherSuiteName => CipherSuite?.Name;
        /// <summary>Mutual, Server or Anonymous (null when unknown).</summary>
        public string Authentication { get; internal set; }
        public NamedList<CertificateInfo> ServerCertificates
        {
            get => serverCertificates ?? (serverCertificates = new NamedList<CertificateInfo>());
            internal set => serverCertificates = value;
        }
        private NamedList<CertificateInfo> serverCertificates;
        public NamedList<CertificateInfo> ClientCertificates
        {
            get => clientCertificates ?? (clientCertificates = new NamedList<CertificateInfo>());
            internal set => clientCertificates = value;
        }
        private NamedList<CertificateInfo> clientCertificates;
        public CertificateInfo ServerCertificate => ServerCertificates.Count > 0 ? ServerCertificates[0] : null;
        public CertificateInfo ClientCertificate => ClientCertificates.Count > 0 ? ClientCertificates[0] : null;
        /// <summary>CA names the server accepts for client certificates (CertificateRequest).</summary>
        public NamedList<string> AcceptedClientCAs
        {
            get => acceptedClientCAs ?? (acceptedClientCAs = new NamedList<string>());
            internal set => acceptedClientCAs = value;
        }
        private NamedList<string> acceptedClientCAs;
        public bool ClientCertificateRequested { get; internal set; }
        public string ServerName { get; internal set; }
        public string Alpn { get; internal set; }
        /// <summary>Versions the client offered (supported_versions, else its hello version).</summary>
        public NamedList<string> OfferedVersions
        {
            get => offeredVersions ?? (offeredVersions = new NamedList<string>());
            internal set => offeredVersions = value;
        }
        private NamedList<string> offeredVersions;
        public NamedList<CipherSuiteInfo> OfferedCipherSuites
        {
            get => offeredCipherSuites ?? (offeredCipherSuites = new NamedList<CipherSuiteInfo>());
            internal set => offeredCipherSuites = value;
        }
        private NamedList<CipherSuiteInfo> offeredCipherSuites;
        public bool Resumed { get; internal set; }
        /// <summary>JA3 fingerprint of the client's first ClientHello (MD5) and its full string.</summary>
        public string Ja3 => Fingerprints.First?.Ja3;
        public string Ja3Full => Fingerprints.First?.Ja3Full;
        /// <summary>JA3S fingerprint of the ServerHello (MD5) and its full string.</summary>
        public string Ja3s => Fingerprints.Ja3s;
        public string Ja3sFull => Fingerprints.Ja3sFull;
        /// <summary>JA4 fingerprint (FoxIO) of the client's first ClientHello, and its raw (sorted) form.</summary>
        public string Ja4 => Fingerprints.First?.Ja4;
        public string Ja4Raw => Fingerprints.First?.Ja4Raw;
        /// <summary>JA3 and JA4 of every ClientHello of the session, in order (two after a HelloRetryRequest).</summary>
        public NamedList<Analysis.ClientHelloFingerprint> ClientHelloFingerprints => Fingerprints.All;

        /// <summary>The ServerHello the fingerprints are computed from, on first use (hashing every session of a large log would cost for nothing).</summary>
        internal ServerHelloMessage FingerprintServerHello { get; set; }
        private Analysis.HelloFingerprints fingerprints;
        private Analysis.HelloFingerprints Fingerprints
            => fingerprints ?? (fingerprints = Analysis.TlsFingerprints.Compute(System.Linq.Enumerable.OfType<ClientHelloMessage>(HandshakeMessagesIfAny), FingerprintServerHello));
        /// <summary>
        /// Established, Failed, or Incomplete (the trace ends during the handshake). A session that was established and
        /// then ended by a fatal error (CFTY13E/CFTY30E after CFTY14I/CFTY15I) is Failed; <see cref="Established"/> and
        /// <see cref="EstablishedTime"/> still say that it got that far.
        /// </summary>
        public SessionResult Result { get; internal set; }
        /// <summary>The handshake completed: CFT wrote CFTY14I/CFTY15I, or both Finished messages are in the trace.</summary>
        public bool Established { get; internal set; }
        /// <summary>When it completed: the time of CFTY14I/CFTY15I, else of the record that completed it.</summary>
        public DateTime? EstablishedTime { get; internal set; }
        public SessionFailure Failure { get; internal set; }
        /// <summary>The failure explained in CFT terms (Failure.Explanation), as a flat property for CSV and remoting.</summary>
        public string Explanation => Failure?.Explanation;
        /// <summary>
        /// Security findings an auditor filters on (severity, code, text): versions and suites negotiated or offered, key
        /// sizes, certificate signatures, validity and self-signed end-entity certificates, secure renegotiation. Rated by
        /// the table Registry/Data/security-ratings.csv (Get-CftSslSecurityRating shows it); computed when first read.
        /// </summary>
        public NamedList<Analysis.SecurityFinding> Findings => findings ?? (findings = new NamedList<Analysis.SecurityFinding>(Analysis.SecurityAudit.Of(this, DateTime.Now)));
        private NamedList<Analysis.SecurityFinding> findings;
        /// <summary>The most serious finding's severity; null when there is none.</summary>
        public Registry.FindingSeverity? Severity => Findings.Count > 0 ? Findings[0].Severity : (Registry.FindingSeverity?)null;
        /// <summary>One line: why the session failed or what is wrong in the trace; empty when all is well.</summary>
        public string Problem { get; internal set; }
        /// <summary>No CFTY19I/CFTY20I for this session in the input (log rotated or cut).</summary>
        public bool OpeningMissing { get; internal set; }
        public bool Closed { get; internal set; }
        /// <summary>Why the reader returned the session when it did.</summary>
        public SessionEnd EndedBy { get; internal set; }
        /// <summary>
        /// The SessionId of the earlier part of this session, when the reader had returned it (idle, or after its closing
        /// line) and lines of its CTX came later.
        /// </summary>
        public string ContinuesFrom { get; internal set; }
        /// <summary>TLS records CFT sent and received (every content type).</summary>
        public long RecordsSent { get; internal set; }
        public long RecordsReceived { get; internal set; }
        /// <summary>TLS bytes CFT sent and received: record headers and lengths as the records declare them.</summary>
        public long BytesSent { get; internal set; }
        public long BytesReceived { get; internal set; }
        /// <summary>Application-data records, both directions. They are counted, not kept in Frames (Get-CftSslFrame streams them).</summary>
        public long ApplicationDataRecords { get; internal set; }
        /// <summary>Bytes of application-data records CFT sent and received (encrypted lengths).</summary>
        public long ApplicationDataSent { get; internal set; }
        public long ApplicationDataReceived { get; internal set; }
        /// <summary>Times of the first and last application-data records.</summary>
        public DateTime? FirstApplicationData { get; internal set; }
        public DateTime? LastApplicationData { get; internal set; }
        public NamedList<CftEvent> Events => events ?? (events = new NamedList<CftEvent>("CFT events"));
        private NamedList<CftEvent> events;
        /// <summary>
        /// The transfers this session carried or broke, from CFT's transfer lines (CFTT75E, CFTT92I, CFTT13I...) tied to it
        /// by CTX, or by partner, PID and time (each says how in MatchedBy).
        /// </summary>
        public NamedList<CftTransfer> Transfers
        {
            get => transfers ?? (transfers = new NamedList<CftTransfer>());
            internal set => transfers = value;
        }
        private NamedList<CftTransfer> transfers;

        // the lists as they are, without making them: an empty list that cannot grow stands in for one never made (a log
        // of a million one-line sessions made a dozen empty lists a session to find nothing in them)
        internal NamedList<CftEvent> EventsIfAny => events ?? NamedList<CftEvent>.None;
        internal NamedList<TlsFrame> FramesIfAny => frames ?? NamedList<TlsFrame>.None;
        internal NamedList<HandshakeMessage> HandshakeMessagesIfAny => handshakeMessages ?? NamedList<HandshakeMessage>.None;
        internal NamedList<AlertInfo> AlertsIfAny => alerts ?? NamedList<AlertInfo>.None;
        internal NamedList<CftTransfer> TransfersIfAny => transfers ?? NamedList<CftTransfer>.None;
        internal NamedList<CertificateInfo> ServerCertificatesIfAny => serverCertificates ?? NamedList<CertificateInfo>.None;
        internal NamedList<CertificateInfo> ClientCertificatesIfAny => clientCertificates ?? NamedList<CertificateInfo>.None;
        internal NamedList<string> AcceptedClientCAsIfAny => acceptedClientCAs ?? NamedList<string>.None;
        internal NamedList<string> OfferedVersionsIfAny => offeredVersions ?? NamedList<string>.None;
        internal NamedList<CipherSuiteInfo> OfferedCipherSuitesIfAny => offeredCipherSuites ?? NamedList<CipherSuiteInfo>.None;
        /// <summary>Every record except application data (handshake, change cipher spec, alerts, bytes that are not TLS), in log order.</summary>
        public NamedList<TlsFrame> Frames => frames ?? (frames = new NamedList<TlsFrame>("frames"));
        private NamedList<TlsFrame> frames;
        /// <summary>Every handshake message in log order.</summary>
        public NamedList<HandshakeMessage> HandshakeMessages => handshakeMessages ?? (handshakeMessages = new NamedList<HandshakeMessage>());
        private NamedList<HandshakeMessage> handshakeMessages;
        public NamedList<AlertInfo> Alerts => alerts ?? (alerts = new NamedList<AlertInfo>());
        private NamedList<AlertInfo> alerts;
        /// <summary>What the trace lacks (truncated dumps, missing opening...).</summary>
        public NamedList<string> Notes
        {
            get
            {
                if (notes == null) notes = new NamedList<string>();
                if (deferredNotes != 0) WriteDeferredNotes();
                return notes;
            }
        }
        private NamedList<string> notes;

        // Notes every session of some logs gets (a log of a million one-line sessions) are written when first read.
        private const int OpeningNote = 1, ReturnedNote = 2;
        private int deferredNotes;
        private int returnedNoteIndex, openLimit;
        private long returnedAt;

        /// <summary>The session has no opening line: its first note says so (written when the notes are first read).</summary>
        internal void DeferOpeningNote() => deferredNotes |= OpeningNote;

        /// <summary>It was returned early, more than <paramref name="limit"/> sessions being open at a line: the note after those it has now (written when first read).</summary>
        internal void DeferOpenLimitNote(int limit, long position)
        {
            openLimit = limit;
            returnedAt = position;
            returnedNoteIndex = notes?.Count ?? 0;
            deferredNotes |= ReturnedNote;
        }

        private void WriteDeferredNotes()
        {
            int pending = deferredNotes;
            deferredNotes = 0;
            int shift = 0;
            if ((pending & OpeningNote) != 0)
            {
                notes.Insert(0, LineText(FirstPosition) + ": no opening line (CFTY19I/CFTY20I) for CTX=" + Ctx + " before this line");
                shift = 1;
            }
            if ((pending & ReturnedNote) != 0)
                notes.Insert(System.Math.Min(notes.Count, returnedNoteIndex + shift), "returned early: more than " + openLimit + " sessions were open at " + LineText(returnedAt));
        }

        /// <summary>The direction of the client's hello, for sessions whose role no CFT line gives.</summary>
        internal Reading.TraceDirection HelloClientDirection { get; set; }

        /// <summary>State of this session in a frame stream (Get-CftSslFrame).</summary>
        internal FrameStreamState StreamState { get; set; }

        public override string ToString() => Ctx + " " + Role + " " + PartnerOrProtocol + " " + Result;
    }

    /// <summary>Why a session failed, in TLS terms and in the terms of CFT's configuration.</summary>
    public sealed class SessionFailure
    {
        public AlertInfo Alert { get; internal set; }
        /// <summary>Alert description name (unknown_ca) or CFT's bracket name when no alert was traced.</summary>
        public string Name { get; internal set; }
        /// <summary>TLS alert number (CFT's CR=).</summary>
        public int? Code { get; internal set; }
        /// <summary>Who raised it: Client or Server.</summary>
        public TlsPeer RaisedBy { get; internal set; }
        /// <summary>Local (CFT detected it, CFTY13E) or Remote (the partner did, CFTY30E).</summary>
        public string Origin { get; internal set; }
        /// <summary>Handshake step where it happened: "after ServerHelloDone".</summary>
        public string Step { get; internal set; }
        /// <summary>The CFT error line (CFTY13E / CFTY30E ...).</summary>
        public CftEvent CftError { get; internal set; }
        /// <summary>CFT's reason text in parentheses.</summary>
        public string Reason { get; internal set; }
        /// <summary>A few words: "server certificate not trusted", "no cipher suite in common"...</summary>
        public string Summary { get; internal set; }
        /// <summary>What it means and what to check in the CFT configuration.</summary>
        public string Explanation { get; internal set; }
        /// <summary>For a partner that did not speak TLS (Name not_tls): what its bytes look like (HTTP, PeSIT, text), with the first of them.</summary>
        public Analysis.NonTlsBytes NonTls { get; internal set; }
        /// <summary>The line of the record or event the failure was read from, in <see cref="File"/>.</summary>
        public long? Line { get; internal set; }
        public string File { get; internal set; }
        internal long? Position { get; set; }

        /// <summary>Places the failure at a line of the session's history.</summary>
        internal SessionFailure At(CftSslSession s, long? position)
        {
            Position = position;
            if (position == null) { File = null; Line = null; return this; }
            File = s.Sources?.FileOf(position.Value) ?? s.File;
            Line = s.Sources?.LineOf(position.Value) ?? position;
            return this;
        }

        public override string ToString() => Name + (Code.HasValue ? " (" + Code + ")" : "") + (RaisedBy != TlsPeer.Unknown ? " from " + RaisedBy.ToString().ToLowerInvariant() : "") + (Step != null ? " " + Step : "");
    }
}
