using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CftSslTrace.Pictures;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>Show-CftSslSession and Export-CftSslReport in the hosted engine: real pipelines, real fixtures.</summary>
    public class PictureCmdletTests : IClassFixture<CmdletTests.HostFixture>, IDisposable
    {
        private readonly ModuleHost host;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-pictures-" + Guid.NewGuid().ToString("N"));

        public PictureCmdletTests(CmdletTests.HostFixture f) { host = f.Host; Directory.CreateDirectory(dir); }
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        private Dictionary<string, object> Vars(string fixture) => new Dictionary<string, object> { ["f"] = ModuleHost.Fixture(fixture), ["d"] = dir };

        [Fact]
        public void Show_DrawsEachSession_As79ColumnLines_ThatAreTheirText()
        {
            var r = host.Run("Show-CftSslSession $f", Vars("real/tls12-resumption.client.log"));
            Assert.Empty(r.Errors);
            var lines = r.As<LadderLine>();
            Assert.Equal(2, lines.Select(l => l.SessionId).Distinct().Count());
            Assert.All(lines, l => Assert.True(l.Text.Length <= 79, l.Text));
            Assert.Equal("20000b PARTNER14 client TLS 1.2 Established 2026-11-24 09:45:33", lines[0].Text);
            // the second session after a blank line, numbered from 0 again
            int second = lines.FindIndex(l => l.SessionId != lines[0].SessionId);
            Assert.Equal("", lines[second].Text);
            Assert.Equal(0, lines[second].Number);
            Assert.StartsWith("20020b PARTNER14 client TLS 1.2 Established", lines[second + 1].Text);
            // on an 80-column console: each line of the ladder on a line of its own, none wrapped
            var console = new CapturingHost(80);
            using (var shown = new ModuleHost(Path.Combine(ModuleHost.RepoRoot, "CftSslTrace.psd1"), console))
                Assert.Empty(shown.Run("Show-CftSslSession $f | Out-Default", Vars("real/tls12-unknown-ca.client.log")).Errors);
            var screen = System.Text.RegularExpressions.Regex.Replace(console.Text, "\u001b\\[[0-9;]*m", "").Replace("\r", "").Split('\n').Where(l => l.Length > 0).ToList();
            var expected = host.Run("Show-CftSslSession $f", Vars("real/tls12-unknown-ca.client.log")).As<LadderLine>().Select(l => l.Text.TrimEnd()).Where(l => l.Length > 0).ToList();
            Assert.Equal(expected, screen.Select(l => l.TrimEnd()));
            Assert.Contains(screen, l => l.Contains("│─ Alert fatal unknown_ca (48) ─"));
            // what "$line", Set-Content and Out-File write is the text
            var strings = host.Run("Show-CftSslSession $f | ForEach-Object { \"$_\" }", Vars("real/tls12-unknown-ca.client.log")).Output.Select(o => o.ToString()).ToList();
            Assert.Equal(host.Run("Show-CftSslSession $f", Vars("real/tls12-unknown-ca.client.log")).As<LadderLine>().Select(l => l.Text), strings);
        }

        [Fact]
        public void Show_AsciiWidthAndMermaid_FromFilesOrPipedSessions()
        {
            var ascii = host.Run("Get-CftSslSession $f | Show-CftSslSession -Ascii -Width 60", Vars("real/tls12-ecdhe-rsa-mutual.server.log")).As<LadderLine>();
            Assert.All(ascii, l => Assert.True(l.Text.Length <= 60 && l.Text.All(c => c >= 0x20 && c <= 0x7E), l.Text));
            Assert.Contains(ascii, l => l.Text.Contains("|<-") && l.Text.Contains(" ClientHello TLS 1.2"));
            var mermaid = host.Run("Show-CftSslSession $f -As Mermaid", Vars("real/tls12-unknown-ca.client.log")).As<LadderLine>().Select(l => l.Text).ToList();
            Assert.Equal("sequenceDiagram", mermaid[3]);
            Assert.Equal(6, mermaid.Count(l => l.StartsWith("    CFT->>P: ", StringComparison.Ordinal) || l.StartsWith("    P->>CFT: ", StringComparison.Ordinal) || l.StartsWith("    CFT-xP: ", StringComparison.Ordinal) || l.StartsWith("    P-->>CFT: ", StringComparison.Ordinal) || l.StartsWith("    CFT-->>P: ", StringComparison.Ordinal)));
            Assert.StartsWith("    Note over CFT,P: Failed: unknown_ca (48)", mermaid.Last());
            var filtered = host.Run("Show-CftSslSession $f -Result Failed", Vars("real/tls12-*.client.log")).As<LadderLine>();
            Assert.All(filtered.Where(l => l.Number == 0 && l.Text.Length > 0), l => Assert.Contains(" Failed ", l.Text));
            Assert.True(filtered.Select(l => l.SessionId).Distinct().Count() >= 4);
        }

        [Fact]
        public void Report_WritesOneFile_PassThru_Detail_NoClobber_WhatIf()
        {
            var r = host.Run("Get-CftSslSession $f -WarningAction SilentlyContinue | Export-CftSslReport -Path ($d + '/r.html') -Title 'Nightly' -PassThru -Verbose", Vars("history/server1/*"));
            Assert.Empty(r.Errors);
            var file = (FileInfo)r.Output.Single().BaseObject;
            string html = File.ReadAllText(file.FullName);
            Assert.Contains("<title>Nightly</title>", html);
            Assert.Contains(r.Verbose, v => v.EndsWith("r.html: 15 sessions, 15 with their own section", StringComparison.Ordinal));
            var none = host.Run("Get-CftSslSession $f -WarningAction SilentlyContinue | Export-CftSslReport -Path ($d + '/n.html') -Detail None -PassThru", Vars("history/server1/*"));
            Assert.DoesNotContain("<article class=\"session", File.ReadAllText(((FileInfo)none.Output.Single().BaseObject).FullName));
            var failed = host.Run("Get-CftSslSession $f -WarningAction SilentlyContinue | Export-CftSslReport -Path ($d + '/f.html') -Detail Failed -PassThru", Vars("history/server1/*"));
            Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(((FileInfo)failed.Output.Single().BaseObject).FullName), "<article class=\"session ").Count);

            File.WriteAllText(Path.Combine(dir, "keep.html"), "keep");
            var clobber = host.Run("try { Get-CftSslSession $f | Export-CftSslReport -Path ($d + '/keep.html') -NoClobber } catch { $_.FullyQualifiedErrorId }", Vars("real/tls12-unknown-ca.client.log"));
            Assert.StartsWith("FileExists", clobber.Output.Single().ToString());
            Assert.Equal("keep", File.ReadAllText(Path.Combine(dir, "keep.html")));
            host.Run("Get-CftSslSession $f | Export-CftSslReport -Path ($d + '/w.html') -WhatIf", Vars("real/tls12-unknown-ca.client.log"));
            Assert.False(File.Exists(Path.Combine(dir, "w.html")));
            var missing = host.Run("try { Get-CftSslSession $f | Export-CftSslReport -Path ($d + '/no/such/r.html') } catch { $_.FullyQualifiedErrorId }", Vars("real/tls12-unknown-ca.client.log"));
            Assert.StartsWith("FolderNotFound", missing.Output.Single().ToString());
            Assert.Empty(Directory.GetFiles(dir, "*.tmp-*"));
        }

        [Fact]
        public void Report_RefusesCopiesOfSessions_SayingWhatToDo_AndKeepsTheOthers()
        {
            var r = host.Run("$s = Get-CftSslSession $f; $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($s)); " +
                "@($s, $copy) | Export-CftSslReport -Path ($d + '/c.html') -ErrorAction SilentlyContinue -ErrorVariable e; $e | ForEach-Object { $_.FullyQualifiedErrorId + '|' + $_.Exception.Message }",
                Vars("real/tls12-unknown-ca.client.log"));
            var line = r.Output.Single().ToString();
            Assert.StartsWith("SessionCopyNotSupported,", line);
            Assert.Contains("Run Export-CftSslReport where the logs are", line);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(dir, "c.html")), "<article class=\"session "));
        }
    }
}
