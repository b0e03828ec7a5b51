using System.Collections.Generic;
using CftSslTrace.Reading;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// The bytes of large records that repeat from session to session (a server's Certificate record is the same in
    /// every session of the day), kept once for all the frames that hold them: sessions that stay open long (a log whose
    /// sessions never close) hold a fraction of the memory, and the collector has that much less to move. Bounded
    /// (emptied when full). And the room record cutters cut records in, lent and given back, so that a record read
    /// before costs no array at all, and the record they hand over. One per reader, not shared between threads.
    /// </summary>
    internal sealed class SharedRecordBytes
    {
        /// <summary>Records shorter than this are kept as they are (their hashing would cost more than it saves).</summary>
        public const int MinLength = 512;
        private const int Capacity = 2048;
        private readonly Dictionary<BytesKey, byte[]> entries = new Dictionary<BytesKey, byte[]>();

        /// <summary>
        /// The bytes of a record cut in <paramref name="buffer"/>: the same bytes read before, or a copy of its first
        /// <paramref name="count"/> bytes (the buffer itself when it is the record's own array of that length).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public byte[] Keep(byte[] buffer, int count, bool own)
        {
            bool exact = own && buffer.Length == count;
            if (count < MinLength) return exact ? buffer : AsciiBytes.Copy(buffer, 0, count);
            var key = new BytesKey(buffer, 0, count);
            if (entries.TryGetValue(key, out var kept)) return kept;
            var bytes = exact ? buffer : AsciiBytes.Copy(buffer, 0, count);
            if (entries.Count >= Capacity) entries.Clear();
            entries[key.Over(bytes)] = bytes;
            return bytes;
        }

        /// <summary>Size of the buffers lent: the largest TLS record (header, 16 KiB and the expansion TLS allows).</summary>
        public const int LentSize = 5 + 16384 + 2048;
        /// <summary>Buffers made to lend, at most: records being cut at once (interleaved sessions each in the middle of one).</summary>
        private const int MaxLent = 32;
        private readonly byte[][] lendable = new byte[MaxLent][];
        private int free, made;

        /// <summary>
        /// Room to cut a record of <paramref name="size"/> bytes in: a lent buffer (<paramref name="lent"/>: give it back
        /// with <see cref="GiveBack"/>), or the record's own array when none is free or it is larger.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public byte[] Lend(int size, out bool lent)
        {
            lent = size <= LentSize && (free > 0 || made < MaxLent);
            if (!lent) return new byte[size];
            if (free > 0)
            {
                var b = lendable[--free];
                lendable[free] = null;
                return b;
            }
            made++;
            return new byte[LentSize];
        }

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void GiveBack(byte[] buffer)
        {
            if (buffer != null && buffer.Length == LentSize && free < MaxLent) lendable[free++] = buffer;
        }

        /// <summary>
        /// The record the reader's cutters hand to their sinks, filled again for each record: a sink reads it while it
        /// handles it and keeps nothing of it (a busy log's application data is a record every few lines).
        /// </summary>
        public CutRecord Record { get; } = new CutRecord();

        private const int TextCapacity = 4096;
        private readonly Dictionary<string, string> texts = new Dictionary<string, string>(System.StringComparer.Ordinal);

        /// <summary>
        /// The same text as one read before, or this one: the texts of records that repeat from session to session
        /// ("ChangeCipherSpec", "Encrypted handshake message (normally Finished), 40 bytes") kept once. Bounded.
        /// </summary>
        public string Text(string text)
        {
            if (text == null || text.Length > 256) return text;
            if (texts.TryGetValue(text, out var kept)) return kept;
            if (texts.Count >= TextCapacity) texts.Clear();
            texts[text] = text;
            return text;
        }
    }
}
