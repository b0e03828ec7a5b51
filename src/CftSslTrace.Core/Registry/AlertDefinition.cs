namespace CftSslTrace.Registry
{
    /// <summary>A TLS alert of the IANA registry (CFT's CR= value), what it means and where to look in CFT.</summary>
    public sealed class AlertDefinition
    {
        /// <summary>Alert description number: CFT's CR=, and nnn in DIAGP "PKI nnn".</summary>
        public int Code { get; internal set; }
        public string Name { get; internal set; }
        public string Meaning { get; internal set; }
        /// <summary>What to check in the CFT configuration.</summary>
        public string CftHint { get; internal set; }

        public override string ToString() => Name + " (" + Code + ")";
    }
}
