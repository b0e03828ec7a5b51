using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>The cmdlets in real pipelines of the hosted engine, the module imported through its manifest.</summary>
    public class CmdletTests : IClassFixture<CmdletTests.HostFixture>
    {
        public sealed class HostFixture : IDisposable
        {
            public ModuleHost Host { get; } = new ModuleHost();
            public void Dispose() => Host.Dispose();
        }

        private readonly ModuleHost host;
        public CmdletTests(HostFixture f) { host = f.Host; }

        private static Dictionary<string, object> Vars(params (string, object)[] v) => v.ToDictionary(x => x.Item1, x => x.Item2);

        [Fact]
        public void Manifest_ExportsExactlyTheCmdlets()
        {
            var r = host.Run("(Get-Module CftSslTrace).ExportedCmdlets.Keys | ForEach-Object { $_ }");
            Assert.Equal(new[] { "Compare-CftSslSession", "ConvertFrom-CftHexDump", "Export-CftSslCertificate", "Export-CftSslPcap", "Export-CftSslReport", "Get-CftCipherSuite", "Get-CftSslAlert", "Get-CftSslCertificate", "Get-CftSslFrame", "Get-CftSslPartner", "Get-CftSslSecurityRating", "Get-CftSslSession", "Show-CftSslSession" }, r.Output.Select(o => o.ToString()).OrderBy(x => x, System.StringComparer.Ordinal));
            var m = host.Run("Test-ModuleManifest -Path $p | ForEach-Object { $_.Version.ToString() + '|' + ($_.CompatiblePSEditions -join ',') + '|' + $_.PowerShellVersion }",
                Vars(("p", Path.Combine(ModuleHost.RepoRoot, "CftSslTrace.psd1"))));
            Assert.Empty(m.Errors);
            Assert.Equal("0.4.0|Desktop,Core|5.1", m.Output.Single().ToString());
        }

        [Fact]
        public void Path_PositionalWithWildcards_ReadsEveryMatchingFile()
        {
            var r = host.Run("Get-CftSslSession $p | Where-Object Result -eq 'Failed' | ForEach-Object { $_.Partner + ':' + $_.Failure.Name }",
                Vars(("p", ModuleHost.Fixture("real/tls12-*.client.log"))));
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "PARTNER08:unknown_ca", "PARTNER09:handshake_failure", "PARTNER10:handshake_failure", "PARTNER15:certificate_expired", "PARTNER20:unknown_ca" }, r.Output.Select(o => o.ToString()).OrderBy(x => x));
        }

        [Fact]
        public void GetChildItemObjects_AreReadAsFiles_ThroughPSPath()
        {
            // What Get-ChildItem emits: objects carrying a provider-qualified PSPath.
            var r = host.Run(@"
                $files | ForEach-Object { [pscustomobject]@{ PSPath = 'Microsoft.PowerShell.Core\FileSystem::' + $_ } } |
                    Get-CftSslSession | ForEach-Object { $_.Ctx + '/' + $_.Role }",
                Vars(("files", new[] { ModuleHost.Fixture("doc/doc-simple-auth-client.log"), ModuleHost.Fixture("doc/doc-simple-auth-server.log") })));
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "200005/Client", "210006/Server" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void FileInfoObjects_AreReadAsFiles_ThroughFullName()
        {
            var r = host.Run("[System.IO.FileInfo]$f | Get-CftSslSession | ForEach-Object Ctx", Vars(("f", ModuleHost.Fixture("doc/doc-simple-auth-server.log"))));
            Assert.Empty(r.Errors);
            Assert.Equal("210006", r.Output.Single().ToString());
        }

        [Fact]
        public void TextFromThePipeline_IsReadLikeAFile()
        {
            var lines = File.ReadAllLines(ModuleHost.Fixture("real/busy.log"), System.Text.Encoding.Latin1);
            var r = host.Run("$lines | Get-CftSslSession | ForEach-Object { $_.Ctx + ' ' + $_.Result + ' ' + $_.OpeningMissing }", Vars(("lines", lines)));
            Assert.Empty(r.Errors);
            Assert.Equal(5, r.Output.Count);
            Assert.Contains("20a004 Failed True", r.Output.Select(o => o.ToString()));
            Assert.Equal(2, r.Output.Count(o => o.ToString().StartsWith("20a001 ")));
        }

        [Fact]
        public void LinesThatCarryTheirFilesPath_AreReadAsLines_NotTheFile()
        {
            // Get-Content's strings carry their file's PSPath: the lines a pipeline kept (one session's) are what is read,
            // not the whole file they came from (once per line, with a warning each)
            string log = ModuleHost.Fixture("real/busy.log");
            var lines = File.ReadAllLines(log, System.Text.Encoding.Latin1).Where(l => l.Contains("CTX=20a002 ")).ToArray();
            var r = host.Run(@"
                $lines | ForEach-Object {
                    $o = [psobject]::AsPSObject([string]$_)
                    $o.PSObject.Properties.Add([psnoteproperty]::new('PSPath', 'Microsoft.PowerShell.Core\FileSystem::' + $log))
                    $o
                } | Get-CftSslSession | ForEach-Object { $_.Ctx + ' ' + $_.Result }", Vars(("lines", lines), ("log", log)));
            Assert.Empty(r.Errors);
            Assert.Empty(r.Warnings);
            Assert.Equal(new[] { "20a002 Failed" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void RawTextWithNewlines_IsSplitIntoLines()
        {
            var text = File.ReadAllText(ModuleHost.Fixture("doc/doc-simple-auth-client.log"));
            var r = host.Run("Get-CftSslSession -InputObject $t", Vars(("t", text)));
            var s = Assert.Single(r.As<CftSslSession>());
            Assert.Equal(47, s.CipherSuiteId);
        }

        [Fact]
        public void Filters_CtxPartnerRoleResult()
        {
            var v = Vars(("p", ModuleHost.Fixture("real/*.log")));
            var partners = host.Run("Get-CftSslSession $p -Partner 'partner0[12]' -Role Client | ForEach-Object Partner", v).Output.Select(o => o.ToString()).Distinct().OrderBy(x => x);
            Assert.Equal(new[] { "PARTNER01", "PARTNER02" }, partners);
            var servers = host.Run("Get-CftSslSession $p -Protocol PESIT* -Result Failed | ForEach-Object Ctx", v).Output.Select(o => o.ToString());
            Assert.Equal(new[] { "21000c", "21000d", "21000e", "21000f", "210010", "210011", "210013", "210014" }, servers.OrderBy(x => x)); // 210011: established, then certificate_required; 210013: a client without SSL; 210014: the hostile subject
            var byCtx = host.Run("Get-CftSslSession $p -Ctx '2100*' -Role Client", v);
            Assert.Empty(byCtx.Output);
            var one = host.Run("Get-CftSslSession $p -Ctx 200006", v).As<CftSslSession>();
            Assert.Equal(3, one.Count); // the record view, the network-chunk view and the plaintext-count view of the same session
            Assert.All(one, s => Assert.Equal("TLS 1.3", s.Version));
        }

        [Fact]
        public void Filters_AfterAndBefore_OnTheStartTime()
        {
            // the doc samples start at 2011-04-21 11:23:41; the real fixtures were recorded in 2026
            var v = Vars(("p", new[] { ModuleHost.Fixture("doc/doc-simple-auth-client.log"), ModuleHost.Fixture("real/tls10-rsa-aes128.client.log") }));
            var after = host.Run("Get-CftSslSession -Path $p -After ([datetime]'2020-01-01') | ForEach-Object Ctx", v).Output.Select(o => o.ToString());
            Assert.Equal(new[] { "200001" }, after);
            var before = host.Run("Get-CftSslSession -Path $p -Before ([datetime]'2011-04-21 11:23:42') | ForEach-Object Ctx", v).Output.Select(o => o.ToString());
            Assert.Equal(new[] { "200005" }, before);
            var none = host.Run("Get-CftSslSession -Path $p -After ([datetime]'2011-04-21 11:23:42') -Before ([datetime]'2020-01-01')", v).Output;
            Assert.Empty(none);
        }

        [Fact]
        public void MissingFile_IsANonTerminatingItemNotFoundError_AndOtherFilesAreRead()
        {
            var r = host.Run("Get-CftSslSession -Path $a, $b, $c | ForEach-Object Ctx",
                Vars(("a", ModuleHost.Fixture("doc/doc-simple-auth-client.log")), ("b", ModuleHost.Fixture("doc/nope.log")), ("c", ModuleHost.Fixture("doc/doc-simple-auth-server.log"))));
            Assert.Equal(new[] { "200005", "210006" }, r.Output.Select(o => o.ToString()));
            var e = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.ObjectNotFound, e.CategoryInfo.Category);
            Assert.IsType<ItemNotFoundException>(e.Exception);
            Assert.Equal("PathNotFound,CftSslTrace.PowerShell.GetCftSslSessionCommand", e.FullyQualifiedErrorId);

            var lit = host.Run("Get-CftSslSession -LiteralPath $b", Vars(("b", ModuleHost.Fixture("doc/nope[1].log"))));
            Assert.Equal(ErrorCategory.ObjectNotFound, Assert.Single(lit.Errors).CategoryInfo.Category);

            var stop = host.Run("try { Get-CftSslSession -Path $b -ErrorAction Stop; 'not stopped' } catch { 'stopped: ' + $_.FullyQualifiedErrorId }", Vars(("b", ModuleHost.Fixture("doc/nope.log"))));
            Assert.StartsWith("stopped: PathNotFound", stop.Output.Single().ToString());
        }

        [Fact]
        public void MalformedTraceLines_AreWarningsNamingFileAndLine_AndTheRestIsDecoded()
        {
            string text = string.Join("\n", File.ReadAllLines(ModuleHost.Fixture("doc/doc-simple-auth-client.log")).Take(6))
                + "\n00 11/04/21 11:23:41 CFTY02Z>> CTX=200005 16030100 2A0G0000 >..<\n00 11/04/21 11:23:41 CFTY02Z>> 16030100\n";
            var r = host.Run("$t | Get-CftSslSession", Vars(("t", text)));
            Assert.Equal(2, r.Warnings.Count);
            Assert.StartsWith("<pipeline>:7: damaged dump line", r.Warnings[0]);
            Assert.StartsWith("<pipeline>:8: CFTY02Z line without CTX=", r.Warnings[1]);
            var s = Assert.Single(r.As<CftSslSession>());
            Assert.Equal("ClientHello", s.Frames[0].Messages);
        }

        [Fact]
        public void Strict_TurnsMalformedLinesIntoErrors_AndErrorActionStopStops()
        {
            string text = string.Join("\n", File.ReadAllLines(ModuleHost.Fixture("doc/doc-simple-auth-client.log")).Take(6))
                + "\n00 11/04/21 11:23:41 CFTY02Z>> CTX=200005 16030100 2A0G0000 >..<\n";
            var r = host.Run("$t | Get-CftSslSession -Strict", Vars(("t", text)));
            Assert.Empty(r.Warnings);
            var e = Assert.Single(r.Errors);
            Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category);
            Assert.Equal("<pipeline>:7", e.TargetObject);
            Assert.Single(r.Output);
            var stop = host.Run("try { $t | Get-CftSslSession -Strict -ErrorAction Stop | Out-Null; 'not stopped' } catch { 'stopped: ' + $_.FullyQualifiedErrorId }", Vars(("t", text)));
            Assert.StartsWith("stopped: MalformedTraceLine", stop.Output.Single().ToString());
        }

        [Fact]
        public void Verbose_ReportsLinesSessionsAndTime()
        {
            var r = host.Run("Get-CftSslSession $p -Verbose | Out-Null", Vars(("p", ModuleHost.Fixture("real/busy.log"))));
            var v = Assert.Single(r.Verbose);
            Assert.Contains("busy.log", v);
            Assert.Contains("5 sessions", v);
            Assert.Contains("unrecognized", v);
            Assert.Matches(@"in \d+\.\d{3} s$", v);
        }

        [Fact]
        public void LargeFiles_ReportProgressByBytesRead()
        {
            string big = Path.Combine(Path.GetTempPath(), "cftssltrace-progress-" + Guid.NewGuid().ToString("N") + ".log");
            try
            {
                var busy = File.ReadAllBytes(ModuleHost.Fixture("real/busy.log"));
                using (var f = File.Create(big)) while (f.Length < (9 << 20)) f.Write(busy, 0, busy.Length);
                using var ps = host.NewShell();
                ps.AddCommand("Get-CftSslSession").AddParameter("LiteralPath", big);
                var sessions = ps.Invoke();
                Assert.True(sessions.Count > 200);
                var progress = ps.Streams.Progress.ToList();
                Assert.NotEmpty(progress);
                Assert.Equal("Reading CFT trace", progress[0].Activity);
                Assert.Contains(progress, p => p.RecordType == ProgressRecordType.Processing && p.PercentComplete >= 0 && p.StatusDescription.Contains(" of 9 MB"));
                Assert.Equal(ProgressRecordType.Completed, progress.Last().RecordType);
            }
            finally { File.Delete(big); }
        }

        [Fact]
        public void Frames_CarryTheirSession_AndFilterByContentTypeAndDirection()
        {
            var v = Vars(("p", ModuleHost.Fixture("real/tls12-ecdhe-rsa-mutual.client.log")));
            var frames = host.Run("Get-CftSslFrame $p", v).As<TlsFrame>();
            Assert.Equal(18, frames.Count);
            Assert.All(frames, f => Assert.Equal("tls12-ecdhe-rsa-mutual.client.log:1:200002", f.SessionId));
            var hs = host.Run("Get-CftSslFrame $p -ContentType handshake -Direction Sent | ForEach-Object Messages", v).Output.Select(o => o.ToString());
            Assert.Equal(new[] { "ClientHello", "Certificate", "ClientKeyExchange", "CertificateVerify", "Encrypted" }, hs);
        }

        [Fact]
        public void FrameProperties_RenderAsTextTheWayExportCsvWritesThem()
        {
            var frames = host.Run("Get-CftSslFrame $p", Vars(("p", ModuleHost.Fixture("real/*.client.log")))).Output;
            Assert.True(frames.Count > 100);
            var names = frames[0].Properties.Select(p => p.Name).ToList();
            foreach (var expected in new[] { "SessionId", "File", "Line", "Time", "Ctx", "Role", "Direction", "Sender", "Index", "ContentType", "Version", "Length", "Messages", "Summary", "Truncated" })
                Assert.Contains(expected, names);
            foreach (var f in frames)
            {
                foreach (var p in f.Properties)
                {
                    // Export-Csv writes each property's value with ToString(); a type name would be noise.
                    string text = p.Value?.ToString() ?? "";
                    Assert.DoesNotMatch(@"^(System|CftSslTrace)\.[\w.`\[\]]+$", text);
                }
            }
            var ch = frames.First(f => f.Properties["Messages"].Value.ToString() == "ClientHello");
            Assert.Equal("ClientHello", ch.Properties["HandshakeMessages"].Value.ToString());
        }

        [Fact]
        public void SessionProperties_RenderAsText()
        {
            var sessions = host.Run("Get-CftSslSession $p", Vars(("p", ModuleHost.Fixture("real/*.server.log")))).Output;
            foreach (var s in sessions)
            {
                foreach (var p in s.Properties)
                    Assert.DoesNotMatch(@"^(System|CftSslTrace)\.[\w.`\[\]]+$", p.Value?.ToString() ?? "");
                // long lists of rich objects read as their size in a CSV cell
                Assert.Matches(@"^\d+ frames$", s.Properties["Frames"].Value.ToString());
                Assert.Matches(@"^\d+ CFT events$", s.Properties["Events"].Value.ToString());
            }
        }

        [Fact]
        public void HexDump_FromBareLinesPastedFromAnEmail()
        {
            string pasted = "16030100 2A020000 2603014D AECAB899 >...........M....<\n391A07A0 9B9E37A8 22A2704C CCD0179E >9.....7.\"pL....<\n69124259 8D79970A AC49B900 002F00 >i.BY.y...I.../.<\n\n14030100 0101\n";
            var r = host.Run("$t -split \"`n\" | ConvertFrom-CftHexDump", Vars(("t", pasted)));
            var blocks = r.As<DumpBlock>();
            Assert.Equal(2, blocks.Count);
            Assert.Equal(47, blocks[0].Length);
            Assert.Equal("16030100", blocks[0].Hex.Substring(0, 8));
            Assert.Null(blocks[0].Ctx);
            Assert.Equal("140301000101", blocks[1].Hex);
        }

        [Fact]
        public void HexDump_FromATrace_KeepsCtxDirectionCountAndTruncation()
        {
            var r = host.Run("ConvertFrom-CftHexDump -InputObject $lines", Vars(("lines", File.ReadAllLines(ModuleHost.Fixture("doc/doc-simple-auth-client.log")))));
            var blocks = r.As<DumpBlock>();
            Assert.Equal(11, blocks.Count);
            Assert.All(blocks, b => Assert.Equal("200005", b.Ctx));
            var cert = blocks.Single(b => b.AnnouncedCount == 1458);
            Assert.True(cert.Truncated);
            Assert.Equal(48, cert.Length);
            Assert.Equal(Reading.TraceDirection.Received, cert.Direction);
            Assert.Equal("ndata", cert.Function);
            Assert.Equal(new DateTime(2011, 4, 21, 11, 23, 41), cert.Time);
            Assert.Equal(11, cert.Line);
        }

        [Fact]
        public void PesterFiles_Parse()
        {
            var files = Directory.GetFiles(Path.Combine(ModuleHost.RepoRoot, "tests"), "*.Tests.ps1");
            Assert.NotEmpty(files);
            foreach (var f in files)
            {
                System.Management.Automation.Language.Parser.ParseFile(f, out _, out var errors);
                Assert.True(errors.Length == 0, f + ": " + string.Join("; ", errors.Select(e => e.Extent.StartLineNumber + ": " + e.Message)));
            }
            var build = Path.Combine(ModuleHost.RepoRoot, "build.ps1");
            System.Management.Automation.Language.Parser.ParseFile(build, out _, out var be);
            Assert.Empty(be);
        }
    }
}
