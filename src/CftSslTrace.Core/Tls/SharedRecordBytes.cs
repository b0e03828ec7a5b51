using System.Collections.Generic;
using CftSslTrace.Reading;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// The bytes of large records that repeat from session to session (a server's Certificate record is the same in
    /// every session of the day), kept once for all the frames that hold them: sessions that stay open long (a log whose
    /// sessions never close) hold a fraction of the memory, and the collector has that much less to move. Bounded
    /// (emptied when full). One per reader, not shared between threads.
    /// </summary>
    internal sealed class SharedRecordBytes
    {
        /// <summary>Records shorter than this are kept as they are (their hashing would cost more than it saves).</summary>
        public const int MinLength = 512;
        private const int Capacity = 2048;
        private readonly Dictionary<BytesKey, byte[]> entries = new Dictionary<BytesKey, byte[]>();

        /// <summary>The same bytes as a record read before, or these.</summary>
        public byte[] Share(byte[] bytes)
        {
            if (bytes.Length < MinLength) return bytes;
            var key = new BytesKey(bytes);
            if (entries.TryGetValue(key, out var kept)) return kept;
            if (entries.Count >= Capacity) entries.Clear();
            entries[key] = bytes;
            return bytes;
        }

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
