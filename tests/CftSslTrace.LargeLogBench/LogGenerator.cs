using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CftSslTrace.LargeLogBench
{
    /// <summary>
    /// Writes large CFT logs from the real fixtures (tests/fixtures/real): the sessions' own lines, CTX values renumbered
    /// (and reused), node+date prefixes and CRLF as CFT writes them, and application data as TRACE=255 dumps it: after
    /// the handshake of an established session, the file transfer's records (PDataRq/ndata headers counting the
    /// plaintext, then the record's dump lines).
    /// </summary>
    internal sealed class LogGenerator
    {
        private static readonly Regex CtxPattern = new Regex("CTX=[0-9a-f]{6}", RegexOptions.Compiled);
        private readonly List<Template> templates = new List<Template>();
        private readonly Random rnd = new Random(7);
        private readonly StreamWriter w;
        private DateTime t = new DateTime(2026, 11, 27, 0, 0, 0); // after the fixtures' certificates were made (2026-11-24): not "not yet valid"
        private int ctxCounter;
        /// <summary>Time between two lines (3 ms: several lines share a prefix's hundredth of a second).</summary>
        public TimeSpan LineInterval { get; set; } = TimeSpan.FromMilliseconds(3);
        /// <summary>Write the node and date prefix (false: the lines carry no time, as a trace pasted without prefixes).</summary>
        public bool Prefixes { get; set; } = true;
        private readonly byte[] noise = new byte[1 << 16];
        public long Written { get; private set; }
        public long Sessions { get; private set; }
        public long Lines { get; private set; }

        private sealed class Template
        {
            public string[] Lines;
            public bool Established;
            public int ClosingAt;    // index of the closing line
            public bool CftIsClient;
            public int RecordVersion; // 0x0301...
            public bool Tls13;
        }

        public LogGenerator(string root, string path)
        {
            var real = Path.Combine(root, "tests", "fixtures", "real");
            foreach (var f in Directory.GetFiles(real, "*.log").Where(f => !f.EndsWith("busy.log", StringComparison.Ordinal)).OrderBy(f => f))
            {
                var lines = File.ReadAllLines(f).Select(l => l.Substring(l.IndexOf("CFT", StringComparison.Ordinal))).ToArray();
                // one template per session of the file (resumption files hold two)
                int start = 0;
                for (int i = 0; i < lines.Length; i++)
                {
                    if (!lines[i].StartsWith("CFTY11I", StringComparison.Ordinal) && !lines[i].StartsWith("CFTY12I", StringComparison.Ordinal)) continue;
                    var part = lines.Skip(start).Take(i - start + 1).ToArray();
                    start = i + 1;
                    templates.Add(new Template
                    {
                        Lines = part,
                        ClosingAt = part.Length - 1,
                        Established = part.Any(l => l.StartsWith("CFTY14I", StringComparison.Ordinal) || l.StartsWith("CFTY15I", StringComparison.Ordinal)),
                        CftIsClient = part[0].StartsWith("CFTY19I", StringComparison.Ordinal),
                        RecordVersion = Path.GetFileName(f).StartsWith("tls10", StringComparison.Ordinal) ? 0x0301 : Path.GetFileName(f).StartsWith("tls11", StringComparison.Ordinal) ? 0x0302 : 0x0303,
                        Tls13 = Path.GetFileName(f).StartsWith("tls13", StringComparison.Ordinal),
                    });
                }
            }
            rnd.NextBytes(noise);
            w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\r\n" };
        }

        public void Dispose() => w.Dispose();

        /// <summary>
        /// A day of a busy server: sessions four to eight at a time, most with a small transfer, one in a hundred with a
        /// large one. Without closing: no transfers, and no session writes its closing line.
        /// </summary>
        public void Busy(long size, bool closing = true)
        {
            var active = new List<Queue<string>>();
            while (Written < size)
            {
                while (active.Count < 4 + rnd.Next(5))
                {
                    var tpl = templates[rnd.Next(templates.Count)];
                    long transfer = !tpl.Established || !closing ? 0 : rnd.Next(100) < 1 ? rnd.Next(256, 1024) * 1024L : rnd.Next(1, 16) * 1024L;
                    active.Add(new Queue<string>(Session(tpl, NextCtx(), transfer, closing)));
                    Sessions++;
                }
                var q = active[rnd.Next(active.Count)];
                for (int k = rnd.Next(1, 8); k > 0 && q.Count > 0; k--) Line(q.Dequeue());
                if (q.Count == 0) active.Remove(q);
            }
            foreach (var q in active) while (q.Count > 0) Line(q.Dequeue());
        }

        /// <summary>
        /// A log to read across files: sessions three to six at a time, one in eight without its closing line (returned
        /// idle), small transfers, CTX values reused (64 of them), unrelated CFT lines, and once, at two fifths of the
        /// size, ten minutes without a line (longer than the idle rule: the sessions open then are returned idle and go
        /// on as new sessions).
        /// </summary>
        public void History(long size)
        {
            var active = new List<Queue<string>>();
            bool gap = false;
            while (Written < size)
            {
                if (!gap && Written > size * 2 / 5) { t = t.AddMinutes(10); gap = true; }
                while (active.Count < 3 + rnd.Next(4))
                {
                    var tpl = templates[rnd.Next(templates.Count)];
                    bool closes = rnd.Next(8) != 0;
                    long transfer = tpl.Established && closes ? rnd.Next(1, 8) * 256L : 0;
                    active.Add(new Queue<string>(Session(tpl, NextCtx(64), transfer, closes)));
                    Sessions++;
                }
                if (rnd.Next(40) == 0) Line("CFTT13I Session parameters <PART=PARTNER0" + rnd.Next(1, 9) + " PROT=PESITSSL SAP=1761 HOST=127.0.0.1>");
                var q = active[rnd.Next(active.Count)];
                for (int k = rnd.Next(1, 8); k > 0 && q.Count > 0; k--) Line(q.Dequeue());
                if (q.Count == 0) active.Remove(q);
            }
            foreach (var q in active) while (q.Count > 0) Line(q.Dequeue());
        }

        /// <summary>
        /// A busy server whose sessions are mostly handshakes: the fixtures' sessions (of every kind, failures included)
        /// four to eight at a time, a transfer of at most 1 KB on one in four of the established ones.
        /// </summary>
        public void Handshakes(long size)
        {
            var active = new List<Queue<string>>();
            while (Written < size)
            {
                while (active.Count < 4 + rnd.Next(5))
                {
                    var tpl = templates[rnd.Next(templates.Count)];
                    long transfer = tpl.Established && rnd.Next(4) == 0 ? rnd.Next(1, 5) * 256L : 0;
                    active.Add(new Queue<string>(Session(tpl, NextCtx(), transfer, true)));
                    Sessions++;
                }
                var q = active[rnd.Next(active.Count)];
                for (int k = rnd.Next(1, 8); k > 0 && q.Count > 0; k--) Line(q.Dequeue());
                if (q.Count == 0) active.Remove(q);
            }
            foreach (var q in active) while (q.Count > 0) Line(q.Dequeue());
        }

        /// <summary>
        /// A log of one-line sessions: each line a dump line of a CTX seen once, without opening line or data header
        /// (what a log of unrelated lines that look like trace lines gives): every line a session, and a warning.
        /// </summary>
        public void OneLine(long size)
        {
            while (Written < size)
            {
                Line("CFTY02Z>> CTX=" + (0x100000 + ctxCounter++ % 0xEFFFFF).ToString("x6", CultureInfo.InvariantCulture) + " 16030100 2A020000 26030336 A1BE1AF8 >....*...&..6....<");
                Sessions++;
            }
        }

        /// <summary>One session whose transfer fills the log: a large file sent through CFT (the log is about 6.4 times the data).</summary>
        public void Transfer(long size)
        {
            var tpl = templates.First(x => x.Established && x.CftIsClient && x.RecordVersion == 0x0303 && !x.Tls13);
            Sessions++;
            string ctx = NextCtx();
            foreach (var l in Session(tpl, ctx, long.MaxValue, true))
            {
                Line(l);
                if (Written >= size) break;
            }
            Line(CtxPattern.Replace(tpl.Lines[tpl.ClosingAt], ctx));
        }

        private string NextCtx(int distinct = 4096) => "CTX=" + (0x200000 + (ctxCounter++ % distinct)).ToString("x6", CultureInfo.InvariantCulture);

        /// <summary>The template's lines with its CTX, and before its closing line a transfer of about transferBytes.</summary>
        private IEnumerable<string> Session(Template tpl, string ctx, long transferBytes, bool closing)
        {
            for (int i = 0; i < tpl.Lines.Length; i++)
            {
                if (i == tpl.ClosingAt)
                {
                    if (transferBytes > 0) foreach (var l in TransferLines(tpl, ctx, transferBytes)) yield return l;
                    if (!closing) yield break;
                }
                yield return CtxPattern.Replace(tpl.Lines[i], ctx);
            }
        }

        /// <summary>
        /// A PeSIT file transfer as TRACE=255 shows it: the sender's records of 4 KB of data (plus MAC and padding), each
        /// announced with the plaintext count, and now and then a small acknowledgement the other way.
        /// </summary>
        private IEnumerable<string> TransferLines(Template tpl, string ctx, long bytes)
        {
            bool cftSends = rnd.Next(2) == 0;
            int overhead = tpl.Tls13 ? 17 : tpl.RecordVersion == 0x0303 ? 24 : 32;
            int version = tpl.Tls13 ? 0x0303 : tpl.RecordVersion;
            long sent = 0;
            int n = 0;
            while (sent < bytes)
            {
                int plain = (int)Math.Min(4096, bytes - sent);
                foreach (var l in Record(ctx, cftSends, version, plain, plain + overhead)) yield return l;
                sent += plain;
                if (++n % 16 == 0) foreach (var l in Record(ctx, !cftSends, version, 24, 24 + overhead)) yield return l;
            }
        }

        private IEnumerable<string> Record(string ctx, bool cftSends, int version, int plaintext, int length)
        {
            yield return cftSends ? "CFTY02Z>> " + ctx + " PDataRq()_ " + plaintext + " APPLICATION DATA SENDING"
                                  : "CFTY02Z>> " + ctx + " ndata()_ " + plaintext + " APPLICATION DATA RECEIVED FROM NETWORK";
            var rec = new byte[5 + length];
            rec[0] = 23; rec[1] = (byte)(version >> 8); rec[2] = (byte)version; rec[3] = (byte)(length >> 8); rec[4] = (byte)length;
            Buffer.BlockCopy(noise, rnd.Next(noise.Length - length), rec, 5, length);
            var sb = new StringBuilder(100);
            for (int off = 0; off < rec.Length; off += 16)
            {
                sb.Clear().Append("CFTY02Z>> ").Append(ctx).Append(' ');
                int k = Math.Min(16, rec.Length - off);
                for (int i = 0; i < k; i++)
                {
                    if (i > 0 && i % 4 == 0) sb.Append(' ');
                    sb.Append(rec[off + i].ToString("X2", CultureInfo.InvariantCulture));
                }
                sb.Append(" >");
                for (int i = 0; i < k; i++) { byte b = rec[off + i]; sb.Append(b >= 0x20 && b < 0x7F ? (char)b : '.'); }
                sb.Append('<');
                yield return sb.ToString();
            }
        }

        private void Line(string message)
        {
            t = t.Add(LineInterval);
            string prefix = Prefixes ? "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " " : "";
            w.Write(prefix);
            w.Write(message);
            w.Write("\r\n");
            Written += prefix.Length + message.Length + 2;
            Lines++;
        }
    }
}
