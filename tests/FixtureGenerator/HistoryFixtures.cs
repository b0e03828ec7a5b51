using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace FixtureGenerator
{
    /// <summary>
    /// Writes tests/fixtures/history: the logs of two CFT servers over three days (24 to 26 November 2026), real TLS
    /// sessions between openssl s_server and s_client, in which partners change: BANK-A renews its server certificate
    /// under another CA (CFT refuses it: unknown_ca), BANK-B stops accepting TLS 1.1 (protocol_version), BANK-C changes
    /// the CA list of its CertificateRequest (CFT has no certificate from those CAs and sends none), BANK-D connects to
    /// CFT's server from another address, BANK-E stays the same. server1: cftlog-20261124, cftlog-20261125.gz (gzip),
    /// cftlog (the 26th); server2 (another CFT server that talks to BANK-A): cftlog.
    /// Usage: dotnet run --project tests/FixtureGenerator -- --history [output-folder] (needs openssl and faketime)
    /// </summary>
    internal static class HistoryFixtures
    {
        private sealed class Planned
        {
            public Scenario Scenario;
            public string Server;
            public DateTime Time;
            public bool CftIsClient = true;
            public string RemoteHost;
        }

        public static void Write(string output)
        {
            string work = Path.Combine(Path.GetTempPath(), "cftssltrace-history-fixtures-" + Environment.ProcessId);
            // certificates valid from a month before the first session (made on the day of recording they were "not yet
            // valid" in every session) to 2049 (the last year of UTCTime): findings against today's date (expired since,
            // expiring) stay out of the tests for as long as they run
            var start = new DateTime(2026, 10, 24, 8, 0, 0);
            var pki = new Pki(work, start, (int)(new DateTime(2049, 12, 31) - start).TotalDays);
            string ca = "-CAfile ca.pem";
            string srvRsa = "-cert server-rsa.pem -key server-rsa.key -cert_chain server-rsa-chain.pem";
            string srvNewCa = "-cert server-newca.pem -key server-newca.key";
            string cli = "-cert client.pem -key client.key";
            Scenario S(string name, string partner, string server, string client, string protocol = null, int? cipher = null, bool failure = false, string reason = null, bool mutual = false)
                => new Scenario
                {
                    Name = name, Partner = partner, ServerArgs = server, ClientArgs = client, ExpectProtocol = protocol, ExpectCipher = cipher,
                    ExpectFailure = failure, FailureReason = reason, Mutual = mutual, SendData = !failure, Description = name,
                };
            var bankAOk = S("bank-a-ok", "BANK-A", $"{srvRsa} {ca} -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", $"{ca} -verify_return_error -tls1_2 -servername bank-a.example.test", "TLSv1.2", 49199);
            var bankANewCa = S("bank-a-new-ca", "BANK-A", $"{srvNewCa} -CAfile otherca.pem -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256", $"{ca} -verify_return_error -tls1_2 -servername bank-a.example.test",
                failure: true, reason: "certificate verify failed");
            var bankBOk = S("bank-b-tls11", "BANK-B", $"{srvRsa} {ca} -cipher AES256-SHA:@SECLEVEL=0", $"{ca} -tls1_1 -cipher AES256-SHA:@SECLEVEL=0", "TLSv1.1", 53);
            var bankBDropped = S("bank-b-tls11-dropped", "BANK-B", $"{srvRsa} {ca} -tls1_2", $"{ca} -tls1_1 -cipher AES256-SHA:@SECLEVEL=0", failure: true, reason: "unsupported protocol");
            var bankCOk = S("bank-c-mutual", "BANK-C", $"{srvRsa} {ca} -tls1_2 -Verify 2", $"{ca} {cli} -tls1_2", "TLSv1.2", 49200, mutual: true);
            var bankCNewList = S("bank-c-new-ca-list", "BANK-C", $"{srvRsa} -CAfile otherca.pem -tls1_2 -Verify 2", $"{ca} -tls1_2", failure: true, reason: "peer did not return a certificate");
            var bankD = S("bank-d-server", "BANK-D", $"{srvRsa} {ca} -tls1_2", $"{ca} -tls1_2", "TLSv1.2", 49200);
            var bankE = S("bank-e", "BANK-E", $"{srvRsa} {ca} -tls1_3", $"{ca} -tls1_3", "TLSv1.3", 4866);
            DateTime Day(int d, int h, int m) => new DateTime(2026, 11, d, h, m, 0);
            var plan = new List<Planned>
            {
                new Planned { Scenario = bankAOk, Server = "server1", Time = Day(24, 9, 0) },
                new Planned { Scenario = bankBOk, Server = "server1", Time = Day(24, 9, 10) },
                new Planned { Scenario = bankCOk, Server = "server1", Time = Day(24, 9, 20) },
                new Planned { Scenario = bankD, Server = "server1", Time = Day(24, 9, 30), CftIsClient = false, RemoteHost = "192.0.2.44" },
                new Planned { Scenario = bankE, Server = "server1", Time = Day(24, 9, 40) },
                new Planned { Scenario = bankAOk, Server = "server1", Time = Day(25, 9, 0) },
                new Planned { Scenario = bankBOk, Server = "server1", Time = Day(25, 9, 10) },
                new Planned { Scenario = bankCOk, Server = "server1", Time = Day(25, 9, 20) },
                new Planned { Scenario = bankD, Server = "server1", Time = Day(25, 9, 30), CftIsClient = false, RemoteHost = "192.0.2.44" },
                new Planned { Scenario = bankANewCa, Server = "server1", Time = Day(26, 9, 0) },
                new Planned { Scenario = bankBDropped, Server = "server1", Time = Day(26, 9, 10) },
                new Planned { Scenario = bankCNewList, Server = "server1", Time = Day(26, 9, 20) },
                new Planned { Scenario = bankD, Server = "server1", Time = Day(26, 9, 30), CftIsClient = false, RemoteHost = "198.51.100.7" },
                new Planned { Scenario = bankE, Server = "server1", Time = Day(26, 9, 40) },
                new Planned { Scenario = bankANewCa, Server = "server1", Time = Day(26, 14, 0) },
                new Planned { Scenario = bankAOk, Server = "server2", Time = Day(25, 11, 0) },
                new Planned { Scenario = bankANewCa, Server = "server2", Time = Day(26, 11, 0) },
            };
            // each scenario is recorded once (a real session), and rendered at each of its times with its own CTX and PID
            var recorded = new Dictionary<Scenario, List<Chunk>>();
            foreach (var sc in plan.Select(p => p.Scenario).Distinct())
            {
                Console.WriteLine("recording " + sc.Name);
                var (chunks, clientOutput) = Program.Record(sc, work);
                Program.Check(sc, chunks, clientOutput);
                recorded[sc] = chunks;
            }
            var logs = new Dictionary<string, List<LogEntry>>();
            int n = 0;
            foreach (var p in plan)
            {
                n++;
                string ctx = (p.CftIsClient ? "2030" : "2130") + n.ToString("x2", CultureInfo.InvariantCulture);
                var entries = CftTraceWriter.Render(p.Scenario, recorded[p.Scenario], p.CftIsClient, ctx, 7000 + n, false);
                var shift = p.Time - entries[0].Time;
                foreach (var e in entries)
                {
                    e.Time += shift;
                    if (p.RemoteHost != null) e.Message = e.Message.Replace("HOST=127.0.0.1", "HOST=" + p.RemoteHost);
                }
                if (!p.CftIsClient)
                    entries.Insert(2, new LogEntry { Time = entries[1].Time, Message = $"CFTT92I <IDTU=A0000{n:X3} CTX={ctx} IDT=B{p.Time:ddHHmm}0 PART={p.Scenario.Partner}>" });
                string file = p.Server + "/" + (p.Server == "server2" || p.Time.Day == 26 ? "cftlog" : "cftlog-202611" + p.Time.Day.ToString("00", CultureInfo.InvariantCulture));
                if (!logs.TryGetValue(file, out var log)) logs[file] = log = new List<LogEntry>();
                log.AddRange(entries);
            }
            foreach (var kv in logs)
            {
                string path = Path.Combine(output, kv.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path));
                var text = new StringBuilder();
                foreach (var e in kv.Value.OrderBy(e => e.Time)) text.Append(CftTraceWriter.CftPrefix(e.Time)).Append(e.Message).Append('\n');
                var bytes = new UTF8Encoding(false).GetBytes(text.ToString());
                if (kv.Key.EndsWith("20261125", StringComparison.Ordinal))
                {
                    // the day before: archived by the site's end-of-log procedure
                    using var fs = File.Create(path + ".gz");
                    using var gz = new GZipStream(fs, CompressionLevel.Optimal);
                    gz.Write(bytes);
                }
                else File.WriteAllBytes(path, bytes);
                Console.WriteLine("wrote " + kv.Key);
            }
            Directory.Delete(work, true);
        }
    }
}
