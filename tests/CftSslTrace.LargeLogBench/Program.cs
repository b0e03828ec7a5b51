using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace CftSslTrace.LargeLogBench
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            int sizeMb = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
            string folder = args.Length > 1 ? args[1] : Path.GetTempPath();
            string root = FindRoot();
            string path = Path.Combine(folder, "cftssltrace-bench-" + sizeMb + "MB.log");
            var sw = Stopwatch.StartNew();
            var (sessions, bytes) = Generate(root, path, (long)sizeMb << 20);
            Console.WriteLine($"generated {path}: {bytes / 1048576.0:0} MB, {sessions} sessions in {sw.Elapsed.TotalSeconds:0.0} s");

            // Baseline, same run: read every line of the file and nothing else.
            sw.Restart();
            long lines = 0;
            foreach (var l in File.ReadLines(path, Encoding.UTF8)) lines++;
            double baseline = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"baseline  File.ReadLines: {lines} lines in {baseline:0.00} s = {bytes / 1048576.0 / baseline:0} MB/s");

            // Get-CftSslSession in the hosted engine, the module imported through its manifest.
            using var rs = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            rs.Open();
            using var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = rs;
            ps.AddScript("Import-Module $args[0]; $n = 0; $f = 0; Get-CftSslSession -LiteralPath $args[1] | ForEach-Object { $n++; $f += $_.Frames.Count }; \"$n sessions, $f frames\"")
              .AddArgument(Path.Combine(root, "CftSslTrace.psd1")).AddArgument(path);
            GC.Collect();
            long before = Process.GetCurrentProcess().WorkingSet64;
            long peakManaged = 0;
            using var sampler = new Timer(_ => { long m = GC.GetTotalMemory(false); if (m > peakManaged) peakManaged = m; }, null, 0, 100);
            sw.Restart();
            var result = ps.Invoke();
            double decode = sw.Elapsed.TotalSeconds;
            foreach (var e in ps.Streams.Error) Console.WriteLine("error: " + e);
            var proc = Process.GetCurrentProcess();
            proc.Refresh();
            Console.WriteLine($"Get-CftSslSession: {string.Join(" ", result)} in {decode:0.00} s = {bytes / 1048576.0 / decode:0} MB/s ({decode / baseline:0.0}x the baseline)");
            Console.WriteLine($"memory: working set before {before >> 20} MB, peak working set {proc.PeakWorkingSet64 >> 20} MB, peak managed heap sampled {peakManaged >> 20} MB");
            if (args.Length < 3 || args[2] != "keep") File.Delete(path);
            return ps.HadErrors ? 1 : 0;
        }

        /// <summary>Busy log from the real fixtures: four sessions at a time interleaved, CTX values renumbered and reused.</summary>
        private static (long, long) Generate(string root, string path, long size)
        {
            var real = Path.Combine(root, "tests", "fixtures", "real");
            var templates = Directory.GetFiles(real, "*.client.log").Concat(Directory.GetFiles(real, "*.server.log")).OrderBy(f => f)
                .Select(f => File.ReadAllLines(f).Select(l => l.Substring(l.IndexOf("CFT", StringComparison.Ordinal))).ToArray()).ToArray();
            var ctxPattern = new Regex("CTX=[0-9a-f]{6}", RegexOptions.Compiled);
            var rnd = new Random(7);
            var t = new DateTime(2026, 11, 20, 0, 0, 0);
            long sessions = 0, written = 0;
            int ctxCounter = 0;
            using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
            var active = new List<(Queue<string> lines, string ctx)>();
            while (written < size)
            {
                while (active.Count < 4)
                {
                    string ctx = "CTX=" + (0x200000 + (ctxCounter++ % 4096)).ToString("x6", CultureInfo.InvariantCulture);
                    var tpl = templates[rnd.Next(templates.Length)];
                    active.Add((new Queue<string>(tpl.Select(l => ctxPattern.Replace(l, ctx))), ctx));
                    sessions++;
                }
                var a = active[rnd.Next(active.Count)];
                for (int k = rnd.Next(1, 8); k > 0 && a.lines.Count > 0; k--)
                {
                    t = t.AddMilliseconds(3);
                    string line = "00 " + t.ToString("yy/MM/dd HH:mm:ss.ff", CultureInfo.InvariantCulture) + " " + a.lines.Dequeue();
                    w.Write(line);
                    w.Write('\n');
                    written += line.Length + 1;
                }
                if (a.lines.Count == 0) active.Remove(a);
            }
            return (sessions, written);
        }

        private static string FindRoot()
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d != null && !File.Exists(Path.Combine(d.FullName, "CftSslTrace.psd1"))) d = d.Parent;
            return d?.FullName ?? throw new DirectoryNotFoundException("CftSslTrace.psd1");
        }
    }
}
