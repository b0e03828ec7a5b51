using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Xml;
using CftSslTrace.Analysis;
using CftSslTrace.Pictures;
using CftSslTrace.Reports;
using CftSslTrace.Sessions;

namespace CftSslTrace.Fuzz
{
    /// <summary>
    /// What is built on the sessions of a fuzz input, with the rules each promises: the ladder (Show-CftSslSession) as
    /// text (every line within its width, the coloured lines the plain ones plus colour codes, ASCII only when asked),
    /// as Mermaid (a statement per line, nothing from the wire that ends one) and as SVG (well-formed XML); the
    /// certificate chains' charts (well-formed XML); each session's facts, read from it and from its properties as a
    /// copy from another computer would be (the same facts); the partners' history (Get-CftSslPartner) and the
    /// comparisons (Compare-CftSslSession); the HTML report (Export-CftSslReport) with a section for every session: only
    /// the report's own elements and attributes, every '&amp;' an entity, its script and styles its own, every inline
    /// SVG well-formed XML. Text from the wire (subjects, SNI, partner names, CFT lines) must stay data in each.
    /// </summary>
    public static class AnswersTarget
    {
        private static readonly DateTime AsOf = new DateTime(2026, 12, 1);

        public static void Run(List<CftSslSession> sessions, ObjectWalker walker)
        {
            var facts = new List<SessionFacts>();
            var history = new PartnerHistoryBuilder();
            foreach (var s in sessions)
            {
                Ladders(s);
                Charts(s);
                var f = SessionFacts.Of(s);
                var copy = SessionFacts.FromProperties(Property, Items, s, null);
                string a = FactsText(f), b = FactsText(copy);
                if (a != b) throw new FuzzFinding("a session's facts and those of its copy differ (" + s.SessionId + "):\n" + FuzzTarget.FirstDifference(a, b));
                facts.Add(f);
                history.Add(f, s);
            }
            foreach (var p in history.Partners()) walker.Walk(p);
            foreach (var d in SessionComparer.CompareFailures(facts, includeEqual: true)) walker.Walk(d);
            for (int i = 1; i < facts.Count && i < 8; i++)
                foreach (var d in SessionComparer.Compare(facts[0], facts[i], includeEqual: true)) walker.Walk(d);
            Report(sessions);
        }

        // --- the ladder ------------------------------------------------------------------------------------

        private static void Ladders(CftSslSession s)
        {
            var ladder = Ladder.Of(s);
            foreach (int width in new[] { LadderText.MinimumWidth, 80, 133 })
                foreach (bool ascii in new[] { false, true })
                {
                    var plain = LadderText.Render(ladder, width, ascii).ToList();
                    var colored = LadderText.Render(ladder, width, ascii, color: true).ToList();
                    if (plain.Count != colored.Count) throw new FuzzFinding("the coloured ladder has " + colored.Count + " lines, the plain one " + plain.Count);
                    for (int i = 0; i < plain.Count; i++)
                    {
                        string line = plain[i];
                        if (line.IndexOf('\n') >= 0 || line.IndexOf('\r') >= 0) throw new FuzzFinding("a ladder line holds a line break: " + Show(line));
                        if (line.Length > width) throw new FuzzFinding("a ladder line of " + line.Length + " characters at width " + width + ": " + Show(line));
                        if (line.Any(c => c < ' ' || c == '\x7F' || (ascii && c > '~'))) throw new FuzzFinding("a ladder line holds " + (ascii ? "a character that is not printable ASCII" : "a control character") + ": " + Show(line));
                        if (WithoutColour(colored[i]) != line) throw new FuzzFinding("a coloured ladder line is not the plain one with colours:\n  " + Show(line) + "\n  " + Show(colored[i]));
                    }
                }
            foreach (var line in LadderMermaid.Render(ladder))
            {
                if (line.IndexOf('\n') >= 0 || line.IndexOf('\r') >= 0) throw new FuzzFinding("a Mermaid line holds a line break: " + Show(line));
                string text = Text(line).Replace("<br/>", "");
                if (text.IndexOfAny(new[] { '<', '>', '"', '`' }) >= 0) throw new FuzzFinding("a Mermaid text holds markup: " + Show(line));
                if (!EntitiesOnly(text)) throw new FuzzFinding("a Mermaid text holds a ';' that ends the statement: " + Show(line));
            }
            WellFormed(LadderSvg.Document(ladder, Markup.Id(s.Ctx)), "the ladder's SVG");
        }

        /// <summary>What follows the statement's own part of a Mermaid line: after ": " (a message or a note), after "as " (a participant), after "title: ".</summary>
        private static string Text(string line)
        {
            string t = line.TrimStart();
            if (t.StartsWith("title: ", StringComparison.Ordinal)) return t.Substring(7);
            if (t.StartsWith("participant ", StringComparison.Ordinal)) { int a = t.IndexOf(" as ", StringComparison.Ordinal); return a < 0 ? "" : t.Substring(a + 4); }
            int c = t.IndexOf(": ", StringComparison.Ordinal);
            return c < 0 ? "" : t.Substring(c + 2);
        }

        /// <summary>Every ';' of the text ends an entity code (#59; #60; ...).</summary>
        private static bool EntitiesOnly(string text)
        {
            for (int i = text.IndexOf(';'); i >= 0; i = text.IndexOf(';', i + 1))
            {
                int j = i - 1;
                while (j >= 0 && char.IsLetterOrDigit(text[j])) j--;
                if (j < 0 || text[j] != '#' || j == i - 1) return false;
            }
            return true;
        }

        private static string WithoutColour(string line)
        {
            var sb = new StringBuilder(line.Length);
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '\x1B' && i + 1 < line.Length && line[i + 1] == '[')
                {
                    int j = i + 2;
                    while (j < line.Length && (char.IsDigit(line[j]) || line[j] == ';')) j++;
                    if (j < line.Length && line[j] == 'm') { i = j; continue; }
                }
                sb.Append(line[i]);
            }
            return sb.ToString();
        }

        private static void Charts(CftSslSession s)
        {
            foreach (var chain in new[] { s.ServerCertificates, s.ClientCertificates })
            {
                string svg = ChainChart.Render("Chain of " + s.Partner + " <&\"'>", chain, s.StartTime, s.Ctx + "-c");
                if (svg.Length > 0) WellFormed(svg, "the chain's chart");
            }
        }

        // --- facts read from a session and from its copy -----------------------------------------------------

        /// <summary>A property as a copy of the session (Import-Clixml, remoting) has it: its value, one level deep.</summary>
        private static object Property(object owner, string name)
        {
            if (owner == null) return null;
            var p = owner.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
            return p == null || p.GetIndexParameters().Length > 0 ? null : p.GetValue(owner);
        }

        private static IEnumerable<object> Items(object value) => value is string || !(value is IEnumerable e) ? Enumerable.Empty<object>() : e.Cast<object>();

        private static string FactsText(SessionFacts f)
        {
            var sb = new StringBuilder();
            foreach (var p in typeof(SessionFacts).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var v = p.GetValue(f);
                sb.Append(p.Name).Append('=');
                if (v is IEnumerable list && !(v is string))
                    foreach (var item in list) sb.Append(item is CertificateFacts c ? c.Subject + "/" + c.Issuer + "/" + c.Thumbprint + "/" + c.NotBefore?.Ticks + "/" + c.NotAfter?.Ticks + "/" + c.Key + "/" + c.SignatureAlgorithm : Convert.ToString(item, System.Globalization.CultureInfo.InvariantCulture)).Append(';');
                else sb.Append(v is DateTime d ? d.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture));
                sb.Append('\n');
            }
            return sb.ToString();
        }

        // --- the report ------------------------------------------------------------------------------------

        private static string emptyScripts;

        private static void Report(List<CftSslSession> sessions)
        {
            string html;
            using (var report = new HtmlReport("Fuzz <&\"'> report", ReportDetail.All, 30, HtmlReport.DefaultTableLimit, AsOf))
            {
                foreach (var s in sessions) report.Add(s);
                var w = new StringWriter();
                report.WriteTo(w);
                html = w.ToString();
            }
            string scripts = CheckHtml(html);
            if (emptyScripts == null)
                using (var empty = new HtmlReport("Fuzz <&\"'> report", ReportDetail.All, 30, HtmlReport.DefaultTableLimit, AsOf))
                {
                    var w = new StringWriter();
                    empty.WriteTo(w);
                    emptyScripts = CheckHtml(w.ToString());
                }
            if (scripts != emptyScripts) throw new FuzzFinding("the report's script or styles are not those of a report of no session:\n" + FuzzTarget.FirstDifference(emptyScripts, scripts));
        }

        /// <summary>The elements the report, its ladders and its charts write; nothing else may appear.</summary>
        private static readonly HashSet<string> Elements = new HashSet<string>(StringComparer.Ordinal)
        {
            "html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "h4", "p", "nav", "main", "section", "article", "footer",
            "table", "caption", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "dl", "dt", "dd", "a", "span", "strong", "time", "br",
            "figure", "figcaption", "label", "input", "script", "details", "summary", "pre", "code", "em", "div", "small",
            "svg", "g", "defs", "marker", "path", "line", "rect", "circle", "text", "desc", "tspan",
        };

        private static readonly HashSet<string> Attributes = new HashSet<string>(StringComparer.Ordinal)
        {
            "class", "id", "href", "lang", "charset", "name", "content", "http-equiv", "scope", "role", "aria-label", "aria-labelledby", "for", "type",
            "placeholder", "start", "title", "open", "colspan", "datetime", "hidden",
            "xmlns", "version", "width", "height", "viewbox", "viewBox", "x", "y", "x1", "y1", "x2", "y2", "rx", "r", "cx", "cy", "d", "fill", "text-anchor",
            "font-size", "font-family", "orient", "marker-end", "markerwidth", "markerWidth", "markerheight", "markerHeight", "refx", "refX", "refy", "refY",
            "dx", "dy", "transform", "stroke", "stroke-width",
        };

        /// <summary>
        /// Checks the report's markup (elements, attributes, entities, inline SVG) and returns the text of its script and
        /// style elements.
        /// </summary>
        private static string CheckHtml(string html)
        {
            var scripts = new StringBuilder();
            int i = 0;
            if (!html.StartsWith("<!DOCTYPE html>", StringComparison.Ordinal)) throw new FuzzFinding("the report does not start with its doctype");
            i = "<!DOCTYPE html>".Length;
            while (i < html.Length)
            {
                char c = html[i];
                if (c < ' ' && c != '\n' && c != '\r' && c != '\t') throw new FuzzFinding("the report holds control character U+" + ((int)c).ToString("X4") + " near: " + Near(html, i));
                if (c == '&') { i = Entity(html, i); continue; }
                if (c == '>') throw new FuzzFinding("a '>' outside a tag in the report, near: " + Near(html, i));
                if (c != '<') { i++; continue; }
                int start = i;
                bool end = i + 1 < html.Length && html[i + 1] == '/';
                int j = i + (end ? 2 : 1), n = j;
                while (j < html.Length && (char.IsLetterOrDigit(html[j]) || html[j] == '-')) j++;
                string name = html.Substring(n, j - n);
                if (!Elements.Contains(name)) throw new FuzzFinding("an element that is not the report's: <" + (end ? "/" : "") + name + " near: " + Near(html, start));
                // attributes
                while (true)
                {
                    while (j < html.Length && html[j] == ' ') j++;
                    if (j >= html.Length) throw new FuzzFinding("a tag without its end near: " + Near(html, start));
                    if (html[j] == '>') { j++; break; }
                    if (html[j] == '/' && j + 1 < html.Length && html[j + 1] == '>') { j += 2; break; }
                    if (end) throw new FuzzFinding("an end tag with attributes near: " + Near(html, start));
                    int a = j;
                    while (j < html.Length && (char.IsLetterOrDigit(html[j]) || html[j] == '-' || html[j] == ':')) j++;
                    string attribute = html.Substring(a, j - a);
                    if (!Attributes.Contains(attribute) && !attribute.StartsWith("data-", StringComparison.Ordinal))
                        throw new FuzzFinding("an attribute that is not the report's: " + Show(attribute) + " in <" + name + " near: " + Near(html, start));
                    if (j < html.Length && html[j] == '=')
                    {
                        if (j + 1 >= html.Length || html[j + 1] != '"') throw new FuzzFinding("an attribute value without quotes near: " + Near(html, a));
                        int close = html.IndexOf('"', j + 2);
                        if (close < 0) throw new FuzzFinding("an attribute value without its end near: " + Near(html, a));
                        for (int k = j + 2; k < close; k++)
                        {
                            if (html[k] == '<' || html[k] == '>' || html[k] == '\'' && name != "meta") throw new FuzzFinding("an attribute value holds '" + html[k] + "' near: " + Near(html, k));
                            if (html[k] == '&') k = Entity(html, k) - 1;
                        }
                        j = close + 1;
                    }
                }
                if (!end && (name == "script" || name == "style"))
                {
                    int close = html.IndexOf("</" + name + ">", j, StringComparison.Ordinal);
                    if (close < 0) throw new FuzzFinding("a " + name + " element without its end");
                    scripts.Append(name).Append(':').Append(html, j, close - j).Append('\n');
                    i = close;
                    continue;
                }
                if (!end && name == "svg")
                {
                    int close = html.IndexOf("</svg>", j, StringComparison.Ordinal);
                    if (close < 0) throw new FuzzFinding("an svg element without its end");
                    WellFormed(html.Substring(start, close + 6 - start), "an SVG of the report");
                }
                i = j;
            }
            return scripts.ToString();
        }

        /// <summary>The end of the entity at i ('&amp;' then a name or a number, then ';').</summary>
        private static int Entity(string html, int i)
        {
            int j = i + 1;
            if (j < html.Length && html[j] == '#')
            {
                j++;
                bool hex = j < html.Length && (html[j] == 'x' || html[j] == 'X');
                if (hex) j++;
                int digits = j;
                while (j < html.Length && (hex ? Uri.IsHexDigit(html[j]) : char.IsDigit(html[j]))) j++;
                if (j == digits) j = -1;
            }
            else
            {
                int letters = j;
                while (j < html.Length && char.IsLetter(html[j])) j++;
                if (j == letters) j = -1;
            }
            if (j < 0 || j >= html.Length || html[j] != ';') throw new FuzzFinding("a '&' that is not an entity in the report, near: " + Near(html, i));
            return j + 1;
        }

        private static void WellFormed(string xml, string what)
        {
            try
            {
                using (var r = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
                    while (r.Read()) { }
            }
            catch (XmlException e)
            {
                throw new FuzzFinding(what + " is not well-formed XML: " + e.Message + " near: " + Near(xml, Offset(xml, e.LineNumber, e.LinePosition)));
            }
        }

        private static int Offset(string text, int line, int column)
        {
            int i = 0;
            for (int l = 1; l < line && i >= 0; l++) i = text.IndexOf('\n', i) + 1;
            return Math.Max(0, Math.Min(text.Length - 1, Math.Max(0, i) + column - 1));
        }

        private static string Near(string text, int i) => Show(text.Substring(Math.Max(0, i - 60), Math.Min(text.Length, i + 60) - Math.Max(0, i - 60)));

        private static string Show(string text)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in text) sb.Append(c < ' ' || c == '\x7F' ? "\\u" + ((int)c).ToString("X4") : c.ToString());
            return sb.Append('"').ToString();
        }
    }
}
