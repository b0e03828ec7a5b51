using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// How problems with the input are reported: a warning naming file and line (with -Strict a non-terminating error;
    /// a file that cannot be read is always an error). Floods are summarised: per file and per kind of problem, the
    /// first <see cref="InFull"/> are written in full, then one line (<see cref="Flush"/>) gives how many more there
    /// were and their first and last lines, so that a log of a million one-line sessions does not print a million
    /// lines. Nothing is lost from the output: only the repeated warnings are counted instead of written.
    /// </summary>
    internal sealed class DiagnosticReport
    {
        /// <summary>Warnings of one kind in one file written in full.</summary>
        public const int InFull = 5;

        private readonly PSCmdlet cmdlet;
        private readonly bool strict;
        private readonly Dictionary<(string File, string Kind), Flood> floods = new Dictionary<(string File, string Kind), Flood>();
        private readonly List<Flood> order = new List<Flood>();

        public DiagnosticReport(PSCmdlet cmdlet, bool strict)
        {
            this.cmdlet = cmdlet;
            this.strict = strict;
        }

        public void Write(TraceDiagnostic d)
        {
            var key = (d.File ?? "", d.Kind ?? d.Message);
            if (!floods.TryGetValue(key, out var f))
            {
                f = new Flood { File = d.File, Kind = d.Kind, Example = d.Message, Severity = d.Severity };
                floods.Add(key, f);
                order.Add(f);
            }
            f.Count++;
            if (f.Count <= InFull) { Emit(d); return; }
            if (f.Suppressed++ == 0) f.FirstLine = d.Line;
            f.LastLine = d.Line;
        }

        /// <summary>One line per file and kind whose warnings were not all written: how many more, and where.</summary>
        public void Flush()
        {
            foreach (var f in order)
            {
                if (f.Suppressed > 0)
                {
                    string lines = f.FirstLine > 0 ? ", lines " + N(f.FirstLine) + " to " + N(f.LastLine) : "";
                    Emit(new TraceDiagnostic(f.File, 0, f.Kind,
                        N(f.Suppressed) + " more like the above (" + (f.Kind ?? "") + ": " + Shorten(f.Example) + ")" + lines + "; " + N(f.Count) + " in all, the first " + InFull + " shown", f.Severity));
                }
                if (f.Count > 1) cmdlet.WriteVerbose((f.File ?? "<input>") + ": " + N(f.Count) + " warning(s) of kind " + (f.Kind ?? f.Example));
            }
            floods.Clear();
            order.Clear();
        }

        private void Emit(TraceDiagnostic d)
        {
            if (strict || d.Severity == DiagnosticSeverity.Error)
                cmdlet.WriteError(new ErrorRecord(new System.IO.InvalidDataException(d.ToString()), ErrorId(d), d.Kind == DiagnosticKind.Unreadable ? ErrorCategory.ReadError : ErrorCategory.InvalidData, d.File + (d.Line > 0 ? ":" + d.Line.ToString(CultureInfo.InvariantCulture) : "")));
            else
                cmdlet.WriteWarning(d.ToString());
        }

        private static string ErrorId(TraceDiagnostic d)
        {
            switch (d.Kind)
            {
                case DiagnosticKind.Unreadable: return "FileUnreadable";
                case DiagnosticKind.NotALog: return "NotACftLog";
                case DiagnosticKind.NotRead: return "FormatNotRead";
                case DiagnosticKind.SameLog: return "SameLogReadOnce";
                case DiagnosticKind.Overlap: return "LogsOverlapInTime";
                default: return "MalformedTraceLine";
            }
        }

        private static string N(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

        private static string Shorten(string s) => s == null ? "" : s.Length <= 100 ? s : s.Substring(0, 99) + "…";

        private sealed class Flood
        {
            public string File, Kind, Example;
            public DiagnosticSeverity Severity;
            public long Count, Suppressed, FirstLine, LastLine;
        }
    }
}
