using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using CftSslTrace.X509;

namespace CftSslTrace.Analysis
{
    /// <summary>What an auditor filters on: a weakness of a session's protocol, suite, keys or certificates.</summary>
    public sealed class SecurityFinding
    {
        public FindingSeverity Severity { get; internal set; }
        /// <summary>Stable code: VERSION_NEGOTIATED, VERSION_OFFERED, SUITE_NEGOTIATED, SUITE_OFFERED, KEY_TOO_SHORT, WEAK_SIGNATURE, CERT_EXPIRED, CERT_EXPIRED_SINCE, CERT_EXPIRING, SELF_SIGNED, NO_RENEGOTIATION_INFO, RENEGOTIATION.</summary>
        public string Code { get; internal set; }
        /// <summary>In words, with the value that triggered it.</summary>
        public string Text { get; internal set; }
        /// <summary>What it is about: the version, the suite, or the certificate's subject.</summary>
        public string Subject { get; internal set; }
        /// <summary>Where the rating comes from (an RFC, NIST, the CA/Browser Forum).</summary>
        public string Source { get; internal set; }

        public override string ToString() => Severity + " " + Code + ": " + Text;
    }

    /// <summary>The findings of a session, from the ratings table (Registry/Data/security-ratings.csv).</summary>
    internal static class SecurityAudit
    {
        /// <summary>Days before expiry that make an "expiring" finding (the table's certificate/expiring row).</summary>
        internal static int ExpiryHorizonDays
            => int.TryParse(SecurityRatings.Row("certificate", "expiring")?.Rating, NumberStyles.None, CultureInfo.InvariantCulture, out int d) ? d : 30;

        public static List<SecurityFinding> Of(CftSslSession s, DateTime now)
        {
            var list = new List<SecurityFinding>();
            void Add(SecurityRating row, string code, string text, string subject, FindingSeverity? severity = null)
            {
                if (row == null && severity == null) return;
                list.Add(new SecurityFinding { Severity = severity ?? row.Severity ?? FindingSeverity.Info, Code = code, Text = text, Subject = subject, Source = row?.Source });
            }
            var offered = SecurityRatings.Row("offered", "*");

            // protocol versions: negotiated, and offered by the client
            if (s.Version != null)
            {
                var v = SecurityRatings.Row("version", s.Version);
                if (v != null) Add(v, "VERSION_NEGOTIATED", s.Version + " negotiated: " + v.Text, s.Version);
            }
            foreach (var ov in s.OfferedVersions.Distinct())
            {
                if (ov == s.Version) continue;
                var v = SecurityRatings.Row("version", ov);
                if (v != null) Add(v, "VERSION_OFFERED", ov + " offered by the client: " + v.Text + " (" + offered?.Text + ")", ov, offered?.Severity ?? FindingSeverity.Low);
            }
            // cipher suites: negotiated, and offered
            if (s.CipherSuite != null && s.CipherSuite.IsKnown)
            {
                var rating = SecurityRatings.Row("rating", s.CipherSuite.Strength);
                if (rating != null) Add(rating, "SUITE_NEGOTIATED", s.CipherSuite.Name + " (" + s.CipherSuite.Id + ") negotiated: " + s.CipherSuite.Strength.ToLowerInvariant() + ", " + s.CipherSuite.Rating?.Text, s.CipherSuite.Name);
            }
            else if (s.CipherSuite != null && s.CipherSuite.Name != null && s.CipherSuite.Name.StartsWith("SSL2_", StringComparison.Ordinal))
            {
                Add(SecurityRatings.Row("rating", "Insecure"), "SUITE_NEGOTIATED", s.CipherSuite.Name + " negotiated: an SSL 2.0 cipher kind", s.CipherSuite.Name);
            }
            // offered suites: one finding per rating (insecure, weak), naming them, a lesser finding than a negotiation
            foreach (var rating in new[] { "Insecure", "Weak" })
            {
                var row = SecurityRatings.Row("rating", rating);
                if (row == null) continue;
                var offeredSuites = s.OfferedCipherSuites.Where(x => x.IsKnown && x != s.CipherSuite && x.Strength == rating).ToList();
                if (offeredSuites.Count == 0) continue;
                Add(row, "SUITE_OFFERED", offeredSuites.Count + " " + rating.ToLowerInvariant() + " suite(s) offered by the client (" + offered?.Text + "): "
                    + string.Join(", ", offeredSuites.Take(6).Select(x => x.Name + " (" + x.Id + ")")) + (offeredSuites.Count > 6 ? ", ..." : ""),
                    rating.ToLowerInvariant() + " suites", rating == "Insecure" ? offered?.Severity ?? FindingSeverity.Low : SecurityRatings.Row("offered", "weak-suite")?.Severity ?? FindingSeverity.Info);
            }
            // certificates of both chains
            DateTime at = s.StartTime ?? now;
            var horizon = SecurityRatings.Row("certificate", "expiring");
            foreach (var (chain, whose) in new[] { (s.ServerCertificates, "server"), (s.ClientCertificates, "client") })
            {
                for (int i = 0; i < chain.Count; i++)
                {
                    var c = chain[i];
                    if (c.DecodeError != null && c.Subject == null) continue;
                    string subject = c.Subject ?? "(certificate " + i + " of the " + whose + " chain)";
                    string who = "the " + whose + " certificate " + subject;
                    if (c.KeySize.HasValue)
                    {
                        string alg = c.PublicKeyAlgorithm == "ECC" ? "EC" : c.PublicKeyAlgorithm == "RSASSA-PSS" ? "RSA" : c.PublicKeyAlgorithm;
                        var min = SecurityRatings.MinimumKey(alg ?? "");
                        if (min.HasValue && c.KeySize.Value < min.Value.bits)
                            Add(min.Value.row, "KEY_TOO_SHORT", who + ": " + alg + " " + c.KeySize + " bits (" + min.Value.row.Text + ")", subject);
                    }
                    // the signature of a self-signed root is not checked by anyone: only the certificates a CA signed
                    if (!c.IsSelfIssued)
                    {
                        var sig = SecurityRatings.Signature(c.SignatureAlgorithm);
                        if (sig != null) Add(sig, "WEAK_SIGNATURE", who + ": signed with " + c.SignatureAlgorithm + " (" + sig.Text + ")", subject);
                    }
                    if (c.NotAfter.HasValue)
                    {
                        if (c.NotAfter.Value < at || (c.NotBefore.HasValue && c.NotBefore.Value > at))
                            Add(SecurityRatings.Row("certificate", "expired"), "CERT_EXPIRED", who + ": valid " + Date(c.NotBefore) + " to " + Date(c.NotAfter) + ", used " + Date(at), subject);
                        else if (c.NotAfter.Value < now)
                            Add(SecurityRatings.Row("certificate", "expired-since"), "CERT_EXPIRED_SINCE", who + ": expired " + Date(c.NotAfter) + ", after the session", subject);
                        else if (c.NotAfter.Value < SafeTime.AddDays(now, ExpiryHorizonDays))
                            Add(horizon, "CERT_EXPIRING", who + ": expires " + Date(c.NotAfter) + " (in " + Math.Max(0, (int)Math.Ceiling((c.NotAfter.Value - now).TotalDays)) + " days)", subject);
                    }
                    if (i == 0 && c.IsSelfIssued && c.IsCertificateAuthority != true)
                        Add(SecurityRatings.Row("certificate", "self-signed"), "SELF_SIGNED", who + ": self-signed end-entity certificate", subject);
                }
            }
            // secure renegotiation (TLS 1.2 and earlier)
            var sh = s.FingerprintServerHello;
            if (sh != null && !sh.IsSslV2Format && !(s.Version != null && s.Version.StartsWith("TLS 1.3", StringComparison.Ordinal)) && !sh.RenegotiationInfo)
            {
                // after ChangeCipherSpec a direction sends one encrypted handshake record (Finished); more is a new handshake
                bool renegotiated = s.Frames.Where(f => f.ContentTypeValue == 22 && f.Encrypted).GroupBy(f => f.Direction).Any(g => g.Count() > 1);
                if (renegotiated) Add(SecurityRatings.Row("renegotiation", "renegotiated"), "RENEGOTIATION", "a handshake after the first one (renegotiation) without the renegotiation_info extension", s.Version);
                else Add(SecurityRatings.Row("renegotiation", "no-renegotiation-info"), "NO_RENEGOTIATION_INFO", "the ServerHello has no renegotiation_info extension: secure renegotiation (RFC 5746) is not supported", s.Version);
            }
            list.Sort((a, b) => b.Severity.CompareTo(a.Severity));
            return list;
        }

        private static string Date(DateTime? d) => d.HasValue ? d.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "?";
    }
}
