using System;
using System.IO;
using System.IO.Compression;

namespace CftSslTrace.Reading
{
    /// <summary>
    /// Gzip files of several members (cat a.gz b.gz, pigz, a log compressed piece by piece) are read whole. .NET Core 3.0
    /// and later read concatenated members with GZipStream itself; .NET Framework's GZipStream (Windows PowerShell 5.1)
    /// stops after the first one, so there the members are found and read one after the other.
    /// </summary>
    internal static class GZipMembers
    {
        private static bool? runtimeReadsMembers;

        /// <summary>Whether this runtime's GZipStream reads every member (probed once on two tiny members).</summary>
        public static bool RuntimeReadsMembers => runtimeReadsMembers ?? (runtimeReadsMembers = Probe()).Value;

        /// <summary>The decompressed bytes of every member of a gzip stream.</summary>
        public static Stream Open(Stream compressed)
            => RuntimeReadsMembers ? new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false) : (Stream)new GZipMembersStream(compressed);

        private static bool Probe()
        {
            try
            {
                var ms = new MemoryStream();
                foreach (byte part in new[] { (byte)'a', (byte)'b' })
                    using (var gz = new GZipStream(ms, CompressionMode.Compress, leaveOpen: true)) gz.WriteByte(part);
                ms.Position = 0;
                using (var gz = new GZipStream(ms, CompressionMode.Decompress))
                {
                    var buffer = new byte[8];
                    int total = 0, n;
                    while ((n = gz.Read(buffer, total, buffer.Length - total)) > 0) total += n;
                    return total == 2;
                }
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is NotSupportedException) { return false; }
        }
    }

    /// <summary>
    /// Reads the members of a gzip stream one after the other with a GZipStream that stops after one member. Where a
    /// member ends is found in the compressed bytes last handed to it: the next member's header (1F 8B 08) right after a
    /// trailer whose size field matches the bytes the member decompressed to.
    /// </summary>
    internal sealed class GZipMembersStream : ReadOnlyStream
    {
        private readonly Stream inner;
        private readonly Func<Stream, Stream> decoder;
        private RecordingStream recorder;
        private Stream member;
        private long memberOutput;

        /// <param name="compressed">The gzip stream.</param>
        /// <param name="memberDecoder">Decompresses one member from a stream (leaving it open); by default this runtime's GZipStream.</param>
        public GZipMembersStream(Stream compressed, Func<Stream, Stream> memberDecoder = null)
        {
            inner = compressed;
            decoder = memberDecoder ?? (s => new GZipStream(s, CompressionMode.Decompress, leaveOpen: true));
            StartMember(compressed);
        }

        /// <summary>Members read so far (the one being read included).</summary>
        public int Members { get; private set; }

        private void StartMember(Stream from)
        {
            recorder = new RecordingStream(from);
            member = decoder(recorder);
            memberOutput = 0;
            Members++;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (member != null)
            {
                int n = member.Read(buffer, offset, count);
                if (n > 0) { memberOutput += n; return n; }
                member.Dispose();
                member = null;
                var next = recorder.NextMember((uint)memberOutput);
                if (next != null) StartMember(next);
            }
            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) { member?.Dispose(); inner.Dispose(); }
            base.Dispose(disposing);
        }

        /// <summary>Hands bytes on and keeps the last two reads, where the end of a member and the start of the next lie.</summary>
        private sealed class RecordingStream : ReadOnlyStream
        {
            private readonly Stream inner;
            private byte[] previous = new byte[0], last = new byte[0];
            private int previousLength, lastLength;

            public RecordingStream(Stream inner) { this.inner = inner; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = inner.Read(buffer, offset, count);
                if (n <= 0) return n;
                var t = previous; previous = last; previousLength = lastLength; last = t;
                if (last.Length < n) last = new byte[Math.Max(n, 8192)];
                Buffer.BlockCopy(buffer, offset, last, 0, n);
                lastLength = n;
                return n;
            }

            /// <summary>The rest of the input from the next member's header on, or null when there is none.</summary>
            public Stream NextMember(uint size)
            {
                var tail = new byte[previousLength + lastLength];
                Buffer.BlockCopy(previous, 0, tail, 0, previousLength);
                Buffer.BlockCopy(last, 0, tail, previousLength, lastLength);
                for (int p = 4; p + 3 <= tail.Length; p++)
                    if (IsHeader(tail, p) && Size(tail, p - 4) == size) return new PrefixedStream(tail, p, tail.Length, inner);
                // the member ended with the bytes read: the next one, if any, starts with the next bytes of the input
                if (tail.Length < 4 || Size(tail, tail.Length - 4) != size) return null;
                var head = new byte[3];
                int got = 0, k;
                while (got < head.Length && (k = inner.Read(head, got, head.Length - got)) > 0) got += k;
                return got == 3 && IsHeader(head, 0) ? new PrefixedStream(head, 0, 3, inner) : null;
            }

            private static bool IsHeader(byte[] b, int p) => b[p] == 0x1F && b[p + 1] == 0x8B && b[p + 2] == 0x08;

            private static uint Size(byte[] b, int p) => (uint)(b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24));
        }
    }
}
