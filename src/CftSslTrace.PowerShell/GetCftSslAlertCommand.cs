using System;
using System.Linq;
using System.Management.Automation;
using CftSslTrace.Registry;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Looks up TLS alerts by number (CFT's CR= value, DIAGP "PKI nnn") or name, with what to check in CFT.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftSslAlert", DefaultParameterSetName = "All")]
    [OutputType(typeof(AlertDefinition))]
    public sealed class GetCftSslAlertCommand : PSCmdlet
    {
        /// <summary>Alert number: CR= in CFTY13E/CFTY30E, nnn in "PKI nnn".</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Code", ValueFromPipeline = true)]
        [Alias("CR")]
        public int[] Code { get; set; }

        /// <summary>Alert name, wildcards allowed (*certificate*).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AlertNameCompleter))]
        public string[] Name { get; set; }

        protected override void ProcessRecord()
        {
            var all = TlsRegistry.AlertDefinitions;
            if (ParameterSetName == "Code")
            {
                foreach (var c in Code)
                {
                    var a = all.FirstOrDefault(x => x.Code == c);
                    if (a != null) WriteObject(a);
                    else WriteError(new ErrorRecord(new ItemNotFoundException("No TLS alert has the number " + c + (c == 1 ? " (CFT uses CR=1 with [TLSPARSE] for a parse error, not an alert)" : "") + "."), "AlertNotFound", ErrorCategory.ObjectNotFound, c));
                }
                return;
            }
            var patterns = Wildcards.Compile(Name);
            foreach (var a in all)
                if (Wildcards.Any(patterns, a.Name)) WriteObject(a);
        }
    }
}
