using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CftSslTrace.Pictures
{
    /// <summary>
    /// The ladder as inline SVG (no script, no external font): times on the left, CFT's and the partner's lifelines, one
    /// arrow per step (class "arrow", data-kind message or record, a title with the full text and the log line), CFT's
    /// lines as notes on CFT's side, the application data as a band, the outcome under it. role="img" with a title and
    /// a text description of every step, for screen readers and for text search.
    /// </summary>
    public static class LadderSvg
    {
        private const double Width = 820, TimeX = 6, CftX = 92, PartnerX = 800, CharWidth = 7.3, LineHeight = 15;
        private static readonly string[] Tones = { "normal", "good", "bad", "warn", "muted" };
        private const string Font = "ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

        public static string Render(Ladder ladder, string id, bool explanation = true)
        {
            var svg = new StringBuilder(8192);
            Write(svg, ladder, id, explanation);
            return svg.ToString();
        }

        // the body and the description are written before the header that needs their height: kept per thread, so that a
        // report drawing thousands of ladders does not grow two builders for each (it made ~75 KB of garbage per ladder)
        [ThreadStatic] private static StringBuilder bodyPerThread, descPerThread;

        /// <summary>Appends the ladder's SVG element to <paramref name="svg"/> (what <see cref="Render"/> returns).</summary>
        public static void Write(StringBuilder svg, Ladder ladder, string id, bool explanation = true)
        {
            if (svg == null) throw new ArgumentNullException(nameof(svg));
            if (ladder == null) throw new ArgumentNullException(nameof(ladder));
            id = Markup.Id(id ?? "ladder");
            var body = Markup.Take(ref bodyPerThread, 4096);
            var desc = Markup.Take(ref descPerThread, 1024);
            try { Write(svg, body, desc, ladder, id, explanation); }
            finally
            {
                Markup.Keep(ref bodyPerThread, body);
                Markup.Keep(ref descPerThread, desc);
            }
        }

        private static void Write(StringBuilder svg, StringBuilder body, StringBuilder desc, Ladder ladder, string id, bool explanation)
        {
            double gapPx = PartnerX - CftX;
            int chars = (int)((gapPx - 24) / CharWidth);
            double y = 20;
            // header: the title and the two participants
            body.Append("<text x=\"").Append(Markup.Num(TimeX)).Append("\" y=\"").Append(Markup.Num(y)).Append("\" class=\"lt\">").Append(Markup.Escape(ladder.Title)).Append("</text>\n");
            y += 22;
            Participant(body, CftX, y, ladder.CftLabel, "cft");
            Participant(body, PartnerX, y, ladder.PartnerLabel, "partner");
            double top = y + 12;
            y = top + 6;
            string lastTime = null;
            foreach (var s in ladder.Steps)
            {
                string time = s.Time?.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                bool showTime = time != null && time != lastTime;
                if (time != null) lastTime = time;
                string where = s.Line > 0 ? " (" + (s.File != null ? System.IO.Path.GetFileName(s.File) + ":" : "line ") + s.Line.ToString(CultureInfo.InvariantCulture) + ")" : "";
                string tone = ToneClass(s.Tone);
                switch (s.Kind)
                {
                    case LadderStepKind.Message:
                    case LadderStepKind.Record:
                    {
                        var label = TextWrap.Lines(s.Label, chars);
                        double rowTop = y;
                        body.Append("<g class=\"arrow ").Append(tone).Append("\" data-kind=\"").Append(s.Kind == LadderStepKind.Message ? "message" : "record")
                            .Append("\" data-code=\"").Append(Markup.Escape(s.Code)).Append("\" data-from=\"").Append(s.FromCft ? "cft" : "partner").Append("\">")
                            .Append("<title>").Append(Markup.Escape((s.FromCft ? "CFT to partner: " : "partner to CFT: ") + s.Label + where)).Append("</title>");
                        foreach (var l in label)
                        {
                            y += LineHeight;
                            if (s.FromCft) Text(body, CftX + 10, y, l, "start", null);
                            else Text(body, PartnerX - 10, y, l, "end", null);
                        }
                        y += 6;
                        double x1 = s.FromCft ? CftX : PartnerX, x2 = s.FromCft ? PartnerX - 2 : CftX + 2;
                        body.Append("<line x1=\"").Append(Markup.Num(x1)).Append("\" y1=\"").Append(Markup.Num(y)).Append("\" x2=\"").Append(Markup.Num(x2)).Append("\" y2=\"").Append(Markup.Num(y))
                            .Append("\" marker-end=\"url(#").Append(id).Append("-head-").Append(tone).Append(")\"/>");
                        foreach (var d in s.Details)
                            foreach (var dl in TextWrap.Lines(d, chars - 4))
                            {
                                y += LineHeight - 2;
                                Text(body, CftX + 26, y, dl, "start", "ld");
                            }
                        body.Append("</g>\n");
                        if (showTime) Text(body, TimeX, rowTop + LineHeight, time, "start", "lm");
                        desc.Append(s.FromCft ? "CFT to partner: " : "Partner to CFT: ").Append(Markup.Escape(s.Label));
                        foreach (var d in s.Details) desc.Append("; ").Append(Markup.Escape(d));
                        desc.Append(". ");
                        y += 4;
                        break;
                    }
                    case LadderStepKind.Data:
                    {
                        var label = TextWrap.Lines(s.Label, chars - 4);
                        double h = label.Count * LineHeight + 8;
                        body.Append("<g class=\"data\" data-kind=\"data\"><title>").Append(Markup.Escape(s.Label)).Append("</title>")
                            .Append("<rect x=\"").Append(Markup.Num(CftX + 4)).Append("\" y=\"").Append(Markup.Num(y + 4)).Append("\" width=\"").Append(Markup.Num(gapPx - 8)).Append("\" height=\"").Append(Markup.Num(h)).Append("\" rx=\"3\"/>");
                        double ty = y + 4;
                        foreach (var l in label) { ty += LineHeight; Text(body, (CftX + PartnerX) / 2, ty - 2, l, "middle", null); }
                        body.Append("</g>\n");
                        if (showTime) Text(body, TimeX, y + 4 + LineHeight, time, "start", "lm");
                        desc.Append(Markup.Escape(s.Label)).Append(". ");
                        y += h + 8;
                        break;
                    }
                    default:
                    {
                        var label = TextWrap.Lines(s.Label, chars - 2);
                        double h = label.Count * LineHeight + 6;
                        body.Append("<g class=\"note ").Append(tone).Append("\" data-kind=\"").Append(s.Kind == LadderStepKind.Transfer ? "transfer" : "event").Append("\" data-code=\"").Append(Markup.Escape(s.Code)).Append("\">")
                            .Append("<title>").Append(Markup.Escape("CFT: " + s.Label + where)).Append("</title>")
                            .Append("<rect x=\"").Append(Markup.Num(CftX + 6)).Append("\" y=\"").Append(Markup.Num(y + 4)).Append("\" width=\"").Append(Markup.Num(Math.Min(gapPx - 40, label.Max(l => l.Length) * CharWidth + 14))).Append("\" height=\"").Append(Markup.Num(h)).Append("\" rx=\"3\"/>")
                            .Append("<circle cx=\"").Append(Markup.Num(CftX)).Append("\" cy=\"").Append(Markup.Num(y + 4 + h / 2)).Append("\" r=\"4\"/>");
                        double ty = y + 4;
                        foreach (var l in label) { ty += LineHeight; Text(body, CftX + 13, ty - 3, l, "start", null); }
                        body.Append("</g>\n");
                        if (showTime) Text(body, TimeX, y + 4 + LineHeight - 3, time, "start", "lm");
                        desc.Append("CFT: ").Append(Markup.Escape(s.Label)).Append(". ");
                        y += h + 8;
                        break;
                    }
                }
            }
            double bottom = y + 8;
            y = bottom + 6;
            string outcomeClass = ToneClass(ladder.OutcomeTone);
            if (ladder.Outcome != null)
            {
                body.Append("<g class=\"outcome ").Append(outcomeClass).Append("\">");
                foreach (var l in TextWrap.Lines(ladder.Outcome, (int)((Width - TimeX - 10) / CharWidth))) { y += LineHeight; Text(body, TimeX, y, l, "start", "lo"); }
                body.Append("</g>\n");
                desc.Append(Markup.Escape(ladder.Outcome)).Append(". ");
            }
            if (explanation && ladder.Explanation != null)
            {
                foreach (var l in TextWrap.Lines(ladder.Explanation, (int)((Width - TimeX - 10) / CharWidth))) { y += LineHeight; Text(body, TimeX, y, l, "start", "ld"); }
                desc.Append(Markup.Escape(ladder.Explanation));
            }
            double height = y + 12;

            svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ladder\" role=\"img\" viewBox=\"0 0 ").Append(Markup.Num(Width)).Append(' ').Append(Markup.Num(height))
                .Append("\" width=\"").Append(Markup.Num(Width)).Append("\" height=\"").Append(Markup.Num(height)).Append("\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\" data-arrows=\"")
                .Append(ladder.Arrows.ToString(CultureInfo.InvariantCulture)).Append("\" font-family=\"").Append(Markup.Escape(Font)).Append("\" font-size=\"12\">\n");
            svg.Append("<title id=\"").Append(id).Append("-t\">").Append(Markup.Escape("Handshake ladder of session " + ladder.Title)).Append("</title>\n");
            svg.Append("<desc id=\"").Append(id).Append("-d\">");
            Markup.Append(svg, desc);
            svg.Append("</desc>\n");
            svg.Append("<defs>");
            foreach (var t in Tones)
                svg.Append("<marker id=\"").Append(id).Append("-head-").Append(t).Append("\" class=\"head ").Append(t).Append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker>");
            svg.Append("</defs>\n");
            svg.Append("<line class=\"life\" x1=\"").Append(Markup.Num(CftX)).Append("\" y1=\"").Append(Markup.Num(top)).Append("\" x2=\"").Append(Markup.Num(CftX)).Append("\" y2=\"").Append(Markup.Num(bottom)).Append("\"/>");
            svg.Append("<line class=\"life\" x1=\"").Append(Markup.Num(PartnerX)).Append("\" y1=\"").Append(Markup.Num(top)).Append("\" x2=\"").Append(Markup.Num(PartnerX)).Append("\" y2=\"").Append(Markup.Num(bottom)).Append("\"/>\n");
            Markup.Append(svg, body);
            svg.Append("</svg>");
        }


        /// <summary>The ladder as a standalone SVG document (its styles inside, a white background): a file an image viewer, a browser or a wiki shows.</summary>
        public static string Document(Ladder ladder, string id = "ladder")
        {
            string svg = Render(ladder, id);
            int open = svg.IndexOf('>') + 1;
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svg.Substring(0, open) + "\n<style>" + Styles.Replace("svg.ladder ", "").Replace("svg.chart ", "") + "text { font-family: "
                + Font + "; font-size: 12px; }</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>" + svg.Substring(open);
        }

        private static void Participant(StringBuilder sb, double x, double y, string label, string cls)
        {
            string shown = label.Length > 30 ? label.Substring(0, 29) + "…" : label;
            double w = shown.Length * CharWidth + 16;
            double left = Math.Max(2, Math.Min(Width - w - 2, x - w / 2));
            sb.Append("<g class=\"participant ").Append(cls).Append("\"><title>").Append(Markup.Escape(label)).Append("</title><rect x=\"").Append(Markup.Num(left)).Append("\" y=\"").Append(Markup.Num(y - 16))
                .Append("\" width=\"").Append(Markup.Num(w)).Append("\" height=\"22\" rx=\"4\"/>");
            Text(sb, left + w / 2, y, shown, "middle", null);
            sb.Append("</g>\n");
        }

        private static void Text(StringBuilder sb, double x, double y, string text, string anchor, string cls)
        {
            sb.Append("<text x=\"").Append(Markup.Num(x)).Append("\" y=\"").Append(Markup.Num(y)).Append('"');
            if (anchor != "start") sb.Append(" text-anchor=\"").Append(anchor).Append('"');
            if (cls != null) sb.Append(" class=\"").Append(cls).Append('"');
            sb.Append('>').Append(Markup.Escape(text)).Append("</text>");
        }

        internal static string ToneClass(LadderTone tone)
        {
            switch (tone)
            {
                case LadderTone.Good: return "good";
                case LadderTone.Bad: return "bad";
                case LadderTone.Warning: return "warn";
                case LadderTone.Muted: return "muted";
                default: return "normal";
            }
        }

        /// <summary>The styles of the ladder (and of the other pictures), for the page that holds them.</summary>
        public const string Styles = @"
svg.ladder text, svg.chart text { fill: #1f2933; }
svg.ladder .lt { font-weight: bold; font-size: 13px; }
svg.ladder .lm { fill: #52606d; }
svg.ladder .ld { fill: #52606d; font-size: 11px; }
svg.ladder .lo { font-weight: bold; }
svg.ladder line.life { stroke: #9aa5b1; stroke-width: 2; }
svg.ladder .participant rect { fill: #e4e7eb; stroke: #9aa5b1; }
svg.ladder .arrow line { stroke: #3e4c59; stroke-width: 1.5; }
svg.ladder .arrow.muted line { stroke: #9aa5b1; stroke-dasharray: 4 3; }
svg.ladder .arrow.bad line { stroke: #c62828; stroke-width: 2; }
svg.ladder .arrow.good line { stroke: #2e7d32; }
svg.ladder .arrow.warn line { stroke: #e65100; }
svg.ladder .arrow.bad text, svg.ladder .outcome.bad text, svg.ladder .note.bad text { fill: #b71c1c; }
svg.ladder .arrow.warn text, svg.ladder .outcome.warn text { fill: #bf360c; }
svg.ladder .outcome.good text, svg.ladder .note.good text { fill: #1b5e20; }
svg.ladder .arrow.muted text { fill: #616e7c; }
svg.ladder marker path { fill: #3e4c59; }
svg.ladder marker.muted path { fill: #9aa5b1; }
svg.ladder marker.bad path { fill: #c62828; }
svg.ladder marker.good path { fill: #2e7d32; }
svg.ladder marker.warn path { fill: #e65100; }
svg.ladder .note rect { fill: #f5f7fa; stroke: #cbd2d9; }
svg.ladder .note.bad rect { fill: #ffebee; stroke: #e57373; }
svg.ladder .note.good rect { fill: #e8f5e9; stroke: #81c784; }
svg.ladder .note.warn rect { fill: #fff3e0; stroke: #ffb74d; }
svg.ladder .note circle { fill: #52606d; }
svg.ladder .note.bad circle { fill: #c62828; }
svg.ladder .data rect { fill: #f0f4f8; stroke: #9aa5b1; stroke-dasharray: 3 3; }
svg.ladder .data text { fill: #52606d; font-style: italic; }
";
    }
}
