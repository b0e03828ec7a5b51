using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace CftSslTrace.Fuzz
{
    /// <summary>
    /// Reads every public property of the decoder's objects, nested objects and list elements included, and renders
    /// each value as text: what Format-List *, Export-Csv and ConvertTo-Json do to them in a shell. A property that
    /// throws on some input is a bug the fuzzer reports.
    /// </summary>
    public sealed class ObjectWalker
    {
        private static readonly Dictionary<Type, PropertyInfo[]> Properties = new Dictionary<Type, PropertyInfo[]>();
        private readonly HashSet<object> seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        private readonly int maxDepth;
        private const int MaxElements = 4096;

        /// <summary>Characters of text rendered; makes the work observable so nothing is optimized away.</summary>
        public long Characters { get; private set; }

        public ObjectWalker(int maxDepth = 6) { this.maxDepth = maxDepth; }

        public void Walk(object value) => Walk(value, 0);

        private void Walk(object value, int depth)
        {
            if (value == null) return;
            var type = value.GetType();
            Characters += (value.ToString() ?? "").Length;
            if (type.IsPrimitive || type.IsEnum || value is string || value is DateTime || value is TimeSpan || value is decimal) return;
            if (depth >= maxDepth || !seen.Add(value)) return;
            if (value is byte[]) return;
            if (value is IEnumerable list)
            {
                int n = 0;
                foreach (var item in list)
                {
                    if (++n > MaxElements) break;
                    Walk(item, depth + 1);
                }
                if (!(type.Namespace ?? "").StartsWith("CftSslTrace", StringComparison.Ordinal)) return;
            }
            if (!(type.Namespace ?? "").StartsWith("CftSslTrace", StringComparison.Ordinal)) return;
            foreach (var p in PropertiesOf(type))
                Walk(p.GetValue(value), depth + 1);
        }

        private static PropertyInfo[] PropertiesOf(Type type)
        {
            lock (Properties)
            {
                if (!Properties.TryGetValue(type, out var ps))
                    Properties[type] = ps = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                        .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).ToArray();
                return ps;
            }
        }
    }
}
