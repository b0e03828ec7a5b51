using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CftSslTrace.Registry
{
    /// <summary>
    /// The IANA TLS registries (cipher suites, alerts, extensions, handshake types, groups, signature schemes),
    /// loaded once from the CSV files embedded in the assembly.
    /// </summary>
    public static class TlsRegistry
    {
        private static readonly Lazy<Dictionary<int, CipherSuiteInfo>> suites = new Lazy<Dictionary<int, CipherSuiteInfo>>(LoadSuites);
        private static readonly Lazy<Dictionary<int, string>> alerts = new Lazy<Dictionary<int, string>>(() => LoadNames("tls-alerts.csv", 0, 1));
        private static readonly Lazy<Dictionary<int, string>> extensions = new Lazy<Dictionary<int, string>>(LoadExtensions);
        private static readonly Lazy<Dictionary<int, string>> handshakeTypes = new Lazy<Dictionary<int, string>>(() => LoadNames("tls-handshake-types.csv", 0, 1));
        private static readonly Lazy<Dictionary<int, string>> groups = new Lazy<Dictionary<int, string>>(() => LoadNames("tls-supported-groups.csv", 0, 1));
        private static readonly Lazy<Dictionary<int, string>> signatureSchemes = new Lazy<Dictionary<int, string>>(() => LoadNames("tls-signature-schemes.csv", 0, 1));

        /// <summary>Every named cipher suite of the registry.</summary>
        public static IEnumerable<CipherSuiteInfo> CipherSuites => suites.Value.Values;

        /// <summary>The suite with this number; an "Unknown" entry for unregistered values (and GREASE).</summary>
        public static CipherSuiteInfo GetCipherSuite(int id)
        {
            if (suites.Value.TryGetValue(id, out var info)) return info;
            return CipherSuiteInfo.Unknown(id, IsGrease(id) ? "GREASE" : null);
        }

        public static string CipherSuiteName(int id) => GetCipherSuite(id).Name;

        public static string AlertName(int description) => Lookup(alerts.Value, description, "alert");

        private static readonly Lazy<List<AlertDefinition>> alertDefinitions = new Lazy<List<AlertDefinition>>(LoadAlertDefinitions);

        /// <summary>Every registered alert, with its meaning and what to check in CFT.</summary>
        public static IReadOnlyList<AlertDefinition> AlertDefinitions => alertDefinitions.Value;

        private static List<AlertDefinition> LoadAlertDefinitions()
        {
            var hints = new Dictionary<int, string[]>();
            foreach (var row in CsvTable.ReadResource("tls-alert-hints.csv"))
                if (row.Length >= 3) hints[CsvTable.ParseValue(row[0])] = row;
            var list = new List<AlertDefinition>();
            foreach (var kv in alerts.Value)
            {
                hints.TryGetValue(kv.Key, out var h);
                list.Add(new AlertDefinition { Code = kv.Key, Name = kv.Value, Meaning = h?[1] ?? "", CftHint = h?[2] ?? "" });
            }
            list.Sort((a, b) => a.Code.CompareTo(b.Code));
            return list;
        }

        public static string ExtensionName(int type) => IsGrease(type) ? "GREASE" : Lookup(extensions.Value, type, "extension");

        public static string GroupName(int group)
        {
            if (IsGrease(group)) return "GREASE";
            if (group == 0x0100) return "ffdhe2048"; // registry lists ffdhe by decimal 256..260
            return Lookup(groups.Value, group, "group");
        }

        public static string SignatureSchemeName(int scheme)
        {
            if (IsGrease(scheme)) return "GREASE";
            if (signatureSchemes.Value.TryGetValue(scheme, out var n)) return n;
            // TLS 1.2 SignatureAndHashAlgorithm pairs that are not TLS 1.3 schemes (RFC 5246 7.4.1.4.1)
            string hash = HashName(scheme >> 8), sig = SignatureName(scheme & 0xFF);
            if (hash != null && sig != null) return sig + "_" + hash;
            return Unknown("signature scheme", scheme);
        }

        /// <summary>PascalCase handshake message name (ClientHello, Certificate, ...).</summary>
        public static string HandshakeTypeName(int type)
        {
            if (handshakeTypes.Value.TryGetValue(type, out var n)) return n;
            return "Unknown(" + type.ToString(CultureInfo.InvariantCulture) + ")";
        }

        public static string ContentTypeName(int type)
        {
            switch (type)
            {
                case 20: return "ChangeCipherSpec";
                case 21: return "Alert";
                case 22: return "Handshake";
                case 23: return "ApplicationData";
                case 24: return "Heartbeat";
                case 25: return "Tls12Cid";
                case 26: return "Ack";
                default: return "Unknown(" + type.ToString(CultureInfo.InvariantCulture) + ")";
            }
        }

        /// <summary>Protocol version by wire value (0x0301 = "TLS 1.0").</summary>
        /// <summary>TLS 1.3 or one of its drafts (0x7F00 + n) and experiments (Google 0x7E01/0x7E02, Facebook 0xFB17/0xFB1A).</summary>
        public static bool IsTls13Family(int version)
            => version == 0x0304 || (version & 0xFF00) == 0x7F00 || version == 0x7E01 || version == 0x7E02 || version == 0xFB17 || version == 0xFB1A;

        /// <summary>How a ServerHello of this version is laid out.</summary>
        internal static Tls.ServerHelloLayout ServerHelloLayoutOf(int version)
        {
            if (version >= 0x7F00 && version < 0x7F16) return Tls.ServerHelloLayout.Tls13Draft;   // drafts 0 to 21
            // 0304 in the hello itself: never the final TLS 1.3 (legacy_version 0303), but the drafts before the 7Fxx numbering
            if (version == 0x0304) return Tls.ServerHelloLayout.Tls13Draft;
            if (version >= 0x0200 && version <= 0x0304) return Tls.ServerHelloLayout.Legacy;       // SSL 3.0 to TLS 1.3 (and drafts 22+: legacy_version 0303)
            if (IsTls13Family(version) || (version & 0xFF00) == 0x7E00 || (version & 0xFF00) == 0x7A00 || (version & 0xFF00) == 0xFB00) return Tls.ServerHelloLayout.Unknown;
            return Tls.ServerHelloLayout.Legacy; // DTLS and unknown values: the classic layout, as Wireshark reads them
        }

        public static string VersionName(int version)
        {
            switch (version)
            {
                case 0x0002: return "SSL 2.0";
                case 0x0300: return "SSL 3.0";
                case 0x0301: return "TLS 1.0";
                case 0x0302: return "TLS 1.1";
                case 0x0303: return "TLS 1.2";
                case 0x0304: return "TLS 1.3";
                case 0xFEFF: return "DTLS 1.0";
                case 0xFEFD: return "DTLS 1.2";
                case 0xFEFC: return "DTLS 1.3";
            }
            if (IsGrease(version)) return "GREASE";
            if ((version & 0xFF00) == 0x7F00) return "TLS 1.3 draft " + (version & 0xFF).ToString(CultureInfo.InvariantCulture);
            if (version == 0x7E01 || version == 0x7E02) return "TLS 1.3 experiment 0x" + version.ToString("X4", CultureInfo.InvariantCulture) + " (Google)";
            if (version == 0xFB17 || version == 0xFB1A) return "TLS 1.3 draft " + (version & 0xFF).ToString(CultureInfo.InvariantCulture) + " (Facebook)";
            return "0x" + version.ToString("X4", CultureInfo.InvariantCulture);
        }

        /// <summary>RFC 8701 GREASE values: 0x0A0A, 0x1A1A, ... 0xFAFA.</summary>
        public static bool IsGrease(int value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);

        public static string HashName(int hash)
        {
            switch (hash)
            {
                case 0: return "none"; case 1: return "md5"; case 2: return "sha1"; case 3: return "sha224";
                case 4: return "sha256"; case 5: return "sha384"; case 6: return "sha512"; case 8: return "intrinsic";
                default: return null;
            }
        }

        public static string SignatureName(int sig)
        {
            switch (sig)
            {
                case 0: return "anonymous"; case 1: return "rsa"; case 2: return "dsa"; case 3: return "ecdsa";
                default: return null;
            }
        }

        private static string Lookup(Dictionary<int, string> table, int value, string what)
            => table.TryGetValue(value, out var n) ? n : Unknown(what, value);

        private static string Unknown(string what, int value) => "Unknown(" + value.ToString(CultureInfo.InvariantCulture) + ")";

        private static Dictionary<int, string> LoadNames(string file, int valueColumn, int nameColumn)
        {
            var d = new Dictionary<int, string>();
            foreach (var row in CsvTable.ReadResource(file))
            {
                if (row.Length <= nameColumn) continue;
                int v = CsvTable.ParseValue(row[valueColumn]);
                string n = CsvTable.CleanName(row[nameColumn]);
                if (v < 0 || n == null) continue;
                if (file == "tls-handshake-types.csv") n = PascalCase(n);
                d[v] = n;
            }
            return d;
        }

        private static Dictionary<int, string> LoadExtensions()
        {
            var d = LoadNames("tls-extension-types.csv", 0, 1);
            foreach (var kv in LoadNames("tls-extension-types-supplement.csv", 0, 1))
                if (!d.ContainsKey(kv.Key)) d[kv.Key] = kv.Value;
            return d;
        }

        private static Dictionary<int, CipherSuiteInfo> LoadSuites()
        {
            var d = new Dictionary<int, CipherSuiteInfo>();
            foreach (var row in CsvTable.ReadResource("tls-cipher-suites.csv"))
            {
                if (row.Length < 4) continue;
                int v = CsvTable.ParseValue(row[0]);
                string n = CsvTable.CleanName(row[1]);
                if (v < 0 || n == null) continue;
                d[v] = CipherSuiteInfo.FromIanaName(v, n, row[3].Trim());
            }
            foreach (var row in CsvTable.ReadResource("openssl-cipher-names.csv"))
            {
                int v = CsvTable.ParseValue(row[0]);
                if (v >= 0 && d.TryGetValue(v, out var info)) info.OpenSslName = row[1].Trim();
            }
            return d;
        }

        internal static string PascalCase(string snake)
        {
            var sb = new StringBuilder(snake.Length);
            bool up = true;
            foreach (char c in snake)
            {
                if (c == '_') { up = true; continue; }
                sb.Append(up ? char.ToUpperInvariant(c) : c);
                up = false;
            }
            return sb.ToString();
        }
    }
}
