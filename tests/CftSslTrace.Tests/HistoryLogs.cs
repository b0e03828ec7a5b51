using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Multi-session logs written from the real fixtures (the benchmark's generator, in its "history" mode: interleaved
    /// sessions, some without closing line, CTX values reused, a gap longer than the idle rule), cut into files as CFT's
    /// log switches cut them, and what a reading gives, as text in which every line is named by its position in the whole
    /// log: a reading of the pieces and a reading of the whole compare equal when they read the same.
    /// </summary>
    internal static class HistoryLogs
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, string> Made = new Dictionary<string, string>();

        /// <summary>A generated log (made once per test run): dated (node and date prefixes, 10 ms a line) or without times.</summary>
        public static string Log(bool dated, int kib = 1024)
        {
            string key = dated + "-" + kib;
            lock (Gate)
            {
                if (Made.TryGetValue(key, out var path)) return path;
                string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-history-" + Environment.ProcessId);
                Directory.CreateDirectory(dir);
                path = Path.Combine(dir, (dated ? "dated" : "undated") + "-" + kib + ".log");
                var g = new LargeLogBench.LogGenerator(Path.GetFullPath(Path.Combine(Fixtures.Root, "..", "..")), path)
                {
                    LineInterval = TimeSpan.FromMilliseconds(10),
                    Prefixes = dated,
                };
                g.History((long)kib << 10);
                g.Dispose();
                Made[key] = path;
                return path;
            }
        }

        /// <summary>The lines of a file with their line ends (CRLF), as bytes.</summary>
        public static List<byte[]> Lines(string path)
        {
            var all = File.ReadAllBytes(path);
            var lines = new List<byte[]>();
            int start = 0;
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i] != (byte)'\n') continue;
                lines.Add(all.AsSpan(start, i + 1 - start).ToArray());
                start = i + 1;
            }
            if (start < all.Length) lines.Add(all.AsSpan(start).ToArray());
            return lines;
        }

        /// <summary>How a piece is stored.</summary>
        public enum Storage { Plain, GZip, GZipTwoMembers, Zip }

        /// <summary>A piece of a cut log: its lines [First, First + Count) of the whole (0-based), and where it went.</summary>
        public sealed class Piece
        {
            public int First, Count;
            public string Name;          // the file's name, or the entry's name in a zip
            public Storage Storage;
            public string Archive;       // for a zip entry: the archive's file name
        }

        /// <summary>Writes the pieces into a new folder (zip entries grouped in their archives); returns the folder.</summary>
        public static string Write(List<byte[]> lines, IList<Piece> pieces)
        {
            string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-cut-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(dir);
            foreach (var group in pieces.Where(p => p.Storage == Storage.Zip).GroupBy(p => p.Archive))
            {
                using var zip = ZipFile.Open(Path.Combine(dir, group.Key), ZipArchiveMode.Create);
                foreach (var p in group)
                {
                    using var s = zip.CreateEntry(p.Name).Open();
                    WriteLines(s, lines, p.First, p.Count);
                }
            }
            foreach (var p in pieces.Where(p => p.Storage != Storage.Zip))
            {
                using var fs = File.Create(Path.Combine(dir, p.Name));
                switch (p.Storage)
                {
                    case Storage.Plain:
                        WriteLines(fs, lines, p.First, p.Count);
                        break;
                    case Storage.GZip:
                        using (var gz = new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true)) WriteLines(gz, lines, p.First, p.Count);
                        break;
                    case Storage.GZipTwoMembers:
                        int half = p.Count / 2;
                        using (var gz = new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true)) WriteLines(gz, lines, p.First, half);
                        using (var gz = new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true)) WriteLines(gz, lines, p.First + half, p.Count - half);
                        break;
                }
            }
            return dir;
        }

        private static void WriteLines(Stream s, List<byte[]> lines, int first, int count)
        {
            for (int i = first; i < first + count; i++) s.Write(lines[i], 0, lines[i].Length);
        }

        /// <summary>Where each piece's line 1 is in the whole log: its name (path, short name, "archive.zip!entry") to the position before it.</summary>
        public static Dictionary<string, long> Offsets(string dir, IEnumerable<Piece> pieces)
        {
            var d = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var p in pieces)
            {
                string shortName = p.Storage == Storage.Zip ? p.Archive + LogSource.EntrySeparator + p.Name : p.Name;
                d[shortName] = p.First;
                d[Path.Combine(dir, shortName)] = p.First;
            }
            return d;
        }

        public sealed class Reading
        {
            public List<CftSslSession> Sessions = new List<CftSslSession>();
            public List<TlsFrame> Frames = new List<TlsFrame>();
            public List<TraceDiagnostic> Diagnostics = new List<TraceDiagnostic>();
            public List<string> Notes = new List<string>();
        }

        /// <summary>Reads files as one history, as Get-CftSslSession and Get-CftSslFrame do (sessions and every frame, application data included).</summary>
        public static Reading Read(IEnumerable<string> files, int threads = 0, Encoding encoding = null)
        {
            var r = new Reading();
            var history = LogHistory.Open(files, encoding, r.Diagnostics.Add);
            r.Notes.AddRange(history.Notes);
            var reader = new SessionReader(history.Sources.Count > 0 ? history.Sources[0].Name : "", new SessionReaderOptions { StreamFrames = true, Threads = threads, Encoding = encoding }) { Diagnostic = r.Diagnostics.Add };
            var stream = new FrameStream(null, null, false, r.Frames.Add);
            stream.Attach(reader);
            foreach (var s in reader.ReadAll(history)) { stream.OnSessionEnd(s); r.Sessions.Add(s); }
            return r;
        }

        /// <summary>
        /// What a reading says, every line named by its position in the whole log: sessions (identity, result, counters,
        /// problem and explanation, frames, events, notes but those that say a session went on in the next file), the
        /// frame stream, and the warnings. Checks on the way that each object's file and line are its position's.
        /// </summary>
        public static string Canon(Reading r, Dictionary<string, long> offsets)
        {
            long Pos(string file, long line)
            {
                if (!offsets.TryGetValue(file ?? "", out long o)) throw new InvalidOperationException("no piece named " + file);
                return o + line;
            }
            string Norm(string text, string sessionFile)
            {
                if (text == null) return "";
                text = Regex.Replace(text, @"([^\s,;()]+):(\d+):([0-9A-Za-z]+)", m => offsets.ContainsKey(m.Groups[1].Value) ? "@" + Pos(m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) + ":" + m.Groups[3].Value : m.Value);
                text = Regex.Replace(text, @"line (\d+) of (\S+?)(?=[:;,)\s]|$)", m => "line @" + Pos(m.Groups[2].Value, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
                text = Regex.Replace(text, @"line (\d+)(?! of)", m => "line @" + Pos(sessionFile, long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
                return text;
            }
            string Id(string sessionId)
            {
                if (sessionId == null) return "";
                var m = Regex.Match(sessionId, @"^(.*):(\d+):([^:]*)$");
                return "@" + Pos(m.Groups[1].Value, long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)) + ":" + m.Groups[3].Value;
            }
            var o = new StringBuilder();
            foreach (var s in r.Sessions)
            {
                Check(Pos(s.File, s.FirstLine) == s.FirstPosition, "session " + s.SessionId + ": file and first line " + s.File + ":" + s.FirstLine + " are not its position " + s.FirstPosition);
                Check(Pos(s.LastFile, s.LastLine) == s.LastPosition, "session " + s.SessionId + ": last file and line " + s.LastFile + ":" + s.LastLine + " are not its position " + s.LastPosition);
                o.Append("session ").Append(Id(s.SessionId)).Append(" to @").Append(s.LastPosition).Append(' ').Append(s.Role).Append(' ').Append(s.PartnerOrProtocol).Append(' ').Append(s.Result)
                 .Append(' ').Append(s.Version).Append(' ').Append(s.CipherSuiteId).Append(' ').Append(s.Authentication).Append(' ').Append(s.EndedBy).Append(' ').Append(s.OpeningMissing)
                 .Append(' ').Append(T(s.StartTime)).Append(' ').Append(T(s.EndTime)).Append(" continues ").Append(Id(s.ContinuesFrom))
                 .Append(" records ").Append(s.RecordsSent).Append('/').Append(s.RecordsReceived).Append(" bytes ").Append(s.BytesSent).Append('/').Append(s.BytesReceived)
                 .Append(" app ").Append(s.ApplicationDataRecords).Append(' ').Append(T(s.FirstApplicationData)).Append(' ').Append(T(s.LastApplicationData))
                 .Append(" | ").Append(Norm(s.Problem, s.File)).Append(" | ").Append(Norm(s.Explanation, s.File)).Append(" | ").Append(s.Ja4).Append('\n');
                foreach (var f in s.Frames)
                {
                    Check(Pos(f.File, f.Line) == f.Position, "frame of " + s.SessionId + " at " + f.File + ":" + f.Line + " is not at its position " + f.Position);
                    o.Append("  frame @").Append(f.Position).Append(' ').Append(f.Index).Append(' ').Append(f.Direction).Append(' ').Append(f.ContentType).Append(' ').Append(f.Length).Append(' ').Append(f.CapturedLength).Append(' ').Append(Norm(f.Summary, s.File)).Append('\n');
                }
                foreach (var e in s.Events)
                {
                    Check(Pos(e.File, e.Line) == e.Position, "event " + e.Code + " of " + s.SessionId + " at " + e.File + ":" + e.Line + " is not at its position " + e.Position);
                    o.Append("  event @").Append(e.Position).Append(' ').Append(e.Code).Append(' ').Append(Norm(e.MatchedBy, s.File)).Append('\n');
                }
                foreach (var t in s.Transfers) o.Append("  transfer @").Append(Pos(t.File, t.Line)).Append(' ').Append(t).Append('\n');
                foreach (var n in s.Notes.Where(n => !n.Contains("the session goes on in"))) o.Append("  note ").Append(Norm(n, s.File)).Append('\n');
            }
            foreach (var f in r.Frames)
                o.Append("stream ").Append(Id(f.SessionId)).Append(" @").Append(Pos(f.File, f.Line)).Append(' ').Append(f.Index).Append(' ').Append(f.ContentType).Append(' ').Append(f.Length).Append(' ').Append(f.Summary).Append('\n');
            foreach (var d in r.Diagnostics)
                o.Append("warning ").Append(d.Kind).Append(" @").Append(Pos(d.File, d.Line)).Append(' ').Append(Norm(d.Message, d.File)).Append('\n');
            return o.ToString();
        }

        private static string T(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss.ff", CultureInfo.InvariantCulture) ?? "-";

        private static void Check(bool condition, string message)
        {
            if (!condition) throw new InvalidOperationException(message);
        }
    }
}
