using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FixtureGenerator
{
    /// <summary>
    /// Sessions that openssl cannot produce any more, written byte by byte from their specifications (tests/fixtures/spec):
    /// a whole SSL 2.0 session (draft-hickman-netscape-ssl-00), a TLS 1.3 draft-18 handshake (draft-ietf-tls-tls13-18:
    /// ServerHello without session id echo and compression method), and a real TLS 1.3 HelloRetryRequest session whose
    /// ServerHello is missing from the trace (derived from tests/fixtures/real). Deterministic: the same bytes every run.
    /// Usage: FixtureGenerator --spec [folder]
    /// </summary>
    internal static class SpecFixtures
    {
        private static readonly DateTime T0 = new DateTime(2026, 11, 25, 8, 30, 0);

        public static void Write(string folder, string realFolder)
        {
            Directory.CreateDirectory(folder);
            var rnd = new Random(2026);
            byte[] R(int n) { var b = new byte[n]; rnd.NextBytes(b); return b; }
            var cert = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(realFolder, "certs", "server-rsa.pem"))).RawData;

            // --- SSL 2.0: client-hello, server-hello (certificate, cipher kinds), client-master-key, encrypted records
            var log = new List<LogEntry>();
            string ctx = "2000c1";
            log.Add(CftTraceWriter.E(T0, "CFTY19I PART=PARTNER20 SSL=SSLCLI02 opening client session CTX=" + ctx + " on task PID=4201"));
            var specsOffered = Hex("010080 0700C0 020080");
            var clientHello = Concat(new byte[] { 1, 0x00, 0x02 }, U16(specsOffered.Length), U16(0), U16(16), specsOffered, R(16));
            Record(log, ctx, true, V2(clientHello), 0);
            var specsServer = Hex("010080 0700C0");
            var serverHello = Concat(new byte[] { 4, 0, 1, 0x00, 0x02 }, U16(cert.Length), U16(specsServer.Length), U16(16), cert, specsServer, R(16));
            Record(log, ctx, false, V2(serverHello), 10);
            var masterKey = Concat(new byte[] { 2 }, Hex("010080"), U16(0), U16(256), U16(0), R(256));
            Record(log, ctx, true, V2(masterKey), 20);
            Record(log, ctx, false, V2(R(33)), 30);   // server-verify (encrypted)
            Record(log, ctx, true, V2(R(33)), 40);    // client-finished (encrypted)
            Record(log, ctx, false, V2(R(49)), 50);   // server-finished (encrypted)
            Record(log, ctx, true, V2(R(120)), 60);   // data
            Record(log, ctx, false, V2(R(80)), 70);   // data
            log.Add(CftTraceWriter.E(T0.AddMilliseconds(80), "CFTY11I CTX=" + ctx + " PART=PARTNER20 SSL=SSLCLI02 Closing client SSL session"));
            Save(Path.Combine(folder, "sslv2-session.client.log"), log);

            // --- TLS 1.3 draft 18: ClientHello offering draft 18, ServerHello in the draft layout, encrypted records both ways
            log = new List<LogEntry>();
            ctx = "2000c2";
            log.Add(CftTraceWriter.E(T0, "CFTY19I PART=PARTNER21 SSL=SSLCLI02 opening client session CTX=" + ctx + " on task PID=4202"));
            var suites = Hex("1301 1302 1303 C02F");
            var extensions = Concat(
                Ext(0x002B, Concat(new byte[] { 4 }, Hex("7F12 0303"))),              // supported_versions: draft 18, TLS 1.2
                Ext(0x000A, Concat(U16(4), Hex("001D 0017"))),                          // supported_groups
                Ext(0x000D, Concat(U16(4), Hex("0403 0804"))),                          // signature_algorithms
                Ext(0x0028, Concat(U16(36), Hex("001D"), U16(32), R(32))));            // key_share (draft codepoint 40)
            var ch = Concat(Hex("0303"), R(32), new byte[] { 0 }, U16(suites.Length), suites, new byte[] { 1, 0 }, U16(extensions.Length), extensions);
            Record(log, ctx, true, Tls(22, 0x0301, Hs(1, ch)), 0);
            var sh = Concat(Hex("7F12"), R(32), Hex("1302"), Concat(U16(40), Ext(0x0028, Concat(Hex("001D"), U16(32), R(32)))));
            Record(log, ctx, false, Tls(22, 0x0301, Hs(2, sh)), 10);
            Record(log, ctx, false, Tls(23, 0x0301, R(1200)), 20);  // EncryptedExtensions, Certificate, CertificateVerify, Finished
            Record(log, ctx, true, Tls(23, 0x0301, R(53)), 30);     // client Finished
            Record(log, ctx, true, Tls(23, 0x0301, R(80)), 40);     // data
            Record(log, ctx, false, Tls(23, 0x0301, R(120)), 50);
            log.Add(CftTraceWriter.E(T0.AddMilliseconds(60), "CFTY11I CTX=" + ctx + " PART=PARTNER21 SSL=SSLCLI02 Closing client SSL session"));
            Save(Path.Combine(folder, "tls13-draft18.client.log"), log);

            // --- a real HelloRetryRequest session with its ServerHello record removed from the trace
            var lines = File.ReadAllLines(Path.Combine(realFolder, "tls13-hello-retry.client.log")).ToList();
            int handshakes = 0, removeFrom = -1, removeTo = -1;
            for (int i = 0; i < lines.Count - 1; i++)
            {
                if (!lines[i].Contains("DATA RECEIVED FROM NETWORK")) continue;
                // the server's handshake records (16 03 03 LL LL 02 ...: ServerHello): the first is the HelloRetryRequest
                string dump = lines[i + 1].Substring(lines[i + 1].IndexOf("CTX=", StringComparison.Ordinal) + 11).Replace(" ", "");
                if (!dump.StartsWith("160303", StringComparison.Ordinal) || dump.Substring(10, 2) != "02") continue;
                if (++handshakes < 2) continue;
                removeFrom = i;
                removeTo = i + 1;
                while (removeTo < lines.Count && lines[removeTo].Contains("CFTY02Z>>") && !lines[removeTo].Contains("()_")) removeTo++;
                break;
            }
            if (removeFrom < 0) throw new InvalidOperationException("the ServerHello of tls13-hello-retry was not found");
            lines.RemoveRange(removeFrom, removeTo - removeFrom);
            File.WriteAllText(Path.Combine(folder, "tls13-hello-retry-no-serverhello.client.log"), string.Join("\n", lines) + "\n", new UTF8Encoding(false));
            // the same as a capture rendered without CFT's own verdict: no established line, no certificate check line
            var bare = lines.Where(l => !l.Contains("CFTY14I") && !l.Contains("CFTY21I") && !l.Contains("HANDSHAKE DONE")).ToList();
            File.WriteAllText(Path.Combine(folder, "tls13-hello-retry-no-serverhello.no-verdict.client.log"), string.Join("\n", bare) + "\n", new UTF8Encoding(false));
            // --- a real TLS 1.2 session whose server stream is broken after ServerHelloDone by plain text (a load balancer
            // answering in the partner's place); CFT's TLS layer gives up there
            var real = File.ReadAllLines(Path.Combine(realFolder, "tls12-rsa-aes256-sha256.client.log")).ToList();
            int shd = real.FindIndex(l => l.Contains(" 16030300 040E0000 00"));
            if (shd < 0) throw new InvalidOperationException("ServerHelloDone of tls12-rsa-aes256-sha256 not found");
            string pre = real[shd].Substring(0, real[shd].IndexOf("CFTY02Z", StringComparison.Ordinal));
            var broken = real.Take(shd + 1).ToList();
            var page = Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/html\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            var injected = new List<LogEntry>();
            CftTraceWriter.Block(injected, DateTime.MinValue, "200003", false, 22, page, page.Length);
            broken.AddRange(injected.Select(e => pre + e.Message));
            broken.Add(pre + "CFTY13E CTX=200003 SSL Handshake local error [TLSPARSE] CR=1 (wrong version number)");
            broken.Add(pre + "CFTY11I CTX=200003 PART=PARTNER03 SSL=SSLCLI01 Closing client SSL session");
            File.WriteAllText(Path.Combine(folder, "tls12-stream-broken-by-plain-text.client.log"), string.Join("\n", broken) + "\n", new UTF8Encoding(false));
            Console.WriteLine("wrote the spec fixtures to " + folder);
        }

        private static void Record(List<LogEntry> log, string ctx, bool sent, byte[] record, int ms)
            => CftTraceWriter.Block(log, T0.AddMilliseconds(ms), ctx, sent, record[0] == 23 ? 23 : 22, record, record.Length);

        private static void Save(string path, List<LogEntry> log)
        {
            var sb = new StringBuilder();
            foreach (var e in log) sb.Append(CftTraceWriter.CftPrefix(e.Time)).Append(e.Message).Append('\n');
            File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        }

        /// <summary>An SSL 2.0 record with a two-byte header (no padding).</summary>
        private static byte[] V2(byte[] body) => Concat(new[] { (byte)(0x80 | (body.Length >> 8)), (byte)body.Length }, body);
        private static byte[] Tls(int type, int version, byte[] body) => Concat(new[] { (byte)type, (byte)(version >> 8), (byte)version }, U16(body.Length), body);
        private static byte[] Hs(int type, byte[] body) => Concat(new[] { (byte)type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length }, body);
        private static byte[] Ext(int type, byte[] data) => Concat(U16(type), U16(data.Length), data);
        private static byte[] U16(int v) => new[] { (byte)(v >> 8), (byte)v };
        private static byte[] Hex(string s) => Convert.FromHexString(s.Replace(" ", ""));
        private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
    }
}
