using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>The default views (module/CftSslTrace.Format.ps1xml) as a 120-column console shows them.</summary>
    public class ViewTests
    {
        private readonly ITestOutputHelper output;
        public ViewTests(ITestOutputHelper output) { this.output = output; }

        private string Render(string script, Dictionary<string, object> vars)
        {
            var console = new CapturingHost(120);
            using var host = new ModuleHost(Path.Combine(ModuleHost.RepoRoot, "CftSslTrace.psd1"), console);
            var r = host.Run(script + " | Out-Default", vars);
            Assert.Empty(r.Errors);
            // the console's colour escapes are not part of the layout
            string text = System.Text.RegularExpressions.Regex.Replace(console.Text, "\u001b\\[[0-9;]*m", "");
            output.WriteLine(text);
            return text;
        }

        [Fact]
        public void Sessions_TableFits120Columns()
        {
            string text = Render("Get-CftSslSession $p", new Dictionary<string, object> { ["p"] = ModuleHost.Fixture("real/*.client.log") });
            var lines = text.Split('\n').Where(l => l.Length > 0).ToList();
            Assert.Matches(@"^Ctx\s+Role\s+Partner\s+Version\s+Cipher\s+Auth\s+Result\s+Problem", lines[0]);
            Assert.All(lines, l => Assert.True(l.Length <= 120, l));
            Assert.Contains(lines, l => l.StartsWith("20000c") && l.Contains("Failed") && l.Contains("unknown_ca (48): server cert not trusted"));
            Assert.Contains(lines, l => l.StartsWith("200002") && l.Contains("49199 ECDHE_RSA_AES_128_G") && l.Contains("Mutual") && l.Contains("Established"));
        }

        [Fact]
        public void Frames_TableReadsLikeTheDocAnalysis_GroupedBySession()
        {
            string text = Render("Get-CftSslFrame $p", new Dictionary<string, object> { ["p"] = ModuleHost.Fixture("doc/doc-simple-auth-client.log") });
            var lines = text.Split('\n').ToList();
            Assert.Contains(lines, l => l.Trim() == "Session: doc-simple-auth-client.log:1:200005");
            Assert.Contains(lines, l => l.TrimStart().StartsWith("Line") && l.Contains("Dir") && l.Contains("Type") && l.Contains("Length") && l.Contains("Summary"));
            Assert.Contains(lines, l => l.TrimStart().StartsWith("2 11:23:41.00 >>") && l.Contains("ClientHello"));
            Assert.Contains(lines, l => l.TrimStart().StartsWith("11 11:23:41.00 <<") && l.Contains("Certificate") && l.Contains("1453"));
            Assert.All(lines, l => Assert.True(l.Length <= 120, l));
        }

    }
}
