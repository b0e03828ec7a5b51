using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using CftSslTrace.X509;

namespace CftSslTrace.Pictures
{
    /// <summary>What a step of the ladder is: a handshake message, a record that is not one (ChangeCipherSpec, alert,
    /// encrypted record, bytes that are not TLS), the application data that crossed, or a line CFT wrote.</summary>
    public enum LadderStepKind { Message, Record, Data, Event, Transfer }

    /// <summary>How a step reads: an error, a success, a warning, a formality (ChangeCipherSpec, close_notify).</summary>
    public enum LadderTone { Normal, Good, Bad, Warning, Muted }

    /// <summary>One row of the ladder: an arrow between CFT and the partner, or a CFT line on CFT's side.</summary>
    public sealed class LadderStep
    {
        public LadderStepKind Kind { get; internal set; }
        /// <summary>For arrows: CFT sent it (left to right); false: the partner did.</summary>
        public bool FromCft { get; internal set; }
        public DateTime? Time { get; internal set; }
        public string File { get; internal set; }
        public long Line { get; internal set; }
        /// <summary>One line: the message or record and the fields that matter (versions, suite, subject, alert).</summary>
        public string Label { get; internal set; }
        /// <summary>Lines under the label: the certificates of a Certificate message, the CAs of a CertificateRequest.</summary>
        public IReadOnlyList<string> Details { get; internal set; } = Array.Empty<string>();
        public LadderTone Tone { get; internal set; }
        /// <summary>The handshake message type, content type or CFT message code (CFTY21I).</summary>
        public string Code { get; internal set; }
        public bool IsArrow => Kind == LadderStepKind.Message || Kind == LadderStepKind.Record;

        public override string ToString() => (IsArrow ? (FromCft ? "CFT -> partner: " : "partner -> CFT: ") : "") + Label;
    }

    /// <summary>
    /// A session as a sequence diagram: CFT on the left, the partner on the right, one arrow per handshake message or
    /// record in the order of the log, CFT's own lines (certificate checks, errors, transfers) where they were written,
    /// the application data summed where it crossed, and how it ended. Rendered as text (<see cref="LadderText"/>),
    /// Mermaid (<see cref="LadderMermaid"/>) and SVG (<see cref="LadderSvg"/>).
    /// </summary>
    public sealed class Ladder
    {
        public string SessionId { get; private set; }
        public string Title { get; private set; }
        public string CftLabel { get; private set; }
        public string PartnerLabel { get; private set; }
        public IReadOnlyList<LadderStep> Steps { get; private set; }
        /// <summary>How it ended: "Established TLS 1.2, suite, authentication" or "Failed: problem".</summary>
        public string Outcome { get; private set; }
        public LadderTone OutcomeTone { get; private set; }
        /// <summary>What to do, in CFT terms (the session's explanation), when it failed.</summary>
        public string Explanation { get; private set; }
        public int Arrows => Steps.Count(s => s.IsArrow);

        public static Ladder Of(CftSslSession s)
        {
            if (s == null) throw new ArgumentNullException(nameof(s));
            var steps = new List<(LadderStep Step, int Order)>();
            int order = 0;
            void Add(LadderStep step) => steps.Add((step, order++));

            LadderStep lastMessage = null;
            int appRun = 0;
            foreach (var f in s.Frames)
            {
                bool fromCft = f.Direction == Reading.TraceDirection.Sent
                    || (f.Direction == Reading.TraceDirection.Unknown && (f.Sender == TlsPeer.Client) == (s.Role != SessionRole.Server));
                if (f.ContentTypeValue == 22 && f.HandshakeMessages.Count == 0 && f.Messages != null && f.Messages.EndsWith("(continued)", StringComparison.Ordinal) && lastMessage != null)
                {
                    // the rest of a message that spans records: one arrow for the message, its records counted
                    lastMessage.Details = lastMessage.Details.Concat(new[] { "(continued in the record of line " + f.Line.ToString(CultureInfo.InvariantCulture) + ")" }).ToList();
                    continue;
                }
                if (f.ContentTypeValue == 22 && f.HandshakeMessages.Count > 0)
                {
                    foreach (var m in f.HandshakeMessages)
                    {
                        lastMessage = Message(m, f, fromCft);
                        Add(lastMessage);
                    }
                    appRun = 0;
                    continue;
                }
                lastMessage = null;
                if (f.ContentTypeValue == 23 && !IsTls13Handshake(f) && steps.Count > 0)
                {
                    var prev = steps[steps.Count - 1].Step;
                    if (prev.Kind == LadderStepKind.Record && prev.Code == "ApplicationData" && prev.FromCft == fromCft)
                    {
                        appRun++;
                        prev.Label = "ApplicationData x" + (appRun + 1).ToString(CultureInfo.InvariantCulture);
                        continue;
                    }
                }
                appRun = 0;
                Add(Record(f, fromCft));
            }

            // the application data the session keeps as counts: between the handshake and the closing
            if (s.ApplicationDataRecords > 0)
            {
                string data = "application data: " + N(s.ApplicationDataRecords) + " record" + (s.ApplicationDataRecords == 1 ? "" : "s")
                    + ", " + N(s.ApplicationDataSent) + " bytes sent, " + N(s.ApplicationDataReceived) + " received"
                    + (s.FirstApplicationData.HasValue && s.LastApplicationData.HasValue && s.LastApplicationData > s.FirstApplicationData
                        ? " (" + Clock(s.FirstApplicationData.Value) + " to " + Clock(s.LastApplicationData.Value) + ")" : "");
                var step = new LadderStep { Kind = LadderStepKind.Data, Time = s.FirstApplicationData, Label = data, Tone = LadderTone.Muted, Code = "ApplicationData" };
                // before the first closing alert or closing line after the handshake; else at the end
                long after = Math.Max(steps.Where(x => x.Step.Kind == LadderStepKind.Message || x.Step.Code == "ChangeCipherSpec" || x.Step.Code == "Finished").Select(x => x.Step.Line).DefaultIfEmpty(0).Max(),
                    s.Events.Where(e => IsEstablishedCode(e.Code)).Select(e => e.Line).DefaultIfEmpty(0).Max());
                long before = long.MaxValue;
                foreach (var x in steps) if (x.Step.Line > after && x.Step.Code == "Alert") { before = Math.Min(before, x.Step.Line); }
                foreach (var e in s.Events) if (e.Line > after && IsClosingCode(e.Code)) before = Math.Min(before, e.Line);
                step.Line = before == long.MaxValue ? long.MaxValue - 1 : before;
                step.File = null;
                Add(step);
            }

            // CFT's lines, transfer lines among them (a session's transfers are the CFTT lines of its events)
            foreach (var e in s.Events)
                Add(new LadderStep
                {
                    Kind = e.Code != null && e.Code.StartsWith("CFTT", StringComparison.Ordinal) ? LadderStepKind.Transfer : LadderStepKind.Event,
                    Time = e.Time, File = e.File, Line = e.Line, Code = e.Code, Label = Clean(e.Code + " " + WithoutCtx(e.Text, s.Ctx)), Tone = EventTone(e.Code),
                });

            // the order of the log: by line (one sequence over the files of a history), the data summary before the line it precedes
            var ordered = steps.OrderBy(x => x.Step.Line).ThenBy(x => x.Step.Kind == LadderStepKind.Data ? 0 : 1).ThenBy(x => x.Order).Select(x => x.Step).ToList();
            foreach (var x in ordered) if (x.Line == long.MaxValue - 1) x.Line = 0;

            var ladder = new Ladder
            {
                SessionId = s.SessionId,
                Steps = ordered,
                CftLabel = Clean("CFT " + Lower(s.Role == SessionRole.Unknown ? "" : s.Role.ToString()) + (s.SslProfile != null ? " " + s.SslProfile : "")).Trim(),
                PartnerLabel = Clean((s.PartnerOrProtocol ?? "partner") + " " + (s.Role == SessionRole.Client ? "server" : s.Role == SessionRole.Server ? "client" : "")
                    + (s.RemoteHost != null ? " " + s.RemoteHost : "")).Trim(),
                Title = Clean(s.Ctx + " " + (s.PartnerOrProtocol ?? "") + " " + Lower(s.Role.ToString()) + (s.Version != null ? " " + s.Version : "") + " " + s.Result
                    + (s.StartTime.HasValue ? " " + s.StartTime.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "")).Replace("  ", " "),
            };
            if (s.Result == SessionResult.Established)
            {
                ladder.Outcome = Clean("Established " + (s.Version ?? "") + (s.CipherSuiteName != null ? ", " + s.CipherSuiteName : "")
                    + (s.Authentication != null ? ", authentication " + s.Authentication : "") + (s.Resumed ? ", resumed" : ""));
                ladder.OutcomeTone = LadderTone.Good;
            }
            else if (s.Result == SessionResult.Failed)
            {
                ladder.Outcome = Clean("Failed: " + (s.Problem ?? s.Failure?.ToString() ?? "(no reason in the log)"));
                ladder.OutcomeTone = LadderTone.Bad;
                ladder.Explanation = s.Explanation != null ? Clean(s.Explanation) : null;
            }
            else
            {
                ladder.Outcome = Clean("Incomplete: " + (s.Problem ?? "the log ends before the handshake does") + EndedText(s.EndedBy));
                ladder.OutcomeTone = LadderTone.Warning;
            }
            return ladder;
        }

        private static LadderStep Message(HandshakeMessage m, TlsFrame f, bool fromCft)
        {
            var step = new LadderStep { Kind = LadderStepKind.Message, FromCft = fromCft, Time = f.Time, File = f.File, Line = f.Line, Code = m.Type, Label = Clean(m.Summary ?? m.Type) };
            var details = new List<string>();
            switch (m)
            {
                case CertificateMessage c:
                    step.Label = c.Certificates.Count == 0 ? "Certificate: empty (no certificate sent)"
                        : "Certificate, " + c.Certificates.Count.ToString(CultureInfo.InvariantCulture) + " cert" + (c.Certificates.Count == 1 ? "" : "s");
                    if (c.Certificates.Count == 0) step.Tone = LadderTone.Warning;
                    foreach (var cert in c.Certificates) details.Add(Clean(CertificateLine(cert)));
                    break;
                case CertificateRequestMessage r:
                    foreach (var ca in r.CertificateAuthorities) details.Add(Clean("accepts " + ca));
                    break;
                default:
                    if (m.Type == "HelloRetryRequest") step.Tone = LadderTone.Warning;
                    break;
            }
            if (m.Truncated) details.Add("(cut short in the trace: " + m.CapturedLength.ToString(CultureInfo.InvariantCulture) + " of " + m.Length.ToString(CultureInfo.InvariantCulture) + " bytes)");
            if (m.DecodeError != null) details.Add(Clean("(not decoded: " + m.DecodeError + ")"));
            step.Details = details;
            return step;
        }

        /// <summary>A certificate in one line: subject, issuer, validity.</summary>
        internal static string CertificateLine(CertificateInfo c)
        {
            string line = c.Subject ?? (c.Truncated ? "(certificate cut short)" : "(certificate)");
            if (c.Issuer != null && c.Issuer != c.Subject) line += " <- " + Analysis.CertificateFacts.Short(c.Issuer);
            else if (c.Issuer != null) line += " (self-signed)";
            if (c.NotAfter.HasValue) line += ", to " + c.NotAfter.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return line;
        }

        private static LadderStep Record(TlsFrame f, bool fromCft)
        {
            var step = new LadderStep { Kind = LadderStepKind.Record, FromCft = fromCft, Time = f.Time, File = f.File, Line = f.Line, Label = Clean(f.Summary ?? f.ContentType) };
            switch (f.ContentTypeValue)
            {
                case 20: step.Code = "ChangeCipherSpec"; step.Tone = LadderTone.Muted; break;
                case 21:
                    step.Code = "Alert";
                    if (f.Alert != null) step.Tone = f.Alert.IsFatal ? LadderTone.Bad : f.Alert.Description == 0 ? LadderTone.Muted : LadderTone.Warning;
                    else step.Tone = LadderTone.Muted; // encrypted: normally close_notify
                    break;
                case 22: step.Code = "Finished"; step.Tone = LadderTone.Muted; break; // an encrypted handshake message
                case 23:
                    step.Code = IsTls13Handshake(f) ? "Encrypted" : "ApplicationData";
                    if (step.Code == "ApplicationData") step.Label = "ApplicationData";
                    else step.Tone = LadderTone.Muted;
                    break;
                default: step.Code = f.ContentType; step.Tone = LadderTone.Bad; break; // bytes that are not a TLS record
            }
            if (f.Truncated) step.Details = new[] { "(cut short in the trace: " + f.CapturedLength.ToString(CultureInfo.InvariantCulture) + " of " + (f.Length + 5).ToString(CultureInfo.InvariantCulture) + " bytes)" };
            return step;
        }

        private static string EndedText(SessionEnd end)
        {
            switch (end)
            {
                case SessionEnd.EndOfInput: return " (the log ends)";
                case SessionEnd.CtxReused: return " (its CTX was reused by a new session)";
                case SessionEnd.Idle: return " (no line of its CTX for the idle timeout)";
                case SessionEnd.OpenSessionLimit: return " (returned at the open-session limit)";
                default: return "";
            }
        }

        private static bool IsTls13Handshake(TlsFrame f) => f.Summary != null && f.Summary.IndexOf("TLS 1.3: handshake or application data", StringComparison.Ordinal) >= 0
            || f.Summary != null && f.Summary.StartsWith("Encrypted SSL 2.0", StringComparison.Ordinal);

        private static bool IsEstablishedCode(string code) => code == "CFTY14I" || code == "CFTY15I";
        private static bool IsClosingCode(string code) => code == "CFTY11I" || code == "CFTY12I";

        private static LadderTone EventTone(string code)
        {
            if (string.IsNullOrEmpty(code)) return LadderTone.Normal;
            char last = code[code.Length - 1];
            if (last == 'E' || last == 'F') return LadderTone.Bad;
            if (last == 'W') return LadderTone.Warning;
            if (IsEstablishedCode(code) || code == "CFTY21I" || code == "CFTY22I") return LadderTone.Good;
            if (code == "CFTY02Z") return LadderTone.Muted;
            return LadderTone.Normal;
        }

        private static string WithoutCtx(string text, string ctx)
        {
            if (text == null) return "";
            if (ctx != null) text = text.Replace("CTX=" + ctx + " ", "").Replace(" CTX=" + ctx, "");
            return text;
        }

        private static string Lower(string s) => s?.ToLowerInvariant() ?? "";
        private static string N(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);
        private static string Clock(DateTime t) => t.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

        /// <summary>
        /// Text from the wire or the log made safe for every rendering: control characters (an escape sequence in a
        /// certificate subject would drive the terminal; XML forbids most of them) written as \xNN, lone surrogates as
        /// U+FFFD. HTML, SVG and Mermaid escaping is the renderers' job.
        /// </summary>
        public static string Clean(string text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? "";
            StringBuilder sb = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                string replacement = null;
                if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) replacement = "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture);
                else if (char.IsHighSurrogate(c) && (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))) replacement = "\uFFFD";
                else if (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]))) replacement = "\uFFFD";
                else if (c == '\uFFFE' || c == '\uFFFF') replacement = "\uFFFD";
                if (replacement != null)
                {
                    if (sb == null) sb = new StringBuilder(text, 0, i, text.Length + 8);
                    sb.Append(replacement);
                }
                else sb?.Append(c);
            }
            return sb?.ToString() ?? text;
        }
    }
}
