using System;
using System.Collections.Generic;
using System.Globalization;
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
    internal sealed class CftTraceWriter
    {
        private static readonly byte[] HelloRetryRandom = Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");

        public static List<LogEntry> Render(Scenario sc, List<Chunk> chunks, bool cftIsClient, string ctx, int pid, bool perChunk)
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
                    Block(log, r.Time, ctx, sent, r.Type, r.Bytes);
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
                    Block(log, chunks[c].Time, ctx, sent, chunks[c].Bytes[0], chunks[c].Bytes);
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
            for (int i = 0; i < records.Count && !done; i++)
            {
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

        private static void Block(List<LogEntry> log, DateTime time, string ctx, bool sent, int type, byte[] bytes)
        {
            string kind = type == 23 ? "APPLICATION" : type == 21 ? "ALERT" : "HANDSHAKE";
            string header = sent
                ? $"CFTY02Z>> CTX={ctx} {(type == 23 ? "PDataRq" : "SSLact")}()_ {bytes.Length} {kind} DATA SENDING"
                : $"CFTY02Z>> CTX={ctx} ndata()_ {bytes.Length} {kind} DATA RECEIVED FROM NETWORK";
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

        private static LogEntry E(DateTime t, string m) => new LogEntry { Time = t, Message = m };

        /// <summary>CFT's own prefix: node, YY/MM/DD HH:MM:SS.ff.</summary>
        public static string CftPrefix(DateTime t) => "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " ";

        /// <summary>A re-exported log's prefix.</summary>
        public static string IsoPrefix(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " ";
    }
}
