using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CftSslTrace.Registry;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>Get-CftCipherSuite and Get-CftSslAlert, and argument completion.</summary>
    public class LookupTests : IClassFixture<CmdletTests.HostFixture>
    {
        private readonly ModuleHost host;
        public LookupTests(CmdletTests.HostFixture f) { host = f.Host; }

        [Fact]
        public void CipherSuite_ByDecimalIdAsInCiphlist()
        {
            var s = host.Run("Get-CftCipherSuite 47").As<CipherSuiteInfo>().Single();
            Assert.Equal("0x002F", s.Hex);
            Assert.Equal("TLS_RSA_WITH_AES_128_CBC_SHA", s.Name);
            Assert.Equal("AES128-SHA", s.OpenSslName);
            Assert.Equal("RSA", s.KeyExchange);
            Assert.Equal("RSA", s.Authentication);
            Assert.Equal("AES_128_CBC", s.Encryption);
            Assert.Equal("SHA1", s.Mac);
            Assert.Equal("Weak", s.Strength);
        }

        [Fact]
        public void CipherSuite_ByHexAndFromThePipeline()
        {
            var r = host.Run("0xC02F, 0x1301 | Get-CftCipherSuite | ForEach-Object { $_.OpenSslName + ' ' + $_.Strength + ' ' + $_.MinimumVersion }");
            Assert.Equal(new[] { "ECDHE-RSA-AES128-GCM-SHA256 Recommended TLS 1.2", "TLS_AES_128_GCM_SHA256 Recommended TLS 1.3" }, r.Output.Select(o => o.ToString()));
        }

        [Fact]
        public void CipherSuite_ByNameWithWildcards_IanaOrOpenSsl_AndStrength()
        {
            var gcm = host.Run("Get-CftCipherSuite -Name *GCM*").As<CipherSuiteInfo>();
            Assert.True(gcm.Count > 30);
            Assert.All(gcm, s => Assert.Contains("GCM", s.Name));
            var ossl = host.Run("Get-CftCipherSuite -Name ECDHE-RSA-AES256-GCM-SHA384").As<CipherSuiteInfo>().Single();
            Assert.Equal(49200, ossl.Id);
            var insecure = host.Run("Get-CftCipherSuite -Name *RC4* -Strength Insecure").As<CipherSuiteInfo>();
            Assert.NotEmpty(insecure);
            Assert.All(insecure, s => Assert.Equal("Insecure", s.Strength));
            var cft = host.Run("Get-CftCipherSuite 49199, 49200, 49191, 49192, 156, 157, 60, 61, 47, 53, 10, 5, 4, 59, 2, 1 | ForEach-Object { \"$($_.Id)=$($_.Strength)\" }").Output.Select(o => o.ToString()).ToList();
            Assert.Equal(new[] { "49199=Recommended", "49200=Recommended", "49191=Secure", "49192=Secure", "156=Weak", "157=Weak", "60=Weak", "61=Weak", "47=Weak", "53=Weak", "10=Weak", "5=Insecure", "4=Insecure", "59=Insecure", "2=Insecure", "1=Insecure" }, cft);
        }

        [Fact]
        public void CipherSuite_UnknownNameOrRange_IsAnError()
        {
            var r = host.Run("Get-CftCipherSuite -Name NO_SUCH_SUITE; Get-CftCipherSuite 70000");
            Assert.Equal(new[] { "CipherSuiteNotFound", "CipherSuiteOutOfRange" }, r.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        }

        [Fact]
        public void Alert_ByCrValue_WithTheCftHint()
        {
            var a = host.Run("Get-CftSslAlert 48").As<AlertDefinition>().Single();
            Assert.Equal("unknown_ca", a.Name);
            Assert.Contains("ROOTCID", a.CftHint);
            var byName = host.Run("Get-CftSslAlert -Name *certificate* | ForEach-Object Code").Output.Select(o => (int)o.BaseObject).ToList();
            Assert.Contains(42, byName);
            Assert.Contains(116, byName);
            var all = host.Run("Get-CftSslAlert -Name *").Output;
            Assert.True(all.Count >= 30);
            var one = host.Run("Get-CftSslAlert 1");
            Assert.Contains("TLSPARSE", Assert.Single(one.Errors).Exception.Message);
        }

        [Theory]
        [InlineData("Get-CftCipherSuite -Name ECDHE-RSA-AES128-G", "ECDHE-RSA-AES128-GCM-SHA256")]
        [InlineData("Get-CftCipherSuite -Name TLS_AES_", "TLS_AES_128_GCM_SHA256")]
        [InlineData("Get-CftSslAlert -Name unknown_", "unknown_ca")]
        [InlineData("Get-CftSslFrame -ContentType Ch", "ChangeCipherSpec")]
        [InlineData("Get-CftSslSession -Result Fa", "Failed")]
        [InlineData("Get-CftSslSession -Role Se", "Server")]
        public void ArgumentCompletion(string input, string expected)
        {
            var r = host.Run("(TabExpansion2 -inputScript $s -cursorColumn $s.Length).CompletionMatches | ForEach-Object CompletionText",
                new Dictionary<string, object> { ["s"] = input });
            Assert.Contains(expected, r.Output.Select(o => o.ToString()));
        }
    }
}
