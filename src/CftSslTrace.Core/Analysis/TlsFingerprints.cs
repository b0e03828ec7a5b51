using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CftSslTrace.Registry;
using CftSslTrace.Tls;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// JA3 / JA3S (Salesforce) and JA4 / JA4S (FoxIO) fingerprints of the hellos. GREASE values are ignored as the
    /// specifications say.
    /// </summary>
    /// <summary>The fingerprints of a session's hellos.</summary>
    internal sealed class HelloFingerprints
    {
        public string Ja3, Ja3Full, Ja3s, Ja3sFull, Ja4, Ja4Raw, Ja4S;
    }

    public static class TlsFingerprints
    {
        /// <summary>JA3 string: SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (decimal, '-' separated).</summary>
        public static string Ja3String(int version, IEnumerable<int> ciphers, IEnumerable<int> extensions, IEnumerable<int> groups, IEnumerable<int> pointFormats)
            => version.ToString(CultureInfo.InvariantCulture) + "," + Dec(ciphers) + "," + Dec(extensions) + "," + Dec(groups) + "," + Dec(pointFormats);

        /// <summary>JA3S string: SSLVersion,Cipher,Extensions.</summary>
        public static string Ja3sString(int version, int cipher, IEnumerable<int> extensions)
            => version.ToString(CultureInfo.InvariantCulture) + "," + cipher.ToString(CultureInfo.InvariantCulture) + "," + Dec(extensions);

        public static string Md5(string text)
        {
            using (var md5 = MD5.Create()) return Hex(md5.ComputeHash(Encoding.ASCII.GetBytes(text)));
        }

        /// <summary>JA4 and its raw form (JA4_r), per the FoxIO specification.</summary>
        public static string Ja4(char transport, IList<int> supportedVersions, int helloVersion, bool sni, IList<int> ciphers, IList<int> extensions, string firstAlpn, IList<int> signatureAlgorithms, out string raw)
        {
            var cs = ciphers.Where(c => !TlsRegistry.IsGrease(c)).ToList();
            var ext = extensions.Where(e => !TlsRegistry.IsGrease(e)).ToList();
            var sv = supportedVersions?.Where(v => !TlsRegistry.IsGrease(v)).ToList();
            int version = sv != null && sv.Count > 0 ? sv.Max() : helloVersion;
            string a = transport + VersionCode(version) + (sni ? "d" : "i") + Count(cs.Count) + Count(ext.Count) + AlpnCode(firstAlpn);
            string cipherList = string.Join(",", cs.Select(H4).OrderBy(x => x, StringComparer.Ordinal));
            string extList = string.Join(",", ext.Where(e => e != 0x0000 && e != 0x0010).Select(H4).OrderBy(x => x, StringComparer.Ordinal));
            var sig = signatureAlgorithms?.Where(v => !TlsRegistry.IsGrease(v)).Select(H4).ToList() ?? new List<string>();
            string extAndSig = sig.Count > 0 ? extList + "_" + string.Join(",", sig) : extList;
            raw = a + "_" + cipherList + "_" + extAndSig;
            string b = cs.Count == 0 ? "000000000000" : Sha256Prefix(cipherList);
            string c = ext.Count == 0 ? "000000000000" : Sha256Prefix(extAndSig);
            return a + "_" + b + "_" + c;
        }

        /// <summary>JA4S and its raw form, per the FoxIO specification.</summary>
        public static string Ja4S(char transport, int? selectedVersion, int serverVersion, int cipher, IList<int> extensions, string alpn, out string raw)
        {
            var ext = extensions.Where(e => !TlsRegistry.IsGrease(e)).ToList();
            string a = transport + VersionCode(selectedVersion ?? serverVersion) + Count(ext.Count) + AlpnCode(alpn);
            string list = string.Join(",", ext.Select(H4));
            raw = a + "_" + H4(cipher) + "_" + list;
            return a + "_" + H4(cipher) + "_" + (ext.Count == 0 ? "000000000000" : Sha256Prefix(list));
        }

        internal static HelloFingerprints Compute(ClientHelloMessage ch, ServerHelloMessage sh)
        {
            var s = new HelloFingerprints();
            if (ch != null && !ch.IsSslV2Format && ch.Extensions != null && ch.CipherSuites != null && ch.DecodeError == null && !ch.Truncated)
            {
                var exts = ch.Extensions.Select(e => e.Type).Where(t => !TlsRegistry.IsGrease(t)).ToList();
                s.Ja3Full = Ja3String(ch.ClientVersionValue, ch.CipherSuites.Select(c => c.Id).Where(c => !TlsRegistry.IsGrease(c)), exts,
                    Raw(ch, 10).Where(g => !TlsRegistry.IsGrease(g)), Raw(ch, 11));
                s.Ja3 = Md5(s.Ja3Full);
                s.Ja4 = Ja4('t', Raw(ch, 43), ch.ClientVersionValue, ch.Extensions.Any(e => e.Type == 0), ch.CipherSuites.Select(c => c.Id).ToList(),
                    ch.Extensions.Select(e => e.Type).ToList(), ch.Alpn.Count > 0 ? ch.Alpn[0] : null, Raw(ch, 13), out string raw);
                s.Ja4Raw = raw;
            }
            if (sh != null && !sh.IsHelloRetryRequest && sh.CipherSuite != null && sh.DecodeError == null && !sh.Truncated)
            {
                var exts = sh.Extensions.Select(e => e.Type).Where(t => !TlsRegistry.IsGrease(t)).ToList();
                s.Ja3sFull = Ja3sString(sh.ServerVersionValue, sh.CipherSuite.Id, exts);
                s.Ja3s = Md5(s.Ja3sFull);
                s.Ja4S = Ja4S('t', sh.SelectedVersionValue, sh.ServerVersionValue, sh.CipherSuite.Id, sh.Extensions.Select(e => e.Type).ToList(), sh.Alpn, out _);
            }
            return s;
        }

        private static List<int> Raw(ClientHelloMessage ch, int type) => ch.Extensions.FirstOrDefault(e => e.Type == type)?.RawValues.ToList() ?? new List<int>();

        private static string VersionCode(int v)
        {
            switch (v)
            {
                case 0x0304: return "13"; case 0x0303: return "12"; case 0x0302: return "11"; case 0x0301: return "10";
                case 0x0300: return "s3"; case 0x0200: case 0x0002: return "s2"; case 0x0100: return "s1";
                case 0xFEFF: return "d1"; case 0xFEFD: return "d2"; case 0xFEFC: return "d3";
                default: return "00";
            }
        }

        private static string AlpnCode(string alpn)
        {
            if (string.IsNullOrEmpty(alpn)) return "00";
            char first = alpn[0], last = alpn[alpn.Length - 1];
            if (IsAlnum(first) && IsAlnum(last)) return first.ToString() + last;
            // non-alphanumeric: the first and last characters of the value's hex form
            string hex = Hex(Encoding.UTF8.GetBytes(alpn));
            return hex.Substring(0, 1) + hex.Substring(hex.Length - 1);
        }

        private static bool IsAlnum(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        private static string Count(int n) => Math.Min(n, 99).ToString("00", CultureInfo.InvariantCulture);
        private static string H4(int v) => v.ToString("x4", CultureInfo.InvariantCulture);
        private static string Dec(IEnumerable<int> values) => string.Join("-", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

        private static string Sha256Prefix(string text)
        {
            using (var sha = SHA256.Create()) return Hex(sha.ComputeHash(Encoding.ASCII.GetBytes(text))).Substring(0, 12);
        }

        private static string Hex(byte[] b)
        {
            var sb = new StringBuilder(b.Length * 2);
            foreach (var x in b) sb.Append(x.ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
