using System;
using System.Collections.Generic;
using CftSslTrace.Reading;
using CftSslTrace.Tls;

namespace CftSslTrace.Sessions
{
    /// <summary>Where a session stands in a frame stream.</summary>
    internal sealed class FrameStreamState
    {
        public bool Streaming;
        public bool Rejected;
        /// <summary>Application-data frames held until the session's filters can be decided (compact: no bytes, no text).</summary>
        public readonly List<CompactFrame> Deferred = new List<CompactFrame>();
        public int LastIndex;
    }

    /// <summary>
    /// Hands the frames of every session to an output in each session's log order, applying session filters, without
    /// holding application data: a session's frames are held (compactly) until it ends, so that they come out together
    /// and its filters are known, or until it has more than <see cref="HoldLimit"/> records of application data (a
    /// transfer); then, if its identity passes the filters, they stream as they are decoded. A filter on the result of
    /// the session (known only at its end) holds every frame of the session until then, in 48 bytes a record.
    /// </summary>
    public sealed class FrameStream
    {
        /// <summary>Application-data records held per session before its frames start streaming.</summary>
        public const int HoldLimit = 256;

        private readonly Func<CftSslSession, bool> identityFilter;
        private readonly Func<CftSslSession, bool> finalFilter;
        private readonly bool filterNeedsEnd;
        private readonly Action<TlsFrame> output;

        /// <param name="identityFilter">Filters that can be decided once the handshake is over (CTX, partner, role, start time).</param>
        /// <param name="finalFilter">Every filter, decided when the session ends.</param>
        /// <param name="filterNeedsEnd">A filter needs the end of the session (its result): hold its frames until then.</param>
        /// <param name="output">Receives each frame that passes.</param>
        public FrameStream(Func<CftSslSession, bool> identityFilter, Func<CftSslSession, bool> finalFilter, bool filterNeedsEnd, Action<TlsFrame> output)
        {
            this.identityFilter = identityFilter ?? (s => true);
            this.finalFilter = finalFilter ?? (s => true);
            this.filterNeedsEnd = filterNeedsEnd;
            this.output = output;
        }

        /// <summary>Wires a reader made with <see cref="SessionReaderOptions.StreamFrames"/>.</summary>
        public void Attach(SessionReader reader) => reader.FrameReleased = OnFrame;

        /// <summary>A frame of a session, in the session's order (from <see cref="SessionReader.FrameReleased"/>).</summary>
        public void OnFrame(CftSslSession s, TlsFrame f)
        {
            var st = s.StreamState ?? (s.StreamState = new FrameStreamState());
            if (st.Rejected) return;
            if (st.Streaming) { Emit(s, st, f); return; }
            if (f.Kept) return; // it is in the session's Frames: it comes out with them
            st.Deferred.Add(CompactFrame.From(f));
            if (filterNeedsEnd || st.Deferred.Count <= HoldLimit) return;
            if (!identityFilter(s)) { st.Rejected = true; st.Deferred.Clear(); return; }
            st.Streaming = true;
            EmitHeld(s, st);
        }

        /// <summary>The session ended (it comes out of the reader).</summary>
        public void OnSessionEnd(CftSslSession s)
        {
            var st = s.StreamState ?? new FrameStreamState();
            s.StreamState = null;
            if (st.Rejected) return;
            if (st.Streaming)
            {
                // frames kept before streaming started were emitted then; later ones as they came
                return;
            }
            if (!finalFilter(s)) return;
            EmitHeld(s, st);
        }

        /// <summary>The session's kept frames and its held application-data frames, merged in order.</summary>
        private void EmitHeld(CftSslSession s, FrameStreamState st)
        {
            int k = 0;
            foreach (var c in st.Deferred)
            {
                while (k < s.Frames.Count && s.Frames[k].Index < c.Index) Emit(s, st, s.Frames[k++]);
                Emit(s, st, c.ToFrame(s));
            }
            while (k < s.Frames.Count) Emit(s, st, s.Frames[k++]);
            st.Deferred.Clear();
        }

        private void Emit(CftSslSession s, FrameStreamState st, TlsFrame f)
        {
            if (f.Index <= st.LastIndex) return;
            st.LastIndex = f.Index;
            Analysis.SessionAnalyzer.Stamp(s, f);
            output(f);
        }
    }

    /// <summary>An application-data frame held without its bytes and text.</summary>
    internal struct CompactFrame
    {
        /// <summary>The record's line as a position in the history (resolved to file and line when the frame is made).</summary>
        public long Position, TimeTicks, Offset;
        public int Index, Length, Captured, Announced;
        public ushort Version;
        public byte Direction;
        public bool Tls13;

        public static CompactFrame From(TlsFrame f) => new CompactFrame
        {
            Position = f.Position, TimeTicks = f.Time?.Ticks ?? -1, Offset = f.Offset, Index = f.Index, Length = f.Length, Captured = f.CapturedLength,
            Announced = f.AnnouncedCount ?? -1, Version = (ushort)f.VersionValue, Direction = (byte)f.Direction,
            Tls13 = f.Summary != null && f.Summary.IndexOf("TLS 1.3", StringComparison.Ordinal) >= 0,
        };

        public TlsFrame ToFrame(CftSslSession s)
        {
            var f = new TlsFrame
            {
                File = s.Sources?.FileOf(Position) ?? s.File, Line = s.Sources?.LineOf(Position) ?? Position, Position = Position, Time = TimeTicks < 0 ? (DateTime?)null : new DateTime(TimeTicks), Ctx = s.Ctx, Direction = (TraceDirection)Direction,
                Index = Index, ContentTypeValue = 23, ContentType = Registry.TlsRegistry.ContentTypeName(23), VersionValue = Version,
                Version = Registry.TlsRegistry.VersionName(Version), Length = Length, AnnouncedCount = Announced < 0 ? (int?)null : Announced,
                Offset = Offset, Encrypted = true, Messages = "ApplicationData", HeaderLength = 5,
            };
            f.SetBytes(new byte[] { 23, (byte)(Version >> 8), (byte)Version, (byte)(Length >> 8), (byte)Length }, Captured);
            f.TruncationNote = f.Truncated ? " [truncated: " + Math.Max(0, Captured - 5) + " of " + Length + " bytes]" : "";
            f.Summary = "Application data, " + Length + " bytes (encrypted" + (Tls13 ? "; TLS 1.3 records may also carry post-handshake messages" : "") + ")" + f.TruncationNote;
            return f;
        }
    }
}
