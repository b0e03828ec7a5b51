using System;
using System.Collections.Concurrent;
using System.Threading;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// The threads that read archives ahead (<see cref="ReadAheadStream"/>): one that has ended its stream waits a moment
    /// for the next (the next archive of a history) instead of ending, since starting a thread costs more than inflating
    /// a small archive (a thousand switched .gz files of 70 KB read in twice the time of ten large ones, most of it in
    /// starting and joining threads). Threads of their own, not the thread pool's: a reading ahead waits while its reader
    /// is behind, and many readers at once (runspaces in parallel) would hold the pool's threads.
    /// </summary>
    internal static class ReadAheadThreads
    {
        /// <summary>How long a thread waits for the next stream before it ends.</summary>
        internal const int IdleMilliseconds = 2000;
        /// <summary>Threads waiting for a stream at most (more than that end at once).</summary>
        private const int MaxIdle = 4;

        private static readonly ConcurrentStack<Worker> Idle = new ConcurrentStack<Worker>();
        private static int idleCount;

        private static int started;

        /// <summary>Threads of this kind started in this process (for the tests).</summary>
        internal static int Started => Volatile.Read(ref started);

        /// <summary>Runs the work on a waiting thread, or on a new one.</summary>
        public static void Run(Action work)
        {
            while (Idle.TryPop(out var w))
            {
                Interlocked.Decrement(ref idleCount);
                if (w.Give(work)) return; // else it ended meanwhile
            }
            new Worker(work);
        }

        private sealed class Worker
        {
            private readonly object gate = new object();
            private Action work;
            private bool ended;

            public Worker(Action first)
            {
                work = first;
                Interlocked.Increment(ref started);
                new Thread(Loop) { IsBackground = true, Name = "CftSslTrace read-ahead" }.Start();
            }

            /// <summary>Hands the next stream to this thread; false when it has ended.</summary>
            public bool Give(Action next)
            {
                lock (gate)
                {
                    if (ended) return false;
                    work = next;
                    Monitor.Pulse(gate);
                    return true;
                }
            }

            private void Loop()
            {
                while (true)
                {
                    Action w;
                    lock (gate) { w = work; work = null; }
                    w();
                    bool offered = Interlocked.Increment(ref idleCount) <= MaxIdle;
                    if (offered) Idle.Push(this);
                    else Interlocked.Decrement(ref idleCount);
                    lock (gate)
                    {
                        if (work == null && offered) Monitor.Wait(gate, IdleMilliseconds);
                        if (work == null)
                        {
                            ended = true; // still in the stack maybe: whoever takes it finds it ended
                            return;
                        }
                    }
                }
            }
        }
    }
}
