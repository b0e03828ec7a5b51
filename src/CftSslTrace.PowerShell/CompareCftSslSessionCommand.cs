using System;
using System.Collections.Generic;
using System.Management.Automation;
using CftSslTrace.Analysis;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Compares TLS sessions aspect by aspect, and says which difference explains a failure, in CFT terms.</para>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "CftSslSession", DefaultParameterSetName = "Pipeline")]
    [OutputType(typeof(SessionDifference))]
    public sealed class CompareCftSslSessionCommand : PSCmdlet
    {
        // each failure against the last session that worked, as the sessions come (in the order they started): the
        // partners' last established sessions and the differences are held, not the sessions
        private FailureComparisons comparisons;

        /// <summary>The session to compare with (for example the last one that worked).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Pair")]
        [ValidateNotNull]
        public PSObject ReferenceSession { get; set; }

        /// <summary>The session compared (for example a failed one).</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Pair")]
        [ValidateNotNull]
        public PSObject DifferenceSession { get; set; }

        /// <summary>
        /// Sessions (from Get-CftSslSession, Invoke-Command, Import-Clixml): each failed one is compared with the last
        /// established session of the same partner, role and computer before it.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "Pipeline")]
        [AllowNull]
        public PSObject[] InputObject { get; set; }

        /// <summary>Every aspect, the equal ones too (a side-by-side of the two sessions).</summary>
        [Parameter]
        public SwitchParameter IncludeEqual { get; set; }

        // each failure's differences are written as soon as the failure is folded (in the order the sessions started): a
        // timeline, and nothing held but the partners' last established sessions and the sessions still out of order
        protected override void BeginProcessing() => comparisons = new FailureComparisons(IncludeEqual, d => { written++; WriteObject(d); });

        private long written;

        protected override void ProcessRecord()
        {
            if (ParameterSetName != "Pipeline" || InputObject == null) return;
            foreach (var o in InputObject)
            {
                if (o == null) continue;
                var f = SessionCopy.TryFacts(o);
                if (f == null)
                {
                    WriteError(new ErrorRecord(new ArgumentException("Not a session: " + o), "NotASession", ErrorCategory.InvalidArgument, o));
                    continue;
                }
                comparisons.Add(f, o.BaseObject as CftSslTrace.Sessions.CftSslSession);
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == "Pair")
            {
                var r = SessionCopy.TryFacts(ReferenceSession);
                var d = SessionCopy.TryFacts(DifferenceSession);
                if (r == null || d == null)
                {
                    WriteError(new ErrorRecord(new ArgumentException("-ReferenceSession and -DifferenceSession take sessions (Get-CftSslSession, Invoke-Command, Import-Clixml)."), "NotASession", ErrorCategory.InvalidArgument, r == null ? ReferenceSession : DifferenceSession));
                    return;
                }
                foreach (var x in SessionComparer.Compare(r, d, IncludeEqual)) WriteObject(x);
                return;
            }
            comparisons.All();
            WriteVerbose(comparisons.Sessions + " session(s); " + comparisons.Order.Describe());
            if (written == 0 && comparisons.Sessions > 0)
                WriteVerbose("no failed session follows an established session of the same partner, role and computer: nothing to compare (use -ReferenceSession and -DifferenceSession to compare two sessions)");
        }
    }
}
