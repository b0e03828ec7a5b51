using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CftSslTrace.Pictures
{
    /// <summary>
    /// The ladder as a Mermaid sequenceDiagram (wikis, Markdown viewers, ticket systems render it): CFT and the partner as
    /// participants, one message per arrow (a fatal alert as a cross), CFT's lines as notes on CFT's side, the outcome
    /// as a note over both. Text is entity-escaped (#59; for ';', #60; for '&lt;'...), so a subject cannot end a statement
    /// or inject markup.
    /// </summary>
    public static class LadderMermaid
    {
        public static IEnumerable<string> Render(Ladder ladder)
        {
            if (ladder == null) throw new ArgumentNullException(nameof(ladder));
            var lines = new List<string>
            {
                "---",
                "title: " + Escape(ladder.Title),
                "---",
                "sequenceDiagram",
                "    participant CFT as " + Escape(ladder.CftLabel),
                "    participant P as " + Escape(ladder.PartnerLabel),
            };
            string lastTime = null;
            foreach (var s in ladder.Steps)
            {
                string time = s.Time?.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                string stamp = time != null && time != lastTime ? time + " " : "";
                if (time != null) lastTime = time;
                var text = new StringBuilder(Escape(stamp + s.Label));
                foreach (var d in s.Details) text.Append("<br/>").Append(Escape(d));
                switch (s.Kind)
                {
                    case LadderStepKind.Message:
                    case LadderStepKind.Record:
                        string arrow = s.Tone == LadderTone.Bad && s.Code == "Alert" ? "-x" : s.Tone == LadderTone.Muted ? "-->>" : "->>";
                        lines.Add("    " + (s.FromCft ? "CFT" + arrow + "P" : "P" + arrow + "CFT") + ": " + text);
                        break;
                    case LadderStepKind.Data:
                        lines.Add("    Note over CFT,P: " + text);
                        break;
                    default:
                        lines.Add("    Note left of CFT: " + text);
                        break;
                }
            }
            if (ladder.Outcome != null)
                lines.Add("    Note over CFT,P: " + Escape(ladder.Outcome) + (ladder.Explanation != null ? "<br/>" + Escape(ladder.Explanation) : ""));
            return lines;
        }

        /// <summary>Mermaid entity codes for every character that means something to Mermaid or to the HTML it makes.</summary>
        public static string Escape(string text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var sb = new StringBuilder(text.Length + 16);
            foreach (char c in text)
            {
                switch (c)
                {
                    case ';': case '#': case '<': case '>': case '&': case '"': case '\'': case '`': case '{': case '}': case '%': case '\\': case '|': case '[': case ']':
                        sb.Append('#').Append(((int)c).ToString(CultureInfo.InvariantCulture)).Append(';');
                        break;
                    case '\r': case '\n': sb.Append(' '); break;
                    default: sb.Append(c); break;
                }
            }
            return sb.ToString();
        }
    }
}
