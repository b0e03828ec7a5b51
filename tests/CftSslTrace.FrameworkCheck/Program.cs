using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.FrameworkCheck
{
    /// <summary>
    /// Usage: CftSslTrace.FrameworkCheck FILE|FOLDER... : every session (summary, failure, explanation, fingerprints,
    /// counters, handshake messages, certificates, notes), every frame (as Get-CftSslFrame streams them, in one thread
    /// and in two) and every dump block, one line each, invariant culture.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var files = new List<string>();
            var output = new StringBuilder();
            for (int i = 0; i < args.Length; i++)
            {
                var a = args[i];
                if (a == "--history" && i + 1 < args.Length) { History(args[++i], output); continue; }
                if (Directory.Exists(a)) files.AddRange(Directory.GetFiles(a, "*.log").OrderBy(f => f, StringComparer.Ordinal));
                else files.Add(a);
            }
            foreach (var file in files) Dump(file, output);
            var stdout = Console.OpenStandardOutput();
            var bytes = new UTF8Encoding(false).GetBytes(output.ToString());
            stdout.Write(bytes, 0, bytes.Length);
            return 0;
        }

        private static void Dump(string file, StringBuilder o)
        {
            string name = Path.GetFileName(file);
            foreach (int threads in new[] { 1, 2 })
            {
                var frames = new List<TlsFrame>();
                var diagnostics = new List<string>();
                var reader = new SessionReader(name, new SessionReaderOptions { StreamFrames = true, Threads = threads }) { Diagnostic = d => diagnostics.Add(d.ToString()) };
                var stream = new FrameStream(null, null, false, frames.Add);
                stream.Attach(reader);
                var sessions = new List<CftSslSession>();
                using (var fs = File.OpenRead(file))
                    foreach (var s in reader.ReadAll(fs)) { stream.OnSessionEnd(s); sessions.Add(s); }
                o.Append("== ").Append(name).Append(" threads=").Append(threads).Append('\n');
                foreach (var d in diagnostics) o.Append("diagnostic ").Append(d).Append('\n');
                foreach (var s in sessions) Session(s, o);
                foreach (var f in frames) Frame(f, o);
                o.Append("statistics ").Append(reader.Statistics).Append('\n');
            }
            using (var fs = File.OpenRead(file))
                foreach (var b in new HexDumpReader(name).ReadAll(fs))
                    o.Append("block ").Append(b.Line).Append('-').Append(b.LastLine).Append(' ').Append(b.Ctx).Append(' ').Append(b.Direction)
                     .Append(' ').Append(b.AnnouncedCount).Append(' ').Append(b.Length).Append(' ').Append(b.Hex).Append('\n');
        }

        /// <summary>Every file of a folder read as one history (gzip of several members and zip entries included).</summary>
        private static void History(string folder, StringBuilder o)
        {
            var diagnostics = new List<string>();
            var files = Directory.GetFiles(folder).OrderBy(f => f, StringComparer.Ordinal).ToList();
            o.Append("== history ").Append(Path.GetFileName(folder)).Append('\n');
            foreach (var s in SessionReader.ReadFiles(files, d => diagnostics.Add(d.ToString().Replace(folder, "")))) Session(s, o);
            foreach (var d in diagnostics) o.Append("diagnostic ").Append(d).Append('\n');
        }

        private static void Session(CftSslSession s, StringBuilder o)
        {
            o.Append("session ").Append(s.SessionId).Append(" | ").Append(s.Role).Append(" | ").Append(s.PartnerOrProtocol).Append(" | ").Append(s.SslProfile)
             .Append(" | ").Append(Time(s.StartTime)).Append(" | ").Append(Time(s.EndTime)).Append(" | ").Append(Path.GetFileName(s.LastFile ?? "")).Append(':').Append(s.LastLine)
             .Append(" | ").Append(s.Version).Append(" | ").Append(s.CipherSuiteId).Append(' ').Append(s.CipherSuiteName).Append(" | ").Append(s.Authentication)
             .Append(" | ").Append(s.Result).Append(" | ").Append(s.Problem).Append(" | ").Append(s.EndedBy).Append(" | ").Append(s.ContinuesFrom)
             .Append(" | records ").Append(s.RecordsSent).Append('/').Append(s.RecordsReceived).Append(" bytes ").Append(s.BytesSent).Append('/').Append(s.BytesReceived)
             .Append(" app ").Append(s.ApplicationDataRecords).Append(' ').Append(s.ApplicationDataSent).Append('/').Append(s.ApplicationDataReceived)
             .Append(" | ").Append(s.ServerName).Append(" | ").Append(s.Alpn).Append(" | ").Append(s.Resumed)
             .Append(" | ").Append(s.Ja3).Append(' ').Append(s.Ja3s).Append(' ').Append(s.Ja4).Append(' ').Append(s.ClientHelloFingerprints).Append('\n');
            if (s.Failure != null)
                o.Append("  failure ").Append(s.Failure).Append(" | ").Append(s.Failure.Origin).Append(" | ").Append(s.Failure.Summary).Append(" | ").Append(s.Failure.Explanation).Append('\n');
            foreach (var m in s.HandshakeMessages) o.Append("  message ").Append(m.Line).Append(' ').Append(m.Sender).Append(' ').Append(m.Type).Append(' ').Append(m.Length).Append(' ').Append(m.Summary).Append('\n');
            foreach (var c in s.ServerCertificates.Concat(s.ClientCertificates))
                o.Append("  certificate ").Append(c.Index).Append(' ').Append(c.Subject).Append(" | ").Append(c.Issuer).Append(" | ").Append(c.SerialNumber)
                 .Append(" | ").Append(Time(c.NotBefore)).Append(" | ").Append(Time(c.NotAfter)).Append(" | ").Append(c.PublicKeyAlgorithm).Append(' ').Append(c.KeySize)
                 .Append(" | ").Append(c.SignatureAlgorithm).Append(" | ").Append(c.Thumbprint).Append(" | ").Append(c.SubjectAlternativeNames).Append('\n');
            foreach (var e in s.Events) o.Append("  event ").Append(e.Line).Append(' ').Append(e.Code).Append(' ').Append(e.Text).Append('\n');
            foreach (var n in s.Notes) o.Append("  note ").Append(n).Append('\n');
        }

        private static void Frame(TlsFrame f, StringBuilder o)
        {
            o.Append("frame ").Append(f.SessionId).Append(' ').Append(f.Index).Append(' ').Append(f.Line).Append(' ').Append(Time(f.Time)).Append(' ').Append(f.Direction)
             .Append(' ').Append(f.Sender).Append(' ').Append(f.ContentType).Append(' ').Append(f.Version).Append(' ').Append(f.Length).Append(' ').Append(f.CapturedLength)
             .Append(' ').Append(f.AnnouncedCount).Append(" | ").Append(f.Messages).Append(" | ").Append(f.Summary).Append('\n');
        }

        private static string Time(DateTime? t) => t.HasValue ? t.Value.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture) : "-";
    }
}
