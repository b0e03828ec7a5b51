using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace FixtureGenerator
{
    /// <summary>A log message without its prefix, and when it was written.</summary>
    internal sealed class LogEntry
    {
        public DateTime Time;
        public string Message;
    }

    /// <summary>
    /// Renders a recorded connection as Transfer CFT would trace it with TRACE=255 (../shared/reference/cft-trace-format.md):
    /// session lines (CFTY19I/20I, 21I-25I, 14I/15I, 13E/30E, 11I/12I) and CFTY02Z data headers followed by hex dump lines.
    /// </summary>
    /// <summary>What the data header's byte count says: the record's length (the product documentation's handshake examples) or, for application data, the plaintext's (its "ndata()_ 37" before a 69-byte record), 0 for the empty fragments of TLS 1.0 CBC.</summary>
    internal enum CountStyle { Record, Plaintext }

    internal sealed class CftTraceWriter
    {
        private static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

        public static List<LogEntry> Render(Scenario sc, List<Chunk> chunks, bool cftIsClient, string ctx, int pid, bool perChunk, CountStyle counts = CountStyle.Record)
        {
            var records = TlsRecords.Cut(chunks);
            var after = EventsAfterRecords(sc, records, cftIsClient, ctx);
            var log = new List<LogEntry>();
            DateTime start = chunks.Count > 0 ? chunks[0].Time : DateTime.Now;
            if (cftIsClient)
                log.Add(E(start, $"CFTY19I PART={sc.Partner} SSL={sc.ClientProfile} opening client session CTX={ctx} on task PID={pid}"));
            else
            {
                log.Add(E(start, $"CFTY20I PROT=PESITSSL SSL={sc.ServerProfile} opening server session CTX={ctx} on task PID={pid}"));
                log.Add(E(start, $"CFTY25I CTX={ctx} remote address HOST=127.0.0.1"));
            }
            if (!perChunk)
            {
                for (int i = 0; i < records.Count; i++)
                {
                    var r = records[i];
                    if (after.TryGetValue(-(i + 1), out var before)) foreach (var m in before) log.Add(E(r.Time, m));
                    bool sent = r.FromClient == cftIsClient;
                    Block(log, r.Time, ctx, sent, r.Type, r.Bytes, counts == CountStyle.Plaintext && r.Type == 23 && i > HandshakeEnd(records, sc.ExpectProtocol == "TLSv1.3") ? PlaintextLength(sc, records, r) : r.Bytes.Length);
                    if (after.TryGetValue(i, out var msgs)) foreach (var m in msgs) log.Add(E(r.Time, m));
                }
            }
            else
            {
                // one block per network read, as a CFT build tracing socket reads would: records split and merged
                var pendingAfter = new Dictionary<int, List<string>>();
                for (int i = 0; i < records.Count; i++)
                {
                    if (after.TryGetValue(i, out var msgs)) Add(pendingAfter, records[i].EndChunk, msgs);
                    if (after.TryGetValue(-(i + 1), out var before)) Add(pendingAfter, StartChunk(records, i) - 1, before);
                }
                if (pendingAfter.TryGetValue(-1, out var first)) foreach (var m in first) log.Add(E(start, m));
                for (int c = 0; c < chunks.Count; c++)
                {
                    bool sent = chunks[c].FromClient == cftIsClient;
                    Block(log, chunks[c].Time, ctx, sent, chunks[c].Bytes[0], chunks[c].Bytes, chunks[c].Bytes.Length);
                    if (pendingAfter.TryGetValue(c, out var msgs)) foreach (var m in msgs) log.Add(E(chunks[c].Time, m));
                }
            }
            DateTime end = chunks.Count > 0 ? chunks[chunks.Count - 1].Time : start;
            log.Add(E(end, cftIsClient ? $"CFTY11I CTX={ctx} PART={sc.Partner} SSL={sc.ClientProfile} Closing client SSL session"
                                       : $"CFTY12I CTX={ctx} PROT=PESITSSL SSL={sc.ServerProfile} Closing server SSL session"));
            return log;
        }

        private static int StartChunk(List<WireRecord> records, int i)
        {
            // the chunk where record i starts: the chunk after the previous record of the same sender ended, at the earliest
            for (int j = i - 1; j >= 0; j--) if (records[j].FromClient == records[i].FromClient) return records[j].EndChunk == records[i].EndChunk ? records[i].EndChunk : records[j].EndChunk + 1;
            return 0;
        }

        private static void Add(Dictionary<int, List<string>> d, int key, List<string> msgs)
        {
            if (!d.TryGetValue(key, out var l)) d[key] = l = new List<string>();
            l.AddRange(msgs);
        }

        /// <summary>Where CFT writes its session lines: keyed by record index (after it), or by -(index+1) (before it).</summary>
        private static Dictionary<int, List<string>> EventsAfterRecords(Scenario sc, List<WireRecord> records, bool cftIsClient, string ctx)
        {
            var at = new Dictionary<int, List<string>>();
            void After(int i, string m) { if (!at.TryGetValue(i, out var l)) at[i] = l = new List<string>(); l.Add(m); }
            bool tls13 = false, serverEncrypted = false, clientEncrypted = false;
            bool clientDone = false, serverDone = false, done = false, clientSentCert = false;
            int cipher = 0;
            for (int i = 0; i < records.Count; i++)
            {
                if (done)
                {
                    // an alert under encryption after the handshake (TLS 1.3 certificate_required): the first record the
                    // server sends after the client finished; both sides' CFT write their error line after it
                    if (sc.PostHandshakeAlert.HasValue && !records[i].FromClient && records[i].Type == 23)
                    {
                        int desc = sc.PostHandshakeAlert.Value;
                        string name = AlertName(desc);
                        After(i, cftIsClient ? $"CFTY30E CTX={ctx} SSL Handshake remote error [{name}] CR={desc} (sslv3 alert {name.ToLowerInvariant().Replace('_', ' ')})"
                                             : $"CFTY13E CTX={ctx} SSL Handshake local error [{name}] CR={desc} ({sc.FailureReason})");
                        return at;
                    }
                    continue;
                }
                var r = records[i];
                bool fromClient = r.FromClient;
                if (r.Type == 22 && !(fromClient ? clientEncrypted : serverEncrypted))
                {
                    int msg = r.Bytes[5];
                    if (msg == 2 && r.Bytes.Length >= 5 + 4 + 2 + 32 + 1)
                    {
                        bool hrr = r.Bytes.AsSpan(11, 32).SequenceEqual(HelloRetryRandom);
                        int sidLen = r.Bytes[5 + 4 + 2 + 32];
                        int p = 5 + 4 + 2 + 32 + 1 + sidLen;
                        cipher = (r.Bytes[p] << 8) | r.Bytes[p + 1];
                        if (!hrr && sc.ExpectProtocol == "TLSv1.3") { tls13 = true; serverEncrypted = true; }
                    }
                    if (msg == 11 && !fromClient && !cftIsClient) After(-(i + 1), $"CFTY24I CTX={ctx} Server certificate ID=SRVCERT ROOTID=ROOTCA");
                    if (msg == 11 && !fromClient && cftIsClient && !sc.ExpectFailure) After(i, $"CFTY21I CTX={ctx} Remote server certificate accepted ROOTID=ROOTCA");
                    if (msg == 11 && fromClient) { clientSentCert = r.Length > 7; if (cftIsClient && clientSentCert) After(-(i + 1), $"CFTY23I CTX={ctx} Client certificate ID=PARTCERT ROOTID=ROOTCA"); if (!cftIsClient && clientSentCert) After(i, $"CFTY22I CTX={ctx} Remote client certificate accepted ROOTID=ROOTCA"); }
                }
                if (r.Type == 20) { if (!tls13) { if (fromClient) clientEncrypted = true; else serverEncrypted = true; } continue; }
                if (r.Type == 21 && r.Length == 2 && r.Bytes[5] == 2)
                {
                    int desc = r.Bytes[6];
                    string name = AlertName(desc);
                    bool sentByCft = fromClient == cftIsClient;
                    string reason = sc.FailureReason != null ? " (" + sc.FailureReason + ")" : "";
                    After(i, sentByCft ? $"CFTY13E CTX={ctx} SSL Handshake local error [{name}] CR={desc}{reason}"
                                       : $"CFTY30E CTX={ctx} SSL Handshake remote error [{name}] CR={desc} (sslv3 alert {name.ToLowerInvariant().Replace('_', ' ')})");
                    return at;
                }
                if (!tls13)
                {
                    if (r.Type == 22 && fromClient && clientEncrypted) clientDone = true;
                    if (r.Type == 22 && !fromClient && serverEncrypted) serverDone = true;
                }
                else
                {
                    if (r.Type == 23 && !fromClient) serverDone = true;
                    if (r.Type == 23 && fromClient && serverDone) clientDone = true;
                }
                if (clientDone && serverDone)
                {
                    done = true;
                    if (tls13)
                    {
                        if (cftIsClient) After(i, $"CFTY21I CTX={ctx} Remote server certificate accepted ROOTID=ROOTCA");
                        if (sc.Mutual && !cftIsClient) After(i, $"CFTY22I CTX={ctx} Remote client certificate accepted ROOTID=ROOTCA");
                    }
                    After(i, $"CFTY02Z>> CTX={ctx} HANDSHAKE DONE SUCCESSFULLY");
                    string version = sc.CftVersionText != null ? " VERSION=" + sc.CftVersionText : "";
                    string auth = sc.Mutual ? "BOTH" : "SERVER";
                    After(i, cftIsClient ? $"CFTY14I CTX={ctx} PART={sc.Partner} SSL={sc.ClientProfile} client session established{version} CIPHER={cipher} AUTH={auth}"
                                         : $"CFTY15I CTX={ctx} PROT=PESITSSL SSL={sc.ServerProfile} server session established{version} CIPHER={cipher} AUTH={auth}");
                }
            }
            return at;
        }

        /// <summary>
        /// A connection where one side does not speak TLS, as CFT traces it: one block per network read (the bytes are
        /// not records), then the error line of CFT's TLS layer, which could not read a record (CR=1, TLSPARSE) or, when
        /// the TLS peer sent an alert, the alert.
        /// </summary>
        public static List<LogEntry> RenderPlain(Scenario sc, List<Chunk> chunks, bool cftIsClient, string ctx, int pid)
        {
            var log = new List<LogEntry>();
            DateTime start = chunks.Count > 0 ? chunks[0].Time : DateTime.Now;
            if (cftIsClient) log.Add(E(start, $"CFTY19I PART={sc.Partner} SSL={sc.ClientProfile} opening client session CTX={ctx} on task PID={pid}"));
            else
            {
                log.Add(E(start, $"CFTY20I PROT=PESITSSL SSL={sc.ServerProfile} opening server session CTX={ctx} on task PID={pid}"));
                log.Add(E(start, $"CFTY25I CTX={ctx} remote address HOST=127.0.0.1"));
            }
            DateTime last = start;
            bool errorWritten = false;
            foreach (var c in chunks)
            {
                bool sent = c.FromClient == cftIsClient;
                bool alert = c.Bytes.Length >= 7 && c.Bytes[0] == 21 && c.Bytes[1] == 3 && c.Bytes[5] == 2;
                Block(log, c.Time, ctx, sent, alert ? 21 : 22, c.Bytes, c.Bytes.Length);
                last = c.Time;
                if (alert && !errorWritten)
                {
                    int desc = c.Bytes[6];
                    string name = AlertName(desc);
                    log.Add(E(c.Time, sent ? $"CFTY13E CTX={ctx} SSL Handshake local error [{name}] CR={desc} ({sc.FailureReason})"
                                           : $"CFTY30E CTX={ctx} SSL Handshake remote error [{name}] CR={desc} (sslv3 alert {name.ToLowerInvariant().Replace('_', ' ')})"));
                    errorWritten = true;
                }
            }
            if (!errorWritten) log.Add(E(last, $"CFTY13E CTX={ctx} SSL Handshake local error [TLSPARSE] CR=1 ({sc.FailureReason})"));
            log.Add(E(last, cftIsClient ? $"CFTY11I CTX={ctx} PART={sc.Partner} SSL={sc.ClientProfile} Closing client SSL session"
                                        : $"CFTY12I CTX={ctx} PROT=PESITSSL SSL={sc.ServerProfile} Closing server SSL session"));
            return log;
        }

        /// <summary>
        /// The plaintext-count view of a committed record view (one block per record): the same lines, the data headers of
        /// application data counting the plaintext (0 for empty fragments), as the product documentation's example does.
        /// Lets the view be added to fixtures recorded before it existed, byte for byte the same otherwise.
        /// </summary>
        public static List<string> DerivePlaintextView(Scenario sc, IList<string> recordView)
        {
            // the blocks of the record view: header line index, direction (sent = client for a client view), bytes
            var headers = new List<int>();
            var records = new List<WireRecord>();
            for (int i = 0; i < recordView.Count; i++)
            {
                string l = recordView[i];
                int h = l.IndexOf("()_ ", StringComparison.Ordinal);
                if (h < 0 || !l.Contains("CFTY02Z>>")) continue;
                var bytes = new List<byte>();
                for (int j = i + 1; j < recordView.Count && !recordView[j].Contains("()_ ") && recordView[j].Contains("CFTY02Z>>"); j++)
                {
                    string dump = recordView[j].Substring(recordView[j].IndexOf("CTX=", StringComparison.Ordinal));
                    dump = dump.Substring(dump.IndexOf(' ') + 1);
                    if (!System.Text.RegularExpressions.Regex.IsMatch(dump, "^[0-9A-F]{2}")) break; // a trace event ends the dump
                    int ascii = dump.IndexOf('>');
                    if (ascii >= 0) dump = dump.Substring(0, ascii);
                    foreach (var g in dump.Split(' ', StringSplitOptions.RemoveEmptyEntries)) bytes.AddRange(Convert.FromHexString(g));
                }
                if (bytes.Count == 0) continue;
                headers.Add(i);
                records.Add(new WireRecord { FromClient = l.Contains("SENDING"), Bytes = bytes.ToArray() });
            }
            int end = HandshakeEnd(records, sc.ExpectProtocol == "TLSv1.3");
            var output = new List<string>(recordView);
            for (int k = 0; k < records.Count; k++)
            {
                var r = records[k];
                if (r.Type != 23 || k <= end) continue;
                string l = output[headers[k]];
                int h = l.IndexOf("()_ ", StringComparison.Ordinal) + 4;
                int e = l.IndexOf(' ', h);
                output[headers[k]] = l.Substring(0, h) + PlaintextLength(sc, records, r).ToString(CultureInfo.InvariantCulture) + l.Substring(e);
            }
            return output;
        }

        /// <summary>Index of the last record before application data: both sides have sent encrypted records.</summary>
        private static int HandshakeEnd(List<WireRecord> records, bool tls13)
        {
            bool client = false, server = false;
            for (int i = 0; i < records.Count; i++)
            {
                var r = records[i];
                // TLS 1.3: encrypted records are all of type 23 (a ChangeCipherSpec is only for middleboxes)
                if (r.Type == 23 || (!tls13 && r.Type == 22 && i > 0 && records.Take(i).Any(x => x.FromClient == r.FromClient && x.Type == 20)))
                {
                    if (r.FromClient) client = true; else server = true;
                }
                if (client && server) return i;
            }
            return records.Count;
        }

        /// <summary>
        /// The plaintext length of an application-data record, as CFT's header counts it: the record minus the AEAD
        /// overhead (TLS 1.3: tag and content type; TLS 1.2 GCM: explicit nonce and tag), or, for CBC, minus the explicit IV
        /// (TLS 1.1+), the MAC and the padding (unknown without the keys: the smallest, one byte); an empty fragment (TLS
        /// 1.0 CBC, all MAC and padding) counts 0.
        /// </summary>
        private static int PlaintextLength(Scenario sc, List<WireRecord> records, WireRecord r)
        {
            if (sc.ExpectProtocol == "TLSv1.3") return Math.Max(0, r.Length - 17);
            int suite = sc.ExpectCipher ?? CipherOf(records);
            bool gcm = suite == 49199 || suite == 49200 || suite == 49195 || suite == 49196 || suite == 156 || suite == 157 || suite == 158 || suite == 159;
            if (gcm) return Math.Max(0, r.Length - 24);
            int mac = suite == 61 || suite == 60 || suite == 103 || suite == 107 ? 32 : 20;
            int iv = sc.ExpectProtocol == "TLSv1" ? 0 : 16;
            // encrypt-then-MAC (RFC 7366, which OpenSSL negotiates for CBC): one block for an empty plaintext, then the MAC;
            // MAC-then-encrypt: the MAC and its padding to whole blocks
            int empty = EncryptThenMac(records) ? 16 + iv + mac : ((mac + 1 + 15) / 16) * 16 + iv;
            if (r.Length <= empty) return 0;
            return Math.Max(0, r.Length - iv - mac - 1);
        }

        /// <summary>The ServerHello carries encrypt_then_mac (22).</summary>
        private static bool EncryptThenMac(List<WireRecord> records)
        {
            var sh = records.FirstOrDefault(x => !x.FromClient && x.Type == 22 && x.Bytes[5] == 2);
            if (sh == null) return false;
            var b = sh.Bytes;
            int p = 5 + 4 + 2 + 32;
            p += 1 + b[p];          // session id
            p += 2 + 1;             // cipher suite, compression
            if (p + 2 > b.Length) return false;
            int end = Math.Min(b.Length, p + 2 + ((b[p] << 8) | b[p + 1]));
            for (p += 2; p + 4 <= end; p += 4 + ((b[p + 2] << 8) | b[p + 3]))
                if (((b[p] << 8) | b[p + 1]) == 22) return true;
            return false;
        }

        private static int CipherOf(List<WireRecord> records)
        {
            var sh = records.FirstOrDefault(x => !x.FromClient && x.Type == 22 && x.Bytes[5] == 2);
            if (sh == null) return 0;
            int p = 5 + 4 + 2 + 32;
            int sid = sh.Bytes[p];
            p += 1 + sid;
            return (sh.Bytes[p] << 8) | sh.Bytes[p + 1];
        }

        internal static void Block(List<LogEntry> log, DateTime time, string ctx, bool sent, int type, byte[] bytes, int count)
        {
            string kind = type == 23 ? "APPLICATION" : type == 21 ? "ALERT" : "HANDSHAKE";
            string header = sent
                ? $"CFTY02Z>> CTX={ctx} {(type == 23 ? "PDataRq" : "SSLact")}()_ {count} {kind} DATA SENDING"
                : $"CFTY02Z>> CTX={ctx} ndata()_ {count} {kind} DATA RECEIVED FROM NETWORK";
            log.Add(E(time, header));
            foreach (var line in DumpLines(bytes)) log.Add(E(time, $"CFTY02Z>> CTX={ctx} {line}"));
        }

        /// <summary>16 bytes a line as 4 groups of 8 hex digits, then the ASCII column between '&gt;' and '&lt;'.</summary>
        public static IEnumerable<string> DumpLines(byte[] bytes)
        {
            for (int off = 0; off < bytes.Length; off += 16)
            {
                int n = Math.Min(16, bytes.Length - off);
                var hex = new StringBuilder();
                var ascii = new StringBuilder();
                for (int i = 0; i < n; i++)
                {
                    if (i > 0 && i % 4 == 0) hex.Append(' ');
                    hex.Append(bytes[off + i].ToString("X2", CultureInfo.InvariantCulture));
                    byte b = bytes[off + i];
                    ascii.Append(b >= 0x20 && b < 0x7F ? (char)b : '.');
                }
                yield return hex + " >" + ascii + "<";
            }
        }

        private static string AlertName(int d) => d switch
        {
            0 => "CLOSE_NOTIFY", 10 => "UNEXPECTED_MESSAGE", 20 => "BAD_RECORD_MAC", 40 => "HANDSHAKE_FAILURE", 42 => "BAD_CERTIFICATE",
            45 => "CERTIFICATE_EXPIRED", 46 => "CERTIFICATE_UNKNOWN", 47 => "ILLEGAL_PARAMETER", 48 => "UNKNOWN_CA", 50 => "DECODE_ERROR",
            51 => "DECRYPT_ERROR", 70 => "PROTOCOL_VERSION", 71 => "INSUFFICIENT_SECURITY", 80 => "INTERNAL_ERROR", 116 => "CERTIFICATE_REQUIRED",
            _ => "ALERT_" + d,
        };

        internal static LogEntry E(DateTime t, string m) => new LogEntry { Time = t, Message = m };

        /// <summary>CFT's own prefix: node, YY/MM/DD HH:MM:SS.ff.</summary>
        public static string CftPrefix(DateTime t) => "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " ";

        /// <summary>A re-exported log's prefix.</summary>
        public static string IsoPrefix(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " ";
    }
}
