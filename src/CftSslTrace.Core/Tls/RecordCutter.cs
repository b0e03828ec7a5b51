using System;
using System.Collections.Generic;

namespace CftSslTrace.Tls
{
    /// <summary>A piece of a direction's byte stream: the bytes of one dump block and what is known to be missing after them.</summary>
    internal struct StreamChunk
    {
        public byte[] Bytes;
        /// <summary>Bytes announced by the data header but not dumped (0 when complete or unknown).</summary>
        public int MissingAfter;
        public long Line;
        public DateTime? Time;
    }

    /// <summary>A record cut from the stream; Bytes holds the part present (a prefix of the record).</summary>
    internal sealed class CutRecord
    {
        public byte[] Bytes;
        public int HeaderLength;
        public int DeclaredLength;
        public bool IsSslV2;
        /// <summary>Not a TLS record: bytes at a record boundary that do not start one.</summary>
        public bool Unrecognized;
        public long Line;
        public DateTime? Time;
        public string Note;
    }

    /// <summary>
    /// Cuts TLS records out of one direction's byte stream as dump blocks arrive: several records in a block,
    /// records split over blocks, blocks cut short (gap of known size), and a dump shorter than its record
    /// (the next block starts a new record) all come out right.
    /// </summary>
    internal sealed class RecordCutter
    {
        private const int MaxRecordLength = 16384 + 2048;
        private readonly List<byte> pending = new List<byte>();
        private long pendingLine;
        private DateTime? pendingTime;
        private bool pendingHasGap;      // the record lost bytes; what follows in it is skipped
        private int skip;                 // bytes of the current record still to skip after a gap
        private bool resync;              // after an unknown gap: the next block starts at a record boundary
        private bool first = true;
        private readonly bool allowSslV2;

        public RecordCutter(bool allowSslV2) { this.allowSslV2 = allowSslV2; }

        public IEnumerable<CutRecord> Add(StreamChunk chunk)
        {
            var output = new List<CutRecord>();
            byte[] data = chunk.Bytes;
            int pos = 0;

            if (resync)
            {
                resync = false;
                skip = 0;
                if (pending.Count > 0) output.Add(FlushPending("record cut short by a truncated dump"));
            }
            else if (pending.Count > 0 && !pendingHasGap && skip == 0 && data.Length >= 5 && IsPlausibleHeader(data, 0) && PendingDeclaredTotal() > pending.Count)
            {
                // The previous dump stopped before the end of its record and this block starts a new record.
                output.Add(FlushPending("the dump holds only part of the record"));
            }

            if (skip > 0)
            {
                int n = Math.Min(skip, data.Length);
                skip -= n;
                pos += n;
                if (skip == 0 && pending.Count > 0) output.Add(FlushPending("bytes of the record are missing from the trace"));
            }

            while (pos < data.Length)
            {
                if (pending.Count == 0) { pendingLine = chunk.Line; pendingTime = chunk.Time; }
                int total = DeclaredTotal(data, pos);
                if (pending.Count > 0 || total < 0)
                {
                    // complete the header and/or the record from this block
                    if (pending.Count == 0 && total == -2)
                    {
                        // bytes at a record boundary that are no record: report them, resynchronise at the next block
                        var bad = new byte[data.Length - pos];
                        Array.Copy(data, pos, bad, 0, bad.Length);
                        output.Add(new CutRecord { Bytes = bad, Unrecognized = true, Line = chunk.Line, Time = chunk.Time });
                        pos = data.Length;
                        break;
                    }
                    while (pos < data.Length)
                    {
                        int need = PendingDeclaredTotal();
                        if (need == -2)
                        {
                            output.Add(FlushPending(null, unrecognized: true));
                            break;
                        }
                        if (need < 0) { pending.Add(data[pos++]); continue; }
                        int take = Math.Min(need - pending.Count, data.Length - pos);
                        for (int i = 0; i < take; i++) pending.Add(data[pos + i]);
                        pos += take;
                        if (pending.Count >= need) { output.Add(FlushPending(null)); }
                        break;
                    }
                    continue;
                }
                if (data.Length - pos >= total)
                {
                    var rec = new byte[total];
                    Array.Copy(data, pos, rec, 0, total);
                    output.Add(Make(rec, chunk.Line, chunk.Time, null));
                    pos += total;
                    first = false;
                }
                else
                {
                    for (int i = pos; i < data.Length; i++) pending.Add(data[i]);
                    pos = data.Length;
                }
            }

            if (chunk.MissingAfter > 0)
            {
                int missing = chunk.MissingAfter;
                int need = PendingDeclaredTotal();
                if (pending.Count > 0 && need > pending.Count)
                {
                    int rest = need - pending.Count;
                    pendingHasGap = true;
                    if (rest <= missing)
                    {
                        output.Add(FlushPending("bytes of the record are missing from the trace (truncated dump)"));
                        if (missing > rest) resync = true; // unknown records in the rest of the gap
                    }
                    else skip = rest - missing; // the record goes on in the next block
                }
                else
                {
                    if (pending.Count > 0) pendingHasGap = true; // header itself incomplete
                    resync = true;
                }
            }
            return output;
        }

        /// <summary>At the end of the session: a record still waiting for bytes comes out as truncated.</summary>
        public CutRecord Finish()
        {
            if (pending.Count == 0) return null;
            return FlushPending("the trace ends before the end of the record");
        }

        private CutRecord FlushPending(string note, bool unrecognized = false)
        {
            var rec = pending.ToArray();
            pending.Clear();
            pendingHasGap = false;
            if (unrecognized) { first = false; return new CutRecord { Bytes = rec, Unrecognized = true, Line = pendingLine, Time = pendingTime }; }
            var r = Make(rec, pendingLine, pendingTime, note);
            first = false;
            return r;
        }

        private CutRecord Make(byte[] rec, long line, DateTime? time, string note)
        {
            var r = new CutRecord { Bytes = rec, Line = line, Time = time, Note = note };
            if (rec.Length >= 2 && IsSslV2Start(rec, 0))
            {
                r.IsSslV2 = true;
                r.HeaderLength = 2;
                r.DeclaredLength = ((rec[0] & 0x7F) << 8) | rec[1];
            }
            else if (rec.Length >= 5)
            {
                r.HeaderLength = 5;
                r.DeclaredLength = (rec[3] << 8) | rec[4];
            }
            else
            {
                r.HeaderLength = 5;
                r.DeclaredLength = 0;
                r.Note = note ?? "record header incomplete";
            }
            return r;
        }

        private int PendingDeclaredTotal()
        {
            if (pending.Count >= 2 && first && allowSslV2 && (pending[0] & 0x80) != 0)
                return (((pending[0] & 0x7F) << 8) | pending[1]) + 2;
            if (pending.Count < 5)
            {
                if (pending.Count >= 1 && !IsContentType(pending[0]) && !(first && allowSslV2 && (pending[0] & 0x80) != 0)) return -2;
                return -1;
            }
            if (!IsPlausibleHeader(pending, 0)) return -2;
            return ((pending[3] << 8) | pending[4]) + 5;
        }

        /// <summary>Total record size at pos; -1 if the header is not complete here; -2 if the bytes are not a record header.</summary>
        private int DeclaredTotal(byte[] d, int pos)
        {
            int avail = d.Length - pos;
            if (first && allowSslV2 && avail >= 1 && (d[pos] & 0x80) != 0)
            {
                if (avail < 3) return -1;
                if (!IsSslV2Start(d, pos)) return -2;
                return (((d[pos] & 0x7F) << 8) | d[pos + 1]) + 2;
            }
            if (!IsContentType(d[pos])) return -2;
            if (avail < 5) return -1;
            if (!IsPlausibleHeader(d, pos)) return -2;
            return ((d[pos + 3] << 8) | d[pos + 4]) + 5;
        }

        private bool IsSslV2Start(byte[] d, int pos) => first && allowSslV2 && (d[pos] & 0x80) != 0 && d.Length - pos >= 3 && d[pos + 2] == 1;

        private static bool IsContentType(int b) => b >= 20 && b <= 26;

        internal static bool IsPlausibleHeader(IList<byte> d, int pos)
        {
            if (d.Count - pos < 5) return false;
            if (!IsContentType(d[pos])) return false;
            int major = d[pos + 1], minor = d[pos + 2];
            bool version = (major == 3 && minor <= 4) || (major == 0xFE && minor >= 0xFC);
            if (!version) return false;
            int len = (d[pos + 3] << 8) | d[pos + 4];
            return len <= MaxRecordLength;
        }
    }
}
