using System;
using System.Text;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Helpers for reading the ASCII structure of CFT lines straight from bytes: character classes, hex digits by table,
    /// and the text of the few parts a user sees (events, warnings).
    /// </summary>
    internal static class AsciiBytes
    {
        /// <summary>Value of a hex digit (either case), -1 for any other byte.</summary>
        internal static readonly sbyte[] HexValue = BuildHexTable();

        /// <summary>
        /// Two hex digits at once: index = first character + 256 x second (a little-endian 16-bit read of the pair), value =
        /// the byte they spell, or 0x100 when either is not a hex digit. 128 KiB, of which a dump touches a few hundred entries.
        /// </summary>
        internal static readonly ushort[] HexPairs = BuildPairTable();

        private static ushort[] BuildPairTable()
        {
            var hex = BuildHexTable();
            var t = new ushort[65536];
            for (int i = 0; i < t.Length; i++)
            {
                int hi = hex[i & 0xFF], lo = hex[i >> 8];
                t[i] = (ushort)(hi < 0 || lo < 0 ? 0x100 : (hi << 4) | lo);
            }
            return t;
        }

        private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);
        internal static readonly Encoding Latin1 = Encoding.GetEncoding(28591);

        private static sbyte[] BuildHexTable()
        {
            var t = new sbyte[256];
            for (int i = 0; i < t.Length; i++) t[i] = -1;
            for (int c = '0'; c <= '9'; c++) t[c] = (sbyte)(c - '0');
            for (int c = 'A'; c <= 'F'; c++) t[c] = (sbyte)(c - 'A' + 10);
            for (int c = 'a'; c <= 'f'; c++) t[c] = (sbyte)(c - 'a' + 10);
            return t;
        }

        internal static bool IsDigit(byte c) => c >= (byte)'0' && c <= (byte)'9';
        internal static bool IsUpper(byte c) => c >= (byte)'A' && c <= (byte)'Z';
        internal static bool IsAlnum(byte c) => IsDigit(c) || IsUpper(c) || (c >= (byte)'a' && c <= (byte)'z');
        internal static bool IsBlank(byte c) => c == (byte)' ' || c == (byte)'\t';

        /// <summary>A new array of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        internal static byte[] Copy(byte[] data, int offset, int count)
        {
            var b = new byte[count];
            Buffer.BlockCopy(data, offset, b, 0, count);
            return b;
        }

        /// <summary>Same bytes in two ranges (eight at a time).</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static unsafe bool Same(byte[] a, int aStart, byte[] b, int bStart, int count)
        {
            if (count <= 0) return true;
            if ((uint)aStart > (uint)a.Length || (uint)count > (uint)(a.Length - aStart) || (uint)bStart > (uint)b.Length || (uint)count > (uint)(b.Length - bStart))
                throw new ArgumentOutOfRangeException(nameof(count));
            fixed (byte* pa = &a[aStart], pb = &b[bStart])
            {
                int i = 0;
                for (; i + 8 <= count; i += 8) if (*(long*)(pa + i) != *(long*)(pb + i)) return false;
                for (; i < count; i++) if (pa[i] != pb[i]) return false;
            }
            return true;
        }

        /// <summary>
        /// Text of a byte range: UTF-8 when it is valid UTF-8, Latin-1 otherwise (a log mixing both still reads), or the
        /// encoding the user named.
        /// </summary>
        internal static string Text(byte[] bytes, int offset, int count)
        {
            for (int i = offset; i < offset + count; i++)
            {
                if (bytes[i] >= 0x80)
                {
                    try { return StrictUtf8.GetString(bytes, offset, count); }
                    catch (DecoderFallbackException) { return Latin1.GetString(bytes, offset, count); }
                }
            }
            return Latin1.GetString(bytes, offset, count); // pure ASCII: the fastest exact decoder
        }

        /// <summary>Bytes of a string as a log file would hold them (UTF-8).</summary>
        internal static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text ?? string.Empty);

        /// <summary>Position of "CFTxnnS" (x upper-case letter, nn digits, S upper-case letter, not glued to a word before it) or -1.</summary>
        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        internal static int FindCode(byte[] b, int start, int end)
        {
            int i = start;
            while (i + 7 <= end)
            {
                // the code follows a short prefix: a plain loop beats a vectorised search's call for the first few bytes
                int c = -1, limit = Math.Min(end - 6, i + 48);
                for (int k = i; k < limit; k++) if (b[k] == (byte)'C') { c = k; break; }
                if (c < 0 && limit < end - 6) c = Array.IndexOf(b, (byte)'C', limit, end - 6 - limit);
                if (c < 0) return -1;
                if (b[c + 1] == (byte)'F' && b[c + 2] == (byte)'T' && IsUpper(b[c + 3]) && IsDigit(b[c + 4]) && IsDigit(b[c + 5]) && IsUpper(b[c + 6])
                    && (c == start || !IsAlnum(b[c - 1])))
                    return c;
                i = c + 1;
            }
            return -1;
        }
    }
}

namespace CftSslTrace
{
    /// <summary>
    /// Methods run for every line of a log are compiled fully optimised at once (MethodImplOptions.AggressiveOptimization,
    /// .NET Core 3.0+; ignored by .NET Framework), so that the first call of a fresh shell runs at full speed instead of
    /// in the unoptimised first tier.
    /// </summary>
    internal static class Hot
    {
        internal const System.Runtime.CompilerServices.MethodImplOptions Path = (System.Runtime.CompilerServices.MethodImplOptions)512;
    }
}
