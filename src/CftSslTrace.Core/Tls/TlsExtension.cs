namespace CftSslTrace.Tls
{
    /// <summary>One extension of a hello (or EncryptedExtensions, CertificateRequest, NewSessionTicket).</summary>
    public sealed class TlsExtension
    {
        public int Type { get; internal set; }
        public string Name { get; internal set; }
        public int Length { get; internal set; }
        /// <summary>The decoded content in words ("h2, http/1.1", "x25519 (32-byte key)"); empty when the extension has none.</summary>
        public string Value { get; internal set; }
        /// <summary>The decoded list items (protocols, versions, groups, schemes, names) when the extension holds a list.</summary>
        public NamedList<string> Items { get; internal set; } = new NamedList<string>();

        /// <summary>The list's wire values, for fingerprints (groups, point formats, signature schemes, versions).</summary>
        public NamedList<int> RawValues { get; } = new NamedList<int>();

        public override string ToString() => string.IsNullOrEmpty(Value) ? Name : Name + "=" + Value;
    }
}
