using System;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.Tests.Wireshark
{
    /// <summary>Our decode agrees with Wireshark's TLS dissector on every field both decode (needs tshark; CI installs it).</summary>
    public class WiresharkComparisonTests : IDisposable
    {
        private readonly ITestOutputHelper output;
        private readonly string work = Path.Combine(Path.GetTempPath(), "cftssltrace-tshark-" + Guid.NewGuid().ToString("N"));

        public WiresharkComparisonTests(ITestOutputHelper output) { this.output = output; Directory.CreateDirectory(work); }
        public void Dispose() { try { Directory.Delete(work, true); } catch (IOException) { } }

        internal static bool Available(ITestOutputHelper output)
        {
            if (Tshark.Path != null) return true;
            // In CI tshark is installed by .ci/run: its absence there is a failure, on a developer's machine a skip.
            Assert.True(Environment.GetEnvironmentVariable("CI") == null, "tshark is not installed (apt-get install tshark)");
            output.WriteLine("tshark not installed: comparison not run");
            return false;
        }

        [Fact]
        public void CommittedFixtures_AgreeWithWireshark()
        {
            if (!Available(output)) return;
            var cmp = new WiresharkComparison();
            var files = Directory.GetFiles(Fixtures.PathOf("real"), "*.log").Concat(Directory.GetFiles(Fixtures.PathOf("doc"), "*.log")).OrderBy(f => f).ToList();
            foreach (var f in files) cmp.CompareFile(f, work);
            output.WriteLine(Tshark.Version() + ": " + files.Count + " files, " + cmp.Sessions + " sessions, " + cmp.FieldsCompared + " fields compared, " + cmp.Mismatches.Count + " mismatches");
            Assert.True(cmp.Mismatches.Count == 0, string.Join("\n", cmp.Mismatches.Take(60)));
            Assert.True(cmp.FieldsCompared > 1000);
        }

        [Fact]
        public void FreshlyRecordedSessions_AgreeWithWireshark()
        {
            // A new recording of the whole matrix (openssl s_server/s_client on 127.0.0.1 through the relay), each
            // session seen from both sides and as raw network chunks, compared with tshark.
            if (!Available(output)) return;
            bool openssl = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, "openssl")) || File.Exists(Path.Combine(d, "openssl.exe")));
            if (!openssl)
            {
                Assert.True(Environment.GetEnvironmentVariable("CI") == null, "openssl is not installed");
                output.WriteLine("openssl not installed: no fresh recording");
                return;
            }
            string fresh = Path.Combine(work, "fresh");
            FixtureGenerator.Program.Generate(fresh);
            var cmp = new WiresharkComparison();
            var files = Directory.GetFiles(fresh, "*.log").OrderBy(f => f).ToList();
            Assert.True(files.Count >= 40, files.Count + " logs recorded");
            foreach (var f in files) cmp.CompareFile(f, work);
            output.WriteLine(Tshark.Version() + ": " + files.Count + " freshly recorded logs, " + cmp.Sessions + " sessions, " + cmp.FieldsCompared + " fields compared, " + cmp.Mismatches.Count + " mismatches");
            Assert.True(cmp.Mismatches.Count == 0, string.Join("\n", cmp.Mismatches.Take(60)));
        }
    }
}
