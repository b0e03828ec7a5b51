using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>
    /// The default views (module/CftSslTrace.Format.ps1xml) as a console of 80 and of 120 columns shows them (the
    /// classic console, ssh, a scheduled script's Out-File or transcript; a wide terminal). The test host's culture is
    /// invariant: PowerShell then wraps text at the column width, not at word boundaries (en, fr, de... wrap at words).
    /// </summary>
    public class ViewTests
    {
        private readonly ITestOutputHelper output;
        public ViewTests(ITestOutputHelper output) { this.output = output; }

        private List<string> Render(int width, string script, Dictionary<string, object> vars)
        {
            var console = new CapturingHost(width);
            using var host = new ModuleHost(Path.Combine(ModuleHost.RepoRoot, "CftSslTrace.psd1"), console);
            var r = host.Run(script + " | Out-Default", vars);
            Assert.Empty(r.Errors);
            // the console's colour escapes are not part of the layout
            string text = System.Text.RegularExpressions.Regex.Replace(console.Text, "\u001b\\[[0-9;]*m", "");
            output.WriteLine(text);
            var lines = text.Replace("\r", "").Split('\n').ToList();
            Assert.All(lines, l => Assert.True(l.Length <= width, "wider than " + width + ": " + l));
            return lines;
        }

        private static Dictionary<string, object> P(string fixture) => new Dictionary<string, object> { ["p"] = ModuleHost.Fixture(fixture) };

        /// <summary>The text of the last column from a row on, rejoined across the lines it wraps onto, without blanks.</summary>
        private static string LastCell(List<string> lines, int row, int col)
            => string.Concat(new[] { lines[row] }.Concat(lines.Skip(row + 1).TakeWhile(l => l.Length > col && l.Substring(0, col).Trim().Length == 0))
                .Select(l => l.Length > col ? l.Substring(col) : "")).Replace(" ", "");

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void Sessions_TableKeepsTheProblemReadable(int width)
        {
            var lines = Render(width, "Get-CftSslSession $p", P("real/*.client.log"));
            var header = lines.First(l => l.StartsWith("Ctx"));
            Assert.Matches(@"^Ctx\s+Role\s+Partner\s+Result\s+Version\s+Auth\s+Cipher or problem$", header);
            int col = header.IndexOf("Cipher or problem", StringComparison.Ordinal);
            Assert.True(width - col >= 28, "the last column has " + (width - col) + " columns");
            // the failed session's problem starts on its row and its words are all there (wrapped, not cut)
            int row = lines.FindIndex(l => l.StartsWith("20000c"));
            Assert.Contains("Failed", lines[row]);
            Assert.Equal("unknown_ca(48):servercertnottrusted", LastCell(lines, row, col));
            // an established session shows its suite, name first, then the number CFT logs (CIPHER=49199)
            int ok = lines.FindIndex(l => l.StartsWith("200002"));
            Assert.Matches(@"Established\s+TLS 1\.2\s+Mutual\s+ECDHE_RSA_AES_128_GCM", lines[ok]);
            Assert.Equal("ECDHE_RSA_AES_128_GCM_SHA256(49199)", LastCell(lines, ok, col));
            if (width >= 120) Assert.Contains("ECDHE_RSA_AES_128_GCM_SHA256 (49199)", lines[ok]);
        }

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void Frames_TableReadsLikeTheDocAnalysis_GroupedBySession(int width)
        {
            var lines = Render(width, "Get-CftSslFrame $p", P("doc/doc-simple-auth-client.log"));
            Assert.Contains(lines, l => l.Trim() == "Session: doc-simple-auth-client.log:1:200005");
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+Line\s+Time\s+Dir\s+From\s+Version\s+Length\s+Record$"));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+2 11:23:41\.00 >>  Client TLS 1\.0\s+53 ClientHello TLS 1\.0, 5 suites"));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+11 11:23:41\.00 <<  Server TLS 1\.0\s+1453 Certificate"));
            // the summary has at least 30 columns at 80
            var header = lines.First(l => l.Contains("Record"));
            Assert.True(width - header.IndexOf("Record", StringComparison.Ordinal) >= 30);
        }

        [Fact]
        public void Frames_OfALogWithoutTimes_HaveNoEmptyTimeColumn()
        {
            var text = string.Join("\n", File.ReadAllLines(ModuleHost.Fixture("doc/doc-simple-auth-client.log")).Select(l => l.Substring(l.IndexOf("CFT", StringComparison.Ordinal))));
            var lines = Render(80, "$t | Get-CftSslFrame", new Dictionary<string, object> { ["t"] = text });
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+Line\s+Dir\s+From\s+Version\s+Length\s+Record$"));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+2 >>  Client TLS 1\.0\s+53 ClientHello TLS 1\.0, 5 suites$"));
            Assert.DoesNotContain(lines, l => l.Contains("Time"));
            // a log with times keeps its column
            var timed = Render(80, "Get-CftSslFrame $p", P("doc/doc-simple-auth-client.log"));
            Assert.Contains(timed, l => l.Contains("Time"));
        }

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void Lookups_DumpBlocks_HandshakeMessagesAndAlerts_Fit(int width)
        {
            var suites = Render(width, "Get-CftCipherSuite 47, 49196, 52393, 4866", new Dictionary<string, object>());
            Assert.Contains(suites, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+Id\s+Hex\s+Name\s+Min\s+Strength$"));
            Assert.Contains(suites, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^49196 0xC02C TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\s+TLS 1\.2 Recommended$"));
            var alerts = Render(width, "Get-CftSslAlert 48", new Dictionary<string, object>());
            Assert.Contains(alerts, l => l.StartsWith("  48 unknown_ca"));
            Assert.Contains("ROOTCID", string.Concat(alerts.Select(l => l.Trim())));
            var blocks = Render(width, "[System.IO.File]::ReadAllLines($p) | ConvertFrom-CftHexDump", P("doc/doc-simple-auth-client.log"));
            Assert.Contains(blocks, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+11 200005\s+<<\s+HANDSHAKE\s+1458\s+48 16030105AD0B"));
            var messages = Render(width, "(Get-CftSslSession $p).HandshakeMessages", P("real/tls12-unknown-ca.client.log"));
            Assert.Contains(messages, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+164 Server ServerHelloDone\s+0 ServerHelloDone$"));
        }

        [Theory]
        [InlineData(80)]
        [InlineData(120)]
        public void DeserializedSessions_FromRemoting_ShowTheComputerOnce_AndTheFailureUnwrappedAt120(int width)
        {
            // PSSerializer serializes as remoting and jobs do (one level, or the type's SerializationDepth); remoting adds
            // PSComputerName and PSShowComputerName, and PowerShell then appends the PSComputerName column itself
            var lines = Render(width, "$s = Get-CftSslSession $p; $d = $s | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }; "
                + "$d | ForEach-Object { $_.psobject.Properties.Add([psnoteproperty]::new('PSComputerName', 'cft-prod1')); $_.psobject.Properties.Add([psnoteproperty]::new('PSShowComputerName', $true)) }; $d", P("real/*.client.log"));
            var header = lines.First(l => l.StartsWith("Ctx", StringComparison.Ordinal));
            Assert.Matches(@"^Ctx\s+Partner\s+Result\s+Version\s+Cipher or failure\s+PSComputerName$", header);
            Assert.Single(lines, l => l.Contains("PSComputerName"));
            Assert.DoesNotContain(lines, l => l.StartsWith("Computer", StringComparison.Ordinal));
            Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^20000c PARTNER08\s+Failed\s+TLS 1\.2\s+unknown_ca \(48\)\s+cft-prod1\s*$"));
            if (width >= 120)
            {
                // every row on one line: no failure or suite wraps
                int rows = lines.Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^2[0-9a-f]{5} "));
                int body = lines.SkipWhile(l => !l.StartsWith("---", StringComparison.Ordinal)).Skip(1).TakeWhile(l => l.Trim().Length > 0).Count();
                Assert.Equal(rows, body);
            }
        }
    }
}
