using System;
using System.IO;
using System.Management.Automation;
using System.Text;
using CftSslTrace.Reports;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Writes CFT sessions as one self-contained HTML report: summary, failing partners and causes, partner histories, a sessions table, and per session its handshake ladder and certificate chains.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "CftSslReport", SupportsShouldProcess = true, DefaultParameterSetName = "Path")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCftSslReportCommand : OutputPathCmdlet
    {
        private HtmlReport report;
        private string target;

        /// <summary>Sessions from Get-CftSslSession (read in this shell: a copy from remoting or Import-Clixml lacks the handshake messages the pictures need).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; }

        /// <summary>The report's title (the page title and its heading). Default: "CFT SSL/TLS sessions".</summary>
        [Parameter]
        public string Title { get; set; }

        /// <summary>Which sessions get a section with their ladder and chains: Auto (every one up to 200 sessions, beyond that the first 500 failed and incomplete ones), All, Failed (failed and incomplete), None.</summary>
        [Parameter]
        public ReportDetail Detail { get; set; } = ReportDetail.Auto;

        /// <summary>Certificates that expire within this many days (or have expired) are marked in the certificates table and counted in the summary. Default: 30.</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int ExpiringWithin { get; set; } = 30;

        /// <summary>The day the certificates' days left are counted from (default: now): -AsOf '2027-01-31' shows what will have expired by then.</summary>
        [Parameter]
        public DateTime? AsOf { get; set; }

        /// <summary>Rows of the sessions table (default 20,000): beyond, the failed sessions first, then the incomplete ones, then the established ones, each in the order of the logs; the caption says how many of each. Every session still counts in the summary and the partners' charts.</summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TableLimit { get; set; } = HtmlReport.DefaultTableLimit;

        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void BeginProcessing()
        {
            target = TargetPath;
            StopIfClobbering(NoClobber, target);
            if (!ShouldProcess(target, "Write HTML report")) return;
            string folder = System.IO.Path.GetDirectoryName(target);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
                ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException("The folder '" + folder + "' does not exist."), "FolderNotFound", ErrorCategory.ObjectNotFound, folder));
            report = new HtmlReport(Title, Detail, ExpiringWithin, TableLimit, AsOf);
        }

        protected override void ProcessRecord()
        {
            if (report == null || InputObject == null) return;
            foreach (var o in InputObject)
            {
                switch (o?.BaseObject)
                {
                    case CftSslSession s:
                        report.Add(s);
                        break;
                    case null:
                        break;
                    default:
                        if (SessionCopy.IsSession(o))
                            WriteError(new ErrorRecord(new NotSupportedException("Export-CftSslReport needs sessions read in this shell: a copy from another computer or Import-Clixml ("
                                + SessionCopy.Facts(o).SessionId + ") lacks the handshake messages the ladder draws. Run Export-CftSslReport where the logs are (Invoke-Command) and copy the file."),
                                "SessionCopyNotSupported", ErrorCategory.InvalidArgument, o));
                        else
                            WriteError(new ErrorRecord(new ArgumentException("Expected a session (Get-CftSslSession), got " + o.BaseObject.GetType().Name + "."), "UnexpectedInput", ErrorCategory.InvalidType, o));
                        break;
                }
            }
        }

        protected override void EndProcessing()
        {
            if (report == null) return;
            using (report)
            {
                string temporary = target + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
                try
                {
                    using (var w = new StreamWriter(new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), new UTF8Encoding(false)))
                        report.WriteTo(w);
                    if (File.Exists(target)) File.Delete(target);
                    File.Move(temporary, target);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    try { File.Delete(temporary); } catch (Exception) { }
                    ThrowTerminatingError(new ErrorRecord(e, "FileNotWritable", ErrorCategory.WriteError, target));
                }
                WriteVerbose(target + ": " + report.Sessions + " sessions, " + report.Detailed + " with their own section" + (report.DetailNarrowed ? " (the failed and incomplete ones: more than " + HtmlReport.AutoDetailLimit + " sessions" + (report.LeftOut > 0 ? "; " + report.LeftOut + " more in the table only" : "") + ")" : ""));
            }
            if (PassThru) WriteObject(new FileInfo(target));
        }

        protected override void StopProcessing() => report?.Dispose();
    }
}
