using System;
using System.Collections.Generic;
using System.Globalization;

namespace CftSslTrace.Reading
{
    public enum TraceLineKind { DataHeader, Dump, Event, Malformed }

    public enum TraceDirection { Unknown, Sent, Received }

    /// <summary>What one CFTY02Z line (or a bare pasted dump line) says.</summary>
    public sealed class TraceLine
    {
        public TraceLineKind Kind { get; internal set; }
        public string Ctx { get; internal set; }
        /// <summary>Data header: SSLact, PDataRq, ndata...</summary>
        public string Function { get; internal set; }
        public int? Count { get; internal set; }
        public TraceDirection Direction { get; internal set; }
        /// <summary>Data header: HANDSHAKE, APPLICATION, ALERT (as written).</summary>
        public string DataKind { get; internal set; }
        /// <summary>Dump: the bytes of the hex groups.</summary>
        public byte[] Bytes { get; internal set; }
        /// <summary>Event text, or why the line is malformed.</summary>
        public string Message { get; internal set; }
    }

    /// <summary>
    /// Understands CFTY02Z trace text by keywords, not by one template: data headers in any word order,
    /// dump lines from their hex groups (never the ASCII column), anything else as a trace event.
    /// </summary>
    public static class TraceLineParser
    {
        /// <summary>Parses the body of a CFTY02Z line (the text after the code, starting with "&gt;&gt;").</summary>
        public static TraceLine ParseTraceBody(string body)
        {
            int p = 0;
            while (p < body.Length && (body[p] == '>' || body[p] == ' ')) p++;
            string ctx = ReadCtx(body, ref p);
            if (ctx == null)
                return new TraceLine { Kind = TraceLineKind.Malformed, Message = "CFTY02Z line without CTX=" };
            var t = ParseContent(body, p, allowEvent: true);
            t.Ctx = ctx;
            return t;
        }

        /// <summary>Parses a line without message code, as pasted from an e-mail: "[CTX=x] 16030100 ...", or a bare header.</summary>
        public static TraceLine ParseBare(string line)
        {
            int p = 0;
            while (p < line.Length && (line[p] == '>' || line[p] == ' ' || line[p] == '\t')) p++;
            string ctx = ReadCtx(line, ref p);
            var t = ParseContent(line, p, allowEvent: false);
            if (t == null) return null;
            t.Ctx = ctx;
            return t;
        }

        /// <summary>Reads "CTX=value" (spaces around '=' tolerated) at p; null if absent.</summary>
        [ThreadStatic] private static string lastCtx;

        private static string ReadCtx(string s, ref int p)
        {
            int at = p;
            while (at < s.Length && at - p <= 2 && s[at] == ' ') at++;
            if (at + 3 > s.Length || (s[at] | 0x20) != 'c' || (s[at + 1] | 0x20) != 't' || (s[at + 2] | 0x20) != 'x') return null;
            int q = at + 3;
            while (q < s.Length && s[q] == ' ') q++;
            if (q >= s.Length || s[q] != '=') return null;
            q++;
            while (q < s.Length && s[q] == ' ') q++;
            int start = q;
            while (q < s.Length && s[q] != ' ' && s[q] != '\t') q++;
            if (q == start) return null;
            p = q;
            // consecutive lines nearly always name the same CTX: reuse its string
            var last = lastCtx;
            if (last != null && last.Length == q - start && string.CompareOrdinal(s, start, last, 0, last.Length) == 0) return last;
            return lastCtx = s.Substring(start, q - start);
        }

        private static TraceLine ParseContent(string s, int p, bool allowEvent)
        {
            while (p < s.Length && (s[p] == ' ' || s[p] == '\t')) p++;
            var dump = TryParseDump(s, p, out string dumpError);
            if (dump != null)
            {
                if (dumpError != null) return new TraceLine { Kind = TraceLineKind.Malformed, Bytes = dump, Message = dumpError };
                return new TraceLine { Kind = TraceLineKind.Dump, Bytes = dump };
            }
            string rest = s.Substring(p);
            var header = TryParseHeader(rest);
            if (header != null) return header;
            if (!allowEvent) return null;
            if (rest.Length == 0) return new TraceLine { Kind = TraceLineKind.Malformed, Message = "empty trace line" };
            return new TraceLine { Kind = TraceLineKind.Event, Message = rest };
        }

        /// <summary>
        /// Hex groups (1-8 bytes each, even digit count) up to the ASCII column, which starts with '&gt;' and may be
        /// glued to the last group. Returns null when the text does not start with a hex group.
        /// On a damaged line, returns the bytes read before the damage and sets error.
        /// </summary>
        public static byte[] TryParseDump(string s, out string error) => TryParseDump(s, 0, out error);

        private static byte[] TryParseDump(string s, int from, out string error)
        {
            error = null;
            // first pass: find the extent of the hex groups and count the bytes
            int p = from, count = 0, groups = 0, damagedAt = -1;
            while (p < s.Length)
            {
                while (p < s.Length && (s[p] == ' ' || s[p] == '\t')) p++;
                if (p >= s.Length || s[p] == '>') break; // ASCII column
                int start = p;
                while (p < s.Length && IsHex(s[p])) p++;
                int len = p - start;
                bool atEnd = p >= s.Length || s[p] == ' ' || s[p] == '\t' || s[p] == '>';
                if (len == 0 || !atEnd || len % 2 != 0)
                {
                    if (groups == 0) return null;
                    damagedAt = start;
                    break;
                }
                // A lone short word of hex letters ("ADD", "BE") is not a dump unless followed by more groups or the ASCII column.
                if (groups == 0 && !LooksLikeDumpStart(s, start, len, p)) return null;
                groups++;
                count += len / 2;
            }
            if (groups == 0) return null;
            var bytes = new byte[count];
            int b = 0;
            for (int i = from; b < count; i++)
            {
                char c = s[i];
                if (!IsHex(c)) continue;
                bytes[b++] = (byte)((HexValue(c) << 4) | HexValue(s[i + 1]));
                i++;
            }
            if (damagedAt >= 0)
                error = "damaged dump line: unexpected '" + Token(s, damagedAt) + "' after " + count.ToString(CultureInfo.InvariantCulture) + " bytes";
            return bytes;
        }

        private static bool LooksLikeDumpStart(string s, int start, int len, int end)
        {
            bool hasDigit = false;
            for (int i = start; i < end; i++) if (s[i] >= '0' && s[i] <= '9') { hasDigit = true; break; }
            if (hasDigit) return true;
            // letters only: accept when the ASCII column follows
            return s.IndexOf('>', end) >= 0;
        }

        private static string Token(string s, int start)
        {
            int e = start;
            while (e < s.Length && s[e] != ' ') e++;
            return s.Substring(start, Math.Min(e - start, 20));
        }

        /// <summary>
        /// A data header: a function name "xxx()" and/or the word DATA, a decimal count, and a direction
        /// (SENDING / RECEIVED, or the function: SSLact and PDataRq send, ndata receives), in any order.
        /// </summary>
        public static TraceLine TryParseHeader(string s)
        {
            string function = null;
            int paren = s.IndexOf("()", StringComparison.Ordinal);
            if (paren > 0)
            {
                int fe = paren;
                while (fe > 0 && s[fe - 1] == ' ') fe--; // "ndata ()" in re-worded logs
                int fs = fe;
                while (fs > 0 && (char.IsLetterOrDigit(s[fs - 1]) || s[fs - 1] == '_')) fs--;
                function = s.Substring(fs, fe - fs);
            }
            string upper = s.ToUpperInvariant();
            bool hasData = ContainsWord(upper, "DATA");
            bool knownFunction = function != null && (function.Equals("SSLact", StringComparison.OrdinalIgnoreCase) || function.Equals("PDataRq", StringComparison.OrdinalIgnoreCase) || function.Equals("ndata", StringComparison.OrdinalIgnoreCase));
            var direction = TraceDirection.Unknown;
            if (upper.Contains("SENDING") || ContainsWord(upper, "SENT") || ContainsWord(upper, "SEND")) direction = TraceDirection.Sent;
            else if (upper.Contains("RECEIVED") || upper.Contains("RECEIVING")) direction = TraceDirection.Received;
            else if (knownFunction) direction = function.Equals("ndata", StringComparison.OrdinalIgnoreCase) ? TraceDirection.Received : TraceDirection.Sent;
            if (!knownFunction && !(hasData && direction != TraceDirection.Unknown)) return null;
            string kind = null;
            foreach (var k in new[] { "HANDSHAKE", "APPLICATION", "ALERT", "CHANGE" })
                if (upper.Contains(k)) { kind = k; break; }
            int? count = FindCount(s, paren < 0 ? 0 : paren + 2) ?? FindCount(s, 0);
            var t = new TraceLine { Kind = TraceLineKind.DataHeader, Function = function, Direction = direction, DataKind = kind, Count = count };
            if (count == null) { t.Kind = TraceLineKind.Malformed; t.Message = "data header without a byte count"; }
            else if (direction == TraceDirection.Unknown) { t.Kind = TraceLineKind.Malformed; t.Message = "data header without a direction (SENDING/RECEIVED)"; }
            return t;
        }

        private static int? FindCount(string s, int from)
        {
            for (int i = from; i < s.Length; i++)
            {
                if (s[i] < '0' || s[i] > '9') continue;
                if (i > 0 && (char.IsLetterOrDigit(s[i - 1]))) continue;
                int e = i;
                while (e < s.Length && s[e] >= '0' && s[e] <= '9') e++;
                if (e < s.Length && char.IsLetter(s[e])) { i = e; continue; }
                if (e - i > 9) return null;
                return int.Parse(s.Substring(i, e - i), CultureInfo.InvariantCulture);
            }
            return null;
        }

        private static bool ContainsWord(string upper, string word)
        {
            int i = 0;
            while ((i = upper.IndexOf(word, i, StringComparison.Ordinal)) >= 0)
            {
                bool before = i == 0 || !char.IsLetter(upper[i - 1]);
                bool after = i + word.Length >= upper.Length || !char.IsLetter(upper[i + word.Length]);
                if (before && after) return true;
                i += word.Length;
            }
            return false;
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
