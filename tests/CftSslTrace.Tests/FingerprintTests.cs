using System.Linq;
using CftSslTrace.Analysis;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>JA3/JA3S and JA4/JA4S on the worked examples of their specifications.</summary>
    public class FingerprintTests
    {
        private static int[] H(string list) => list.Split(',').Select(x => System.Convert.ToInt32(x, 16)).ToArray();

        // FoxIO JA4 specification, "Example" section
        private static readonly int[] SpecCiphers = H("1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035");
        private static readonly int[] SpecExtensions = H("001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015");
        private static readonly int[] SpecSigAlgs = H("0403,0804,0401,0503,0805,0501,0806,0601");

        [Fact]
        public void Ja4_SpecificationExample()
        {
            string ja4 = TlsFingerprints.Ja4('t', new[] { 0x0304, 0x0303 }, 0x0303, true, SpecCiphers, SpecExtensions, "h2", SpecSigAlgs, out string raw);
            Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", ja4);
            Assert.Equal("t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601", raw);
        }

        [Fact]
        public void Ja4_WithoutSignatureAlgorithms_HasNoUnderscore()
        {
            string ja4 = TlsFingerprints.Ja4('t', new[] { 0x0304 }, 0x0303, true, SpecCiphers, SpecExtensions, "h2", new int[0], out _);
            Assert.EndsWith("_6d807ffa2a79", ja4);
        }

        [Fact]
        public void Ja4_IgnoresGrease_CountsAndVersions()
        {
            var ciphers = new[] { 0x0A0A }.Concat(SpecCiphers).ToArray();
            var exts = new[] { 0x2A2A }.Concat(SpecExtensions).Concat(new[] { 0xFAFA }).ToArray();
            string ja4 = TlsFingerprints.Ja4('t', new[] { 0x7A7A, 0x0304, 0x0303 }, 0x0303, true, ciphers, exts, "h2", SpecSigAlgs, out _);
            Assert.Equal("t13d1516h2_8daaf6152771_e5627efa2ab1", ja4);
            Assert.StartsWith("t12i", TlsFingerprints.Ja4('t', null, 0x0303, false, SpecCiphers, SpecExtensions, "http/1.1", SpecSigAlgs, out _));
            Assert.StartsWith("t10i151600", TlsFingerprints.Ja4('t', null, 0x0301, false, SpecCiphers, SpecExtensions, null, SpecSigAlgs, out _));
            Assert.StartsWith("t12i1516h1", TlsFingerprints.Ja4('t', null, 0x0303, false, SpecCiphers, SpecExtensions, "http/1.1", SpecSigAlgs, out _));
        }

        [Fact]
        public void Ja4S_SpecificationExample()
        {
            string ja4s = TlsFingerprints.Ja4S('t', null, 0x0303, 0xC030, H("0005,0017,ff01,0000"), null, out string raw);
            Assert.Equal("t120400_c030_4e8089b08790", ja4s);
            Assert.Equal("t120400_c030_0005,0017,ff01,0000", raw);
        }

        [Fact]
        public void Ja3_KnownString_AndHash()
        {
            // A published Chrome ClientHello (JA3 string with its MD5), GREASE already removed from the string.
            string ja3 = TlsFingerprints.Ja3String(771,
                new[] { 4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53 },
                new[] { 45, 51, 16, 65037, 23, 17613, 0, 11, 10, 43, 65281, 35, 18, 5, 13, 27 },
                new[] { 4588, 29, 23, 24 }, new[] { 0 });
            Assert.Equal("771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0", ja3);
            Assert.Equal("98487aa16281980e7d1120d399efb6a4", TlsFingerprints.Md5(ja3));
        }

        [Fact]
        public void Sessions_CarryTheirFingerprints()
        {
            var s = Fixtures.Sessions("real/tls12-ecdhe-rsa-mutual.client.log").Single();
            Assert.Matches("^[0-9a-f]{32}$", s.Ja3);
            Assert.StartsWith("771,", s.Ja3Full);
            Assert.Equal(TlsFingerprints.Md5(s.Ja3Full), s.Ja3);
            Assert.StartsWith("771,49199,", s.Ja3sFull);
            Assert.Matches(@"^t12d\d{4}pt_[0-9a-f]{12}_[0-9a-f]{12}$", s.Ja4); // ALPN "pesit": p..t
            Assert.Matches(@"^t12\d{2}pt_c02f_[0-9a-f]{12}$", s.Ja4S);
            var tls13 = Fixtures.Sessions("real/tls13-server-auth.client.log").Single();
            Assert.StartsWith("t13d", tls13.Ja4);
            Assert.StartsWith("t13", tls13.Ja4S);
            var doc = Fixtures.Sessions("doc/doc-simple-auth-client.log").Single();
            Assert.Equal("769,47-10-9-1-2,,,", doc.Ja3Full);
            Assert.Equal("t10i050000_" , doc.Ja4.Substring(0, 11));
        }
    }
}
