using System;
using CftSslTrace.Reading;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>The word-at-a-time hex decoder of the dump fast path against the plain digit table, on every byte value.</summary>
    public class HexDecodingTests
    {
        private static bool Reference(byte[] chars, out uint bytes)
        {
            bytes = 0;
            for (int i = 0; i < 8; i++)
            {
                int v = AsciiBytes.HexValue[chars[i]];
                if (v < 0) return false;
                bytes |= (uint)v << ((i / 2) * 8 + (i % 2 == 0 ? 4 : 0));
            }
            return true;
        }

        [Fact]
        public void EveryByteValue_InEveryLane_DecodesAsTheTableSays()
        {
            var chars = "0123abcd"u8.ToArray();
            for (int lane = 0; lane < 8; lane++)
            {
                for (int b = 0; b < 256; b++)
                {
                    var c = (byte[])chars.Clone();
                    c[lane] = (byte)b;
                    bool expected = Reference(c, out uint want);
                    bool actual = TraceLineParser.HexWord(BitConverter.ToUInt64(c, 0), out uint got);
                    Assert.True(expected == actual, "lane " + lane + " byte 0x" + b.ToString("X2"));
                    if (expected) Assert.Equal(want, got);
                }
            }
        }

        [Fact]
        public void RandomWords_DecodeAsTheTableSays()
        {
            var rnd = new Random(5);
            const string alphabet = "0123456789ABCDEFabcdef/:@G`g \t>";
            var c = new byte[8];
            for (int round = 0; round < 200000; round++)
            {
                for (int i = 0; i < 8; i++) c[i] = (byte)alphabet[rnd.Next(alphabet.Length)];
                bool expected = Reference(c, out uint want);
                Assert.Equal(expected, TraceLineParser.HexWord(BitConverter.ToUInt64(c, 0), out uint got));
                if (expected) Assert.Equal(want, got);
            }
        }
    }
}
