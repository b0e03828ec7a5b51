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
        protected override void OnSession(CftSslSession session) => WriteObject(session);
    }
}
