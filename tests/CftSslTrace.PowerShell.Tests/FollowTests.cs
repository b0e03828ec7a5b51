using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>
    /// -Wait: a live log that a background writer grows, renames away and recreates (CFT's log switch) or truncates, as
    /// CFT writes it (every line stamped with the current time). Sessions come out within seconds of their end.
    /// </summary>
    public class FollowTests : IClassFixture<CmdletTests.HostFixture>, IDisposable
    {
        private readonly ModuleHost host;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-follow-" + Guid.NewGuid().ToString("N"));
        public FollowTests(CmdletTests.HostFixture f) { host = f.Host; Directory.CreateDirectory(dir); }
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        private static List<string> Lines(string fixture)
            => File.ReadAllLines(ModuleHost.Fixture("real/" + fixture), Encoding.Latin1).Select(l => l.Substring(l.IndexOf("CFT", StringComparison.Ordinal))).ToList();

        private static void Append(string path, IEnumerable<string> messages)
        {
            using var w = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete), Encoding.Latin1);
            foreach (var m in messages) w.Write("00 " + DateTime.Now.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " " + m + "\n");
        }

        [Fact]
        public void Wait_FollowsAGrowingLog_ThroughARenameAndARecreate_SessionsComeOutWithinSeconds()
        {
            string log = Path.Combine(dir, "cftlog");
            File.WriteAllText(log, "");
            var a = Lines("tls12-rsa-aes256-sha256.client.log");
            var b = Lines("tls12-ecdhe-rsa-mutual.client.log");
            var c = Lines("tls13-server-auth.client.log");
            var closed = new Dictionary<string, DateTime>();
            var writer = Task.Run(() =>
            {
                Thread.Sleep(1500);
                Append(log, a); closed["200003"] = DateTime.UtcNow;
                Append(log, b.Take(b.Count / 2));
                Thread.Sleep(800);
                File.Move(log, Path.Combine(dir, "cftlog-20261201000000"));   // CFT's switch: the log renamed away...
                Thread.Sleep(400);
                Append(log, b.Skip(b.Count / 2)); closed["200002"] = DateTime.UtcNow; // ...and a new one at the same path
                Thread.Sleep(800);
                Append(log, c); closed["200006"] = DateTime.UtcNow;
            });
            var r = host.Run("Get-CftSslSession $p -Wait -Timeout 00:00:12 | ForEach-Object { [pscustomobject]@{ Out = [DateTime]::UtcNow; Session = $_ } }", new Dictionary<string, object> { ["p"] = log });
            writer.Wait(30000);
            Assert.Empty(r.Errors);
            Assert.Empty(r.Warnings);
            var got = r.Output.Select(o => (out_: (DateTime)o.Properties["Out"].Value, s: (CftSslSession)((PSObject)o.Properties["Session"].Value).BaseObject)).ToList();
            Assert.Equal(new[] { "200003", "200002", "200006" }, got.Select(x => x.s.Ctx));
            Assert.All(got, x => Assert.Equal(SessionResult.Established, x.s.Result));
            Assert.All(got, x => Assert.Equal(SessionEnd.ClosingLine, x.s.EndedBy));
            // the session cut by the switch is whole: its frames from both files
            var across = got[1].s;
            Assert.Equal(Sessions("real/tls12-ecdhe-rsa-mutual.client.log").Frames.Count, across.Frames.Count);
            Assert.Contains(across.Notes, n => n.Contains("the log was switched"));
            foreach (var (outAt, s) in got)
                Assert.True(outAt - closed[s.Ctx] < TimeSpan.FromSeconds(6), s.Ctx + " came out " + (outAt - closed[s.Ctx]).TotalSeconds + " s after its closing line");
        }

        private static CftSslSession Sessions(string fixture) => SessionReader.ReadFile(ModuleHost.Fixture(fixture)).Single();

        [Fact]
        public void Wait_FollowsATruncatedLog_AndGetCftSslFrameStreamsFrames()
        {
            string log = Path.Combine(dir, "cftlog");
            var a = Lines("tls12-rsa-aes256-sha256.client.log");
            var c = Lines("tls13-server-auth.client.log");
            Append(log, a);
            var writer = Task.Run(() =>
            {
                Thread.Sleep(1500);
                using (var f = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete)) f.SetLength(0); // copytruncate
                Append(log, c);
            });
            var r = host.Run("Get-CftSslFrame $p -Wait -Timeout 00:00:06 | ForEach-Object { $_.Ctx + ' ' + $_.ContentType }", new Dictionary<string, object> { ["p"] = log });
            writer.Wait(30000);
            Assert.Empty(r.Errors);
            var frames = r.Output.Select(o => o.ToString()).ToList();
            Assert.Equal(SessionReader.ReadFile(ModuleHost.Fixture("real/tls12-rsa-aes256-sha256.client.log")).Sum(s => s.RecordsSent + s.RecordsReceived), frames.Count(f => f.StartsWith("200003")));
            Assert.True(frames.Count(f => f.StartsWith("200006")) > 10);
        }

        [Fact]
        public void Wait_StopsAtOnce_WhenThePipelineIsStopped()
        {
            string log = Path.Combine(dir, "cftlog");
            Append(log, Lines("tls12-rsa-aes256-sha256.client.log"));
            using var ps = host.NewShell();
            ps.AddCommand("Get-CftSslSession").AddParameter("Path", log).AddParameter("Wait");
            var output = new PSDataCollection<PSObject>();
            var handle = ps.BeginInvoke<PSObject, PSObject>(null, output);
            var sw = Stopwatch.StartNew();
            while (output.Count == 0 && sw.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(50);
            Assert.Equal(1, output.Count); // the session is out while the command still follows the log (an open collection: no enumeration)
            Assert.False(handle.IsCompleted);
            sw.Restart();
            ps.Stop(); // Ctrl+C
            Assert.True(handle.AsyncWaitHandle.WaitOne(5000), "the command did not stop");
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(3), "stopping took " + sw.Elapsed);
        }

        [Fact]
        public void Wait_WithSeveralFiles_IsAnError()
        {
            File.WriteAllText(Path.Combine(dir, "cftlog1"), "");
            File.WriteAllText(Path.Combine(dir, "cftlog2"), "");
            var r = host.Run("Get-CftSslSession ([System.IO.Path]::Combine($d, 'cftlog*')) -Wait -Timeout 00:00:01", new Dictionary<string, object> { ["d"] = dir });
            Assert.Equal("WaitOneFile,CftSslTrace.PowerShell.GetCftSslSessionCommand", Assert.Single(r.Errors).FullyQualifiedErrorId);
        }
    }
}
