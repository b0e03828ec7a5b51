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
        private readonly Dictionary<Reading.BytesKey, CertificateInfo> entries = new Dictionary<Reading.BytesKey, CertificateInfo>();

        /// <summary>
        /// The decoded certificate for these bytes at this position of a chain: one object for every session that presents
        /// it there (decoded certificates are not changed afterwards).
        /// </summary>
        public CertificateInfo Decode(byte[] der, int announcedLength, int index)
        {
            if (der.Length < announcedLength) return Fresh(der, announcedLength, index); // partial certificates are not shared
            var key = new Reading.BytesKey(der, index);
            if (!entries.TryGetValue(key, out var cached))
            {
                if (entries.Count >= Capacity) entries.Clear();
                cached = Fresh(der, announcedLength, index);
                entries[key] = cached;
            }
            return cached;
        }

        private static CertificateInfo Fresh(byte[] der, int announcedLength, int index)
        {
            var c = CertificateInfo.Decode(der, announcedLength);
            c.Index = index;
            return c;
        }
    }
}
