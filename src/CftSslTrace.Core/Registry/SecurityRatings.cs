using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace CftSslTrace.Registry
{
    /// <summary>How serious a finding is, for sorting and filtering (Where-Object Severity -ge High).</summary>
    public enum FindingSeverity { Info, Low, Medium, High, Critical }

    /// <summary>One row of the ratings table (Registry/Data/security-ratings.csv): what is matched, its rating or severity, why, and the source.</summary>
    public sealed class SecurityRating
    {
        public string Kind { get; internal set; }
        public string Match { get; internal set; }
        public string Rating { get; internal set; }
        public FindingSeverity? Severity { get; internal set; }
        public string Text { get; internal set; }
        public string Source { get; internal set; }
        public override string ToString() => Kind + " " + Match + " " + (Rating ?? Severity?.ToString());
    }

    /// <summary>
    /// The security ratings, as data: cipher-suite rules (first match wins: Property = value, ~ contains, ^ starts with,
    /// * any), what each rating, version, key size, signature and certificate condition weighs as a finding, and the
    /// source of each. One table, embedded from Registry/Data/security-ratings.csv.
    /// </summary>
    public static class SecurityRatings
    {
        private static readonly Lazy<List<SecurityRating>> rows = new Lazy<List<SecurityRating>>(Load);

        /// <summary>Every row of the table.</summary>
        public static IReadOnlyList<SecurityRating> All => rows.Value;

        private static List<SecurityRating> Load()
        {
            var list = new List<SecurityRating>();
            foreach (var r in CsvTable.ReadResource("security-ratings.csv"))
            {
                if (r.Length < 6 || r[0] == "Kind") continue;
                list.Add(new SecurityRating
                {
                    Kind = r[0].Trim(), Match = r[1].Trim(), Rating = r[2].Trim().Length > 0 ? r[2].Trim() : null,
                    Severity = Enum.TryParse(r[3].Trim(), out FindingSeverity sev) ? sev : (FindingSeverity?)null,
                    Text = r[4].Trim(), Source = r[5].Trim(),
                });
            }
            return list;
        }

        /// <summary>The rating of a cipher suite (Insecure, Weak, Secure, Recommended) and the rule that gave it.</summary>
        internal static SecurityRating RateSuite(CipherSuiteInfo s)
        {
            foreach (var r in rows.Value)
            {
                if (r.Kind != "suite") continue;
                if (r.Match == "*" || SuiteMatches(s, r.Match)) return r;
            }
            return null;
        }

        private static bool SuiteMatches(CipherSuiteInfo s, string match)
        {
            // "Property op value"
            var parts = match.Split(new[] { ' ' }, 3, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3) return false;
            string actual;
            switch (parts[0])
            {
                case "Encryption": actual = s.Encryption; break;
                case "KeyExchange": actual = s.KeyExchange; break;
                case "Mac": actual = s.Mac; break;
                case "Name": actual = s.Name; break;
                case "ForwardSecrecy": actual = s.ForwardSecrecy.ToString(); break;
                default: return false;
            }
            actual = actual ?? "";
            switch (parts[1])
            {
                case "=": return string.Equals(actual, parts[2], StringComparison.Ordinal);
                case "~": return actual.IndexOf(parts[2], StringComparison.Ordinal) >= 0;
                case "^": return actual.StartsWith(parts[2], StringComparison.Ordinal);
                default: return false;
            }
        }

        /// <summary>The row of a kind whose Match is the key (case-insensitive), or null.</summary>
        internal static SecurityRating Row(string kind, string key)
            => rows.Value.FirstOrDefault(r => r.Kind == kind && (string.Equals(r.Match, key, StringComparison.OrdinalIgnoreCase)
                || (r.Match.Length > 1 && r.Match.EndsWith("*", StringComparison.Ordinal) && key != null && key.StartsWith(r.Match.Substring(0, r.Match.Length - 1), StringComparison.OrdinalIgnoreCase))));

        /// <summary>The minimum key size of an algorithm ("RSA &lt; 2048"), with its row; null when the table has none.</summary>
        internal static (int bits, SecurityRating row)? MinimumKey(string algorithm)
        {
            foreach (var r in rows.Value)
            {
                if (r.Kind != "key") continue;
                var parts = r.Match.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3 && parts[1] == "<" && string.Equals(parts[0], algorithm, StringComparison.OrdinalIgnoreCase)
                    && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
                    return (bits, r);
            }
            return null;
        }

        /// <summary>The row of a signature algorithm ("~ sha1": its name contains sha1), or null.</summary>
        internal static SecurityRating Signature(string algorithm)
        {
            if (string.IsNullOrEmpty(algorithm)) return null;
            foreach (var r in rows.Value)
                if (r.Kind == "signature" && r.Match.StartsWith("~ ", StringComparison.Ordinal)
                    && algorithm.IndexOf(r.Match.Substring(2), StringComparison.OrdinalIgnoreCase) >= 0) return r;
            return null;
        }
    }
}
