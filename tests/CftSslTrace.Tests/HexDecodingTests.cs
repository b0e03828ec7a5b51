using System;
using System.Collections.Generic;
using System.Text;
using CftSslTrace.Reading;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The dump decoder's fast path (two digits a lookup, eight a step) against a plain reference decoder, on random
    /// lines made of hex groups of every length, separators, damage and ASCII columns.
    /// </summary>
    public class HexDecodingTests
    {
        /// <summary>
        /// The rule, written plainly: groups of an even number of hex digits up to '&gt;' or the end; a first group of
        /// letters only is a word (not a dump) unless the ASCII column follows or every group of the line is hex.
        /// </summary>
        private static (string Kind, byte[] Bytes) Reference(string line)
        {
            var bytes = new List<byte>();
            int p = 0, groups = 0;
            bool tentative = false;
            while (true)
            {
                while (p < line.Length && (line[p] == ' ' || line[p] == '\t')) p++;
                if (p >= line.Length || line[p] == '>') break;
                int start = p;
                while (p < line.Length && Uri.IsHexDigit(line[p])) p++;
                bool closed = p >= line.Length || line[p] == ' ' || line[p] == '\t' || line[p] == '>';
                if (p == start || !closed || (p - start) % 2 != 0)
                    return groups == 0 || tentative ? ("NotADump", null) : ("Damaged", bytes.ToArray());
                bool digit = false;
                for (int i = start; i < p; i++) if (char.IsDigit(line[i])) digit = true;
                if (groups == 0 && !digit && line.IndexOf('>', p) < 0) tentative = true;
                for (int i = start; i < p; i += 2) bytes.Add(Convert.ToByte(line.Substring(i, 2), 16));
                groups++;
            }
            return groups == 0 ? ("NotADump", null) : ("Dump", bytes.ToArray());
        }

        [Fact]
        public void RandomDumpLines_DecodeAsThePlainRuleSays()
        {
            var rnd = new Random(11);
            const string digits = "0123456789ABCDEFabcdef";
            const string noise = "GgZz/:@`\u00e9\t ><";
            for (int round = 0; round < 50000; round++)
            {
                var sb = new StringBuilder();
                int groups = rnd.Next(0, 6);
                for (int g = 0; g < groups; g++)
                {
                    if (g > 0) sb.Append(rnd.Next(8) == 0 ? "\t" : rnd.Next(8) == 0 ? "  " : " ");
                    int len = rnd.Next(4) == 0 ? rnd.Next(1, 12) : 8;
                    for (int i = 0; i < len; i++) sb.Append(rnd.Next(60) == 0 ? noise[rnd.Next(noise.Length)] : digits[rnd.Next(digits.Length)]);
                }
                if (rnd.Next(2) == 0) sb.Append(rnd.Next(3) == 0 ? ">" : " >").Append("..5..<>x<");
                string line = sb.ToString();
                var expected = Reference(line);
                var actual = TraceLineParser.TryParseDump(line, out string error);
                string kind = actual == null ? "NotADump" : error != null ? "Damaged" : "Dump";
                Assert.True(expected.Kind == kind, "'" + line + "': expected " + expected.Kind + ", got " + kind);
                if (actual != null) Assert.Equal(Convert.ToHexString(expected.Bytes), Convert.ToHexString(actual));
            }
        }
    }
}
