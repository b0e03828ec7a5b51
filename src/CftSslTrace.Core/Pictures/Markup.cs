using System;
using System.Globalization;
using System.Text;

namespace CftSslTrace.Pictures
{
    /// <summary>
    /// Escaping for HTML and SVG (XML): every text node and attribute value written by the report and the SVG pictures
    /// goes through here. Subjects, SNI, partner names and log text are data: &amp; &lt; &gt; " ' are escaped, control
    /// characters were already made visible by <see cref="Ladder.Clean"/>.
    /// </summary>
    public static class Markup
    {
        public static string Escape(string text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            text = Ladder.Clean(text);
            StringBuilder sb = null;
            for (int i = 0; i < text.Length; i++)
            {
                string r;
                switch (text[i])
                {
                    case '&': r = "&amp;"; break;
                    case '<': r = "&lt;"; break;
                    case '>': r = "&gt;"; break;
                    case '"': r = "&quot;"; break;
                    case '\'': r = "&#39;"; break;
                    default: r = null; break;
                }
                if (r != null)
                {
                    if (sb == null) sb = new StringBuilder(text, 0, i, text.Length + 16);
                    sb.Append(r);
                }
                else sb?.Append(text[i]);
            }
            return sb?.ToString() ?? text;
        }

        /// <summary>A number for SVG coordinates (invariant culture, at most two decimals).</summary>
        public static string Num(double value)
        {
            // most coordinates are whole pixels: their texts are made once (a ladder wrote ~150 numbers, a string each)
            if (value >= 0 && value < SmallNumbers.Length && value == Math.Floor(value) && BitConverter.DoubleToInt64Bits(value) != NegativeZero)
            {
                int i = (int)value;
                return SmallNumbers[i] ?? (SmallNumbers[i] = i.ToString(CultureInfo.InvariantCulture));
            }
            return value.ToString("0.##", CultureInfo.InvariantCulture);
        }

        private static readonly string[] SmallNumbers = new string[4096];
        private static readonly long NegativeZero = BitConverter.DoubleToInt64Bits(-0.0);

        private const int KeptCapacity = 1 << 18;

        /// <summary>
        /// A builder kept per thread by a picture that writes part of itself before the header that needs its size (the
        /// ladder's body, a description): taken from <paramref name="kept"/> (not shared with a nested call), or new.
        /// </summary>
        internal static StringBuilder Take(ref StringBuilder kept, int capacity)
        {
            var sb = kept ?? new StringBuilder(capacity);
            kept = null;
            return sb;
        }

        /// <summary>Gives a builder back, cleared; one grown beyond 256 K characters is let go.</summary>
        internal static void Keep(ref StringBuilder kept, StringBuilder sb)
        {
            sb.Clear();
            if (sb.Capacity <= KeptCapacity) kept = sb;
        }

        [ThreadStatic] private static char[] copyBuffer;

        /// <summary>Appends a builder's text to another (StringBuilder.Append(StringBuilder) is not in netstandard2.0): through a buffer, no string.</summary>
        internal static void Append(StringBuilder target, StringBuilder source)
        {
            var buffer = copyBuffer ?? (copyBuffer = new char[4096]);
            for (int i = 0; i < source.Length; i += buffer.Length)
            {
                int n = Math.Min(buffer.Length, source.Length - i);
                source.CopyTo(i, buffer, 0, n);
                target.Append(buffer, 0, n);
            }
        }

        /// <summary>An identifier fragment made of letters, digits and '-' only (for id attributes and anchors).</summary>
        public static string Id(string text)
        {
            var sb = new StringBuilder();
            foreach (char c in text ?? "")
                sb.Append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '-');
            return sb.ToString();
        }
    }
}
