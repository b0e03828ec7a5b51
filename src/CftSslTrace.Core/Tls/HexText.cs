namespace CftSslTrace.Tls
{
    /// <summary>
    /// A field shown as hex (a hello's random, a session id): kept as its bytes and written as text when read, since a
    /// session that stays open holds its hellos and a 32-byte value is 56 bytes as an array, 150 as its text.
    /// </summary>
    internal struct HexText
    {
        private object value; // the text, or the bytes it is made from

        public static HexText Of(string text) => new HexText { value = text };
        public static HexText Of(byte[] bytes) => new HexText { value = bytes };

        public string Text => value as string ?? (value is byte[] b ? HandshakeDecoder.Hex(b) : null);

        /// <summary>How many bytes the value holds (without writing its text).</summary>
        public int ByteCount => value is byte[] b ? b.Length : value is string t ? t.Length / 2 : 0;

        /// <summary>The same value (without writing either as text when both are bytes).</summary>
        public bool SameAs(HexText other)
        {
            if (value is byte[] a && other.value is byte[] b) return a.Length == b.Length && Reading.AsciiBytes.Same(a, 0, b, 0, a.Length);
            return string.Equals(Text, other.Text, System.StringComparison.OrdinalIgnoreCase);
        }
    }
}
