using System;
using System.Collections.Generic;
using System.Globalization;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Analysis
{
    /// <summary>Transfer lines of a session's events, read into <see cref="CftTransfer"/>s (one per IDTU).</summary>
    internal static class Transfers
    {
        /// <summary>The diagnostic of a transfer line: the words inside &lt;...&gt; that are not key=value ("260 PKI 040").</summary>
        public static (int? diagi, string diagp, int? alert) Diagnostic(CftEvent e)
        {
            string text = e.Text ?? "";
            int a = text.IndexOf('<');
            int b = text.LastIndexOf('>');
            string inner = a >= 0 && b > a ? text.Substring(a + 1, b - a - 1) : "";
            var rest = new List<string>();
            foreach (var w in inner.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
                if (w.IndexOf('=') < 0) rest.Add(w);
            int? diagi = null;
            if (rest.Count > 0 && int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d < 100000) { diagi = d; rest.RemoveAt(0); }
            string diagp = rest.Count > 0 ? string.Join(" ", rest) : null;
            int? alert = null;
            if (diagp != null && diagp.StartsWith("PKI ", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(diagp.Substring(4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < 256) alert = n;
            return (diagi, diagp, alert);
        }

        /// <summary>The transfers of a session, from its events that carry IDTU=, merged by IDTU, in order.</summary>
        public static NamedList<CftTransfer> Of(CftSslSession s)
        {
            var list = new NamedList<CftTransfer>();
            foreach (var e in s.Events)
            {
                string idtu = e.Get("IDTU");
                if (string.IsNullOrEmpty(idtu)) continue;
                CftTransfer t = null;
                foreach (var x in list) if (x.Idtu == idtu) { t = x; break; }
                if (t == null)
                {
                    t = new CftTransfer { Idtu = idtu, File = e.File, Line = e.Line, Position = e.Position, Time = e.Time, Code = e.Code, Text = e.Text, MatchedBy = e.MatchedBy ?? "CTX" };
                    list.Add(t);
                }
                t.Idf = t.Idf ?? e.Get("IDF");
                t.Idt = t.Idt ?? e.Get("IDT");
                t.Partner = t.Partner ?? e.Get("PART");
                var (diagi, diagp, alert) = Diagnostic(e);
                if (diagi.HasValue || e.Severity() == 'E')
                {
                    // the line that says why (CFTT75E connect reject) describes the transfer
                    t.Code = e.Code; t.Text = e.Text; t.File = e.File; t.Line = e.Line; t.Position = e.Position; t.Time = e.Time;
                    if (diagi.HasValue) { t.Diagi = diagi; t.Diagp = diagp; }
                    if (alert.HasValue) { t.AlertCode = alert; t.Alert = TlsRegistry.AlertName(alert.Value); }
                    if (e.MatchedBy != null) t.MatchedBy = e.MatchedBy;
                }
            }
            return list;
        }
    }
}
