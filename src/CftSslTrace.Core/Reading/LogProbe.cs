using System;
using System.IO;
using System.Text;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// What the first lines of an input say, read before the history is read: the time of its first dated CFT line (by
    /// which inputs are ordered), whether it holds CFT lines at all in its first megabytes (else what it looks like), and
    /// a fingerprint of its first lines (a copy of a log already read starts with the same lines).
    /// </summary>
    public sealed class LogProbe
    {
        /// <summary>Bytes of text looked at, at most, for a CFT line and its time.</summary>
        public const int ProbeBytes = 4 << 20;
        /// <summary>Lines hashed into the fingerprint.</summary>
        public const int HeadLines = 64;
        private const int LookBytes = 4096;
        private const int ProbeBuffer = 16 << 10;

        /// <summary>The time of the first CFT line with a readable time, or null.</summary>
        public DateTime? FirstTime { get; private set; }
        /// <summary>A CFT message code (CFTxnnS) was found in the bytes looked at.</summary>
        public bool HasCftLine { get; private set; }
        /// <summary>The input holds no byte.</summary>
        public bool Empty { get; private set; }
        /// <summary>Hash of the first <see cref="HeadLines"/> lines (or all of them, fewer), and how many.</summary>
        public ulong HeadHash { get; private set; }
        public int HeadLineCount { get; private set; }
        /// <summary>For an input without CFT lines: what it looks like and what to try.</summary>
        public string LooksLike { get; private set; }

        /// <summary>Reads the start of a source (and records the result on it).</summary>
        public static LogProbe Of(LogSource source, Encoding encoding)
        {
            using (var stream = source.Open())
            {
                var p = Of(stream, encoding);
                source.Probe = p;
                return p;
            }
        }

        internal static LogProbe Of(Stream stream, Encoding encoding)
        {
            var p = new LogProbe();
            var look = new byte[LookBytes];
            int got = LogSource.ReadFully(stream, look, look.Length);
            if (got == 0) { p.Empty = true; p.LooksLike = "an empty file"; return p; }
            // a small buffer: the first lines are read (a reader's full one, for each of a thousand switched files, cost more
            // than reading them)
            var lines = new LineReader(new PrefixedStream(look, 0, got, stream), encoding, buffer: new byte[ProbeBuffer]);
            ulong hash = 14695981039346656037UL;
            long bytes = 0;
            while (bytes < ProbeBytes && ReadLine(lines, p))
            {
                var b = lines.Buffer;
                int start = lines.LineStart, end = start + lines.LineLength;
                bytes += lines.LineLength + 1;
                if (p.HeadLineCount < HeadLines)
                {
                    for (int i = start; i < end; i++) { hash ^= b[i]; hash *= 1099511628211UL; }
                    hash ^= 10; hash *= 1099511628211UL;
                    p.HeadLineCount++;
                }
                if (p.FirstTime == null)
                {
                    int code = AsciiBytes.FindCode(b, start, end);
                    if (code >= 0)
                    {
                        p.HasCftLine = true;
                        if (code > start) p.FirstTime = TimestampParser.Parse(b, start, code, out _);
                    }
                }
                if (p.FirstTime != null && p.HeadLineCount >= HeadLines) break;
            }
            p.HeadHash = hash;
            if (!p.HasCftLine) p.LooksLike = Describe(look, got, lines.EncodingWarning);
            return p;
        }

        /// <summary>The next line; false at the end or at a read error (a damaged archive: what was read before it counts).</summary>
        private static bool ReadLine(LineReader lines, LogProbe p)
        {
            try { return lines.Read(); }
            catch (Exception e) when (LogHistory.IsReadError(e))
            {
                p.ReadError = e.Message;
                return false;
            }
        }

        /// <summary>The input could not be read to the end of what was looked at (a damaged archive): why.</summary>
        public string ReadError { get; private set; }

        /// <summary>What bytes that hold no CFT line look like, and what to try.</summary>
        internal static string Describe(byte[] b, int length, string encodingWarning)
        {
            if (encodingWarning != null && encodingWarning.IndexOf("EBCDIC", StringComparison.Ordinal) >= 0)
                return "EBCDIC text (a z/OS log transferred in binary?): read it with -Encoding IBM1047 (or the code page of the system that wrote it, e.g. IBM037), or transfer it in text mode";
            string known = KnownBinary(b, length);
            if (known != null) return known;
            int control = 0, high = 0;
            for (int i = 0; i < length; i++)
            {
                byte c = b[i];
                if (c < 0x20 && c != (byte)'\t' && c != (byte)'\n' && c != (byte)'\r' && c != 0x0C) control++;
                else if (c >= 0x80) high++;
            }
            if (control > length / 20) return "binary data (" + (control * 100 / length) + "% control bytes in its first " + length + " bytes), not text";
            string first = FirstLine(b, length);
            if (high > length / 4)
                return "text in an encoding that is not UTF-8, Latin-1 or UTF-16 (first line: '" + first + "'): if it is a CFT log, read it with -Encoding (a code page such as 1252, or IBM1047 for EBCDIC)";
            return "text without any CFT message code (CFTxnnS) in its first megabytes, another product's log? (first line: '" + first + "'); if it is a CFT log in another encoding, read it with -Encoding";
        }

        private static string KnownBinary(byte[] b, int n)
        {
            if (Starts(b, n, "MZ") && n > 64) return "a Windows program or library (MZ), not text";
            if (Starts(b, n, "\u007FELF")) return "an ELF program or library, not text";
            if (Starts(b, n, "%PDF")) return "a PDF document, not text";
            if (Starts(b, n, "\u0089PNG")) return "a PNG image, not text";
            if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "a JPEG image, not text";
            if (Starts(b, n, "SQLite format 3")) return "an SQLite database, not text";
            if (Starts(b, n, "ElfFile")) return "a Windows event log (.evtx), not text: export it as text first";
            if (n >= 4 && b[0] == 0xD0 && b[1] == 0xCF && b[2] == 0x11 && b[3] == 0xE0) return "a Microsoft Office or installer document (OLE), not text";
            if (Starts(b, n, "\u00D4\u00C3\u00B2\u00A1") || Starts(b, n, "\u00A1\u00B2\u00C3\u00D4") || (n >= 4 && b[0] == 0x0A && b[1] == 0x0D && b[2] == 0x0D && b[3] == 0x0A))
                return "a network capture (pcap/pcapng), not a CFT log: open it with Wireshark";
            return null;
        }

        private static bool Starts(byte[] b, int n, string magic)
        {
            if (n < magic.Length) return false;
            for (int i = 0; i < magic.Length; i++) if (b[i] != (byte)magic[i]) return false;
            return true;
        }

        /// <summary>The first non-blank line, cut to 60 characters, its control characters shown as '.'.</summary>
        private static string FirstLine(byte[] b, int n)
        {
            int i = 0;
            while (i < n && (b[i] == (byte)'\r' || b[i] == (byte)'\n' || b[i] == (byte)' ' || b[i] == (byte)'\t')) i++;
            var sb = new StringBuilder();
            for (; i < n && b[i] != (byte)'\n' && b[i] != (byte)'\r' && sb.Length < 60; i++)
                sb.Append(b[i] < 0x20 || b[i] == 0x7F ? '.' : (char)b[i]);
            if (i < n && b[i] != (byte)'\n' && b[i] != (byte)'\r') sb.Append('…');
            return sb.ToString();
        }
    }
}
