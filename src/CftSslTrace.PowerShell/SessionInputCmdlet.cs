using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// Input shared by the cmdlets that read sessions: -Path (wildcards), -LiteralPath (PSPath from Get-ChildItem),
    /// or log text from the pipeline (Get-Content); filters -Ctx, -Partner, -Role, -Result. Streams: each session is
    /// handed to <see cref="OnSession"/> as soon as the reader has it.
    /// </summary>
    public abstract class SessionInputCmdlet : PSCmdlet
    {
        private const string PathSet = "Path", LiteralSet = "LiteralPath", TextSet = "Text";
        private SessionReader textReader;
        private long textLine;
        private WildcardPattern[] ctxPatterns, partnerPatterns;
        private readonly Stopwatch clock = new Stopwatch();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, HelpMessage = "CFT log files; wildcards allowed.")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LiteralSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true, HelpMessage = "Log lines, for example from Get-Content.")]
        [AllowEmptyString]
        [AllowNull]
        public string[] InputObject { get; set; }

        /// <summary>Only sessions whose CTX matches (wildcards).</summary>
        [Parameter]
        [SupportsWildcards]
        public string[] Ctx { get; set; }

        /// <summary>Only sessions whose partner (PART=, client) or protocol (PROT=, server) matches (wildcards).</summary>
        [Parameter]
        [SupportsWildcards]
        [Alias("Protocol")]
        public string[] Partner { get; set; }

        [Parameter]
        public SessionRole[] Role { get; set; }

        [Parameter]
        public SessionResult[] Result { get; set; }

        /// <summary>Only sessions that started at or after this time (sessions whose log lines carry no time are left out).</summary>
        [Parameter]
        public DateTime? After { get; set; }

        /// <summary>Only sessions that started before this time.</summary>
        [Parameter]
        public DateTime? Before { get; set; }

        /// <summary>Malformed trace lines become non-terminating errors (InvalidData) instead of warnings.</summary>
        [Parameter]
        public SwitchParameter Strict { get; set; }

        /// <summary>Files from this size on report progress (Write-Progress) by bytes read.</summary>
        public const long ProgressThreshold = 8L << 20;

        protected abstract void OnSession(CftSslSession session);

        protected override void BeginProcessing()
        {
            clock.Start();
            ctxPatterns = Wildcards.Compile(Ctx);
            partnerPatterns = Wildcards.Compile(Partner);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TextSet)
            {
                if (textReader == null) textReader = NewReader("<pipeline>");
                if (InputObject == null) return;
                foreach (var item in InputObject)
                    foreach (var line in Reading.LineSource.SplitLines(item ?? ""))
                        foreach (var s in textReader.FeedLine(++textLine, line)) Emit(s);
                return;
            }
            foreach (var file in ResolveFiles()) ReadFile(file);
        }

        protected override void EndProcessing()
        {
            if (textReader != null)
            {
                foreach (var s in textReader.Complete()) Emit(s);
                WriteVerbose("<pipeline>: " + textReader.Statistics + " in " + clock.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " s");
            }
        }

        private SessionReader NewReader(string name)
        {
            return new SessionReader(name) { Diagnostic = d => DiagnosticReport.Write(this, Strict, d) };
        }

        private void ReadFile(string file)
        {
            var started = clock.Elapsed;
            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is System.Security.SecurityException)
            {
                WriteError(new ErrorRecord(e, "FileUnreadable", ErrorCategory.ReadError, file));
                return;
            }
            using (stream)
            {
                var reader = NewReader(file);
                long length = stream.Length;
                string name = System.IO.Path.GetFileName(file);
                var lastReport = new Stopwatch();
                bool reported = false;
                Action<long> onBytes = length < ProgressThreshold ? (Action<long>)null : read =>
                {
                    if (reported && lastReport.ElapsedMilliseconds < 500) return;
                    lastReport.Restart();
                    reported = true;
                    WriteProgress(new ProgressRecord(1, "Reading CFT trace", name + ": " + (read >> 20) + " of " + (length >> 20) + " MB")
                    {
                        PercentComplete = (int)Math.Min(100, read * 100 / Math.Max(1, length)),
                    });
                };
                try
                {
                    foreach (var s in reader.ReadAll(stream, onBytes)) Emit(s);
                }
                catch (IOException e)
                {
                    WriteError(new ErrorRecord(e, "FileReadFailed", ErrorCategory.ReadError, file));
                }
                if (reported)
                    WriteProgress(new ProgressRecord(1, "Reading CFT trace", name + ": done") { RecordType = ProgressRecordType.Completed });
                WriteVerbose(file + ": " + reader.Statistics + " in " + (clock.Elapsed - started).TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " s");
            }
        }

        private IEnumerable<string> ResolveFiles()
        {
            var files = new List<string>();
            if (ParameterSetName == PathSet)
            {
                foreach (var p in Path)
                {
                    try
                    {
                        var resolved = GetResolvedProviderPathFromPSPath(p, out ProviderInfo provider);
                        if (provider.Name != "FileSystem") { WriteError(new ErrorRecord(new ArgumentException("Not a file system path: " + p), "NotFileSystemPath", ErrorCategory.InvalidArgument, p)); continue; }
                        if (resolved.Count == 0) WriteError(NotFound(p));
                        foreach (var r in resolved)
                        {
                            if (Directory.Exists(r)) { WriteError(new ErrorRecord(new ArgumentException("Is a directory: " + r), "PathIsDirectory", ErrorCategory.InvalidArgument, r)); continue; }
                            files.Add(r);
                        }
                    }
                    catch (ItemNotFoundException) { WriteError(NotFound(p)); }
                    catch (System.Management.Automation.DriveNotFoundException) { WriteError(NotFound(p)); }
                }
            }
            else
            {
                foreach (var p in LiteralPath)
                {
                    string r;
                    try { r = GetUnresolvedProviderPathFromPSPath(p); }
                    catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException) { WriteError(NotFound(p)); continue; }
                    if (Directory.Exists(r)) continue; // Get-ChildItem without -File also emits folders
                    if (!File.Exists(r)) { WriteError(NotFound(p)); continue; }
                    files.Add(r);
                }
            }
            return files;
        }

        private static ErrorRecord NotFound(string path)
            => new ErrorRecord(new ItemNotFoundException("Cannot find path '" + path + "' because it does not exist."), "PathNotFound", ErrorCategory.ObjectNotFound, path);

        private void Emit(CftSslSession s)
        {
            if (!Matches(s)) return;
            OnSession(s);
        }

        private bool Matches(CftSslSession s)
        {
            if (!Wildcards.Any(ctxPatterns, s.Ctx)) return false;
            if (partnerPatterns != null && !Wildcards.Any(partnerPatterns, s.Partner) && !Wildcards.Any(partnerPatterns, s.Protocol)) return false;
            if (Role != null && Array.IndexOf(Role, s.Role) < 0) return false;
            if (Result != null && Array.IndexOf(Result, s.Result) < 0) return false;
            if (After.HasValue && !(s.StartTime >= After.Value)) return false;
            if (Before.HasValue && !(s.StartTime < Before.Value)) return false;
            return true;
        }
    }
}
