using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// A read-only list whose text form is its items joined by ", " - so that Export-Csv, string expansion and
    /// table views show "ClientHello, ServerHello" rather than a type name.
    /// </summary>
    public sealed class NamedList<T> : ReadOnlyCollection<T>
    {
        private readonly string countNoun;

        public NamedList() : base(new List<T>()) { }
        public NamedList(IList<T> items) : base(items) { }

        /// <summary>A list shown by its size ("18 frames") rather than its items, for long lists of rich objects.</summary>
        internal NamedList(string countNoun) : base(new List<T>()) { this.countNoun = countNoun; }

        private string separator = ", ";

        /// <summary>A list shown by its items joined with <paramref name="separator"/>: items that hold commas themselves
        /// (distinguished names) stay apart in a CSV cell.</summary>
        internal static NamedList<T> JoinedWith(string separator) => new NamedList<T> { separator = separator };

        /// <summary>An empty list that cannot grow, read in place of a session's list that was never made.</summary>
        internal static readonly NamedList<T> None = new NamedList<T>(new T[0]);

        /// <summary>Enumerates without allocating (foreach over a NamedList).</summary>
        public new Enumerator GetEnumerator() => new Enumerator(Items);

        /// <summary>The items in order, by index.</summary>
        public struct Enumerator : IEnumerator<T>
        {
            private readonly IList<T> items;
            private int index;
            private T current;

            internal Enumerator(IList<T> items) { this.items = items; index = 0; current = default(T); }

            public T Current => current;
            object System.Collections.IEnumerator.Current => current;

            public bool MoveNext()
            {
                if (index >= items.Count) { current = default(T); return false; }
                current = items[index++];
                return true;
            }

            public void Reset() { index = 0; current = default(T); }
            public void Dispose() { }
        }

        internal void Add(T item) => Items.Add(item);
        internal void Insert(int index, T item) => Items.Insert(index, item);
        internal void Clear() => Items.Clear();

        public override string ToString() => countNoun != null ? Count + " " + countNoun : string.Join(separator, this);
    }
}
