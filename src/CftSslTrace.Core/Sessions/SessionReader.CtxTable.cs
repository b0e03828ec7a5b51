namespace CftSslTrace.Sessions
{
    public sealed partial class SessionReader
    {
        /// <summary>
        /// The open sessions whose CTX is packed in a number (1 to 7 bytes), found by that number: the lookup of every
        /// trace line whose CTX is not the previous line's. A hash table of this assembly rather than a Dictionary over
        /// <see cref="CtxKey"/>: ReadyToRun cannot compile .NET's generic code for a struct of this assembly, so a fresh
        /// shell's first read ran that Dictionary's lookup unoptimized (and then instrumented) until the runtime compiled
        /// it again; this code is compiled ahead of time with the rest. The sessions chain themselves in their buckets
        /// (<see cref="OpenSession.NextInBucket"/>): no entry objects or arrays besides the buckets.
        /// </summary>
        private sealed class CtxTable
        {
            private const int InitialBits = 6;
            private OpenSession[] buckets = new OpenSession[1 << InitialBits];
            private int bits = InitialBits;

            /// <summary>Sessions in the table.</summary>
            public int Count { get; private set; }

            private int Bucket(long packed, int length)
                => (int)((ulong)((packed ^ ((long)length << 56)) * unchecked((long)0x9E3779B97F4A7C15UL)) >> (64 - bits));

            /// <summary>The open session of this CTX, or null.</summary>
            public OpenSession Find(long packed, int length)
            {
                for (var s = buckets[Bucket(packed, length)]; s != null; s = s.NextInBucket)
                    if (s.Key.Packed == packed && s.Key.Length == length) return s;
                return null;
            }

            /// <summary>Adds a session (its key packed: Length 1 to 7), in place of one of the same key.</summary>
            public void Set(OpenSession s)
            {
                Remove(s.Key);
                if (Count >= buckets.Length) Grow();
                int i = Bucket(s.Key.Packed, s.Key.Length);
                s.NextInBucket = buckets[i];
                buckets[i] = s;
                Count++;
            }

            /// <summary>Removes the session of this key, if there is one.</summary>
            public void Remove(CtxKey key)
            {
                int i = Bucket(key.Packed, key.Length);
                OpenSession previous = null;
                for (var s = buckets[i]; s != null; previous = s, s = s.NextInBucket)
                {
                    if (s.Key.Packed != key.Packed || s.Key.Length != key.Length) continue;
                    if (previous == null) buckets[i] = s.NextInBucket; else previous.NextInBucket = s.NextInBucket;
                    s.NextInBucket = null;
                    Count--;
                    return;
                }
            }

            /// <summary>Empties the table (and lets go of a large bucket array: a read of many open sessions ended).</summary>
            public void Clear()
            {
                if (Count == 0 && bits == InitialBits) return;
                bits = InitialBits;
                buckets = new OpenSession[1 << InitialBits];
                Count = 0;
            }

            private void Grow()
            {
                var old = buckets;
                bits++;
                buckets = new OpenSession[1 << bits];
                foreach (var head in old)
                {
                    for (OpenSession s = head, next; s != null; s = next)
                    {
                        next = s.NextInBucket;
                        int i = Bucket(s.Key.Packed, s.Key.Length);
                        s.NextInBucket = buckets[i];
                        buckets[i] = s;
                    }
                }
            }
        }
    }
}
