using System;
using System.Collections.Concurrent;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Reads a stream ahead on a thread of its own, a few chunks at most: an archive's inflation (as long as the parsing
    /// of its lines, on two cores) overlaps the parsing instead of coming before it. What the inner stream throws is
    /// thrown to the reader where it happened, after every byte read before it. Disposing stops the reading ahead. The
    /// thread is one of <see cref="ReadAheadThreads"/>: the archives of a history are read ahead by the same one.
    /// </summary>
    internal sealed class ReadAheadStream : ReadOnlyStream
    {
        /// <summary>Below the large-object heap's threshold: chunks are young objects, not collected with the whole heap.</summary>
        internal const int ChunkSize = 64 << 10;
        private const int Depth = 6;
        /// <summary>Buffers of streams that ended, for the next (an archive after another): at most two streams' worth.</summary>
        private static readonly ConcurrentQueue<byte[]> Spare = new ConcurrentQueue<byte[]>();
        private static int spareCount;

        private readonly Stream inner;
        private readonly Func<long> storedCount;
        private readonly BlockingCollection<Chunk> filled = new BlockingCollection<Chunk>(new ConcurrentQueue<Chunk>(), Depth);
        private readonly ConcurrentQueue<byte[]> free = new ConcurrentQueue<byte[]>();
        private readonly CancellationTokenSource stop = new CancellationTokenSource();
        private readonly ManualResetEventSlim done = new ManualResetEventSlim();
        private Chunk current;
        private int position;
        private long stored;
        private bool ended, disposed;

        private sealed class Chunk
        {
            public byte[] Data;
            public int Count;
            public long Stored;
            public ExceptionDispatchInfo Error;
            /// <summary>Bytes read before the damage that follows (not the end).</summary>
            public bool Partial;
        }

        /// <param name="inner">The stream read ahead (owned: disposed with this one).</param>
        /// <param name="storedCount">The stored bytes read so far, asked on the reading thread after each chunk.</param>
        public ReadAheadStream(Stream inner, Func<long> storedCount)
        {
            this.inner = inner;
            this.storedCount = storedCount;
            ReadAheadThreads.Run(Run);
        }

        /// <summary>Stored bytes read up to the chunk being read (for progress).</summary>
        public long StoredRead => current?.Stored ?? stored;

        private static int live;
        /// <summary>Read-ahead threads running in this process (for the tests: a stopped read leaves none).</summary>
        internal static int Live => Volatile.Read(ref live);

        private void Run()
        {
            var token = stop.Token;
            Interlocked.Increment(ref live);
            try
            {
                while (!token.IsCancellationRequested)
                {
                    if (!free.TryDequeue(out var buffer) && !TakeSpare(out buffer)) buffer = new byte[ChunkSize];
                    int count = 0, n;
                    try
                    {
                        while (count < buffer.Length && (n = inner.Read(buffer, count, buffer.Length - count)) > 0) count += n;
                    }
                    catch (Exception e) when (!(e is OperationCanceledException))
                    {
                        // the bytes read before the damage, then the damage
                        if (count > 0) filled.Add(new Chunk { Data = buffer, Count = count, Stored = storedCount(), Partial = true }, token);
                        filled.Add(new Chunk { Error = ExceptionDispatchInfo.Capture(e), Stored = storedCount() }, token);
                        return;
                    }
                    filled.Add(new Chunk { Data = buffer, Count = count, Stored = storedCount() }, token);
                    if (count < buffer.Length) break; // the end (an empty chunk when the text ended on a chunk's edge)
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { }
            finally
            {
                Interlocked.Decrement(ref live);
                done.Set();
            }
        }

        private static bool TakeSpare(out byte[] buffer)
        {
            if (!Spare.TryDequeue(out buffer)) return false;
            Interlocked.Decrement(ref spareCount);
            return true;
        }

        private static void GiveSpare(byte[] buffer)
        {
            if (buffer == null || buffer.Length != ChunkSize) return;
            if (Interlocked.Increment(ref spareCount) > 2 * (Depth + 2)) { Interlocked.Decrement(ref spareCount); return; }
            Spare.Enqueue(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (disposed) throw new ObjectDisposedException(nameof(ReadAheadStream));
            int done = 0;
            while (done < count && !ended)
            {
                if (current != null && current.Error != null)
                {
                    if (done > 0) break; // the bytes before the damage first; the damage on the next read
                    ended = true;
                    current.Error.Throw();
                }
                if (current == null || position == current.Count)
                {
                    if (current != null)
                    {
                        if (current.Count < current.Data.Length && !current.Partial) { ended = true; break; }
                        free.Enqueue(current.Data); // once: the chunk is let go with its buffer
                        stored = current.Stored;
                        current = null;
                    }
                    if (done > 0 && filled.Count == 0) break; // what is here now, without waiting for more
                    current = filled.Take();
                    position = 0;
                    continue;
                }
                int k = Math.Min(count - done, current.Count - position);
                Buffer.BlockCopy(current.Data, position, buffer, offset + done, k);
                position += k;
                done += k;
            }
            return done;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && !disposed)
            {
                disposed = true;
                stop.Cancel();
                // the reading ahead ends within one chunk's read; the inner stream is disposed once it no longer reads it
                done.Wait();
                inner.Dispose();
                stop.Dispose();
                done.Dispose();
                GiveSpare(current?.Data);
                current = null;
                while (filled.TryTake(out var chunk)) GiveSpare(chunk.Data);
                while (free.TryDequeue(out var b)) GiveSpare(b);
                filled.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
