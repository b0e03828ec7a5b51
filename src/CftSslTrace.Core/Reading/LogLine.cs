using System;

namespace CftSslTrace.Reading
{
    /// <summary>One logical CFT log line: message code, time read from its prefix, text (continuations rejoined).</summary>
    public sealed class LogLine
    {
        public string Source { get; internal set; }
        public long LineNumber { get; internal set; }
        /// <summary>The last physical line when continuation lines (CFTxnnS+) were rejoined.</summary>
        public long LastLineNumber { get; internal set; }
        public DateTime? Time { get; internal set; }
        /// <summary>Message code such as CFTY02Z, or null for a line without one.</summary>
        public string Code { get; internal set; }
        /// <summary>I, W, E, F, Z.</summary>
        public char Severity => Code == null ? ' ' : Code[6];
        /// <summary>Text after the code (continuations appended).</summary>
        public string Body { get; internal set; }
        /// <summary>
        /// The line as read (the first physical line when continued), for the SSL messages (CFTYnnS); null for the others,
        /// which are read for their values (<see cref="Body"/>).
        /// </summary>
        public string Text { get; internal set; }

        public bool IsTrace => Code == "CFTY02Z";
        public bool IsSsl => Code != null && Code[3] == 'Y';

        public override string ToString() => Text;
    }
}
