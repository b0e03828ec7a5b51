using CsCheck;
using System.Linq;
using CftSslTrace.Analysis;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>JA3/JA3S and JA4 on the worked examples of their specifications, and JA4 as FoxIO's own tools compute it.</summary>
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

        [Theory]
        [InlineData("h2", "h2")]
        [InlineData("http/1.1", "h1")]
        [InlineData("pesit", "pt")]
        [InlineData("a", "a0")]          // FoxIO: a missing last character is '0'
        [InlineData("x-", "x-")]         // any ASCII character as it is, alphanumeric or not
        [InlineData(null, "00")]
        [InlineData("", "00")]
        public void Ja4_Alpn_FirstAndLastCharacter(string alpn, string expected)
            => Assert.Equal(expected, TlsFingerprints.AlpnCode(alpn));

        [Theory]
        [InlineData(new byte[] { 0xBA, 0xAD }, "99")]          // not UTF-8: two replacement characters, each non-ASCII: '9' (FoxIO's Rust and Python; the spec's hex rule would give "bd")
        [InlineData(new byte[] { 0xC3, 0xA9 }, "90")]          // "é": one character, not ASCII
        [InlineData(new byte[] { 0x68, 0xFF, 0x32 }, "h2")]    // a bad byte inside does not matter
        [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80, 0x61 }, "9a")] // a character outside the BMP counts once
        [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, "90")]
        public void Ja4_Alpn_NonAsciiCountsAsNine_AsFoxIOsToolsDo(byte[] value, string expected)
        {
            // ALPN values are decoded as Wireshark shows them (UTF-8, U+FFFD for a byte that is not)
            string text = System.Text.Encoding.UTF8.GetString(value);
            Assert.Equal(expected, TlsFingerprints.AlpnCode(text));
        }

        [Fact]
        public void Ja4_AfterAHelloRetryRequest_IsTheFirstClientHellos_AndEveryHelloIsKept()
        {
            var s = Fixtures.Sessions("real/tls13-hello-retry.client.log").Single();
            var hellos = s.HandshakeMessages.OfType<Tls.ClientHelloMessage>().ToList();
            Assert.Equal(2, hellos.Count);
            Assert.Equal(2, s.ClientHelloFingerprints.Count);
            var first = TlsFingerprints.Of(hellos[0]);
            var second = TlsFingerprints.Of(hellos[1]);
            Assert.Equal(first.Ja4, s.Ja4);
            Assert.Equal(first.Ja3, s.Ja3);
            Assert.Equal(new[] { first.Ja4, second.Ja4 }, s.ClientHelloFingerprints.Select(f => f.Ja4));
            Assert.Equal(hellos[1].Line, s.ClientHelloFingerprints[1].Line);
            Assert.NotEqual(hellos[0].KeyShareGroups.ToString(), hellos[1].KeyShareGroups.ToString()); // X25519, then P-256 as the server asked
        }

        [Fact]
        public void Ja4_SortedLists_AreTheTextsSortedOrdinally_ForAnyValues()
        {
            // the lists are sorted as numbers (fast) where that sorts their four-digit texts: any lists, GREASE, SNI, ALPN,
            // duplicates and values outside 16 bits (read from a corrupt hello) give what sorting the texts gives
            var value = CsCheck.Gen.OneOf(CsCheck.Gen.Int[0, 0xFFFF], CsCheck.Gen.Const(0x0000), CsCheck.Gen.Const(0x0010), CsCheck.Gen.Const(0x0A0A), CsCheck.Gen.Const(0x1301),
                CsCheck.Gen.Int[-5, 0x2FFFF]);
            CsCheck.Gen.Select(value.Array[0, 40], value.Array[0, 30]).Sample((ciphers, extensions) =>
            {
                TlsFingerprints.Ja4('t', null, 0x0303, true, ciphers, extensions, "h2", new int[0], out string raw);
                string H4(int v) => v.ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
                string cs = string.Join(",", ciphers.Where(c => !Registry.TlsRegistry.IsGrease(c)).Select(H4).OrderBy(x => x, System.StringComparer.Ordinal));
                string ext = string.Join(",", extensions.Where(e => !Registry.TlsRegistry.IsGrease(e) && e != 0 && e != 0x10).Select(H4).OrderBy(x => x, System.StringComparer.Ordinal));
                Assert.Equal(cs + "_" + ext, raw.Substring(raw.IndexOf('_') + 1));
            }, iter: 2000);
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
            var tls13 = Fixtures.Sessions("real/tls13-server-auth.client.log").Single();
            Assert.StartsWith("t13d", tls13.Ja4);
            var doc = Fixtures.Sessions("doc/doc-simple-auth-client.log").Single();
            Assert.Equal("769,47-10-9-1-2,,,", doc.Ja3Full);
            Assert.Equal("t10i050000_" , doc.Ja4.Substring(0, 11));
        }
    }
}
