using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;

namespace CftSslTrace.Analysis
{
    /// <summary>A certificate as sessions are compared by it: who, by whom, until when, with which key and signature.</summary>
    public sealed class CertificateFacts
    {
        public string Subject { get; internal set; }
        public string Issuer { get; internal set; }
        public string Thumbprint { get; internal set; }
        public DateTime? NotBefore { get; internal set; }
        public DateTime? NotAfter { get; internal set; }
        /// <summary>"RSA 2048", "EC 256 P-256".</summary>
        public string Key { get; internal set; }
        public string SignatureAlgorithm { get; internal set; }

        /// <summary>The common name of a distinguished name, else the name.</summary>
        internal static string Short(string dn)
        {
            if (string.IsNullOrEmpty(dn)) return dn;
            foreach (var part in dn.Split(','))
            {
                var p = part.Trim();
                if (p.StartsWith("CN=", StringComparison.OrdinalIgnoreCase)) return p.Substring(3);
            }
            return dn;
        }

        /// <summary>The end-entity certificate of a chain, or null for an empty chain.</summary>
        internal static CertificateFacts Leaf(List<CertificateFacts> chain) => chain.Count > 0 ? chain[0] : null;

        /// <summary>The first eight digits of a certificate's thumbprint ("?" when it has none), to tell certificates apart in a line.</summary>
        internal static string Thumb(CertificateFacts c) => c?.Thumbprint == null ? "?" : c.Thumbprint.Substring(0, Math.Min(8, c.Thumbprint.Length));

        public override string ToString() => Subject + (Issuer != null ? " (issued by " + Short(Issuer) + ")" : "");
    }

    /// <summary>
    /// What sessions are compared by, from a session read here or from one that came back from another computer
    /// (Invoke-Command, Import-Clixml: a copy whose nested objects are their text): who the partner is, what was
    /// negotiated and offered, the certificates and the CA list asked for, the fingerprints; and how it ended. The same
    /// facts whatever the session's journey, so that partners and comparisons work on a fleet's sessions as on local ones.
    /// </summary>
    public sealed class SessionFacts
    {
        /// <summary>The computer the session was read on (PSComputerName), or null for this one.</summary>
        public string Computer { get; internal set; }
        public string SessionId { get; internal set; }
        public string Ctx { get; internal set; }
        /// <summary>Client or Server: CFT's side.</summary>
        public string Role { get; internal set; }
        /// <summary>The partner as sessions are grouped by: PART of a client session; for a server session the partner CFT's transfer lines name, else PROT@remote host.</summary>
        public string Partner { get; internal set; }
        public string Protocol { get; internal set; }
        public string RemoteHost { get; internal set; }
        public string SslProfile { get; internal set; }
        public DateTime? StartTime { get; internal set; }
        /// <summary>Established, Failed or Incomplete.</summary>
        public string Result { get; internal set; }
        public string Problem { get; internal set; }
        /// <summary>The failure's name (unknown_ca, protocol_version, not_tls...), its alert number, who raised it (Client, Server), and its summary.</summary>
        public string FailureName { get; internal set; }
        public int? FailureCode { get; internal set; }
        public string FailureRaisedBy { get; internal set; }
        public string FailureSummary { get; internal set; }
        public string Version { get; internal set; }
        public int? CipherSuiteId { get; internal set; }
        public string CipherSuiteName { get; internal set; }
        public List<string> OfferedVersions { get; internal set; } = new List<string>();
        public List<string> OfferedCipherSuites { get; internal set; } = new List<string>();
        public List<CertificateFacts> ServerChain { get; internal set; } = new List<CertificateFacts>();
        public List<CertificateFacts> ClientChain { get; internal set; } = new List<CertificateFacts>();
        public bool ClientCertificateRequested { get; internal set; }
        public List<string> AcceptedClientCAs { get; internal set; } = new List<string>();
        public string Authentication { get; internal set; }
        public string ServerName { get; internal set; }
        public string Alpn { get; internal set; }
        /// <summary>JA3 (the MD5 of the session's JA3 string, made when first read: comparisons read it, partner histories do not).</summary>
        public string Ja3
        {
            get => ja3 ?? (ja3Full != null ? ja3 = TlsFingerprints.Md5(ja3Full) : null);
            internal set => ja3 = value;
        }
        private string ja3, ja3Full, ja3s, ja3sFull;
        public string Ja4 { get; internal set; }
        public string Ja3s
        {
            get => ja3s ?? (ja3sFull != null ? ja3s = TlsFingerprints.Md5(ja3sFull) : null);
            internal set => ja3s = value;
        }
        /// <summary>The client's extensions, supported groups and signature algorithms, by name (from its JA3 and JA4 strings).</summary>
        public List<string> Extensions { get; internal set; } = new List<string>();
        public List<string> Groups { get; internal set; } = new List<string>();
        public List<string> SignatureAlgorithms { get; internal set; } = new List<string>();

        public bool CftIsClient => Role == "Client";
        public bool Established => Result == "Established";
        public bool Failed => Result == "Failed";
        /// <summary>The partner's own chain: the server's when CFT is the client, the client's when CFT is the server.</summary>
        public List<CertificateFacts> PartnerChain => CftIsClient ? ServerChain : ClientChain;
        /// <summary>CFT's own chain.</summary>
        public List<CertificateFacts> CftChain => CftIsClient ? ClientChain : ServerChain;
        /// <summary>A client certificate was asked for and the client sent none (an empty Certificate message, or none).</summary>
        public bool ClientSentNoCertificate => ClientCertificateRequested && ClientChain.Count == 0;

        public override string ToString() => (Computer != null ? Computer + " " : "") + Role + " " + Partner + " " + StartTime?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + Result;

        /// <summary>The facts of a session read here.</summary>
        public static SessionFacts Of(CftSslSession s, string computer = null)
        {
            var f = new SessionFacts
            {
                Computer = computer, SessionId = s.SessionId, Ctx = s.Ctx, Role = NameOf(s.Role), Protocol = s.Protocol, RemoteHost = s.RemoteHost,
                SslProfile = s.SslProfile, StartTime = s.StartTime, Result = NameOf(s.Result), Problem = s.Problem,
                FailureName = s.Failure?.Name, FailureCode = s.Failure?.Code, FailureRaisedBy = s.Failure != null && s.Failure.RaisedBy != Tls.TlsPeer.Unknown ? s.Failure.RaisedBy.ToString() : null,
                FailureSummary = s.Failure?.Summary, Version = s.Version, CipherSuiteId = s.CipherSuiteId, CipherSuiteName = s.CipherSuiteName,
                ClientCertificateRequested = s.ClientCertificateRequested, Authentication = s.Authentication, ServerName = s.ServerName, Alpn = s.Alpn,
                ja3Full = s.Ja3Full, Ja4 = s.Ja4, ja3sFull = s.Ja3sFull,
            };
            // the session's lists as they are (a list it never made is not made here: a million one-line sessions)
            if (s.OfferedVersionsIfAny.Count > 0) f.OfferedVersions.AddRange(s.OfferedVersionsIfAny);
            foreach (var c in s.OfferedCipherSuitesIfAny) if (c?.Name != null) f.OfferedCipherSuites.Add(c.Name);
            if (s.AcceptedClientCAsIfAny.Count > 0) f.AcceptedClientCAs.AddRange(s.AcceptedClientCAsIfAny);
            foreach (var c in s.ServerCertificatesIfAny) f.ServerChain.Add(Certificate(c));
            foreach (var c in s.ClientCertificatesIfAny) f.ClientChain.Add(Certificate(c));
            string transferPartner = null;
            foreach (var t in s.TransfersIfAny) if (!string.IsNullOrEmpty(t.Partner)) { transferPartner = t.Partner; break; }
            f.Partner = PartnerOf(f.Role, s.Partner, s.Protocol, s.RemoteHost, transferPartner);
            f.FromFingerprints(s.Ja3Full, s.Ja4Raw);
            return f;
        }

        // the enumerations' names without Enum.ToString for each session
        private static string NameOf(SessionRole r) => r == SessionRole.Client ? "Client" : r == SessionRole.Server ? "Server" : r.ToString();
        private static string NameOf(SessionResult r) => r == SessionResult.Established ? "Established" : r == SessionResult.Failed ? "Failed" : r == SessionResult.Incomplete ? "Incomplete" : r.ToString();

        private static CertificateFacts Certificate(X509.CertificateInfo c) => new CertificateFacts
        {
            Subject = c.Subject, Issuer = c.Issuer, Thumbprint = c.Thumbprint, NotBefore = c.NotBefore, NotAfter = c.NotAfter,
            Key = KeyText(c.PublicKeyAlgorithm, c.KeySize, c.Curve), SignatureAlgorithm = c.SignatureAlgorithm,
        };

        internal static string KeyText(string algorithm, object size, string curve)
        {
            string sizeText = size?.ToString();
            // the usual case, each part one word or none: the words joined, without splitting them again
            if (OneWord(algorithm) && OneWord(sizeText) && OneWord(curve)) return Words(Words(algorithm, sizeText), curve);
            string text = (algorithm ?? "") + " " + (sizeText ?? "") + " " + (curve ?? "");
            text = string.Join(" ", text.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries));
            return text.Length == 0 ? null : text;
        }

        /// <summary>Two words joined by a space, either of them null or empty; null when both are.</summary>
        private static string Words(string x, string y)
            => string.IsNullOrEmpty(x) ? (string.IsNullOrEmpty(y) ? null : y) : string.IsNullOrEmpty(y) ? x : x + " " + y;

        /// <summary>Null, empty, or text without a space.</summary>
        private static bool OneWord(string s) => s == null || s.IndexOf(' ') < 0;

        /// <summary>How sessions of one partner are grouped: PART for a client session, the transfers' partner or PROT@host for a server one.</summary>
        internal static string PartnerOf(string role, string part, string protocol, string remoteHost, string transferPartner)
        {
            if (role == "Client") return part ?? "(no PART)";
            if (!string.IsNullOrEmpty(transferPartner)) return transferPartner;
            return (protocol ?? "(no PROT)") + (remoteHost != null ? "@" + remoteHost : "");
        }

        /// <summary>Extensions and groups from JA3's string, signature algorithms from JA4's raw form, by name.</summary>
        internal void FromFingerprints(string ja3Full, string ja4Raw)
        {
            // (read in place: splitting the two strings made about 2 KB of garbage per session)
            if (!string.IsNullOrEmpty(ja3Full))
            {
                // version,ciphers,extensions,groups[,formats]
                int c2 = Nth(ja3Full, ',', 2);
                int c3 = c2 < 0 ? -1 : ja3Full.IndexOf(',', c2 + 1);
                if (c3 >= 0)
                {
                    int c4 = ja3Full.IndexOf(',', c3 + 1);
                    foreach (int e in new Numbers(ja3Full, c2 + 1, c3, '-', false)) Extensions.Add(TlsRegistry.ExtensionName(e));
                    foreach (int g in new Numbers(ja3Full, c3 + 1, c4 < 0 ? ja3Full.Length : c4, '-', false)) Groups.Add(TlsRegistry.GroupName(g));
                }
            }
            if (!string.IsNullOrEmpty(ja4Raw))
            {
                // t13d..._ciphers_extensions_algorithms[_...]
                int u3 = Nth(ja4Raw, '_', 3);
                if (u3 >= 0)
                {
                    int u4 = ja4Raw.IndexOf('_', u3 + 1);
                    foreach (int v in new Numbers(ja4Raw, u3 + 1, u4 < 0 ? ja4Raw.Length : u4, ',', true)) SignatureAlgorithms.Add(TlsRegistry.SignatureSchemeName(v));
                }
            }
        }

        /// <summary>Where the nth separator is (1: the first), or -1.</summary>
        private static int Nth(string text, char separator, int n)
        {
            int at = -1;
            for (int i = 0; i < n; i++)
            {
                at = text.IndexOf(separator, at + 1);
                if (at < 0) return -1;
            }
            return at;
        }

        /// <summary>
        /// The numbers of a separated list within a string, those that parse (int.TryParse of each piece, NumberStyles.Integer
        /// or HexNumber, invariant culture: what splitting the string did), without a string per piece in the usual case.
        /// </summary>
        internal struct Numbers
        {
            private readonly string text;
            private readonly int end;
            private readonly char separator;
            private readonly bool hex;
            private int next;

            public Numbers(string text, int start, int end, char separator, bool hex)
            {
                this.text = text; next = start; this.end = end; this.separator = separator; this.hex = hex;
                Current = 0;
            }

            public int Current { get; private set; }

            public Numbers GetEnumerator() => this;

            public bool MoveNext()
            {
                while (next <= end)
                {
                    int stop = text.IndexOf(separator, next, end - next);
                    if (stop < 0) stop = end;
                    int from = next;
                    next = stop + 1;
                    if (Parse(from, stop, out int value)) { Current = value; return true; }
                }
                return false;
            }

            private bool Parse(int from, int to, out int value)
            {
                // digits only, few enough not to overflow: read here; anything else as int.TryParse reads it
                int n = to - from;
                if (n > 0 && n <= (hex ? 7 : 9))
                {
                    int v = 0;
                    for (int i = from; i < to; i++)
                    {
                        char ch = text[i];
                        int d = ch >= '0' && ch <= '9' ? ch - '0' : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
                        if (d < 0) { v = -1; break; }
                        v = v * (hex ? 16 : 10) + d;
                    }
                    if (v >= 0) { value = v; return true; }
                }
                return int.TryParse(text.Substring(from, n), hex ? NumberStyles.HexNumber : NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
            }
        }

        /// <summary>
        /// The facts of a session known by its properties only (a copy from another computer or a file): get returns a
        /// property's value (null when absent), items the items of a list property (each item's properties through get
        /// of the item, or its text). The caller (the cmdlets) reads PSObjects this way.
        /// </summary>
        public static SessionFacts FromProperties(Func<object, string, object> get, Func<object, IEnumerable<object>> items, object session, string computer)
        {
            string S(object o, string name) { var v = get(o, name); return v == null ? null : Convert.ToString(v, CultureInfo.InvariantCulture); }
            DateTime? D(object o, string name) { var v = get(o, name); return v is DateTime d ? d : v != null && DateTime.TryParse(Convert.ToString(v, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, DateTimeStyles.None, out var p) ? p : (DateTime?)null; }
            int? I(object o, string name) { var v = get(o, name); return v == null ? (int?)null : int.TryParse(Convert.ToString(v, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : (int?)null; }
            IEnumerable<object> L(object o, string name) { var v = get(o, name); return v == null || v is string ? Enumerable.Empty<object>() : items(v) ?? Enumerable.Empty<object>(); }
            string Text(object o) => o == null ? null : Convert.ToString(o, CultureInfo.InvariantCulture);
            string Enum(object o, string name, string[] names)
            {
                var v = get(o, name);
                if (v == null) return null;
                string t = Convert.ToString(v, CultureInfo.InvariantCulture);
                // an enumeration that crossed a remoting boundary may come back as its number
                return int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n >= 0 && n < names.Length ? names[n] : t;
            }
            var f = new SessionFacts
            {
                Computer = computer, SessionId = S(session, "SessionId"), Ctx = S(session, "Ctx"),
                Role = Enum(session, "Role", new[] { "Unknown", "Client", "Server" }),
                Protocol = S(session, "Protocol"), RemoteHost = S(session, "RemoteHost"), SslProfile = S(session, "SslProfile"),
                StartTime = D(session, "StartTime"), Result = Enum(session, "Result", new[] { "Established", "Failed", "Incomplete" }), Problem = S(session, "Problem"),
                Version = S(session, "Version"), CipherSuiteId = I(session, "CipherSuiteId"), CipherSuiteName = S(session, "CipherSuiteName"),
                ClientCertificateRequested = string.Equals(S(session, "ClientCertificateRequested"), "True", StringComparison.OrdinalIgnoreCase),
                Authentication = S(session, "Authentication"), ServerName = S(session, "ServerName"), Alpn = S(session, "Alpn"),
                Ja3 = S(session, "Ja3"), Ja4 = S(session, "Ja4"), Ja3s = S(session, "Ja3s"),
            };
            var failure = get(session, "Failure");
            if (failure != null && !(failure is string && ((string)failure).Length == 0))
            {
                f.FailureName = S(failure, "Name");
                f.FailureCode = I(failure, "Code");
                f.FailureRaisedBy = Enum(failure, "RaisedBy", new[] { "Unknown", "Client", "Server" });
                if (f.FailureRaisedBy == "Unknown") f.FailureRaisedBy = null;
                f.FailureSummary = S(failure, "Summary");
            }
            foreach (var v in L(session, "OfferedVersions")) f.OfferedVersions.Add(Text(v));
            foreach (var c in L(session, "OfferedCipherSuites")) { var name = S(c, "Name") ?? Text(c); if (name != null) f.OfferedCipherSuites.Add(name); }
            foreach (var c in L(session, "AcceptedClientCAs")) f.AcceptedClientCAs.Add(Text(c));
            foreach (var c in L(session, "ServerCertificates")) f.ServerChain.Add(CertificateFrom(c, S, D, get));
            foreach (var c in L(session, "ClientCertificates")) f.ClientChain.Add(CertificateFrom(c, S, D, get));
            string transferPartner = null;
            foreach (var t in L(session, "Transfers")) { var p = S(t, "Partner"); if (!string.IsNullOrEmpty(p)) { transferPartner = p; break; } }
            f.Partner = PartnerOf(f.Role, S(session, "Partner"), f.Protocol, f.RemoteHost, transferPartner);
            f.FromFingerprints(S(session, "Ja3Full"), S(session, "Ja4Raw"));
            return f;
        }

        private static CertificateFacts CertificateFrom(object c, Func<object, string, string> s, Func<object, string, DateTime?> d, Func<object, string, object> get)
            => new CertificateFacts
            {
                Subject = s(c, "Subject"), Issuer = s(c, "Issuer"), Thumbprint = s(c, "Thumbprint"), NotBefore = d(c, "NotBefore"), NotAfter = d(c, "NotAfter"),
                Key = KeyText(s(c, "PublicKeyAlgorithm"), get(c, "KeySize"), s(c, "Curve")), SignatureAlgorithm = s(c, "SignatureAlgorithm"),
            };
    }
}
