using System.Management.Automation;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Turns CFT hex dump text (CFTY02Z lines, or bare dump lines pasted from an e-mail) into byte blocks.</para>
    /// </summary>
    [Cmdlet(VerbsData.ConvertFrom, "CftHexDump")]
    [OutputType(typeof(DumpBlock))]
    public sealed class ConvertFromCftHexDumpCommand : PSCmdlet
    {
        private HexDumpReader reader;
        private long line;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        public string[] InputObject { get; set; }

        /// <summary>Malformed dump lines become non-terminating errors (InvalidData) instead of warnings.</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        protected override void BeginProcessing()
        {
            report = new DiagnosticReport(this, Strict);
            reader = new HexDumpReader("<input>") { Diagnostic = report.Write };
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            foreach (var item in InputObject)
                foreach (var text in TextLines.Split(item ?? ""))
                    foreach (var b in reader.FeedLine(++line, text)) WriteObject(b);
        }

        protected override void EndProcessing()
        {
            foreach (var b in reader.Complete()) WriteObject(b);
            report.Flush();
        }

        private DiagnosticReport report;
    }
}
