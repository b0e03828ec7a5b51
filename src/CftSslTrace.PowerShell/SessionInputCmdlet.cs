using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Management.Automation;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// Input shared by the cmdlets that read sessions: -Path (wildcards), -LiteralPath (PSPath from Get-ChildItem),
    /// or log text from the pipeline (Get-Content); filters -Ctx, -Partner, -Role, -Result, -After, -Before. The files
    /// of one command are one history (ordered by their first time, read as one log across CFT's log switches, archives
    /// in place): they are gathered, then read at the end of the input. Streams: each session is handed to
    /// <see cref="OnSession"/> as soon as the reader has it; with <see cref="StreamFrames"/>, each frame to
    /// <see cref="OnFrame"/> through a <see cref="FrameStream"/>.
    /// </summary>
    public abstract class SessionInputCmdlet : PSCmdlet
    {
        private const string PathSet = "Path", LiteralSet = "LiteralPath", TextSet = "Text";
        private SessionReader textReader;
        private FrameStream frameStream;
        private DiagnosticReport report;
        private readonly List<string> files = new List<string>();
        private long textLine;
        private WildcardPattern[] ctxPatterns, partnerPatterns;
        private readonly Stopwatch clock = new Stopwatch();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, HelpMessage = "CFT log files; wildcards allowed.")]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        // not taken from the pipeline by property name: the strings of Get-Content carry their file's PSPath, and the
        // lines piped (filtered, the first ones) would be taken for the whole file, once per line; files that come down
        // the pipeline (Get-ChildItem, Get-Item, objects with PSPath or FullName) are read through InputObject
        [Parameter(Mandatory = true, ParameterSetName = LiteralSet)]
        [Alias("PSPath", "LP", "FullName")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>
        /// What comes down the pipeline: log lines (Get-Content), files (Get-ChildItem: read as the other files of the
        /// command, as one history), or sessions (from Get-CftSslSession, Invoke-Command, Import-Clixml).
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true, HelpMessage = "Log lines (Get-Content), log files (Get-ChildItem) or sessions.")]
        [AllowEmptyString]
        [AllowNull]
        public PSObject[] InputObject { get; set; }

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

        /// <summary>The encoding of the files, for what detection cannot decide (Windows code pages, UTF-16 without byte-order mark, EBCDIC).</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralSet)]
        [EncodingTransformation]
        [ArgumentCompleter(typeof(EncodingCompleter))]
        public System.Text.Encoding Encoding { get; set; }

        /// <summary>A session without a closing line is returned after this long without a line of its CTX (log time). Default 5 minutes.</summary>
        [Parameter]
        [ValidateRange("00:00:01", "365.00:00:00")]
        public TimeSpan IdleTimeout { get; set; } = SessionReaderOptions.DefaultIdleTimeout;

        /// <summary>
        /// Follow the log as CFT writes it (like Get-Content -Wait or tail -F): sessions come out within seconds of their end;
        /// a switch of the log (renamed and recreated, or truncated) is followed. Until Ctrl+C, or -Timeout.
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralSet)]
        public SwitchParameter Wait { get; set; }

        /// <summary>With -Wait: stop following after this long (a scheduled script's bound); the sessions still open are returned then.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralSet)]
        [ValidateRange("00:00:00.1", "3650.00:00:00")]
        public TimeSpan? Timeout { get; set; }

        private readonly System.Threading.ManualResetEvent stopping = new System.Threading.ManualResetEvent(false);

        /// <summary>Ctrl+C (or the end of a pipeline that needs no more): a followed log stops at once.</summary>
        protected override void StopProcessing() => stopping.Set();

        /// <summary>Files from this size on report progress (Write-Progress) by bytes read.</summary>
        public const long ProgressThreshold = 8L << 20;

        /// <summary>A session that passes the filters (when frames are not streamed).</summary>
        protected abstract void OnSession(CftSslSession session);

        /// <summary>Stream every record as a frame, in each session's order (Get-CftSslFrame).</summary>
        protected virtual bool StreamFrames => false;

        /// <summary>A frame of a session that passes the filters.</summary>
        protected virtual void OnFrame(TlsFrame frame) { }

        protected override void BeginProcessing()
        {
            clock.Start();
            report = new DiagnosticReport(this, Strict);
            ctxPatterns = Wildcards.Compile(Ctx);
            partnerPatterns = Wildcards.Compile(Partner);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == TextSet)
            {
                if (InputObject == null) return;
                foreach (var item in InputObject) Input(item);
                return;
            }
            files.AddRange(ResolveFiles());
        }

        /// <summary>One object from the pipeline: a line of text, a file, or a session (here or a copy from elsewhere).</summary>
        private void Input(PSObject item)
        {
            object o = item?.BaseObject;
            switch (o)
            {
                case null:
                case string _:
                    if (textReader == null) textReader = NewReader("<pipeline>");
                    foreach (var line in Reading.TextLines.Split((string)o ?? ""))
                        foreach (var s in textReader.FeedLine(++textLine, line)) Emit(s);
                    return;
                case FileInfo f:
                    files.Add(f.FullName);
                    return;
                case DirectoryInfo _:
                    return; // Get-ChildItem without -File: folders are not logs
                case CftSslSession session:
                    if (!Matches(session)) return;
                    OnInputSession(session, item);
                    return;
            }
            // an object that names a file (Select-Object PSPath, FullName of a FileInfo from elsewhere)
            var path = (item.Properties["PSPath"]?.Value ?? item.Properties["FullName"]?.Value) as string;
            if (path != null)
            {
                try
                {
                    var r = GetUnresolvedProviderPathFromPSPath(path);
                    if (Directory.Exists(r)) return;
                    if (File.Exists(r)) { files.Add(r); return; }
                }
                catch (Exception e) when (e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException || e is ArgumentException) { }
                WriteError(NotFound(path));
                return;
            }
            if (SessionCopy.IsSession(item))
            {
                var facts = SessionCopy.Facts(item);
                if (FactsMatch(facts)) OnSessionCopy(item, facts);
                return;
            }
            WriteError(new ErrorRecord(new ArgumentException("Not a log line, a log file or a session: " + item), "UnexpectedInput", ErrorCategory.InvalidArgument, item));
        }

        /// <summary>A session that came down the pipeline (it passed the filters); by default it is handled as one read here.</summary>
        protected virtual void OnInputSession(CftSslSession session, PSObject item) => OnSession(session);

        /// <summary>A copy of a session from another computer or a file (Invoke-Command, Import-Clixml) that passed the filters.</summary>
        protected virtual void OnSessionCopy(PSObject item, Analysis.SessionFacts facts)
            => WriteError(new ErrorRecord(new NotSupportedException(MyInvocation.MyCommand.Name + " reads logs and sessions read here; a copy of a session from another computer (" + facts.SessionId + ") is only read by Get-CftSslSession, Get-CftSslPartner and Compare-CftSslSession"), "SessionCopyNotSupported", ErrorCategory.InvalidArgument, item));

        /// <summary>The filters, on a session known by its facts.</summary>
        protected bool FactsMatch(Analysis.SessionFacts f)
        {
            if (!Wildcards.Any(ctxPatterns, f.Ctx)) return false;
            if (partnerPatterns != null && !Wildcards.Any(partnerPatterns, f.Partner) && !Wildcards.Any(partnerPatterns, f.Protocol)) return false;
            if (Role != null && !Array.Exists(Role, r => string.Equals(r.ToString(), f.Role, StringComparison.OrdinalIgnoreCase))) return false;
            if (Result != null && !Array.Exists(Result, r => string.Equals(r.ToString(), f.Result, StringComparison.OrdinalIgnoreCase))) return false;
            if (After.HasValue && !(f.StartTime >= After.Value)) return false;
            if (Before.HasValue && !(f.StartTime < Before.Value)) return false;
            return true;
        }

        private void Follow(string file)
        {
            if (Encoding != null && !Encoding.IsSingleByte && Encoding.CodePage != 65001)
            {
                WriteError(new ErrorRecord(new ArgumentException("-Wait reads UTF-8, Latin-1 or single-byte logs (CFT's); -Encoding " + Encoding.WebName + " is not one."), "WaitEncoding", ErrorCategory.InvalidArgument, Encoding));
                return;
            }
            var reader = NewReader(file);
            LogFollower follower;
            try { follower = new LogFollower(file, reader, Encoding != null && Encoding.CodePage != 65001 ? Encoding : null); }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "FileUnreadable", ErrorCategory.ReadError, file));
                return;
            }
            using (follower)
            {
                var followed = Stopwatch.StartNew();
                WriteVerbose("following " + file + (Timeout.HasValue ? " for " + Timeout.Value : " until Ctrl+C"));
                while (true)
                {
                    foreach (var s in follower.Poll(DateTime.Now)) Emit(s);
                    if (Timeout.HasValue && followed.Elapsed >= Timeout.Value) break;
                    var left = Timeout.HasValue ? Timeout.Value - followed.Elapsed : TimeSpan.MaxValue;
                    if (stopping.WaitOne(left < TimeSpan.FromMilliseconds(250) ? (left < TimeSpan.Zero ? TimeSpan.Zero : left) : TimeSpan.FromMilliseconds(250))) return;
                }
                foreach (var s in follower.Stop()) Emit(s);
                report.Flush();
                WriteVerbose(file + ": followed for " + followed.Elapsed + ", " + follower.Switches + " log switch(es); " + reader.Statistics);
            }
        }

        protected override void EndProcessing()
        {
            if (textReader != null)
            {
                foreach (var s in textReader.Complete()) Emit(s);
                WriteVerbose("<pipeline>: " + textReader.Statistics + " in " + clock.Elapsed.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " s");
            }
            else if (Wait)
            {
                if (files.Count > 1)
                    WriteError(new ErrorRecord(new ArgumentException("-Wait follows one log; " + files.Count + " files match: name the one CFT writes (cftlog)."), "WaitOneFile", ErrorCategory.InvalidArgument, files));
                else if (files.Count == 1) Follow(files[0]);
            }
            else if (files.Count > 0) ReadHistory();
            report.Flush();
        }

        private SessionReader NewReader(string name)
        {
            var options = new SessionReaderOptions { Encoding = Encoding, IdleTimeout = IdleTimeout, StreamFrames = StreamFrames };
            var reader = new SessionReader(name, options) { Diagnostic = report.Write };
            if (StreamFrames)
            {
                if (frameStream == null) frameStream = new FrameStream(IdentityMatches, Matches, Result != null, OnFrame);
                frameStream.Attach(reader);
            }
            return reader;
        }

        /// <summary>The files of the command, read as one history: ordered, archives in place, sessions across the files' ends.</summary>
        private void ReadHistory()
        {
            var started = clock.Elapsed;
            var history = LogHistory.Open(files, Encoding, report.Write);
            foreach (var note in history.Notes) WriteVerbose(note);
            if (history.Sources.Count == 0)
            {
                history.CloseArchives();
                return;
            }
            var reader = NewReader(history.Sources[0].Name);
            long length = history.StoredLength;
            string what = history.Sources.Count == 1 ? history.Sources[0].ShortName : history.Sources.Count + " files";
            var lastReport = new Stopwatch();
            bool reported = false;
            Action<long> onBytes = length < ProgressThreshold ? (Action<long>)null : read =>
            {
                if (reported && lastReport.ElapsedMilliseconds < 500) return;
                lastReport.Restart();
                reported = true;
                string current = reader.Sources.ShortNameOf(long.MaxValue);
                WriteProgress(new ProgressRecord(1, "Reading CFT trace", (history.Sources.Count > 1 ? current + " (" + what + "): " : current + ": ") + (read >> 20) + " of " + (length >> 20) + " MB")
                {
                    PercentComplete = (int)Math.Min(100, read * 100 / Math.Max(1, length)),
                });
            };
            try
            {
                foreach (var s in reader.ReadAll(history, onBytes)) Emit(s);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(e, "FileReadFailed", ErrorCategory.ReadError, what));
            }
            if (reported)
                WriteProgress(new ProgressRecord(1, "Reading CFT trace", what + ": done") { RecordType = ProgressRecordType.Completed });
            WriteVerbose((history.Sources.Count == 1 ? history.Sources[0].Name : what + " as one log") + ": " + reader.Statistics + " in " + (clock.Elapsed - started).TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " s");
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
                        bool wildcard = WildcardPattern.ContainsWildcardCharacters(p);
                        foreach (var r in resolved)
                        {
                            if (Directory.Exists(r))
                            {
                                // a wildcard over a log folder matches its subfolders too (archive/): they are not logs
                                if (wildcard) WriteVerbose("folder left out: " + r);
                                else WriteError(new ErrorRecord(new ArgumentException("Is a directory: " + r), "PathIsDirectory", ErrorCategory.InvalidArgument, r));
                                continue;
                            }
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
            if (StreamFrames) { frameStream.OnSessionEnd(s); return; }
            if (!Matches(s)) return;
            OnSession(s);
        }

        private bool Matches(CftSslSession s) => IdentityMatches(s) && (Result == null || Array.IndexOf(Result, s.Result) >= 0);

        /// <summary>The filters that do not need the end of the session.</summary>
        private bool IdentityMatches(CftSslSession s)
        {
            if (!Wildcards.Any(ctxPatterns, s.Ctx)) return false;
            if (partnerPatterns != null && !Wildcards.Any(partnerPatterns, s.Partner) && !Wildcards.Any(partnerPatterns, s.Protocol)) return false;
            if (Role != null && Array.IndexOf(Role, s.Role) < 0) return false;
            if (After.HasValue && !(s.StartTime >= After.Value)) return false;
            if (Before.HasValue && !(s.StartTime < Before.Value)) return false;
            return true;
        }
    }
}
