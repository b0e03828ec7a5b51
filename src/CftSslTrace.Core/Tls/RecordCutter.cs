using System;
using CftSslTrace.Reading;

namespace CftSslTrace.Tls
{
    /// <summary>A record cut from a direction's byte stream: its header, what the trace holds of it, where it came from.</summary>
    internal sealed class CutRecord
    {
        /// <summary>The record's bytes present in the trace, header included; only the header when the body was not kept.</summary>
        public byte[] Bytes;
        /// <summary>Bytes of the record present in the trace (header included), kept or not.</summary>
        public int Captured;
        public int HeaderLength;
        public int DeclaredLength;
        public bool IsSslV2;
        /// <summary>Not a TLS record: bytes at a record boundary that do not start one.</summary>
        public bool Unrecognized;
        public bool BodyKept;
        /// <summary>Line and time of the data header of the dump the record starts in, and the count that header announced.</summary>
        public long Line;
        public DateTime? Time;
        public int? Announced;
        /// <summary>Position of the record's first byte in its direction's stream (bytes missing from the trace included).</summary>
        public long Offset;
        public string Note;
        /// <summary>Bytes is the cutter's own array (the header of a record whose body is not kept), valid while the sink handles the record: copy it to keep it.</summary>
        public bool Transient;

        public int ContentType => Unrecognized || Bytes.Length == 0 ? -1 : IsSslV2 ? 22 : Bytes[0];

        /// <summary>A record cut from a stream (the fields a cutter does not set are those of an empty record).</summary>
        internal CutRecord Set(byte[] bytes, int captured, long line, DateTime? time, int? announced, long offset)
        {
            Bytes = bytes;
            Captured = captured;
            HeaderLength = 0;
            DeclaredLength = 0;
            IsSslV2 = false;
            Unrecognized = false;
            BodyKept = false;
            Line = line;
            Time = time;
            Announced = announced;
            Offset = offset;
            Note = null;
            Transient = false;
            return this;
        }
    }

    /// <summary>What a <see cref="RecordCutter"/> hands its records to (one object, not three delegates: a session that stays open holds two cutters).</summary>
    internal interface IRecordSink
    {
        /// <summary>Receives each record as it completes.</summary>
        void OnRecord(CutRecord record);
        /// <summary>Asked with the content type when a record starts: keep its body?</summary>
        bool KeepBody(int contentType);
        /// <summary>Receives what the trace lacks, in words, with the position of the dump it is about, for the session's notes.</summary>
        void Note(long line, string text);
    }

    /// <summary>
    /// Cuts TLS records (and SSL 2.0 records) out of one direction's byte stream as dump bytes arrive, one line at a
    /// time. The framing in the bytes decides where records start and end; the count of a data header only says whether
    /// a dump was cut short (fewer bytes than announced while a record is unfinished). Several records in a dump,
    /// records over several dumps, a dump that stops inside a record and bytes that are not a record all come out
    /// right. A record's body is kept only when the owner asks (application data is counted, not kept).
    /// </summary>
    internal sealed class RecordCutter
    {
        private const int MaxRecordLength = 16384 + 2048;
        private const int MaxUnrecognizedKept = 4096;
        private enum State { Boundary, Header, Body, Unrecognized }

        private readonly IRecordSink sink;
        /// <summary>The reader's record bytes: room lent while a record is cut, and the record read before (null: an array per record).</summary>
        private readonly SharedRecordBytes records;
        private bool lent;

        private State state;
        private readonly byte[] header = new byte[5];
        private int headerCount, headerSize;
        private int total, have;
        private byte[] kept;
        private int keptCount;
        private bool keeping, sslv2Record;
        private long recordOffset, recordLine;
        private DateTime? recordTime;
        private int? recordAnnounced;

        private long offset;
        private int skip;
        private bool resync;
        private bool first = true;

        private bool blockStart;
        private long blockLine;
        private DateTime? blockTime;
        private int? blockAnnounced;
        private long blockCaptured;

        public RecordCutter(IRecordSink sink, SharedRecordBytes records = null) { this.sink = sink; this.records = records; }

        /// <summary>SSL 2.0 was negotiated: every later record of this direction uses the SSL 2.0 record layer.</summary>
        public bool SslV2Records { get; set; }

        /// <summary>A record is unfinished (or the rest of a truncated record is being skipped).</summary>
        public bool Pending => state != State.Boundary || skip > 0;

        /// <summary>Line of the data header of the unfinished record, or long.MaxValue.</summary>
        public long PendingLine => Pending ? recordLine : long.MaxValue;

        /// <summary>Bytes of this direction's stream so far (bytes missing from the trace included).</summary>
        public long StreamLength => offset;

        /// <summary>A data header starts a new dump of this direction.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void BeginBlock(long line, DateTime? time, int? announced)
        {
            blockStart = true;
            blockLine = line;
            blockTime = time;
            blockAnnounced = announced;
            blockCaptured = 0;
        }

        /// <summary>Dump bytes of this direction, in order.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void Add(byte[] d, int off, int count)
        {
            int end = off + count;
            blockCaptured += count;
            if (blockStart)
            {
                blockStart = false;
                if (resync)
                {
                    resync = false;
                    if (skip > 0) { skip = 0; FlushPartial("record cut short by a truncated dump"); }
                    else if (state != State.Boundary) FlushPartial("record cut short by a truncated dump");
                }
                else if (state == State.Body && skip == 0 && count >= 5 && IsPlausibleHeader(d, off))
                {
                    // The previous dump stopped before the end of its record and this one starts a new record.
                    FlushPartial("the dump holds only part of the record");
                }
            }
            while (off < end)
            {
                if (skip > 0)
                {
                    int k = Math.Min(skip, end - off);
                    skip -= k;
                    off += k;
                    offset += k;
                    if (skip == 0) FlushPartial("bytes of the record are missing from the trace");
                    continue;
                }
                switch (state)
                {
                    case State.Boundary:
                        {
                            recordOffset = offset;
                            recordLine = blockLine;
                            recordTime = blockTime;
                            recordAnnounced = blockAnnounced;
                            headerCount = 0;
                            have = 0;
                            byte b0 = d[off];
                            bool highBit = (b0 & 0x80) != 0;
                            if (highBit && (first || SslV2Records)) { sslv2Record = true; headerSize = first ? 3 : 2; }
                            else if (SslV2Records && b0 < 0x40 && !IsContentType(b0)) { sslv2Record = true; headerSize = 3; }
                            else if (IsContentType(b0)) { sslv2Record = false; headerSize = 5; }
                            else { StartUnrecognized(); continue; }
                            state = State.Header;
                            continue;
                        }
                    case State.Header:
                        {
                            int k = Math.Min(headerSize - headerCount, end - off);
                            System.Buffer.BlockCopy(d, off, header, headerCount, k);
                            headerCount += k;
                            have += k;
                            off += k;
                            offset += k;
                            if (headerCount < headerSize) continue;
                            if (sslv2Record)
                            {
                                bool twoByte = (header[0] & 0x80) != 0;
                                int len = twoByte ? ((header[0] & 0x7F) << 8) | header[1] : ((header[0] & 0x3F) << 8) | header[1];
                                // the first record of a direction must be a client-hello (1) or server-hello (4), or an error (0)
                                if (first && !(header[2] == 1 || header[2] == 4 || header[2] == 0)) { StartUnrecognized(); continue; }
                                total = len + (twoByte ? 2 : 3);
                                if (total < headerCount) { StartUnrecognized(); continue; }
                            }
                            else
                            {
                                if (!IsPlausibleHeader(header, 0)) { StartUnrecognized(); continue; }
                                total = ((header[3] << 8) | header[4]) + 5;
                            }
                            StartBody();
                            continue;
                        }
                    case State.Body:
                        {
                            int k = Math.Min(total - have, end - off);
                            if (keeping) System.Buffer.BlockCopy(d, off, kept, keptCount, k);
                            keptCount += keeping ? k : 0;
                            have += k;
                            off += k;
                            offset += k;
                            if (have == total) Complete(null);
                            continue;
                        }
                    default: // Unrecognized: the rest of the dump is not TLS
                        {
                            int k = end - off;
                            int room = Math.Min(k, MaxUnrecognizedKept - keptCount);
                            if (room > 0)
                            {
                                if (kept.Length < keptCount + room) Array.Resize(ref kept, Math.Min(MaxUnrecognizedKept, Math.Max(kept.Length * 2, keptCount + room)));
                                System.Buffer.BlockCopy(d, off, kept, keptCount, room);
                                keptCount += room;
                            }
                            have += k;
                            off += k;
                            offset += k;
                            continue;
                        }
                }
            }
        }

        /// <summary>
        /// The dump of this direction ended (a new data header, or the end of the session). Fewer bytes than announced
        /// while a record is unfinished: the dump was cut short, and the missing bytes are a known gap.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void EndBlock()
        {
            if (state == State.Unrecognized) EmitUnrecognized();
            int? announced = blockAnnounced;
            long captured = blockCaptured;
            blockAnnounced = null;
            blockCaptured = 0;
            if (!announced.HasValue || captured >= announced.Value) return;
            long missing = announced.Value - captured;
            if (state != State.Boundary || skip > 0)
                sink.Note(blockLine, "dump truncated, " + captured + " of " + announced.Value + " bytes present");
            if (skip > 0)
            {
                if (missing >= skip) { missing -= skip; offset += skip; skip = 0; FlushPartial("bytes of the record are missing from the trace (truncated dump)"); }
                else { offset += missing; skip -= (int)missing; return; }
                if (missing > 0) { offset += missing; resync = true; }
                return;
            }
            switch (state)
            {
                case State.Body:
                    {
                        long rest = total - have;
                        if (missing >= rest)
                        {
                            offset += rest;
                            FlushPartial("bytes of the record are missing from the trace (truncated dump)");
                            if (missing > rest) { offset += missing - rest; resync = true; }
                        }
                        else
                        {
                            // the record goes on in the next dump after the gap: the rest of it is skipped there
                            offset += missing;
                            skip = (int)(rest - missing);
                        }
                        break;
                    }
                case State.Header:
                    offset += missing;
                    FlushPartial("record header cut short by a truncated dump");
                    resync = true;
                    break;
                default:
                    offset += missing;
                    resync = true;
                    sink.Note(blockLine, "dump of " + announced.Value + " bytes announced, " + captured + " present: "
                        + missing + " bytes after the last whole record are missing from the trace");
                    break;
            }
        }

        /// <summary>The end of the session: an unfinished record comes out as truncated.</summary>
        public void Finish()
        {
            EndBlock();
            if (skip > 0) { skip = 0; FlushPartial("bytes of the record are missing from the trace"); }
            else if (state == State.Unrecognized) EmitUnrecognized();
            else if (state != State.Boundary) FlushPartial("the trace ends before the end of the record");
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void StartBody()
        {
            int type = sslv2Record ? 22 : header[0];
            keeping = sink.KeepBody(type);
            lent = false;
            // a body not kept (application data): the header is all that goes to the sink, in the cutter's own array
            if (!keeping && headerCount == header.Length) kept = header;
            else
            {
                kept = keeping && records != null ? records.Lend(total, out lent) : new byte[keeping ? total : headerCount];
                System.Buffer.BlockCopy(header, 0, kept, 0, headerCount);
            }
            keptCount = headerCount;
            state = State.Body;
            if (have == total) Complete(null);
        }

        private void StartUnrecognized()
        {
            state = State.Unrecognized;
            kept = new byte[Math.Max(64, headerCount)];
            System.Buffer.BlockCopy(header, 0, kept, 0, headerCount);
            keptCount = headerCount;
            first = false;
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private void Complete(string why)
        {
            var bytes = kept;
            if (keeping && records != null)
            {
                // the same bytes as a record read before (a certificate chain) cost no array; the lent room goes back
                bytes = records.Keep(kept, keptCount, own: !lent);
                if (lent) records.GiveBack(kept);
                lent = false;
            }
            else if (bytes.Length != keptCount) bytes = AsciiBytes.Copy(kept, 0, keptCount);
            bool v2 = sslv2Record;
            int headerLength = v2 ? ((header[0] & 0x80) != 0 ? 2 : 3) : 5;
            var r = NewRecord().Set(bytes, have, recordLine, recordTime, recordAnnounced, recordOffset);
            r.HeaderLength = headerLength;
            r.DeclaredLength = total - headerLength;
            r.IsSslV2 = v2;
            r.BodyKept = keeping;
            r.Note = why;
            r.Transient = ReferenceEquals(bytes, header);
            Reset();
            sink.OnRecord(r);
        }

        private void FlushPartial(string why)
        {
            switch (state)
            {
                case State.Body:
                    Complete(why);
                    return;
                case State.Header:
                    {
                        var r = NewRecord().Set(AsciiBytes.Copy(header, 0, headerCount), headerCount, recordLine, recordTime, recordAnnounced, recordOffset);
                        r.HeaderLength = sslv2Record ? 2 : 5;
                        r.IsSslV2 = sslv2Record;
                        r.BodyKept = true;
                        r.Note = why ?? "record header incomplete";
                        Reset();
                        sink.OnRecord(r);
                        return;
                    }
                case State.Unrecognized:
                    EmitUnrecognized();
                    return;
            }
        }

        private void EmitUnrecognized()
        {
            var r = NewRecord().Set(AsciiBytes.Copy(kept, 0, keptCount), have, recordLine, recordTime, recordAnnounced, recordOffset);
            r.Unrecognized = true;
            r.BodyKept = keptCount == have;
            Reset();
            sink.OnRecord(r);
        }

        /// <summary>The record to hand to the sink: the reader's one, filled again for each record (the sink keeps nothing of it), or a new one.</summary>
        private CutRecord NewRecord() => records != null ? records.Record : new CutRecord();

        private void Reset()
        {
            state = State.Boundary;
            first = false;
            kept = null;
            keptCount = 0;
            headerCount = 0;
            have = 0;
            total = 0;
        }

        private static bool IsContentType(int b) => b >= 20 && b <= 26;

        internal static bool IsPlausibleHeader(byte[] d, int pos)
        {
            if (d.Length - pos < 5) return false;
            if (!IsContentType(d[pos])) return false;
            int major = d[pos + 1], minor = d[pos + 2];
            bool version = (major == 3 && minor <= 4) || (major == 0xFE && minor >= 0xFC);
            if (!version) return false;
            int len = (d[pos + 3] << 8) | d[pos + 4];
            return len <= MaxRecordLength;
        }
    }
}
