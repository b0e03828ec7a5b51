using System;
using System.Collections.Generic;
using System.Globalization;

namespace CftSslTrace.Sessions
{
    /// <summary>A CFT message line attached to a session (CFTY19I opening, CFTY21I certificate accepted, CFTY13E error...).</summary>
    public sealed class CftEvent
    {
        /// <summary>The file (or "archive.zip!entry") of the line.</summary>
        public string File { get; internal set; }
        public long Line { get; internal set; }
        /// <summary>The line's position in the history read: log order.</summary>
        internal long Position { get; set; }
        public DateTime? Time { get; internal set; }
        /// <summary>CFTY14I...</summary>
        public string Code { get; internal set; }
        public string Text { get; internal set; }
        /// <summary>key=value pairs of the message (PART, SSL, CTX, CIPHER, AUTH, CR, HOST...), keys upper-case.</summary>
        public IReadOnlyDictionary<string, string> Values
        {
            get => values ?? (valuesFromText ? (values = ParseValues(Text ?? "")) : null);
            internal set { values = value; valuesFromText = false; }
        }
        private IReadOnlyDictionary<string, string> values;
        private bool valuesFromText;

        /// <summary>The values are let go, and read again from the text when asked (a session that stays open holds its lines' text only).</summary>
        internal void ValuesFromText()
        {
            values = null;
            valuesFromText = true;
        }

        /// <summary>
        /// For a line that does not name the session's CTX (a transfer or protocol line), how it was tied to the session:
        /// "partner PART1 and time", "partner, PID and time", "closing of a server session without TLS data"...; null otherwise.
        /// </summary>
        public string MatchedBy { get; internal set; }

        public string Get(string key) => Values != null && Values.TryGetValue(key, out var v) ? v : null;

        public override string ToString() => Code + " " + Text;

        /// <summary>Reads key=value pairs (keys are upper-case words; values run to the next space, '&gt;' or ')').</summary>
        internal static Dictionary<string, string> ParseValues(string text)
        {
            int pairs = 0;
            for (int at = text.IndexOf('='); at >= 0; at = text.IndexOf('=', at + 1)) pairs++;
            var d = new Dictionary<string, string>(pairs, StringComparer.OrdinalIgnoreCase);
            int i = 0;
            while (NextPair(text, ref i, out int ks, out int kl, out int vs, out int vl))
            {
                string key = Key(text, ks, kl);
                if (key.Length > 0 && !d.ContainsKey(key)) d[key] = text.Substring(vs, vl);
            }
            return d;
        }

        /// <summary>
        /// The value <see cref="ParseValues"/> gives a key (its first pair, the key's case ignored), read without the
        /// others: a line that names no open session needs only its CTX or PART.
        /// </summary>
        internal static string FindValue(string text, string key)
        {
            int i = 0;
            while (NextPair(text, ref i, out int ks, out int kl, out int vs, out int vl))
                if (kl == key.Length && string.Compare(text, ks, key, 0, key.Length, StringComparison.OrdinalIgnoreCase) == 0)
                    return text.Substring(vs, vl);
            return null;
        }

        /// <summary>
        /// The next key=value pair from <paramref name="i"/> on: the word before an '=' (blanks between them skipped; it
        /// may be empty) and the value after it (blanks skipped), up to a blank, '&gt;', ')' or ','. Blanks are spaces
        /// and tabs (a log whose spaces a tool turned into tabs).
        /// </summary>
        private static bool NextPair(string text, ref int i, out int keyStart, out int keyLength, out int valueStart, out int valueLength)
        {
            keyStart = keyLength = valueStart = valueLength = 0;
            if ((i = text.IndexOf('=', i)) < 0) return false;
            int ks = i - 1;
            while (ks >= 0 && (text[ks] == ' ' || text[ks] == '\t')) ks--;
            int ke = ks + 1;
            while (ks >= 0 && (char.IsLetterOrDigit(text[ks]) || text[ks] == '_')) ks--;
            int vs = i + 1;
            while (vs < text.Length && (text[vs] == ' ' || text[vs] == '\t')) vs++;
            int ve = vs;
            while (ve < text.Length && text[ve] != ' ' && text[ve] != '\t' && text[ve] != '>' && text[ve] != ')' && text[ve] != ',') ve++;
            keyStart = ks + 1;
            keyLength = ke - ks - 1;
            valueStart = vs;
            valueLength = ve - vs;
            i = Math.Max(i + 1, ve);
            return true;
        }

        /// <summary>The keys CFT's lines use, made once: a session holds its events, and a log holds many sessions.</summary>
        private static readonly string[] KnownKeys = { "CTX", "PART", "SSL", "PID", "IDTU", "IDT", "IDF", "ST", "EV", "CIPHER", "AUTH", "ROOTID", "PROT", "CR", "HOST", "VERSION", "DIAGI", "DIAGP" };

        private static string Key(string text, int start, int length)
        {
            foreach (var k in KnownKeys)
                if (k.Length == length && string.CompareOrdinal(text, start, k, 0, length) == 0) return k;
            return text.Substring(start, length);
        }

        /// <summary>The bracketed name of an error line: "[UNKNOWN_CA]".</summary>
        internal static string Bracket(string text)
        {
            int a = text.IndexOf('[');
            int b = a < 0 ? -1 : text.IndexOf(']', a);
            return b > a ? text.Substring(a + 1, b - a - 1) : null;
        }

        /// <summary>The trailing parenthesised reason of an error line.</summary>
        internal static string Reason(string text)
        {
            int a = text.IndexOf('(');
            int b = text.LastIndexOf(')');
            return a >= 0 && b > a ? text.Substring(a + 1, b - a - 1) : null;
        }

        internal static int? Int(string v) => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : (int?)null;
    }
}
