using System;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// A byte array as a dictionary key by its content (and a small number beside it): FNV-1a over the bytes, compared
    /// whole. For the reader's caches of what repeats from session to session (certificates, certificate records).
    /// </summary>
    internal readonly struct BytesKey : IEquatable<BytesKey>
    {
        private readonly byte[] bytes;
        private readonly int offset, count, hash, tag;

        public BytesKey(byte[] bytes, int tag = 0) : this(bytes, 0, bytes.Length, tag) { }

        /// <summary>A key over <paramref name="count"/> bytes of an array from <paramref name="offset"/> (to look up without copying them).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public BytesKey(byte[] bytes, int offset, int count, int tag = 0)
        {
            this.bytes = bytes;
            this.offset = offset;
            this.count = count;
            this.tag = tag;
            // cheap next to decoding or keeping the bytes, and certificates and records differ early (serial, names)
            uint h = 2166136261;
            for (int i = offset, end = offset + count; i < end; i++) h = (h ^ bytes[i]) * 16777619;
            hash = (int)h ^ tag;
        }

        private BytesKey(byte[] bytes, int offset, int count, int hash, int tag)
        {
            this.bytes = bytes;
            this.offset = offset;
            this.count = count;
            this.hash = hash;
            this.tag = tag;
        }

        /// <summary>The same key over a copy of its bytes (whole array): to store what was looked up over a slice, without hashing again.</summary>
        public BytesKey Over(byte[] copy) => new BytesKey(copy, 0, count, hash, tag);

        public bool Equals(BytesKey other)
            => other.count == count && hash == other.hash && tag == other.tag && AsciiBytes.Same(bytes, offset, other.bytes, other.offset, count);

        public override bool Equals(object obj) => obj is BytesKey k && Equals(k);
        public override int GetHashCode() => hash;
    }
}
