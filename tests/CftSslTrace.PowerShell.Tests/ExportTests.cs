using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>Export-CftSslPcap and Export-CftSslCertificate in the hosted engine.</summary>
    public class ExportTests : IClassFixture<CmdletTests.HostFixture>, IDisposable
    {
        private readonly ModuleHost host;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-export-" + Guid.NewGuid().ToString("N"));

        public ExportTests(CmdletTests.HostFixture f) { host = f.Host; Directory.CreateDirectory(dir); }
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        private Dictionary<string, object> Vars(string fixture) => new Dictionary<string, object> { ["f"] = ModuleHost.Fixture(fixture), ["d"] = dir };

        [Fact]
        public void Pcap_OneTcpConnectionPerSession_PcapngByDefault_PcapOnRequest()
        {
            var r = host.Run("Get-CftSslSession $f | Export-CftSslPcap -Path ($d + '/busy.pcapng') -PassThru -Verbose", Vars("real/busy.log"));
            Assert.Empty(r.Errors);
            var file = (FileInfo)r.Output.Single().BaseObject;
            var bytes = File.ReadAllBytes(file.FullName);
            Assert.Equal(new byte[] { 0x0A, 0x0D, 0x0D, 0x0A }, bytes.Take(4));             // pcapng section header
            Assert.Contains(r.Verbose, v => v.Contains("busy.pcapng: 5 sessions, "));
            var pcap = host.Run("Get-CftSslSession $f | Export-CftSslPcap -LiteralPath ($d + '/doc.pcap') -PassThru", Vars("doc/doc-simple-auth-client.log"));
            var pbytes = File.ReadAllBytes(((FileInfo)pcap.Output.Single().BaseObject).FullName);
            Assert.Equal(new byte[] { 0x4D, 0x3C, 0xB2, 0xA1 }, pbytes.Take(4));            // nanosecond pcap, little-endian
        }

        [Fact]
        public void Pcap_NoClobber_AndWhatIf()
        {
            string target = Path.Combine(dir, "x.pcapng");
            File.WriteAllText(target, "keep");
            var r = host.Run("try { Get-CftSslSession $f | Export-CftSslPcap -Path ($d + '/x.pcapng') -NoClobber } catch { $_.FullyQualifiedErrorId }", Vars("doc/doc-simple-auth-client.log"));
            Assert.StartsWith("FileExists", r.Output.Single().ToString());
            Assert.Equal("keep", File.ReadAllText(target));
            host.Run("Get-CftSslSession $f | Export-CftSslPcap -Path ($d + '/y.pcapng') -WhatIf", Vars("doc/doc-simple-auth-client.log"));
            Assert.False(File.Exists(Path.Combine(dir, "y.pcapng")));
        }

        [Fact]
        public void Certificates_DerAndPem_OncePerCertificate_NamedSafely()
        {
            var r = host.Run("Get-CftSslSession $f | Export-CftSslCertificate -Path $d -PassThru | ForEach-Object Name", Vars("real/tls12-ecdhe-rsa-mutual.*.log"));
            Assert.Empty(r.Errors);
            var names = r.Output.Select(o => o.ToString()).OrderBy(n => n).ToList();
            // server chain (server, intermediate) and client chain (client, root), seen in three views: written once each
            Assert.Equal(4, names.Count);
            Assert.Contains(names, n => n.StartsWith("cft-server.example.test_") && n.EndsWith(".cer"));
            Assert.Contains(names, n => n.StartsWith("PARTNER01_"));
            var expected = X509Certificate2.CreateFromPem(File.ReadAllText(ModuleHost.Fixture("real/certs/server-rsa.pem")));
            var written = X509CertificateLoader.LoadCertificate(File.ReadAllBytes(Path.Combine(dir, names.First(n => n.StartsWith("cft-server")))));
            Assert.Equal(expected.Thumbprint, written.Thumbprint);
            Assert.StartsWith("cft-server.example.test_" + expected.Thumbprint.Substring(0, 8), names.First(n => n.StartsWith("cft-server")));

            var pem = host.Run("(Get-CftSslSession $f).ServerCertificates | Export-CftSslCertificate -Path ($d + '/pem') -Format Pem -PassThru | ForEach-Object FullName", Vars("real/tls12-ecdhe-ecdsa.client.log"));
            var pemFile = pem.Output.First().ToString();
            Assert.EndsWith(".pem", pemFile);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", File.ReadAllText(pemFile));
            Assert.Equal("CN=cft-ec.example.test, O=Example Bank, C=FR", X509Certificate2.CreateFromPem(File.ReadAllText(pemFile)).Subject);
        }

        [Fact]
        public void Certificates_TruncatedOnesAreWarnings_WhatIfWritesNothing()
        {
            var r = host.Run("Get-CftSslSession $f | Export-CftSslCertificate -Path ($d + '/t')", Vars("doc/doc-simple-auth-client.log"));
            Assert.Contains(r.Warnings, w => w.Contains("truncated") && w.Contains("not written"));
            Assert.False(Directory.Exists(Path.Combine(dir, "t")) && Directory.GetFiles(Path.Combine(dir, "t")).Length > 0);
            host.Run("Get-CftSslSession $f | Export-CftSslCertificate -Path ($d + '/w') -WhatIf", Vars("real/tls12-ecdhe-rsa-mutual.client.log"));
            Assert.False(Directory.Exists(Path.Combine(dir, "w")));
        }
    }
}
