using System;
using System.Globalization;
using System.Text;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// What bytes that are not TLS look like: an HTTP request or answer, a PeSIT FPDU (CFT's own protocol without SSL),
    /// other text, or binary; with their first bytes as text and as hex, for an explanation.
    /// </summary>
    public sealed class NonTlsBytes
    {
        /// <summary>Http, PeSIT, Text or Binary.</summary>
        public string Kind { get; private set; }
        /// <summary>What they are, in words: "an HTTP answer (HTTP/1.0 400)", "a PeSIT CONNECT FPDU"...</summary>
        public string Description { get; private set; }
        /// <summary>The first bytes as text (printable ASCII, others as '.'), at most 64.</summary>
        public string Text { get; private set; }
        /// <summary>The first bytes in hex, at most 16.</summary>
        public string Hex { get; private set; }

        public bool LooksLikePlainText => Kind != "Binary";

        // PeSIT FPDU types (phase byte 0x40, type byte): the connection phase, what a partner sends first
        private static string PesitFpdu(int phase, int type)
        {
            if (phase != 0x40) return null;
            switch (type)
            {
                case 0x20: return "CONNECT";
                case 0x21: return "ACONNECT";
                case 0x22: return "RCONNECT";
                case 0x23: return "RELEASE";
                case 0x24: return "RELCONF";
                case 0x25: return "ABORT";
                default: return null;
            }
        }

        public static NonTlsBytes Classify(byte[] bytes, int count)
        {
            count = Math.Min(count, bytes?.Length ?? 0);
            var r = new NonTlsBytes { Text = Printable(bytes, count, 64), Hex = HexOf(bytes, count, 16) };
            string head = Encoding.ASCII.GetString(bytes ?? new byte[0], 0, Math.Min(count, 16));
            if (head.StartsWith("HTTP/1.", StringComparison.Ordinal) || head.StartsWith("HTTP/2", StringComparison.Ordinal))
            {
                string status = FirstLine(bytes, count);
                r.Kind = "Http"; r.Description = "an HTTP answer (" + status + ")";
                return r;
            }
            string lower = head.TrimStart().ToLowerInvariant();
            if (lower.StartsWith("<!doctype html", StringComparison.Ordinal) || lower.StartsWith("<html", StringComparison.Ordinal))
            {
                r.Kind = "Http"; r.Description = "an HTML page (an HTTP server answering without a status line)";
                return r;
            }
            foreach (var verb in new[] { "GET ", "POST ", "HEAD ", "PUT ", "CONNECT ", "OPTIONS ", "DELETE " })
                if (head.StartsWith(verb, StringComparison.Ordinal))
                {
                    r.Kind = "Http"; r.Description = "an HTTP request (" + FirstLine(bytes, count) + ")";
                    return r;
                }
            // PeSIT: a 2-byte length (the FPDU's, or the FPDU's plus a 2-byte prefix) then phase and type
            foreach (int at in new[] { 2, 4 })
            {
                if (count < at + 2) continue;
                string fpdu = PesitFpdu(bytes[at], bytes[at + 1]);
                if (fpdu == null) continue;
                int li = (bytes[at - 2] << 8) | bytes[at - 1];
                if (li >= 6 && li <= 32768)
                {
                    r.Kind = "PeSIT"; r.Description = "a PeSIT " + fpdu + " FPDU (PeSIT without SSL)";
                    return r;
                }
            }
            int printable = 0, n = Math.Min(count, 64);
            for (int i = 0; i < n; i++) if (IsText(bytes[i])) printable++;
            if (n > 0 && printable * 10 >= n * 9)
            {
                r.Kind = "Text"; r.Description = "text (" + Quote(r.Text, 40) + ")";
                return r;
            }
            r.Kind = "Binary"; r.Description = "binary data";
            return r;
        }

        private static bool IsText(byte b) => (b >= 0x20 && b < 0x7F) || b == (byte)'\r' || b == (byte)'\n' || b == (byte)'\t';

        private static string FirstLine(byte[] bytes, int count)
        {
            int n = 0;
            while (n < count && n < 80 && bytes[n] != (byte)'\r' && bytes[n] != (byte)'\n') n++;
            return Printable(bytes, n, 80);
        }

        private static string Printable(byte[] bytes, int count, int max)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < Math.Min(count, max); i++)
            {
                byte b = bytes[i];
                sb.Append(b >= 0x20 && b < 0x7F ? (char)b : b == (byte)'\r' || b == (byte)'\n' ? ' ' : '.');
            }
            return sb.ToString().Trim();
        }

        private static string HexOf(byte[] bytes, int count, int max)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < Math.Min(count, max); i++)
            {
                if (i > 0) sb.Append(' ');
                sb.Append(bytes[i].ToString("X2", CultureInfo.InvariantCulture));
            }
            return sb.ToString();
        }

        internal static string Quote(string s, int max) => "'" + (s.Length > max ? s.Substring(0, max) + "..." : s) + "'";

        public override string ToString() => Description;
    }
}
