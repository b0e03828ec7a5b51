using System;
using System.Collections.Generic;
using System.Linq;
using CftSslTrace.Reading;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Analysis
{
    /// <summary>Summarises a decoded session: role, partner, negotiated parameters, certificates, result and failure.</summary>
    internal static class SessionAnalyzer
    {
        public static void Analyze(CftSslSession s, TlsConversation conv)
        {
            CftEvent established = null;
            CftEvent error = null;
            foreach (var e in s.EventsIfAny)
            {
                switch (e.Code)
                {
                    case "CFTY19I":
                        s.Partner = e.Get("PART"); s.SslProfile = e.Get("SSL"); s.Pid = e.Get("PID");
                        break;
                    case "CFTY20I":
                        s.Protocol = e.Get("PROT"); s.SslProfile = e.Get("SSL"); s.Pid = e.Get("PID");
                        break;
                    case "CFTY25I":
                        s.RemoteHost = e.Get("HOST");
                        break;
                    case "CFTY14I":
                    case "CFTY15I":
                        established = e;
                        TakeIdentity(s, e, e.Code == "CFTY14I");
                        break;
                    case "CFTY11I":
                    case "CFTY12I":
                        TakeIdentity(s, e, e.Code == "CFTY11I");
                        break;
                    default:
                        if (error == null && (e.Severity() == 'E' || e.Severity() == 'F') && e.Code.StartsWith("CFTY", StringComparison.Ordinal)) error = e;
                        break;
                }
            }

            // Which direction is the client's: from CFT's role, else from who sent the ClientHello.
            if (s.Role == SessionRole.Unknown && conv.ClientDirection != TraceDirection.Unknown)
                s.Role = conv.ClientDirection == TraceDirection.Sent ? SessionRole.Client : SessionRole.Server;
            foreach (var f in s.FramesIfAny) Stamp(s, f);
            foreach (var m in s.HandshakeMessagesIfAny) m.Sender = SenderOf(s, m.Direction);
            foreach (var a in s.AlertsIfAny) a.Sender = SenderOf(s, a.Direction);

            // Negotiated parameters
            var sh = conv.ServerHello;
            var ch = conv.ClientHello;
            if (sh != null)
            {
                s.Version = sh.NegotiatedVersion;
                s.CipherSuite = sh.CipherSuite;
                s.Alpn = sh.Alpn;
            }
            else if (conv.HelloRetryRequest != null)
            {
                // no ServerHello in the trace after a HelloRetryRequest: that one selected the version and the suite
                s.Version = conv.HelloRetryRequest.NegotiatedVersion;
                s.CipherSuite = conv.HelloRetryRequest.CipherSuite;
                s.Notes.Add("no ServerHello in the trace after the HelloRetryRequest of " + s.LineText(conv.HelloRetryRequest.Position) + ": the version and the suite are the HelloRetryRequest's");
            }
            if (established != null)
            {
                string v = established.Get("VERSION");
                if (s.Version == null && !string.IsNullOrEmpty(v)) s.Version = NormalizeCftVersion(v);
                var cipher = CftEvent.Int(established.Get("CIPHER"));
                if (s.CipherSuite == null && cipher.HasValue) s.CipherSuite = TlsRegistry.GetCipherSuite(cipher.Value);
            }
            if (ch != null)
            {
                s.ServerName = ch.ServerName;
                s.OfferedCipherSuites = ch.CipherSuites;
                s.OfferedVersions = ch.SupportedVersions.Count > 0 ? new NamedList<string>(ch.SupportedVersions.Where(v => v != "GREASE").ToList()) : new NamedList<string>(ch.ClientVersion != null ? new List<string> { ch.ClientVersion } : new List<string>());
            }

            // Certificates and authentication
            CertificateMessage clientCertMsg = null;
            foreach (var m in s.HandshakeMessagesIfAny)
            {
                if (m is CertificateMessage cm)
                {
                    if (m.Sender == TlsPeer.Client) { clientCertMsg = cm; s.ClientCertificates = cm.Certificates; }
                    else if (m.Sender == TlsPeer.Server) s.ServerCertificates = cm.Certificates;
                }
            }
            if (conv.CertificateRequest != null)
            {
                s.ClientCertificateRequested = true;
                s.AcceptedClientCAs = conv.CertificateRequest.CertificateAuthorities;
            }
            string auth = established?.Get("AUTH");
            if (auth != null) auth = auth.ToUpperInvariant();
            if (auth == "BOTH" || auth == "MUTUAL" || auth == "CLIENT") s.Authentication = "Mutual";
            else if (auth == "SERVER") s.Authentication = "Server";
            else if (auth == "NONE" || auth == "ANONYMOUS" || HasEvent(s, "CFTY26I")) s.Authentication = "Anonymous";
            else if (clientCertMsg != null && !clientCertMsg.IsEmpty) s.Authentication = "Mutual";
            else if (s.ServerCertificatesIfAny.Count > 0 || conv.NegotiatedVersion.HasValue && TlsRegistry.IsTls13Family(conv.NegotiatedVersion.Value) && conv.HandshakeCompleted) s.Authentication = "Server";
            if ((HasEvent(s, "CFTY22I") || HasEvent(s, "CFTY23I")) && s.Authentication != "Anonymous") s.Authentication = "Mutual";

            if (sh != null && ch != null && !sh.IsHelloRetryRequest)
            {
                bool echoed = sh.SessionIdLength > 0 && sh.SessionIdValue.SameAs(ch.SessionIdValue) && !(conv.NegotiatedVersion.HasValue && TlsRegistry.IsTls13Family(conv.NegotiatedVersion.Value));
                bool psk = sh.Extensions.Any(e => e.Type == 41);
                s.Resumed = psk || (echoed && !s.HandshakeMessages.Any(m => m is CertificateMessage && m.Sender == TlsPeer.Server));
            }

            s.FingerprintServerHello = sh;

            // Result and failure. A session can be established and then fail: a TLS 1.3 server that wants a client
            // certificate says so (certificate_required) after the client's Finished, when the client already wrote CFTY14I.
            AlertInfo fatal = null, firstAlert = null;
            foreach (var a in s.AlertsIfAny)
            {
                if (firstAlert == null) firstAlert = a;
                if (a.IsFatal) { fatal = a; break; }
            }
            bool done = established != null || conv.HandshakeCompleted;
            s.Established = done;
            s.EstablishedTime = established?.Time ?? conv.HandshakeCompletedTime;
            if (error != null && done && IsCleanClose(error)) error = null; // the peer closed the connection: the end of a transfer
            if (done && error == null && fatal == null) s.Result = SessionResult.Established;
            else if (fatal != null || error != null || firstAlert != null) s.Result = SessionResult.Failed;
            else s.Result = SessionResult.Incomplete;

            if (fatal != null || error != null || (!done && firstAlert != null))
                s.Failure = FailureExplainer.Describe(s, fatal ?? firstAlert, error);

            // A partner that does not speak TLS: in the trace (its bytes), or from CFT's lines when nothing was traced.
            if (s.EventsIfAny.Count > 0) s.Transfers = Transfers.Of(s);
            var nonTls = NotTlsExplainer.FirstNonTls(s, out var before, out bool damagedBefore);
            var notTls = nonTls != null ? NotTlsExplainer.FromTrace(s, nonTls, before, damagedBefore, s.Failure) : s.Failure == null ? NotTlsExplainer.FromEvents(s) : null;
            if (notTls != null) { s.Failure = notTls; s.Result = SessionResult.Failed; }
            else if (s.Failure == null && !done && s.FramesIfAny.Count == 0)
            {
                // not traced, but the transfer says which TLS alert broke it (CFTT75E ... 260 PKI 048)
                var t = s.TransfersIfAny.FirstOrDefault(x => x.AlertCode.HasValue);
                if (t != null)
                {
                    s.Failure = FailureExplainer.DescribeTransfer(s, t, s.Events.First(e => e.Position == t.Position && e.Code == t.Code));
                    s.Result = SessionResult.Failed;
                }
            }

            if (s.Failure != null)
                s.Problem = s.Failure.Name + (s.Failure.Code.HasValue ? " (" + s.Failure.Code + ")" : "") + ": " + s.Failure.Summary;
            else if (s.Result == SessionResult.Incomplete && conv.HelloRetryRequest != null && sh == null)
            {
                var hrr = conv.HelloRetryRequest;
                int encryptedSent = s.Frames.Count(f => f.Position > hrr.Position && f.Direction == TraceDirection.Sent && (f.Encrypted || f.ContentTypeValue == 23));
                int encryptedReceived = s.Frames.Count(f => f.Position > hrr.Position && f.Direction == TraceDirection.Received && (f.Encrypted || f.ContentTypeValue == 23));
                s.Problem = "Incomplete: no ServerHello in the trace after the HelloRetryRequest of " + s.LineText(hrr.Position)
                    + (encryptedSent > 0 && encryptedReceived > 0 ? ", though encrypted records follow in both directions (" + (encryptedSent + encryptedReceived) + "): the trace lacks the ServerHello, the version and suite are the HelloRetryRequest's"
                       : ": the version and suite are the HelloRetryRequest's");
            }
            else if (s.Result == SessionResult.Incomplete)
            {
                var messages = s.HandshakeMessagesIfAny;
                var last = messages.Count > 0 ? messages[messages.Count - 1] : null;
                s.Problem = last != null ? "Incomplete: the trace ends after " + last.Type + " from " + last.Sender.ToString().ToLowerInvariant()
                    : s.FramesIfAny.Count == 0 ? "Incomplete: the trace ends before any TLS data" : "Incomplete: the trace ends during the handshake";
            }
            else s.Problem = string.Empty;
        }

        private static bool HasEvent(CftSslSession s, string code)
        {
            foreach (var e in s.EventsIfAny) if (e.Code == code) return true;
            return false;
        }

        /// <summary>The client's direction: from CFT's role, else from who sent the ClientHello (or received the ServerHello).</summary>
        internal static TraceDirection ClientDirection(CftSslSession s)
            => s.Role == SessionRole.Client ? TraceDirection.Sent : s.Role == SessionRole.Server ? TraceDirection.Received : s.HelloClientDirection;

        internal static TlsPeer SenderOf(CftSslSession s, TraceDirection d)
        {
            var client = ClientDirection(s);
            return client == TraceDirection.Unknown || d == TraceDirection.Unknown ? TlsPeer.Unknown : d == client ? TlsPeer.Client : TlsPeer.Server;
        }

        /// <summary>What a frame says of its session: id, role, partner, and who sent it.</summary>
        internal static void Stamp(CftSslSession s, TlsFrame f)
        {
            f.SessionId = s.SessionId;
            f.Role = s.Role;
            f.Partner = s.PartnerOrProtocol;
            f.Sender = SenderOf(s, f.Direction);
        }

        /// <summary>
        /// An error line that only says the peer closed an established session: close_notify (CR=0), or the
        /// connection ended cleanly (SSL_ERROR_ZERO_RETURN, which CFT reports as TLSPARSE CR=1).
        /// </summary>
        private static bool IsCleanClose(CftEvent e)
            => e.Get("CR") == "0" || (e.Text ?? "").IndexOf("ZERO_RETURN", StringComparison.OrdinalIgnoreCase) >= 0;

        /// <summary>CFT's VERSION= format is undocumented: accept "TLSv1.2", "TLS1.2", "1.2", "TLSV12", "0303"...</summary>
        internal static string NormalizeCftVersion(string v)
        {
            string u = v.ToUpperInvariant().Replace("V", "").Replace("_", "").Replace(".", "").Replace(" ", "");
            switch (u)
            {
                case "0300": case "SSL3": case "SSL30": case "30": return "SSL 3.0";
                case "0301": case "TLS1": case "TLS10": case "10": return "TLS 1.0";
                case "0302": case "TLS11": case "11": return "TLS 1.1";
                case "0303": case "TLS12": case "12": return "TLS 1.2";
                case "0304": case "TLS13": case "13": return "TLS 1.3";
                default: return v;
            }
        }

        /// <summary>What an opening, established or closing line says of the session, as soon as it is read (frames streamed before the end carry it).</summary>
        internal static void TakeIdentity(CftSslSession s, CftEvent e)
        {
            switch (e.Code)
            {
                case "CFTY19I": s.Partner = e.Get("PART"); s.SslProfile = e.Get("SSL"); s.Pid = e.Get("PID"); break;
                case "CFTY20I": s.Protocol = e.Get("PROT"); s.SslProfile = e.Get("SSL"); s.Pid = e.Get("PID"); break;
                case "CFTY14I": case "CFTY11I": TakeIdentity(s, e, true); break;
                case "CFTY15I": case "CFTY12I": TakeIdentity(s, e, false); break;
            }
        }

        /// <summary>Established and closing lines name the role, partner or protocol and profile too: they stand in for a missing opening line.</summary>
        private static void TakeIdentity(CftSslSession s, CftEvent e, bool client)
        {
            if (s.Role == SessionRole.Unknown) s.Role = client ? SessionRole.Client : SessionRole.Server;
            s.Partner = s.Partner ?? e.Get("PART");
            s.Protocol = s.Protocol ?? e.Get("PROT");
            s.SslProfile = s.SslProfile ?? e.Get("SSL");
        }

        internal static char Severity(this CftEvent e) => e.Code != null && e.Code.Length >= 7 ? e.Code[6] : ' ';
    }
}
