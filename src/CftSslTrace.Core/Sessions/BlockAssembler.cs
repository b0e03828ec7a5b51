using System;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>Builds dump blocks for one CTX from data headers and dump lines.</summary>
    internal sealed class BlockAssembler
    {
        private DumpBlock current;
        private readonly string file;
        private readonly string ctx;

        public BlockAssembler(string file, string ctx) { this.file = file; this.ctx = ctx; }

        /// <summary>Starts a block for a data header; returns the block it closes, if any.</summary>
        public DumpBlock Header(TraceLine t, long line, DateTime? time)
        {
            var closed = Close();
            current = new DumpBlock
            {
                File = file, Ctx = ctx, Line = line, LastLine = line, Time = time,
                Direction = t.Direction, Function = t.Function, DataKind = t.DataKind, AnnouncedCount = t.Count,
            };
            return closed;
        }

        /// <summary>
        /// Adds dump bytes; true when the line had no data header to belong to (a block without header was started):
        /// no block open, or the open block already holds all the bytes its header announced. closed is the block
        /// that this ends, if any.
        /// </summary>
        public bool Dump(byte[] bytes, long line, DateTime? time, out DumpBlock closed)
        {
            bool orphan = false;
            closed = null;
            if (current != null && current.AnnouncedCount.HasValue && current.Accumulator.Count >= current.AnnouncedCount.Value)
                closed = Close();
            if (current == null)
            {
                orphan = true;
                current = new DumpBlock { File = file, Ctx = ctx, Line = line, Time = time, Direction = TraceDirection.Unknown };
            }
            current.Accumulator.Add(bytes);
            current.LastLine = line;
            return orphan;
        }

        public DumpBlock Close()
        {
            var b = current;
            current = null;
            b?.Seal();
            return b;
        }
    }
}
