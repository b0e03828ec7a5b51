using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using CftSslTrace.Sessions;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// The inputs of one command as one log, the way CFT wrote it across its log switches: every file (each entry of a
    /// zip archive, a gzip file decompressed) ordered by the time of its first dated CFT line (inputs without times by
    /// name, in natural order, after them), so that a session open at the end of one file goes on in the next.
    /// Inputs that are not read are said: formats that are not read (bzip2, xz, 7z, tar...), files that hold no CFT line
    /// (a binary, another product's log, a wrong encoding), files that cannot be opened. A file given twice, or a copy of
    /// one already in the history (the same first lines: a log beside its archive), is read once.
    /// </summary>
    public sealed class LogHistory
    {
        private readonly List<LogSource> sources = new List<LogSource>();
        private readonly List<ZipShelf> shelves = new List<ZipShelf>();

        private LogHistory() { }

        /// <summary>The inputs in reading order.</summary>
        public IReadOnlyList<LogSource> Sources => sources;

        /// <summary>Bytes as stored (compressed for archives), for progress.</summary>
        public long StoredLength { get; private set; }

        /// <summary>How the order was decided, for -Verbose.</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>A history of one stream (pipeline text, a caller's stream): not probed, not ordered.</summary>
        public static LogHistory Of(LogSource source)
        {
            var h = new LogHistory();
            h.sources.Add(source);
            h.StoredLength = Math.Max(0, source.StoredLength);
            return h;
        }

        /// <summary>
        /// Expands, probes and orders the files of one command. What cannot be read is reported through
        /// <paramref name="diagnostic"/> (a warning naming the file), and the other files go on.
        /// </summary>
        public static LogHistory Open(IEnumerable<string> files, Encoding encoding, Action<TraceDiagnostic> diagnostic)
        {
            var h = new LogHistory();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var candidates = new List<LogSource>();
            foreach (var file in files)
            {
                string full = file;
                try { full = Path.GetFullPath(file); } catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException) { }
                if (!seen.Add(full))
                {
                    Report(diagnostic, file, DiagnosticKind.SameLog, "the file is named more than once: read once", DiagnosticSeverity.Warning);
                    continue;
                }
                try
                {
                    foreach (var s in LogSource.Expand(file, (path, message) => Report(diagnostic, path, DiagnosticKind.NotRead, message, DiagnosticSeverity.Warning)))
                        candidates.Add(s);
                }
                catch (Exception e) when (IsReadError(e))
                {
                    Report(diagnostic, file, DiagnosticKind.Unreadable, "cannot be read: " + e.Message, DiagnosticSeverity.Error);
                }
            }
            foreach (var s in candidates)
                if (s.Shelf != null && !h.shelves.Contains(s.Shelf)) h.shelves.Add(s.Shelf);
            foreach (var s in candidates)
            {
                LogProbe p;
                try { p = LogProbe.Of(s, encoding); }
                catch (Exception e) when (IsReadError(e))
                {
                    Report(diagnostic, s.Name, DiagnosticKind.Unreadable, "cannot be read: " + e.Message, DiagnosticSeverity.Error);
                    continue;
                }
                if (!p.HasCftLine && p.ReadError != null)
                {
                    Report(diagnostic, s.Name, DiagnosticKind.Unreadable, "cannot be read: " + p.ReadError, DiagnosticSeverity.Error);
                    continue;
                }
                if (p.Empty) { h.Notes.Add(s.Name + ": empty, nothing to read"); continue; }
                if (!p.HasCftLine)
                {
                    Report(diagnostic, s.Name, DiagnosticKind.NotALog, "not a CFT log: " + p.LooksLike + "; the file is not read", DiagnosticSeverity.Warning);
                    continue;
                }
                h.sources.Add(s);
            }
            h.Order();
            foreach (var s in h.sources) h.StoredLength += Math.Max(0, s.StoredLength);
            return h;
        }

        /// <summary>
        /// Closes the zip archives kept open for their next entry (the reader calls it when it stops); an entry opened
        /// after it opens its archive again.
        /// </summary>
        public void CloseArchives()
        {
            foreach (var s in shelves) s.Close();
        }

        internal static bool IsReadError(Exception e)
            => e is IOException || e is UnauthorizedAccessException || e is InvalidDataException || e is System.Security.SecurityException || e is NotSupportedException;

        private void Order()
        {
            var dated = sources.FindAll(s => s.Probe?.FirstTime != null);
            var undated = sources.FindAll(s => s.Probe?.FirstTime == null);
            dated.Sort((a, b) =>
            {
                int c = a.Probe.FirstTime.Value.CompareTo(b.Probe.FirstTime.Value);
                return c != 0 ? c : NaturalOrder.Compare(a.Name, b.Name);
            });
            undated.Sort((a, b) => NaturalOrder.Compare(a.Name, b.Name));
            sources.Clear();
            sources.AddRange(dated);
            sources.AddRange(undated);
            if (sources.Count < 2) return;
            if (dated.Count > 0)
                Notes.Add("files ordered by the time of their first dated line: " + string.Join(", ", dated.ConvertAll(s => s.ShortName + " (" + s.Probe.FirstTime.Value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + ")")));
            if (undated.Count > 0)
                Notes.Add((dated.Count > 0 ? "then the files whose lines carry no time, " : "the lines of the files carry no time: files ordered ") + "by name in natural order: " + string.Join(", ", undated.ConvertAll(s => s.ShortName)));
        }

        private static void Report(Action<TraceDiagnostic> diagnostic, string file, string kind, string message, DiagnosticSeverity severity)
            => diagnostic?.Invoke(new TraceDiagnostic { File = file, Line = 0, Kind = kind, Message = message, Severity = severity });
    }

    /// <summary>Names compared as people read them: "cftlog2" before "cftlog10"; case ignored, then ordinal.</summary>
    public static class NaturalOrder
    {
        public static int Compare(string a, string b)
        {
            if (ReferenceEquals(a, b)) return 0;
            if (a == null) return -1;
            if (b == null) return 1;
            int i = 0, j = 0;
            while (i < a.Length && j < b.Length)
            {
                if (char.IsDigit(a[i]) && char.IsDigit(b[j]))
                {
                    int si = i, sj = j;
                    while (si < a.Length && a[si] == '0') si++;
                    while (sj < b.Length && b[sj] == '0') sj++;
                    int ei = si, ej = sj;
                    while (ei < a.Length && char.IsDigit(a[ei])) ei++;
                    while (ej < b.Length && char.IsDigit(b[ej])) ej++;
                    int c = (ei - si).CompareTo(ej - sj);
                    if (c == 0) c = string.CompareOrdinal(a, si, b, sj, ei - si);
                    if (c != 0) return c;
                    i = ei; j = ej;
                    continue;
                }
                int d = char.ToUpperInvariant(a[i]).CompareTo(char.ToUpperInvariant(b[j]));
                if (d != 0) return d;
                i++; j++;
            }
            int r = (a.Length - i).CompareTo(b.Length - j);
            return r != 0 ? r : string.CompareOrdinal(a, b);
        }
    }
}
