using System;
using System.Text;
using CftSslTrace.X509;

namespace CftSslTrace.Export
{
    /// <summary>File names for exported certificates: readable, unique per certificate, safe on every file system.</summary>
    public static class CertificateFileName
    {
        private static readonly string[] Reserved = { "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9" };

        /// <summary>"&lt;common name or subject&gt;_&lt;first 8 hex of the SHA-1 thumbprint&gt;&lt;extension&gt;", no path separators, no reserved names.</summary>
        public static string For(CertificateInfo cert, string extension)
        {
            string basis = cert.CommonName ?? cert.Subject ?? "certificate";
            var sb = new StringBuilder();
            foreach (char c in basis)
            {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.') sb.Append(c);
                else if (sb.Length > 0 && sb[sb.Length - 1] != '_') sb.Append('_');
            }
            string name = sb.ToString().Trim('.', '_', ' ');
            if (name.Length > 60) name = name.Substring(0, 60).TrimEnd('.', '_');
            if (name.Length == 0) name = "certificate";
            foreach (var r in Reserved) if (string.Equals(name, r, StringComparison.OrdinalIgnoreCase) || name.StartsWith(r + ".", StringComparison.OrdinalIgnoreCase)) { name = "_" + name; break; }
            string thumb = cert.Thumbprint ?? "";
            return name + "_" + (thumb.Length >= 8 ? thumb.Substring(0, 8) : "partial") + extension;
        }
    }
}
