using System;
using System.Management.Automation;
using CftSslTrace.Sessions;
using CftSslTrace.X509;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Returns each certificate seen in Transfer CFT logs once, with its validity, whose it is and where it was seen.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftSslCertificate", DefaultParameterSetName = "Path")]
    [OutputType(typeof(CftCertificate))]
    public sealed class GetCftSslCertificateCommand : SessionInputCmdlet
    {
        private CertificateInventory inventory;

        /// <summary>Only certificates that expire within this many days from now (or from -AsOf; expired ones included).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int? ExpiringWithin { get; set; }

        /// <summary>The day DaysLeft is counted from (default: now): -AsOf '2027-01-31' -ExpiringWithin 0 lists what will have expired by then.</summary>
        [Parameter]
        public DateTime? AsOf { get; set; }

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            inventory = new CertificateInventory(AsOf ?? DateTime.Now);
        }

        protected override void OnSession(CftSslSession session) => inventory.Add(session);

        protected override void EndProcessing()
        {
            base.EndProcessing();
            foreach (var c in inventory.Certificates)
            {
                if (ExpiringWithin.HasValue && !(c.DaysLeft.HasValue && c.DaysLeft.Value < ExpiringWithin.Value)) continue;
                WriteObject(c);
            }
            if (inventory.Skipped > 0) WriteVerbose(inventory.Skipped + " certificate(s) truncated in the traces could not be identified and are not listed.");
        }
    }
}
