using System;
using System.Linq;
using System.Management.Automation;
using CftSslTrace.Registry;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Looks up TLS cipher suites by CFT's decimal number (CIPHLIST, CIPHER=), by hex value or by name.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftCipherSuite", DefaultParameterSetName = "All")]
    [OutputType(typeof(CipherSuiteInfo))]
    public sealed class GetCftCipherSuiteCommand : PSCmdlet
    {
        /// <summary>Decimal number as in CIPHLIST (47), or hex (0x002F).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Id", ValueFromPipeline = true)]
        [Alias("CipherSuiteId", "Cipher")]
        public int[] Id { get; set; }

        /// <summary>IANA or OpenSSL name, wildcards allowed (*GCM*, ECDHE-RSA-*).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(CipherSuiteNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>Only suites of these strengths.</summary>
        [Parameter]
        [ValidateSet("Insecure", "Weak", "Secure", "Recommended", "Signalling", "Unknown", IgnoreCase = true)]
        public string[] Strength { get; set; }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == "Id")
            {
                foreach (var id in Id)
                {
                    if (id < 0 || id > 0xFFFF)
                    {
                        WriteError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(Id), id, "A cipher suite number is between 0 and 65535 (0xFFFF)."), "CipherSuiteOutOfRange", ErrorCategory.InvalidArgument, id));
                        continue;
                    }
                    var s = TlsRegistry.GetCipherSuite(id);
                    if (StrengthMatches(s)) WriteObject(s);
                }
                return;
            }
            var patterns = Wildcards.Compile(Name);
            foreach (var s in TlsRegistry.CipherSuites.OrderBy(c => c.Id))
            {
                if (patterns != null && !Wildcards.Any(patterns, s.Name) && !Wildcards.Any(patterns, s.OpenSslName)) continue;
                if (StrengthMatches(s)) WriteObject(s);
            }
            if (patterns != null)
                foreach (var n in Name)
                    if (!WildcardPattern.ContainsWildcardCharacters(n) && !TlsRegistry.CipherSuites.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase) || string.Equals(s.OpenSslName, n, StringComparison.OrdinalIgnoreCase)))
                        WriteError(new ErrorRecord(new ItemNotFoundException("No cipher suite is named '" + n + "'."), "CipherSuiteNotFound", ErrorCategory.ObjectNotFound, n));
        }

        private bool StrengthMatches(CipherSuiteInfo s)
            => Strength == null || Strength.Any(x => string.Equals(x, s.Strength, StringComparison.OrdinalIgnoreCase));
    }
}
