using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Export;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using CftSslTrace.X509;

namespace CftSslTrace.Fuzz
{
    /// <summary>An input that breaks a rule the decoder promises (not an exception: a difference between two ways of reading).</summary>
    public sealed class FuzzFinding : Exception
    {
        public FuzzFinding(string message) : base(message) { }
    }

    /// <summary>
    /// One fuzz input through everything a user can do with a log: the session reader (one thread and two, from a file
    /// and from pipeline text), the frame stream of Get-CftSslFrame, the hex-dump reader of ConvertFrom-CftHexDump,
    /// every property of every object (analysis, explanations, transfers, findings, fingerprints, certificates and their
    /// inventory), what is built on the sessions (<see cref="AnswersTarget"/>: ladders, charts, facts, partners,
    /// comparisons, the HTML report), the pcap/pcapng writer from sessions and from frames, and the certificate writer
    /// (DER, PEM, file name). Any exception is a finding;
    /// so is a difference between the ways of reading the same bytes.
    /// </summary>
    public static class FuzzTarget
    {
        public static void Run(byte[] input)
        {
            var diagnostics1 = new List<string>();
            var one = Read(input, 1, diagnostics1);
            var diagnostics2 = new List<string>();
            var two = Read(input, 2, diagnostics2);
            string d1 = Digest(one), d2 = Digest(two);
            if (d1 != d2) throw new FuzzFinding("one thread and two read different sessions:\n" + FirstDifference(d1, d2));
            if (!diagnostics1.SequenceEqual(diagnostics2)) throw new FuzzFinding("one thread and two report different diagnostics:\n" + FirstDifference(string.Join("\n", diagnostics1), string.Join("\n", diagnostics2)));

            var walker = new ObjectWalker();
            var inventory = new CertificateInventory(new DateTime(2026, 12, 1)); // Get-CftSslCertificate
            foreach (var s in one)
            {
                walker.Walk(s);
                Certificates(s);
                inventory.Add(s);
            }
            foreach (var c in inventory.Certificates) walker.Walk(c);
            AnswersTarget.Run(one, walker);
            Pcap(one);

            // Get-CftSslFrame: every record, application data included, through the frame stream
            var frames = new List<TlsFrame>();
            var fs = new FrameStream(null, null, false, frames.Add);
            var streamed = new SessionReader("fuzz.log", new SessionReaderOptions { StreamFrames = true, Threads = 1 });
            fs.Attach(streamed);
            using (var ms = new MemoryStream(input, false))
                foreach (var s in streamed.ReadAll(ms)) fs.OnSessionEnd(s);
            foreach (var f in frames.Take(2000)) walker.Walk(f);
            using (var ms = new MemoryStream())
            {
                var x = new PcapExporter(ms, CaptureFormat.Pcapng);
                foreach (var f in frames) x.Write(f);
                x.Complete();
            }

            // ConvertFrom-CftHexDump
            var dumps = new HexDumpReader("fuzz.log");
            using (var ms = new MemoryStream(input, false))
                foreach (var b in dumps.ReadAll(ms)) walker.Walk(b);

            // pipeline text (Get-Content ... | Get-CftSslSession): for ASCII text without NUL the same sessions as from a file
            if (IsPlainAscii(input))
            {
                var text = Encoding.ASCII.GetString(input);
                var reader = new SessionReader("fuzz.log", new SessionReaderOptions { Threads = 1 });
                var fromText = new List<CftSslSession>();
                long n = 0;
                foreach (var line in TextLines.Split(text)) fromText.AddRange(reader.FeedLine(++n, line));
                fromText.AddRange(reader.Complete());
                string dt = Digest(fromText, withFile: false);
                string df = Digest(one, withFile: false);
                if (dt != df) throw new FuzzFinding("pipeline text and file read different sessions:\n" + FirstDifference(df, dt));
            }
        }

        private static List<CftSslSession> Read(byte[] input, int threads, List<string> diagnostics)
        {
            var reader = new SessionReader("fuzz.log", new SessionReaderOptions { Threads = threads }) { Diagnostic = d => diagnostics.Add(d.ToString()) };
            using (var ms = new MemoryStream(input, false)) return reader.ReadAll(ms).ToList();
        }

        private static void Certificates(CftSslSession s)
        {
            foreach (var c in s.ServerCertificates.Concat(s.ClientCertificates))
            {
                if (c.Length == 0 || c.Truncated || c.DecodeError != null) continue;
                var pem = c.ToPem();
                if (!pem.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)) throw new FuzzFinding("PEM without its header");
                var der = c.GetRawData();
                if (der.Length != c.Length) throw new FuzzFinding("DER of " + der.Length + " bytes for a certificate of " + c.Length);
                foreach (var ext in new[] { ".cer", ".pem" })
                {
                    var name = CertificateFileName.For(c, ext);
                    if (name != Path.GetFileName(name) || name.Contains("..") || name.IndexOfAny(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|', '\0' }) >= 0 || !name.EndsWith(ext, StringComparison.Ordinal))
                        throw new FuzzFinding("certificate file name leaves the folder or is invalid: " + name);
                }
            }
        }

        private static void Pcap(List<CftSslSession> sessions)
        {
            foreach (var format in new[] { CaptureFormat.Pcapng, CaptureFormat.Pcap })
                using (var ms = new MemoryStream())
                {
                    var x = new PcapExporter(ms, format);
                    foreach (var s in sessions) x.Write(s);
                }
        }

        private static bool IsPlainAscii(byte[] input)
        {
            foreach (var b in input) if (b == 0 || b > 0x7E || (b < 0x20 && b != (byte)'\n' && b != (byte)'\r' && b != (byte)'\t')) return false;
            return true;
        }

        /// <summary>What a reader found, in a canonical text form (every session, every frame).</summary>
        public static string Digest(IEnumerable<CftSslSession> sessions, bool withFile = true)
        {
            var sb = new StringBuilder();
            foreach (var s in sessions)
            {
                sb.Append(withFile ? s.SessionId : s.FirstLine + ":" + s.Ctx).Append('|').Append(s.LastLine).Append('|').Append(s.Role).Append('|').Append(s.Result).Append('|')
                    .Append(s.Version).Append('|').Append(s.CipherSuiteId).Append('|').Append(s.Authentication).Append('|').Append(s.Problem).Append('|')
                    .Append(s.StartTime?.Ticks).Append('|').Append(s.EndTime?.Ticks).Append('|').Append(s.EndedBy).Append('|').Append(s.ContinuesFrom).Append('|')
                    .Append(s.RecordsSent).Append('/').Append(s.RecordsReceived).Append('/').Append(s.BytesSent).Append('/').Append(s.BytesReceived).Append('|')
                    .Append(s.Events.Count).Append('|').Append(string.Join(";", s.Notes)).Append('\n');
                foreach (var f in s.Frames)
                    sb.Append("  ").Append(f.Line).Append(' ').Append(f.Direction).Append(' ').Append(f.ContentType).Append(' ').Append(f.Version).Append(' ')
                        .Append(f.Length).Append('/').Append(f.CapturedLength).Append(' ').Append(f.Messages).Append(' ').Append(f.Summary).Append('\n');
            }
            return sb.ToString();
        }

        internal static string FirstDifference(string a, string b)
        {
            var la = a.Split('\n');
            var lb = b.Split('\n');
            for (int i = 0; i < Math.Max(la.Length, lb.Length); i++)
            {
                string x = i < la.Length ? la[i] : "<none>", y = i < lb.Length ? lb[i] : "<none>";
                if (x != y) return "line " + (i + 1) + ":\n  " + x + "\n  " + y;
            }
            return "(same lines)";
        }
    }
}
