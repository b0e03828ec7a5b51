using System;
using System.Collections.Generic;

namespace FixtureGenerator
{
    /// <summary>A TLS record as it crossed the relay, with the chunk its last byte arrived in.</summary>
    internal sealed class WireRecord
    {
        public bool FromClient;
        public byte[] Bytes;
        public int EndChunk;
        public DateTime Time;
        public int Type => Bytes[0];
        public int Length => Bytes.Length - 5;
    }

    /// <summary>Cuts the relayed chunks of one connection into records (test tooling, independent of the module's decoder).</summary>
    internal static class TlsRecords
    {
        public static List<WireRecord> Cut(List<Chunk> chunks)
        {
            var result = new List<WireRecord>();
            var buffers = new Dictionary<bool, List<byte>> { [true] = new List<byte>(), [false] = new List<byte>() };
            for (int i = 0; i < chunks.Count; i++)
            {
                var c = chunks[i];
                var buf = buffers[c.FromClient];
                buf.AddRange(c.Bytes);
                while (buf.Count >= 5)
                {
                    int total = 5 + ((buf[3] << 8) | buf[4]);
                    if (buf.Count < total) break;
                    result.Add(new WireRecord { FromClient = c.FromClient, Bytes = buf.GetRange(0, total).ToArray(), EndChunk = i, Time = c.Time });
                    buf.RemoveRange(0, total);
                }
            }
            foreach (var kv in buffers)
                if (kv.Value.Count > 0) throw new InvalidOperationException("stream ends inside a record (" + kv.Value.Count + " bytes)");
            return result;
        }
    }
}
