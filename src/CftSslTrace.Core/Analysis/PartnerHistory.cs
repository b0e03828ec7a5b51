using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CftSslTrace.Tls;

namespace CftSslTrace.Analysis
{
    /// <summary>One partner of CFT, in one role, on one computer: its sessions over time and what changed between them.</summary>
    public sealed class CftSslPartner
    {
        /// <summary>The computer the sessions were read on (PSComputerName), or null for this one.</summary>
        public string Computer { get; internal set; }
        /// <summary>PART of CFT's client sessions; for server sessions the partner CFT's transfer lines name, else PROT@remote host.</summary>
        public string Partner { get; internal set; }
        /// <summary>CFT's side with this partner: Client (CFT calls it) or Server (it calls CFT).</summary>
        public string Role { get; internal set; }
        /// <summary>Failing (its last session failed), Recovered (established after failures), Established, Incomplete.</summary>
        public string Status { get; internal set; }
        public int Sessions { get; internal set; }
        public int Established { get; internal set; }
        public int Failed { get; internal set; }
        public int Incomplete { get; internal set; }
        public DateTime? FirstSeen { get; internal set; }
        public DateTime? LastSeen { get; internal set; }
        public DateTime? LastEstablished { get; internal set; }
        public DateTime? LastFailure { get; internal set; }
        public string LastProblem { get; internal set; }
        /// <summary>The first failure after the last established session, while it is still failing.</summary>
        public DateTime? FailingSince { get; internal set; }
        public NamedList<string> Versions { get; } = new NamedList<string>();
        public NamedList<string> CipherSuites { get; } = new NamedList<string>();
        public NamedList<PartnerCertificate> Certificates { get; } = new NamedList<PartnerCertificate>();
        public NamedList<string> Ja4 { get; } = new NamedList<string>();
        public NamedList<string> RemoteHosts { get; } = new NamedList<string>();
        public NamedList<string> SslProfiles { get; } = new NamedList<string>();
        /// <summary>What changed between its sessions, in order: certificates, issuers, chain, version, suite, offers, CA list asked for, SNI, remote host, profile.</summary>
        public NamedList<PartnerChange> Changes { get; } = NamedList<PartnerChange>.JoinedWith(" | ");
        public DateTime? LastChange => Changes.Count > 0 ? Changes[Changes.Count - 1].Time : null;
        /// <summary>The last change in words (for tables and CSV).</summary>
        public string LastChangeText => Changes.Count > 0 ? Changes[Changes.Count - 1].Text : null;
        /// <summary>The session ids of its last established session and of its last failed one.</summary>
        public string LastEstablishedSession { get; internal set; }
        public string LastFailedSession { get; internal set; }

        public override string ToString() => Partner + " (" + Role + (Computer != null ? " on " + Computer : "") + "): " + Status;
    }

    /// <summary>A certificate seen in a partner's sessions: the partner's own, or CFT's own that it was shown.</summary>
    public sealed class PartnerCertificate
    {
        /// <summary>Partner (its certificate) or CFT (CFT's own, in sessions with this partner).</summary>
        public string Owner { get; internal set; }
        public string Thumbprint { get; internal set; }
        public string Subject { get; internal set; }
        public string Issuer { get; internal set; }
        public DateTime? NotAfter { get; internal set; }
        public DateTime? FirstSeen { get; internal set; }
        public DateTime? LastSeen { get; internal set; }
        public int Sessions { get; internal set; }

        public override string ToString() => Owner + " " + CertificateFacts.Short(Subject) + " (" + CertificateFacts.Short(Issuer) + ", " + Thumbprint?.Substring(0, Math.Min(8, Thumbprint.Length)) + ")";
    }

    /// <summary>One change between two consecutive sessions of a partner where the aspect was known.</summary>
    public sealed class PartnerChange
    {
        /// <summary>The partner it is a change of (so that the changes of many partners stay apart in one CSV).</summary>
        public string Computer { get; internal set; }
        public string Partner { get; internal set; }
        public string Role { get; internal set; }
        public DateTime? Time { get; internal set; }
        /// <summary>ServerCertificate, ServerIssuer, ServerChain, ClientCertificate, ClientIssuer, ClientChain, Version, CipherSuite, OfferedVersions, OfferedCipherSuites, AcceptedClientCAs, ServerName, RemoteHost, SslProfile.</summary>
        public string Aspect { get; internal set; }
        public string From { get; internal set; }
        public string To { get; internal set; }
        /// <summary>The session where the new value was first seen, and how it ended.</summary>
        public string SessionId { get; internal set; }
        public string Result { get; internal set; }
        public string Text => Aspect + ": " + (From ?? "(none)") + " -> " + (To ?? "(none)");

        public override string ToString() => (Time?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "?") + " " + Text;
    }

    /// <summary>Builds partners from sessions (any order: sorted by time per partner, role and computer).</summary>
    public static class PartnerHistory
    {
        /// <summary>The aspects followed from session to session, with how to read them from a session (null: not known in it).</summary>
        internal static readonly (string Aspect, Func<SessionFacts, string> Read)[] Aspects =
        {
            ("ServerCertificate", f => CertificateFacts.Leaf(f.ServerChain)?.Subject is string s ? s + " [" + CertificateFacts.Thumb(CertificateFacts.Leaf(f.ServerChain)) + "]" : null),
            ("ServerIssuer", f => CertificateFacts.Leaf(f.ServerChain)?.Issuer),
            ("ServerChain", f => f.ServerChain.Count > 1 ? string.Join(" < ", f.ServerChain.Skip(1).Select(c => CertificateFacts.Short(c.Subject))) : f.ServerChain.Count == 1 ? "(the certificate alone)" : null),
            ("ClientCertificate", f => CertificateFacts.Leaf(f.ClientChain)?.Subject is string s ? s + " [" + CertificateFacts.Thumb(CertificateFacts.Leaf(f.ClientChain)) + "]" : f.ClientSentNoCertificate ? "(none sent)" : null),
            ("ClientIssuer", f => CertificateFacts.Leaf(f.ClientChain)?.Issuer),
            ("Version", f => f.Version),
            ("CipherSuite", f => f.CipherSuiteName),
            ("OfferedVersions", f => f.OfferedVersions.Count > 0 ? string.Join(", ", f.OfferedVersions) : null),
            ("OfferedCipherSuites", f => f.OfferedCipherSuites.Count > 0 ? string.Join(", ", f.OfferedCipherSuites) : null),
            ("AcceptedClientCAs", f => f.ClientCertificateRequested ? (f.AcceptedClientCAs.Count > 0 ? string.Join("; ", f.AcceptedClientCAs) : "(any)") : null),
            ("ServerName", f => f.OfferedVersions.Count > 0 ? f.ServerName ?? "(none)" : null),
            ("RemoteHost", f => f.RemoteHost),
            ("SslProfile", f => f.SslProfile),
        };


        /// <summary>One partner per computer, partner and role; the interesting ones first: failing now (longest first), then the most recently changed, then by name.</summary>
        public static List<CftSslPartner> Of(IEnumerable<SessionFacts> sessions)
        {
            var builder = new PartnerHistoryBuilder();
            foreach (var f in Ordered(sessions)) builder.Fold(f);
            return builder.Partners();
        }

        /// <summary>Sessions by start time (those without a time last, in the order given).</summary>
        internal static List<SessionFacts> Ordered(IEnumerable<SessionFacts> sessions)
            => sessions.Select((f, i) => (f, i)).OrderBy(x => x.f.StartTime ?? DateTime.MaxValue).ThenBy(x => x.i).Select(x => x.f).ToList();

        /// <summary>The interesting partners first: failing now (longest first), then the most recently changed, then by name.</summary>
        internal static List<CftSslPartner> Sorted(IEnumerable<CftSslPartner> partners)
            => partners
                .OrderBy(p => p.Status == "Failing" ? 0 : 1)
                .ThenBy(p => p.Status == "Failing" ? p.FailingSince ?? DateTime.MaxValue : DateTime.MaxValue)
                .ThenByDescending(p => p.LastChange ?? DateTime.MinValue)
                .ThenBy(p => p.Partner, StringComparer.OrdinalIgnoreCase)
                .ThenBy(p => p.Computer, StringComparer.OrdinalIgnoreCase)
                .ThenBy(p => p.Role, StringComparer.Ordinal)
                .ToList();
    }
}
