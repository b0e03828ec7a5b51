using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Export
{
    /// <summary>
    /// Writes CFT sessions as a capture that Wireshark and tshark open: each session becomes one TCP connection
    /// (synthetic IPv4 and TCP headers, three-way handshake, its records at their place in each direction's byte stream,
    /// FIN at the end), timestamps from the log (monotonic, and within what a capture can hold). Bytes the trace lacks
    /// (a truncated dump) leave a gap in the sequence numbers, so the following records stay in place. From sessions
    /// (Get-CftSslSession), the capture holds every record but application data, which a session only counts: a gap
    /// with a comment stands for it. From frames (Get-CftSslFrame), application-data records are written too, with
    /// zeros for their encrypted bodies, which are not kept.
    /// </summary>
    public sealed class PcapExporter
    {
        private const int MaxSegment = 16000;
        private static readonly DateTime MinTime = new DateTime(1970, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        private static readonly DateTime MaxTime = new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly PacketWriter writer;
        private int sessionIndex;
        private DateTime last = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        private readonly Dictionary<string, Connection> connections = new Dictionary<string, Connection>(StringComparer.Ordinal);

        /// <summary>Server port of every connection (443 by default, which Wireshark decodes as TLS without being told).</summary>
        public int ServerPort { get; }
        /// <summary>CFT's own address in the capture.</summary>
        public IPAddress CftAddress { get; set; } = IPAddress.Parse("192.0.2.1");
        /// <summary>Packets written.</summary>
        public long Packets { get; private set; }
        /// <summary>What could not be written (frames without a direction), in words.</summary>
        public Action<string> Warning { get; set; }

        public PcapExporter(Stream output, CaptureFormat format, int serverPort = 443)
        {
            ServerPort = serverPort;
            writer = new PacketWriter(output, format, "CftSslTrace export of Transfer CFT SSL/TLS traces");
        }

        /// <summary>One session: its connection from SYN to FIN, with the records it keeps.</summary>
        public void Write(CftSslSession s)
        {
            var c = Open(s.SessionId, s.Role, s.PartnerOrProtocol, s.RemoteHost, s.Ctx, s.File, s.FirstLine, s.StartTime);
            if (s.ApplicationDataRecords > 0)
                c.GapReason = s.ApplicationDataRecords + " application-data records (" + (s.ApplicationDataSent + s.ApplicationDataReceived)
                    + " bytes) are counted, not kept, in a session object: Get-CftSslFrame ... | Export-CftSslPcap writes them";
            foreach (var f in s.Frames) Frame(c, f);
            Close(c, s.EndTime);
            connections.Remove(s.SessionId);
        }

        /// <summary>One frame (Get-CftSslFrame): its session's connection opens at its first frame and closes in <see cref="Complete"/>.</summary>
        public void Write(TlsFrame f)
        {
            if (!connections.TryGetValue(f.SessionId ?? "", out var c))
            {
                c = Open(f.SessionId ?? "", f.Role, f.Partner, null, f.Ctx, f.File, f.Line, f.Time);
                connections[f.SessionId ?? ""] = c;
            }
            Frame(c, f);
            c.LastTime = f.Time ?? c.LastTime;
        }

        /// <summary>Closes the connections of frames written one by one.</summary>
        public void Complete()
        {
            foreach (var c in connections.Values) Close(c, c.LastTime);
            connections.Clear();
        }

        private sealed class Connection
        {
            public IPAddress ClientIp, ServerIp;
            public int ClientPort;
            public uint ClientIsn, ServerIsn;
            public long ClientNext, ServerNext;
            public bool CftIsClient;
            public string Tag;
            public string GapReason;
            public DateTime? LastTime;
        }

        private Connection Open(string sessionId, SessionRole role, string partner, string remoteHost, string ctx, string file, long firstLine, DateTime? start)
        {
            sessionIndex++;
            bool cftIsClient = role != SessionRole.Server;
            var partnerIp = PartnerAddress(remoteHost, partner ?? ctx);
            var c = new Connection
            {
                CftIsClient = cftIsClient,
                ClientIp = cftIsClient ? CftAddress : partnerIp,
                ServerIp = cftIsClient ? partnerIp : CftAddress,
                ClientPort = 49152 + (sessionIndex % 16000),
                ClientIsn = 1000000u * (uint)(sessionIndex % 4000 + 1),
                ServerIsn = 2000000000u + 1000u * (uint)sessionIndex,
                Tag = "CTX=" + ctx + " " + Path.GetFileName(file ?? "") + ":" + firstLine,
                LastTime = start,
            };
            DateTime t = Next(start);
            Emit(t, c, true, c.ClientIsn, 0, Syn, null, "CFT session " + c.Tag + (cftIsClient ? " (CFT is the client)" : " (CFT is the server)"));
            Emit(t, c, false, c.ServerIsn, c.ClientIsn + 1, Syn | Ack, null, null);
            Emit(t, c, true, c.ClientIsn + 1, c.ServerIsn + 1, Ack, null, null);
            return c;
        }

        private void Frame(Connection c, TlsFrame f)
        {
            if (f.Direction == TraceDirection.Unknown)
            {
                Warning?.Invoke((f.SessionId ?? c.Tag) + ": the dump at line " + f.Line + " has no data header (direction unknown) and is not in the capture.");
                return;
            }
            bool fromClient = (f.Direction == TraceDirection.Sent) == c.CftIsClient;
            var t = Next(f.Time);
            byte[] data = f.RawBytes;
            string comment = c.Tag + " line " + f.Line;
            if (data.Length < f.CapturedLength && f.ContentTypeValue == 23)
            {
                // application data: the body is not kept; its length is
                var full = new byte[f.CapturedLength];
                Buffer.BlockCopy(data, 0, full, 0, data.Length);
                data = full;
                comment += " - application data: encrypted body not kept, written as zeros";
            }
            if (f.Truncated) comment += " - truncated dump: " + f.CapturedLength + " of " + (f.Length + f.HeaderLength) + " bytes of the record in the trace";
            long next = fromClient ? c.ClientNext : c.ServerNext;
            if (f.Offset > next)
                comment += " - " + (f.Offset - next) + " bytes before this record are not in the capture" + (c.GapReason != null ? " (" + c.GapReason + ")" : " (missing from the trace)");
            uint seq = (fromClient ? c.ClientIsn : c.ServerIsn) + 1 + (uint)f.Offset;
            uint ack = (fromClient ? c.ServerIsn + 1 + (uint)c.ServerNext : c.ClientIsn + 1 + (uint)c.ClientNext);
            int off = 0;
            do
            {
                int n = Math.Min(MaxSegment, data.Length - off);
                var seg = new byte[n];
                Buffer.BlockCopy(data, off, seg, 0, n);
                Emit(t, c, fromClient, seq + (uint)off, ack, Ack | Psh, seg, comment);
                comment = null;
                off += n;
            } while (off < data.Length);
            long end = f.Offset + (f.Truncated ? f.Length + f.HeaderLength : data.Length);
            if (fromClient) c.ClientNext = Math.Max(c.ClientNext, end); else c.ServerNext = Math.Max(c.ServerNext, end);
        }

        private void Close(Connection c, DateTime? end)
        {
            var t = Next(end);
            uint cs = c.ClientIsn + 1 + (uint)c.ClientNext, ss = c.ServerIsn + 1 + (uint)c.ServerNext;
            Emit(t, c, true, cs, ss, Fin | Ack, null, null);
            Emit(t, c, false, ss, cs + 1, Fin | Ack, null, null);
            Emit(t, c, true, cs + 1, ss + 1, Ack, null, null);
        }

        private static IPAddress PartnerAddress(string remoteHost, string name)
        {
            if (remoteHost != null && IPAddress.TryParse(remoteHost, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                return ip;
            // 198.51.100.0/24 (TEST-NET-2), one address per partner name
            int h = 0;
            foreach (char ch in name ?? "") h = (h * 31 + ch) & 0x7FFFFFFF;
            return new IPAddress(new byte[] { 198, 51, 100, (byte)(2 + h % 250) });
        }

        /// <summary>
        /// Timestamps never go backwards and stay within what pcap can hold (1970-2100): a time that would go back or
        /// out of range is replaced by the last one plus a microsecond.
        /// </summary>
        private DateTime Next(DateTime? time)
        {
            DateTime t = last.AddTicks(10);
            if (time.HasValue && time.Value > MinTime.AddDays(1) && time.Value < MaxTime.AddDays(-1))
            {
                var u = DateTime.SpecifyKind(time.Value, DateTimeKind.Local).ToUniversalTime();
                if (u > last && u < MaxTime) t = u;
            }
            if (t >= MaxTime) t = MaxTime.AddTicks(-1);
            last = t;
            return t;
        }

        private const byte Fin = 0x01, Syn = 0x02, Psh = 0x08, Ack = 0x10;

        private void Emit(DateTime time, Connection c, bool fromClient, uint seq, uint ack, byte flags, byte[] payload, string comment)
        {
            var src = fromClient ? c.ClientIp : c.ServerIp;
            var dst = fromClient ? c.ServerIp : c.ClientIp;
            int sport = fromClient ? c.ClientPort : ServerPort, dport = fromClient ? ServerPort : c.ClientPort;
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
