using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace FixtureGenerator
{
    /// <summary>
    /// Regenerates tests/fixtures/real: real TLS sessions between openssl s_server and s_client on 127.0.0.1,
    /// recorded by a relay and rendered as CFT traces from both sides.
    /// Usage: dotnet run --project tests/FixtureGenerator [-- output-folder]
    /// </summary>
    public static class Program
    {
        /// <summary>
        /// [output-folder] [--only NAME...]: with --only, records just those scenarios into the folder (new fixtures beside
        /// the committed ones: their certificates come from a new test PKI) and adds them to its manifest.
        /// </summary>
        public static int Main(string[] args)
        {
            if (args.Length >= 2 && args[0] == "--derive-plaintext")
            {
                // the plaintext-count view of every committed client view (no recording: the bytes are the committed ones)
                foreach (var sc in Scenario.All(null))
                {
                    string source = Path.Combine(args[1], sc.Name + ".client.log");
                    if (!File.Exists(source)) continue;
                    string text = File.ReadAllText(source);
                    var lines = text.Split('\n').ToList();
                    if (lines.Count > 0 && lines[lines.Count - 1].Length == 0) lines.RemoveAt(lines.Count - 1);
                    var derived = CftTraceWriter.DerivePlaintextView(sc, lines);
                    File.WriteAllText(Path.Combine(args[1], sc.Name + ".client-plaintext.log"), string.Join("\n", derived) + "\n", new UTF8Encoding(false));
                    Console.WriteLine("derived " + sc.Name + ".client-plaintext.log");
                }
                return 0;
            }
            if (args.Length >= 1 && args[0] == "--history")
            {
                HistoryFixtures.Write(args.Length >= 2 ? args[1] : Path.Combine(FindRepoRoot(), "tests", "fixtures", "history"));
                return 0;
            }
            if (args.Length >= 1 && args[0] == "--spec")
            {
                string root = FindRepoRoot();
                SpecFixtures.Write(args.Length >= 2 ? args[1] : Path.Combine(root, "tests", "fixtures", "spec"), Path.Combine(root, "tests", "fixtures", "real"));
                return 0;
            }
            var only = args.SkipWhile(a => a != "--only").Skip(1).ToList();
            var positional = args.TakeWhile(a => a != "--only").ToList();
            string output = positional.Count > 0 ? positional[0] : Path.Combine(FindRepoRoot(), "tests", "fixtures", "real");
            Generate(output, only.Count > 0 ? only : null);
            return 0;
        }

        /// <summary>Records every scenario (or those named) and writes the CFT traces, the busy log, the manifest and the certificates into output.</summary>
        public static void Generate(string output, IList<string> only = null)
        {
            Directory.CreateDirectory(output);
            string work = Path.Combine(Path.GetTempPath(), "cftssltrace-fixtures-" + Environment.ProcessId);
            // a scenario recorded alone gets a PKI of its own, made as of 2026-10-24 (under libfaketime): valid before the
            // logs the tests and the benchmark generate from the fixtures (LogGenerator: 2026-11-27), or each of its
            // sessions there would carry a certificate "not yet valid"
            var pki = only == null ? new Pki(work) : new Pki(work, new DateTime(2026, 10, 24, 8, 0, 0));
            var all = Scenario.All(pki);
            var scenarios = all.Where(sc => only == null || only.Contains(sc.Name)).ToList();
            var manifest = new List<Dictionary<string, object>>();
            var recorded = new List<(Scenario sc, List<Chunk> chunks)>();
            int n = 0;
            foreach (var sc in scenarios)
            {
                n = all.IndexOf(sc) + 1; // CTX values stay those of a full recording
                Console.WriteLine("recording " + sc.Name);
                var (chunks, clientOutput) = Record(sc, work);
                Check(sc, chunks, clientOutput);
                recorded.Add((sc, chunks));
                if (sc.ExpectProtocol == "TLSv1.3") WriteTls13Messages(Path.Combine(output, sc.Name + ".tls13-messages.txt"), clientOutput);
                string cctx = "2000" + n.ToString("x2", CultureInfo.InvariantCulture);
                string sctx = "2100" + n.ToString("x2", CultureInfo.InvariantCulture);
                if (sc.PlainText)
                {
                    bool client = sc.OnlyView ?? true;
                    Write(Path.Combine(output, sc.Name + (client ? ".client.log" : ".server.log")), CftTraceWriter.RenderPlain(sc, chunks, client, client ? cctx : sctx, (client ? 4100 : 5100) + n), CftTraceWriter.CftPrefix, "\n");
                }
                else
                {
                    Write(Path.Combine(output, sc.Name + ".client.log"), RenderAll(sc, chunks, true, cctx, 4100 + n, false), CftTraceWriter.CftPrefix, "\n");
                    Write(Path.Combine(output, sc.Name + ".server.log"), RenderAll(sc, chunks, false, sctx, 5100 + n, false), CftTraceWriter.CftPrefix, "\n");
                    Write(Path.Combine(output, sc.Name + ".client-chunks.log"), RenderAll(sc, chunks, true, cctx, 4100 + n, true), CftTraceWriter.IsoPrefix, "\r\n");
                    Write(Path.Combine(output, sc.Name + ".client-plaintext.log"), RenderAll(sc, chunks, true, cctx, 4100 + n, false, CountStyle.Plaintext), CftTraceWriter.CftPrefix, "\n");
                }
                manifest.Add(new Dictionary<string, object>
                {
                    ["name"] = sc.Name, ["description"] = sc.Description, ["clientCtx"] = cctx, ["serverCtx"] = sctx,
                    ["protocol"] = sc.ExpectProtocol, ["cipher"] = sc.ExpectCipher, ["mutual"] = sc.Mutual, ["failure"] = sc.ExpectFailure,
                    ["partner"] = sc.Partner, ["chunks"] = chunks.Count, ["connections"] = sc.Connections,
                    ["opensslClient"] = string.Join(" | ", clientOutput.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("Protocol", StringComparison.Ordinal) || l.StartsWith("Cipher", StringComparison.Ordinal) || l.StartsWith("New,", StringComparison.Ordinal) || l.Contains("alert"))),
                });
            }
            string manifestPath = Path.Combine(output, "manifest.json");
            if (only == null)
            {
                WriteBusyLog(Path.Combine(output, "busy.log"), recorded);
                File.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
                string certs = Path.Combine(output, "certs");
                Directory.CreateDirectory(certs);
                foreach (var f in new[] { "ca.pem", "inter.pem", "otherca.pem", "server-rsa.pem", "server-ec.pem", "client.pem" })
                {
                    File.Copy(Path.Combine(work, f), Path.Combine(certs, f), true);
                }
            }
            else
            {
                // the scenarios recorded now join the others in the manifest (their PKI is a new one, said in their entry)
                var existing = File.Exists(manifestPath) ? JsonSerializer.Deserialize<List<Dictionary<string, object>>>(File.ReadAllText(manifestPath)) : new List<Dictionary<string, object>>();
                existing.RemoveAll(e => only.Contains(e["name"].ToString()));
                foreach (var m in manifest) { m["pki"] = "recorded alone (--only): a test PKI of its own, made as of 2026-10-24, not the one of certs/"; existing.Add(m); }
                File.WriteAllText(manifestPath, JsonSerializer.Serialize(existing, new JsonSerializerOptions { WriteIndented = true }));
            }
            Directory.Delete(work, true);
            Console.WriteLine("wrote " + scenarios.Count + " scenarios to " + output);
        }

        /// <summary>Each connection of the scenario as its own session (the second one with CTX 2001nn / 2101nn).</summary>
        private static List<LogEntry> RenderAll(Scenario sc, List<Chunk> chunks, bool cftIsClient, string ctx, int pid, bool perChunk, CountStyle counts = CountStyle.Record)
        {
            var all = new List<LogEntry>();
            foreach (int c in chunks.Select(x => x.Connection).Distinct().OrderBy(x => x))
            {
                string connCtx = c == 1 ? ctx : ctx.Substring(0, 3) + c.ToString(CultureInfo.InvariantCulture) + ctx.Substring(4);
                all.AddRange(CftTraceWriter.Render(sc, chunks.Where(x => x.Connection == c).ToList(), cftIsClient, connCtx, pid, perChunk, counts));
            }
            return all;
        }

        internal static (List<Chunk>, string) Record(Scenario sc, string work)
        {
            int serverPort = Relay.FreePort();
            var serverOut = new StringBuilder();
            System.Diagnostics.Process server;
            if (sc.ServerCommand != null)
            {
                var cmd = sc.ServerCommand.Replace("{port}", serverPort.ToString(CultureInfo.InvariantCulture));
                int sp = cmd.IndexOf(' ');
                server = Proc.Start(cmd.Substring(0, sp), cmd.Substring(sp + 1), work, serverOut);
            }
            else server = Proc.Start("openssl", $"s_server -accept 127.0.0.1:{serverPort} -naccept {sc.Connections} {(sc.SendData ? "-www" : "")} {sc.ServerArgs}", work, serverOut);
            try
            {
                if (!Proc.WaitFor(serverOut, sc.ServerReady ?? "ACCEPT", 10000)) throw new TimeoutException("the server did not start: " + serverOut);
                using var relay = new Relay(serverPort);
                var clientOut = new StringBuilder();
                for (int c = 1; c <= sc.Connections; c++)
                {
                    relay.AcceptOne(15000);
                    if (sc.PlainClientSends != null)
                    {
                        // a partner without SSL: plain bytes, then whatever comes back until the server closes (bounded)
                        using var plain = new System.Net.Sockets.TcpClient();
                        plain.Connect(System.Net.IPAddress.Loopback, relay.Port);
                        var ns = plain.GetStream();
                        var bytes = Encoding.ASCII.GetBytes(sc.PlainClientSends);
                        ns.Write(bytes, 0, bytes.Length);
                        ns.ReadTimeout = 5000;
                        var answer = new byte[65536];
                        try { while (ns.Read(answer, 0, answer.Length) > 0) { } } catch (IOException) { }
                        clientOut.Append("plain client sent ").Append(bytes.Length).Append(" bytes\n");
                        plain.Close();
                        relay.Wait(10000);
                        continue;
                    }
                    string args = c == 1 ? sc.ClientArgs : sc.SecondClientArgs;
                    var client = Proc.Start("openssl", $"s_client -connect 127.0.0.1:{relay.Port} {(sc.SendData ? "-ign_eof" : "")} {args}", work, clientOut);
                    if (sc.SendData) client.StandardInput.Write("GET / HTTP/1.0\r\n\r\n");
                    client.StandardInput.Close();
                    Proc.Stop(client, 10000);
                    relay.Wait(10000);
                }
                Proc.Stop(server, 5000);
                return (relay.Chunks.Where(c => c.Bytes.Length > 0).ToList(), clientOut.ToString());
            }
            finally
            {
                if (!server.HasExited) server.Kill(true);
            }
        }

        internal static void Check(Scenario sc, List<Chunk> chunks, string clientOutput)
        {
            if (sc.PlainText)
            {
                // one side spoke plain text: the client sent something and, when the client spoke TLS, the server answered
                if (!chunks.Any(c => c.FromClient) || (sc.PlainClientSends == null && !chunks.Any(c => !c.FromClient))) throw new InvalidOperationException(sc.Name + ": expected bytes from the client, and an answer to TLS\n" + clientOutput);
                if (sc.FailureReason != null && sc.PlainClientSends == null && !clientOutput.Contains(sc.FailureReason)) throw new InvalidOperationException(sc.Name + ": s_client did not report '" + sc.FailureReason + "'\n" + clientOutput);
                return;
            }
            var records = chunks.Select(c => c.Connection).Distinct().SelectMany(c => TlsRecords.Cut(chunks.Where(x => x.Connection == c).ToList())).ToList();
            bool fatal = records.Any(r => r.Type == 21 && r.Length == 2 && r.Bytes[5] == 2);
            if (sc.ExpectFailure != fatal) throw new InvalidOperationException(sc.Name + ": expected failure=" + sc.ExpectFailure + ", fatal alert seen=" + fatal + "\n" + clientOutput);
            if (sc.ExpectClientOutput != null && !clientOutput.Contains(sc.ExpectClientOutput)) throw new InvalidOperationException(sc.Name + ": s_client did not print '" + sc.ExpectClientOutput + "'\n" + clientOutput);
            if (sc.ExpectProtocol != null && !clientOutput.Contains("Protocol  : " + sc.ExpectProtocol + "\n") && !clientOutput.Contains(", " + sc.ExpectProtocol + ","))
                throw new InvalidOperationException(sc.Name + ": openssl did not negotiate " + sc.ExpectProtocol + "\n" + clientOutput);
            if (sc.SendData && !records.Any(r => r.Type == 23 && !r.FromClient)) throw new InvalidOperationException(sc.Name + ": no application data from the server");
        }

        /// <summary>
        /// The TLS 1.3 handshake messages in clear, as s_client -msg prints them (they are encrypted on the wire and so in
        /// CFT's trace): one line each, "&lt;&lt;&lt; Name HEX" (received by the client) or "&gt;&gt;&gt; Name HEX" (sent).
        /// </summary>
        private static void WriteTls13Messages(string path, string clientOutput)
        {
            var lines = clientOutput.Replace("\r", "").Split('\n');
            var sb = new StringBuilder();
            for (int i = 0; i < lines.Length; i++)
            {
                var m = System.Text.RegularExpressions.Regex.Match(lines[i], @"^(<<<|>>>) TLS 1\.[23], Handshake \[length [0-9a-f]+\], (\w+)");
                if (!m.Success) continue;
                var hex = new StringBuilder();
                for (int j = i + 1; j < lines.Length && lines[j].StartsWith("    ", StringComparison.Ordinal); j++) hex.Append(lines[j].Replace(" ", ""));
                sb.Append(m.Groups[1].Value).Append(' ').Append(m.Groups[2].Value).Append(' ').Append(hex.ToString().ToUpperInvariant()).Append('\n');
            }
            File.WriteAllText(path, sb.ToString());
        }

        private static void Write(string path, List<LogEntry> log, Func<DateTime, string> prefix, string newline)
        {
            var sb = new StringBuilder();
            foreach (var e in log) sb.Append(prefix(e.Time)).Append(e.Message).Append(newline);
            File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
        }

        /// <summary>
        /// A busy log: client sessions interleaved line by line, unrelated CFT and non-CFT lines between them, a CTX
        /// reused by a later session, a session whose opening line was rotated away, CRLF endings and a Latin-1 line.
        /// </summary>
        private static void WriteBusyLog(string path, List<(Scenario sc, List<Chunk> chunks)> recorded)
        {
            var t0 = new DateTime(2026, 11, 27, 22, 15, 0);
            var sessions = new List<List<LogEntry>>();
            string[] ctxs = { "20a001", "20a002", "20a003", "20a001", "20a004" }; // the 4th reuses the 1st's CTX after it closed
            var picks = new[] { "tls12-ecdhe-rsa-mutual", "tls12-unknown-ca", "tls13-server-auth", "tls10-rsa-aes128", "tls12-no-client-cert" };
            for (int i = 0; i < picks.Length; i++)
            {
                var (sc, chunks) = recorded.Single(r => r.sc.Name == picks[i]);
                sessions.Add(CftTraceWriter.Render(sc, chunks, true, ctxs[i], 6000 + i, false));
            }
            var lines = new List<string>();
            int tick = 0;
            string Stamp() => CftTraceWriter.CftPrefix(t0.AddMilliseconds(10 * tick++));
            lines.Add(Stamp() + "CFTT13I Session parameters <PART=PARTNER02 PROT=PESITSSL SAP=1761 HOST=127.0.0.1>");
            lines.Add("---- log switched, previous file cftlog-20261127 ----");
            // the first three run concurrently
            var queues = sessions.Take(3).Select(s => new Queue<LogEntry>(s)).ToList();
            var rnd = new Random(42);
            while (queues.Any(q => q.Count > 0))
            {
                var q = queues[rnd.Next(queues.Count)];
                int burst = rnd.Next(1, 6);
                for (int k = 0; k < burst && q.Count > 0; k++) lines.Add(Stamp() + q.Dequeue().Message);
                if (rnd.Next(10) == 0) lines.Add(Stamp() + "CFTT75E connect reject <IDTU=A00000BL PART=HPX18SSL IDF=SSL IDT=A2217045 260 PKI 040>");
                if (rnd.Next(15) == 0) lines.Add(Stamp() + "CFTH11E Error Opening session <PART=HPX18SSL EV=VVTIMO ST=SUP01>");
            }
            lines.Add(Stamp() + "CFTI18I Catalog: partner DÉPÔT-NORD updated");   // written as Latin-1 below
            // the 4th reuses CTX 20a001 after the first session closed
            foreach (var e in sessions[3]) lines.Add(Stamp() + e.Message);
            // the 5th lost its opening line (log rotated): drop CFTY19I
            foreach (var e in sessions[4].Skip(1)) lines.Add(Stamp() + e.Message);
            var latin1 = Encoding.Latin1;
            using var f = new FileStream(path, FileMode.Create);
            foreach (var l in lines)
            {
                var bytes = l.Contains("DÉPÔT") ? latin1.GetBytes(l) : Encoding.UTF8.GetBytes(l);
                f.Write(bytes);
                f.Write(new byte[] { 13, 10 });
            }
        }

        private static string FindRepoRoot()
        {
            var d = new DirectoryInfo(Directory.GetCurrentDirectory());
            while (d != null && !File.Exists(Path.Combine(d.FullName, "CftSslTrace.slnx"))) d = d.Parent;
            return d?.FullName ?? Directory.GetCurrentDirectory();
        }
    }
}
