using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.Tests
{
    /// <summary>The live-log follower, poll by poll (no timing): lines cut between writes, line ends split, CFT's log switch.</summary>
    public class LogFollowerTests : IDisposable
    {
        private readonly string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-follower-" + Guid.NewGuid().ToString("N"));
        public LogFollowerTests() { Directory.CreateDirectory(dir); }
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        private static readonly DateTime Now = new DateTime(2026, 11, 24, 10, 0, 30);
        private const string Open = "00 26/11/24 10:00:00 CFTY19I PART=P1 SSL=S1 opening client session CTX=200001 on task PID=1";
        private const string Header = "00 26/11/24 10:00:00 CFTY02Z>> CTX=200001 SSLact()_ 6 HANDSHAKE DATA SENDING";
        private const string Dump = "00 26/11/24 10:00:00 CFTY02Z>> CTX=200001 14030300 0101 >......<";
        private const string Close = "00 26/11/24 10:00:01 CFTY11I CTX=200001 PART=P1 SSL=S1 Closing client SSL session";

        private static void Write(string path, string text, FileMode mode = FileMode.Append)
        {
            using var f = new FileStream(path, mode, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var b = Encoding.ASCII.GetBytes(text);
            f.Write(b, 0, b.Length);
        }

        private static LogFollower Follow(string path) => new LogFollower(path, new SessionReader(path)) { ClosingGrace = TimeSpan.Zero };

        [Fact]
        public void LinesWrittenInPieces_AndACrLfSplitBetweenWrites_ReadAsWholeLines()
        {
            string log = Path.Combine(dir, "cftlog");
            Write(log, Open + "\r\n" + Header.Substring(0, 30));
            using var f = Follow(log);
            Assert.Empty(f.Poll(Now));
            Write(log, Header.Substring(30) + "\r");          // the CR now, its LF with the next write
            Assert.Empty(f.Poll(Now));
            Write(log, "\n" + Dump + "\r\n" + Close + "\r\n");
            var s = Assert.Single(f.Poll(Now));
            Assert.Equal("ChangeCipherSpec", Assert.Single(s.Frames).ContentType);
            Assert.Equal(SessionEnd.ClosingLine, s.EndedBy);
            Assert.Equal(4, s.LastLine); // no empty line for the split CRLF
            Assert.DoesNotContain(s.Notes, n => n.Contains("without a data header"));
        }

        [Fact]
        public void ARenamedAndRecreatedLog_IsFollowed_AndTheSessionGoesOnInTheNewFile()
        {
            string log = Path.Combine(dir, "cftlog");
            Write(log, Open + "\n" + Header + "\n");
            using var f = Follow(log);
            Assert.Empty(f.Poll(Now));
            File.Move(log, Path.Combine(dir, "cftlog-1"));
            Assert.Empty(f.Poll(Now)); // renamed away, not recreated yet: nothing lost, nothing new
            Write(log, Dump + "\n" + Close + "\n");
            var s = Assert.Single(f.Poll(Now));
            Assert.Equal(1, f.Switches);
            Assert.Equal("ChangeCipherSpec", Assert.Single(s.Frames).ContentType); // the dump cut by the switch is whole
            Assert.Contains(s.Notes, n => n.Contains("the log was switched"));
            Assert.Equal(2, s.LastLine); // the new file's own numbering
        }

        [Fact]
        public void ATruncatedLog_IsReadAgainFromItsStart()
        {
            string log = Path.Combine(dir, "cftlog");
            Write(log, Open + "\n" + Header + "\n" + Dump + "\n" + Close + "\n");
            using var f = Follow(log);
            Assert.Single(f.Poll(Now));
            Write(log, "", FileMode.Truncate);
            Write(log, Open.Replace("200001", "200002") + "\n" + Close.Replace("200001", "200002") + "\n");
            var s = Assert.Single(f.Poll(Now));
            Assert.Equal("200002", s.Ctx);
            Assert.Equal(1, f.Switches);
            Assert.Equal(1, s.FirstLine);
        }

        [Fact]
        public void Stop_ReturnsTheLastLineWithoutLineEnd_AndTheOpenSessions()
        {
            string log = Path.Combine(dir, "cftlog");
            Write(log, Open + "\n" + Header + "\n" + Dump);
            using var f = Follow(log);
            Assert.Empty(f.Poll(Now));
            var s = Assert.Single(f.Stop());
            Assert.Equal(SessionEnd.EndOfInput, s.EndedBy);
            Assert.Single(s.Frames);
        }

        [Fact]
        public void IdleSessions_ComeOutWhenTheClockMovesOn_WithoutANewLine()
        {
            string log = Path.Combine(dir, "cftlog");
            Write(log, Open + "\n" + Header + "\n" + Dump + "\n");
            using var f = Follow(log);
            Assert.Empty(f.Poll(new DateTime(2026, 11, 24, 10, 1, 0)));
            var s = Assert.Single(f.Poll(new DateTime(2026, 11, 24, 10, 6, 0))); // more than 5 minutes of log time later
            Assert.Equal(SessionEnd.Idle, s.EndedBy);
        }
    }
}
