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
        private readonly List<SessionFacts> sessions = new List<SessionFacts>();
        private readonly FactsPool pool = new FactsPool();

        /// <summary>Only partners in this state: Failing (the last session failed), Recovered, Established, Incomplete.</summary>
        [Parameter]
        [ValidateSet("Failing", "Recovered", "Established", "Incomplete", IgnoreCase = true)]
        public string[] Status { get; set; }

        protected override void OnSession(CftSslSession session) => sessions.Add(pool.Share(SessionFacts.Of(session)));

        protected override void OnInputSession(CftSslSession session, PSObject item) => sessions.Add(pool.Share(SessionCopy.Facts(item)));

        protected override void OnSessionCopy(PSObject item, SessionFacts facts) => sessions.Add(pool.Share(facts));

        protected override void EndProcessing()
        {
            base.EndProcessing();
            foreach (var p in PartnerHistory.Of(sessions))
            {
                if (Status != null && Array.FindIndex(Status, x => string.Equals(x, p.Status, StringComparison.OrdinalIgnoreCase)) < 0) continue;
                WriteObject(p);
            }
        }
    }
}
