using System;
using System.Collections;
using System.Collections.Generic;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// A read-only list whose text form is its items joined by ", " - so that Export-Csv, string expansion and
    /// table views show "ClientHello, ServerHello" rather than a type name. Its items are held in one array of its own
    /// (no list inside a collection): a session holds a dozen of these while it is open, and the collector moves them.
    /// </summary>
    public sealed class NamedList<T> : IList<T>, IReadOnlyList<T>, IList
    {
        private static readonly T[] Empty = new T[0];
        private T[] items = Empty;
        private int count;
        private readonly string countNoun;
        private string separator = ", ";

        public NamedList() { }

        /// <summary>A list of these items (copied: later changes to <paramref name="items"/> are not seen).</summary>
        public NamedList(IList<T> items)
        {
            if (items == null) throw new ArgumentNullException(nameof(items));
            count = items.Count;
            if (count == 0) return;
            this.items = new T[count];
            items.CopyTo(this.items, 0);
        }

        /// <summary>A list shown by its size ("18 frames") rather than its items, for long lists of rich objects.</summary>
        internal NamedList(string countNoun) { this.countNoun = countNoun; }

        /// <summary>A list shown by its items joined with <paramref name="separator"/>: items that hold commas themselves
        /// (distinguished names) stay apart in a CSV cell.</summary>
        internal static NamedList<T> JoinedWith(string separator) => new NamedList<T> { separator = separator };

        /// <summary>An empty list that cannot grow, read in place of a session's list that was never made.</summary>
        internal static readonly NamedList<T> None = new NamedList<T>();

        public int Count => count;

        public T this[int index]
        {
            get
            {
                if ((uint)index >= (uint)count) throw new ArgumentOutOfRangeException(nameof(index));
                return items[index];
            }
        }

        public bool Contains(T item) => IndexOf(item) >= 0;
        public int IndexOf(T item) => count == 0 ? -1 : Array.IndexOf(items, item, 0, count);
        public void CopyTo(T[] array, int index) => Array.Copy(items, 0, array, index, count);

        /// <summary>Enumerates without allocating (foreach over a NamedList).</summary>
        public Enumerator GetEnumerator() => new Enumerator(this);

        /// <summary>The items in order, by index.</summary>
        public struct Enumerator : IEnumerator<T>
        {
            private readonly NamedList<T> list;
            private int index;
            private T current;

            internal Enumerator(NamedList<T> list) { this.list = list; index = 0; current = default(T); }

            public T Current => current;
            object IEnumerator.Current => current;

            public bool MoveNext()
            {
                if (index >= list.count) { current = default(T); return false; }
                current = list.items[index++];
                return true;
            }

            public void Reset() { index = 0; current = default(T); }
            public void Dispose() { }
        }

        internal void Add(T item)
        {
            if (ReferenceEquals(this, None)) throw new NotSupportedException("this empty list cannot grow");
            if (count == items.Length) Grow();
            items[count++] = item;
        }

        internal void Insert(int index, T item)
        {
            if (ReferenceEquals(this, None)) throw new NotSupportedException("this empty list cannot grow");
            if ((uint)index > (uint)count) throw new ArgumentOutOfRangeException(nameof(index));
            if (count == items.Length) Grow();
            if (index < count) Array.Copy(items, index, items, index + 1, count - index);
            items[index] = item;
            count++;
        }

        internal void Clear()
        {
            if (count > 0) Array.Clear(items, 0, count);
            count = 0;
        }

        private void Grow()
        {
            var larger = new T[items.Length == 0 ? 4 : items.Length * 2];
            Array.Copy(items, larger, count);
            items = larger;
        }

        public override string ToString() => countNoun != null ? Count + " " + countNoun : string.Join(separator, this);

        // --- read-only collection interfaces (changes are refused, as by ReadOnlyCollection) ------------------------

        T IList<T>.this[int index] { get => this[index]; set => throw ReadOnly(); }
        bool ICollection<T>.IsReadOnly => true;
        void ICollection<T>.Add(T item) => throw ReadOnly();
        void ICollection<T>.Clear() => throw ReadOnly();
        bool ICollection<T>.Remove(T item) => throw ReadOnly();
        void IList<T>.Insert(int index, T item) => throw ReadOnly();
        void IList<T>.RemoveAt(int index) => throw ReadOnly();
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        object IList.this[int index] { get => this[index]; set => throw ReadOnly(); }
        bool IList.IsFixedSize => true;
        bool IList.IsReadOnly => true;
        int IList.Add(object value) => throw ReadOnly();
        void IList.Clear() => throw ReadOnly();
        bool IList.Contains(object value) => value is T t ? Contains(t) : value == null && default(T) == null && Contains(default(T));
        int IList.IndexOf(object value) => value is T t ? IndexOf(t) : value == null && default(T) == null ? IndexOf(default(T)) : -1;
        void IList.Insert(int index, object value) => throw ReadOnly();
        void IList.Remove(object value) => throw ReadOnly();
        void IList.RemoveAt(int index) => throw ReadOnly();
        void ICollection.CopyTo(Array array, int index) => Array.Copy(items, 0, array, index, count);
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => this;

        private static NotSupportedException ReadOnly() => new NotSupportedException("the list is read-only");
    }
}
