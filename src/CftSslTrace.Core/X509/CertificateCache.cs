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
        public CertificateInfo Decode(byte[] der, int announcedLength, int index) => Decode(der, 0, der.Length, announcedLength, index, owned: true);

        /// <summary>
        /// The same, for the <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/> (a
        /// message's bytes): copied only for a certificate not seen before, so that a chain a partner presents in every
        /// session costs a look-up, not a copy.
        /// </summary>
        /// <param name="owned">The array is the certificate's own (kept as it is by the decoded certificate).</param>
        public CertificateInfo Decode(byte[] data, int offset, int count, int announcedLength, int index, bool owned = false)
        {
            if (count < announcedLength) return Fresh(owned ? data : Reading.AsciiBytes.Copy(data, offset, count), announcedLength, index); // partial certificates are not shared
            var key = new Reading.BytesKey(data, offset, count, index);
            if (!entries.TryGetValue(key, out var cached))
            {
                if (entries.Count >= Capacity) entries.Clear();
                var der = owned ? data : Reading.AsciiBytes.Copy(data, offset, count);
                cached = Fresh(der, announcedLength, index);
                entries[key.Over(der)] = cached;
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
