using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Text;
using CftSslTrace.Export;
using CftSslTrace.Sessions;
using CftSslTrace.X509;

namespace CftSslTrace.PowerShell
{
    public enum CertificateFileFormat { Der, Pem }

    /// <summary>
    /// <para type="synopsis">Writes the certificates seen in CFT sessions (server and client chains) to files.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "CftSslCertificate", SupportsShouldProcess = true, DefaultParameterSetName = "Path")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportCftSslCertificateCommand : OutputPathCmdlet
    {
        private readonly HashSet<string> written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private string folder;

        /// <summary>Sessions from Get-CftSslSession, or certificates (their ServerCertificates / ClientCertificates).</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; }

        /// <summary>Der (.cer, default) or Pem (.pem).</summary>
        [Parameter]
        public CertificateFileFormat Format { get; set; } = CertificateFileFormat.Der;

        protected override void BeginProcessing()
        {
            folder = TargetPath;
        }

        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            foreach (var o in InputObject)
            {
                switch (o?.BaseObject)
                {
                    case CftSslSession s:
                        foreach (var c in s.ServerCertificates) Export(c, s.SessionId);
                        foreach (var c in s.ClientCertificates) Export(c, s.SessionId);
                        break;
                    case CertificateInfo c:
                        Export(c, null);
                        break;
                    case null:
                        break;
                    default:
                        WriteError(new ErrorRecord(new ArgumentException("Expected a session (Get-CftSslSession) or a certificate, got " + o.BaseObject.GetType().Name + "."), "UnexpectedInput", ErrorCategory.InvalidType, o));
                        break;
                }
            }
        }

        private void Export(CertificateInfo cert, string session)
        {
            string where = (session != null ? session + ": " : "") + "certificate " + cert.Index + " of the chain";
            if (cert.Length == 0 || cert.CapturedLength == 0)
            {
                WriteWarning(where + " is empty and is not written.");
                return;
            }
            if (cert.Truncated)
            {
                WriteWarning(where + " (" + (cert.Subject ?? "no subject decoded") + ") is truncated in the trace (" + cert.CapturedLength + " of " + cert.Length + " bytes) and is not written.");
                return;
            }
            if (cert.Subject == null && cert.DecodeError != null)
            {
                WriteWarning(where + " is not a certificate (" + cert.DecodeError + ") and is not written.");
                return;
            }
            if (!written.Add(cert.Thumbprint)) return;
            string file = System.IO.Path.Combine(folder, CertificateFileName.For(cert, Format == CertificateFileFormat.Pem ? ".pem" : ".cer"));
            if (IsLink(file))
            {
                // the file name comes from the partner's certificate: never write through a link planted under that name
                WriteError(new ErrorRecord(new IOException("'" + file + "' is a symbolic link or junction: the certificate " + cert.Subject + " is not written through it."),
                    "TargetIsLink", ErrorCategory.SecurityError, file));
                return;
            }
            if (!ShouldProcess(file, "Write certificate " + cert.Subject)) return;
            try
            {
                Directory.CreateDirectory(folder);
                if (Format == CertificateFileFormat.Pem) File.WriteAllText(file, cert.ToPem(), new UTF8Encoding(false));
                else File.WriteAllBytes(file, cert.GetRawData());
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "CertificateNotWritten", ErrorCategory.WriteError, file));
                return;
            }
            if (PassThru) WriteObject(new FileInfo(file));
        }

        /// <summary>A link (symbolic link, junction) stands at the path, dangling or not.</summary>
        private static bool IsLink(string path)
        {
            try
            {
                var info = new FileInfo(path);
                info.Refresh();
                return (int)info.Attributes != -1 && (info.Attributes & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return false;
            }
        }
    }
}
