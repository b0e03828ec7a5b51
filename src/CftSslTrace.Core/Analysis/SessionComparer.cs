using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CftSslTrace.Analysis
{
    /// <summary>One aspect of two sessions side by side: what it was in the reference session and in the other.</summary>
    public sealed class SessionDifference
    {
        public string Computer { get; internal set; }
        public string Partner { get; internal set; }
        public string Role { get; internal set; }
        /// <summary>ServerCertificate, ServerIssuer, ServerChain, ServerKey, ServerSignature, ServerValidity, the same for Client, OfferedVersions, Version, OfferedCipherSuites, CipherSuite, Extensions, SignatureAlgorithms, Groups, AcceptedClientCAs, ServerName, Alpn, Ja3, Ja4, Ja3s, RemoteHost, SslProfile.</summary>
        public string Aspect { get; internal set; }
        /// <summary>The value in the reference session (the last established one), and in the compared one; "(not in the trace)" when a session does not show it.</summary>
        public string Reference { get; internal set; }
        public string Difference { get; internal set; }
        public bool Equal { get; internal set; }
        /// <summary>This difference explains the compared session's failure.</summary>
        public bool LikelyCause { get; internal set; }
        /// <summary>Why, and what to change in the CFT configuration (for a likely cause).</summary>
        public string Explanation { get; internal set; }
        public string ReferenceSession { get; internal set; }
        public string DifferenceSession { get; internal set; }
        public DateTime? ReferenceTime { get; internal set; }
        public DateTime? DifferenceTime { get; internal set; }
        /// <summary>How the compared session ended, and its problem.</summary>
        public string DifferenceResult { get; internal set; }
        public string Problem { get; internal set; }

        public override string ToString() => Partner + " " + Aspect + ": " + Reference + " -> " + Difference + (LikelyCause ? " (likely cause)" : "");
    }

    /// <summary>Compares sessions aspect by aspect, and says which difference explains a failure, in CFT terms.</summary>
    public static class SessionComparer
    {
        public const string NotInTrace = "(not in the trace)";

        private static string Date(DateTime? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";
        private static string List(List<string> items, string separator = ", ") => items.Count > 0 ? string.Join(separator, items) : null;

        private static readonly (string Aspect, Func<SessionFacts, string> Read)[] Aspects =
        {
            ("ServerCertificate", f => CertificateFacts.Leaf(f.ServerChain) is CertificateFacts c ? c.Subject + " [" + CertificateFacts.Thumb(c) + "]" : null),
            ("ServerIssuer", f => CertificateFacts.Leaf(f.ServerChain)?.Issuer),
            ("ServerChain", f => f.ServerChain.Count > 0 ? string.Join(" < ", f.ServerChain.Select(c => CertificateFacts.Short(c.Subject))) : null),
            ("ServerKey", f => CertificateFacts.Leaf(f.ServerChain)?.Key),
            ("ServerSignature", f => CertificateFacts.Leaf(f.ServerChain)?.SignatureAlgorithm),
            ("ServerValidity", f => CertificateFacts.Leaf(f.ServerChain) is CertificateFacts c ? Date(c.NotBefore) + " to " + Date(c.NotAfter) : null),
            ("ClientCertificate", f => CertificateFacts.Leaf(f.ClientChain) is CertificateFacts c ? c.Subject + " [" + CertificateFacts.Thumb(c) + "]" : f.ClientSentNoCertificate ? "(none sent)" : null),
            ("ClientIssuer", f => CertificateFacts.Leaf(f.ClientChain)?.Issuer),
            ("ClientChain", f => f.ClientChain.Count > 0 ? string.Join(" < ", f.ClientChain.Select(c => CertificateFacts.Short(c.Subject))) : null),
            ("ClientKey", f => CertificateFacts.Leaf(f.ClientChain)?.Key),
            ("ClientSignature", f => CertificateFacts.Leaf(f.ClientChain)?.SignatureAlgorithm),
            ("ClientValidity", f => CertificateFacts.Leaf(f.ClientChain) is CertificateFacts c ? Date(c.NotBefore) + " to " + Date(c.NotAfter) : null),
            ("OfferedVersions", f => List(f.OfferedVersions)),
            ("Version", f => f.Version),
            ("OfferedCipherSuites", f => List(f.OfferedCipherSuites)),
            ("CipherSuite", f => f.CipherSuiteName),
            ("Extensions", f => List(f.Extensions)),
            ("SignatureAlgorithms", f => List(f.SignatureAlgorithms)),
            ("Groups", f => List(f.Groups)),
            ("AcceptedClientCAs", f => f.ClientCertificateRequested ? List(f.AcceptedClientCAs, "; ") ?? "(any)" : null),
            ("ServerName", f => f.OfferedVersions.Count > 0 ? f.ServerName ?? "(none)" : null),
            ("Alpn", f => f.Alpn),
            ("Ja3", f => f.Ja3),
            ("Ja4", f => f.Ja4),
            ("Ja3s", f => f.Ja3s),
            ("RemoteHost", f => f.RemoteHost),
            ("SslProfile", f => f.SslProfile),
        };

        /// <summary>
        /// The aspects of a session against a reference one: the differences (both sessions show the aspect and it differs,
        /// or it explains the failure), or every aspect with includeEqual.
        /// </summary>
        public static List<SessionDifference> Compare(SessionFacts reference, SessionFacts difference, bool includeEqual = false)
        {
            var causes = Causes(reference, difference);
            var result = new List<SessionDifference>();
            foreach (var (aspect, read) in Aspects)
            {
                string a = read(reference), b = read(difference);
                bool equal = string.Equals(a, b, StringComparison.Ordinal);
                causes.TryGetValue(aspect, out string why);
                bool differs = !equal && a != null && b != null;
                if (!differs && why == null && !includeEqual) continue;
                result.Add(new SessionDifference
                {
                    Computer = difference.Computer ?? reference.Computer, Partner = difference.Partner ?? reference.Partner, Role = difference.Role ?? reference.Role,
                    Aspect = aspect, Reference = a ?? NotInTrace, Difference = b ?? NotInTrace, Equal = equal, LikelyCause = why != null, Explanation = why,
                    ReferenceSession = reference.SessionId, DifferenceSession = difference.SessionId, ReferenceTime = reference.StartTime, DifferenceTime = difference.StartTime,
                    DifferenceResult = difference.Result, Problem = difference.Problem,
                });
            }
            return result;
        }

        /// <summary>
        /// Each failed session against the last established session of the same partner, role and computer before it
        /// (sessions in any order); sessions without such a reference are not compared.
        /// </summary>
        public static List<SessionDifference> CompareFailures(IEnumerable<SessionFacts> sessions, bool includeEqual = false)
        {
            var comparisons = new FailureComparisons(includeEqual);
            foreach (var g in sessions.GroupBy(f => (f.Computer ?? "", f.Partner ?? "", f.Role ?? "")))
                foreach (var f in PartnerHistory.Ordered(g)) comparisons.Fold(f);
            return comparisons.All();
        }

        /// <summary>Which aspects explain the compared session's failure, and how, in the terms of the CFT configuration.</summary>
        private static Dictionary<string, string> Causes(SessionFacts r, SessionFacts d)
        {
            var causes = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!d.Failed || d.FailureName == null) return causes;
            string failure = d.FailureName.ToLowerInvariant();
            string named = d.FailureName + (d.FailureCode.HasValue ? " (" + d.FailureCode + ")" : "");
            string profile = "CFTSSL " + (d.SslProfile ?? r.SslProfile ?? "profile");
            bool cftIsClient = d.CftIsClient;
            string problem = (d.Problem ?? "") + " " + (d.FailureSummary ?? "");
            bool certificateRefused = failure == "unknown_ca" || failure == "bad_certificate" || failure == "certificate_unknown" || failure == "unsupported_certificate"
                || (failure == "handshake_failure" && problem.IndexOf("not trusted", StringComparison.OrdinalIgnoreCase) >= 0);

            // the partner's certificate: a new issuer or chain that CFT does not trust
            var refChain = r.PartnerChain;
            var diffChain = d.PartnerChain;
            string side = cftIsClient ? "server" : "client";
            string rootcid = "ROOTCID of " + profile;
            var rl = CertificateFacts.Leaf(refChain);
            var dl = CertificateFacts.Leaf(diffChain);
            if (certificateRefused && dl != null && rl != null)
            {
                string prefix = cftIsClient ? "Server" : "Client";
                if (!string.Equals(rl.Issuer, dl.Issuer, StringComparison.Ordinal))
                    causes[prefix + "Issuer"] = "The partner's " + side + " certificate is now issued by '" + dl.Issuer + "' (it was '" + rl.Issuer + "'), and CFT refused it with " + named
                        + ": that CA is not in " + rootcid + ". Add the new CA's root certificate to " + rootcid + " (with its intermediate CAs if the partner does not send them), and check DEPTH.";
                else if (ChainText(refChain) != ChainText(diffChain))
                    causes[prefix + "Chain"] = "The partner now sends its " + side + " certificate with another chain (" + ChainText(diffChain) + "; it was " + ChainText(refChain) + "), and CFT refused it with " + named
                        + ": check that the CAs of that chain are in " + rootcid + " and that DEPTH allows it.";
                else if (!string.Equals(rl.Thumbprint, dl.Thumbprint, StringComparison.OrdinalIgnoreCase))
                    causes[prefix + "Certificate"] = "The partner renewed its " + side + " certificate ('" + dl.Subject + "', issued by '" + dl.Issuer + "'), and CFT refused it with " + named
                        + ": check the new certificate's chain against " + rootcid + " and the DNUSER/DNISSUER checks of " + profile + ".";
            }
            if (failure == "certificate_expired" && dl != null && dl.NotAfter.HasValue && d.StartTime.HasValue && dl.NotAfter < d.StartTime)
                causes[(cftIsClient ? "Server" : "Client") + "Validity"] = "The partner's " + side + " certificate '" + dl.Subject + "' expired on " + Date(dl.NotAfter) + ", before this session: the partner must renew it"
                    + (rl != null && string.Equals(rl.Thumbprint, dl.Thumbprint, StringComparison.OrdinalIgnoreCase) ? " (it is the certificate of the reference session, then still valid)." : ".");

            // the CA list of the CertificateRequest: CFT (client) has no certificate from those CAs and sends none
            if (cftIsClient && d.ClientSentNoCertificate && r.ClientChain.Count > 0
                && (failure == "handshake_failure" || failure == "certificate_required" || failure == "bad_certificate" || problem.IndexOf("no client cert", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                var mine = CertificateFacts.Leaf(r.ClientChain);
                string now = List(d.AcceptedClientCAs, "; ") ?? "(none named)";
                string before = r.ClientCertificateRequested ? List(r.AcceptedClientCAs, "; ") ?? "(any)" : "(no certificate asked for)";
                causes["AcceptedClientCAs"] = "The server now accepts client certificates issued by " + now + " (before: " + before + "). CFT's certificate for this partner, '" + mine.Subject
                    + "' (USERCID of " + profile + "), is issued by '" + mine.Issuer + "', which is not among them, so CFT sent none and the server refused the session with " + named
                    + ". Set USERCID of " + profile + " to a certificate issued by one of those CAs, or ask the partner to accept '" + CertificateFacts.Short(mine.Issuer) + "' again.";
            }

            // versions
            if (failure == "protocol_version" || (failure == "handshake_failure" && problem.IndexOf("version", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                if (cftIsClient)
                    causes["Version"] = "The partner no longer accepts " + (r.Version ?? "the version negotiated before") + " (negotiated on " + Date(r.StartTime) + "), and CFT offers "
                        + (List(d.OfferedVersions) ?? "no other") + ": allow a version the partner accepts (TLS 1.2 or TLS 1.3) in " + profile + " (VERSION, or cft.ssl.version_min and version_max).";
                else
                    causes["OfferedVersions"] = "The partner now offers " + (List(d.OfferedVersions) ?? "other versions") + " (it offered " + (List(r.OfferedVersions) ?? "?") + " and negotiated " + (r.Version ?? "?")
                        + " before), which " + profile + " does not accept: allow one of them (VERSION, or cft.ssl.version_min and version_max), or ask the partner to offer " + (r.Version ?? "the version it used") + " again.";
            }

            // cipher suites
            bool noSuite = (failure == "handshake_failure" || failure == "insufficient_security") && problem.IndexOf("cipher", StringComparison.OrdinalIgnoreCase) >= 0;
            if (noSuite)
            {
                if (cftIsClient)
                    causes["CipherSuite"] = "The partner no longer accepts " + (r.CipherSuiteName ?? "the suite negotiated before") + " (negotiated on " + Date(r.StartTime) + ") nor any other suite CFT offers ("
                        + (List(d.OfferedCipherSuites) ?? "CIPHLIST") + "): add a suite the partner accepts to CIPHLIST of " + profile + ".";
                else
                    causes["OfferedCipherSuites"] = "The partner stopped offering the suites of CIPHLIST of " + profile + ": it offers " + (List(d.OfferedCipherSuites) ?? "?") + " (before: "
                        + (List(r.OfferedCipherSuites) ?? "?") + ", and " + (r.CipherSuiteName ?? "?") + " was negotiated). Add one of its suites to CIPHLIST, or ask the partner to offer " + (r.CipherSuiteName ?? "it") + " again.";
            }

            // the server name CFT sends
            if (failure == "unrecognized_name" && !string.Equals(r.ServerName, d.ServerName, StringComparison.Ordinal))
                causes["ServerName"] = "The server does not recognise the name CFT sends now (SNI " + (d.ServerName ?? "none") + "; it was " + (r.ServerName ?? "none") + "): check the partner's HOST in CFTTCP and ssl.extension.enable_sni.";

            // a partner that moved and no longer speaks TLS where CFT meets it
            if (failure == "not_tls" && r.RemoteHost != null && d.RemoteHost != null && !string.Equals(r.RemoteHost, d.RemoteHost, StringComparison.OrdinalIgnoreCase))
                causes["RemoteHost"] = "The partner now connects from " + d.RemoteHost + " (it was " + r.RemoteHost + ") and does not speak TLS there: check its definition of this CFT (SSL profile, SAP).";
            return causes;
        }

        private static string ChainText(List<CertificateFacts> chain) => string.Join(" < ", chain.Select(c => CertificateFacts.Short(c.Subject)));
    }
}
