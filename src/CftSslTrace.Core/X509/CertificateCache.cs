using System;
using System.Collections.Generic;

namespace CftSslTrace.X509
{
    /// <summary>
    /// The certificates a reader has decoded, by their DER bytes: a partner presents the same chain in every session of
    /// a day, so each distinct certificate is decoded once. Bounded (emptied when full). One per reader, not shared
    /// between threads.
    /// </summary>
    internal sealed class CertificateCache
    {
        private const int Capacity = 4096;
        private readonly Dictionary<Key, CertificateInfo> entries = new Dictionary<Key, CertificateInfo>();

        /// <summary>The decoded certificate for these bytes (a copy of the cached one, so that its position in the chain is its own).</summary>
        public CertificateInfo Decode(byte[] der, int announcedLength, int index)
        {
            if (der.Length < announcedLength) return Fresh(der, announcedLength, index); // partial certificates are not shared
            var key = new Key(der);
            if (!entries.TryGetValue(key, out var cached))
            {
                if (entries.Count >= Capacity) entries.Clear();
                cached = CertificateInfo.Decode(der, announcedLength);
                entries[key] = cached;
            }
            return cached.CopyAt(index);
        }

        private static CertificateInfo Fresh(byte[] der, int announcedLength, int index)
        {
            var c = CertificateInfo.Decode(der, announcedLength);
            c.Index = index;
            return c;
        }

        private readonly struct Key : IEquatable<Key>
        {
            private readonly byte[] bytes;
            private readonly int hash;

            public Key(byte[] bytes)
            {
                this.bytes = bytes;
                // FNV-1a over the bytes: cheap next to decoding, and certificates differ early (serial, names)
                uint h = 2166136261;
                for (int i = 0; i < bytes.Length; i++) h = (h ^ bytes[i]) * 16777619;
                hash = (int)h;
            }

            public bool Equals(Key other)
                => other.bytes.Length == bytes.Length && hash == other.hash && Reading.AsciiBytes.Same(bytes, 0, other.bytes, 0, bytes.Length);

            public override bool Equals(object obj) => obj is Key k && Equals(k);
            public override int GetHashCode() => hash;
        }
    }
}
