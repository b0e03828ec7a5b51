using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The decoder's netstandard2.0 build decodes the same on .NET Framework (Windows PowerShell 5.1's runtime, here
    /// mono running the net472 build of tests/CftSslTrace.FrameworkCheck) as on .NET 10: every session, frame (one and two
    /// threads) and dump block of every fixture, compared as text. Needs mono (CI installs mono-devel).
    /// </summary>
    public class FrameworkCheckTests
    {
        private readonly ITestOutputHelper output;
        public FrameworkCheckTests(ITestOutputHelper output) { this.output = output; }

        private static string Root => Path.GetFullPath(Path.Combine(Fixtures.Root, "..", ".."));

        private static string Find(string program)
            => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

        private static string Run(string file, string arguments)
        {
            var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(120000), file + " did not finish in 2 minutes");
            Assert.True(p.ExitCode == 0, file + " " + arguments + " exited with " + p.ExitCode + ": " + stderr.Result);
            return stdout.Result;
        }

        [Fact]
        public void NetFrameworkBuild_DecodesTheFixturesExactlyAsNet10()
        {
            string mono = Find("mono");
            if (mono == null)
            {
                Assert.True(Environment.GetEnvironmentVariable("CI") == null, "mono is not installed (apt-get install mono-devel)");
                output.WriteLine("mono not installed: comparison not run");
                return;
            }
            string config = AppContext.BaseDirectory.Contains(Path.DirectorySeparatorChar + "Debug" + Path.DirectorySeparatorChar) ? "Debug" : "Release";
            string bin = Path.Combine(Root, "tests", "CftSslTrace.FrameworkCheck", "bin", config);
            string exe = Path.Combine(bin, "net472", "CftSslTrace.FrameworkCheck.exe");
            string dll = Path.Combine(bin, "net10.0", "CftSslTrace.FrameworkCheck.dll");
            Assert.True(File.Exists(exe) && File.Exists(dll), "build the solution first: " + exe);
            // and a history: the generated log cut into files, one of them gzip in two members (.NET Framework's GZipStream
            // reads one member: the decoder finds the others), two of them in a zip
            string history = HistoryFolder();
            string fixtures = "\"" + Fixtures.PathOf("real") + "\" \"" + Fixtures.PathOf("doc") + "\" --history \"" + history + "\"";
            string onFramework = Run(mono, "\"" + exe + "\" " + fixtures);
            string onNet = Run(Find("dotnet") ?? "dotnet", "\"" + dll + "\" " + fixtures);
            var a = onFramework.Split('\n');
            var b = onNet.Split('\n');
            Assert.True(b.Length > 3000, b.Length + " lines");
            for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
                Assert.True(a[i] == b[i], "line " + (i + 1) + " differs:\n  mono:    " + a[i] + "\n  .NET 10: " + b[i]);
            Assert.Equal(b.Length, a.Length);
            Assert.Contains(b, l => l.StartsWith("== history", StringComparison.Ordinal));
            Assert.Contains(b, l => l.StartsWith("session piece3.gz:", StringComparison.Ordinal) || l.Contains("| piece3.gz:"));
            output.WriteLine(Run(mono, "--version").Split('\n')[0] + ": " + a.Length + " lines identical to .NET " + Environment.Version);
            Directory.Delete(history, true);
        }

        /// <summary>The generated multi-session log in six pieces: plain, gzip of two members, zip of two entries.</summary>
        private static string HistoryFolder()
        {
            var lines = HistoryLogs.Lines(HistoryLogs.Log(true));
            var pieces = Enumerable.Range(0, 6).Select(i => new HistoryLogs.Piece
            {
                First = lines.Count * i / 6, Count = lines.Count * (i + 1) / 6 - lines.Count * i / 6, Name = "piece" + (i + 1) + (i == 2 ? ".gz" : ""),
                Storage = i == 2 ? HistoryLogs.Storage.GZipTwoMembers : i == 3 || i == 4 ? HistoryLogs.Storage.Zip : HistoryLogs.Storage.Plain, Archive = "logs.zip",
            }).ToList();
            return HistoryLogs.Write(lines, pieces);
        }
    }
}
