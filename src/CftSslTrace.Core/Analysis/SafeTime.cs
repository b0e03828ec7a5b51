using System;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// Time arithmetic that stays within DateTime's range: the times it is done on come from the wire, the log or the
    /// user (a certificate valid to 9999-12-31 23:59:59, RFC 5280's date for "no expiry"; a log line dated year 1;
    /// -AsOf 9999-12-31), where DateTime.AddDays throws. A sum beyond the range is its first or last time.
    /// </summary>
    internal static class SafeTime
    {
        /// <summary>The sum, or the first or last time DateTime holds.</summary>
        public static DateTime Add(DateTime t, TimeSpan span)
            => Next(t, span) ?? new DateTime(span.Ticks > 0 ? DateTime.MaxValue.Ticks : DateTime.MinValue.Ticks, t.Kind);

        public static DateTime AddDays(DateTime t, double days) => Add(t, Span(days * TimeSpan.TicksPerDay));

        public static DateTime AddSeconds(DateTime t, double seconds) => Add(t, Span(seconds * TimeSpan.TicksPerSecond));

        /// <summary>The sum, or null beyond the range (a loop over a time axis ends there).</summary>
        public static DateTime? Next(DateTime t, TimeSpan span)
        {
            long d = span.Ticks;
            if (d > 0 ? d > DateTime.MaxValue.Ticks - t.Ticks : d < DateTime.MinValue.Ticks - t.Ticks) return null;
            return t.AddTicks(d);
        }

        /// <summary>The time some months later, or null beyond the range.</summary>
        public static DateTime? NextMonths(DateTime t, int months)
        {
            long index = t.Year * 12L + t.Month - 1 + months;
            if (index < 12 || index > 9999 * 12L + 11) return null;
            return t.AddMonths(months);
        }

        private static TimeSpan Span(double ticks)
            => double.IsNaN(ticks) ? TimeSpan.Zero : ticks >= TimeSpan.MaxValue.Ticks ? TimeSpan.MaxValue : ticks <= TimeSpan.MinValue.Ticks ? TimeSpan.MinValue : new TimeSpan((long)ticks);
    }
}
