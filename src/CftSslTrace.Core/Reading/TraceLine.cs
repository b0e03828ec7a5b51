using System;
using System.Globalization;

namespace CftSslTrace.Reading
{
    public enum TraceLineKind { DataHeader, Dump, Event, Malformed }

    public enum TraceDirection { Unknown, Sent, Received }

    /// <summary>What one CFTY02Z line (or a bare pasted dump line) says.</summary>
    public sealed class TraceLine
    {
        public TraceLineKind Kind { get; internal set; }
        public string Ctx { get; internal set; }
        /// <summary>Data header: SSLact, PDataRq, ndata...</summary>
        public string Function { get; internal set; }
        public int? Count { get; internal set; }
        public TraceDirection Direction { get; internal set; }
        /// <summary>Data header: HANDSHAKE, APPLICATION, ALERT (as written).</summary>
        public string DataKind { get; internal set; }
        /// <summary>Dump: the bytes of the hex groups.</summary>
        public byte[] Bytes { get; internal set; }
        /// <summary>Event text, or why the line is malformed.</summary>
        public string Message { get; internal set; }
        /// <summary>For a malformed line: what kind of problem (a <see cref="Sessions.DiagnosticKind"/>).</summary>
        public string Problem { get; internal set; }
    }

    /// <summary>How the content of a trace line reads (after CTX=).</summary>
    internal enum DumpParse { NotADump, Dump, Damaged }

    /// <summary>
    /// Understands CFTY02Z trace text by keywords, not by one template: data headers in any word order, dump lines
    /// from their hex groups (never the ASCII column), anything else as a trace event. Works on the bytes of the line;
    /// the string methods are the same parser for text that is already a string.
    /// </summary>
    public static class TraceLineParser
    {
        /// <summary>Skips the "&gt;&gt;" and blanks after the code, then reads "CTX=value" (blanks around '=' tolerated).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static bool ReadCtx(byte[] s, ref int p, int end, out int ctxStart, out int ctxLength)
        {
            ctxStart = ctxLength = 0;
            while (p < end && (s[p] == '>' || AsciiBytes.IsBlank(s[p]))) p++;
            int at = p;
            if (at + 3 > end || (s[at] | 0x20) != 'c' || (s[at + 1] | 0x20) != 't' || (s[at + 2] | 0x20) != 'x') return false;
            int q = at + 3;
            while (q < end && AsciiBytes.IsBlank(s[q])) q++;
            if (q >= end || s[q] != '=') return false;
            q++;
            while (q < end && AsciiBytes.IsBlank(s[q])) q++;
            int v = q;
            while (q < end && !AsciiBytes.IsBlank(s[q])) q++;
            if (q == v) return false;
            ctxStart = v;
            ctxLength = q - v;
            p = q;
            return true;
        }

        /// <summary>
        /// Hex groups (an even number of hex digits each) up to the ASCII column, which starts with '&gt;' and may be glued
        /// to the last group. The bytes go to output from outputCount on (the array grows when needed). NotADump when the
        /// text does not start with a hex group; Damaged when a group breaks off: the bytes before it are kept and
        /// damagedAt is where the damage starts.
        /// </summary>
        internal static DumpParse ParseDump(byte[] s, int p, int end, ref byte[] output, ref int outputCount, out int damagedAt)
            => ParseDump(s, p, end, ref output, ref outputCount, out damagedAt, AsciiBytes.HexValue, AsciiBytes.HexPairs);

        /// <param name="hex">The hex-digit table (<see cref="AsciiBytes.HexValue"/>) and the pair table (<see cref="AsciiBytes.HexPairs"/>), passed in: the method is compiled before class initialisation and would otherwise check them on every call.</param>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static unsafe DumpParse ParseDump(byte[] s, int p, int end, ref byte[] output, ref int outputCount, out int damagedAt, sbyte[] hex, ushort[] pairTable)
        {
            damagedAt = -1;
            int n = outputCount, groups = 0;
            // a first group of hex letters only ("ADD", "CAFE") may be a word: a dump when the ASCII column follows or the
            // whole line is hex groups, text otherwise
            bool tentative = false;
            if ((uint)end > (uint)s.Length || p < 0) throw new ArgumentOutOfRangeException(nameof(end));
            if (output.Length - n < (end - p) / 2 + 16) Array.Resize(ref output, Math.Max(output.Length * 2, n + (end - p) / 2 + 16));
            fixed (byte* src = s, dst = output)
            fixed (sbyte* hv = hex)
            {
                // fast path: groups of 8 hex digits, as CFT writes them ("16030100 35010000 ..."): two digits a lookup
                // (a table of every pair of characters, read as one 16-bit word on little-endian machines)
                bool pairs = BitConverter.IsLittleEndian && pairTable != null;
                fixed (ushort* pt = pairTable)
                while (p + 8 <= end)
                {
                    byte* q = src + p;
                    if (pairs)
                    {
                        uint a = pt[*(ushort*)q], b = pt[*(ushort*)(q + 2)], c = pt[*(ushort*)(q + 4)], d = pt[*(ushort*)(q + 6)];
                        if (((a | b | c | d) & 0x100) != 0) break;
                        if (p + 8 < end) { byte after = q[8]; if (after != (byte)' ' && after != (byte)'\t' && after != (byte)'>') break; }
                        if (groups == 0 && FirstGroupIsWord(s, q, p, end)) tentative = true;
                        *(uint*)(dst + n) = a | (b << 8) | (c << 16) | (d << 24);
                    }
                    else
                    {
                        int h0 = hv[q[0]], h1 = hv[q[1]], h2 = hv[q[2]], h3 = hv[q[3]], h4 = hv[q[4]], h5 = hv[q[5]], h6 = hv[q[6]], h7 = hv[q[7]];
                        if ((h0 | h1 | h2 | h3 | h4 | h5 | h6 | h7) < 0) break;
                        if (p + 8 < end) { byte after = q[8]; if (after != (byte)' ' && after != (byte)'\t' && after != (byte)'>') break; }
                        if (groups == 0 && FirstGroupIsWord(s, q, p, end)) tentative = true;
                        dst[n] = (byte)((h0 << 4) | h1);
                        dst[n + 1] = (byte)((h2 << 4) | h3);
                        dst[n + 2] = (byte)((h4 << 4) | h5);
                        dst[n + 3] = (byte)((h6 << 4) | h7);
                    }
                    n += 4;
                    groups++;
                    p += 8;
                    while (p < end && (src[p] == (byte)' ' || src[p] == (byte)'\t')) p++;
                    if (p >= end || src[p] == (byte)'>') { outputCount = n; return DumpParse.Dump; }
                }
                // any other layout: groups of any even length, one byte a step
                while (true)
                {
                    while (p < end && (src[p] == (byte)' ' || src[p] == (byte)'\t')) p++;
                    if (p >= end || src[p] == (byte)'>') break;
                    int groupStart = p, groupBytes = n;
                    while (p + 1 < end)
                    {
                        int hi = hv[src[p]];
                        if (hi < 0) break;
                        int lo = hv[src[p + 1]];
                        if (lo < 0) break;
                        dst[n++] = (byte)((hi << 4) | lo);
                        p += 2;
                    }
                    bool closed = p >= end || src[p] == (byte)' ' || src[p] == (byte)'\t' || src[p] == (byte)'>';
                    if (p == groupStart || !closed)
                    {
                        n = groupBytes;
                        if (groups == 0 || tentative) return DumpParse.NotADump;
                        damagedAt = groupStart;
                        outputCount = n;
                        return DumpParse.Damaged;
                    }
                    if (groups == 0 && !HasDigit(s, groupStart, p) && Array.IndexOf(s, (byte)'>', p, end - p) < 0) tentative = true;
                    groups++;
                }
            }
            if (groups == 0) return DumpParse.NotADump;
            outputCount = n;
            return DumpParse.Dump;
        }

        /// <summary>The 8-digit group at q (position p) has only letters and no ASCII column follows: it may be a word.</summary>
        private static unsafe bool FirstGroupIsWord(byte[] s, byte* q, int p, int end)
        {
            for (int k = 0; k < 8; k++) if (q[k] <= (byte)'9') return false;
            return Array.IndexOf(s, (byte)'>', p + 8, end - p - 8) < 0;
        }

        private static bool HasDigit(byte[] s, int start, int end)
        {
            for (int i = start; i < end; i++) if (AsciiBytes.IsDigit(s[i])) return true;
            return false;
        }

        /// <summary>The damaged token, for the warning.</summary>
        internal static string Token(byte[] s, int start, int end)
        {
            int e = start;
            while (e < end && !AsciiBytes.IsBlank(s[e])) e++;
            return AsciiBytes.Text(s, start, Math.Min(e - start, 20));
        }

        /// <summary>Parses the body of a CFTY02Z line (the text after the code, starting with "&gt;&gt;").</summary>
        public static TraceLine ParseTraceBody(string body)
        {
            var b = AsciiBytes.Bytes(body);
            int p = 0;
            if (!ReadCtx(b, ref p, b.Length, out int cs, out int cl))
                return new TraceLine { Kind = TraceLineKind.Malformed, Problem = Sessions.DiagnosticKind.TraceWithoutCtx, Message = "CFTY02Z line without CTX=" };
            var t = ParseContent(b, p, b.Length, allowEvent: true);
            t.Ctx = AsciiBytes.Text(b, cs, cl);
            return t;
        }

        /// <summary>Parses a line without message code, as pasted from an e-mail: "[CTX=x] 16030100 ...", or a bare header.</summary>
        public static TraceLine ParseBare(string line)
        {
            var b = AsciiBytes.Bytes(line);
            int p = 0;
            string ctx = ReadCtx(b, ref p, b.Length, out int cs, out int cl) ? AsciiBytes.Text(b, cs, cl) : null;
            var t = ParseContent(b, p, b.Length, allowEvent: false);
            if (t == null) return null;
            t.Ctx = ctx;
            return t;
        }

        /// <summary>A dump, a data header, or (allowEvent) any other trace text; null when none and !allowEvent.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static TraceLine ParseContent(byte[] s, int p, int end, bool allowEvent)
        {
            while (p < end && AsciiBytes.IsBlank(s[p])) p++;
            while (end > p && (AsciiBytes.IsBlank(s[end - 1]) || s[end - 1] == (byte)'\r')) end--;
            if (p < end && AsciiBytes.HexValue[s[p]] >= 0)
            {
                var bytes = new byte[Math.Max(16, (end - p) / 2)];
                int count = 0;
                var kind = ParseDump(s, p, end, ref bytes, ref count, out int damagedAt);
                if (kind != DumpParse.NotADump)
                {
                    Array.Resize(ref bytes, count);
                    if (kind == DumpParse.Damaged)
                        return new TraceLine { Kind = TraceLineKind.Malformed, Problem = Sessions.DiagnosticKind.DamagedDump, Bytes = bytes, Message = DamageMessage(s, damagedAt, end, count) };
                    return new TraceLine { Kind = TraceLineKind.Dump, Bytes = bytes };
                }
            }
            var header = TryParseHeader(s, p, end);
            if (header != null) return header;
            if (!allowEvent) return null;
            if (p >= end) return new TraceLine { Kind = TraceLineKind.Malformed, Problem = Sessions.DiagnosticKind.MalformedTrace, Message = "empty trace line" };
            return new TraceLine { Kind = TraceLineKind.Event, Message = AsciiBytes.Text(s, p, end - p) };
        }

        internal static string DamageMessage(byte[] s, int damagedAt, int end, int count)
            => "damaged dump line: unexpected '" + Token(s, damagedAt, end) + "' after " + count.ToString(CultureInfo.InvariantCulture) + " bytes";

        /// <summary>The bytes of a dump text (hex groups, then the ASCII column); null when it is not one. error is set for a damaged line.</summary>
        public static byte[] TryParseDump(string s, out string error)
        {
            error = null;
            var b = AsciiBytes.Bytes(s);
            var bytes = new byte[Math.Max(16, b.Length / 2)];
            int count = 0;
            var kind = ParseDump(b, 0, b.Length, ref bytes, ref count, out int damagedAt);
            if (kind == DumpParse.NotADump) return null;
            Array.Resize(ref bytes, count);
            if (kind == DumpParse.Damaged) error = DamageMessage(b, damagedAt, b.Length, count);
            return bytes;
        }

        /// <summary>
        /// A data header: a function name "xxx()" and/or the word DATA, a decimal count, and a direction
        /// (SENDING / RECEIVED, or the function: SSLact and PDataRq send, ndata receives), in any order.
        /// </summary>
        public static TraceLine TryParseHeader(string s)
        {
            var b = AsciiBytes.Bytes(s);
            return TryParseHeader(b, 0, b.Length);
        }

        /// <summary>The same on bytes, without making a string for the known words (a data header precedes every record).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static TraceLine TryParseHeader(byte[] s, int start, int end)
        {
            string function = null;
            int paren = IndexOf(s, start, end, "()");
            if (paren > start)
            {
                int fe = paren;
                while (fe > start && s[fe - 1] == (byte)' ') fe--; // "ndata ()" in re-worded logs
                int fs = fe;
                while (fs > start && (AsciiBytes.IsAlnum(s[fs - 1]) || s[fs - 1] == (byte)'_')) fs--;
                function = KnownFunction(s, fs, fe) ?? AsciiBytes.Text(s, fs, fe - fs);
            }
            bool hasData = ContainsWord(s, start, end, "DATA");
            bool knownFunction = function == "SSLact" || function == "PDataRq" || function == "ndata";
            var direction = TraceDirection.Unknown;
            if (IndexOf(s, start, end, "SENDING") >= 0 || ContainsWord(s, start, end, "SENT") || ContainsWord(s, start, end, "SEND")) direction = TraceDirection.Sent;
            else if (IndexOf(s, start, end, "RECEIVED") >= 0 || IndexOf(s, start, end, "RECEIVING") >= 0) direction = TraceDirection.Received;
            else if (knownFunction) direction = function == "ndata" ? TraceDirection.Received : TraceDirection.Sent;
            if (!knownFunction && !(hasData && direction != TraceDirection.Unknown)) return null;
            string kind = null;
            foreach (var k in DataKinds)
                if (IndexOf(s, start, end, k) >= 0) { kind = k; break; }
            int? count = FindCount(s, start, paren < start ? start : paren + 2, end, out bool tooLarge);
            if (count == null && !tooLarge) count = FindCount(s, start, start, end, out tooLarge);
            var t = new TraceLine { Kind = TraceLineKind.DataHeader, Function = function, Direction = direction, DataKind = kind, Count = count };
            if (count == null) { t.Kind = TraceLineKind.Malformed; t.Problem = Sessions.DiagnosticKind.MalformedTrace; t.Message = tooLarge ? "data header with a byte count out of range" : "data header without a byte count"; }
            else if (direction == TraceDirection.Unknown) { t.Kind = TraceLineKind.Malformed; t.Problem = Sessions.DiagnosticKind.MalformedTrace; t.Message = "data header without a direction (SENDING/RECEIVED)"; }
            return t;
        }

        private static readonly string[] DataKinds = { "HANDSHAKE", "APPLICATION", "ALERT", "CHANGE" };
        private static readonly string[] Functions = { "SSLact", "PDataRq", "ndata" };

        /// <summary>The function names CFT writes, as one shared string each.</summary>
        private static string KnownFunction(byte[] s, int start, int end)
        {
            foreach (var f in Functions)
                if (end - start == f.Length && EqualsIgnoreCase(s, start, f)) return f;
            return null;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static bool EqualsIgnoreCase(byte[] s, int at, string word)
        {
            for (int i = 0; i < word.Length; i++)
            {
                int c = s[at + i];
                if (c >= 'a' && c <= 'z') c -= 32;
                int w = word[i];
                if (w >= 'a' && w <= 'z') w -= 32;
                if (c != w) return false;
            }
            return true;
        }

        /// <summary>First position of an ASCII word in [start, end), ignoring case; -1 if none.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static int IndexOf(byte[] s, int start, int end, string word)
        {
            // the first letter first (a header is read a dozen times over for its words): the rest only where it matches
            int first = word[0] | 0x20;
            for (int i = start; i + word.Length <= end; i++)
                if ((s[i] | 0x20) == first && EqualsIgnoreCase(s, i, word)) return i;
            return -1;
        }

        /// <summary>
        /// The first free-standing decimal number from 'from'; tooLarge when it has more than 9 digits. Nothing before the
        /// text's start counts: the bytes there belong to another line.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static int? FindCount(byte[] s, int start, int from, int end, out bool tooLarge)
        {
            tooLarge = false;
            for (int i = from; i < end; i++)
            {
                if (!AsciiBytes.IsDigit(s[i])) continue;
                if (i > start && IsLetterOrDigit(s[i - 1])) continue;
                int e = i;
                while (e < end && AsciiBytes.IsDigit(s[e])) e++;
                if (e < end && IsLetter(s[e])) { i = e; continue; }
                if (e - i > 9) { tooLarge = true; return null; }
                int v = 0;
                for (int k = i; k < e; k++) v = v * 10 + (s[k] - '0');
                return v;
            }
            return null;
        }

        private static bool IsLetter(byte c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
        private static bool IsLetterOrDigit(byte c) => IsLetter(c) || AsciiBytes.IsDigit(c);

        /// <summary>The word, not glued to other letters, ignoring case.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        private static bool ContainsWord(byte[] s, int start, int end, string word)
        {
            int first = word[0] | 0x20;
            for (int i = start; i + word.Length <= end; i++)
            {
                if ((s[i] | 0x20) != first || !EqualsIgnoreCase(s, i, word)) continue;
                bool before = i == start || !IsLetter(s[i - 1]);
                bool after = i + word.Length >= end || !IsLetter(s[i + word.Length]);
                if (before && after) return true;
            }
            return false;
        }
    }
}
