using System.Management.Automation;

namespace CftSslTrace.PowerShell
{
    /// <summary>Export cmdlets: sessions from the pipeline, written to -Path or -LiteralPath (like Export-Csv).</summary>
    public abstract class OutputPathCmdlet : PSCmdlet
    {
        /// <summary>Where to write.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "LiteralPath")]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string LiteralPath { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>The file system path of -Path or -LiteralPath.</summary>
        protected string TargetPath => GetUnresolvedProviderPathFromPSPath(ParameterSetName == "Path" ? Path : LiteralPath);
    }
}
