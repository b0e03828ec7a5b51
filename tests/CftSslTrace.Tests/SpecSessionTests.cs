using System;
using System.IO;
using System.Linq;
using CftSslTrace.Analysis;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>Sessions written from their specifications (tests/fixtures/spec): SSL 2.0, a TLS 1.3 draft, a HelloRetryRequest without its ServerHello.</summary>
    public class SpecSessionTests
    {
        [Fact]
        public void Ssl2Session_IsDecoded_NegotiatedKindAndCertificate_AndACriticalFinding()
        {
            var s = Fixtures.Sessions("spec/sslv2-session.client.log").Single();
            Assert.Equal("SSL 2.0", s.Version);
            Assert.Equal("SSL2_RC4_128_WITH_MD5", s.CipherSuite.Name);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal("CN=cft-server.example.test, OU=Transfers, O=Example Bank, L=Paris, C=FR", s.ServerCertificate.Subject);
            Assert.Equal(new[] { "SSL2_RC4_128_WITH_MD5", "SSL2_DES_192_EDE3_CBC_WITH_MD5", "SSL2_RC4_128_EXPORT40_WITH_MD5" }, s.OfferedCipherSuites.Select(c => c.Name));
            Assert.Equal(new[] { "ClientHello", "ServerHello", "Certificate", "ClientMasterKey" }, s.HandshakeMessages.Select(m => m.Type));
            var sh = Assert.IsType<ServerHelloMessage>(s.HandshakeMessages[1]);
            Assert.True(sh.IsSslV2Format);
            Assert.Equal(new[] { "SSL2_RC4_128_WITH_MD5", "SSL2_DES_192_EDE3_CBC_WITH_MD5" }, sh.SslV2CipherKinds.Select(c => c.Name));
            var cmk = Assert.IsType<SslV2ClientMasterKeyMessage>(s.HandshakeMessages[3]);
            Assert.Equal(256, cmk.EncryptedKeyLength);
            Assert.Equal(5, s.Frames.Count(f => f.Encrypted));
            Assert.DoesNotContain(s.Frames, f => f.ContentType == "Unrecognized");
            Assert.Equal(FindingSeverity.Critical, s.Severity);
            Assert.Contains(s.Findings, f => f.Code == "VERSION_NEGOTIATED" && f.Source == "RFC 6176");
        }

        [Fact]
        public void Ssl2ErrorMessage_IsTheFailure()
        {
            // a server that shares no cipher kind answers the client-hello with ERROR (0) NO-CIPHER-ERROR (0x0001)
            var hello = Convert.FromHexString("801C01000200030000001001008001020304050607080910111213141516");
            string text = "CFTY19I PART=P SSL=S opening client session CTX=2000c9 on task PID=1\n"
                + "CFTY02Z>> CTX=2000c9 SSLact()_ " + hello.Length + " HANDSHAKE DATA SENDING\n"
                + string.Concat(Enumerable.Range(0, (hello.Length + 15) / 16).Select(i => "CFTY02Z>> CTX=2000c9 " + Convert.ToHexString(hello, i * 16, Math.Min(16, hello.Length - i * 16)) + "\n"))
                + "CFTY02Z>> CTX=2000c9 ndata()_ 5 HANDSHAKE DATA RECEIVED FROM NETWORK\n"
                + "CFTY02Z>> CTX=2000c9 80030000 01\n";
            var s = Fixtures.SessionsFromText(text).Single();
            Assert.Equal(SessionResult.Failed, s.Result);
            Assert.Equal("ssl2_no_cipher_error", s.Failure.Name);
            Assert.Equal(TlsPeer.Server, s.Failure.RaisedBy);
        }

        [Fact]
        public void Tls13Draft18ServerHello_IsReadInTheDraftLayout()
        {
            var s = Fixtures.Sessions("spec/tls13-draft18.client.log").Single();
            Assert.Equal("TLS 1.3 draft 18", s.Version);
            Assert.Equal("TLS_AES_256_GCM_SHA384", s.CipherSuite.Name);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal(new[] { "TLS 1.3 draft 18", "TLS 1.2" }, s.OfferedVersions);
            var sh = Assert.IsType<ServerHelloMessage>(s.HandshakeMessages.Single(m => m.Type == "ServerHello"));
            Assert.Null(sh.SessionId);
            Assert.Null(sh.CompressionMethod);
            Assert.Null(sh.DecodeError);
            Assert.Contains(s.Findings, f => f.Code == "VERSION_NEGOTIATED" && f.Severity == FindingSeverity.Medium);
        }

        [Fact]
        public void AnEarlyDraftServerHelloWith0304InItsVersion_IsReadInTheDraftLayout()
        {
            // the draft-18 session with its ServerHello's version field set to 0304, as drafts before the 7Fxx numbering
            // wrote it: no session id echo, no compression method; its suite is read there
            var text = File.ReadAllText(Fixtures.PathOf("spec/tls13-draft18.client.log"));
            Assert.Contains("16030100 52020000 4E7F1211", text);
            var s = Fixtures.SessionsFromText(text.Replace("16030100 52020000 4E7F1211", "16030100 52020000 4E030411")).Single();
            Assert.Equal("TLS 1.3 draft (early)", s.Version);
            Assert.Equal("TLS_AES_256_GCM_SHA384", s.CipherSuite.Name);
            var sh = Assert.IsType<ServerHelloMessage>(s.HandshakeMessages.Single(m => m.Type == "ServerHello"));
            Assert.Equal(0x0304, sh.ServerVersionValue);
            Assert.Null(sh.SessionId);
            Assert.Null(sh.DecodeError);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Contains(s.Findings, f => f.Code == "VERSION_NEGOTIATED" && f.Severity == FindingSeverity.Medium);
        }

        [Fact]
        public void AServerHelloWith0304WhoseBytesOnlyFitTheClassicLayout_IsReadInThatOne()
        {
            // session id (32 bytes), suite 1302, compression 0, no extensions: not the draft layout
            var body = Convert.FromHexString("0304" + new string('A', 64) + "20" + new string('B', 64) + "1302" + "00");
            var rec = new byte[] { 0x16, 0x03, 0x03, 0, (byte)(body.Length + 4), 2, 0, 0, (byte)body.Length }.Concat(body).ToArray();
            string text = "CFTY19I PART=P SSL=S opening client session CTX=2000cb on task PID=1\n"
                + "CFTY02Z>> CTX=2000cb ndata()_ " + rec.Length + " HANDSHAKE DATA RECEIVED FROM NETWORK\n"
                + string.Concat(Enumerable.Range(0, (rec.Length + 15) / 16).Select(i => "CFTY02Z>> CTX=2000cb " + Convert.ToHexString(rec, i * 16, Math.Min(16, rec.Length - i * 16)) + "\n"));
            var s = Fixtures.SessionsFromText(text).Single();
            var sh = Assert.IsType<ServerHelloMessage>(s.HandshakeMessages.Single(m => m.Type == "ServerHello"));
            Assert.Equal("TLS_AES_256_GCM_SHA384", sh.CipherSuite.Name);
            Assert.Equal(new string('B', 64), sh.SessionId.ToUpperInvariant());
        }

        [Fact]
        public void ServerHelloOfAnUnknownPreStandardLayout_ShowsNoSuite_AndSaysWhy()
        {
            // Google's experimental version 0x7E02 (not a published layout): no suite read at a guessed place
            var body = Convert.FromHexString("7E02" + new string('A', 64) + "1302" + "0000");
            var rec = new byte[] { 0x16, 0x03, 0x03, 0, (byte)(body.Length + 4), 2, 0, 0, (byte)body.Length }.Concat(body).ToArray();
            string text = "CFTY19I PART=P SSL=S opening client session CTX=2000ca on task PID=1\n"
                + "CFTY02Z>> CTX=2000ca ndata()_ " + rec.Length + " HANDSHAKE DATA RECEIVED FROM NETWORK\n"
                + string.Concat(Enumerable.Range(0, (rec.Length + 15) / 16).Select(i => "CFTY02Z>> CTX=2000ca " + Convert.ToHexString(rec, i * 16, Math.Min(16, rec.Length - i * 16)) + "\n"));
            var s = Fixtures.SessionsFromText(text).Single();
            var sh = Assert.IsType<ServerHelloMessage>(s.HandshakeMessages.Single());
            Assert.Null(sh.CipherSuite);
            Assert.Contains("layout of TLS 1.3 experiment 0x7E02 (Google) is not known", sh.DecodeError);
            Assert.Null(s.CipherSuite);
        }

        [Fact]
        public void HelloRetryRequestWithoutServerHello_GivesVersionAndSuite_AndSaysWhatIsMissing()
        {
            var withVerdict = Fixtures.Sessions("spec/tls13-hello-retry-no-serverhello.client.log").Single();
            Assert.Equal("TLS 1.3", withVerdict.Version);
            Assert.Equal("TLS_AES_256_GCM_SHA384", withVerdict.CipherSuite.Name);
            Assert.Equal(SessionResult.Established, withVerdict.Result); // CFT said so (CFTY14I)
            Assert.Contains(withVerdict.Notes, n => n.StartsWith("no ServerHello in the trace after the HelloRetryRequest of line 17"));
            var bare = Fixtures.Sessions("spec/tls13-hello-retry-no-serverhello.no-verdict.client.log").Single();
            Assert.Equal("TLS 1.3", bare.Version);
            Assert.Equal(4866, bare.CipherSuiteId);
            Assert.Equal(SessionResult.Incomplete, bare.Result);
            Assert.StartsWith("Incomplete: no ServerHello in the trace after the HelloRetryRequest of line 17, though encrypted records follow in both directions", bare.Problem);
            Assert.DoesNotContain("trace ends after", bare.Problem);
        }
    }
}
