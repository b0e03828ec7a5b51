using System.Management.Automation;
using CftSslTrace.Registry;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Shows the table that rates versions, cipher suites, keys, signatures and certificates in the sessions' findings, with the source of each rating.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftSslSecurityRating")]
    [OutputType(typeof(SecurityRating))]
    public sealed class GetCftSslSecurityRatingCommand : PSCmdlet
    {
        /// <summary>Only rows of these kinds: suite, rating, version, offered, key, signature, certificate, renegotiation.</summary>
        [Parameter(Position = 0)]
        [ValidateSet("suite", "rating", "version", "offered", "key", "signature", "certificate", "renegotiation", IgnoreCase = true)]
        public string[] Kind { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var r in SecurityRatings.All)
                if (Kind == null || System.Array.Exists(Kind, k => string.Equals(k, r.Kind, System.StringComparison.OrdinalIgnoreCase))) WriteObject(r);
        }
    }
}
