namespace CftSslTrace.Sessions
{
    public enum DiagnosticSeverity { Warning, Error }

    /// <summary>A problem with one input line: malformed trace line, dump without header... Named by file and line.</summary>
    public sealed class TraceDiagnostic
    {
        public string File { get; internal set; }
        public long Line { get; internal set; }
        public DiagnosticSeverity Severity { get; internal set; }
        public string Message { get; internal set; }
        public string Text { get; internal set; }

        public override string ToString() => (File ?? "<input>") + ":" + Line + ": " + Message;
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
