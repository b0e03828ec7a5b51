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
        private readonly int hash, tag;

        public BytesKey(byte[] bytes, int tag = 0)
        {
            this.bytes = bytes;
            this.tag = tag;
            // cheap next to decoding or keeping the bytes, and certificates and records differ early (serial, names)
            uint h = 2166136261;
            for (int i = 0; i < bytes.Length; i++) h = (h ^ bytes[i]) * 16777619;
            hash = (int)h ^ tag;
        }

        public bool Equals(BytesKey other)
            => other.bytes.Length == bytes.Length && hash == other.hash && tag == other.tag && AsciiBytes.Same(bytes, 0, other.bytes, 0, bytes.Length);

        public override bool Equals(object obj) => obj is BytesKey k && Equals(k);
        public override int GetHashCode() => hash;
    }
}
