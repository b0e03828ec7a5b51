namespace CftSslTrace.Sessions
{
    public enum DiagnosticSeverity { Warning, Error }

    /// <summary>
    /// A problem with one input line (malformed trace line, dump without header...) or with a whole input (not a log, an
    /// archive format that is not read: Line 0). Named by file (or "archive.zip!entry") and line.
    /// </summary>
    public sealed class TraceDiagnostic
    {
        internal TraceDiagnostic() { }

        /// <summary>A diagnostic made by a caller (a summary of several of one kind).</summary>
        public TraceDiagnostic(string file, long line, string kind, string message, DiagnosticSeverity severity)
        {
            File = file;
            Line = line;
            Kind = kind;
            Message = message;
            Severity = severity;
        }

        public string File { get; internal set; }
        /// <summary>The line in its file; 0 for a problem with the whole file.</summary>
        public long Line { get; internal set; }
        public DiagnosticSeverity Severity { get; internal set; }
        /// <summary>What kind of problem (<see cref="DiagnosticKind"/>): warnings of one kind in one file are counted together.</summary>
        public string Kind { get; internal set; }
        public string Message { get; internal set; }
        public string Text { get; internal set; }

        public override string ToString() => (File ?? "<input>") + (Line > 0 ? ":" + Line.ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + ": " + Message;
    }

    /// <summary>The kinds of <see cref="TraceDiagnostic"/>: stable names, for counting floods of one kind and for scripts.</summary>
    public static class DiagnosticKind
    {
        public const string PrefixTime = "PrefixTime";
        public const string MessageTooLong = "MessageTooLong";
        public const string LineTooLong = "LineTooLong";
        public const string Encoding = "Encoding";
        public const string TraceWithoutCtx = "TraceWithoutCtx";
        public const string DamagedDump = "DamagedDump";
        public const string MalformedTrace = "MalformedTrace";
        public const string DumpWithoutHeader = "DumpWithoutHeader";
        public const string SessionLineWithoutCtx = "SessionLineWithoutCtx";
        /// <summary>A file that holds no CFT line in its first megabytes.</summary>
        public const string NotALog = "NotALog";
        /// <summary>An archive or compressed format that is not read.</summary>
        public const string NotRead = "NotRead";
        /// <summary>A file that cannot be opened or read to its end.</summary>
        public const string Unreadable = "Unreadable";
        /// <summary>A file given twice, or a copy of a log already read.</summary>
        public const string SameLog = "SameLog";
        /// <summary>Files that overlap in time without being copies of one another.</summary>
        public const string Overlap = "Overlap";
    }

    /// <summary>What a reader saw, for -Verbose.</summary>
    public sealed class ReaderStatistics
    {
        public long Lines { get; internal set; }
        public long TraceLines { get; internal set; }
        public long SessionLines { get; internal set; }
        /// <summary>CFT messages of other families (transfers, network...), not attached to a session.</summary>
        public long OtherCftLines { get; internal set; }
        /// <summary>Lines without a CFT message code.</summary>
        public long UnrecognizedLines { get; internal set; }
        public long MalformedLines { get; internal set; }
        public long Sessions { get; internal set; }
        public long Frames { get; internal set; }

        public override string ToString()
            => Lines + " lines (" + TraceLines + " trace, " + SessionLines + " session, " + OtherCftLines + " other CFT, " + UnrecognizedLines + " unrecognized, " + MalformedLines + " malformed), " + Sessions + " sessions, " + Frames + " frames";
    }
}
