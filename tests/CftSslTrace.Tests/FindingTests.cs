using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CftSslTrace.Analysis;
using CftSslTrace.Registry;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>Security findings from the ratings table, on real sessions and on certificates made for the case.</summary>
    public class FindingTests
    {
        [Fact]
        public void RatingsTable_EveryRowHasASource_AndTheSuiteRulesRateAsDocumented()
        {
            Assert.All(SecurityRatings.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Source), r.ToString()));
            string Rate(int id) => TlsRegistry.GetCipherSuite(id).Strength;
            Assert.Equal("Insecure", Rate(0x0002)); // NULL
            Assert.Equal("Insecure", Rate(0x0005)); // RC4
            Assert.Equal("Insecure", Rate(0x0009)); // DES
            Assert.Equal("Insecure", Rate(0x0003)); // EXPORT
            Assert.Equal("Insecure", Rate(0x0034)); // anon
            Assert.Equal("Weak", Rate(0x000A));     // 3DES
            Assert.Equal("Weak", Rate(0x002F));     // no forward secrecy
            Assert.Equal("Weak", Rate(0xC013));     // ECDHE, CBC, SHA-1
            Assert.Equal("Secure", Rate(0xC027));   // ECDHE, CBC, SHA-256
            Assert.Equal("Recommended", Rate(0xC02F));
            Assert.Equal("Recommended", Rate(0x1302));
        }

        [Fact]
        public void RealSessions_FindingsOfVersionSuiteAndExpiredCertificate()
        {
            // judged the day after the recording: the fixtures' certificates (825 days, recorded 2026-11-24) expire in 2029,
            // and a session's Findings are judged today (CERT_EXPIRED_SINCE, CERT_EXPIRING)
            List<SecurityFinding> FindingsOf(Sessions.CftSslSession s) => SecurityAudit.Of(s, s.StartTime.Value.AddDays(1));
            var tls10 = Fixtures.Sessions("real/tls10-rsa-aes128.client.log").Single();
            Assert.Equal(new[] { "VERSION_NEGOTIATED", "SUITE_NEGOTIATED" }, FindingsOf(tls10).Select(f => f.Code));
            Assert.All(FindingsOf(tls10), f => Assert.Equal(FindingSeverity.Medium, f.Severity));
            Assert.Equal("RFC 8996", FindingsOf(tls10)[0].Source);
            var expired = Fixtures.Sessions("real/tls12-expired-certificate.client.log").Single();
            var f0 = Assert.Single(FindingsOf(expired), f => f.Severity > FindingSeverity.Info);
            Assert.Equal("CERT_EXPIRED", f0.Code);
            Assert.Equal(FindingSeverity.High, expired.Severity);
            // OpenSSL offers CBC suites with SHA-1 for compatibility: one informational finding names them
            var offered = Assert.Single(FindingsOf(expired), f => f.Code == "SUITE_OFFERED");
            Assert.Equal(FindingSeverity.Info, offered.Severity);
            Assert.Matches(@"^\d+ weak suite\(s\) offered by the client", offered.Text);
            Assert.DoesNotContain(FindingsOf(Fixtures.Sessions("real/tls13-mutual.client.log").Single()), f => f.Severity > FindingSeverity.Info);
        }

        private static X509Certificate2 Make(string cn, Func<X509Certificate2, X509Certificate2> _ = null, int rsaBits = 2048, HashAlgorithmName? hash = null, int daysLeft = 365, bool ca = false)
        {
            using var key = RSA.Create(rsaBits);
            var req = new CertificateRequest("CN=" + cn, key, hash ?? HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
            return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(daysLeft));
        }

        private static X509Certificate2 Issue(string cn, X509Certificate2 issuer, RSA issuerKey, int rsaBits, HashAlgorithmName hash, int daysLeft)
        {
            using var key = RSA.Create(rsaBits);
            var req = new CertificateRequest("CN=" + cn, key, hash, RSASignaturePadding.Pkcs1);
            X509SignatureGenerator generator = hash == HashAlgorithmName.SHA1 ? new Sha1RsaGenerator(issuerKey) : X509SignatureGenerator.CreateForRSA(issuerKey, RSASignaturePadding.Pkcs1);
            return req.Create(issuer.SubjectName, generator, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(daysLeft), new byte[] { 1, 2, 3, 4 });
        }

        /// <summary>sha1WithRSAEncryption, which .NET no longer offers for new certificates (a partner's old certificate).</summary>
        private sealed class Sha1RsaGenerator : X509SignatureGenerator
        {
            private readonly RSA key;
            public Sha1RsaGenerator(RSA key) { this.key = key; }
            public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) => Convert.FromHexString("300D06092A864886F70D0101050500");
            public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => key.SignData(data, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1);
            protected override PublicKey BuildPublicKey() => X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1).PublicKey;
        }

        /// <summary>A client trace: a ClientHello, then the server's ServerHello (TLS 1.2, suite 0xC02F, no renegotiation_info) and Certificate.</summary>
        private static CftSslSession Session(params X509Certificate2[] chain)
        {
            byte[] Record(byte type, byte[] body) => new byte[] { 0x16, 3, 3, (byte)((body.Length + 4) >> 8), (byte)(body.Length + 4), type, (byte)(body.Length >> 16), (byte)(body.Length >> 8), (byte)body.Length }.Concat(body).ToArray();
            var ch = Convert.FromHexString("0303" + new string('1', 64) + "00" + "0004C02F00FF" + "0100" + "0000");
            var sh = Convert.FromHexString("0303" + new string('2', 64) + "00" + "C02F" + "00" + "0000");
            var list = chain.SelectMany(c => new[] { (byte)(c.RawData.Length >> 16), (byte)(c.RawData.Length >> 8), (byte)c.RawData.Length }.Concat(c.RawData)).ToArray();
            var cert = new[] { (byte)(list.Length >> 16), (byte)(list.Length >> 8), (byte)list.Length }.Concat(list).ToArray();
            // the session a day ago: its certificates are made from now on (valid from ten days ago); a fixed date made
            // them "not yet valid" at the session's time ten days after it (CERT_EXPIRED for CERT_EXPIRING)
            string at = DateTime.Now.AddDays(-1).ToString("yy/MM/dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
            var sb = new StringBuilder("00 " + at + " CFTY19I PART=P1 SSL=S1 opening client session CTX=2000f1 on task PID=1\n");
            void Block(byte[] rec, bool sent)
            {
                sb.Append("00 " + at + " CFTY02Z>> CTX=2000f1 " + (sent ? "SSLact()_ " + rec.Length + " HANDSHAKE DATA SENDING" : "ndata()_ " + rec.Length + " HANDSHAKE DATA RECEIVED FROM NETWORK") + "\n");
                for (int i = 0; i < rec.Length; i += 16) sb.Append("00 " + at + " CFTY02Z>> CTX=2000f1 " + Convert.ToHexString(rec, i, Math.Min(16, rec.Length - i)) + "\n");
            }
            Block(Record(1, ch), true);
            Block(Record(2, sh), false);
            Block(Record(11, cert), false);
            return Fixtures.SessionsFromText(sb.ToString()).Single();
        }

        [Fact]
        public void Certificates_ShortKey_Sha1Signature_ExpiringSoon_SelfSigned_AndNoSecureRenegotiation()
        {
            using var caKey = RSA.Create(2048);
            var caReq = new CertificateRequest("CN=Findings Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(5));
            var leaf = Issue("weak.example.test", ca, caKey, 1024, HashAlgorithmName.SHA1, 10);
            var s = Session(leaf, ca);
            var codes = s.Findings.Select(f => f.Code).ToList();
            Assert.Contains("KEY_TOO_SHORT", codes);
            Assert.Contains("WEAK_SIGNATURE", codes);
            Assert.Contains("CERT_EXPIRING", codes);
            Assert.Contains("NO_RENEGOTIATION_INFO", codes);
            Assert.DoesNotContain("SELF_SIGNED", codes); // a CA root is self-signed by nature
            Assert.Equal(FindingSeverity.High, s.Severity); // the 1024-bit key
            var key = s.Findings.Single(f => f.Code == "KEY_TOO_SHORT");
            Assert.Equal("CN=weak.example.test", key.Subject);
            Assert.Contains("RSA 1024 bits", key.Text);
            Assert.Contains("in 10 days", s.Findings.Single(f => f.Code == "CERT_EXPIRING").Text);
            Assert.Equal(s.Findings.OrderByDescending(f => f.Severity).Select(f => f.Code), codes); // most serious first

            var self = Session(Make("self.example.test"));
            Assert.Contains(self.Findings, f => f.Code == "SELF_SIGNED" && f.Severity == FindingSeverity.Medium);
        }
    }
}
