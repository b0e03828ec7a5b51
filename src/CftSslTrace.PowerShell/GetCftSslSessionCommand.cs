using System.Management.Automation;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Reads Transfer CFT logs and returns each SSL/TLS session, decoded.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftSslSession", DefaultParameterSetName = "Path")]
    [OutputType(typeof(CftSslSession))]
    public sealed class GetCftSslSessionCommand : SessionInputCmdlet
    {
        // (the frames of a session without times get the view without a Time column when read: SessionFrames)
        protected override void OnSession(CftSslSession session) => WriteObject(session);

        /// <summary>A copy of a session (another computer's, a file's) that passed the filters goes on as it is.</summary>
        protected override void OnSessionCopy(PSObject item, Analysis.SessionFacts facts) => WriteObject(item);
    }
}
