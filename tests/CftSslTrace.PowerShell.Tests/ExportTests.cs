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

        /// <summary>
        /// A real TLS 1.2 session (tls12-rsa-aes256-sha256, client view) whose server Certificate message is replaced by one
        /// holding an empty entry, sixteen bytes that are no certificate, then the real server certificate.
        /// </summary>
        private string LogWithOddCertificateEntries()
        {
            var lines = File.ReadAllLines(ModuleHost.Fixture("real/tls12-rsa-aes256-sha256.client.log"));
            string ctx = "200003";
            int certHeader = Array.FindIndex(lines, l => l.Contains("ndata()_") && Array.IndexOf(lines, l) > 20);
            int next = Array.FindIndex(lines, certHeader + 1, l => l.Contains("ndata()_"));
            var der = Convert.FromBase64String(string.Concat(File.ReadAllLines(ModuleHost.Fixture("real/certs/server-rsa.pem")).Where(l => !l.StartsWith("-----"))));
            var chain = new List<byte>();
            void Entry(byte[] e) { chain.Add((byte)(e.Length >> 16)); chain.Add((byte)(e.Length >> 8)); chain.Add((byte)e.Length); chain.AddRange(e); }
            Entry(new byte[0]);
            Entry(Enumerable.Range(0x41, 16).Select(i => (byte)i).ToArray());
            Entry(der);
            var body = new List<byte> { (byte)(chain.Count >> 16), (byte)(chain.Count >> 8), (byte)chain.Count };
            body.AddRange(chain);
            var msg = new List<byte> { 11, (byte)(body.Count >> 16), (byte)(body.Count >> 8), (byte)body.Count };
            msg.AddRange(body);
            var rec = new List<byte> { 0x16, 3, 3, (byte)(msg.Count >> 8), (byte)msg.Count };
            rec.AddRange(msg);
            var text = new List<string>(lines.Take(certHeader));
            text.Add("CFTY02Z>> CTX=" + ctx + " ndata()_ " + rec.Count + " HANDSHAKE DATA RECEIVED FROM NETWORK");
            var bytes = rec.ToArray();
            for (int off = 0; off < bytes.Length; off += 16)
                text.Add("CFTY02Z>> CTX=" + ctx + " " + string.Join(" ", Enumerable.Range(0, (Math.Min(16, bytes.Length - off) + 3) / 4).Select(g => Convert.ToHexString(bytes, off + g * 4, Math.Min(4, Math.Min(16, bytes.Length - off) - g * 4)))));
            text.AddRange(lines.Skip(next));
            string path = Path.Combine(dir, "odd-certificates.log");
            File.WriteAllLines(path, text);
            return path;
        }

        [Fact]
        public void Certificates_EmptyOrUndecodableEntriesAreWarnings_NamingSessionAndIndex()
        {
            string log = LogWithOddCertificateEntries();
            var r = host.Run("Get-CftSslSession -LiteralPath $f | Export-CftSslCertificate -Path ($d + '/odd') -PassThru | ForEach-Object Name",
                new Dictionary<string, object> { ["f"] = log, ["d"] = dir });
            Assert.Empty(r.Errors);
            Assert.Contains(r.Warnings, w => w.Contains("odd-certificates.log:") && w.Contains("certificate 0 of the chain is empty and is not written"));
            Assert.Contains(r.Warnings, w => w.Contains("certificate 1 of the chain is not a certificate") && w.Contains("not written"));
            var written = Assert.Single(r.Output);
            Assert.StartsWith("cft-server.example.test_", written.ToString());
            Assert.DoesNotContain(Directory.GetFiles(Path.Combine(dir, "odd")), f => new FileInfo(f).Length == 0 || f.Contains("DA39A3EE"));
        }

        [Fact]
        public void Certificates_AreNeverWrittenThroughALinkPlantedUnderTheirName()
        {
            // the name comes from the partner's certificate: a link standing there must not be followed
            string outside = Path.Combine(dir, "outside.txt");
            File.WriteAllText(outside, "precious");
            string target = Path.Combine(dir, "links");
            Directory.CreateDirectory(target);
            var first = host.Run("(Get-CftSslSession $f).ServerCertificates[0] | Export-CftSslCertificate -Path ($d + '/probe') -PassThru | ForEach-Object Name", Vars("real/tls12-rsa-aes256-sha256.client.log"));
            Assert.True(first.Output.Count == 1, string.Join("; ", first.Errors) + " | " + string.Join("; ", first.Warnings));
            string name = first.Output.Single().ToString();
            File.CreateSymbolicLink(Path.Combine(target, name), outside);
            string dangling = Path.Combine(dir, "dangling-" + Guid.NewGuid().ToString("N"));
            var r = host.Run("(Get-CftSslSession $f).ServerCertificates[0] | Export-CftSslCertificate -Path ($d + '/links')", Vars("real/tls12-rsa-aes256-sha256.client.log"));
            var e = Assert.Single(r.Errors);
            Assert.Equal("TargetIsLink,CftSslTrace.PowerShell.ExportCftSslCertificateCommand", e.FullyQualifiedErrorId);
            Assert.Contains(name, e.Exception.Message);
            Assert.Equal("precious", File.ReadAllText(outside));
            // a dangling link is refused too (writing would create its target wherever it points)
            File.Delete(Path.Combine(target, name));
            File.CreateSymbolicLink(Path.Combine(target, name), dangling);
            var r2 = host.Run("(Get-CftSslSession $f).ServerCertificates[0] | Export-CftSslCertificate -Path ($d + '/links')", Vars("real/tls12-rsa-aes256-sha256.client.log"));
            Assert.Single(r2.Errors);
            Assert.False(File.Exists(dangling));
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
