using System.Management.Automation;

namespace CftSslTrace.PowerShell
{
    /// <summary>Case-insensitive wildcard matching shared by the filters, lookups and argument completers.</summary>
    internal static class Wildcards
    {
        /// <summary>The patterns, or null when there are none (no filter).</summary>
        public static WildcardPattern[] Compile(string[] values)
        {
            if (values == null || values.Length == 0) return null;
            var p = new WildcardPattern[values.Length];
            for (int i = 0; i < values.Length; i++) p[i] = new WildcardPattern(values[i], WildcardOptions.IgnoreCase);
            return p;
        }

        /// <summary>Whether value matches one of the patterns; null patterns match everything.</summary>
        public static bool Any(WildcardPattern[] patterns, string value)
        {
            if (patterns == null) return true;
            if (value == null) return false;
            foreach (var p in patterns) if (p.IsMatch(value)) return true;
            return false;
        }

        /// <summary>The pattern for completing what the user has typed so far.</summary>
        public static WildcardPattern ForCompletion(string wordToComplete)
            => new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
    }
}
