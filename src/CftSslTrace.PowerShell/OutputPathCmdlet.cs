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

        /// <summary>-NoClobber of the commands that write one file: a terminating error when that file exists.</summary>
        protected void StopIfClobbering(bool noClobber, string file)
        {
            if (noClobber && System.IO.File.Exists(file))
                ThrowTerminatingError(new ErrorRecord(new System.IO.IOException("The file '" + file + "' already exists (-NoClobber)."), "FileExists", ErrorCategory.ResourceExists, file));
        }
    }
}
