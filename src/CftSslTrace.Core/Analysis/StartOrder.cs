using System;
using System.Collections.Generic;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// Puts what a reader returns as sessions end back in the order the sessions started (their first positions in the
    /// history), holding only the items that ended before an older session: each comes with the reader's floor (every
    /// session returned after it starts at or after that position), and the items below the floor are released in order.
    /// An item that comes after a later-starting one was released (a pipeline that re-sorted the sessions) is released
    /// at once: it cannot be put back, and <see cref="Late"/> counts it.
    /// </summary>
    public sealed class StartOrder<T>
    {
        private readonly Action<T> release;
        private (long Position, long Arrival, T Item)[] heap = new (long, long, T)[16];
        private int count;
        private long arrivals, released = long.MinValue;

        public StartOrder(Action<T> release) => this.release = release ?? throw new ArgumentNullException(nameof(release));

        /// <summary>Items held now: those that ended while an older session was still open.</summary>
        public int Held => count;

        /// <summary>The most items held at once (after an item came and those it let go were released).</summary>
        public int MostHeld { get; private set; }

        /// <summary>Items that came after a later-starting one was released, released as they came.</summary>
        public long Late { get; private set; }

        /// <summary>An item of the session that starts at this position; floor: every session returned after it starts at or after it.</summary>
        public void Add(long position, long floor, T item)
        {
            if (position < released)
            {
                Late++;
                release(item);
            }
            else Push(position, item);
            while (count > 0 && heap[0].Position < floor) release(Pop());
            if (count > MostHeld) MostHeld = count;
        }

        /// <summary>Releases every item held, in order (the end of the input).</summary>
        public void Flush()
        {
            while (count > 0) release(Pop());
        }

        private void Push(long position, T item)
        {
            if (count == heap.Length) Array.Resize(ref heap, count * 2);
            var entry = (position, arrivals++, item);
            int i = count++;
            while (i > 0)
            {
                int parent = (i - 1) / 2;
                if (!Less(entry, heap[parent])) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = entry;
        }

        private T Pop()
        {
            var top = heap[0];
            var last = heap[--count];
            heap[count] = default;
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= count) break;
                if (child + 1 < count && Less(heap[child + 1], heap[child])) child++;
                if (!Less(heap[child], last)) break;
                heap[i] = heap[child];
                i = child;
            }
            if (count > 0) heap[i] = last;
            if (count == 0 && heap.Length > 1024) heap = new (long, long, T)[16];
            released = top.Position;
            return top.Item;
        }

        private static bool Less((long Position, long Arrival, T Item) a, (long Position, long Arrival, T Item) b)
            => a.Position < b.Position || (a.Position == b.Position && a.Arrival < b.Arrival);
    }
}
