using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Text;
using System.Threading;

namespace CftSslTrace.LargeLogBench
{
    internal static class Program
    {
        /// <summary>
        /// generate busy|handshakes|unclosed|unclosed-notime|oneline|history|transfer SIZE_MB PATH : writes a log (see LogGenerator).
        /// [SIZE_MB [FOLDER [keep]]] : writes a busy log and reads it with Get-CftSslSession in the hosted engine.
        /// </summary>
        private static int Main(string[] args)
        {
            string root = FindRoot();
            if (args.Length > 0 && args[0] == "generate")
            {
                if (args.Length < 4) { Console.Error.WriteLine("usage: generate busy|handshakes|unclosed|unclosed-notime|oneline|history|transfer SIZE_MB PATH"); return 2; }
                long size = long.Parse(args[2], CultureInfo.InvariantCulture) << 20;
                var g = new LogGenerator(root, args[3]);
                var sw0 = Stopwatch.StartNew();
                switch (args[1])
                {
                    case "busy": g.Busy(size); break;
                    case "unclosed": g.Busy(size, closing: false); break;
                    case "unclosed-notime": g.Prefixes = false; g.Busy(size, closing: false); break;
                    case "handshakes": g.Handshakes(size); break;
                    case "oneline": g.OneLine(size); break;
                    case "history": g.History(size); break;
                    case "transfer": g.Transfer(size); break;
                    default: Console.Error.WriteLine("unknown kind " + args[1]); return 2;
                }
                g.Dispose();
                Console.WriteLine($"{args[3]}: {g.Written / 1048576.0:0} MB, {g.Lines} lines, {g.Sessions} sessions ({args[1]}) in {sw0.Elapsed.TotalSeconds:0.0} s");
                return 0;
            }
            int sizeMb = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
            string folder = args.Length > 1 ? args[1] : Path.GetTempPath();
            string path = Path.Combine(folder, "cftssltrace-bench-" + sizeMb + "MB.log");
            var sw = Stopwatch.StartNew();
            var gen = new LogGenerator(root, path);
            gen.Busy((long)sizeMb << 20);
            gen.Dispose();
            long bytes = new FileInfo(path).Length;
            Console.WriteLine($"generated {path}: {bytes / 1048576.0:0} MB, {gen.Sessions} sessions in {sw.Elapsed.TotalSeconds:0.0} s");

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
            ps.AddScript("Import-Module $args[0]; $n = 0; $f = 0; Get-CftSslSession -LiteralPath $args[1] | ForEach-Object { $n++; $f += $_.RecordsSent + $_.RecordsReceived }; \"$n sessions, $f records\"")
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

        private static string FindRoot()
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d != null && !File.Exists(Path.Combine(d.FullName, "CftSslTrace.psd1"))) d = d.Parent;
            return d?.FullName ?? throw new DirectoryNotFoundException("CftSslTrace.psd1");
        }
    }
}
