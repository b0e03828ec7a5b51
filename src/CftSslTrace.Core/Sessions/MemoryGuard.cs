using System;

namespace CftSslTrace.Sessions
{
    /// <summary>
    /// Keeps a long read's memory flat. The objects a reader makes are short-lived (a session lives from its opening to
    /// its end, a record's bytes until it is decoded), but the .NET garbage collector sizes its youngest generation from
    /// the processor's cache and lets that much accumulate before collecting, and sessions that were still open at a
    /// collection age into the older generations, which grow until a full collection: on a server with a large cache, a
    /// hundred megabytes and more of a process that sits beside the transfers it watches. The reader asks for a
    /// collection of the young generations once the heap grew by <see cref="Budget"/> bytes since the last one, and of
    /// the whole heap every eighth time: a few milliseconds each, as what a reader holds is a few megabytes.
    /// </summary>
    internal sealed class MemoryGuard
    {
        /// <summary>Bytes of the heap's growth after which the youngest generation is collected.</summary>
        public const long Budget = 32L << 20;

        private long baseline = GC.GetTotalMemory(false);
        private int gen0 = GC.CollectionCount(0);
        private int induced;

        private static readonly object Gate = new object();
        private static int readers;
        private static System.Runtime.GCLatencyMode saved;

        /// <summary>
        /// A large read is a batch: while one runs, the collector works without background collections (GCLatencyMode.Batch),
        /// which, with concurrent collection on (PowerShell's default), otherwise keeps the youngest generation at a few
        /// megabytes and collects the sessions a long log holds open over and over (half the time of a log of a million
        /// one-line sessions). The mode the process had is restored when the last read ends.
        /// </summary>
        public static IDisposable Batch()
        {
            lock (Gate)
            {
                if (readers++ == 0)
                {
                    saved = System.Runtime.GCSettings.LatencyMode;
                    if (saved == System.Runtime.GCLatencyMode.Interactive) System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
                }
            }
            return new BatchScope();
        }

        private sealed class BatchScope : IDisposable
        {
            private bool done;
            public void Dispose()
            {
                lock (Gate)
                {
                    if (done) return;
                    done = true;
                    if (--readers == 0 && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch && saved == System.Runtime.GCLatencyMode.Interactive)
                        System.Runtime.GCSettings.LatencyMode = saved;
                }
            }
        }

        /// <summary>Called now and then (once a batch of lines): collects when the heap grew by the budget since the last collection.</summary>
        public void Check()
        {
            int count = GC.CollectionCount(0);
            long heap = GC.GetTotalMemory(false);
            if (count != gen0) { gen0 = count; baseline = heap; return; } // the collector ran by itself
            if (heap - baseline < Budget) return;
            GC.Collect(++induced % 8 == 0 ? 2 : 1, GCCollectionMode.Forced, blocking: true);
            gen0 = GC.CollectionCount(0);
            baseline = GC.GetTotalMemory(false);
        }
    }
}
