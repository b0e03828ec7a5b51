using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CftSslTrace.Fuzz
{
    /// <summary>
    /// Seeds for the fuzzer, cut from the real fixtures (tests/fixtures): small enough for a fast fuzzer (a few KB), and
    /// covering every shape the decoder knows: each scenario's handshake (client and server side, one record per dump,
    /// chunked dumps, plaintext counts), interleaved sessions, both prefix styles and none, CRLF, UTF-16, bare hex
    /// dumps, an SSLv2-format hello.
    /// </summary>
    public static class SeedCorpus
    {
        /// <summary>The repository's root (where CftSslTrace.psd1 is), from the current folder or the program's.</summary>
        public static string RepoRoot()
        {
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                var dir = new DirectoryInfo(start);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CftSslTrace.psd1"))) dir = dir.Parent;
                if (dir != null) return dir.FullName;
            }
            throw new DirectoryNotFoundException("CftSslTrace.psd1 not found above " + Directory.GetCurrentDirectory() + " or " + AppContext.BaseDirectory);
        }

        public static IEnumerable<KeyValuePair<string, byte[]>> Build(string repoRoot)
        {
            string fixtures = Path.Combine(repoRoot, "tests", "fixtures");
            var latin1 = Encoding.GetEncoding(28591);
            foreach (var file in Directory.GetFiles(Path.Combine(fixtures, "doc"), "*.log").OrderBy(f => f, StringComparer.Ordinal))
                yield return Seed("doc-" + Path.GetFileNameWithoutExtension(file), File.ReadAllBytes(file));

            foreach (var file in Directory.GetFiles(Path.Combine(fixtures, "real"), "*.log").OrderBy(f => f, StringComparer.Ordinal))
            {
                string name = Path.GetFileNameWithoutExtension(file);
                var lines = File.ReadAllLines(file, latin1);
                if (name == "busy")
                {
                    yield return Seed("busy-head", latin1.GetBytes(string.Join("\n", Budget(lines, 6000)) + "\n"));
                    continue;
                }
                // the handshake: every line up to the first application data, then the session's own lines
                var handshake = Handshake(lines);
                if (name.EndsWith(".client", StringComparison.Ordinal) || name.EndsWith(".server", StringComparison.Ordinal))
                    yield return Seed(name + "-handshake", latin1.GetBytes(string.Join("\n", Budget(handshake, 24000)) + "\n"));
                // the first records: small and fast
                yield return Seed(name + "-head", latin1.GetBytes(string.Join("\n", Budget(handshake, 3000).Concat(lines.Where(IsEventLine).Skip(1))) + "\n"));
            }

            // sessions written from their specifications: SSL 2.0, a TLS 1.3 draft, a HelloRetryRequest without ServerHello
            string spec = Path.Combine(fixtures, "spec");
            if (Directory.Exists(spec))
                foreach (var file in Directory.GetFiles(spec, "*.log").OrderBy(f => f, StringComparer.Ordinal))
                    yield return Seed("spec-" + Path.GetFileNameWithoutExtension(file), latin1.GetBytes(string.Join("\n", Budget(File.ReadAllLines(file, latin1), 12000)) + "\n"));

            // variants of one small session: other prefixes, line ends, encodings
            var doc = File.ReadAllText(Path.Combine(fixtures, "doc", "doc-simple-auth-client.log"), latin1);
            var docLines = doc.TrimEnd('\n').Split('\n');
            yield return Seed("doc-crlf", latin1.GetBytes(doc.Replace("\n", "\r\n")));
            yield return Seed("doc-cr", latin1.GetBytes(doc.Replace("\n", "\r")));
            yield return Seed("doc-noprefix", latin1.GetBytes(string.Join("\n", docLines.Select(l => l.Substring(l.IndexOf("CFT", StringComparison.Ordinal)))) + "\n"));
            yield return Seed("doc-iso", latin1.GetBytes(string.Join("\n", docLines.Select(l => "2011-04-21T11:23:41.123 node1 cft[77]: " + l.Substring(l.IndexOf("CFT", StringComparison.Ordinal)))) + "\n"));
            yield return Seed("doc-utf16", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(string.Join("\n", docLines.Take(12)) + "\n")).ToArray());
            yield return Seed("doc-continuation", latin1.GetBytes(string.Join("\n", docLines.Select(l => l.Length > 90 && !l.Contains("CFTY02Z") ? l.Substring(0, 80) + "\n" + l.Substring(0, l.IndexOf("CFT", StringComparison.Ordinal) + 7) + "+" + l.Substring(80) : l)) + "\n"));
            // ConvertFrom-CftHexDump input: hex lines pasted without CFT prefixes
            yield return Seed("hex-bare", latin1.GetBytes(string.Join("\n", docLines.Where(l => l.Contains("CFTY02Z")).Take(10).Select(l => l.Substring(l.IndexOf("CTX=", StringComparison.Ordinal) + 11))) + "\n"));
            // an SSLv2-format ClientHello offering TLS 1.0
            yield return Seed("sslv2-hello", Encoding.ASCII.GetBytes(
                "CFTY20I PROT=PESITSSL SSL=SRV opening server session CTX=210001 on task PID=1\n"
                + "CFTY02Z>> CTX=210001 ndata()_ 36 HANDSHAKE DATA RECEIVED FROM NETWORK\n"
                + "CFTY02Z>> CTX=210001 80220103 01000900 00001000 002F0000 >.\"......./..<\n"
                + "CFTY02Z>> CTX=210001 0A010080 01020304 05060708 090A0B0C >................<\n"
                + "CFTY02Z>> CTX=210001 0D0E0F10 >....<\n"
                + "CFTY13E CTX=210001 SSL Handshake local error [HANDSHAKE_FAILURE] CR=40\n"));
        }

        private static bool IsEventLine(string line) => line.Contains("CFTY") && !line.Contains("CFTY02Z");

        private static List<string> Handshake(string[] lines)
        {
            var kept = new List<string>();
            bool data = false;
            foreach (var l in lines)
            {
                if (l.Contains("APPLICATION DATA")) data = true;
                if (!data || IsEventLine(l)) kept.Add(l);
            }
            return kept;
        }

        private static IEnumerable<string> Budget(IEnumerable<string> lines, int bytes)
        {
            int used = 0;
            foreach (var l in lines)
            {
                used += l.Length + 1;
                if (used > bytes) yield break;
                yield return l;
            }
        }

        private static KeyValuePair<string, byte[]> Seed(string name, byte[] bytes) => new KeyValuePair<string, byte[]>(name, bytes);
    }
}
