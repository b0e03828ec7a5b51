using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace CftSslTrace.Pictures
{
    /// <summary>
    /// The ladder as lines of text of a given width: times on the left, CFT's lifeline, the partner's lifeline on the
    /// right edge, one arrow per step with its label on it (wrapped under it when long), CFT's lines on CFT's side.
    /// Unicode box drawing, or ASCII only; ANSI colours on request (labels only, so the layout never moves).
    /// </summary>
    public static class LadderText
    {
        private sealed class Glyphs
        {
            public char Life, Dash, Right, Left, Top, Bottom, Event;
            public string Good, Bad, Warn, Data;
        }

        private static readonly Glyphs Unicode = new Glyphs { Life = '│', Dash = '─', Right = '▶', Left = '◀', Top = '┬', Bottom = '┴', Event = '├', Good = "✔", Bad = "✖", Warn = "▲", Data = "⇅" };
        private static readonly Glyphs Ascii = new Glyphs { Life = '|', Dash = '-', Right = '>', Left = '<', Top = '+', Bottom = '+', Event = '+', Good = "+", Bad = "X", Warn = "!", Data = "~" };

        public const int MinimumWidth = 40;

        public static IEnumerable<string> Render(Ladder ladder, int width = 80, bool ascii = false, bool color = false)
        {
            if (ladder == null) throw new ArgumentNullException(nameof(ladder));
            if (width < MinimumWidth) width = MinimumWidth;
            var g = ascii ? Ascii : Unicode;
            var lines = new List<string>();
            bool millis = ladder.Steps.Any(s => s.Time.HasValue && s.Time.Value.Millisecond != 0);
            int timeWidth = millis ? 12 : 8;
            int tcol = timeWidth + 1;
            int body = width - tcol;
            int gap = body - 2;
            string blankTime = new string(' ', tcol);

            foreach (var l in TextWrap.Lines(ascii ? ToAscii(ladder.Title) : ladder.Title, width)) lines.Add(Paint(l, "1", color));
            string cft = ascii ? ToAscii(ladder.CftLabel) : ladder.CftLabel;
            string partner = ascii ? ToAscii(ladder.PartnerLabel) : ladder.PartnerLabel;
            if (cft.Length + 1 + partner.Length <= body) lines.Add(blankTime + cft + new string(' ', body - cft.Length - partner.Length) + partner);
            else
            {
                lines.Add(blankTime + Cut(cft, body));
                string p = Cut(partner, body);
                lines.Add(blankTime + new string(' ', body - p.Length) + p);
            }
            lines.Add(blankTime + g.Top + new string(' ', gap) + g.Top);

            string lastTime = null;
            foreach (var step in ladder.Steps)
            {
                string time = step.Time.HasValue ? step.Time.Value.ToString(millis ? "HH:mm:ss.fff" : "HH:mm:ss", CultureInfo.InvariantCulture) : null;
                string timeCell = time != null && time != lastTime ? TextWrap.Pad(time, timeWidth) + " " : blankTime;
                if (time != null) lastTime = time;
                string label = ascii ? ToAscii(step.Label) : step.Label;
                string code = ToneCode(step.Tone);
                switch (step.Kind)
                {
                    case LadderStepKind.Message:
                    case LadderStepKind.Record:
                    {
                        int room = gap - 4; // "─ " label " " and at least "─▶" / "◀─" ... " ─"
                        var parts = TextWrap.Lines(label, room - 1);
                        string first = parts[0];
                        int dashes = gap - first.Length - 4;
                        string row = step.FromCft
                            ? g.Life + (g.Dash + " ") + Paint(first, code, color) + " " + TextWrap.Repeat(g.Dash, dashes) + g.Right + g.Life
                            : g.Life + (g.Left + TextWrap.Repeat(g.Dash, dashes) + " ") + Paint(first, code, color) + (" " + g.Dash) + g.Life;
                        lines.Add(timeCell + row);
                        foreach (var more in parts.Skip(1)) lines.Add(blankTime + Inside(g, step.FromCft ? "  " + more : more, gap, code, color, !step.FromCft));
                        foreach (var d in step.Details)
                            foreach (var dl in TextWrap.Lines(ascii ? ToAscii(d) : d, gap - 4))
                                lines.Add(blankTime + Inside(g, "    " + dl, gap, "90", color, false));
                        break;
                    }
                    case LadderStepKind.Data:
                    {
                        var parts = TextWrap.Lines(g.Data + " " + label, gap - 4);
                        bool firstLine = true;
                        foreach (var p in parts)
                        {
                            lines.Add((firstLine ? timeCell : blankTime) + Inside(g, "  " + p, gap, code, color, false));
                            firstLine = false;
                        }
                        break;
                    }
                    default:
                    {
                        string marker = step.Tone == LadderTone.Bad ? g.Bad : step.Tone == LadderTone.Good ? g.Good : step.Tone == LadderTone.Warning ? g.Warn : g.Event.ToString();
                        var parts = TextWrap.Lines(label, gap - 1);
                        for (int i = 0; i < parts.Count; i++)
                        {
                            string lead = i == 0 ? marker : g.Life.ToString();
                            string text = (i == 0 ? " " : "   ") + parts[i];
                            if (text.Length > gap) text = text.Substring(0, gap);
                            lines.Add((i == 0 ? timeCell : blankTime) + Paint(lead, code, color) + Paint(text, code, color) + new string(' ', gap - text.Length) + g.Life);
                        }
                        break;
                    }
                }
            }
            lines.Add(blankTime + g.Bottom + new string(' ', gap) + g.Bottom);
            if (ladder.Outcome != null)
            {
                string mark = ladder.OutcomeTone == LadderTone.Good ? g.Good : ladder.OutcomeTone == LadderTone.Bad ? g.Bad : g.Warn;
                var parts = TextWrap.Lines(ascii ? ToAscii(ladder.Outcome) : ladder.Outcome, width - tcol - 2);
                for (int i = 0; i < parts.Count; i++)
                    lines.Add(blankTime + (i == 0 ? Paint(mark, ToneCode(ladder.OutcomeTone), color) + " " : "  ") + Paint(parts[i], ToneCode(ladder.OutcomeTone), color));
            }
            if (ladder.Explanation != null)
                foreach (var p in TextWrap.Lines(ascii ? ToAscii(ladder.Explanation) : ladder.Explanation, width - tcol - 2))
                    lines.Add(blankTime + "  " + p);
            return lines;
        }

        /// <summary>A line between the two lifelines: text padded (or right-aligned) to the gap.</summary>
        private static string Inside(Glyphs g, string text, int gap, string code, bool color, bool right)
        {
            if (text.Length > gap) text = text.Substring(0, gap);
            int pad = gap - text.Length;
            return right
                ? g.Life + new string(' ', Math.Max(0, pad - 2)) + Paint(text, code, color) + new string(' ', Math.Min(2, pad)) + g.Life
                : g.Life + Paint(text, code, color) + new string(' ', pad) + g.Life;
        }

        private static string ToneCode(LadderTone tone)
        {
            switch (tone)
            {
                case LadderTone.Bad: return "31";
                case LadderTone.Good: return "32";
                case LadderTone.Warning: return "33";
                case LadderTone.Muted: return "90";
                default: return null;
            }
        }

        private static string Paint(string text, string code, bool color) => color && code != null && text.Length > 0 ? "\u001b[" + code + "m" + text + "\u001b[0m" : text;

        private static string Cut(string text, int width) => text.Length <= width ? text : text.Substring(0, Math.Max(0, width - 3)) + "...";

        /// <summary>Text for a console without Unicode: letters without their accents, other characters as '?'.</summary>
        internal static string ToAscii(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            bool plain = true;
            foreach (char c in text) if (c > 0x7E) { plain = false; break; }
            if (plain) return text;
            var sb = new StringBuilder(text.Length);
            foreach (char c in text.Normalize(NormalizationForm.FormD))
            {
                if (c <= 0x7E) sb.Append(c);
                else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                else if (char.IsLowSurrogate(c)) continue;
                else sb.Append('?');
            }
            return sb.ToString();
        }
    }
}
