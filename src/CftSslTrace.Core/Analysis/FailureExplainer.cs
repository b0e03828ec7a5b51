using System;
using System.Globalization;
using System.Linq;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using CftSslTrace.X509;

namespace CftSslTrace.Analysis
{
    /// <summary>Explains a failed handshake in the terms of the CFT configuration (CFTSSL profile parameters).</summary>
    internal static class FailureExplainer
    {
        public static SessionFailure Describe(CftSslSession s, AlertInfo alert, CftEvent error)
        {
            var f = new SessionFailure { Alert = alert, CftError = error };
            if (error != null)
            {
                f.Reason = CftEvent.Reason(error.Text);
                f.Origin = error.Code == "CFTY13E" ? "Local" : error.Code == "CFTY30E" ? "Remote" : null;
            }
            if (alert != null)
            {
                f.Name = alert.Name;
                f.Code = alert.Description;
                f.RaisedBy = alert.Sender;
                if (f.Origin == null) f.Origin = alert.Direction == Reading.TraceDirection.Sent ? "Local" : "Remote";
            }
            else if (error != null)
            {
                var cr = CftEvent.Int(error.Get("CR"));
                f.Code = cr;
                string bracket = CftEvent.Bracket(error.Text);
                f.Name = bracket != null ? bracket.ToLowerInvariant() : cr.HasValue ? Registry.TlsRegistry.AlertName(cr.Value) : error.Code;
                if (cr.HasValue && bracket != null && bracket != "TLSPARSE" && !Registry.TlsRegistry.AlertName(cr.Value).StartsWith("Unknown", StringComparison.Ordinal))
                    f.Name = Registry.TlsRegistry.AlertName(cr.Value);
                if (f.Origin != null && s.Role != SessionRole.Unknown)
                {
                    bool weAreClient = s.Role == SessionRole.Client;
                    f.RaisedBy = (f.Origin == "Local") == weAreClient ? TlsPeer.Client : TlsPeer.Server;
                }
            }
            long at = alert?.Position ?? error?.Position ?? long.MaxValue;
            HandshakeMessage last = null;
            foreach (var m in s.HandshakeMessages) if (m.Position <= at) last = m;
            if (last != null) f.Step = "after " + last.Type + " from " + last.Sender.ToString().ToLowerInvariant();
            else if (s.Frames.Count == 0) f.Step = "before any TLS data";
            f.At(s, alert?.Position ?? error?.Position);
            f.Explanation = Explain(s, f, last);
            return f;
        }

        /// <summary>A failure known only from a transfer line (CFTT75E ... 260 PKI nnn): the alert of DIAGP, explained as if traced.</summary>
        public static SessionFailure DescribeTransfer(CftSslSession s, CftTransfer t, CftEvent e)
        {
            var f = new SessionFailure
            {
                CftError = e, Code = t.AlertCode, Name = t.Alert,
                Origin = t.Diagi >= 500 ? "Remote" : "Local",
                Step = "reported by transfer " + t.Idtu + " (" + e.Code + " DIAGI " + t.Diagi + " " + t.Diagp + "), not traced",
            };
            f.At(s, e.Position);
            if (s.Role != SessionRole.Unknown)
                f.RaisedBy = (f.Origin == "Local") == (s.Role == SessionRole.Client) ? TlsPeer.Client : TlsPeer.Server;
            f.Explanation = Explain(s, f, null) + " (From the transfer's diagnostic; TRACE=255 on the CFTSSL profile would show the handshake.)";
            return f;
        }

        private static string Explain(CftSslSession s, SessionFailure f, HandshakeMessage last)
        {
            bool cftIsClient = s.Role == SessionRole.Client;
            string profile = s.SslProfile != null ? "CFTSSL " + s.SslProfile : "the CFTSSL profile";
            string reason = (f.Reason ?? "").ToLowerInvariant();
            string raiser = f.RaisedBy == TlsPeer.Client ? "client" : f.RaisedBy == TlsPeer.Server ? "server" : "peer";
            bool raisedByCft = f.RaisedBy != TlsPeer.Unknown && s.Role != SessionRole.Unknown && ((f.RaisedBy == TlsPeer.Client) == cftIsClient);
            int code = f.Code ?? -1;

            if (reason.Contains("fragment") || (f.CftError?.Text ?? "").ToUpperInvariant().Contains("FRAGMENT_CONSIS"))
                return Say(f, "CA list exceeds RRUSIZE", "The CertificateRequest (list of accepted CAs) is larger than the network buffer. Set RRUSIZE=32750 on the CFTPROT of this protocol.");

            switch (code)
            {
                case 42: case 43: case 44: case 46: case 48:
                    return CertificateRejected(s, f, raisedByCft, profile, code);
                case 45:
                    return Expired(s, f, raisedByCft, profile);
                case 116:
                    return NoClientCertificate(s, f, cftIsClient, profile);
                case 40:
                    if (reason.Contains("certificate verify failed") || reason.Contains("unknown ca"))
                        return CertificateRejected(s, f, raisedByCft, profile, 48);
                    if (reason.Contains("no shared cipher") || (last is ClientHelloMessage))
                        return Say(f, "no common cipher suite", "No cipher suite in common: the client offered " + Suites(s) + ". Compare CIPHLIST of " + profile + " with the partner's suites"
                            + (cftIsClient ? "" : "; a server profile without a usable certificate (USERCID) ends the same way") + ". Also check VERSION / cft.ssl.version_min and version_max.");
                    var clientCert = s.HandshakeMessages.OfType<CertificateMessage>().FirstOrDefault(m => m.Sender == TlsPeer.Client);
                    if (s.ClientCertificateRequested && f.RaisedBy == TlsPeer.Server && (clientCert == null || clientCert.IsEmpty))
                        return NoClientCertificate(s, f, cftIsClient, profile);
                    return Say(f, "handshake aborted" + (last != null ? " after " + last.Type : ""), "The " + raiser + " aborted the handshake (handshake_failure)" + (last != null ? " " + "after " + last.Type : "") + ". Compare CIPHLIST, VERSION and certificates (USERCID, ROOTCID) of " + profile + " with the partner's settings; the partner's log has the precise reason.");
                case 70:
                    return Say(f, "version refused", "Protocol version refused by the " + raiser + ": the client offered " + (s.OfferedVersions.Count > 0 ? s.OfferedVersions.ToString() : "?") + ". Align VERSION of " + profile + " and cft.ssl.version_min / cft.ssl.version_max with the partner.");
                case 71:
                    return Say(f, "too weak for the peer", "Insufficient security: the " + raiser + " requires stronger cipher suites or a newer version than offered (" + Suites(s) + "). Update CIPHLIST of " + profile + " (e.g. 49199, 49200, 156, 157) and the minimum version.");
                case 51:
                    return Say(f, "key/signature failed", "Decrypt error: a signature or key check failed. Check that the private key of the certificate (USERCID of " + profile + ") matches it and that its PKI password is right.");
                case 20:
                    return Say(f, "record MAC failed", "Bad record MAC: the records could not be authenticated (key mismatch or data corrupted in transit). Check the private key of " + profile + " and any network device altering the stream.");
                case 112:
                    return Say(f, "SNI not recognized", "Unrecognized server name (SNI " + (s.ServerName ?? "none") + "): check the host name used for the partner and ssl.extension.enable_sni.");
                case 86:
                    return Say(f, "version fallback refused", "Inappropriate fallback: the client retried with a lower version than it supports. Check VERSION and cft.ssl.version_min / version_max on both sides.");
                case 10: case 47: case 50:
                    return Say(f, "protocol error", "Protocol error (" + f.Name + ") raised by the " + raiser + ": the peers do not understand each other's messages" + (last != null ? " (after " + last.Type + ")" : "") + ". Check versions and suites, and compare with the partner's trace.");
                case 80:
                    return Say(f, "internal error (" + raiser + ")", "Internal error on the " + raiser + " side: see that side's log (for CFT, the lines around the error; PKI errors CFTY07E, CFTY10E).");
                case 0:
                    return Say(f, "closed during handshake", "The " + raiser + " closed the connection during the handshake (close_notify)" + (last != null ? " after " + last.Type : "") + ". Check the partner's log for the reason.");
                case 1:
                    return Say(f, "SSL data unreadable", "CFT could not read SSL data" + (f.Reason != null ? " (" + f.Reason + ")" : "") + ": the connection was closed or the data is not TLS. Check that the partner uses SSL on this port.");
            }
            if (f.Alert == null && f.CftError != null)
                return Say(f, "CFT error, no alert traced", "CFT reported " + f.CftError.Code + " " + f.CftError.Text + ". No alert was traced; see the CFT message catalog for " + f.CftError.Code + ".");
            return Say(f, "alert " + f.Name, "The " + raiser + " sent alert " + f.Name + (last != null ? " after " + last.Type : "") + ". Compare " + profile + " with the partner's settings.");
        }

        private static string Say(SessionFailure f, string summary, string explanation)
        {
            f.Summary = summary;
            return explanation;
        }

        private static string CertificateRejected(CftSslSession s, SessionFailure f, bool raisedByCft, string profile, int code)
        {
            // The raiser rejects the other side's certificate.
            bool serverCertRejected = f.RaisedBy == TlsPeer.Client;
            var chain = serverCertRejected ? s.ServerCertificates : s.ClientCertificates;
            string whose = serverCertRejected ? "server" : "client";
            string what = code == 48 ? "is not signed by a CA it trusts" : code == 44 ? "is revoked" : code == 43 ? "is of an unsupported type" : code == 42 ? "is corrupt or its signature does not verify" : "could not be accepted";
            var cert = chain.Count > 0 ? chain[0] : null;
            string certText = cert != null ? " '" + cert.Subject + "' issued by '" + cert.Issuer + "'" : "";
            f.Summary = whose + " cert " + (code == 48 ? "not trusted" : code == 44 ? "revoked" : "rejected");
            string head = "The " + (serverCertRejected ? "client" : "server") + " rejected the " + whose + " certificate" + certText + ": it " + what + ".";
            if (chain.Count == 1 && cert != null && !cert.IsSelfIssued) head += " Only the end-entity certificate was sent (no intermediate CA).";
            var top = chain.Count > 0 ? chain[chain.Count - 1] : null;
            string anchor = top != null ? (top.IsSelfIssued ? top.Subject : top.Issuer) : null;
            if (raisedByCft)
                return head + " Add the root CA of that chain" + (anchor != null ? " ('" + anchor + "')" : "") + " to ROOTCID of " + profile
                    + (cert != null && cert.Issuer != anchor ? ", with the intermediate CA" + (cert != null ? " ('" + cert.Issuer + "')" : "") + " if the partner does not send it," : "")
                    + " and check DEPTH" + (code == 44 ? "; check the CRL/OCSP settings" : "") + ".";
            return head + " The partner must trust the root CA of CFT's certificate (USERCID of " + profile + (anchor != null ? ", chain ending at '" + anchor + "'" : "") + "), or CFT must send the full chain.";
        }

        private static string Expired(CftSslSession s, SessionFailure f, bool raisedByCft, string profile)
        {
            var when = s.StartTime ?? DateTime.UtcNow;
            var all = s.ServerCertificates.Concat(s.ClientCertificates).ToList();
            var expired = all.FirstOrDefault(c => c.NotAfter.HasValue && c.NotAfter.Value < when) ?? all.FirstOrDefault(c => c.NotBefore.HasValue && c.NotBefore.Value > when);
            string which = expired != null ? "'" + expired.Subject + "' (valid " + Date(expired.NotBefore) + " to " + Date(expired.NotAfter) + ")" : "the " + (f.RaisedBy == TlsPeer.Client ? "server" : "client") + " certificate";
            f.Summary = "cert out of validity";
            return "Certificate expired or not yet valid: " + which + ". " + (raisedByCft ? "The partner must renew its certificate." : "Renew CFT's certificate (USERCID of " + profile + ").");
        }

        private static string NoClientCertificate(CftSslSession s, SessionFailure f, bool cftIsClient, string profile)
        {
            string cas = s.AcceptedClientCAs.Count > 0 ? " The server accepts certificates issued by: " + s.AcceptedClientCAs + "." : "";
            f.Summary = "no client cert sent";
            return "The server requires a client certificate (mutual authentication, VERIFY=REQUIRED) but the client sent none." + cas
                + (cftIsClient ? " Set USERCID in " + profile + " to a certificate issued by one of those CAs." : " The partner must send a certificate, or set VERIFY=OPTIONAL/NONE in " + profile + ".");
        }

        private static string Suites(CftSslSession s)
        {
            if (s.OfferedCipherSuites.Count == 0) return "(not in the trace)";
            return string.Join(", ", s.OfferedCipherSuites.Where(c => c.Name != "GREASE" && !c.Name.EndsWith("_SCSV", StringComparison.Ordinal)).Take(8).Select(c => c.Id.ToString(CultureInfo.InvariantCulture))) + (s.OfferedCipherSuites.Count > 8 ? "..." : "");
        }

        private static string Date(DateTime? d) => d.HasValue ? d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "?";
    }
}
