using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CftSslTrace.Tls;

namespace CftSslTrace.X509
{
    /// <summary>
    /// An X.509 certificate as seen in a Certificate message, decoded by our own DER reader so that a certificate
    /// cut short by a truncated dump still shows every field that is present, identically on PowerShell 5.1 and 7.
    /// </summary>
    public sealed class CertificateInfo
    {
        private byte[] raw;
        private string lastCommonName;

        /// <summary>Position in the chain (0 = the peer's own certificate).</summary>
        public int Index { get; internal set; }
        public string Subject { get; private set; }
        /// <summary>The subject's common name (CN), if it has one.</summary>
        public string CommonName { get; private set; }
        public string Issuer { get; private set; }
        public string SerialNumber { get; private set; }
        public DateTime? NotBefore { get; private set; }
        public DateTime? NotAfter { get; private set; }
        public int? Version { get; private set; }
        public string PublicKeyAlgorithm { get; private set; }
        public int? KeySize { get; private set; }
        /// <summary>Named curve of an EC key (nistP256...).</summary>
        public string Curve { get; private set; }
        public string SignatureAlgorithm { get; private set; }
        public NamedList<string> SubjectAlternativeNames { get; } = new NamedList<string>();
        public bool? IsCertificateAuthority { get; private set; }
        public bool IsSelfIssued => Subject != null && Subject == Issuer;
        /// <summary>SHA-1 of the DER, upper-case hex as Windows shows it (only for a complete certificate).</summary>
        public string Thumbprint => Truncated ? null : thumbprint ?? (thumbprint = Hash(SHA1.Create()));
        public string Sha256Thumbprint => Truncated ? null : sha256Thumbprint ?? (sha256Thumbprint = Hash(SHA256.Create()));
        // computed on first use: most certificates of a large log are never looked at
        private string thumbprint, sha256Thumbprint;

        private string Hash(HashAlgorithm algorithm)
        {
            using (algorithm) { var h = algorithm.ComputeHash(raw); return DerReader.Hex(h, 0, h.Length); }
        }
        /// <summary>DER length announced in the Certificate message.</summary>
        public int Length { get; private set; }
        /// <summary>Bytes of it present in the trace.</summary>
        public int CapturedLength { get; private set; }
        public bool Truncated => CapturedLength < Length;
        /// <summary>Why decoding stopped early, if it did.</summary>
        public string DecodeError { get; private set; }

        /// <summary>The DER bytes present (all of them when not truncated).</summary>
        public byte[] GetRawData() => (byte[])raw.Clone();

        /// <summary>The certificate in PEM form; null when truncated.</summary>
        public string ToPem()
        {
            if (Truncated) return null;
            var b64 = Convert.ToBase64String(raw);
            var sb = new StringBuilder("-----BEGIN CERTIFICATE-----\n");
            for (int i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
            return sb.Append("-----END CERTIFICATE-----\n").ToString();
        }

        /// <summary>The certificate as X509Certificate2; null when truncated.</summary>
        public X509Certificate2 ToX509Certificate2() => Truncated ? null : new X509Certificate2(raw);

        public override string ToString() => Subject ?? (Truncated ? "(truncated certificate)" : "(certificate)");

        /// <summary>The same certificate at another position of a chain.</summary>
        public static CertificateInfo Decode(byte[] der, int announcedLength)
        {
            var c = new CertificateInfo { raw = der, Length = announcedLength, CapturedLength = der.Length };
            try
            {
                c.Parse();
            }
            catch (TlsDecodeException e) { c.DecodeError = e.Message; }
            catch (Exception e) when (e is ArgumentException || e is FormatException || e is OverflowException || e is IndexOutOfRangeException) { c.DecodeError = e.Message; }
            return c;
        }

        private void Parse()
        {
            var top = new DerReader(raw, 0, raw.Length);
            var cert = top.Expect(0x30, "Certificate");
            var cr = new DerReader(raw, cert);
            var tbs = cr.Expect(0x30, "TBSCertificate");
            var t = new DerReader(raw, tbs);
            if (t.PeekTag == 0xA0)
            {
                var v = t.Read();
                var vr = new DerReader(raw, v);
                var vi = vr.Expect(0x02, "version");
                Version = raw[vi.ContentStart] + 1;
            }
            else Version = 1;
            var serial = t.Expect(0x02, "serialNumber");
            SerialNumber = DerReader.Hex(raw, serial.ContentStart, serial.Available);
            if (!serial.Complete) throw new TlsDecodeException("truncated serialNumber");
            var sigAlg = t.Expect(0x30, "signature");
            SignatureAlgorithm = Oids.Name(DerReader.Oid(raw, new DerReader(raw, sigAlg).Expect(0x06, "signature algorithm")));
            Issuer = Name(t.Expect(0x30, "issuer"));
            var validity = t.Expect(0x30, "validity");
            var vrd = new DerReader(raw, validity);
            NotBefore = DerReader.Time(raw, vrd.Read());
            NotAfter = DerReader.Time(raw, vrd.Read());
            lastCommonName = null;
            Subject = Name(t.Expect(0x30, "subject"));
            CommonName = lastCommonName;
            PublicKey(t.Expect(0x30, "subjectPublicKeyInfo"));
            while (t.HasMore)
            {
                var e = t.Read();
                if (e.Tag == 0xA3) Extensions(e);
            }
        }

        private string Name(DerElement name)
        {
            var parts = new List<string>();
            var r = new DerReader(raw, name);
            while (r.HasMore)
            {
                var set = r.Read();
                var sr = new DerReader(raw, set);
                var multi = new List<string>();
                while (sr.HasMore)
                {
                    var atv = new DerReader(raw, sr.Expect(0x30, "AttributeTypeAndValue"));
                    string type = Oids.Name(DerReader.Oid(raw, atv.Expect(0x06, "attribute type")));
                    var value = atv.Read();
                    string text = DerReader.Text(raw, value);
                    if (type == "CN") lastCommonName = text;
                    multi.Add(type + "=" + Quote(text));
                }
                parts.Add(string.Join(" + ", multi));
            }
            if (!name.Complete) throw new TlsDecodeException("truncated name");
            parts.Reverse(); // most specific first, as Windows and .NET display it
            return string.Join(", ", parts);
        }

        private static string Quote(string v)
        {
            if (v.Length == 0) return v;
            if (v.IndexOfAny(new[] { ',', '+', '=', '"', '\n', '<', '>', '#', ';' }) >= 0 || v[0] == ' ' || v[v.Length - 1] == ' ')
                return "\"" + v.Replace("\"", "\"\"") + "\"";
            return v;
        }

        private void PublicKey(DerElement spki)
        {
            var r = new DerReader(raw, spki);
            var alg = new DerReader(raw, r.Expect(0x30, "algorithm"));
            string oid = DerReader.Oid(raw, alg.Expect(0x06, "key algorithm"));
            PublicKeyAlgorithm = Oids.Name(oid);
            DerElement? parameters = alg.HasMore ? alg.Read() : (DerElement?)null;
            var key = r.Expect(0x03, "subjectPublicKey");
            switch (PublicKeyAlgorithm)
            {
                case "RSA":
                case "RSASSA-PSS":
                    {
                        var kr = new DerReader(raw, key.ContentStart + 1, key.ContentStart + key.Available);
                        var seq = new DerReader(raw, kr.Expect(0x30, "RSAPublicKey"));
                        var mod = seq.Expect(0x02, "modulus");
                        if (!mod.Complete) throw new TlsDecodeException("truncated RSA modulus");
                        KeySize = IntegerBits(mod);
                        break;
                    }
                case "ECC":
                    if (parameters.HasValue && parameters.Value.Tag == 0x06)
                    {
                        string curve = DerReader.Oid(raw, parameters.Value);
                        Curve = Oids.Name(curve);
                        KeySize = Oids.CurveBits(curve);
                    }
                    break;
                case "Ed25519": KeySize = 256; break;
                case "Ed448": KeySize = 456; break;
                case "DSA":
                case "DH":
                    if (parameters.HasValue && parameters.Value.Tag == 0x30)
                    {
                        var pr = new DerReader(raw, parameters.Value);
                        KeySize = IntegerBits(pr.Expect(0x02, "p"));
                    }
                    break;
            }
        }

        private int IntegerBits(DerElement i)
        {
            int start = i.ContentStart, len = i.Length;
            while (len > 0 && raw[start] == 0) { start++; len--; }
            if (len == 0) return 0;
            int bits = (len - 1) * 8, top = raw[start];
            while (top > 0) { bits++; top >>= 1; }
            return bits;
        }

        private void Extensions(DerElement wrapper)
        {
            var seq = new DerReader(raw, new DerReader(raw, wrapper).Expect(0x30, "extensions"));
            while (seq.HasMore)
            {
                var ext = new DerReader(raw, seq.Expect(0x30, "extension"));
                string oid = DerReader.Oid(raw, ext.Expect(0x06, "extnID"));
                var next = ext.Read();
                if (next.Tag == 0x01) next = ext.Read(); // critical
                if (next.Tag != 0x04 || !next.Complete) continue;
                var inner = new DerReader(raw, next);
                if (oid == "2.5.29.17") AltNames(inner.Expect(0x30, "GeneralNames"));
                else if (oid == "2.5.29.19")
                {
                    var bc = new DerReader(raw, inner.Expect(0x30, "BasicConstraints"));
                    IsCertificateAuthority = bc.HasMore && bc.PeekTag == 0x01 && raw[bc.Read().ContentStart] != 0;
                }
            }
        }

        private void AltNames(DerElement names)
        {
            var r = new DerReader(raw, names);
            while (r.HasMore)
            {
                var n = r.Read();
                switch (n.Tag)
                {
                    case 0x82: SubjectAlternativeNames.Add("DNS:" + Encoding.ASCII.GetString(raw, n.ContentStart, n.Available)); break;
                    case 0x81: SubjectAlternativeNames.Add("Email:" + Encoding.ASCII.GetString(raw, n.ContentStart, n.Available)); break;
                    case 0x86: SubjectAlternativeNames.Add("URI:" + Encoding.ASCII.GetString(raw, n.ContentStart, n.Available)); break;
                    case 0x87: SubjectAlternativeNames.Add("IP:" + IpText(n)); break;
                    case 0xA4: SubjectAlternativeNames.Add("DirName:" + Name(new DerReader(raw, n).Expect(0x30, "directoryName"))); break;
                    default: SubjectAlternativeNames.Add("Other:" + DerReader.Hex(raw, n.ContentStart, n.Available)); break;
                }
            }
        }

        private string IpText(DerElement n)
        {
            if (n.Length == 4) return string.Join(".", raw[n.ContentStart], raw[n.ContentStart + 1], raw[n.ContentStart + 2], raw[n.ContentStart + 3]);
            if (n.Length == 16)
            {
                var bytes = new byte[16];
                Buffer.BlockCopy(raw, n.ContentStart, bytes, 0, 16);
                return new System.Net.IPAddress(bytes).ToString();
            }
            return DerReader.Hex(raw, n.ContentStart, n.Available);
        }

        /// <summary>Decodes a DER-encoded X.501 Name (as in CertificateRequest's certificate_authorities).</summary>
        public static string DecodeName(byte[] der)
        {
            var c = new CertificateInfo { raw = der };
            try
            {
                var r = new DerReader(der, 0, der.Length);
                return c.Name(r.Expect(0x30, "Name"));
            }
            catch (TlsDecodeException) { return "#" + DerReader.Hex(der, 0, der.Length); }
        }
    }
}
