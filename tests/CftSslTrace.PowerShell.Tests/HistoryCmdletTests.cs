using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>
    /// The files of one command as one history, through the cmdlets however the files are named (wildcards, several
    /// paths, Get-ChildItem on the pipeline); floods of one warning summarised; the views of what a session holds.
    /// </summary>
    public class HistoryCmdletTests : IClassFixture<CmdletTests.HostFixture>, IDisposable
    {
        private readonly ModuleHost host;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-historycmd-" + Guid.NewGuid().ToString("N"));
        public HistoryCmdletTests(CmdletTests.HostFixture f) { host = f.Host; Directory.CreateDirectory(dir); }
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        private static Dictionary<string, object> Vars(params (string, object)[] v) => v.ToDictionary(x => x.Item1, x => x.Item2);

        /// <summary>busy.log (interleaved sessions) cut into pieces at these lines; one piece gzip-compressed.</summary>
        private void CutBusy(params int[] cuts)
        {
            var lines = File.ReadAllLines(ModuleHost.Fixture("real/busy.log"), Encoding.Latin1);
            var bounds = new[] { 0 }.Concat(cuts).Concat(new[] { lines.Length }).ToArray();
            for (int i = 0; i + 1 < bounds.Length; i++)
            {
                string text = string.Concat(lines.Skip(bounds[i]).Take(bounds[i + 1] - bounds[i]).Select(l => l + "\r\n"));
                // names in reverse time order: the order comes from the times inside
                string name = Path.Combine(dir, "cftlog-" + (char)('z' - i));
                if (i == 1)
                {
                    using var fs = File.Create(name + ".gz");
                    using var gz = new GZipStream(fs, CompressionLevel.Fastest);
                    gz.Write(Encoding.Latin1.GetBytes(text));
                }
                else File.WriteAllText(name, text, Encoding.Latin1);
            }
        }

        private string Whole => "(Get-CftSslSession $whole 3>$null | ForEach-Object { $_.Ctx + ' ' + $_.Result + ' ' + $_.Frames.Count + ' ' + $_.CipherSuiteId }) -join ';'";

        [Theory]
        [InlineData("Get-CftSslSession ($dir + '/*')")]
        [InlineData("Get-CftSslSession -Path ([IO.Directory]::GetFiles($dir))")]
        [InlineData("$f = [IO.Directory]::GetFiles($dir); [Array]::Sort($f); Get-CftSslSession -LiteralPath $f")]
        [InlineData("[IO.DirectoryInfo]::new($dir).GetFiles() | Get-CftSslSession")]
        [InlineData("$f = [IO.DirectoryInfo]::new($dir).GetFiles(); [Array]::Reverse($f); $f | Get-CftSslSession")]
        public void TheFilesOfOneCommand_AreOneHistory_HoweverTheyAreNamed(string command)
        {
            CutBusy(700, 1400);
            var r = host.Run("$a = " + Whole + "; $b = (& { " + command + " } | ForEach-Object { $_.Ctx + ' ' + $_.Result + ' ' + $_.Frames.Count + ' ' + $_.CipherSuiteId }) -join ';'; $a; $b",
                Vars(("dir", dir), ("whole", ModuleHost.Fixture("real/busy.log"))));
            Assert.Empty(r.Errors);
            Assert.Empty(r.Warnings);
            Assert.Equal(r.Output[0].ToString(), r.Output[1].ToString());
        }

        [Fact]
        public void GetCftSslFrame_AndGetCftSslCertificate_ReadTheHistoryToo()
        {
            CutBusy(500, 1000, 1500);
            var r = host.Run("@(Get-CftSslFrame $whole).Count; @(Get-CftSslFrame ($dir + '/*')).Count; @(Get-CftSslCertificate $whole).Count; @([IO.DirectoryInfo]::new($dir).GetFiles() | Get-CftSslCertificate).Count; $h = [Collections.Generic.SortedSet[string]]::new(); Get-CftSslFrame ($dir + '/*') | ForEach-Object { [void]$h.Add([IO.Path]::GetFileName($_.File)) }; $h -join ','",
                Vars(("dir", dir), ("whole", ModuleHost.Fixture("real/busy.log"))));
            Assert.Empty(r.Errors);
            Assert.Equal(r.Output[0].ToString(), r.Output[1].ToString());
            Assert.Equal(r.Output[2].ToString(), r.Output[3].ToString());
            Assert.Equal("cftlog-w,cftlog-x,cftlog-y.gz,cftlog-z", r.Output[4].ToString());
        }

        [Fact]
        public void Verbose_SaysHowTheFilesWereOrdered()
        {
            CutBusy(1000);
            var r = host.Run("Get-CftSslSession ($dir + '/*') -Verbose | Out-Null", Vars(("dir", dir)));
            Assert.Contains(r.Verbose, v => v.StartsWith("files ordered by the time of their first dated line: cftlog-z (2026-11-27 22:15:00), cftlog-y.gz (", StringComparison.Ordinal));
            Assert.Contains(r.Verbose, v => v.StartsWith("2 files as one log: 2162 lines", StringComparison.Ordinal));
        }

        [Fact]
        public void AMillionTimesTheSameWarning_IsTheFirstFewThenOneLine()
        {
            // 20,000 one-line sessions: a dump line of a CTX without opening or data header each
            var sb = new StringBuilder();
            for (int i = 0; i < 20000; i++)
                sb.Append("00 26/11/20 10:").Append((i / 6000).ToString("00")).Append(':').Append((i / 100 % 60).ToString("00")).Append(".00 CFTY02Z>> CTX=").Append((0x300000 + i).ToString("x6")).Append(" 16030100 05010000 01 >.......<\n");
            var p = Path.Combine(dir, "oneline.log");
            File.WriteAllText(p, sb.ToString());
            var r = host.Run("@(Get-CftSslSession $p).Count", Vars(("p", p)));
            Assert.Equal(20000, (int)r.Output[0].BaseObject);
            Assert.Equal(6, r.Warnings.Count);
            Assert.All(r.Warnings.Take(5), w => Assert.Contains("dump line without a data header", w));
            Assert.Contains("oneline.log: 19,995 more like the above (DumpWithoutHeader: dump line without a data header", r.Warnings[5]);
            Assert.Contains("lines 6 to 20,000; 20,000 in all, the first 5 shown", r.Warnings[5]);
            // -Strict: errors, the same way
            r = host.Run("@(Get-CftSslSession $p -Strict -ErrorAction SilentlyContinue -ErrorVariable e).Count; $e.Count; $e[5].Exception.Message; $e[0].FullyQualifiedErrorId", Vars(("p", p)));
            Assert.Equal(20000, (int)r.Output[0].BaseObject);
            Assert.Equal(6, (int)r.Output[1].BaseObject);
            Assert.Contains("19,995 more like the above", r.Output[2].ToString());
            Assert.StartsWith("MalformedTraceLine", r.Output[3].ToString());
            // -Verbose counts them
            r = host.Run("Get-CftSslSession $p -Verbose 3>$null | Out-Null", Vars(("p", p)));
            Assert.Contains(r.Verbose, v => v.EndsWith("oneline.log: 20,000 warning(s) of kind DumpWithoutHeader", StringComparison.Ordinal));
        }

        [Fact]
        public void FilesThatAreNotLogs_AndArchivesThatAreNotRead_AreSaid_AndTheOthersGoOn()
        {
            File.Copy(ModuleHost.Fixture("real/tls12-unknown-ca.client.log"), Path.Combine(dir, "cftlog"));
            File.WriteAllBytes(Path.Combine(dir, "cftlog.bz2"), new byte[] { 0x42, 0x5A, 0x68, 0x39, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 });
            var junk = new byte[10000];
            new Random(1).NextBytes(junk);
            File.WriteAllBytes(Path.Combine(dir, "core"), junk);
            var r = host.Run("Get-CftSslSession ($dir + '/*') | ForEach-Object Problem", Vars(("dir", dir)));
            Assert.Equal("unknown_ca (48): server cert not trusted", Assert.Single(r.Output).ToString());
            Assert.Equal(2, r.Warnings.Count);
            Assert.Contains(r.Warnings, w => w.Contains("cftlog.bz2: a bzip2-compressed file: not read"));
            Assert.Contains(r.Warnings, w => w.Contains("core: not a CFT log: binary data"));
            r = host.Run("Get-CftSslSession ($dir + '/*') -Strict -ErrorAction SilentlyContinue -ErrorVariable e | Out-Null; $ids = [string[]]($e | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }); [Array]::Sort($ids); $ids -join ','", Vars(("dir", dir)));
            Assert.Equal("FormatNotRead,NotACftLog", r.Output[0].ToString());
        }

        [Fact]
        public void AFileThatCannotBeRead_IsAnError_AndTheOthersGoOn()
        {
            File.Copy(ModuleHost.Fixture("real/tls12-unknown-ca.client.log"), Path.Combine(dir, "cftlog"));
            // a gzip file of two members whose second one is damaged (its first deflate block of a reserved type)
            var log = File.ReadAllBytes(ModuleHost.Fixture("real/tls12-ecdhe-rsa-mutual.client.log"));
            var ms = new MemoryStream();
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(log, 0, log.Length / 2);
            long second = ms.Length;
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(log, log.Length / 2, log.Length - log.Length / 2);
            var bytes = ms.ToArray();
            bytes[second + 10] = 0xFF;
            File.WriteAllBytes(Path.Combine(dir, "cftlog.1.gz"), bytes);
            var r = host.Run("Get-CftSslSession ($dir + '/*') -ErrorVariable e -ErrorAction SilentlyContinue | ForEach-Object { $_.Ctx + ' ' + $_.Result }; $e[0].FullyQualifiedErrorId; $e[0].Exception.Message", Vars(("dir", dir)));
            Assert.Contains(r.Output, o => o.ToString() == "20000c Failed");
            Assert.Contains(r.Output, o => o.ToString().StartsWith("FileUnreadable", StringComparison.Ordinal));
            Assert.Contains(r.Output, o => System.Text.RegularExpressions.Regex.IsMatch(o.ToString(), @"cftlog\.1\.gz:\d+: reading stopped after this line \(.+\); the lines up to it are read"));
        }

        [Fact]
        public void TheFramesOfASessionWithoutTimes_ShowWithoutATimeColumn()
        {
            var p = Path.Combine(dir, "notime.log");
            File.WriteAllLines(p, File.ReadAllLines(ModuleHost.Fixture("real/tls12-unknown-ca.client.log")).Select(l => l.Substring(l.IndexOf("CFT", StringComparison.Ordinal))));
            string Header(string log)
            {
                var console = new CapturingHost(120);
                using var shell = new ModuleHost(Path.Combine(ModuleHost.RepoRoot, "CftSslTrace.psd1"), console);
                var r = shell.Run("(Get-CftSslSession $p).Frames | Out-Default", Vars(("p", log)));
                Assert.Empty(r.Errors);
                string text = System.Text.RegularExpressions.Regex.Replace(console.Text, "\u001b\\[[0-9;]*m", "");
                return text.Replace("\r", "").Split('\n').First(l => l.TrimStart().StartsWith("Line", StringComparison.Ordinal));
            }
            var untimed = Header(p);
            var timed = Header(ModuleHost.Fixture("real/tls12-unknown-ca.client.log"));
            Assert.DoesNotContain("Time", untimed);
            Assert.Contains("Dir", untimed);
            Assert.Contains("Time", timed);
        }
    }
}
