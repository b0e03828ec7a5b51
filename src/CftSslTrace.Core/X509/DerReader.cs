using System;
using System.Globalization;
using System.Text;
using CftSslTrace.Tls;

namespace CftSslTrace.X509
{
    /// <summary>A DER element: tag, and its content's position in the buffer.</summary>
    internal struct DerElement
    {
        public int Tag;
        public int ContentStart;
        public int Length;
        /// <summary>Content bytes actually present (less than Length when the certificate is truncated).</summary>
        public int Available;
        public int End => ContentStart + Length;
        public bool Complete => Available == Length;
    }

    /// <summary>Minimal DER reader for X.509 (definite lengths only).</summary>
    internal sealed class DerReader
    {
        private readonly byte[] data;
        private int pos;
        private readonly int end;

        public DerReader(byte[] data, int start, int end) { this.data = data; pos = start; this.end = Math.Min(end, data.Length); }
        public DerReader(byte[] data, DerElement e) : this(data, e.ContentStart, e.ContentStart + e.Available) { }

        public bool HasMore => pos < end;
        public int PeekTag => pos < end ? data[pos] : -1;

        public DerElement Read()
        {
            if (pos + 2 > end) throw new TlsDecodeException("truncated DER header");
            int tag = data[pos++];
            int len = data[pos++];
            if ((len & 0x80) != 0)
            {
                int n = len & 0x7F;
                if (n == 0 || n > 4) throw new TlsDecodeException("unsupported DER length");
                if (pos + n > end) throw new TlsDecodeException("truncated DER length");
                len = 0;
                for (int i = 0; i < n; i++) len = (len << 8) | data[pos++];
                if (len < 0) throw new TlsDecodeException("bad DER length");
            }
            var e = new DerElement { Tag = tag, ContentStart = pos, Length = len, Available = Math.Min(len, end - pos) };
            pos += e.Available;
            return e;
        }

        public DerElement Expect(int tag, string what)
        {
            var e = Read();
            if (e.Tag != tag) throw new TlsDecodeException("unexpected DER tag 0x" + e.Tag.ToString("X2", CultureInfo.InvariantCulture) + " for " + what);
            return e;
        }

        public static string Oid(byte[] d, DerElement e)
        {
            if (!e.Complete || e.Length == 0) throw new TlsDecodeException("truncated OID");
            var sb = new StringBuilder();
            int first = d[e.ContentStart];
            sb.Append(first / 40 >= 2 ? 2 : first / 40).Append('.').Append(first / 40 >= 2 ? first - 80 : first % 40);
            long v = 0;
            for (int i = e.ContentStart + 1; i < e.End; i++)
            {
                v = (v << 7) | (long)(d[i] & 0x7F);
                if ((d[i] & 0x80) == 0) { sb.Append('.').Append(v.ToString(CultureInfo.InvariantCulture)); v = 0; }
            }
            return sb.ToString();
        }

        /// <summary>Bytes as hex, two digits each (uppercase, as thumbprints and serial numbers are shown; lowercase for fingerprints).</summary>
        public static string Hex(byte[] d, int start, int count, bool lowercase = false)
        {
            string digits = lowercase ? "0123456789abcdef" : "0123456789ABCDEF";
            var c = new char[count * 2];
            for (int i = 0; i < count; i++)
            {
                c[2 * i] = digits[d[start + i] >> 4];
                c[2 * i + 1] = digits[d[start + i] & 15];
            }
            return new string(c);
        }

        public static string Text(byte[] d, DerElement e)
        {
            switch (e.Tag)
            {
                case 0x0C: return Encoding.UTF8.GetString(d, e.ContentStart, e.Available);                 // UTF8String
                case 0x1E: return Encoding.BigEndianUnicode.GetString(d, e.ContentStart, e.Available & ~1); // BMPString
                case 0x13: case 0x16: case 0x1A: case 0x14: case 0x12:                                   // Printable, IA5, Visible, T61, Numeric
                    return Encoding.GetEncoding(28591).GetString(d, e.ContentStart, e.Available);
                default: return "#" + Hex(d, e.ContentStart, e.Available);
            }
        }

        public static DateTime? Time(byte[] d, DerElement e)
        {
            if (!e.Complete) return null;
            string s = Encoding.ASCII.GetString(d, e.ContentStart, e.Length);
            string[] formats = e.Tag == 0x17 ? new[] { "yyMMddHHmmssZ", "yyMMddHHmmZ" } : new[] { "yyyyMMddHHmmssZ", "yyyyMMddHHmmss.FFFFFFFZ" };
            if (e.Tag == 0x17 && s.Length >= 2)
            {
                // RFC 5280: YY >= 50 is 19YY, else 20YY (not the culture's two-digit-year window)
                int yy = int.Parse(s.Substring(0, 2), CultureInfo.InvariantCulture);
                s = (yy >= 50 ? "19" : "20") + s;
                formats = new[] { "yyyyMMddHHmmssZ", "yyyyMMddHHmmZ" };
            }
            if (DateTime.TryParseExact(s, formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
                return DateTime.SpecifyKind(t, DateTimeKind.Utc);
            return null;
        }
    }
}
