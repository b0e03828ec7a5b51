using System;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Reads a date and time anywhere in a line prefix: CFT's "YY/MM/DD HH:MM:SS[.f]", "YYYY-MM-DD hh:mm:ss[.fff]",
    /// "YYYY/MM/DD", ISO "T" separator, and "DD/MM/YYYY". Returns null when there is none. Every field is checked
    /// against its range (year 1-9999, a real day of the month, 23:59:59), so no prefix can make it throw.
    /// </summary>
    public static class TimestampParser
    {
        public static DateTime? Parse(string s)
        {
            var b = AsciiBytes.Latin1.GetBytes(s ?? string.Empty);
            return Parse(b, 0, b.Length, out _);
        }

        /// <summary>The first date in bytes [start, end); invalid is set when something looked like a date but was out of range.</summary>
        internal static DateTime? Parse(byte[] s, int start, int end, out bool invalid) => Parse(s, start, end, out invalid, out _, out _);

        /// <summary>
        /// As <see cref="Parse(byte[], int, int, out bool)"/>; timeStart and timeEnd are where "HH:MM[:SS[.f]]" lies (-1 when
        /// the date has no time), so that the next prefix, which usually differs only there, is read from there.
        /// </summary>
        internal static DateTime? Parse(byte[] s, int start, int end, out bool invalid, out int timeStart, out int timeEnd)
        {
            invalid = false;
            timeStart = timeEnd = -1;
            for (int i = start; i + 8 <= end; i++)
            {
                if (!IsDigit(s, i, end) || (i > start && IsDigit(s, i - 1, end))) continue;
                var t = TryAt(s, i, end, ref invalid, out timeStart, out timeEnd);
                if (t.HasValue) return t;
            }
            return null;
        }

        /// <summary>"HH:MM:SS[.f...]" exactly over [start, end): the time of day in ticks, or -1.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static long TimeOfDay(byte[] s, int start, int end)
        {
            if (end - start < 8 || s[start + 2] != ':' || s[start + 5] != ':') return -1;
            int hh = D2(s, start), mm = D2(s, start + 3), ss = D2(s, start + 6);
            if (hh < 0 || mm < 0 || ss < 0 || hh > 23 || mm > 59 || ss > 59) return -1;
            long ticks = ((hh * 60L + mm) * 60 + ss) * TimeSpan.TicksPerSecond;
            int p = start + 8;
            if (p == end) return ticks;
            if (s[p] != '.' && s[p] != ',') return -1;
            long scale = TimeSpan.TicksPerSecond;
            for (p++; p < end; p++)
            {
                int d = s[p] - '0';
                if (d < 0 || d > 9) return -1;
                scale /= 10;
                ticks += d * scale;
            }
            return ticks;
        }

        private static int D2(byte[] s, int i)
        {
            int a = s[i] - '0', b = s[i + 1] - '0';
            return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
        }

        private static DateTime? TryAt(byte[] s, int i, int end, ref bool invalid, out int timeStart, out int timeEnd)
        {
            timeStart = timeEnd = -1;
            int a = Digits(s, i, end, out int alen);
            if (alen != 2 && alen != 4) return null;
            int p = i + alen;
            if (p >= end || !IsDateSep(s[p])) return null;
            byte sep = s[p];
            int b = Digits(s, p + 1, end, out int blen);
            if (blen != 2) return null;
            p = p + 1 + blen;
            if (p >= end || s[p] != sep) return null;
            int c = Digits(s, p + 1, end, out int clen);
            if (clen != 2 && clen != 4) return null;
            p = p + 1 + clen;
            int year, month, day;
            if (alen == 4) { year = a; month = b; day = c; if (clen != 2) return null; }
            else if (clen == 4) { day = a; month = b; year = c; }
            else { year = 2000 + a; month = b; day = c; }
            if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) { invalid = true; return null; }
            var date = new DateTime(year, month, day);
            if (p >= end || (s[p] != ' ' && s[p] != 'T' && s[p] != '-' && s[p] != '_')) return date;
            while (p < end && (s[p] == ' ' || s[p] == 'T' || s[p] == '-' || s[p] == '_')) p++;
            int tod = p;
            int hh = Digits(s, p, end, out int hlen);
            if (hlen != 2 || p + 2 >= end || s[p + 2] != ':') return date;
            int mm = Digits(s, p + 3, end, out int mlen);
            if (mlen != 2) return date;
            p += 5;
            int ss = 0;
            long ticks = 0;
            if (p < end && s[p] == ':')
            {
                ss = Digits(s, p + 1, end, out int slen);
                if (slen != 2) return date;
                p += 3;
                if (p + 1 < end && (s[p] == '.' || s[p] == ',') && IsDigit(s, p + 1, end))
                {
                    p++;
                    long scale = TimeSpan.TicksPerSecond;
                    while (p < end && IsDigit(s, p, end)) { scale /= 10; ticks += (s[p] - '0') * scale; p++; }
                }
            }
            if (hh > 23 || mm > 59 || ss > 59) { invalid = true; return null; }
            timeStart = tod;
            timeEnd = p;
            return date.AddTicks(((hh * 60L + mm) * 60 + ss) * TimeSpan.TicksPerSecond + ticks);
        }

        private static bool IsDateSep(byte c) => c == '/' || c == '-' || c == '.';
        private static bool IsDigit(byte[] s, int i, int end) => i < end && s[i] >= '0' && s[i] <= '9';

        private static int Digits(byte[] s, int i, int end, out int length)
        {
            int v = 0;
            length = 0;
            while (i + length < end && IsDigit(s, i + length, end) && length < 9) { v = v * 10 + (s[i + length] - '0'); length++; }
            return v;
        }
    }
}
