using System;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Reads a date and time anywhere in a line prefix: CFT's "YY/MM/DD HH:MM:SS[.f]", "YYYY-MM-DD hh:mm:ss[.fff]",
    /// "YYYY/MM/DD", ISO "T" separator, and "DD/MM/YYYY". Returns null when there is none.
    /// </summary>
    public static class TimestampParser
    {
        public static DateTime? Parse(string s)
        {
            for (int i = 0; i + 8 <= s.Length; i++)
            {
                if (!IsDigit(s, i) || (i > 0 && IsDigit(s, i - 1))) continue;
                var t = TryAt(s, i);
                if (t.HasValue) return t;
            }
            return null;
        }

        private static DateTime? TryAt(string s, int i)
        {
            int a = Digits(s, i, out int alen);
            if (alen != 2 && alen != 4) return null;
            int p = i + alen;
            if (p >= s.Length || !IsDateSep(s[p])) return null;
            char sep = s[p];
            int b = Digits(s, p + 1, out int blen);
            if (blen != 2) return null;
            p = p + 1 + blen;
            if (p >= s.Length || s[p] != sep) return null;
            int c = Digits(s, p + 1, out int clen);
            if (clen != 2 && clen != 4) return null;
            p = p + 1 + clen;
            int year, month, day;
            if (alen == 4) { year = a; month = b; day = c; if (clen != 2) return null; }
            else if (clen == 4) { day = a; month = b; year = c; }
            else { year = 2000 + a; month = b; day = c; }
            if (month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year < 1 ? 1 : year, month)) return null;
            // time
            if (p >= s.Length || (s[p] != ' ' && s[p] != 'T' && s[p] != '-' && s[p] != '_')) return new DateTime(year, month, day);
            while (p < s.Length && (s[p] == ' ' || s[p] == 'T' || s[p] == '-' || s[p] == '_')) p++;
            int hh = Digits(s, p, out int hlen);
            if (hlen != 2 || p + 2 >= s.Length || s[p + 2] != ':') return new DateTime(year, month, day);
            int mm = Digits(s, p + 3, out int mlen);
            if (mlen != 2) return new DateTime(year, month, day);
            p += 5;
            int ss = 0; long ticks = 0;
            if (p < s.Length && s[p] == ':')
            {
                ss = Digits(s, p + 1, out int slen);
                if (slen != 2) return new DateTime(year, month, day);
                p += 3;
                if (p + 1 < s.Length && (s[p] == '.' || s[p] == ',') && IsDigit(s, p + 1))
                {
                    p++;
                    long scale = TimeSpan.TicksPerSecond;
                    while (p < s.Length && IsDigit(s, p)) { scale /= 10; ticks += (s[p] - '0') * scale; p++; }
                }
            }
            if (hh > 23 || mm > 59 || ss > 59) return null;
            return new DateTime(year, month, day, hh, mm, ss).AddTicks(ticks);
        }

        private static bool IsDateSep(char c) => c == '/' || c == '-' || c == '.';
        private static bool IsDigit(string s, int i) => i < s.Length && s[i] >= '0' && s[i] <= '9';

        private static int Digits(string s, int i, out int length)
        {
            int v = 0; length = 0;
            while (i + length < s.Length && IsDigit(s, i + length) && length < 9) { v = v * 10 + (s[i + length] - '0'); length++; }
            return v;
        }
    }
}
