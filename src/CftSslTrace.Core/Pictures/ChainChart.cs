using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CftSslTrace.Analysis;
using CftSslTrace.X509;

namespace CftSslTrace.Pictures
{
    /// <summary>
    /// A certificate chain drawn against time: one bar per certificate from its notBefore to its notAfter, green where
    /// it covers the session's time and red where it does not (expired, not yet valid), the session's time as a
    /// vertical line. SVG, role="img", each bar with a title (subject, issuer, dates, thumbprint).
    /// </summary>
    public static class ChainChart
    {
        private const double Width = 820, LabelWidth = 300, Right = 800, RowHeight = 24, Top = 34;
        /// <summary>How far the time axis reaches either side of the session (or of the first certificate), in years.</summary>
        internal const int HorizonYears = 30;

        public static string Render(string caption, IReadOnlyList<CertificateInfo> chain, DateTime? at, string id)
        {
            if (chain == null || chain.Count == 0) return "";
            var sb = new StringBuilder(4096);
            Write(sb, caption, chain, at, id);
            return sb.ToString();
        }

        [ThreadStatic] private static StringBuilder descPerThread;

        /// <summary>Appends the chart's SVG element to <paramref name="sb"/> (what <see cref="Render"/> returns; nothing for no chain).</summary>
        public static void Write(StringBuilder sb, string caption, IReadOnlyList<CertificateInfo> chain, DateTime? at, string id)
        {
            if (sb == null) throw new ArgumentNullException(nameof(sb));
            if (chain == null || chain.Count == 0) return;
            id = Markup.Id(id);
            var dated = chain.Where(c => c.NotBefore.HasValue && c.NotAfter.HasValue).ToList();
            // the axis covers the chain's validity and the session's time, but at most HorizonYears either side of the session
            // (or of the first certificate): a certificate valid for ever (notAfter 99991231235959Z, RFC 5280) would squash
            // the others into a pixel; a bar cut by an edge says where it ends
            DateTime anchor = at ?? (dated.Count > 0 ? dated.Min(c => c.NotBefore.Value) : DateTime.UtcNow);
            DateTime from = dated.Count > 0 ? dated.Min(c => c.NotBefore.Value) : SafeTime.AddDays(anchor, -365);
            DateTime to = dated.Count > 0 ? dated.Max(c => c.NotAfter.Value) : SafeTime.AddDays(anchor, 365);
            DateTime earliest = SafeTime.AddDays(anchor, -HorizonYears * 365.25), latest = SafeTime.AddDays(anchor, HorizonYears * 365.25);
            if (from < earliest) from = earliest;
            if (to > latest) to = latest;
            if (at.HasValue) { if (at < from) from = at.Value; if (at > to) to = at.Value; }
            if (to <= from) to = SafeTime.AddDays(from, 1);
            DateTime axisFrom = from, axisTo = to; // what the bars are cut to
            double span = Math.Max(1, (to - from).TotalDays);
            // (sessions dated year 1 or 9999: the axis ends at DateTime's range)
            from = SafeTime.AddDays(from, -span * 0.03); to = SafeTime.AddDays(to, span * 0.03);
            double X(DateTime t) => LabelWidth + (Right - LabelWidth) * (t - from).TotalDays / (to - from).TotalDays;

            double height = Top + chain.Count * RowHeight + 28;
            var desc = Markup.Take(ref descPerThread, 1024); // the description is written after the bars it describes
            sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chain\" role=\"img\" viewBox=\"0 0 ").Append(Markup.Num(Width)).Append(' ').Append(Markup.Num(height))
              .Append("\" width=\"").Append(Markup.Num(Width)).Append("\" height=\"").Append(Markup.Num(height)).Append("\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\" font-size=\"12\">\n");
            sb.Append("<title id=\"").Append(id).Append("-t\">").Append(Markup.Escape(caption)).Append("</title>\n");
            sb.Append("<text x=\"4\" y=\"16\" class=\"cap\">").Append(Markup.Escape(caption)).Append("</text>\n");
            Axis(sb, from, to, X, Top - 6, height - 22);
            for (int i = 0; i < chain.Count; i++)
            {
                var c = chain[i];
                double y = Top + i * RowHeight;
                bool valid = !at.HasValue || (c.NotBefore.HasValue && c.NotAfter.HasValue && c.NotBefore <= at && at <= c.NotAfter);
                string state = !c.NotBefore.HasValue || !c.NotAfter.HasValue ? "unknown" : !at.HasValue ? "valid" : at > c.NotAfter ? "expired" : at < c.NotBefore ? "not yet valid" : "valid";
                string name = (i == 0 ? "" : new string(' ', Math.Min(i, 3))) + Analysis.CertificateFacts.Short(c.Subject ?? "(no subject)");
                if (name.Length > 44) name = name.Substring(0, 43) + "…";
                string dates = D(c.NotBefore) + " to " + D(c.NotAfter);
                string full = (c.Subject ?? "(no subject)") + ", issued by " + (c.Issuer ?? "?") + ", valid " + dates + " (" + state + " at the session's time)"
                    + (c.Thumbprint != null ? ", SHA-1 " + c.Thumbprint : "");
                sb.Append("<g class=\"cert ").Append(valid ? "good" : "bad").Append("\" data-state=\"").Append(Markup.Escape(state)).Append("\"><title>").Append(Markup.Escape(full)).Append("</title>");
                sb.Append("<text x=\"4\" y=\"").Append(Markup.Num(y + 15)).Append("\">").Append(Markup.Escape(name)).Append("</text>");
                if (c.NotBefore.HasValue && c.NotAfter.HasValue)
                {
                    DateTime nb = c.NotBefore.Value, na = c.NotAfter.Value;
                    bool cutLeft = nb < axisFrom, cutRight = na > axisTo;
                    double x1 = X(cutLeft ? axisFrom : nb > axisTo ? axisTo : nb);
                    double x2 = Math.Max(x1 + 3, X(cutRight ? axisTo : na < axisFrom ? axisFrom : na)); // a certificate of a day stays visible
                    sb.Append("<rect x=\"").Append(Markup.Num(x1)).Append("\" y=\"").Append(Markup.Num(y + 4)).Append("\" width=\"").Append(Markup.Num(x2 - x1)).Append("\" height=\"14\" rx=\"2\"/>");
                    if (cutLeft && x2 - x1 > 90)
                        sb.Append("<text class=\"edge\" x=\"").Append(Markup.Num(x1 + 4)).Append("\" y=\"").Append(Markup.Num(y + 15)).Append("\">&#8592; from ").Append(D(nb)).Append("</text>");
                    if (cutRight && x2 - x1 > (cutLeft ? 180 : 90))
                        sb.Append("<text class=\"edge\" x=\"").Append(Markup.Num(x2 - 4)).Append("\" y=\"").Append(Markup.Num(y + 15)).Append("\" text-anchor=\"end\">to ").Append(D(na)).Append(" &#8594;</text>");
                }
                sb.Append("</g>\n");
                desc.Append(Markup.Escape(full)).Append(". ");
            }
            if (at.HasValue)
            {
                double x = X(at.Value);
                sb.Append("<g class=\"now\"><line x1=\"").Append(Markup.Num(x)).Append("\" y1=\"").Append(Markup.Num(Top - 4)).Append("\" x2=\"").Append(Markup.Num(x)).Append("\" y2=\"").Append(Markup.Num(Top + chain.Count * RowHeight))
                  .Append("\"/><text x=\"").Append(Markup.Num(Math.Min(x + 4, Right - 140))).Append("\" y=\"").Append(Markup.Num(Top - 8)).Append("\">session ").Append(Markup.Escape(at.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append("</text></g>\n");
            }
            sb.Append("<desc id=\"").Append(id).Append("-d\">");
            Markup.Append(sb, desc);
            sb.Append("</desc>\n");
            sb.Append("</svg>");
            Markup.Keep(ref descPerThread, desc);
        }

        /// <summary>Ticks along the time axis: years, months, days or hours, whichever gives a handful.</summary>
        internal static void Axis(StringBuilder sb, DateTime from, DateTime to, Func<DateTime, double> x, double top, double bottom)
        {
            sb.Append("<g class=\"axis\">");
            foreach (var (t, label) in Ticks(from, to))
            {
                double px = x(t);
                sb.Append("<line x1=\"").Append(Markup.Num(px)).Append("\" y1=\"").Append(Markup.Num(top)).Append("\" x2=\"").Append(Markup.Num(px)).Append("\" y2=\"").Append(Markup.Num(bottom)).Append("\"/>");
                sb.Append("<text x=\"").Append(Markup.Num(px)).Append("\" y=\"").Append(Markup.Num(bottom + 14)).Append("\" text-anchor=\"middle\">").Append(Markup.Escape(label)).Append("</text>");
            }
            sb.Append("</g>\n");
        }

        internal static IEnumerable<(DateTime, string)> Ticks(DateTime from, DateTime to)
        {
            double days = (to - from).TotalDays;
            var ticks = new List<(DateTime, string)>();
            if (days > 365 * 3)
            {
                int step = Math.Max(1, (int)Math.Ceiling(days / 365 / 8));
                for (int y = from.Year + 1; y <= to.Year; y += step) ticks.Add((new DateTime(y, 1, 1), y.ToString(CultureInfo.InvariantCulture)));
            }
            else if (days > 60)
            {
                int step = Math.Max(1, (int)Math.Ceiling(days / 30 / 8));
                for (var m = SafeTime.NextMonths(new DateTime(from.Year, from.Month, 1), 1); m.HasValue && m.Value <= to; m = SafeTime.NextMonths(m.Value, step))
                    ticks.Add((m.Value, m.Value.ToString("yyyy-MM", CultureInfo.InvariantCulture)));
            }
            else if (days > 2)
            {
                int step = Math.Max(1, (int)Math.Ceiling(days / 8));
                for (var d = SafeTime.Next(from.Date, TimeSpan.FromDays(1)); d.HasValue && d.Value <= to; d = SafeTime.Next(d.Value, TimeSpan.FromDays(step)))
                    ticks.Add((d.Value, d.Value.ToString("MM-dd", CultureInfo.InvariantCulture)));
            }
            else
            {
                double hours = Math.Max(1, (to - from).TotalHours);
                int step = hours <= 8 ? 1 : hours <= 16 ? 2 : hours <= 24 ? 3 : 6;
                for (var h = SafeTime.Next(new DateTime(from.Year, from.Month, from.Day, from.Hour, 0, 0), TimeSpan.FromHours(1)); h.HasValue && h.Value <= to; h = SafeTime.Next(h.Value, TimeSpan.FromHours(step)))
                    ticks.Add((h.Value, h.Value.ToString(h.Value.Hour == 0 ? "MM-dd" : "HH:00", CultureInfo.InvariantCulture)));
            }
            return ticks;
        }

        private static string D(DateTime? t) => t?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "?";

        public const string Styles = @"
svg.chart .cap { font-weight: bold; }
svg.chart .axis line { stroke: #e4e7eb; }
svg.chart .axis text { fill: #7b8794; font-size: 10px; }
svg.chart .cert.good rect { fill: #66bb6a; }
svg.chart .cert.bad rect { fill: #e53935; }
svg.chart .cert .edge { fill: #fff; font-size: 10px; }
svg.chart .now line { stroke: #1f2933; stroke-width: 2; stroke-dasharray: 4 2; }
svg.chart .pt.good circle { fill: #2e7d32; }
svg.chart .pt.bad path { stroke: #c62828; stroke-width: 2.5; }
svg.chart .pt.warn rect { fill: #ef6c00; }
svg.chart .change line { stroke: #6a1b9a; stroke-width: 1.5; stroke-dasharray: 3 3; }
svg.chart .change text { fill: #6a1b9a; font-size: 10px; }
svg.chart .lane { fill: #52606d; }
";
    }
}
