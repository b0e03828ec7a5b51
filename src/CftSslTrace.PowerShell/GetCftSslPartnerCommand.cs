using System;
using System.Collections.Generic;
using System.Management.Automation;
using CftSslTrace.Analysis;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Returns each partner of CFT once, with its sessions over time and what changed between them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftSslPartner", DefaultParameterSetName = "Path")]
    [OutputType(typeof(CftSslPartner))]
    public sealed class GetCftSslPartnerCommand : SessionInputCmdlet
    {
        // sessions read here (or in this shell, piped) are folded in the order they started, as they come: memory holds
        // the partners and the sessions open at once, not the day's sessions; copies (remoting, Import-Clixml) are kept
        private readonly PartnerHistoryBuilder history = new PartnerHistoryBuilder();

        /// <summary>Only partners in this state: Failing (the last session failed), Recovered, Established, Incomplete.</summary>
        [Parameter]
        [ValidateSet("Failing", "Recovered", "Established", "Incomplete", IgnoreCase = true)]
        public string[] Status { get; set; }

        protected override void OnSession(CftSslSession session) => history.Add(SessionFacts.Of(session), session);

        protected override void OnInputSession(CftSslSession session, PSObject item) => history.Add(SessionCopy.Facts(item), session);

        protected override void OnSessionCopy(PSObject item, SessionFacts facts) => history.Add(facts);

        protected override void EndProcessing()
        {
            base.EndProcessing();
            var partners = history.Partners();
            WriteVerbose(partners.Count + " partner(s); " + history.Order.Describe());
            foreach (var p in partners)
            {
                if (Status != null && Array.FindIndex(Status, x => string.Equals(x, p.Status, StringComparison.OrdinalIgnoreCase)) < 0) continue;
                WriteObject(p);
            }
        }
    }
}
