using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CftSslTrace.Analysis;

namespace CftSslTrace.Pictures
{
    /// <summary>One session of a partner's history, as the chart places it.</summary>
    public sealed class PartnerPoint
    {
        public DateTime? Time { get; set; }
        public string Result { get; set; }
        public string SessionId { get; set; }
        public string Problem { get; set; }
        /// <summary>The anchor of the session's details in the report, when it has some.</summary>
        public string Anchor { get; set; }
        /// <summary>The sessions the point stands for (of one result, from <see cref="Time"/> to <see cref="LastTime"/>): 1 for a session.</summary>
        public int Count { get; set; } = 1;
        public DateTime? LastTime { get; set; }
    }

    /// <summary>
    /// A partner's sessions over time: established ones on the upper lane (green dots), failed ones on the lower lane
    /// (red crosses), incomplete ones between, and its changes (a certificate, an issuer, a version...) as numbered
    /// vertical lines. SVG, role="img", a title on every mark; sessions with details link to them.
    /// </summary>
    public static class PartnerChart
    {
        private const double Width = 820, Left = 100, Right = 800, Top = 40;
        private const double LaneOk = 58, LaneOpen = 80, LaneKo = 102, Bottom = 118;
        private const int MaxMarks = 800;

        /// <summary>Changes named in the title of one change line, and in the chart's description.</summary>
        public const int MaxTitleChanges = 5, MaxDescribedChanges = 20;

        /// <summary>Changes at about the same place: one line, one label.</summary>
        private sealed class Cluster
        {
            public double X;
            public int First, Last, Count;
            public readonly List<string> Texts = new List<string>();
            public readonly List<string> Aspects = new List<string>();
        }

        public static string Render(CftSslPartner partner, IReadOnlyList<PartnerPoint> points, string id)
        {
            if (partner == null) throw new ArgumentNullException(nameof(partner));
            id = Markup.Id(id);
            var timed = points.Where(p => p.Time.HasValue).ToList();
            var changes = partner.Changes.Where(c => c.Time.HasValue).ToList();
            var times = timed.Select(p => p.Time.Value).Concat(changes.Select(c => c.Time.Value)).ToList();
            // (sessions dated year 1 or 9999: the axis ends at DateTime's range)
            DateTime from = times.Count > 0 ? times.Min() : DateTime.Today, to = times.Count > 0 ? times.Max() : DateTime.Today.AddDays(1);
            if ((to - from).TotalMinutes < 60) { from = SafeTime.AddSeconds(from, -1800); to = SafeTime.AddSeconds(to, 1800); }
            double pad = (to - from).TotalSeconds * 0.04;
            from = SafeTime.AddSeconds(from, -pad); to = SafeTime.AddSeconds(to, pad);
            double X(DateTime t) => Left + (Right - Left) * (t - from).TotalSeconds / (to - from).TotalSeconds;

            string caption = partner.Partner + " (" + partner.Role + (partner.Computer != null ? " on " + partner.Computer : "") + "): " + partner.Established.ToString(CultureInfo.InvariantCulture)
                + " established, " + partner.Failed.ToString(CultureInfo.InvariantCulture) + " failed" + (partner.Incomplete > 0 ? ", " + partner.Incomplete.ToString(CultureInfo.InvariantCulture) + " incomplete" : "")
                + ", " + partner.Changes.Count.ToString(CultureInfo.InvariantCulture) + " change" + (partner.Changes.Count == 1 ? "" : "s");
            double height = Bottom + 26;
            var sb = new StringBuilder();
            sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart history\" role=\"img\" viewBox=\"0 0 ").Append(Markup.Num(Width)).Append(' ').Append(Markup.Num(height))
              .Append("\" width=\"").Append(Markup.Num(Width)).Append("\" height=\"").Append(Markup.Num(height)).Append("\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\" font-size=\"12\">\n");
            sb.Append("<title id=\"").Append(id).Append("-t\">").Append(Markup.Escape("History of " + caption)).Append("</title>\n");
            sb.Append("<text x=\"4\" y=\"16\" class=\"cap\">").Append(Markup.Escape(caption)).Append("</text>\n");
            ChainChart.Axis(sb, from, to, X, Top, Bottom);
            sb.Append("<text class=\"lane\" x=\"4\" y=\"").Append(Markup.Num(LaneOk + 4)).Append("\">established</text>");
            if (partner.Incomplete > 0) sb.Append("<text class=\"lane\" x=\"4\" y=\"").Append(Markup.Num(LaneOpen + 4)).Append("\">incomplete</text>");
            sb.Append("<text class=\"lane\" x=\"4\" y=\"").Append(Markup.Num(LaneKo + 4)).Append("\">failed</text>\n");
            // changes at about the same place share a line and a label: their numbers (the list under the chart says what they are)
            // (a partner whose aspects flap, many clients behind one server partner, has thousands: a title names the first
            // few of its line, the description the first ones of the chart; the counts say how many there are)
            int n = 0;
            var clusters = new List<Cluster>();
            foreach (var c in changes)
            {
                n++;
                double x = X(c.Time.Value);
                var k = clusters.Count > 0 && Math.Abs(clusters[clusters.Count - 1].X - x) < 8 ? clusters[clusters.Count - 1] : null;
                if (k == null) clusters.Add(k = new Cluster { X = x, First = n });
                k.Last = n;
                k.Count++;
                if (k.Texts.Count < MaxTitleChanges) k.Texts.Add("Change " + n.ToString(CultureInfo.InvariantCulture) + ", " + c);
                if (!k.Aspects.Contains(c.Aspect)) k.Aspects.Add(c.Aspect);
            }
            foreach (var k in clusters)
            {
                string numbers = k.Count > 2 ? k.First.ToString(CultureInfo.InvariantCulture) + "-" + k.Last.ToString(CultureInfo.InvariantCulture)
                    : k.Count == 2 ? k.First.ToString(CultureInfo.InvariantCulture) + "," + k.Last.ToString(CultureInfo.InvariantCulture) : k.First.ToString(CultureInfo.InvariantCulture);
                string title = string.Join("; ", k.Texts) + (k.Count > k.Texts.Count ? "; and " + (k.Count - k.Texts.Count).ToString(CultureInfo.InvariantCulture) + " more changes" : "");
                bool nearRight = k.X > Right - 60;
                sb.Append("<g class=\"change\" data-aspect=\"").Append(Markup.Escape(string.Join(" ", k.Aspects))).Append("\"><title>").Append(Markup.Escape(title)).Append("</title>")
                  .Append("<line x1=\"").Append(Markup.Num(k.X)).Append("\" y1=\"").Append(Markup.Num(Top - 6)).Append("\" x2=\"").Append(Markup.Num(k.X)).Append("\" y2=\"").Append(Markup.Num(Bottom)).Append("\"/>")
                  .Append("<text x=\"").Append(Markup.Num(nearRight ? k.X - 3 : k.X + 3)).Append("\" y=\"").Append(Markup.Num(Top - 8)).Append('"').Append(nearRight ? " text-anchor=\"end\"" : "").Append(">change ").Append(numbers).Append("</text></g>\n");
            }
            var desc = new StringBuilder(caption).Append(". ");
            string Minute(DateTime t) => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            string Many(int count, string result, DateTime from, DateTime to) => count.ToString(CultureInfo.InvariantCulture) + " sessions " + result + ", " + Minute(from) + " to " + Minute(to);
            var marks = timed.Select(p => (X: X(p.Time.Value), Cls: p.Result == "Established" ? "good" : p.Result == "Failed" ? "bad" : "warn", Result: p.Result,
                Label: p.Count > 1 ? Many(p.Count, p.Result, p.Time.Value, p.LastTime ?? p.Time.Value)
                    : p.Time.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + p.Result + (p.Problem != null && p.Result != "Established" ? ": " + p.Problem : "") + " (" + p.SessionId + ")",
                Anchor: p.Count > 1 ? null : p.Anchor, Count: p.Count, From: p.Time.Value, To: p.LastTime ?? p.Time.Value)).ToList();
            if (marks.Count > MaxMarks)
            {
                // a long history: one mark per two pixels and result, its title counting the sessions it stands for
                marks = marks.GroupBy(m => ((int)(m.X / 2), m.Cls)).Select(g => g.Count() == 1 ? g.First()
                    : (X: g.First().X, Cls: g.Key.Cls, Result: g.First().Result, Label: Many(g.Sum(m => m.Count), g.First().Result, g.Min(m => m.From), g.Max(m => m.To)), Anchor: (string)null,
                       Count: g.Sum(m => m.Count), From: g.Min(m => m.From), To: g.Max(m => m.To))).ToList();
            }
            foreach (var m in marks)
            {
                if (m.Anchor != null) sb.Append("<a href=\"#").Append(Markup.Id(m.Anchor)).Append("\">");
                sb.Append("<g class=\"pt ").Append(m.Cls).Append("\" data-result=\"").Append(Markup.Escape(m.Result)).Append("\"><title>").Append(Markup.Escape(m.Label)).Append("</title>");
                if (m.Cls == "good") sb.Append("<circle cx=\"").Append(Markup.Num(m.X)).Append("\" cy=\"").Append(Markup.Num(LaneOk)).Append("\" r=\"5\"/>");
                else if (m.Cls == "bad") sb.Append("<path d=\"M").Append(Markup.Num(m.X - 5)).Append(',').Append(Markup.Num(LaneKo - 5)).Append(" l10,10 m0,-10 l-10,10\"/>");
                else sb.Append("<rect x=\"").Append(Markup.Num(m.X - 4)).Append("\" y=\"").Append(Markup.Num(LaneOpen - 4)).Append("\" width=\"8\" height=\"8\"/>");
                sb.Append("</g>");
                if (m.Anchor != null) sb.Append("</a>");
                sb.Append('\n');
            }
            desc.Append(string.Join("; ", changes.Take(MaxDescribedChanges).Select((c, i) => "change " + (i + 1).ToString(CultureInfo.InvariantCulture) + ": " + c.ToString())));
            if (changes.Count > MaxDescribedChanges) desc.Append("; and ").Append((changes.Count - MaxDescribedChanges).ToString(CultureInfo.InvariantCulture)).Append(" more changes");
            sb.Append("<desc id=\"").Append(id).Append("-d\">").Append(Markup.Escape(desc.ToString())).Append("</desc>\n");
            sb.Append("</svg>");
            return sb.ToString();
        }
    }
}
