using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// TLS 1.3 handshake messages are encrypted on the wire, hence in CFT's trace. Their decoders are checked on the
    /// real messages of the recorded TLS 1.3 sessions, as openssl s_client -msg printed them in clear.
    /// </summary>
    public class Tls13MessageTests
    {
        private static List<(bool received, string name, HandshakeMessage msg)> Messages(string scenario)
        {
            var ctx = new HandshakeContext { Version = 0x0304 };
            var list = new List<(bool, string, HandshakeMessage)>();
            foreach (var line in File.ReadAllLines(Fixtures.PathOf("real/" + scenario + ".tls13-messages.txt")))
            {
                var parts = line.Split(' ');
                var bytes = Convert.FromHexString(parts[2]);
                int len = (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
                var msg = HandshakeDecoder.Decode(bytes[0], bytes.Skip(4).ToArray(), len, ctx);
                if (msg is ServerHelloMessage sh && !sh.IsHelloRetryRequest) ctx.CipherSuite = sh.CipherSuite;
                list.Add((parts[0] == "<<<", parts[1], msg));
            }
            return list;
        }

        [Theory]
        [InlineData("tls13-server-auth")]
        [InlineData("tls13-mutual")]
        [InlineData("tls13-hello-retry")]
        public void EveryMessage_DecodesWithoutError_AsTheTypeOpenSslNamed(string scenario)
        {
            var msgs = Messages(scenario);
            Assert.NotEmpty(msgs);
            foreach (var (received, name, msg) in msgs)
            {
                Assert.Null(msg.DecodeError);
                Assert.False(msg.Truncated);
                Assert.Equal(name == "ServerHello" && ((ServerHelloMessage)msg).IsHelloRetryRequest ? "HelloRetryRequest" : name, msg.Type);
            }
        }

        [Fact]
        public void ServerFlight_EncryptedExtensions_Certificate_CertificateVerify_Finished()
        {
            var msgs = Messages("tls13-server-auth");
            var ee = msgs.Select(m => m.msg).OfType<EncryptedExtensionsMessage>().Single();
            Assert.Equal(new[] { "application_layer_protocol_negotiation" }, ee.Extensions.Select(e => e.Name));
            Assert.Equal("pesit", ee.Extensions[0].Items.Single());
            var cert = msgs.Select(m => m.msg).OfType<CertificateMessage>().Single();
            var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Fixtures.PathOf("real/certs/server-rsa.pem")));
            Assert.Equal(expected.Thumbprint, cert.Certificates[0].Thumbprint);
            Assert.Equal(2, cert.Certificates.Count);
            var cv = msgs.Select(m => m.msg).OfType<CertificateVerifyMessage>().Single();
            Assert.Equal("rsa_pss_rsae_sha256", cv.SignatureAlgorithm);
            Assert.Equal(256, cv.SignatureLength);
            var fin = msgs.Where(m => m.received).Select(m => m.msg).OfType<FinishedMessage>().Single();
            Assert.Equal(48, fin.VerifyDataLength); // TLS_AES_256_GCM_SHA384: SHA-384
            var nst = msgs.Select(m => m.msg).OfType<NewSessionTicketMessage>().First();
            Assert.Equal(7200, nst.LifetimeSeconds);
            Assert.True(nst.TicketLength > 0);
        }

        [Theory]
        [InlineData(0, false)]
        [InlineData(1, true)]
        public void KeyUpdate(int request, bool requested)
        {
            // RFC 8446 4.6.3: one byte, update_not_requested(0) or update_requested(1); not seen in the recordings
            var m = Assert.IsType<KeyUpdateMessage>(HandshakeDecoder.Decode(24, new[] { (byte)request }, 1, new HandshakeContext { Version = 0x0304 }));
            Assert.Equal(requested, m.UpdateRequested);
            Assert.Equal("KeyUpdate", m.Type);
        }

        [Fact]
        public void MutualAuthentication_CertificateRequest_AndTheClientChain()
        {
            var msgs = Messages("tls13-mutual");
            var cr = msgs.Select(m => m.msg).OfType<CertificateRequestMessage>().Single();
            Assert.Contains("rsa_pss_rsae_sha256", cr.SignatureAlgorithms);
            Assert.Equal("CN=CftSslTrace Test Root CA, OU=PKI, O=CftSslTrace Test, C=FR", cr.CertificateAuthorities.Single());
            var clientCert = msgs.Where(m => !m.received).Select(m => m.msg).OfType<CertificateMessage>().Single();
            Assert.Equal("CN=PARTNER01, O=Partner Corp, C=FR", clientCert.Certificates[0].Subject);
            var fin = msgs.Where(m => !m.received).Select(m => m.msg).OfType<FinishedMessage>().Single();
            Assert.Equal(32, fin.VerifyDataLength); // TLS_AES_128_GCM_SHA256
        }
    }
}
