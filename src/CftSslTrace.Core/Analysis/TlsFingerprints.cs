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
    /// <summary>The fingerprints of one ClientHello: JA3 (Salesforce) and JA4 (FoxIO).</summary>
    public sealed class ClientHelloFingerprint
    {
        /// <summary>Log line of the record the ClientHello starts in.</summary>
        public long Line { get; internal set; }
        /// <summary>The MD5 of <see cref="Ja3Full"/>, made when first read (most reads never look at it: the partners of a log).</summary>
        public string Ja3
        {
            get => ja3 ?? (Ja3Full != null ? ja3 = TlsFingerprints.Md5(Ja3Full) : null);
            internal set => ja3 = value;
        }
        private string ja3;
        public string Ja3Full { get; internal set; }
        public string Ja4 { get; internal set; }
        public string Ja4Raw { get; internal set; }
        public override string ToString() => Ja4 ?? Ja3 ?? "";
    }

    /// <summary>The fingerprints of a session's hellos.</summary>
    internal sealed class HelloFingerprints
    {
        public ClientHelloFingerprint First;
        public NamedList<ClientHelloFingerprint> All = new NamedList<ClientHelloFingerprint>();
        public string Ja3sFull;
        private string ja3s;

        /// <summary>The MD5 of <see cref="Ja3sFull"/>, made when first read.</summary>
        public string Ja3s => ja3s ?? (Ja3sFull != null ? ja3s = TlsFingerprints.Md5(Ja3sFull) : null);
    }

    /// <summary>
    /// JA3 / JA3S (Salesforce, BSD-3-Clause) and JA4 (FoxIO, BSD-3-Clause) fingerprints of the hellos, computed as FoxIO's
    /// own tools compute JA4 (their Rust and Python implementations, from which JA4 databases are built). GREASE values are
    /// ignored as the specifications say. JA4S and the other JA4+ methods are under the FoxIO License 1.1, which is not
    /// permissive for commercial use: this module does not implement them.
    /// </summary>
    public static class TlsFingerprints
    {
        /// <summary>JA3 string: SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats (decimal, '-' separated).</summary>
        public static string Ja3String(int version, IEnumerable<int> ciphers, IEnumerable<int> extensions, IEnumerable<int> groups, IEnumerable<int> pointFormats)
            => Ja3String(version, ciphers, extensions, groups, pointFormats, withoutGrease: false);

        /// <summary>The JA3 string, GREASE left out of the suites, extensions and groups where asked (a hello's own lists); a list that is null is empty.</summary>
        private static string Ja3String(int version, IEnumerable<int> ciphers, IEnumerable<int> extensions, IEnumerable<int> groups, IEnumerable<int> pointFormats, bool withoutGrease)
        {
            var ja3 = new StringBuilder(256).Append(version.ToString(CultureInfo.InvariantCulture)).Append(',');
            AppendDecimal(ja3, ciphers, withoutGrease);
            ja3.Append(',');
            AppendDecimal(ja3, extensions, withoutGrease);
            ja3.Append(',');
            AppendDecimal(ja3, groups, withoutGrease);
            ja3.Append(',');
            AppendDecimal(ja3, pointFormats, false);
            return ja3.ToString();
        }

        /// <summary>JA3S string: SSLVersion,Cipher,Extensions.</summary>
        public static string Ja3sString(int version, int cipher, IEnumerable<int> extensions)
        {
            var ja3s = new StringBuilder(64).Append(version.ToString(CultureInfo.InvariantCulture)).Append(',').Append(cipher.ToString(CultureInfo.InvariantCulture)).Append(',');
            AppendDecimal(ja3s, extensions, false);
            return ja3s.ToString();
        }

        public static string Md5(string text)
            => Remembered(ref md5Done, text, t => X509.DerReader.Hex((md5 ?? (md5 = MD5.Create())).ComputeHash(Encoding.ASCII.GetBytes(t)), 0, 16, lowercase: true));

        // one hash object per thread, made once: making one for each hash was a sixth of the time of the partners of a log
        // of handshakes (each session's JA3, JA3S and JA4)
        [ThreadStatic] private static MD5 md5;
        [ThreadStatic] private static SHA256 sha256;

        // the hashes of the texts hashed last, per thread: a CFT server's partners run a handful of TLS stacks, so sessions
        // repeat a few hellos; hashing through the platform's crypto library cost ~3 us each, two or three per session
        // (with the sort below, a JA4 of a 30-suite hello: 8-13 us and 6.9 KB -> 7 us and 4 KB)
        [ThreadStatic] private static Dictionary<string, string> md5Done, sha256Done;
        private const int RememberedHashes = 1024;

        private static string Remembered(ref Dictionary<string, string> done, string text, Func<string, string> hash)
        {
            if (done == null) done = new Dictionary<string, string>(StringComparer.Ordinal);
            else if (done.TryGetValue(text, out var known)) return known;
            if (done.Count >= RememberedHashes) done.Clear(); // many distinct hellos: bounded, as before
            string h = hash(text);
            done[text] = h;
            return h;
        }

        /// <summary>JA4 and its raw form (JA4_r), per the FoxIO specification.</summary>
        public static string Ja4(char transport, IList<int> supportedVersions, int helloVersion, bool sni, IList<int> ciphers, IList<int> extensions, string firstAlpn, IList<int> signatureAlgorithms, out string raw)
        {
            var cs = ciphers.Where(c => !TlsRegistry.IsGrease(c)).ToList();
            var ext = extensions.Where(e => !TlsRegistry.IsGrease(e)).ToList();
            var sv = supportedVersions?.Where(v => !TlsRegistry.IsGrease(v)).ToList();
            int version = sv != null && sv.Count > 0 ? sv.Max() : helloVersion;
            string a = transport + VersionCode(version) + (sni ? "d" : "i") + Count(cs.Count) + Count(ext.Count) + AlpnCode(firstAlpn);
            string cipherList = SortedHexList(cs, false);
            string extList = SortedHexList(ext, true);
            string extAndSig = extList;
            if (signatureAlgorithms != null)
            {
                StringBuilder sig = null;
                foreach (int v in signatureAlgorithms)
                {
                    if (TlsRegistry.IsGrease(v)) continue;
                    if (sig == null) sig = new StringBuilder(extList.Length + 1 + signatureAlgorithms.Count * 5).Append(extList).Append('_');
                    else sig.Append(',');
                    sig.Append(H4(v));
                }
                if (sig != null) extAndSig = sig.ToString();
            }
            raw = a + "_" + cipherList + "_" + extAndSig;
            string b = cs.Count == 0 ? "000000000000" : Sha256Prefix(cipherList);
            string c = ext.Count == 0 ? "000000000000" : Sha256Prefix(extAndSig);
            return a + "_" + b + "_" + c;
        }

        /// <summary>
        /// A session's fingerprints: the client's is its first ClientHello's (after a HelloRetryRequest the client sends a
        /// second one; FoxIO's tools report the first as the client's JA4), every ClientHello's is kept in order.
        /// </summary>
        internal static HelloFingerprints Compute(IEnumerable<ClientHelloMessage> clientHellos, ServerHelloMessage sh)
        {
            var s = new HelloFingerprints();
            foreach (var ch in clientHellos)
            {
                var f = Of(ch);
                if (f == null) continue;
                s.All.Add(f);
                if (s.First == null) s.First = f;
            }
            if (sh != null && !sh.IsHelloRetryRequest && sh.CipherSuite != null && sh.DecodeError == null && !sh.Truncated)
            {
                var exts = sh.Extensions.Select(e => e.Type).Where(t => !TlsRegistry.IsGrease(t)).ToList();
                s.Ja3sFull = Ja3sString(sh.ServerVersionValue, sh.CipherSuite.Id, exts);
            }
            return s;
        }

        /// <summary>JA3 and JA4 of one ClientHello; null for a hello that cannot be fingerprinted (SSLv2 format, cut short, undecodable).</summary>
        internal static ClientHelloFingerprint Of(ClientHelloMessage ch)
        {
            if (ch == null || ch.IsSslV2Format || ch.Extensions == null || ch.CipherSuites == null || ch.DecodeError != null || ch.Truncated) return null;
            var f = new ClientHelloFingerprint { Line = ch.Line };
            // one pass over the hello's lists (LINQ made a list or an iterator for each of eight views of them)
            var suites = new List<int>(ch.CipherSuites.Count);
            foreach (var c in ch.CipherSuites) suites.Add(c.Id);
            var types = new List<int>(ch.Extensions.Count);
            TlsExtension groups = null, pointFormats = null, versions = null, signatures = null;
            bool sni = false;
            foreach (var e in ch.Extensions)
            {
                types.Add(e.Type);
                switch (e.Type)
                {
                    case 0: sni = true; break;
                    case 10: groups = groups ?? e; break;
                    case 11: pointFormats = pointFormats ?? e; break;
                    case 13: signatures = signatures ?? e; break;
                    case 43: versions = versions ?? e; break;
                }
            }
            f.Ja3Full = Ja3String(ch.ClientVersionValue, suites, types, groups?.RawValues, pointFormats?.RawValues, withoutGrease: true);
            f.Ja4 = Ja4('t', versions?.RawValues ?? NamedList<int>.None, ch.ClientVersionValue, sni, suites, types, ch.Alpn.Count > 0 ? ch.Alpn[0] : null,
                signatures?.RawValues ?? NamedList<int>.None, out string raw);
            f.Ja4Raw = raw;
            return f;
        }

        /// <summary>JA3's lists: decimal, '-' separated, GREASE left out where asked; nothing for null.</summary>
        private static void AppendDecimal(StringBuilder sb, IEnumerable<int> values, bool withoutGrease)
        {
            if (values == null) return;
            bool first = true;
            foreach (int v in values)
            {
                if (withoutGrease && TlsRegistry.IsGrease(v)) continue;
                if (!first) sb.Append('-');
                sb.Append(v.ToString(CultureInfo.InvariantCulture));
                first = false;
            }
        }

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

        /// <summary>
        /// The ALPN part of JA4 as FoxIO's tools compute it: the first and the last character of the first ALPN value as
        /// Wireshark shows it (UTF-8, a byte that is not UTF-8 as U+FFFD), a character that is not ASCII counting as '9',
        /// a missing one as '0' ("00" without ALPN; "a0" for the value "a"; 0xBA 0xAD gives "99"). The specification's
        /// text says "the first and last characters of the value's hex" for such values (which would give "bd"); JA4
        /// databases are built with FoxIO's tools, so this follows them.
        /// </summary>
        internal static string AlpnCode(string alpn)
        {
            if (string.IsNullOrEmpty(alpn)) return "00";
            int firstEnd = char.IsHighSurrogate(alpn[0]) && alpn.Length > 1 && char.IsLowSurrogate(alpn[1]) ? 2 : 1;
            char first = Ascii(alpn[0]);
            if (firstEnd >= alpn.Length) return first + "0";
            return first.ToString() + Ascii(alpn[alpn.Length - 1]);
        }

        private static char Ascii(char c) => c < 0x80 ? c : '9';
        private static string Count(int n) => Math.Min(n, 99).ToString("00", CultureInfo.InvariantCulture);
        private static string H4(int v) => v.ToString("x4", CultureInfo.InvariantCulture);

        /// <summary>
        /// JA4's sorted lists: four-digit lowercase hex, sorted as texts (ordinal), comma-separated; without SNI (0x0000)
        /// and ALPN (0x0010) for the extensions. For values of 0 to 0xffff, sorting the numbers sorts their texts (LINQ's
        /// OrderBy of the texts was a sixth of a report's time on sessions that never close); other values (not TLS's) as before.
        /// </summary>
        private static string SortedHexList(List<int> values, bool withoutSniAndAlpn)
        {
            var sorted = new int[values.Count];
            int n = 0;
            foreach (int v in values)
            {
                if (v < 0 || v > 0xFFFF)
                    return string.Join(",", values.Where(e => !withoutSniAndAlpn || (e != 0x0000 && e != 0x0010)).Select(H4).OrderBy(x => x, StringComparer.Ordinal));
                if (withoutSniAndAlpn && (v == 0x0000 || v == 0x0010)) continue;
                sorted[n++] = v;
            }
            Array.Sort(sorted, 0, n);
            var text = new char[Math.Max(0, n * 5 - 1)];
            for (int i = 0, p = 0; i < n; i++)
            {
                if (i > 0) text[p++] = ',';
                int v = sorted[i];
                text[p++] = HexDigits[v >> 12]; text[p++] = HexDigits[(v >> 8) & 0xF]; text[p++] = HexDigits[(v >> 4) & 0xF]; text[p++] = HexDigits[v & 0xF];
            }
            return new string(text);
        }

        private const string HexDigits = "0123456789abcdef";

        private static string Sha256Prefix(string text)
            => Remembered(ref sha256Done, text, t => X509.DerReader.Hex((sha256 ?? (sha256 = SHA256.Create())).ComputeHash(Encoding.ASCII.GetBytes(t)), 0, 6, lowercase: true));
    }
}
