using System;
using System.IO;
using System.Management.Automation;
using CftSslTrace.Export;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Writes CFT sessions as a capture file (pcapng or pcap) that Wireshark and tshark open.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "CftSslPcap", SupportsShouldProcess = true, DefaultParameterSetName = "Path")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCftSslPcapCommand : OutputPathCmdlet
    {
        private FileStream stream;
        private PcapExporter exporter;
        private string target;
        private int sessions, frames;

        /// <summary>Sessions from Get-CftSslSession (handshakes and alerts; application data is counted, not kept), or frames from Get-CftSslFrame (every record).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; }

        /// <summary>Pcapng (default; per-packet comments with CTX and file:line) or Pcap for older tools. Default: from the extension.</summary>
        [Parameter]
        public CaptureFormat? Format { get; set; }

        /// <summary>Server port of the synthetic TCP connections (443: Wireshark decodes TLS without being told).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 443;

        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        protected override void BeginProcessing()
        {
            target = TargetPath;
            StopIfClobbering(NoClobber, target);
            if (!ShouldProcess(target, "Write capture file")) return;
            var format = Format ?? (target.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) ? CaptureFormat.Pcap : CaptureFormat.Pcapng);
            try
            {
                stream = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.Read);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is DirectoryNotFoundException)
            {
                ThrowTerminatingError(new ErrorRecord(e, "FileNotWritable", ErrorCategory.WriteError, target));
            }
            exporter = new PcapExporter(stream, format, Port) { Warning = WriteWarning };
        }

        protected override void ProcessRecord()
        {
            if (exporter == null || InputObject == null) return;
            foreach (var o in InputObject)
            {
                switch (o?.BaseObject)
                {
                    case CftSslSession s:
                        exporter.Write(s);
                        sessions++;
                        break;
                    case Tls.TlsFrame f:
                        exporter.Write(f);
                        frames++;
                        break;
                    case null:
                        break;
                    default:
                        WriteError(new ErrorRecord(new ArgumentException("Expected a session (Get-CftSslSession) or a frame (Get-CftSslFrame), got " + o.BaseObject.GetType().Name + "."), "UnexpectedInput", ErrorCategory.InvalidType, o));
                        break;
                }
            }
        }

        protected override void EndProcessing()
        {
            if (stream == null) return;
            exporter.Complete();
            stream.Dispose();
            WriteVerbose(target + ": " + sessions + " sessions, " + frames + " frames, " + exporter.Packets + " packets");
            if (PassThru) WriteObject(new FileInfo(target));
        }

        protected override void StopProcessing() => stream?.Dispose();
    }
}
