using System;
using System.Collections.Generic;
using System.Linq;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.X509
{
    /// <summary>A certificate seen in the logs, once (by SHA-1 thumbprint), with where and when it was seen.</summary>
    public sealed class CftCertificate
    {
        public string Subject => Certificate.Subject;
        public string Issuer => Certificate.Issuer;
        public string SerialNumber => Certificate.SerialNumber;
        public DateTime? NotBefore => Certificate.NotBefore;
        public DateTime? NotAfter => Certificate.NotAfter;
        /// <summary>Days from now to NotAfter (negative: expired), rounded down; null without a date.</summary>
        public int? DaysLeft { get; internal set; }
        /// <summary>"RSA 2048", "ECC 256 nistP256".</summary>
        public string Key => (Certificate.PublicKeyAlgorithm + " " + Certificate.KeySize + " " + Certificate.Curve).Trim();
        public string SignatureAlgorithm => Certificate.SignatureAlgorithm;
        public string Thumbprint => Certificate.Thumbprint;
        public string Sha256Thumbprint => Certificate.Sha256Thumbprint;
        public bool IsCertificateAuthority => Certificate.IsCertificateAuthority == true;
        public bool IsSelfIssued => Certificate.IsSelfIssued;
        /// <summary>Whose it is: CFT (its own certificate, USERCID), Partner, or both when the same certificate was on both sides.</summary>
        public string Owner => string.Join(", ", owners.OrderBy(x => x, StringComparer.Ordinal));
        /// <summary>How it was used: Server, Client (an end-entity certificate of that side), CA (a certificate of a chain above it).</summary>
        public string UsedAs => string.Join(", ", uses.OrderBy(x => x, StringComparer.Ordinal));
        /// <summary>The partners of the sessions it was seen in (partner or, for server sessions, protocol).</summary>
        public NamedList<string> Partners => new NamedList<string>(partners.OrderBy(x => x, StringComparer.OrdinalIgnoreCase).ToList());
        public DateTime? FirstSeen { get; internal set; }
        public DateTime? LastSeen { get; internal set; }
        /// <summary>Sessions it was seen in.</summary>
        public int Sessions { get; internal set; }
        /// <summary>The first session it was seen in.</summary>
        public string FirstSession { get; internal set; }
        /// <summary>The decoded certificate (ToPem, GetRawData, SubjectAlternativeNames...).</summary>
        public CertificateInfo Certificate { get; internal set; }

        internal readonly HashSet<string> owners = new HashSet<string>(StringComparer.Ordinal);
        internal readonly HashSet<string> uses = new HashSet<string>(StringComparer.Ordinal);
        internal readonly HashSet<string> partners = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public override string ToString() => Subject ?? "(certificate)";
    }

    /// <summary>Every certificate of the sessions given, once: the inventory behind Get-CftSslCertificate.</summary>
    public sealed class CertificateInventory
    {
        private readonly Dictionary<string, CftCertificate> byThumbprint = new Dictionary<string, CftCertificate>(StringComparer.Ordinal);
        private readonly DateTime now;

        public CertificateInventory(DateTime now) { this.now = now; }

        /// <summary>Certificates that could not be identified (truncated in the trace), which the inventory leaves out.</summary>
        public int Skipped { get; private set; }

        public void Add(CftSslSession s)
        {
            Add(s, s.ServerCertificates, "Server", s.Role == SessionRole.Server);
            Add(s, s.ClientCertificates, "Client", s.Role == SessionRole.Client);
        }

        private void Add(CftSslSession s, IList<CertificateInfo> chain, string side, bool cftSide)
        {
            for (int i = 0; i < chain.Count; i++)
            {
                var c = chain[i];
                if (c.Truncated || c.Length == 0 || c.Thumbprint == null) { Skipped++; continue; }
                if (!byThumbprint.TryGetValue(c.Thumbprint, out var e))
                {
                    e = new CftCertificate { Certificate = c, FirstSession = s.SessionId };
                    if (c.NotAfter.HasValue) e.DaysLeft = (int)Math.Floor((c.NotAfter.Value - now).TotalDays);
                    byThumbprint[c.Thumbprint] = e;
                }
                e.Sessions++;
                e.uses.Add(i == 0 ? side : "CA");
                if (s.Role != SessionRole.Unknown) e.owners.Add(cftSide ? "CFT" : "Partner");
                if (s.PartnerOrProtocol != null) e.partners.Add(s.PartnerOrProtocol);
                var t = s.StartTime;
                if (t.HasValue)
                {
                    if (!e.FirstSeen.HasValue || t < e.FirstSeen) e.FirstSeen = t;
                    if (!e.LastSeen.HasValue || t > e.LastSeen) e.LastSeen = t;
                }
            }
        }

        /// <summary>The certificates, the soonest to expire first.</summary>
        public IEnumerable<CftCertificate> Certificates
            => byThumbprint.Values.OrderBy(c => c.NotAfter ?? DateTime.MaxValue).ThenBy(c => c.Subject, StringComparer.Ordinal);
    }
}
