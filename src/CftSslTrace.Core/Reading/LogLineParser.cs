using System;
using System.Collections.Generic;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Turns physical lines into <see cref="LogLine"/>s: finds the CFTxnnS code after any prefix (node id,
    /// date and time in several layouts), reads the time from the prefix and rejoins "CFTxnnS+" continuation
    /// lines with the line they continue.
    /// </summary>
    public sealed class LogLineParser
    {
        private readonly string source;
        private string lastPrefix;
        private DateTime? lastTime;
        private LogLine pending;

        private const string TraceCode = "CFTY02Z";

        public LogLineParser(string source) { this.source = source; }

        /// <summary>Feeds one physical line; returns the logical lines now complete (zero or one, or two at a code change).</summary>
        public IEnumerable<LogLine> Feed(long number, string text)
        {
            text = text ?? string.Empty;
            int codeAt = FindCode(text);
            if (codeAt >= 0 && codeAt + 7 < text.Length && text[codeAt + 7] == '+' && pending != null && pending.Code == text.Substring(codeAt, 7))
            {
                pending.Body += text.Substring(codeAt + 8);
                pending.LastLineNumber = number;
                yield break;
            }
            var line = new LogLine { Source = source, LineNumber = number, LastLineNumber = number, Text = text };
            if (codeAt >= 0)
            {
                line.Code = string.CompareOrdinal(text, codeAt, TraceCode, 0, 7) == 0 ? TraceCode : text.Substring(codeAt, 7);
                int bodyAt = codeAt + 7;
                if (bodyAt < text.Length && text[bodyAt] == '+') bodyAt++; // orphan continuation: keep it as a line
                int end = text.Length;
                while (bodyAt < end && text[bodyAt] == ' ') bodyAt++;
                while (end > bodyAt && char.IsWhiteSpace(text[end - 1])) end--;
                line.Body = text.Substring(bodyAt, end - bodyAt);
                line.Time = ReadTime(text, codeAt);
            }
            else
            {
                line.Body = text.Trim();
            }
            var previous = pending;
            pending = line;
            if (previous != null) yield return previous;
        }

        /// <summary>The last logical line, held back until it is known not to continue.</summary>
        public LogLine Flush()
        {
            var p = pending;
            pending = null;
            return p;
        }

        /// <summary>Position of "CFTxnnS" (x letter, nn digits, S letter) or -1.</summary>
        public static int FindCode(string text)
        {
            int from = 0;
            while (true)
            {
                int i = text.IndexOf("CFT", from, StringComparison.Ordinal);
                if (i < 0 || i + 7 > text.Length) return -1;
                char x = text[i + 3], d1 = text[i + 4], d2 = text[i + 5], s = text[i + 6];
                if (IsUpper(x) && IsDigit(d1) && IsDigit(d2) && IsUpper(s) && (i == 0 || !IsLetterOrDigit(text[i - 1])))
                    return i;
                from = i + 1;
            }
        }

        private DateTime? ReadTime(string text, int codeAt)
        {
            if (codeAt == 0) return null;
            // Prefixes repeat from line to line: parse each distinct prefix once.
            if (lastPrefix != null && codeAt == lastPrefix.Length && string.CompareOrdinal(text, 0, lastPrefix, 0, codeAt) == 0)
                return lastTime;
            lastPrefix = text.Substring(0, codeAt);
            lastTime = TimestampParser.Parse(lastPrefix);
            return lastTime;
        }

        private static bool IsUpper(char c) => c >= 'A' && c <= 'Z';
        private static bool IsDigit(char c) => c >= '0' && c <= '9';
        private static bool IsLetterOrDigit(char c) => IsUpper(c) || IsDigit(c) || (c >= 'a' && c <= 'z');
    }
}
