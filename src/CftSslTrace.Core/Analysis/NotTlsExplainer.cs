using System;
using System.Linq;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// A partner that does not speak TLS where CFT expects it: it answers a ClientHello in plain text (an HTTP server,
    /// plain PeSIT on that port, a proxy), a client sends plain text to CFT's SSL listener, or a TLS stream later carries
    /// bytes that are not a record. From the trace when TRACE=255 dumped the bytes, else from CFT's own lines (CFTH11E,
    /// CFTT75E on the client side; CFTN04E on the server side) when the session saw no TLS data.
    /// </summary>
    internal static class NotTlsExplainer
    {
        public const string Name = "not_tls";

        /// <summary>The first frame that is not TLS, from a known direction, with the record before it in that direction.</summary>
        public static TlsFrame FirstNonTls(CftSslSession s, out TlsFrame before, out bool damagedBefore)
        {
            before = null;
            damagedBefore = false;
            TlsFrame lastSent = null, lastReceived = null;
            bool damagedSent = false, damagedReceived = false;
            foreach (var f in s.FramesIfAny)
            {
                if (f.Direction == TraceDirection.Unknown) continue;
                bool sent = f.Direction == TraceDirection.Sent;
                if (f.ContentType == "Unrecognized")
                {
                    before = sent ? lastSent : lastReceived;
                    damagedBefore = sent ? damagedSent : damagedReceived;
                    return f;
                }
                if (sent) { lastSent = f; damagedSent |= f.Truncated; } else { lastReceived = f; damagedReceived |= f.Truncated; }
            }
            return null;
        }

        /// <summary>The failure for non-TLS bytes in the trace, or null when they do not make one (a damaged trace).</summary>
        public static SessionFailure FromTrace(CftSslSession s, TlsFrame f, TlsFrame before, bool damagedBefore, SessionFailure existing)
        {
            var bytes = f.GetBytes();
            var what = NonTlsBytes.Classify(bytes, Math.Min(bytes.Length, f.CapturedLength));
            string peer = f.Sender == TlsPeer.Client ? "client" : f.Sender == TlsPeer.Server ? "server" : "partner";
            f.Summary = "Bytes that do not start a TLS record (" + f.CapturedLength + " bytes): " + what.Description
                + (before != null ? ", after the " + before.Messages + " record of " + s.LineText(before.Position) : ", the " + peer + "'s first bytes");
            if (before == null)
            {
                // the partner's first bytes: it does not speak TLS here (unless the log lost the session's start)
                if (!what.LooksLikePlainText && s.OpeningMissing) return null;
                return First(s, f, what, peer, existing);
            }
            // bytes missing before them, or an alert explains the failure (CFT's own "could not read SSL data", CR=1 without
            // an alert, says less than the bytes do: it stays as the failure's CFT error)
            if (damagedBefore || (existing != null && !(existing.Alert == null && existing.Code == 1))) return null;
            var failure = new SessionFailure
            {
                Name = Name, RaisedBy = f.Sender, Origin = f.Direction == TraceDirection.Sent ? "Local" : "Remote", NonTls = what,
                CftError = existing?.CftError, Reason = existing?.Reason,
                Step = "after " + before.Messages + " from " + peer,
                Summary = peer + " stream broken after " + before.Messages,
            }.At(s, f.Position);
            failure.Explanation = "The " + peer + "'s TLS stream stops being TLS at " + s.LineText(f.Position) + ": after its " + before.Messages + " record (" + s.LineText(before.Position) + "), "
                + f.CapturedLength + " bytes follow that do not start a TLS record: " + what.Description + ", " + Bytes(what) + ". "
                + "A device between the partners (proxy, load balancer, firewall) may have written them into the connection, or the "
                + peer + "'s software wrote plain data into the TLS connection; the partner's log, or a capture on the network, shows which.";
            return failure;
        }

        private static SessionFailure First(CftSslSession s, TlsFrame f, NonTlsBytes what, string peer, SessionFailure existing)
        {
            bool cftIsClient = s.Role == SessionRole.Client;
            bool partnerSentIt = f.Direction == TraceDirection.Received;
            string profile = s.SslProfile != null ? "CFTSSL " + s.SslProfile : "the CFTSSL profile";
            var failure = new SessionFailure
            {
                Name = Name, RaisedBy = f.Sender, Origin = partnerSentIt ? "Remote" : "Local", NonTls = what,
                Alert = existing?.Alert, CftError = existing?.CftError, Reason = existing?.Reason,
            }.At(s, f.Position);
            var hello = s.HandshakeMessages.FirstOrDefault(m => m.Position < f.Position);
            failure.Step = hello != null ? "after " + hello.Type + " from " + hello.Sender.ToString().ToLowerInvariant() : "before any TLS data";
            string seen = f.CapturedLength + " bytes that are not TLS: " + what.Description + ", " + Bytes(what) + ".";
            string kind = what.Kind == "Http" ? (f.Sender == TlsPeer.Server ? " It looks like an HTTP server (a web server, a proxy or a load balancer) rather than the partner's CFT." : " It looks like an HTTP client (a browser, a monitoring probe or a proxy) rather than a CFT partner.")
                : what.Kind == "PeSIT" ? " It is PeSIT without SSL: the " + peer + " speaks plain PeSIT on this connection."
                : "";
            if (f.Sender == TlsPeer.Server && cftIsClient)
            {
                failure.Summary = "partner answered in plain text" + Kind(what);
                failure.Explanation = "The server answered CFT's " + (hello?.Type ?? "ClientHello") + " with " + seen + kind
                    + " The partner's address is not its SSL port, or the partner does not use SSL there: check HOST and SAP of the partner's CFTTCP (the port must be the partner's SSL listener) and that the partner uses SSL on it"
                    + (what.Kind == "PeSIT" ? "; if the partner does not use SSL at all, remove the SSL profile (" + profile + ") from this partner's definition" : "")
                    + ". A proxy or load balancer in between may also be answering instead of the partner.";
            }
            else if (f.Sender == TlsPeer.Client && !cftIsClient && s.Role == SessionRole.Server)
            {
                failure.Summary = "partner connected without SSL" + Kind(what);
                failure.Explanation = "The client sent " + seen + kind
                    + " The partner connects without SSL to CFT's SSL listener" + (s.Protocol != null ? " (PROT=" + s.Protocol + ")" : "")
                    + ": the partner's definition of this CFT must use SSL for this protocol, or the partner must connect to CFT's port without SSL.";
            }
            else
            {
                failure.Summary = peer + " does not speak TLS" + Kind(what);
                failure.Explanation = "The " + peer + " sent " + seen + kind + " Check that both partners use SSL on this port (the partner's CFTTCP SAP and its SSL profile).";
            }
            return failure;
        }

        /// <summary>
        /// Without TRACE=255: the events of a session that saw no TLS data say the partner does not speak SSL there.
        /// Client side: CFTH11E (EV=VNRELI) or CFTT75E (DIAGI 260 with no TLS alert) and no CFTY13E/CFTY30E. Server side:
        /// CFTN04E right after the closing line.
        /// </summary>
        public static SessionFailure FromEvents(CftSslSession s)
        {
            if (s.FramesIfAny.Count > 0 || s.HandshakeMessagesIfAny.Count > 0 || s.EventsIfAny.Count == 0) return null;
            if (s.Events.Any(e => e.Code == "CFTY13E" || e.Code == "CFTY30E")) return null;
            string profile = s.SslProfile != null ? "CFTSSL " + s.SslProfile : "the CFTSSL profile";
            if (s.Role == SessionRole.Client)
            {
                var e = s.Events.FirstOrDefault(x => x.Code == "CFTH11E") ?? s.Events.FirstOrDefault(x => x.Code == "CFTT75E" && Transfers.Diagnostic(x).diagi == 260 && Transfers.Diagnostic(x).alert == null);
                if (e == null) return null;
                return new SessionFailure
                {
                    Name = Name, CftError = e, Origin = "Remote", RaisedBy = TlsPeer.Server, Step = "before any TLS data",
                    Summary = "partner did not answer in SSL",
                    Explanation = "CFT opened an SSL session to " + (s.Partner ?? "the partner") + " and the connection failed before any TLS exchange (" + e.Code + " " + e.Text.Trim()
                        + (s.Events.Any(x => x.Code == "CFTT75E") && e.Code != "CFTT75E" ? ", then the transfer was rejected with CFTT75E" : "")
                        + "), with no TLS error: the partner does not answer in SSL on that port. Check that the partner's port (SAP of its CFTTCP) is its SSL port and that the partner uses SSL there"
                        + " (or remove " + profile + " from this partner's definition if it does not use SSL). With TRACE=255 on " + profile + ", the trace would show what the partner answered.",
                }.At(s, e.Position);
            }
            if (s.Role == SessionRole.Server)
            {
                var e = s.Events.FirstOrDefault(x => x.Code == "CFTN04E");
                if (e == null) return null;
                return new SessionFailure
                {
                    Name = Name, CftError = e, Origin = "Remote", RaisedBy = TlsPeer.Client, Step = "before any TLS data",
                    Summary = "partner connected without SSL",
                    Explanation = "A partner" + (s.RemoteHost != null ? " at " + s.RemoteHost : "") + " connected to CFT's SSL listener" + (s.Protocol != null ? " (PROT=" + s.Protocol + ")" : "")
                        + ", the session closed before any TLS exchange, and CFT then reported " + e.Code + " " + e.Text.Trim()
                        + ": the partner does not use SSL on this connection. Its definition of this CFT has no SSL profile for this protocol: it must use SSL to connect here, or connect to CFT's port without SSL."
                        + " With TRACE=255 on " + profile + ", the trace would show what the partner sent.",
                }.At(s, e.Position);
            }
            return null;
        }

        private static string Kind(NonTlsBytes what) => what.Kind == "Http" ? " (HTTP)" : what.Kind == "PeSIT" ? " (PeSIT)" : "";

        private static string Bytes(NonTlsBytes what) => "first bytes " + NonTlsBytes.Quote(what.Text, 48) + " (" + what.Hex + ")";
    }
}
