using System;
using System.IO;
using System.Text;

namespace CftSslTrace.Export
{
    public enum CaptureFormat { Pcapng, Pcap }

    /// <summary>Writes raw IPv4 packets (link type 101) to a pcapng file (with per-packet comments) or a classic pcap file.</summary>
    internal sealed class PacketWriter
    {
        private const int LinkTypeRaw = 101;
        private readonly Stream output;
        private readonly CaptureFormat format;

        public PacketWriter(Stream output, CaptureFormat format, string comment)
        {
            this.output = output;
            this.format = format;
            if (format == CaptureFormat.Pcap)
            {
                var h = new byte[24];
                PutU32(h, 0, 0xA1B23C4D);      // nanosecond-resolution pcap
                PutU16(h, 4, 2); PutU16(h, 6, 4);
                PutU32(h, 16, 65535);
                PutU32(h, 20, LinkTypeRaw);
                output.Write(h, 0, h.Length);
                return;
            }
            // Section Header Block with a comment
            var opts = Options(comment);
            var shb = new MemoryStream();
            WriteU32(shb, 0x0A0D0D0A);
            WriteU32(shb, (uint)(28 + opts.Length));
            WriteU32(shb, 0x1A2B3C4D);
            WriteU16(shb, 1); WriteU16(shb, 0);
            WriteU64(shb, ulong.MaxValue); // section length unknown
            shb.Write(opts, 0, opts.Length);
            WriteU32(shb, (uint)(28 + opts.Length));
            var b = shb.ToArray();
            output.Write(b, 0, b.Length);
            // Interface Description Block: raw IPv4, nanosecond timestamps (if_tsresol = 9)
            var idbOpts = new MemoryStream();
            WriteU16(idbOpts, 9); WriteU16(idbOpts, 1); idbOpts.WriteByte(9); idbOpts.Write(new byte[3], 0, 3);
            WriteU16(idbOpts, 0); WriteU16(idbOpts, 0);
            var io = idbOpts.ToArray();
            var idb = new MemoryStream();
            WriteU32(idb, 1);
            WriteU32(idb, (uint)(20 + io.Length));
            WriteU16(idb, LinkTypeRaw); WriteU16(idb, 0);
            WriteU32(idb, 0); // snaplen: no limit
            idb.Write(io, 0, io.Length);
            WriteU32(idb, (uint)(20 + io.Length));
            b = idb.ToArray();
            output.Write(b, 0, b.Length);
        }

        public void Packet(DateTime time, byte[] packet, string comment)
        {
            long ns = (time.ToUniversalTime() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks * 100;
            if (ns < 0) ns = 0;
            if (format == CaptureFormat.Pcap)
            {
                var h = new byte[16];
                PutU32(h, 0, (uint)(ns / 1000000000));
                PutU32(h, 4, (uint)(ns % 1000000000));
                PutU32(h, 8, (uint)packet.Length);
                PutU32(h, 12, (uint)packet.Length);
                output.Write(h, 0, 16);
                output.Write(packet, 0, packet.Length);
                return;
            }
            var opts = Options(comment);
            int padded = (packet.Length + 3) & ~3;
            int total = 32 + padded + opts.Length;
            var epb = new byte[total];
            PutU32(epb, 0, 6);
            PutU32(epb, 4, (uint)total);
            PutU32(epb, 8, 0);
            PutU32(epb, 12, (uint)((ulong)ns >> 32));
            PutU32(epb, 16, (uint)((ulong)ns & 0xFFFFFFFF));
            PutU32(epb, 20, (uint)packet.Length);
            PutU32(epb, 24, (uint)packet.Length);
            Buffer.BlockCopy(packet, 0, epb, 28, packet.Length);
            Buffer.BlockCopy(opts, 0, epb, 28 + padded, opts.Length);
            PutU32(epb, total - 4, (uint)total);
            output.Write(epb, 0, epb.Length);
        }

        /// <summary>An option list holding an opt_comment (code 1) and the end marker; empty when there is no comment.</summary>
        private static byte[] Options(string comment)
        {
            if (string.IsNullOrEmpty(comment)) return new byte[0];
            var text = Encoding.UTF8.GetBytes(comment);
            int padded = (text.Length + 3) & ~3;
            var o = new byte[4 + padded + 4];
            PutU16(o, 0, 1);
            PutU16(o, 2, (ushort)text.Length);
            Buffer.BlockCopy(text, 0, o, 4, text.Length);
            return o; // the trailing 4 zero bytes are opt_endofopt
        }

        private static void PutU16(byte[] b, int at, uint v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }
        private static void PutU32(byte[] b, int at, uint v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); b[at + 2] = (byte)(v >> 16); b[at + 3] = (byte)(v >> 24); }
        private static void WriteU16(Stream s, uint v) { s.WriteByte((byte)v); s.WriteByte((byte)(v >> 8)); }
        private static void WriteU32(Stream s, uint v) { WriteU16(s, v & 0xFFFF); WriteU16(s, v >> 16); }
        private static void WriteU64(Stream s, ulong v) { WriteU32(s, (uint)v); WriteU32(s, (uint)(v >> 32)); }
    }
}
