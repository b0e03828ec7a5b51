using System;

namespace CftSslTrace.Reading
{
    /// <summary>What the first bytes of a file say it is.</summary>
    public enum FileFormat
    {
        /// <summary>Not a known container: read as text (a log).</summary>
        Plain,
        GZip,
        Zip,
        // containers that are recognised but not read
        BZip2,
        Xz,
        SevenZip,
        Zstandard,
        Tar,
        UnixCompress,
        Rar,
        Lz4,
        Lzip,
        Cabinet,
    }

    /// <summary>Recognises archives and compressed files by their magic numbers (not by their names).</summary>
    public static class ArchiveFormat
    {
        /// <summary>Bytes to look at: tar's "ustar" is at offset 257.</summary>
        public const int SniffBytes = 512;

        public static FileFormat Of(byte[] b, int length)
        {
            if (Starts(b, length, 0x1F, 0x8B)) return FileFormat.GZip;
            if (Starts(b, length, 0x50, 0x4B, 0x03, 0x04) || Starts(b, length, 0x50, 0x4B, 0x05, 0x06) || Starts(b, length, 0x50, 0x4B, 0x07, 0x08)) return FileFormat.Zip;
            if (Starts(b, length, 0x42, 0x5A, 0x68) && length > 3 && b[3] >= (byte)'1' && b[3] <= (byte)'9') return FileFormat.BZip2;
            if (Starts(b, length, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00)) return FileFormat.Xz;
            if (Starts(b, length, 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C)) return FileFormat.SevenZip;
            if (Starts(b, length, 0x28, 0xB5, 0x2F, 0xFD)) return FileFormat.Zstandard;
            if (Starts(b, length, 0x1F, 0x9D) || Starts(b, length, 0x1F, 0xA0)) return FileFormat.UnixCompress;
            if (Starts(b, length, 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07)) return FileFormat.Rar;
            if (Starts(b, length, 0x04, 0x22, 0x4D, 0x18)) return FileFormat.Lz4;
            if (Starts(b, length, 0x4C, 0x5A, 0x49, 0x50)) return FileFormat.Lzip;
            if (Starts(b, length, 0x4D, 0x53, 0x43, 0x46)) return FileFormat.Cabinet;
            if (length >= 262 && b[257] == (byte)'u' && b[258] == (byte)'s' && b[259] == (byte)'t' && b[260] == (byte)'a' && b[261] == (byte)'r') return FileFormat.Tar;
            return FileFormat.Plain;
        }

        /// <summary>Is read in place (gzip, zip).</summary>
        public static bool IsRead(FileFormat f) => f == FileFormat.Plain || f == FileFormat.GZip || f == FileFormat.Zip;

        /// <summary>The format's name and what to do to read such a file.</summary>
        public static string Advice(FileFormat f)
        {
            switch (f)
            {
                case FileFormat.BZip2: return "a bzip2-compressed file: not read; decompress it first (bunzip2 -k FILE), or archive logs with gzip or zip, which are read in place";
                case FileFormat.Xz: return "an xz-compressed file: not read; decompress it first (unxz -k FILE), or archive logs with gzip or zip, which are read in place";
                case FileFormat.SevenZip: return "a 7-Zip archive: not read; extract it first (7z x FILE), or archive logs with gzip or zip, which are read in place";
                case FileFormat.Zstandard: return "a Zstandard-compressed file: not read; decompress it first (zstd -d FILE), or archive logs with gzip or zip, which are read in place";
                case FileFormat.Tar: return "a tar archive: not read; extract it first (tar -xf FILE) and read the files, or archive logs with gzip or zip, which are read in place";
                case FileFormat.UnixCompress: return "a Unix compress (.Z) file: not read; decompress it first (uncompress FILE or gzip -d FILE), or archive logs with gzip or zip";
                case FileFormat.Rar: return "a RAR archive: not read; extract it first, or archive logs with gzip or zip, which are read in place";
                case FileFormat.Lz4: return "an LZ4-compressed file: not read; decompress it first (lz4 -d FILE), or archive logs with gzip or zip";
                case FileFormat.Lzip: return "an lzip-compressed file: not read; decompress it first (lzip -d FILE), or archive logs with gzip or zip";
                case FileFormat.Cabinet: return "a Windows cabinet (.cab) archive: not read; extract it first (expand FILE -F:* DIR), or archive logs with zip";
                default: return null;
            }
        }

        private static bool Starts(byte[] b, int length, params byte[] magic)
        {
            if (length < magic.Length) return false;
            for (int i = 0; i < magic.Length; i++) if (b[i] != magic[i]) return false;
            return true;
        }
    }
}
