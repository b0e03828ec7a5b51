using System;

namespace CftSslTrace.Tls
{
    /// <summary>
    /// The handshake bytes of one direction waiting to form whole messages (a message over several records, or cut by
    /// the trace): a byte queue, compacted as it goes. Messages are decoded where they lie in it (<see cref="Data"/> from
    /// <see cref="BodyStart"/>), then skipped. Its room is made for the message it waits for once that message's header
    /// is in (one array for a certificate chain over two records, not a doubling series), and given up when nothing waits.
    /// </summary>
    internal sealed class HandshakeBuffer
    {
        private static readonly byte[] None = new byte[0];
        /// <summary>Room made beyond the bytes present for a message announced larger (a hostile length does not reserve megabytes at once).</summary>
        private const int MaxAhead = 1 << 16;
        private byte[] data = None; // made with the first bytes: a direction without handshake bytes holds none
        private int start;
        public int Count { get; private set; }

        /// <summary>The bytes; the message in progress starts at <see cref="BodyStart"/> - 4.</summary>
        public byte[] Data => data;
        public int BodyStart => start + 4;
        public int MessageType => data[start];
        public int MessageLength => BodyLength(data, start);

        /// <summary>The body length a handshake message's header at <paramref name="header"/> announces (its 24 bits after the type).</summary>
        internal static int BodyLength(byte[] b, int header) => (b[header + 1] << 16) | (b[header + 2] << 8) | b[header + 3];

        [System.Runtime.CompilerServices.MethodImpl(Hot.Path)]
        public void Add(byte[] b, int offset, int count)
        {
            if (count <= 0) return;
            if (start + Count + count > data.Length)
            {
                int need = Count + count;
                if (need <= data.Length) { Buffer.BlockCopy(data, start, data, 0, Count); start = 0; }
                else
                {
                    var bigger = new byte[RoomFor(need, b, offset, count)];
                    Buffer.BlockCopy(data, start, bigger, 0, Count);
                    data = bigger;
                    start = 0;
                }
            }
            Buffer.BlockCopy(b, offset, data, start + Count, count);
            Count += count;
        }

        /// <summary>The size to grow to for <paramref name="need"/> bytes: the whole message when its header tells its length.</summary>
        private int RoomFor(int need, byte[] b, int offset, int count)
        {
            int length = -1;
            if (Count >= 4) length = MessageLength;
            else if (Count == 0 && count >= 4) length = BodyLength(b, offset);
            int grown = Math.Max(need + MaxAhead, data.Length * 2);
            if (length >= 0) return Math.Max(need, (int)Math.Min(length + 4L, grown));
            return Math.Max(Math.Max(need, 256), data.Length * 2);
        }

        /// <summary>Removes the 4-byte header and the next bodyLength bytes (a message decoded from <see cref="Data"/>).</summary>
        public void Skip(int bodyLength)
        {
            bodyLength = Math.Max(0, Math.Min(bodyLength, Count - 4));
            start += 4 + bodyLength;
            Count -= 4 + bodyLength;
            if (Count == 0) { start = 0; data = None; } // nothing waits: the room goes (a session that stays open keeps no empty buffer)
        }

        public void Clear()
        {
            start = 0;
            Count = 0;
            data = None;
        }
    }
}
