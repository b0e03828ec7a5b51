using System;
using System.Collections.Generic;
using System.Globalization;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Where each line of a history comes from. A reader numbers the lines of all its inputs as one sequence (the
    /// position: the line number the concatenation of the files would give), so that its rules (idle lines, the closing
    /// grace, ties of transfer lines) and the order of records are those of one log; objects shown to a user name the
    /// file (or archive entry) and the line in it, which this map gives for a position. Segments are added in order and
    /// never removed: objects made earlier resolve their positions later.
    /// </summary>
    public sealed class SourceMap
    {
        private readonly List<long> starts = new List<long>();
        private readonly List<long> firstLines = new List<long>();
        private readonly List<string> names = new List<string>();
        private readonly List<string> shortNames = new List<string>();

        public SourceMap() { }

        /// <summary>A map of one input whose positions are its line numbers.</summary>
        public SourceMap(string name) { Begin(1, name); }

        /// <summary>Segments (files or archive entries) so far.</summary>
        public int Count => starts.Count;

        /// <summary>
        /// The lines from position <paramref name="firstPosition"/> on come from <paramref name="name"/> (shown in
        /// identifiers as <paramref name="shortName"/>, by default its file name), the first of them being its line
        /// <paramref name="firstLine"/> (more than 1 when its first lines were skipped: a copy of a log already read).
        /// </summary>
        public void Begin(long firstPosition, string name, string shortName = null, long firstLine = 1)
        {
            int n = starts.Count;
            if (n > 0 && firstPosition < starts[n - 1]) throw new ArgumentException("segments are added in order", nameof(firstPosition));
            if (n > 0 && firstPosition == starts[n - 1])
            {
                // the previous segment holds no line: replaced
                n--;
                starts.RemoveAt(n); firstLines.RemoveAt(n); names.RemoveAt(n); shortNames.RemoveAt(n);
            }
            starts.Add(firstPosition);
            firstLines.Add(firstLine);
            names.Add(name);
            shortNames.Add(shortName ?? System.IO.Path.GetFileName(name ?? ""));
        }

        /// <summary>The segment of a position (the last one is the usual answer: a binary search otherwise).</summary>
        public int SegmentOf(long position)
        {
            int n = starts.Count;
            if (n == 0) return -1;
            if (position >= starts[n - 1]) return n - 1;
            int lo = 0, hi = n - 1;
            while (lo < hi)
            {
                int mid = (lo + hi + 1) >> 1;
                if (starts[mid] <= position) lo = mid; else hi = mid - 1;
            }
            return lo;
        }

        /// <summary>The file (or "archive.zip!entry") a position is in; null before the first segment.</summary>
        public string FileOf(long position)
        {
            int s = SegmentOf(position);
            return s < 0 ? null : names[s];
        }

        /// <summary>The line number of a position in its own file.</summary>
        public long LineOf(long position)
        {
            int s = SegmentOf(position);
            if (s < 0) return position;
            return position - starts[s] + firstLines[s];
        }

        /// <summary>The short name of a segment's input (file name, "archive.zip!entry").</summary>
        public string ShortNameOf(long position)
        {
            int s = SegmentOf(position);
            return s < 0 ? null : shortNames[s];
        }

        /// <summary>
        /// "line 17" when the position is in <paramref name="file"/>, else "line 17 of cftlog.2": how notes and
        /// explanations name a line of a session that spans files.
        /// </summary>
        public string Describe(long position, string file)
        {
            int s = SegmentOf(position);
            if (s < 0) return "line " + position.ToString(CultureInfo.InvariantCulture);
            string line = "line " + (position - starts[s] + firstLines[s]).ToString(CultureInfo.InvariantCulture);
            return string.Equals(names[s], file, StringComparison.Ordinal) ? line : line + " of " + shortNames[s];
        }

    }
}
