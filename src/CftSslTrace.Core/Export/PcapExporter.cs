using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;

namespace CftSslTrace.Export
{
    /// <summary>
    /// Writes CFT sessions as a capture that Wireshark and tshark open: each session becomes one TCP connection
    /// (synthetic IPv4 and TCP headers, three-way handshake, one segment per dump block in log order, FIN at the end),
    /// timestamps from the log (monotonic where the log has none). A truncated dump is written as far as it goes and
    /// the sequence numbers advance by the announced count, so the following segments stay in place.
    /// </summary>
    public sealed class PcapExporter
    {
        private const int MaxSegment = 16000;
        private readonly PacketWriter writer;
        private int sessionIndex;
        private DateTime last = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        /// <summary>Server port of every connection (443 by default, which Wireshark decodes as TLS without being told).</summary>
        public int ServerPort { get; }
        /// <summary>CFT's own address in the capture.</summary>
        public IPAddress CftAddress { get; set; } = IPAddress.Parse("192.0.2.1");
        /// <summary>Packets written.</summary>
        public long Packets { get; private set; }

        public PcapExporter(Stream output, CaptureFormat format, int serverPort = 443)
        {
            ServerPort = serverPort;
            writer = new PacketWriter(output, format, "CftSslTrace export of Transfer CFT SSL/TLS traces");
        }

        public void Write(CftSslSession s)
        {
            sessionIndex++;
            bool cftIsClient = s.Role != SessionRole.Server;
            var partner = PartnerAddress(s);
            var clientIp = cftIsClient ? CftAddress : partner;
            var serverIp = cftIsClient ? partner : CftAddress;
            int clientPort = 49152 + (sessionIndex % 16000);
            uint clientSeq = 1000000u * (uint)(sessionIndex % 4000 + 1), serverSeq = 2000000000u + 1000u * (uint)sessionIndex;
            string tag = "CTX=" + s.Ctx + " " + Path.GetFileName(s.File ?? "") + ":" + s.FirstLine;
            DateTime t = Next(s.StartTime);

            // three-way handshake
            Emit(t, clientIp, serverIp, clientPort, ServerPort, clientSeq, 0, Syn, null, "CFT session " + tag + (cftIsClient ? " (CFT is the client)" : " (CFT is the server)"));
            Emit(t, serverIp, clientIp, ServerPort, clientPort, serverSeq, clientSeq + 1, Syn | Ack, null, null);
            clientSeq++; serverSeq++;
            Emit(t, clientIp, serverIp, clientPort, ServerPort, clientSeq, serverSeq, Ack, null, null);

            foreach (var b in s.Blocks)
            {
                if (b.Direction == TraceDirection.Unknown) continue;
                bool fromClient = (b.Direction == TraceDirection.Sent) == cftIsClient;
                t = Next(b.Time ?? t);
                string comment = tag + " line " + b.Line + (b.Truncated ? " - truncated dump: " + b.Length + " of " + b.AnnouncedCount + " bytes in the trace" : "");
                byte[] data = b.Bytes;
                int off = 0;
                do
                {
                    int n = Math.Min(MaxSegment, data.Length - off);
                    var seg = new byte[n];
                    Buffer.BlockCopy(data, off, seg, 0, n);
                    if (fromClient) { Emit(t, clientIp, serverIp, clientPort, ServerPort, clientSeq, serverSeq, Ack | Psh, seg, comment); clientSeq += (uint)n; }
                    else { Emit(t, serverIp, clientIp, ServerPort, clientPort, serverSeq, clientSeq, Ack | Psh, seg, comment); serverSeq += (uint)n; }
                    comment = null;
                    off += n;
                } while (off < data.Length);
                if (b.Truncated)
                {
                    uint missing = (uint)(b.AnnouncedCount.Value - b.Length);
                    if (fromClient) clientSeq += missing; else serverSeq += missing;
                }
            }
            t = Next(s.EndTime ?? t);
            Emit(t, clientIp, serverIp, clientPort, ServerPort, clientSeq, serverSeq, Fin | Ack, null, null);
            Emit(t, serverIp, clientIp, ServerPort, clientPort, serverSeq, clientSeq + 1, Fin | Ack, null, null);
            Emit(t, clientIp, serverIp, clientPort, ServerPort, clientSeq + 1, serverSeq + 1, Ack, null, null);
        }

        private IPAddress PartnerAddress(CftSslSession s)
        {
            if (s.RemoteHost != null && IPAddress.TryParse(s.RemoteHost, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                return ip;
            // 198.51.100.0/24 (TEST-NET-2), one address per partner name
            int h = 0;
            foreach (char c in (s.PartnerOrProtocol ?? s.Ctx ?? "")) h = (h * 31 + c) & 0x7FFFFFFF;
            return new IPAddress(new byte[] { 198, 51, 100, (byte)(2 + h % 250) });
        }

        /// <summary>Timestamps never go backwards: a time that would is replaced by the last one plus a microsecond.</summary>
        private DateTime Next(DateTime? time)
        {
            var t = time.HasValue ? DateTime.SpecifyKind(time.Value, DateTimeKind.Local).ToUniversalTime() : last.AddTicks(10);
            if (t <= last) t = last.AddTicks(10);
            last = t;
            return t;
        }

        private const byte Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10;

        private void Emit(DateTime time, IPAddress src, IPAddress dst, int sport, int dport, uint seq, uint ack, byte flags, byte[] payload, string comment)
        {
            int plen = payload?.Length ?? 0;
            var p = new byte[20 + 20 + plen];
            // IPv4
            p[0] = 0x45;
            Put16(p, 2, 40 + plen);
            Put16(p, 4, (int)(Packets & 0xFFFF));
            p[6] = 0x40; // don't fragment
            p[8] = 64;
            p[9] = 6;
            Buffer.BlockCopy(src.GetAddressBytes(), 0, p, 12, 4);
            Buffer.BlockCopy(dst.GetAddressBytes(), 0, p, 16, 4);
            Put16(p, 10, Checksum(p, 0, 20, 0));
            // TCP
            Put16(p, 20, sport);
            Put16(p, 22, dport);
            Put32(p, 24, seq);
            Put32(p, 28, (flags & Ack) != 0 ? ack : 0);
            p[32] = 0x50;
            p[33] = flags;
            Put16(p, 34, 65535);
            if (plen > 0) Buffer.BlockCopy(payload, 0, p, 40, plen);
            uint pseudo = 0;
            for (int i = 12; i < 20; i += 2) pseudo += (uint)((p[i] << 8) | p[i + 1]);
            pseudo += 6;
            pseudo += (uint)(20 + plen);
            Put16(p, 36, Checksum(p, 20, 20 + plen, pseudo));
            writer.Packet(time, p, comment);
            Packets++;
        }

        private static int Checksum(byte[] d, int start, int length, uint initial)
        {
            uint sum = initial;
            int end = start + length;
            for (int i = start; i < end; i += 2) sum += (uint)((d[i] << 8) | (i + 1 < end ? d[i + 1] : 0));
            while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
            return (int)(~sum & 0xFFFF);
        }

        private static void Put16(byte[] b, int at, int v) { b[at] = (byte)(v >> 8); b[at + 1] = (byte)v; }
        private static void Put32(byte[] b, int at, uint v) { b[at] = (byte)(v >> 24); b[at + 1] = (byte)(v >> 16); b[at + 2] = (byte)(v >> 8); b[at + 3] = (byte)v; }
    }
}
