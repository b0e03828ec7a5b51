using System;
using System.Collections.Generic;

namespace CftSslTrace.Pictures
{
    /// <summary>Word wrapping for the pictures: breaks at spaces (and after commas), cuts words longer than a line.</summary>
    internal static class TextWrap
    {
        public static List<string> Lines(string text, int width)
        {
            var lines = new List<string>();
            if (width < 1) width = 1;
            if (string.IsNullOrEmpty(text)) { lines.Add(""); return lines; }
            int start = 0;
            while (start < text.Length)
            {
                while (start < text.Length && text[start] == ' ' && lines.Count > 0) start++;
                if (start >= text.Length) break;
                int remaining = text.Length - start;
                if (remaining <= width) { lines.Add(text.Substring(start)); break; }
                int cut = -1;
                for (int i = start + width; i > start; i--)
                {
                    if (text[i] == ' ') { cut = i; break; }
                }
                if (cut <= start) cut = start + width;
                lines.Add(text.Substring(start, cut - start).TrimEnd());
                start = cut;
            }
            if (lines.Count == 0) lines.Add("");
            return lines;
        }

        public static string Pad(string text, int width) => text.Length >= width ? text : text + new string(' ', width - text.Length);
        public static string Repeat(char c, int n) => n <= 0 ? "" : new string(c, n);
    }
}
