using System;
using System.Collections.Generic;
using System.IO;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Follows a live CFT log, as tail -F does: each <see cref="Poll"/> reads the complete lines written since the last
    /// one and returns the sessions that are over (their closing line a moment ago, their CTX reused, idle for the idle
    /// timeout counted up to now). When CFT switches its log (the file renamed away and a new one created at the same
    /// path, or the file truncated), the rest of the old file is read, then the new file from its start: sessions open
    /// across the switch go on in it.
    /// Reads UTF-8 and Latin-1 logs line by line (CFT's own), or a single-byte encoding given in the reader's options.
    /// </summary>
    public sealed class LogFollower : IDisposable
    {
        private readonly string path;
        private readonly SessionReader reader;
        private readonly System.Text.Encoding encoding;
        private FileStream stream;
        private byte[] signature;            // the first bytes of the file followed: a different start is a new file
        private readonly byte[] buffer = new byte[1 << 16];
        private byte[] pending = new byte[256]; // the start of a line not yet ended
        private int pendingCount;
        private bool pendingCr;               // the last byte read was a CR: a LF right after it belongs to the same line end
        private long line;

        /// <summary>Closed sessions are returned this long after their closing line (stragglers of the same CTX come first).</summary>
        public TimeSpan ClosingGrace { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>How many times the log was switched (renamed and recreated, or truncated) while followed.</summary>
        public int Switches { get; private set; }

        /// <param name="path">The log (cftlog).</param>
        /// <param name="reader">The reader the lines are fed to (its options, diagnostics and frame stream are the caller's).</param>
        /// <param name="encoding">Null for CFT's UTF-8 / Latin-1; otherwise a single-byte encoding.</param>
        public LogFollower(string path, SessionReader reader, System.Text.Encoding encoding = null)
        {
            this.path = path;
            this.reader = reader;
            this.encoding = encoding;
            Open();
        }

        private void Open()
        {
            stream = SessionReader.OpenFile(path);
            signature = null;
            pendingCount = 0;
            pendingCr = false;
        }

        /// <summary>Reads what was written since the last call; returns the sessions that are now over.</summary>
        public List<CftSslSession> Poll(DateTime now)
        {
            var result = new List<CftSslSession>();
            ReadAvailable(result);
            if (IsSwitched())
            {
                // the rest of the old file first, then the new one from its start
                ReadAvailable(result);
                FlushPartialLine(result);
                stream.Dispose();
                // the reader keeps its open sessions across the switch
                reader.SwitchFile(path);
                Switches++;
                try { Open(); } catch (FileNotFoundException) { stream = null; }
                catch (IOException) { stream = null; }
                if (stream != null) ReadAvailable(result);
            }
            result.AddRange(reader.Tick(now, ClosingGrace));
            return result;
        }

        /// <summary>Stops following: the last line if it has no line end, then every session still open (EndOfInput).</summary>
        public List<CftSslSession> Stop()
        {
            var result = new List<CftSslSession>();
            FlushPartialLine(result);
            result.AddRange(reader.Complete());
            return result;
        }

        private void ReadAvailable(List<CftSslSession> result)
        {
            if (stream == null)
            {
                // the log was renamed away and not recreated yet
                if (!File.Exists(path)) return;
                try { Open(); } catch (IOException) { return; }
            }
            int n;
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (signature == null || signature.Length < 64) Sign(n);
                Split(n, result);
            }
        }

        private void Sign(int n)
        {
            int have = signature?.Length ?? 0;
            int take = Math.Min(64 - have, n);
            var s = new byte[have + take];
            if (have > 0) Buffer.BlockCopy(signature, 0, s, 0, have);
            Buffer.BlockCopy(buffer, 0, s, have, take);
            signature = s;
        }

        private void Split(int n, List<CftSslSession> result)
        {
            int start = 0;
            for (int i = 0; i < n; i++)
            {
                byte b = buffer[i];
                if (b != (byte)'\n' && b != (byte)'\r') { pendingCr = false; continue; }
                if (b == (byte)'\n' && pendingCr && i == start && pendingCount == 0) { pendingCr = false; start = i + 1; continue; } // the LF of a CRLF split between reads
                Append(buffer, start, i - start);
                EmitLine(result);
                pendingCr = b == (byte)'\r';
                if (pendingCr && i + 1 < n && buffer[i + 1] == (byte)'\n') { i++; pendingCr = false; }
                start = i + 1;
            }
            Append(buffer, start, n - start);
        }

        private void Append(byte[] b, int offset, int count)
        {
            if (count <= 0) return;
            if (pendingCount + count > pending.Length)
            {
                if (pendingCount + count > LineReader.MaxLineBytes) count = Math.Max(0, LineReader.MaxLineBytes - pendingCount); // a line without end: cut
                Array.Resize(ref pending, Math.Min(LineReader.MaxLineBytes, Math.Max(pending.Length * 2, pendingCount + count)));
            }
            Buffer.BlockCopy(b, offset, pending, pendingCount, count);
            pendingCount += count;
        }

        private void EmitLine(List<CftSslSession> result)
        {
            string text = encoding != null ? encoding.GetString(pending, 0, pendingCount) : AsciiBytes.Text(pending, 0, pendingCount);
            pendingCount = 0;
            result.AddRange(reader.FeedLine(++line, text));
        }

        private void FlushPartialLine(List<CftSslSession> result)
        {
            if (pendingCount > 0) EmitLine(result);
        }

        /// <summary>The file at the path is no longer the one followed: shorter than what was read, or starting differently.</summary>
        private bool IsSwitched()
        {
            if (stream == null) return false;
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) return false; // renamed away: keep reading the old file until a new one appears
                if (info.Length < stream.Position) return true; // truncated (or replaced by a shorter file)
                if (signature == null || signature.Length == 0) return false;
                using (var fresh = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    var head = new byte[signature.Length];
                    int got = 0, k;
                    while (got < head.Length && (k = fresh.Read(head, got, head.Length - got)) > 0) got += k;
                    if (got < signature.Length) return true; // a new file, still shorter than our signature
                    for (int i = 0; i < signature.Length; i++) if (head[i] != signature[i]) return true;
                }
                return false;
            }
            catch (IOException) { return false; }
            catch (UnauthorizedAccessException) { return false; }
        }

        public void Dispose() => stream?.Dispose();
    }
}
