using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CftSslTrace.Registry
{
    /// <summary>Reads the IANA registry CSV files embedded in the assembly (RFC 4180 quoting, fields spanning lines).</summary>
    internal static class CsvTable
    {
        public static List<string[]> ReadResource(string fileName)
        {
            var asm = typeof(CsvTable).Assembly;
            using (var stream = asm.GetManifestResourceStream("CftSslTrace.Registry." + fileName))
            {
                if (stream == null) throw new InvalidOperationException("Missing embedded registry " + fileName);
                using (var reader = new StreamReader(stream, Encoding.UTF8))
                    return Parse(reader.ReadToEnd());
            }
        }

        public static List<string[]> Parse(string text)
        {
            var rows = new List<string[]>();
            var row = new List<string>();
            var field = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                        else quoted = false;
                    }
                    else field.Append(c);
                    continue;
                }
                switch (c)
                {
                    case '"': quoted = true; break;
                    case ',': row.Add(field.ToString()); field.Clear(); break;
                    case '\r': break;
                    case '\n':
                        row.Add(field.ToString()); field.Clear();
                        rows.Add(row.ToArray()); row.Clear();
                        break;
                    default: field.Append(c); break;
                }
            }
            if (field.Length > 0 || row.Count > 0) { row.Add(field.ToString()); rows.Add(row.ToArray()); }
            if (rows.Count > 0) rows.RemoveAt(0); // header
            return rows;
        }

        /// <summary>IANA names carry editorial suffixes: "_RESERVED", " (renamed from ...)". Returns the plain name, or null for ranges/unassigned/reserved rows.</summary>
        public static string CleanName(string description)
        {
            if (string.IsNullOrWhiteSpace(description)) return null;
            string name = description.Trim();
            int paren = name.IndexOf(" (", StringComparison.Ordinal);
            if (paren > 0) name = name.Substring(0, paren);
            if (name.EndsWith("_RESERVED", StringComparison.Ordinal)) name = name.Substring(0, name.Length - 9);
            if (name.StartsWith("Unassigned", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Reserved", StringComparison.OrdinalIgnoreCase)) return null;
            if (name.IndexOf(' ') >= 0) return null;
            return name;
        }

        /// <summary>Parses "47", "0x002F", "0x0201" or IANA's two-byte form "0x00,0x2F"; returns -1 for ranges.</summary>
        public static int ParseValue(string value)
        {
            value = value.Trim();
            if (value.IndexOf('-') >= 0 || value.IndexOf('*') >= 0) return -1;
            var parts = value.Split(',');
            if (parts.Length == 2) return (ParseOne(parts[0]) << 8) | ParseOne(parts[1]);
            return ParseOne(value);
        }

        private static int ParseOne(string s)
        {
            s = s.Trim();
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) return Convert.ToInt32(s.Substring(2), 16);
            return int.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
