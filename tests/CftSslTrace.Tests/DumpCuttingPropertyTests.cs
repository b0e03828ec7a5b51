using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using CsCheck;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Invariants of the reader, as properties over real sessions (the record views of the fixtures): the same records
    /// cut into dump blocks in any way (a block a record, several records a block, a record over several blocks), with
    /// counts as the record length, as the plaintext length, 0, or anything up to the bytes dumped; any prefix style, LF
    /// or CRLF, spaces or tabs between the fields, with or without the ASCII column; interleaved with another session and
    /// with unrelated lines: the frames and the session's summary are those of the plain record view, with no warning.
    /// </summary>
    public class DumpCuttingPropertyTests
    {
        private sealed class Item
        {
            public string Event;          // a session line (CFTY19I, CFTY14I, HANDSHAKE DONE...) without CTX rewriting
            public bool Sent;
            public byte[] Record;
        }

        private sealed class Source
        {
            public string Name;
            public string Ctx;
            public List<Item> Items;
            public List<string> Frames;
            public string Summary;
        }

        private static readonly string[] Names =
        {
            "tls10-rsa-aes128", "tls11-rsa-aes256", "tls12-ecdhe-rsa-mutual", "tls12-rsa-aes256-sha256", "tls12-dhe-ocsp", "tls12-ecdhe-ecdsa",
            "tls13-server-auth", "tls13-mutual", "tls13-hello-retry", "tls12-large-certificate", "tls12-unknown-ca", "tls12-no-client-cert",
            "tls12-expired-certificate", "tls-version-mismatch", "tls12-no-shared-cipher", "tls13-no-client-cert",
        };

        private static readonly Lazy<List<Source>> Sources = new Lazy<List<Source>>(() => Names.Select(Load).ToList());

        private static string FrameText(TlsFrame f) => f.Index + " " + f.Direction + " " + f.Sender + " " + f.ContentType + " " + f.Version + " " + f.Length + " " + f.CapturedLength + " " + f.Messages + " " + f.Summary;
        private static string SessionText(CftSslSession s) => s.Role + "|" + s.Version + "|" + s.CipherSuiteId + "|" + s.Authentication + "|" + s.Result + "|" + s.Problem + "|" + s.ServerName + "|" + s.Ja4 + "|" + string.Join(";", s.HandshakeMessages.Select(m => m.Summary));

        /// <summary>A record view (one block a record) read back into its events and records.</summary>
        private static Source Load(string name)
        {
            string file = "real/" + name + ".client.log";
            var lines = File.ReadAllLines(Fixtures.PathOf(file));
            var items = new List<Item>();
            string ctx = null;
            for (int i = 0; i < lines.Length; i++)
            {
                string l = lines[i].Substring(lines[i].IndexOf("CFT", StringComparison.Ordinal));
                ctx ??= System.Text.RegularExpressions.Regex.Match(l, "CTX=([0-9a-f]+)").Groups[1].Value;
                if (l.Contains("()_ "))
                {
                    var bytes = new List<byte>();
                    for (int j = i + 1; j < lines.Length && lines[j].Contains("CFTY02Z>>") && !lines[j].Contains("()_ "); j++)
                    {
                        string dump = lines[j].Substring(lines[j].IndexOf("CTX=", StringComparison.Ordinal));
                        dump = dump.Substring(dump.IndexOf(' ') + 1);
                        if (!System.Text.RegularExpressions.Regex.IsMatch(dump, "^[0-9A-F]{2}")) break;
                        int ascii = dump.IndexOf('>');
                        foreach (var g in (ascii >= 0 ? dump.Substring(0, ascii) : dump).Split(' ', StringSplitOptions.RemoveEmptyEntries)) bytes.AddRange(Convert.FromHexString(g));
                        i = j;
                    }
                    items.Add(new Item { Sent = l.Contains("SENDING"), Record = bytes.ToArray() });
                }
                else items.Add(new Item { Event = l });
            }
            var reference = Fixtures.Frames(file).Select(FrameText).ToList();
            return new Source { Name = name, Ctx = ctx, Items = items, Frames = reference, Summary = SessionText(Fixtures.Sessions(file).Single()) };
        }

        /// <summary>How one rendering goes: everything but the bytes, drawn by CsCheck.</summary>
        public sealed class Plan
        {
            public int Session, Other, Prefix, Separator, CountStyle;
            public bool Crlf, Ascii, Interleave;
            public int Seed;
            public override string ToString() => $"session {Names[Session]} other {Names[Other]} prefix {Prefix} separator {Separator} counts {CountStyle} crlf {Crlf} ascii {Ascii} interleave {Interleave} seed {Seed}";
        }

        private static readonly Gen<Plan> Plans =
            from session in Gen.Int[0, Names.Length - 1]
            from other in Gen.Int[0, Names.Length - 1]
            from prefix in Gen.Int[0, 4]
            from separator in Gen.Int[0, 3]
            from counts in Gen.Int[0, 3]
            from crlf in Gen.Bool
            from ascii in Gen.Bool
            from interleave in Gen.Bool
            from seed in Gen.Int
            select new Plan { Session = session, Other = other, Prefix = prefix, Separator = separator, CountStyle = counts, Crlf = crlf, Ascii = ascii, Interleave = interleave, Seed = seed };

        private static string Stamp(int style, DateTime t) => style switch
        {
            0 => "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " ",
            1 => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " ",
            2 => "",
            3 => t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture) + " cft01 cft[4242]: ",
            _ => "[" + t.ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture) + "] ",
        };

        /// <summary>Renders a session's items as CFT lines, its records cut into blocks as the plan and the random draw say.</summary>
        private static List<string> Render(Source src, string ctx, Plan plan, Random rnd, bool plain)
        {
            string sep = plan.Separator switch { 0 => " ", 1 => "\t", 2 => "  ", _ => " \t" };
            if (plain) sep = " ";
            var lines = new List<string>();
            string Ctx(string message) => System.Text.RegularExpressions.Regex.Replace(message, "CTX=[0-9a-f]+", "CTX=" + ctx);
            // the blocks: pieces of records, merged while the direction stays the same
            var blocks = new List<(bool Sent, List<byte> Bytes, bool Whole, int Records)>();
            (bool Sent, List<byte> Bytes, bool Whole, int Records)? open = null;
            void Close() { if (open != null) blocks.Add(open.Value); open = null; }
            var order = new List<object>(); // events and block indexes, in log order
            foreach (var item in src.Items)
            {
                if (item.Event != null) { Close(); order.Add(item.Event); continue; }
                int pieces = plain ? 1 : rnd.Next(4) == 0 ? rnd.Next(2, 5) : 1;
                var cuts = Enumerable.Range(0, pieces - 1).Select(_ => rnd.Next(1, Math.Max(2, item.Record.Length))).Distinct().OrderBy(x => x).ToList();
                int from = 0;
                foreach (int to in cuts.Concat(new[] { item.Record.Length }))
                {
                    if (to <= from) continue;
                    var piece = item.Record.Skip(from).Take(to - from);
                    bool whole = from == 0 && to == item.Record.Length;
                    bool merge = !plain && open != null && open.Value.Sent == item.Sent && rnd.Next(3) > 0;
                    if (!merge) { Close(); open = (item.Sent, new List<byte>(), true, 0); order.Add(blocks.Count); }
                    var o = open.Value;
                    o.Bytes.AddRange(piece);
                    open = (o.Sent, o.Bytes, o.Whole && whole && from == 0, o.Records + (to == item.Record.Length ? 1 : 0));
                    // a block made only of whole records keeps Whole; one holding part of a record does not
                    if (!(from == 0 && to == item.Record.Length)) open = (open.Value.Sent, open.Value.Bytes, false, open.Value.Records);
                    from = to;
                }
            }
            Close();
            foreach (var o in order)
            {
                if (o is string e) { lines.Add(Ctx(e)); continue; }
                var b = blocks[(int)o];
                var bytes = b.Bytes.ToArray();
                int type = bytes[0];
                string kind = type == 23 ? "APPLICATION" : type == 21 ? "ALERT" : "HANDSHAKE";
                int count = plain ? bytes.Length : plan.CountStyle switch
                {
                    0 => bytes.Length,
                    1 => b.Whole && type == 23 ? Math.Max(0, bytes.Length - 5 * b.Records - 17 * b.Records) : bytes.Length, // plaintext-like
                    2 => b.Whole && type == 23 ? 0 : bytes.Length,
                    _ => rnd.Next(0, bytes.Length + 1),                                                                    // any count up to the bytes
                };
                lines.Add("CFTY02Z>>" + sep + "CTX=" + ctx + sep + (b.Sent ? (type == 23 ? "PDataRq()_ " : "SSLact()_ ") : "ndata()_ ") + count + " " + kind + " DATA " + (b.Sent ? "SENDING" : "RECEIVED FROM NETWORK"));
                for (int off = 0; off < bytes.Length; off += 16)
                {
                    int n = Math.Min(16, bytes.Length - off);
                    var groups = Enumerable.Range(0, (n + 3) / 4).Select(g => Convert.ToHexString(bytes, off + g * 4, Math.Min(4, n - g * 4)));
                    string ascii = new string(bytes.Skip(off).Take(n).Select(x => x >= 0x20 && x < 0x7F ? (char)x : '.').ToArray());
                    lines.Add("CFTY02Z>>" + sep + "CTX=" + ctx + sep + string.Join(sep, groups) + (plan.Ascii || plain ? " >" + ascii + "<" : ""));
                }
            }
            return lines;
        }

        private static string Log(Plan plan, out string ctx)
        {
            var rnd = new Random(plan.Seed);
            var src = Sources.Value[plan.Session];
            ctx = "2f" + (plan.Seed & 0xFFFF).ToString("x4", CultureInfo.InvariantCulture);
            var mine = Render(src, ctx, plan, rnd, plain: false);
            var all = new List<string>();
            if (plan.Interleave)
            {
                var other = Render(Sources.Value[plan.Other], "3e0001", plan, rnd, plain: true);
                int a = 0, o = 0;
                while (a < mine.Count || o < other.Count)
                {
                    if (o < other.Count && (a >= mine.Count || rnd.Next(2) == 0)) all.Add(other[o++]);
                    else all.Add(mine[a++]);
                    switch (rnd.Next(40))
                    {
                        case 0: all.Add("CFTT75E connect reject <IDTU=A00000BL PART=HPX18SSL IDF=SSL IDT=A2217045 260 PKI 040>"); break;
                        case 1: all.Add("CFTH11E Error Opening session <PART=HPX18SSL EV=VVTIMO ST=SUP01>"); break;
                        case 2: all.Add(""); break;
                    }
                }
            }
            else all = mine;
            var t = new DateTime(2026, 11, 24, 10, 0, 0);
            var sb = new StringBuilder();
            foreach (var l in all)
            {
                t = t.AddMilliseconds(7);
                sb.Append(l.Length == 0 ? "" : Stamp(plan.Prefix, t)).Append(l).Append(plan.Crlf ? "\r\n" : "\n");
            }
            return sb.ToString();
        }

        [Fact]
        public void AnyCuttingCountingPrefixSeparatorAndInterleaving_GivesTheSameFrames()
        {
            Plans.Sample(plan =>
            {
                string text = Log(plan, out string ctx);
                var diagnostics = new List<TraceDiagnostic>();
                var frames = new List<TlsFrame>();
                var reader = new SessionReader("property.log", new SessionReaderOptions { StreamFrames = true }) { Diagnostic = diagnostics.Add };
                var stream = new FrameStream(null, null, false, frames.Add);
                stream.Attach(reader);
                var sessions = new List<CftSslSession>();
                using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(text)))
                    foreach (var s in reader.ReadAll(ms)) { stream.OnSessionEnd(s); sessions.Add(s); }
                var src = Sources.Value[plan.Session];
                var session = sessions.Single(s => s.Ctx == ctx);
                if (diagnostics.Count > 0) throw new Exception(plan + ": " + diagnostics[0]);
                var mine = frames.Where(f => f.Ctx == ctx).Select(FrameText).ToList();
                if (!mine.SequenceEqual(src.Frames))
                {
                    int k = 0;
                    while (k < Math.Min(mine.Count, src.Frames.Count) && mine[k] == src.Frames[k]) k++;
                    throw new Exception(plan + ": frame " + (k + 1) + " differs:\n  got      " + (k < mine.Count ? mine[k] : "(none)") + "\n  expected " + (k < src.Frames.Count ? src.Frames[k] : "(none)"));
                }
                string summary = SessionText(session);
                if (summary != src.Summary) throw new Exception(plan + ": session differs:\n  got      " + summary + "\n  expected " + src.Summary);
            }, iter: int.Parse(Environment.GetEnvironmentVariable("CFTSSLTRACE_PROPERTY_ITER") ?? "300"), threads: 1);
        }
    }
}
