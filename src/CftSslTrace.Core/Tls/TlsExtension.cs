namespace CftSslTrace.Tls
{
    /// <summary>One extension of a hello (or EncryptedExtensions, CertificateRequest, NewSessionTicket).</summary>
    public sealed class TlsExtension
    {
        public int Type { get; internal set; }
        public string Name { get; internal set; }
        public int Length { get; internal set; }
        /// <summary>The decoded content in words ("h2, http/1.1", "x25519 (32-byte key)"); empty when the extension has none.</summary>
        public string Value
        {
            get => value ?? (valueIsItems ? Items.ToString() : null);
            internal set { this.value = value; valueIsItems = false; }
        }
        private string value;
        private bool valueIsItems;

        /// <summary>The value is the items joined (made when read: a hello's lists are seldom read as text).</summary>
        internal void ValueIsItems() { value = null; valueIsItems = true; }
        /// <summary>The decoded list items (protocols, versions, groups, schemes, names) when the extension holds a list.</summary>
        public NamedList<string> Items
        {
            get
            {
                if (items == null && namer != null && rawValues != null)
                {
                    var names = new NamedList<string>();
                    foreach (var v in rawValues) names.Add(namer(v));
                    items = names;
                }
                return items ?? NamedList<string>.None;
            }
        }
        private System.Func<int, string> namer;

        /// <summary>The items are the names of the wire values, made when first read (a hello's long lists of groups, schemes, versions).</summary>
        internal void ItemsNamedBy(System.Func<int, string> name) => namer = name;

        /// <summary>The list's wire values, for fingerprints (groups, point formats, signature schemes, versions).</summary>
        public NamedList<int> RawValues => rawValues ?? NamedList<int>.None;

        // made with their first item: most extensions hold no list, and a hello holds a dozen extensions (sessions that
        // stay open long hold their hellos)
        private NamedList<string> items;
        private NamedList<int> rawValues;

        internal void AddItem(string item) => (items ?? (items = new NamedList<string>())).Add(item);
        internal void AddRawValue(int value) => (rawValues ?? (rawValues = new NamedList<int>())).Add(value);

        public override string ToString()
        {
            string v = Value;
            return string.IsNullOrEmpty(v) ? Name : Name + "=" + v;
        }
    }
}
