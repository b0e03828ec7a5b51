using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>The publishable folder out/CftSslTrace/&lt;version&gt;, copied outside the repository and imported by name.</summary>
    public class PackageTests : IDisposable
    {
        private readonly string copy;

        public PackageTests()
        {
            string package = Path.Combine(ModuleHost.RepoRoot, "out", "CftSslTrace");
            Assert.True(Directory.Exists(package), "the build makes " + package);
            copy = Path.Combine(Path.GetTempPath(), "cftssltrace-pkg-" + Guid.NewGuid().ToString("N"));
            CopyTree(package, Path.Combine(copy, "CftSslTrace"));
        }

        public void Dispose()
        {
            try { Directory.Delete(copy, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }

        private static void CopyTree(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
            foreach (var d in Directory.GetDirectories(from)) CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
        }

        [Fact]
        public void PackagedModule_PassesTestModuleManifest_ImportsByName_AndWorks()
        {
            string manifest = Directory.GetFiles(copy, "CftSslTrace.psd1", SearchOption.AllDirectories).Single();
            Assert.Matches(@"CftSslTrace[\\/]\d+\.\d+\.\d+[\\/]CftSslTrace\.psd1$", manifest);
            foreach (var f in new[] { "module/bin/CftSslTrace.PowerShell.dll", "module/bin/CftSslTrace.Core.dll", "module/CftSslTrace.Format.ps1xml", "module/CftSslTrace.Types.ps1xml",
                                      "module/CftSslTrace.psm1", "module/CftSslTrace.Bound.psd1", "module/CftSslTrace.Bound.Types.ps1xml", "module/bin/linux-x64/CftSslTrace.Core.dll",
                                      "module/bin/linux-x64/CftSslTrace.PowerShell.dll", "module/bin/linux-x64/en-US/CftSslTrace.PowerShell.dll-Help.xml",
                                      "module/bin/en-US/CftSslTrace.PowerShell.dll-Help.xml", "en-US/about_CftSslTrace.help.txt", "module/LICENSE.txt", "module/ReleaseNotes.md",
                                      "module/Examples/Invoke-CftSslNightlyReport.ps1", "module/Examples/Invoke-CftSslFleetReport.ps1" })
                Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(manifest), f)), f);

            using var host = new ModuleHost(manifest);
            var v = new Dictionary<string, object> { ["m"] = manifest, ["root"] = copy, ["f"] = ModuleHost.Fixture("real/tls12-unknown-ca.client.log") };
            var t = host.Run("Test-ModuleManifest $m | ForEach-Object { $_.Name + ' ' + $_.Version + ' ' + ($_.ExportedCmdlets.Keys.Count) + ' ' + $_.Description.Length + ' ' + ($_.Tags -join ',') }", v);
            Assert.Empty(t.Errors);
            Assert.Matches(@"^CftSslTrace 0\.4\.0 13 \d{3,} .*TransferCFT", t.Output.Single().ToString());
            var loaded = host.Run("(Get-Module CftSslTrace).ModuleBase", v).Output.Single().ToString();
            Assert.StartsWith(copy, loaded);
            var s = host.Run("Get-CftSslSession $f | ForEach-Object { $_.Failure.Name }", v);
            Assert.Equal("unknown_ca", s.Output.Single().ToString());
            var help = host.Run("(Get-Help Get-CftSslFrame).Synopsis", v).Output.Single().ToString();
            Assert.StartsWith("Returns one object per TLS record", help);
        }

        [Fact]
        public void PackagedModule_FromPSModulePath_ImportsByName_AndShowsTheAboutTopic()
        {
            using var host = new ModuleHost(Path.Combine(ModuleHost.RepoRoot, "CftSslTrace.psd1"));
            var v = new Dictionary<string, object> { ["root"] = copy };
            var r = host.Run("Remove-Module CftSslTrace; $env:PSModulePath = $root + [System.IO.Path]::PathSeparator + $env:PSModulePath; Import-Module CftSslTrace -PassThru | ForEach-Object ModuleBase", v);
            Assert.Empty(r.Errors);
            Assert.StartsWith(copy, r.Output.Single().ToString());
            var about = host.Run("Get-Help about_CftSslTrace | ForEach-Object { $_ }", v);
            string text = string.Join("\n", about.Output.Select(o => o.ToString()));
            Assert.Contains("TRACE=255", text);
            Assert.Contains("WALKTHROUGH: A FAILED MUTUAL AUTHENTICATION", text);
            Assert.Contains("WALKTHROUGH: IT WORKED YESTERDAY", text);
        }
    }
}
