using System;
using System.Linq;
using CftSslTrace.Tls;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The bytes of a handshake message over several records wait in one buffer per direction: its room is the message's
    /// size once the header tells it (one array, not a doubling series), bounded when the header announces more than
    /// is there, and given up when nothing waits; messages are decoded where they lie in it.
    /// </summary>
    public sealed class HandshakeBufferTests
    {
        /// <summary>A handshake message: type, 24-bit length, body of the given bytes.</summary>
        private static byte[] Message(int type, int bodyLength, int announced = -1)
        {
            if (announced < 0) announced = bodyLength;
            var m = new byte[4 + bodyLength];
            m[0] = (byte)type;
            m[1] = (byte)(announced >> 16);
            m[2] = (byte)(announced >> 8);
            m[3] = (byte)announced;
            for (int i = 0; i < bodyLength; i++) m[4 + i] = (byte)(i * 7);
            return m;
        }

        [Fact]
        public void AMessageOverTwoRecords_WaitsInOneArrayOfItsSize()
        {
            // the size of the real large certificate chain of the fixtures (tls12-large-certificate), over a full record and the rest
            var m = Message(11, 30564);
            var b = new HandshakeBuffer();
            b.Add(m, 0, 16384);
            Assert.Equal(m.Length, b.Data.Length);
            var room = b.Data;
            b.Add(m, 16384, m.Length - 16384);
            Assert.Same(room, b.Data);
            Assert.Equal(11, b.MessageType);
            Assert.Equal(30564, b.MessageLength);
            Assert.Equal(m.Length, b.Count);
            Assert.Equal(m.Skip(4), b.Data.Skip(b.BodyStart).Take(30564));
            b.Skip(30564);
            Assert.Equal(0, b.Count);
            Assert.Empty(b.Data); // nothing waits: no room held by a session that stays open
        }

        [Fact]
        public void AHeaderAnnouncingMegabytes_ReservesWhatIsThereAndSixtyFourKiB()
        {
            var m = Message(11, 100, announced: 0xFFFFFF);
            var b = new HandshakeBuffer();
            b.Add(m, 0, m.Length);
            Assert.Equal(0xFFFFFF, b.MessageLength);
            Assert.InRange(b.Data.Length, m.Length, m.Length + (1 << 16));
        }

        [Fact]
        public void MessagesAfterEachOther_AreTakenInOrder_WhateverTheCuts()
        {
            var first = Message(2, 70);
            var second = Message(11, 900);
            var third = Message(14, 0);
            var all = first.Concat(second).Concat(third).ToArray();
            foreach (int cut in new[] { 1, 2, 3, 5, 74, 75, 500, all.Length - 1 })
            {
                var b = new HandshakeBuffer();
                b.Add(all, 0, cut);
                b.Add(all, cut, all.Length - cut);
                Assert.Equal(2, b.MessageType);
                Assert.Equal(first.Skip(4), b.Data.Skip(b.BodyStart).Take(70));
                b.Skip(b.MessageLength);
                Assert.Equal(11, b.MessageType);
                Assert.Equal(900, b.MessageLength);
                Assert.Equal(second.Skip(4), b.Data.Skip(b.BodyStart).Take(900));
                b.Skip(b.MessageLength);
                Assert.Equal(14, b.MessageType);
                Assert.Equal(0, b.MessageLength);
                b.Skip(0);
                Assert.Equal(0, b.Count);
            }
        }
    }
}
