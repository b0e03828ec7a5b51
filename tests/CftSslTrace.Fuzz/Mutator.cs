using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CftSslTrace.Fuzz
{
    /// <summary>
    /// Deterministic mutations of CFT traces for the short fuzz run of the test suite (AFL++ does its own in the long
    /// run): byte-level ones as AFL does them (flips, interesting values, dictionary tokens, splices) and field-aware
    /// ones on the lines of a trace: a prefix's date and time, the event words, CTX, counts, separators, hex groups,
    /// the ASCII column, line ends, lines dropped, repeated, swapped and interleaved.
    /// </summary>
    public sealed class Mutator
    {
        private static readonly Encoding Latin1 = Encoding.GetEncoding(28591);
        private static readonly string[] Numbers = { "0", "-1", "1", "65535", "65536", "16384", "16385", "2147483647", "2147483648", "4294967296", "9223372036854775808", "99999999999999999999999", "00000000000000000000001", "" };
        private static readonly string[] Dates = { "01/01/0000", "00/00/00", "99/99/99", "31/12/9999", "29/02/23", "0000-01-01", "9999-12-31", "2026-02-30", "2026-13-01", "1969-12-31", "1600-01-01" };
        private static readonly string[] Times = { "00:00:00", "23:59:59.9999999", "24:00:00", "99:99:99", "10:00:00.", "10:00:00.99999999999999999999", "10:00", "1:2:3", "10:00:60" };
        private static readonly string[] LineEnds = { "\n", "\r\n", "\r", "\r\r\n", "\n\r", "" };
        private readonly Random rnd;
        private readonly List<byte[]> tokens;
        private readonly List<byte[]> corpus;

        public Mutator(int seed, IEnumerable<byte[]> dictionary, List<byte[]> corpus)
        {
            rnd = new Random(seed);
            tokens = dictionary.ToList();
            this.corpus = corpus;
        }

        /// <summary>Parses an AFL dictionary (name="value" with \xNN escapes).</summary>
        public static IEnumerable<byte[]> ReadDictionary(string path)
        {
            foreach (var raw in File.ReadAllLines(path))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#') continue;
                int q = line.IndexOf('"');
                if (q < 0 || !line.EndsWith("\"", StringComparison.Ordinal) || q == line.Length - 1) continue;
                var value = line.Substring(q + 1, line.Length - q - 2);
                var bytes = new List<byte>();
                for (int i = 0; i < value.Length; i++)
                {
                    if (value[i] == '\\' && i + 3 < value.Length && value[i + 1] == 'x')
                    {
                        bytes.Add(Convert.ToByte(value.Substring(i + 2, 2), 16));
                        i += 3;
                    }
                    else if (value[i] == '\\' && i + 1 < value.Length) bytes.Add((byte)value[++i]);
                    else bytes.Add((byte)value[i]);
                }
                yield return bytes.ToArray();
            }
        }

        /// <summary>A mutant of the input: one to eight mutations stacked, as AFL's havoc stage does.</summary>
        public byte[] Mutate(byte[] input)
        {
            var data = input;
            int stack = 1 << rnd.Next(4);
            for (int i = 0; i < stack; i++)
                data = rnd.Next(3) == 0 ? MutateBytes(data) : MutateLines(data);
            return data.Length > 1 << 20 ? data.Take(1 << 20).ToArray() : data;
        }

        private byte[] MutateBytes(byte[] data)
        {
            var b = new List<byte>(data);
            int At(int extra = 0) => rnd.Next(b.Count + extra);
            switch (rnd.Next(9))
            {
                case 0: if (b.Count > 0) { int i = At(); b[i] ^= (byte)(1 << rnd.Next(8)); } break;
                case 1: if (b.Count > 0) b[At()] = (byte)rnd.Next(256); break;
                case 2: if (b.Count > 0) b[At()] = new byte[] { 0, 0x7F, 0x80, 0xFF, 0x0A, 0x0D, 0x20, 0x3E, 0x3C }[rnd.Next(9)]; break;
                case 3: { var t = tokens[rnd.Next(tokens.Count)]; b.InsertRange(At(1), t); break; }
                case 4: { var t = tokens[rnd.Next(tokens.Count)]; int i = At(1); for (int k = 0; k < t.Length && i + k < b.Count; k++) b[i + k] = t[k]; break; }
                case 5: if (b.Count > 1) { int i = At(); b.RemoveRange(i, Math.Min(b.Count - i, 1 + rnd.Next(64))); } break;
                case 6: if (b.Count > 1) { int i = At(), n = Math.Min(b.Count - i, 1 + rnd.Next(256)); b.InsertRange(At(1), b.GetRange(i, n)); } break;
                case 7:
                    {
                        // splice with another corpus entry
                        var other = corpus[rnd.Next(corpus.Count)];
                        int cut = At(1), from = rnd.Next(other.Length + 1);
                        b.RemoveRange(cut, b.Count - cut);
                        b.AddRange(other.Skip(from));
                        break;
                    }
                default: if (b.Count > 0) { int i = At(); b.RemoveRange(i, b.Count - i); } break; // truncate
            }
            return b.ToArray();
        }

        private byte[] MutateLines(byte[] data)
        {
            var lines = Latin1.GetString(data).Split('\n').ToList();
            if (lines.Count == 0) return data;
            int i = rnd.Next(lines.Count);
            string l = lines[i];
            switch (rnd.Next(14))
            {
                case 0: lines.RemoveAt(i); break;
                case 1: lines.Insert(rnd.Next(lines.Count + 1), l); break;
                case 2: { int j = rnd.Next(lines.Count); lines[i] = lines[j]; lines[j] = l; break; }
                case 3: lines[i] = ReplaceToken(l, IsDate, _ => Dates[rnd.Next(Dates.Length)]); break;
                case 4: lines[i] = ReplaceToken(l, IsTime, _ => Times[rnd.Next(Times.Length)]); break;
                case 5: lines[i] = ReplaceToken(l, w => w.StartsWith("CTX=", StringComparison.Ordinal), _ => "CTX=" + new[] { "", "0", "2000030000000000000000", "ZZZZZZ", "200003", "210006", "-1", "20000" }[rnd.Next(8)]); break;
                case 6: lines[i] = ReplaceToken(l, IsNumber, w => w.Substring(0, w.IndexOf('=') + 1) + Numbers[rnd.Next(Numbers.Length)]); break;
                case 7: lines[i] = ReplaceToken(l, IsHexGroup, _ => RandomHex(rnd.Next(12))); break;
                case 8:
                    {
                        // the ASCII column: removed, unterminated, or holding hex-looking text
                        int gt = l.LastIndexOf(" >", StringComparison.Ordinal);
                        if (gt >= 0) lines[i] = l.Substring(0, gt) + new[] { "", " >", " >ABCDEF01<", " >..<<>>", " >" + RandomHex(8) }[rnd.Next(5)];
                        break;
                    }
                case 9:
                    {
                        // separators: spaces doubled, tabs, removed
                        var sep = new[] { "  ", "\t", "", " \t " }[rnd.Next(4)];
                        int sp = l.IndexOf(' ', rnd.Next(Math.Max(1, l.Length)));
                        if (sp >= 0) lines[i] = l.Substring(0, sp) + sep + l.Substring(sp + 1);
                        break;
                    }
                case 10:
                    {
                        // the prefix: replaced by another style, a node name, nothing, garbage
                        int code = l.IndexOf("CFT", StringComparison.Ordinal);
                        string[] prefixes = { "", "00 26/11/24 09:45:33.17 ", "01/01/0000 10:00:00 ", "9999-12-31 23:59:59.9999999 ", "node-É01 ", "\0\0\0", "[24/11/2026 09:06:41] ", "2026-11-24T09:06:41 host01 cft[123]: " };
                        if (code >= 0) lines[i] = prefixes[rnd.Next(prefixes.Length)] + l.Substring(code);
                        break;
                    }
                case 11:
                    {
                        // the event words: the code changed to another code of the family, or a continuation
                        int code = l.IndexOf("CFT", StringComparison.Ordinal);
                        string[] codes = { "CFTY02Z", "CFTY19I", "CFTY20I", "CFTY11I", "CFTY12I", "CFTY13E", "CFTY14I", "CFTY15I", "CFTY30E", "CFTY21I", "CFTY14I+", "CFTT75E", "CFTX99Z" };
                        if (code >= 0 && l.Length >= code + 7) lines[i] = l.Substring(0, code) + codes[rnd.Next(codes.Length)] + l.Substring(code + 7);
                        break;
                    }
                case 12:
                    {
                        // interleave a line of another session: another CTX
                        int ctx = l.IndexOf("CTX=", StringComparison.Ordinal);
                        if (ctx >= 0 && l.Length >= ctx + 10) lines.Insert(rnd.Next(lines.Count + 1), l.Substring(0, ctx + 4) + "2" + RandomHex(5) + l.Substring(ctx + 10));
                        break;
                    }
                default:
                    {
                        // line ends
                        var end = LineEnds[rnd.Next(LineEnds.Length)];
                        return Latin1.GetBytes(string.Join(end, lines));
                    }
            }
            return Latin1.GetBytes(string.Join("\n", lines));
        }

        private string ReplaceToken(string line, Func<string, bool> which, Func<string, string> by)
        {
            var words = line.Split(' ');
            var candidates = Enumerable.Range(0, words.Length).Where(k => which(words[k])).ToList();
            if (candidates.Count == 0) return line;
            int k = candidates[rnd.Next(candidates.Count)];
            words[k] = by(words[k]);
            return string.Join(" ", words);
        }

        private string RandomHex(int digits)
        {
            const string hex = "0123456789ABCDEFabcdef";
            var sb = new StringBuilder(digits);
            for (int i = 0; i < digits; i++) sb.Append(hex[rnd.Next(hex.Length)]);
            return sb.ToString();
        }

        private static bool IsDate(string w) => w.Length >= 8 && (w.Count(c => c == '/') == 2 || w.Count(c => c == '-') == 2) && char.IsDigit(w[0]);
        private static bool IsTime(string w) => w.Length >= 5 && w.Count(c => c == ':') >= 2 && char.IsDigit(w[0]);
        private static bool IsNumber(string w) => w.Length > 0 && w.All(char.IsDigit) || w.Contains('=') && w.Substring(w.IndexOf('=') + 1).All(char.IsDigit) && w.IndexOf('=') < w.Length - 1;
        private static bool IsHexGroup(string w) => w.Length >= 2 && w.Length <= 8 && w.All(Uri.IsHexDigit);
    }
}
