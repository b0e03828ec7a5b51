using System.Linq;
using CftSslTrace.Registry;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>The IANA registries built from the embedded CSV files, checked against the RFCs.</summary>
    public class RegistryTests
    {
        [Theory]
        [InlineData(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA", "RSA", "RSA", "AES_128_CBC", "SHA1", "SSL 3.0")]
        [InlineData(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "RSA", "RSA", "3DES_EDE_CBC", "SHA1", "SSL 3.0")]
        [InlineData(0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE", "RSA", "AES_128_GCM", "AEAD", "TLS 1.2")]
        [InlineData(0xC02C, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE", "ECDSA", "AES_256_GCM", "AEAD", "TLS 1.2")]
        [InlineData(0x009E, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "DHE", "RSA", "AES_128_GCM", "AEAD", "TLS 1.2")]
        [InlineData(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256", "RSA", "RSA", "AES_256_CBC", "SHA256", "TLS 1.2")]
        [InlineData(0xCCA8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE", "RSA", "CHACHA20_POLY1305", "AEAD", "TLS 1.2")]
        [InlineData(0x1301, "TLS_AES_128_GCM_SHA256", "Any (TLS 1.3)", "Any (TLS 1.3)", "AES_128_GCM", "AEAD", "TLS 1.3")]
        [InlineData(0x1303, "TLS_CHACHA20_POLY1305_SHA256", "Any (TLS 1.3)", "Any (TLS 1.3)", "CHACHA20_POLY1305", "AEAD", "TLS 1.3")]
        [InlineData(0x0001, "TLS_RSA_WITH_NULL_MD5", "RSA", "RSA", "NULL", "MD5", "SSL 3.0")]
        [InlineData(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5", "DH", "None (anonymous)", "RC4_128", "MD5", "SSL 3.0")]
        [InlineData(0x00A8, "TLS_PSK_WITH_AES_128_GCM_SHA256", "PSK", "PSK", "AES_128_GCM", "AEAD", "TLS 1.2")]
        public void CipherSuites_NamesAndParts(int id, string name, string kx, string auth, string enc, string mac, string min)
        {
            var s = TlsRegistry.GetCipherSuite(id);
            Assert.Equal(name, s.Name);
            Assert.Equal(kx, s.KeyExchange);
            Assert.Equal(auth, s.Authentication);
            Assert.Equal(enc, s.Encryption);
            Assert.Equal(mac, s.Mac);
            Assert.Equal(min, s.MinimumVersion);
            Assert.Equal("0x" + id.ToString("X4"), s.Hex);
            Assert.True(s.IsKnown);
        }

        [Fact]
        public void CipherSuites_TheWholeRegistry()
        {
            var all = TlsRegistry.CipherSuites.ToList();
            Assert.True(all.Count >= 350, all.Count + " suites");
            Assert.All(all, s => { Assert.StartsWith("TLS_", s.Name); Assert.NotNull(s.KeyExchange); Assert.NotNull(s.Encryption); Assert.NotNull(s.Mac); });
            Assert.Equal("TLS_EMPTY_RENEGOTIATION_INFO_SCSV", TlsRegistry.CipherSuiteName(0x00FF));
            Assert.Equal("TLS_FALLBACK_SCSV", TlsRegistry.CipherSuiteName(0x5600));
            Assert.Equal("GREASE", TlsRegistry.CipherSuiteName(0x1A1A));
            Assert.False(TlsRegistry.GetCipherSuite(0xFF77).IsKnown);
            Assert.Equal("Unknown(0xFF77)", TlsRegistry.CipherSuiteName(0xFF77));
        }

        [Theory]
        [InlineData(0, "close_notify")]
        [InlineData(40, "handshake_failure")]
        [InlineData(42, "bad_certificate")]
        [InlineData(48, "unknown_ca")]
        [InlineData(70, "protocol_version")]
        [InlineData(71, "insufficient_security")]
        [InlineData(116, "certificate_required")]
        [InlineData(120, "no_application_protocol")]
        [InlineData(121, "ech_required")]
        [InlineData(41, "no_certificate")]
        [InlineData(1, "Unknown(1)")]
        public void Alerts(int code, string name) => Assert.Equal(name, TlsRegistry.AlertName(code));

        [Theory]
        [InlineData(0, "server_name")]
        [InlineData(10, "supported_groups")]
        [InlineData(16, "application_layer_protocol_negotiation")]
        [InlineData(35, "session_ticket")]
        [InlineData(43, "supported_versions")]
        [InlineData(51, "key_share")]
        [InlineData(57, "quic_transport_parameters")]
        [InlineData(65281, "renegotiation_info")]
        [InlineData(65037, "encrypted_client_hello")]
        [InlineData(17513, "application_settings_old")]
        [InlineData(0x4A4A, "GREASE")]
        public void Extensions(int type, string name) => Assert.Equal(name, TlsRegistry.ExtensionName(type));

        [Theory]
        [InlineData(1, "ClientHello")]
        [InlineData(0, "HelloRequest")]
        [InlineData(4, "NewSessionTicket")]
        [InlineData(8, "EncryptedExtensions")]
        [InlineData(12, "ServerKeyExchange")]
        [InlineData(14, "ServerHelloDone")]
        [InlineData(16, "ClientKeyExchange")]
        [InlineData(20, "Finished")]
        [InlineData(22, "CertificateStatus")]
        [InlineData(24, "KeyUpdate")]
        [InlineData(254, "MessageHash")]
        public void HandshakeTypes_WithoutIanaSuffixes(int type, string name) => Assert.Equal(name, TlsRegistry.HandshakeTypeName(type));

        [Theory]
        [InlineData(23, "secp256r1")]
        [InlineData(29, "x25519")]
        [InlineData(256, "ffdhe2048")]
        [InlineData(0x11EC, "X25519MLKEM768")]
        public void Groups(int g, string name) => Assert.Equal(name, TlsRegistry.GroupName(g));

        [Theory]
        [InlineData(0x0401, "rsa_pkcs1_sha256")]
        [InlineData(0x0804, "rsa_pss_rsae_sha256")]
        [InlineData(0x0403, "ecdsa_secp256r1_sha256")]
        [InlineData(0x0807, "ed25519")]
        [InlineData(0x0303, "ecdsa_sha224")]
        [InlineData(0x0101, "rsa_md5")]
        public void SignatureSchemes_IncludingTls12Pairs(int v, string name) => Assert.Equal(name, TlsRegistry.SignatureSchemeName(v));

        [Theory]
        [InlineData(0x0300, "SSL 3.0")]
        [InlineData(0x0301, "TLS 1.0")]
        [InlineData(0x0304, "TLS 1.3")]
        [InlineData(0x7F1C, "TLS 1.3 draft 28")]
        [InlineData(0x0A0A, "GREASE")]
        public void Versions(int v, string name) => Assert.Equal(name, TlsRegistry.VersionName(v));
    }
}
