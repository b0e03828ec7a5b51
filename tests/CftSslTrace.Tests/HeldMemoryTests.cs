using System;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.Tests
{
    /// <summary>Tests that measure the process's heap: they run alone, after the others (no test allocates beside them).</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public class HeapMeasures
    {
        public const string Name = "heap measures";
    }

    /// <summary>What the reader holds while sessions are open.</summary>
    [Collection(HeapMeasures.Name)]
    public class HeldMemoryTests
    {
        private readonly ITestOutputHelper output;
        public HeldMemoryTests(ITestOutputHelper output) { this.output = output; }

        [Fact]
        public void SessionsHeldOpen_HoldLittle()
        {
            // real TLS 1.2 and TLS 1.3 client sessions (hellos of a dozen extensions, certificates, alerts) that never write a
            // closing line: a log of such sessions holds them open for the idle time, and the collector moves what they
            // hold from generation to generation; what a session holds decides the speed of such a log (these held 21.4 KB
            // a session open before their hellos' extensions, records and events made nothing they did not need, their texts
            // waited for their end, their empty buffers and events' value tables were let go, their randoms kept as bytes
            // and the texts that repeat from session to session kept once, their hellos' long lists named when read and
            // their record cutters told through one object instead of three delegates: 13.6 KB; 13.1 KB once their named
            // lists held their items themselves, without a list inside; 13.2 KB with the room the reader lends its record
            // cutters counted in, 12.95 KB once a direction made its handshake buffer and its list of the frames a message
            // continues into only for a message over several records)
            var templates = new[] { "tls12-ecdhe-rsa-mutual.client.log", "tls13-server-auth.client.log", "tls12-unknown-ca.client.log" }
                .Select(f => EngineTests.Messages(f).Where(m => !m.StartsWith("CFTY11I") && !m.StartsWith("CFTY12I")).ToList()).ToList();
            const int copies = 100;
            var sb = new StringBuilder();
            for (int i = 0; i < copies; i++)
                foreach (var template in templates)
                    foreach (var m in template) sb.Append(EngineTests.WithCtx(m, (0x400000 + i * templates.Count + templates.IndexOf(template)).ToString("x6"))).Append('\n');
            var lines = sb.ToString().Split('\n');
            sb = null;
            var reader = new SessionReader("open.log", new SessionReaderOptions { IdleLines = 10000000 }); // (no times: idle by lines)
            long before = GC.GetTotalMemory(true);
            for (int i = 0; i < lines.Length; i++) Assert.Empty(reader.FeedLine(i + 1, lines[i]));
            long perSession = (GC.GetTotalMemory(true) - before) / (copies * templates.Count); // all open: none has ended
            GC.KeepAlive(lines);
            var held = reader.Complete();
            Assert.Equal(copies * templates.Count, held.Count);
            Assert.All(held, s => Assert.True(s.HandshakeMessages.Count >= 2 && s.Frames.Count >= 4, s.SessionId));
            Assert.Contains(held, s => s.Result == SessionResult.Failed && s.Failure.Name == "unknown_ca");
            Assert.Contains(held, s => s.Version == "TLS 1.3" && s.Result == SessionResult.Established);
            var hello = held[0].HandshakeMessages.OfType<ClientHelloMessage>().First();
            Assert.Contains(hello.Extensions, e => e.Items.Count == 0 && e.RawValues.Count == 0);
            Assert.Contains(hello.Extensions, e => e.Items.Count > 0);
            output.WriteLine(perSession + " bytes held a session");
            Assert.True(perSession < 13100, perSession + " bytes held a session");
        }
    }
}
