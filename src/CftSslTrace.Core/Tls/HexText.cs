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
    }
}
