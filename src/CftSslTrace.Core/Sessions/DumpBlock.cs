using System;
using System.Globalization;
using System.Text;
using CftSslTrace.Reading;

namespace CftSslTrace.Sessions
{
    /// <summary>The bytes of one CFTY02Z data header and the dump lines that follow it (what ConvertFrom-CftHexDump returns).</summary>
    public sealed class DumpBlock
    {
        private byte[] bytes = new byte[0];

        public string File { get; internal set; }
        /// <summary>Line of the data header, or of the first dump line when there is no header.</summary>
        public long Line { get; internal set; }
        public long LastLine { get; internal set; }
        public DateTime? Time { get; internal set; }
        public string Ctx { get; internal set; }
        public TraceDirection Direction { get; internal set; }
        /// <summary>SSLact, PDataRq, ndata...</summary>
        public string Function { get; internal set; }
        /// <summary>HANDSHAKE, APPLICATION, ALERT as the header says.</summary>
        public string DataKind { get; internal set; }
        /// <summary>Byte count announced by the data header.</summary>
        public int? AnnouncedCount { get; internal set; }
        public int Length => bytes.Length;
        /// <summary>The header announced more bytes than were dumped (CFT counts the plaintext of application data, which is less than the record, so more bytes than announced is normal).</summary>
        public bool Truncated => AnnouncedCount.HasValue && bytes.Length < AnnouncedCount.Value;
        /// <summary>The dumped bytes.</summary>
        public byte[] Bytes => bytes;
        /// <summary>The dumped bytes as continuous upper-case hex.</summary>
        public string Hex => X509.DerReader.Hex(bytes, 0, bytes.Length);

        internal ByteAccumulator Accumulator { get; } = new ByteAccumulator();
        internal void Seal() { bytes = Accumulator.ToArray(); }

        public override string ToString()
            => (Ctx ?? "?") + " " + Direction + " " + Length + (AnnouncedCount.HasValue ? "/" + AnnouncedCount : "") + " bytes";
    }

    /// <summary>A growable byte buffer.</summary>
    internal sealed class ByteAccumulator
    {
        private byte[] data = new byte[64];
        public int Count { get; private set; }
        public void Add(byte[] b, int offset, int count)
        {
            if (Count + count > data.Length) Array.Resize(ref data, Math.Max(data.Length * 2, Count + count));
            Buffer.BlockCopy(b, offset, data, Count, count);
            Count += count;
        }
        public byte[] ToArray()
        {
            var r = new byte[Count];
            Buffer.BlockCopy(data, 0, r, 0, Count);
            return r;
        }
    }
}
