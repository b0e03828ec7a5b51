using System.IO;
using System.Linq;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using CftSslTrace.Reading;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>The product documentation's "simple authentication" example (TLS 1.0, cipher 47).</summary>
    public class DocSampleTests
    {
        [Fact]
        public void ClientSample_IsOneEstablishedClientSession()
        {
            var sessions = Fixtures.Sessions("doc/doc-simple-auth-client.log");
            var s = Assert.Single(sessions);
            Assert.Equal("200005", s.Ctx);
            Assert.Equal(SessionRole.Client, s.Role);
            Assert.Equal("LOOPSSL1", s.Partner);
            Assert.Equal("SSL_LOOP0", s.SslProfile);
            Assert.Equal("5056", s.Pid);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal("Server", s.Authentication);
            Assert.Equal(47, s.CipherSuiteId);
            Assert.Equal("TLS_RSA_WITH_AES_128_CBC_SHA", s.CipherSuiteName);
            Assert.Equal("TLS 1.0", s.Version);
            Assert.False(s.OpeningMissing);
            Assert.True(s.Closed);
            Assert.Equal(new System.DateTime(2011, 4, 21, 11, 23, 41), s.StartTime);
            Assert.Equal(new System.DateTime(2011, 4, 21, 11, 23, 44), s.EndTime);
            Assert.Equal(1, s.FirstLine);
        }

        [Fact]
        public void ClientHello_OffersTheDocumentedSuitesByName()
        {
            var s = Fixtures.Sessions("doc/doc-simple-auth-client.log").Single();
            var ch = s.HandshakeMessages.OfType<ClientHelloMessage>().Single();
            Assert.Equal(new[] { 47, 10, 9, 1, 2 }, ch.CipherSuites.Select(c => c.Id).ToArray());
            Assert.Equal(new[] { "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "TLS_RSA_WITH_DES_CBC_SHA", "TLS_RSA_WITH_NULL_MD5", "TLS_RSA_WITH_NULL_SHA" },
                ch.CipherSuites.Select(c => c.Name).ToArray());
            Assert.Equal("TLS 1.0", ch.ClientVersion);
            Assert.Equal(TlsPeer.Client, ch.Sender);
            Assert.Equal("null", ch.CompressionMethods.Single());
            Assert.Empty(ch.Extensions);
            Assert.Equal(new System.DateTime(2011, 4, 21, 9, 23, 41, System.DateTimeKind.Utc), ch.RandomTime);
        }

        [Fact]
        public void CertificateDump_IsTruncatedTo48Of1458Bytes_AndSaysSo()
        {
            var s = Fixtures.Sessions("doc/doc-simple-auth-client.log").Single();
            var frame = s.Frames.Single(f => f.Line == 11);
            Assert.Equal("Handshake", frame.ContentType);
            Assert.Equal(1453, frame.Length);
            Assert.Equal(48, frame.CapturedLength);
            Assert.True(frame.Truncated);
            Assert.Equal(TraceDirection.Received, frame.Direction);
            Assert.Equal(TlsPeer.Server, frame.Sender);
            var cert = Assert.IsType<CertificateMessage>(Assert.Single(frame.HandshakeMessages));
            Assert.True(cert.Truncated);
            Assert.Equal(1449, cert.Length);
            Assert.Equal(0x5A6, cert.ChainLength);
            var c = Assert.Single(cert.Certificates);
            Assert.Equal(0x1DD, c.Length);
            Assert.True(c.Truncated);
            Assert.Equal(48 - 5 - 4 - 3 - 3, c.CapturedLength);
            Assert.Null(c.Thumbprint); // no thumbprint of a partial certificate
            Assert.NotNull(c.DecodeError);
            Assert.Contains("[truncated: 43 of 1453 bytes, bytes of the record are missing from the trace (truncated dump)]", frame.Summary);
            Assert.Contains(s.Notes, n => n.Contains("1458") && n.Contains("48"));
            Assert.Equal(1458, frame.AnnouncedCount);
            Assert.Equal(48, frame.CapturedLength);
            var block = new HexDumpReader("doc").ReadAll(File.OpenRead(Fixtures.PathOf("doc/doc-simple-auth-client.log"))).Single(b => b.Line == 11);
            Assert.True(block.Truncated);
            Assert.Equal(1458, block.AnnouncedCount);
            Assert.Equal(48, block.Length);
        }

        [Fact]
        public void Frames_FollowTheHandshake()
        {
            var s = Fixtures.Sessions("doc/doc-simple-auth-client.log").Single();
            var msgs = Fixtures.Frames("doc/doc-simple-auth-client.log").Select(f => f.Direction + ":" + f.Messages).ToArray();
            Assert.Equal(new[]
            {
                "Sent:ClientHello", "Received:ServerHello", "Received:Certificate", "Received:ServerHelloDone",
                "Sent:ClientKeyExchange", "Sent:ChangeCipherSpec", "Sent:Encrypted", "Received:ChangeCipherSpec", "Received:Encrypted",
                "Received:ApplicationData", "Sent:ApplicationData",
            }, msgs);
            // the session keeps the handshake and counts the application data
            Assert.Equal(msgs.Take(9), s.Frames.Select(f => f.Direction + ":" + f.Messages));
            Assert.Equal(2, s.ApplicationDataRecords);
            Assert.Equal(64, s.ApplicationDataReceived);
            Assert.Equal(160, s.ApplicationDataSent);
            var sh = s.HandshakeMessages.OfType<ServerHelloMessage>().Single();
            Assert.Equal(47, sh.CipherSuite.Id);
            Assert.Equal(TlsPeer.Server, sh.Sender);
            var cke = s.HandshakeMessages.OfType<ClientKeyExchangeMessage>().Single();
            Assert.Equal("RSA", cke.KeyExchange);
            Assert.Equal(128, cke.ExchangeKeysLength);
            Assert.True(s.Frames.Single(f => f.Line == 18).Truncated); // ClientKeyExchange dumped 32 of 139 bytes
        }

        [Fact]
        public void ServerSample_IsOneEstablishedServerSession()
        {
            var s = Fixtures.Sessions("doc/doc-simple-auth-server.log").Single();
            Assert.Equal("210006", s.Ctx);
            Assert.Equal(SessionRole.Server, s.Role);
            Assert.Equal("PESITSSL", s.Protocol);
            Assert.Equal("SSLPESIT", s.SslProfile);
            Assert.Equal("127.0.0.1", s.RemoteHost);
            Assert.Equal(SessionResult.Established, s.Result);
            Assert.Equal("Server", s.Authentication);
            Assert.Equal(47, s.CipherSuiteId);
            Assert.Equal(TlsPeer.Client, s.Frames.First().Sender);
            Assert.Equal("ClientHello", s.Frames.First().Messages);
            Assert.Contains(s.Events, e => e.Code == "CFTY24I" && e.Get("ID") == "USER");
        }
    }
}
