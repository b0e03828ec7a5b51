using System.Management.Automation;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// A session's frames as PowerShell reads them ($session.Frames, the Frames code property of the module's type data,
    /// CftSslTrace.Bound.Types.ps1xml): the frames of a session whose lines carry no time are given the type name of the frame table without its
    /// Time column, as Get-CftSslFrame shows them, when they are first read (PowerShell keeps a type name given to an
    /// object for its lifetime). Done when read, not for every session returned: it costs a PowerShell object for each
    /// frame, and most sessions of a log are never looked at frame by frame.
    /// </summary>
    public static class SessionFrames
    {
        /// <summary>The getter of the Frames code property.</summary>
        public static NamedList<TlsFrame> Frames(PSObject session)
        {
            if (!(session?.BaseObject is CftSslSession s)) return null;
            var frames = s.Frames;
            if (s.StartTime == null && frames.Count > 0 && !IsMarked(frames[0])) MarkWithoutTime(frames);
            return frames;
        }

        /// <summary>The frames were marked when read before (they are marked all together).</summary>
        private static bool IsMarked(TlsFrame f)
        {
            var names = PSObject.AsPSObject(f).TypeNames;
            return names.Count > 0 && names[0] == GetCftSslFrameCommand.WithoutTimeTypeName;
        }

        private static void MarkWithoutTime(NamedList<TlsFrame> frames)
        {
            foreach (var f in frames)
                if (f.Time.HasValue) return;
            foreach (var f in frames) PSObject.AsPSObject(f).TypeNames.Insert(0, GetCftSslFrameCommand.WithoutTimeTypeName);
        }
    }
}
