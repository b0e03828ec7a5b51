using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>
    /// Objects through the serializer remoting and jobs use (Invoke-Command -ComputerName, Start-Job/Receive-Job): what an
    /// administrator reaches for on the objects of a fleet survives, and the enumerations compare as they do locally.
    /// </summary>
    public class SerializationTests : IClassFixture<CmdletTests.HostFixture>
    {
        private readonly ModuleHost host;
        public SerializationTests(CmdletTests.HostFixture f) { host = f.Host; }

        private const string RoundTrip = "function RoundTrip($o) { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($o)) }; ";

        [Fact]
        public void Sessions_KeepFailureExplanationCertificatesAndFrameSummaries()
        {
            var r = host.Run(RoundTrip + "$d = RoundTrip (Get-CftSslSession $p); "
                + "$d.pstypenames[0]; $d.Failure.Name; $d.Failure.Code; $d.Explanation.Substring(0, 26); $d.Failure.Explanation.Substring(0, 26); "
                + "$d.ServerCertificate.Subject; ($d.ServerCertificate.NotAfter -is [datetime]); @($d.ServerCertificates).Count; $d.ServerCertificates[1].Subject; "
                + "@($d.Frames).Count; $d.Frames[0].Summary; ($d.Result -eq 'Failed'); ($d.Role -eq 'Client'); $d.CipherSuiteName",
                new Dictionary<string, object> { ["p"] = ModuleHost.Fixture("real/tls12-unknown-ca.client.log") });
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "Deserialized.CftSslTrace.Sessions.CftSslSession", "unknown_ca", "48", "The client rejected the se", "The client rejected the se",
                "CN=cft-server.example.test, OU=Transfers, O=Example Bank, L=Paris, C=FR", "True", "2", "CN=CftSslTrace Test Intermediate CA, O=CftSslTrace Test, C=FR",
                "6", "ClientHello TLS 1.2, 28 suites", "True", "True", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void Frames_KeepSummaryDirectionAndMessages_AndFilterLikeLocalOnes()
        {
            var r = host.Run(RoundTrip + "$d = @(Get-CftSslFrame $p) | ForEach-Object { RoundTrip $_ }; "
                + "$d.Count; @($d | Where-Object Direction -eq 'Sent').Count; @($d | Where-Object ContentType -eq 'Alert')[0].Summary; $d[0].HandshakeMessages[0].ToString(); ($d[0].Sender -eq 'Client')",
                new Dictionary<string, object> { ["p"] = ModuleHost.Fixture("real/tls12-unknown-ca.client.log") });
            Assert.Empty(r.Errors);
            Assert.Equal(new[] { "6", "2", "Alert fatal unknown_ca (48)", "ClientHello", "True" }, r.Output.Select(o => o.ToString()));
        }
    }
}
