using System;
using System.Management.Automation;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// <para type="synopsis">Returns one object per TLS record ("SSL frame") of the sessions in Transfer CFT logs.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CftSslFrame", DefaultParameterSetName = "Path")]
    [OutputType(typeof(TlsFrame))]
    public sealed class GetCftSslFrameCommand : SessionInputCmdlet
    {
        /// <summary>Only records of these content types (Handshake, Alert, ChangeCipherSpec, ApplicationData...).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ContentTypeCompleter))]
        public string[] ContentType { get; set; }

        /// <summary>Only records sent or received by CFT.</summary>
        [Parameter]
        public TraceDirection[] Direction { get; set; }

        protected override bool StreamFrames => true;

        protected override void OnSession(CftSslSession session) { }

        /// <summary>A session from the pipeline: the frames it holds (its handshake, alerts, change cipher specs; application data is counted in it, not kept).</summary>
        protected override void OnInputSession(CftSslSession session, PSObject item)
        {
            foreach (var f in session.Frames) OnFrame(f);
        }

        protected override void OnFrame(TlsFrame f)
        {
            if (ContentType != null && Array.FindIndex(ContentType, c => string.Equals(c, f.ContentType, StringComparison.OrdinalIgnoreCase)) < 0) return;
            if (Direction != null && Array.IndexOf(Direction, f.Direction) < 0) return;
            if (!ReferenceEquals(f.File, timeFile)) { timeFile = f.File; fileHasTimes = false; }
            if (f.Time.HasValue) fileHasTimes = true;
            if (fileHasTimes) { WriteObject(f); return; }
            // a log whose lines carry no time: its frames show without an empty Time column
            var o = PSObject.AsPSObject(f);
            o.TypeNames.Insert(0, WithoutTimeTypeName);
            WriteObject(o);
        }

        /// <summary>The type name that selects the frame table without its Time column.</summary>
        public const string WithoutTimeTypeName = "CftSslTrace.Tls.TlsFrame#WithoutTime";
        private string timeFile;
        private bool fileHasTimes;
    }
}
