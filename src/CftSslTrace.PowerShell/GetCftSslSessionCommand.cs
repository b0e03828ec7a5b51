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
        protected override void OnSession(CftSslSession session)
        {
            if (session.StartTime == null) MarkFramesWithoutTime(session);
            WriteObject(session);
        }

        /// <summary>A copy of a session (another computer's, a file's) that passed the filters goes on as it is.</summary>
        protected override void OnSessionCopy(PSObject item, Analysis.SessionFacts facts) => WriteObject(item);

        /// <summary>
        /// A session whose lines carry no time: its frames ($session.Frames) show in the table without an empty Time
        /// column, as Get-CftSslFrame shows them (PowerShell keeps a type name given to an object for its lifetime).
        /// </summary>
        internal static void MarkFramesWithoutTime(CftSslSession session)
        {
            foreach (var f in session.Frames)
                if (f.Time.HasValue) return;
            foreach (var f in session.Frames)
            {
                var names = PSObject.AsPSObject(f).TypeNames;
                if (names.Count == 0 || names[0] != GetCftSslFrameCommand.WithoutTimeTypeName) names.Insert(0, GetCftSslFrameCommand.WithoutTimeTypeName);
            }
        }
    }
}
