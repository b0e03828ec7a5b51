using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// Real TLS sessions (openssl s_server/s_client through a recording relay, tests/FixtureGenerator) rendered as
    /// CFT traces from the client's side, the server's side and as raw network chunks.
    /// </summary>
    public class RealSessionTests
    {
        public sealed class Expect
        {
            public string Name; public string Version; public int Cipher; public string Auth; public SessionResult Result;
            public string Partner; public string Alert; public TlsPeer AlertFrom = TlsPeer.Unknown; public int Sessions = 1;
            public override string ToString() => Name;
        }

        [Fact]
        public void TheRecordedFixtures_UseCertificatesValidAtTheirTimes_ButTheExpiredOne()
        {
            // the history and busy logs were once dated before the day their certificates were made: every session of them
            // showed a certificate "not yet valid" that no partner had (the expired scenario is the one meant to)
            var files = Directory.GetFiles(Fixtures.PathOf("history"), "*", SearchOption.AllDirectories)
                .Concat(Directory.GetFiles(Fixtures.PathOf("real"), "*.log")).Where(f => !Path.GetFileName(f).Contains("expired")).ToList();
            int seen = 0;
            foreach (var session in files.SelectMany(f => SessionReader.ReadFiles(new[] { f })))
            {
                foreach (var c in session.ServerCertificates.Concat(session.ClientCertificates))
                {
                    seen++;
                    Assert.True(session.StartTime != null && c.NotBefore <= session.StartTime && session.StartTime <= c.NotAfter,
                        session.File + " " + session.Ctx + ": " + c.Subject + " valid " + c.NotBefore + " to " + c.NotAfter + ", used " + session.StartTime);
                }
                Assert.DoesNotContain(session.Findings, f => f.Code == "CERT_EXPIRED");
            }
            Assert.True(seen >= 100, seen + " certificates");
            // and the logs the tests and the benchmark generate from them (dated 2026-11-20 before: every certificate "not yet valid")
            var generated = SessionReader.ReadFiles(new[] { HistoryLogs.Log(dated: true) }).ToList();
            Assert.True(generated.Count >= 20, generated.Count + " sessions");
            Assert.All(generated.Where(g => g.ServerCertificates.Count > 0 && g.Partner != "PARTNER15"),
                g => Assert.DoesNotContain(g.Findings, f => f.Code == "CERT_EXPIRED"));
            Assert.Contains(generated, g => g.ServerCertificates.Count > 0 && g.Partner != "PARTNER15");
        }

        public static readonly Expect[] Scenarios =
        {
            new Expect { Name = "tls10-rsa-aes128", Version = "TLS 1.0", Cipher = 47, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER01" },
            new Expect { Name = "tls12-ecdhe-rsa-mutual", Version = "TLS 1.2", Cipher = 49199, Auth = "Mutual", Result = SessionResult.Established, Partner = "PARTNER02" },
            new Expect { Name = "tls12-rsa-aes256-sha256", Version = "TLS 1.2", Cipher = 61, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER03" },
            new Expect { Name = "tls12-dhe-ocsp", Version = "TLS 1.2", Cipher = 158, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER11" },
            new Expect { Name = "tls12-ecdhe-ecdsa", Version = "TLS 1.2", Cipher = 49196, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER04" },
            new Expect { Name = "tls13-server-auth", Version = "TLS 1.3", Cipher = 4866, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER05" },
            new Expect { Name = "tls13-mutual", Version = "TLS 1.3", Cipher = 4865, Auth = "Mutual", Result = SessionResult.Established, Partner = "PARTNER06" },
            new Expect { Name = "tls13-hello-retry", Version = "TLS 1.3", Cipher = 4866, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER07" },
            new Expect { Name = "tls11-rsa-aes256", Version = "TLS 1.1", Cipher = 53, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER12" },
            new Expect { Name = "tls12-large-certificate", Version = "TLS 1.2", Cipher = 49199, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER13" },
            new Expect { Name = "tls12-resumption", Version = "TLS 1.2", Cipher = 49200, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER14", Sessions = 2 },
            new Expect { Name = "tls12-expired-certificate", Version = "TLS 1.2", Cipher = 49200, Auth = "Server", Result = SessionResult.Failed, Partner = "PARTNER15", Alert = "certificate_expired", AlertFrom = TlsPeer.Client },
            new Expect { Name = "tls-version-mismatch", Version = null, Cipher = 0, Auth = null, Result = SessionResult.Failed, Partner = "PARTNER16", Alert = "protocol_version", AlertFrom = TlsPeer.Server },
            new Expect { Name = "tls12-unknown-ca", Version = "TLS 1.2", Cipher = 49200, Auth = "Server", Result = SessionResult.Failed, Partner = "PARTNER08", Alert = "unknown_ca", AlertFrom = TlsPeer.Client },
            new Expect { Name = "tls12-no-client-cert", Version = "TLS 1.2", Cipher = 49200, Auth = "Server", Result = SessionResult.Failed, Partner = "PARTNER09", Alert = "handshake_failure", AlertFrom = TlsPeer.Server },
            new Expect { Name = "tls12-no-shared-cipher", Version = null, Cipher = 0, Auth = null, Result = SessionResult.Failed, Partner = "PARTNER10", Alert = "handshake_failure", AlertFrom = TlsPeer.Server },
            new Expect { Name = "tls12-no-expiry", Version = "TLS 1.2", Cipher = 49195, Auth = "Server", Result = SessionResult.Established, Partner = "PARTNER21" },
            new Expect { Name = "tls13-no-client-cert", Version = "TLS 1.3", Cipher = 4866, Auth = "Server", Result = SessionResult.Failed, Partner = "PARTNER17", Alert = "certificate_required", AlertFrom = TlsPeer.Server },
        };

        public static IEnumerable<object[]> Views()
        {
            foreach (var e in Scenarios)
                foreach (var view in new[] { "client", "server", "client-chunks", "client-plaintext" })
                    yield return new object[] { e, view };
        }

        [Theory]
        [MemberData(nameof(Views))]
        public void EachView_SummarisesTheSessionAsNegotiated(Expect e, string view)
        {
            var diagnostics = new List<TraceDiagnostic>();
            var all = Fixtures.Sessions("real/" + e.Name + "." + view + ".log", diagnostics);
            Assert.Equal(e.Sessions, all.Count);
            var s = all[0];
            Assert.Empty(diagnostics);
            Assert.False(s.OpeningMissing);
            Assert.Equal(view == "server" ? SessionRole.Server : SessionRole.Client, s.Role);
            if (view == "server") { Assert.Equal("PESITSSL", s.Protocol); Assert.Equal("127.0.0.1", s.RemoteHost); }
            else Assert.Equal(e.Partner, s.Partner);
            Assert.Equal(e.Result, s.Result);
            Assert.Equal(e.Version, s.Version);
            if (e.Cipher != 0) Assert.Equal(e.Cipher, s.CipherSuiteId); else Assert.Null(s.CipherSuite);
            Assert.Equal(e.Auth, s.Authentication);
            Assert.DoesNotContain(s.Frames, f => f.Truncated || f.ContentType == "Unrecognized");
            Assert.All(s.Frames, f => Assert.NotEqual(TlsPeer.Unknown, f.Sender));
            var ch = s.HandshakeMessages.OfType<ClientHelloMessage>().First();
            Assert.Equal(TlsPeer.Client, ch.Sender);
            if (e.Alert != null)
            {
                Assert.NotNull(s.Failure);
                Assert.Equal(e.Alert, s.Failure.Name);
                Assert.Equal(e.AlertFrom, s.Failure.RaisedBy);
                Assert.False(string.IsNullOrEmpty(s.Problem));
                bool weRaised = (e.AlertFrom == TlsPeer.Client) == (s.Role == SessionRole.Client);
                Assert.Equal(weRaised ? "Local" : "Remote", s.Failure.Origin);
                Assert.NotNull(s.Failure.CftError);
                Assert.Equal(weRaised ? "CFTY13E" : "CFTY30E", s.Failure.CftError.Code);
            }
            else
            {
                Assert.Null(s.Failure);
                Assert.Equal("", s.Problem);
                // application data is counted on the session and streamed as frames, not kept in Frames
                Assert.DoesNotContain(s.Frames, f => f.Messages == "ApplicationData");
                Assert.True(s.Role == SessionRole.Client ? s.ApplicationDataReceived > 0 : s.ApplicationDataSent > 0);
                var frames = Fixtures.Frames("real/" + e.Name + "." + view + ".log").Where(f => f.SessionId == s.SessionId).ToList();
                Assert.Contains(frames, f => f.Messages == "ApplicationData" && f.Sender == TlsPeer.Server);
                Assert.Equal(s.RecordsSent + s.RecordsReceived, frames.Count);
                Assert.Equal(s.ApplicationDataRecords, frames.Count(f => f.Messages == "ApplicationData"));
                Assert.Equal(Enumerable.Range(1, frames.Count), frames.Select(f => f.Index));
            }
        }

        [Theory]
        [MemberData(nameof(Views))]
        public void NetworkChunksAndRecordViews_DecodeToTheSameRecords(Expect e, string view)
        {
            if (view != "client-chunks") return;
            var records = Fixtures.Sessions("real/" + e.Name + ".client.log").First();
            var chunks = Fixtures.Sessions("real/" + e.Name + ".client-chunks.log").First();
            Assert.Equal(records.Frames.Select(Signature), chunks.Frames.Select(Signature));
            Assert.Equal(records.HandshakeMessages.Select(m => m.Type + "/" + m.Length + "/" + m.Summary), chunks.HandshakeMessages.Select(m => m.Type + "/" + m.Length + "/" + m.Summary));
        }

        [Theory]
        [MemberData(nameof(Views))]
        public void CountsOfPlaintext_AndZeroForEmptyFragments_ChangeNothingButTheAnnouncedCount(Expect e, string view)
        {
            // CFT counts the plaintext of application data ("ndata()_ 37" before a 69-byte record), 0 for TLS 1.0's empty
            // fragments: the record framing in the bytes decides, the count is kept as announced
            if (view != "client-plaintext") return;
            var diagnostics = new List<TraceDiagnostic>();
            var records = Fixtures.Frames("real/" + e.Name + ".client.log");
            var plain = Fixtures.Frames("real/" + e.Name + ".client-plaintext.log", diagnostics);
            Assert.Empty(diagnostics);
            Assert.Equal(records.Select(Signature), plain.Select(Signature));
            Assert.All(plain, f => Assert.False(f.Truncated));
            Assert.All(plain.Where(f => f.Messages != "ApplicationData"), f => Assert.Equal(f.CapturedLength, f.AnnouncedCount));
            Assert.All(plain.Where(f => f.Messages == "ApplicationData"), f => Assert.True(f.AnnouncedCount < f.CapturedLength));
            if (e.Name.StartsWith("tls10"))
                Assert.Contains(plain, f => f.Messages == "ApplicationData" && f.AnnouncedCount == 0 && f.Length == 36); // empty fragment (encrypt-then-MAC)
        }

        [Fact]
        public void EstablishedThenFailed_IsFailed_AndStillSaysItWasEstablished()
        {
            // TLS 1.3: the client finishes without a certificate, writes CFTY14I; the server then sends certificate_required
            // under encryption and CFT writes CFTY30E (client) / CFTY13E (server)
            foreach (var view in new[] { "client", "server", "client-chunks", "client-plaintext" })
            {
                var s = Fixtures.Sessions("real/tls13-no-client-cert." + view + ".log").Single();
                Assert.Equal(SessionResult.Failed, s.Result);
                Assert.True(s.Established);
                Assert.NotNull(s.EstablishedTime);
                Assert.Equal(116, s.Failure.Code);
                Assert.Equal("certificate_required", s.Failure.Name);
                Assert.StartsWith("certificate_required (116)", s.Problem);
                Assert.Contains("USERCID", s.Role == SessionRole.Client ? s.Failure.Explanation : "USERCID");
            }
            // a session that ends with a clean close after its transfer stays Established
            var ok = Fixtures.SessionsFromText(File.ReadAllText(Fixtures.PathOf("real/tls13-server-auth.client.log"))
                .Replace("CFTY11I", "CFTY13E CTX=200006 SSL Handshake local error [TLSPARSE] CR=1 (SSL_ERROR_ZERO_RETURN(6): NULL(err=0))\n00 26/11/24 09:45:33.40 CFTY11I")).Single();
            Assert.Equal(SessionResult.Established, ok.Result);
            Assert.Equal("", ok.Problem);
        }

        [Theory]
        [MemberData(nameof(Views))]
        public void ClientAndServerViews_SeeTheSameRecordsFromOppositeSides(Expect e, string view)
        {
            if (view != "server") return;
            var client = Fixtures.Sessions("real/" + e.Name + ".client.log").First();
            var server = Fixtures.Sessions("real/" + e.Name + ".server.log").First();
            Assert.Equal(client.Frames.Select(f => f.Sender + " " + f.ContentType + " " + f.Length + " " + f.Messages), server.Frames.Select(f => f.Sender + " " + f.ContentType + " " + f.Length + " " + f.Messages));
            Assert.All(client.Frames.Zip(server.Frames), p => Assert.NotEqual(p.First.Direction, p.Second.Direction));
        }

        private static string Signature(TlsFrame f) => f.Direction + " " + f.ContentType + " " + f.Version + " " + f.Length + " " + f.Messages + " " + f.Summary;

        [Fact]
        public void ServerCertificate_MatchesTheCertificateFileAsDotNetReadsIt()
        {
            var s = Fixtures.Sessions("real/tls12-ecdhe-rsa-mutual.client.log").Single();
            var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Fixtures.PathOf("real/certs/server-rsa.pem")));
            var c = s.ServerCertificate;
            Assert.Equal(expected.Subject, c.Subject);
            Assert.Equal(expected.Issuer, c.Issuer);
            Assert.Equal(expected.SerialNumber, c.SerialNumber);
            Assert.Equal(expected.Thumbprint, c.Thumbprint);
            Assert.Equal(expected.NotAfter.ToUniversalTime(), c.NotAfter);
            Assert.Equal(expected.NotBefore.ToUniversalTime(), c.NotBefore);
            Assert.Equal("RSA", c.PublicKeyAlgorithm);
            Assert.Equal(2048, c.KeySize);
            Assert.Equal("sha256RSA", c.SignatureAlgorithm);
            Assert.Equal(new[] { "DNS:cft-server.example.test", "DNS:localhost", "IP:127.0.0.1" }, c.SubjectAlternativeNames);
            Assert.False(c.IsCertificateAuthority);
            Assert.Equal(expected.RawData, c.ToX509Certificate2().RawData);
            Assert.Equal(2, s.ServerCertificates.Count);
            Assert.True(s.ServerCertificates[1].IsCertificateAuthority);
            var client = X509Certificate2.CreateFromPem(File.ReadAllText(Fixtures.PathOf("real/certs/client.pem")));
            Assert.Equal(client.Thumbprint, s.ClientCertificate.Thumbprint);
            Assert.Equal("Email:cft@example.test", s.ClientCertificate.SubjectAlternativeNames.Single());
        }

        [Fact]
        public void Sessions_HaveNoCycles_AndSerialiseToJson()
        {
            // ConvertTo-Json walks the properties; a frame knows its session by id, not by reference.
            foreach (var file in Directory.GetFiles(Fixtures.PathOf("real"), "*.log"))
            {
                foreach (var s in SessionReader.ReadFile(file))
                {
                    string json = System.Text.Json.JsonSerializer.Serialize(s, new System.Text.Json.JsonSerializerOptions { MaxDepth = 12 });
                    Assert.Contains("\"SessionId\":\"" + s.SessionId + "\"", json);
                }
            }
        }

        [Fact]
        public void EcdsaCertificate_AndEcdheKeyExchange()
        {
            var s = Fixtures.Sessions("real/tls12-ecdhe-ecdsa.server.log").Single();
            Assert.Equal("ECC", s.ServerCertificate.PublicKeyAlgorithm);
            Assert.Equal("nistP256", s.ServerCertificate.Curve);
            Assert.Equal(256, s.ServerCertificate.KeySize);
            var ske = s.HandshakeMessages.OfType<ServerKeyExchangeMessage>().Single();
            Assert.Equal("ECDHE", ske.KeyExchange);
            Assert.Equal("x25519", ske.Group);
            Assert.StartsWith("ecdsa_", ske.SignatureAlgorithm);
            Assert.Equal(TlsPeer.Server, ske.Sender);
        }

        [Fact]
        public void Dhe_KeyExchange_AndStapledOcspResponse()
        {
            var s = Fixtures.Sessions("real/tls12-dhe-ocsp.client.log").Single();
            var ske = s.HandshakeMessages.OfType<ServerKeyExchangeMessage>().Single();
            Assert.Equal("DHE", ske.KeyExchange);
            Assert.Equal(2048, ske.KeySize);
            Assert.Equal(256, ske.PublicKeyLength);
            Assert.Equal("rsa_pss_rsae_sha256", ske.SignatureAlgorithm);
            var cke = s.HandshakeMessages.OfType<ClientKeyExchangeMessage>().Single();
            Assert.Equal(256, cke.ExchangeKeysLength);
            var status = s.HandshakeMessages.OfType<CertificateStatusMessage>().Single();
            Assert.Equal("ocsp", status.StatusType);
            Assert.Equal(status.Length - 4, status.ResponseLength);
            Assert.True(s.HandshakeMessages.OfType<ClientHelloMessage>().Single().StatusRequest);
            Assert.Equal(new[] { "ClientHello", "ServerHello", "Certificate", "CertificateStatus", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange", "NewSessionTicket" },
                s.HandshakeMessages.Select(m => m.Type));
        }

        [Fact]
        public void MutualTls12_DecodesCertificateRequestAndClientChain()
        {
            var s = Fixtures.Sessions("real/tls12-ecdhe-rsa-mutual.server.log").Single();
            Assert.True(s.ClientCertificateRequested);
            Assert.Equal("CN=CftSslTrace Test Root CA, OU=PKI, O=CftSslTrace Test, C=FR", s.AcceptedClientCAs.Single());
            var cr = s.HandshakeMessages.OfType<CertificateRequestMessage>().Single();
            Assert.Contains("rsa_sign", cr.CertificateTypes);
            Assert.Contains("rsa_pss_rsae_sha256", cr.SignatureAlgorithms);
            Assert.Equal("CN=PARTNER01, O=Partner Corp, C=FR", s.ClientCertificate.Subject);
            Assert.Equal("cft-server.example.test", s.ServerName);
            Assert.Equal("pesit", s.Alpn);
            var cv = s.HandshakeMessages.OfType<CertificateVerifyMessage>().Single();
            Assert.Equal(TlsPeer.Client, cv.Sender);
            Assert.Contains(s.Events, ev => ev.Code == "CFTY22I");
        }

        [Fact]
        public void ClientHello_ExtensionsAreDecodedByName()
        {
            var s = Fixtures.Sessions("real/tls13-server-auth.client.log").Single();
            var ch = s.HandshakeMessages.OfType<ClientHelloMessage>().Single();
            Assert.Equal("cft-server.example.test", ch.ServerName);
            Assert.Equal(new[] { "pesit" }, ch.Alpn);
            Assert.Equal(new[] { "TLS 1.3" }, ch.SupportedVersions);
            Assert.Contains("x25519", ch.SupportedGroups);
            Assert.Contains("x25519", ch.KeyShareGroups);
            Assert.Contains("rsa_pss_rsae_sha256", ch.SignatureAlgorithms);
            Assert.Equal(new[] { "psk_dhe_ke" }, ch.PskKeyExchangeModes);
            Assert.Contains(ch.Extensions, x => x.Name == "extended_master_secret");
            Assert.Contains(ch.Extensions, x => x.Name == "session_ticket");
            Assert.All(ch.Extensions, x => Assert.DoesNotContain("Unknown", x.Name));
            Assert.Equal("TLS_AES_256_GCM_SHA384", ch.CipherSuites.Single(c => c.Id == 0x1302).Name);
            var sh = s.HandshakeMessages.OfType<ServerHelloMessage>().Single();
            Assert.Equal("TLS 1.2", sh.ServerVersion);
            Assert.Equal("TLS 1.3", sh.SelectedVersion);
            Assert.Equal("x25519", sh.KeyShareGroup);
        }

        [Fact]
        public void Tls13_RecordsAfterServerHelloAreEncrypted_NeverMisreadAsMessages()
        {
            foreach (var name in new[] { "tls13-server-auth", "tls13-mutual", "tls13-hello-retry" })
            {
                var s = Fixtures.Sessions("real/" + name + ".server.log").Single();
                var sh = s.Frames.First(f => f.Messages == "ServerHello");
                Assert.All(s.Frames.Where(f => f.Index > sh.Index && f.ContentType != "ChangeCipherSpec"), f =>
                {
                    Assert.True(f.Encrypted);
                    Assert.Empty(f.HandshakeMessages);
                });
                Assert.DoesNotContain(s.HandshakeMessages, m => m is CertificateMessage || m is FinishedMessage);
            }
        }

        [Fact]
        public void HelloRetryRequest_IsRecognised_AndTheSecondClientHelloIsDecoded()
        {
            var s = Fixtures.Sessions("real/tls13-hello-retry.client.log").Single();
            Assert.Equal(new[] { "ClientHello", "HelloRetryRequest", "ClientHello", "ServerHello" }, s.HandshakeMessages.Select(m => m.Type));
            var hrr = s.HandshakeMessages.OfType<ServerHelloMessage>().First();
            Assert.True(hrr.IsHelloRetryRequest);
            Assert.Equal("secp256r1", hrr.KeyShareGroup);
            var second = s.HandshakeMessages.OfType<ClientHelloMessage>().Last();
            Assert.Equal(new[] { "secp256r1" }, second.KeyShareGroups);
            Assert.Equal(TraceDirection.Sent, s.Frames.Single(f => f.Index == 5).Direction);
            Assert.Equal("ClientHello", s.Frames.Single(f => f.Index == 5).Messages);
        }

        [Fact]
        public void UnknownCa_IsExplainedInCftTerms_OnBothSides()
        {
            var client = Fixtures.Sessions("real/tls12-unknown-ca.client.log").Single();
            Assert.Equal(48, client.Failure.Code);
            Assert.Equal("after ServerHelloDone from server", client.Failure.Step);
            Assert.Contains("ROOTCID of CFTSSL SSLCLI01", client.Failure.Explanation);
            Assert.Contains("CN=CftSslTrace Test Root CA", client.Failure.Explanation);
            Assert.Equal("certificate verify failed", client.Failure.Reason);
            var server = Fixtures.Sessions("real/tls12-unknown-ca.server.log").Single();
            Assert.Equal("Remote", server.Failure.Origin);
            Assert.Contains("The partner must trust", server.Failure.Explanation);
            Assert.Contains("USERCID of CFTSSL SSLSRV01", server.Failure.Explanation);
        }

        [Fact]
        public void MissingClientCertificate_PointsAtUsercid()
        {
            var s = Fixtures.Sessions("real/tls12-no-client-cert.client.log").Single();
            Assert.True(s.HandshakeMessages.OfType<CertificateMessage>().Single(m => m.Sender == TlsPeer.Client).IsEmpty);
            Assert.Contains("Set USERCID in CFTSSL SSLCLI01", s.Failure.Explanation);
            Assert.Contains("CN=CftSslTrace Test Root CA", s.Failure.Explanation);
        }

        [Fact]
        public void Resumption_TheSecondSessionIsAbbreviated()
        {
            var sessions = Fixtures.Sessions("real/tls12-resumption.client.log");
            Assert.False(sessions[0].Resumed);
            Assert.True(sessions[1].Resumed);
            Assert.Equal(sessions[1].HandshakeMessages.OfType<ClientHelloMessage>().Single().SessionId, sessions[1].HandshakeMessages.OfType<ServerHelloMessage>().Single().SessionId);
            Assert.DoesNotContain(sessions[1].HandshakeMessages, m => m is CertificateMessage);
            Assert.Equal("20020b", sessions[1].Ctx);
        }

        [Fact]
        public void LargeCertificate_SpansRecords_AndDecodesWhole()
        {
            var s = Fixtures.Sessions("real/tls12-large-certificate.server.log").Single();
            var frames = s.Frames.Where(f => f.Messages.StartsWith("Certificate")).ToList();
            Assert.Equal(new[] { "Certificate", "Certificate (continued)" }, frames.Select(f => f.Messages));
            Assert.Equal(16384, frames[0].Length);
            Assert.Equal(701, s.ServerCertificate.SubjectAlternativeNames.Count);
            Assert.NotNull(s.ServerCertificate.Thumbprint);
        }

        [Fact]
        public void ExpiredCertificate_NamesTheCertificateAndItsDates()
        {
            var s = Fixtures.Sessions("real/tls12-expired-certificate.client.log").Single();
            Assert.Equal(45, s.Failure.Code);
            Assert.Contains("'CN=expired.example.test, O=Example Bank, C=FR' (valid 2024-01-01 to 2024-01-02)", s.Failure.Explanation);
        }

        [Fact]
        public void VersionMismatch_PointsAtVersionSettings()
        {
            var s = Fixtures.Sessions("real/tls-version-mismatch.server.log").Single();
            Assert.Equal("protocol_version", s.Failure.Name);
            Assert.Equal(TlsPeer.Server, s.Failure.RaisedBy);
            Assert.Contains("cft.ssl.version_min", s.Failure.Explanation);
            Assert.Contains("the client offered TLS 1.3", s.Failure.Explanation);
        }

        [Fact]
        public void NoSharedCipher_PointsAtCiphlist_WithTheOfferedSuites()
        {
            var s = Fixtures.Sessions("real/tls12-no-shared-cipher.server.log").Single();
            Assert.Equal("after ClientHello from client", s.Failure.Step);
            Assert.Contains("CIPHLIST of CFTSSL SSLSRV01", s.Failure.Explanation);
            Assert.Contains("offered 47.", s.Failure.Explanation);
        }
    }
}
