using System;
using System.Globalization;

namespace CftSslTrace.Registry
{
    /// <summary>A cipher suite of the IANA registry, with its parts derived from the name.</summary>
    public sealed class CipherSuiteInfo
    {
        /// <summary>Decimal number, as in CFT's CIPHLIST and CIPHER= (47).</summary>
        public int Id { get; private set; }
        /// <summary>"0x002F".</summary>
        public string Hex => "0x" + Id.ToString("X4", CultureInfo.InvariantCulture);
        /// <summary>IANA name (TLS_RSA_WITH_AES_128_CBC_SHA).</summary>
        public string Name { get; private set; }
        public string KeyExchange { get; private set; }
        public string Authentication { get; private set; }
        public string Encryption { get; private set; }
        public string Mac { get; private set; }
        /// <summary>The lowest protocol version the suite can be used with ("TLS 1.2" for AEAD and SHA-2 suites).</summary>
        public string MinimumVersion { get; private set; }
        /// <summary>IANA "Recommended" column: Y, N or D (discouraged).</summary>
        public string IanaRecommended { get; private set; }
        public bool IsKnown { get; private set; }
        /// <summary>The name OpenSSL gives the suite (ECDHE-RSA-AES128-GCM-SHA256), when OpenSSL knows it.</summary>
        public string OpenSslName { get; internal set; }
        /// <summary>Insecure, Weak, Secure or Recommended (see <see cref="Rate"/>).</summary>
        public string Strength => strength ?? (strength = Rate(this));
        // the rating, found once per suite (the ratings table is read once per process): a session's audit rated each
        // offered suite against every rule of the table, splitting the rules' text each time (40 KB a session of 18 suites)
        private string strength;
        private SecurityRating rating;
        private bool rated;

        /// <summary>The rule of the ratings table that rates this suite (null when none does).</summary>
        internal SecurityRating Rating
        {
            get
            {
                if (!rated) { rating = SecurityRatings.RateSuite(this); rated = true; }
                return rating;
            }
        }
        /// <summary>Forward secrecy: ephemeral (EC)DH key exchange, or TLS 1.3.</summary>
        public bool ForwardSecrecy => KeyExchange != null && (KeyExchange.StartsWith("ECDHE", StringComparison.Ordinal) || KeyExchange.StartsWith("DHE", StringComparison.Ordinal) || KeyExchange.StartsWith("Any", StringComparison.Ordinal));

        public override string ToString() => Name;

        /// <summary>
        /// The suite's rating from the ratings table (Registry/Data/security-ratings.csv, first matching rule): Insecure (no
        /// encryption, anonymous, export-grade, RC4, DES, RC2, MD5), Weak (64-bit blocks, no forward secrecy, CBC with
        /// SHA-1), Recommended (forward secrecy and AEAD), else Secure; Unknown for unregistered suites.
        /// </summary>
        public static string Rate(CipherSuiteInfo s)
        {
            if (!s.IsKnown || s.Encryption == null) return "Unknown";
            if (s.Name.EndsWith("_SCSV", StringComparison.Ordinal)) return "Signalling";
            return s.Rating?.Rating ?? "Unknown";
        }

        internal static CipherSuiteInfo Unknown(int id, string label)
            => new CipherSuiteInfo { Id = id, Name = label ?? "Unknown(0x" + id.ToString("X4", CultureInfo.InvariantCulture) + ")", IsKnown = false };

        internal static CipherSuiteInfo FromIanaName(int id, string name, string recommended)
        {
            var info = new CipherSuiteInfo { Id = id, Name = name, IanaRecommended = recommended, IsKnown = true };
            string body = name.StartsWith("TLS_", StringComparison.Ordinal) || name.StartsWith("SSL_", StringComparison.Ordinal) ? name.Substring(4) : name;
            if (name.EndsWith("_SCSV", StringComparison.Ordinal))
            {
                info.KeyExchange = info.Authentication = info.Encryption = info.Mac = "SCSV (signalling value)";
                info.MinimumVersion = "SSL 3.0";
                return info;
            }
            int with = body.IndexOf("_WITH_", StringComparison.Ordinal);
            string cipherPart;
            if (with < 0)
            {
                // TLS 1.3: TLS_<AEAD>_<HASH>, key exchange and authentication negotiated separately.
                info.KeyExchange = "Any (TLS 1.3)";
                info.Authentication = "Any (TLS 1.3)";
                info.MinimumVersion = "TLS 1.3";
                cipherPart = body;
                if (cipherPart == "SHA256_SHA256" || cipherPart == "SHA384_SHA384")
                {
                    info.Encryption = "NULL";
                    info.Mac = "HMAC-" + cipherPart.Substring(0, 6);
                    return info;
                }
                SplitCipher(cipherPart, info);
                return info;
            }
            string kx = body.Substring(0, with);
            cipherPart = body.Substring(with + 6);
            SplitKeyExchange(kx, info);
            SplitCipher(cipherPart, info);
            bool modern = info.Mac == "AEAD" || info.Mac == "SHA256" || info.Mac == "SHA384";
            info.MinimumVersion = modern ? "TLS 1.2" : "SSL 3.0";
            return info;
        }

        private static void SplitKeyExchange(string kx, CipherSuiteInfo info)
        {
            string[] p = kx.Split('_');
            string exchange = p[0];
            string auth = p.Length > 1 ? string.Join("_", p, 1, p.Length - 1) : p[0];
            if (exchange == "RSA" || exchange == "PSK" || exchange == "KRB5" || exchange == "NULL")
            {
                // TLS_RSA_EXPORT_..., TLS_RSA_PSK_..., TLS_KRB5_EXPORT_...
                if (p.Length > 1 && p[1] == "PSK") { info.KeyExchange = "RSA_PSK"; info.Authentication = "RSA+PSK"; return; }
                info.KeyExchange = p.Length > 1 && p[1] == "EXPORT" ? exchange + "_EXPORT" : exchange;
                info.Authentication = exchange == "KRB5" ? "KRB5" : exchange;
                return;
            }
            if (exchange == "SRP") { info.KeyExchange = "SRP"; info.Authentication = p.Length > 2 ? p[2] : "SRP"; return; }
            if (exchange == "GOSTR341112") { info.KeyExchange = "GOSTR341112_256"; info.Authentication = "GOST"; return; }
            info.KeyExchange = exchange;
            info.Authentication = auth == "anon" ? "None (anonymous)" : auth;
        }

        private static void SplitCipher(string part, CipherSuiteInfo info)
        {
            string[] p = part.Split('_');
            string last = p[p.Length - 1];
            bool aead = part.Contains("GCM") || part.Contains("CCM") || part.Contains("POLY1305") || part.Contains("MGM");
            if (last == "SHA" || last == "MD5" || last == "SHA256" || last == "SHA384" || last == "SM3" || last == "NULL" || last == "IMIT" || last.StartsWith("GOSTR", StringComparison.Ordinal))
            {
                string enc = string.Join("_", p, 0, p.Length - 1);
                info.Encryption = enc.Length == 0 ? "NULL" : enc;
                info.Mac = aead ? "AEAD" : (last == "SHA" ? "SHA1" : last);
                if (last == "NULL" && enc == "NULL") info.Mac = "NULL";
            }
            else
            {
                info.Encryption = part;
                info.Mac = aead ? "AEAD" : "None";
            }
        }
    }
}
