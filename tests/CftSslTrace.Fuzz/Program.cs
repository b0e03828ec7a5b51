using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using SharpFuzz;

namespace CftSslTrace.Fuzz
{
    /// <summary>
    /// The fuzz harness. Without arguments it serves AFL++ (SharpFuzz out-of-process protocol, see fuzz.sh). Other modes:
    ///   seeds DIR               write the seed corpus (cut from the fixtures) to DIR
    ///   replay PATH...          run files or folders of inputs (a finding's file, AFL's queue) and report exceptions,
    ///                           the slowest input and peak memory
    ///   mutate COUNT [SEED]     the short run's deterministic mutations, COUNT inputs, without AFL
    ///   structured FROM TO COUNT SEED [MAXBYTES]
    ///                           write COUNT structure-aware mutants (Mutator: fields of the lines) of the inputs in FROM
    ///                           (AFL's queue) to TO, named as AFL++ names its queue: in the long run, TO is the queue of
    ///                           a folder beside the fuzzers', which AFL++ imports from (fuzz.sh); inputs and mutants
    ///                           over MAXBYTES (default 64 KiB) are left out
    /// With CFTSSLTRACE_FUZZ_SAVE=DIR, replay and mutate write each failing input to DIR.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length == 0)
            {
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var ms = new MemoryStream();
                    stream.CopyTo(ms);
                    FuzzTarget.Run(ms.ToArray());
                });
                return 0;
            }
            switch (args[0])
            {
                case "seeds":
                    {
                        Directory.CreateDirectory(args[1]);
                        int n = 0;
                        foreach (var kv in SeedCorpus.Build(SeedCorpus.RepoRoot()))
                        {
                            File.WriteAllBytes(Path.Combine(args[1], kv.Key), kv.Value);
                            n++;
                        }
                        Console.WriteLine(n + " seeds in " + args[1]);
                        return 0;
                    }
                case "replay":
                    {
                        var files = args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p, "*", SearchOption.AllDirectories) : new[] { p })
                            .Where(f => !f.Replace('\\', '/').Split('/').Any(part => part.StartsWith(".", StringComparison.Ordinal) && part != "." && part != "..") && !f.EndsWith("README.txt", StringComparison.Ordinal)).ToList();
                        return Report(files.Select(f => (f, File.ReadAllBytes(f))));
                    }
                case "mutate":
                    {
                        int count = int.Parse(args[1]);
                        int seed = args.Length > 2 ? int.Parse(args[2]) : 1;
                        return Report(ShortRun.Inputs(SeedCorpus.RepoRoot(), count, seed));
                    }
                case "write-mutant":
                    {
                        // one mutant of the short run (as "mutate" names it: mutant INDEX ... (seed SEED)), for regressions/
                        int seed = int.Parse(args[1]), index = int.Parse(args[2]);
                        var found = ShortRun.Inputs(SeedCorpus.RepoRoot(), index + 1, seed).Last();
                        File.WriteAllBytes(args[3], found.bytes);
                        Console.WriteLine(found.name + ": " + found.bytes.Length + " bytes in " + args[3]);
                        return 0;
                    }
                case "structured":
                    {
                        int max = args.Length > 5 ? int.Parse(args[5]) : DefaultMaxStructuredBytes;
                        Console.WriteLine(Structured(args[1], args[2], int.Parse(args[3]), int.Parse(args[4]), max) + " mutants in " + args[2]);
                        return 0;
                    }
                default:
                    Console.Error.WriteLine("usage: CftSslTrace.Fuzz [seeds DIR | replay PATH... | mutate COUNT [SEED] | write-mutant SEED INDEX FILE | structured FROM TO COUNT SEED]");
                    return 2;
            }
        }

        private const int DefaultMaxStructuredBytes = 64 << 10;

        /// <summary>Structure-aware mutants of AFL's queue (at most <paramref name="maxBytes"/>), numbered after those already in the target folder.</summary>
        private static int Structured(string from, string to, int count, int seed, int maxBytes)
        {
            // the queue is read every round: files over the cap are left out by their length, unread
            var corpus = new DirectoryInfo(from).GetFiles("id:*").Where(f => f.Length > 0 && f.Length <= maxBytes)
                .OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => File.ReadAllBytes(f.FullName)).ToList();
            if (corpus.Count == 0) return 0;
            Directory.CreateDirectory(to);
            int next = Directory.GetFiles(to, "id:*").Length;
            var mutator = ShortRun.NewMutator(seed, corpus);
            var pick = new Random(seed);
            int written = 0;
            for (int tries = 0; written < count && tries < count * 4; tries++)
            {
                var bytes = mutator.Mutate(corpus[pick.Next(corpus.Count)]);
                if (bytes.Length > maxBytes) continue; // lines repeated and interleaved make inputs grow: keep them small
                File.WriteAllBytes(Path.Combine(to, "id:" + (next + written).ToString("D6", System.Globalization.CultureInfo.InvariantCulture) + ",structured,seed:" + seed), bytes);
                written++;
            }
            return written;
        }

        private static int Report(IEnumerable<(string name, byte[] bytes)> inputs)
        {
            int count = 0, failed = 0;
            double slowest = 0, first = 0;
            string slowestName = null;
            var clock = new Stopwatch();
            foreach (var (name, bytes) in inputs)
            {
                count++;
                clock.Restart();
                try { FuzzTarget.Run(bytes); }
                catch (Exception e)
                {
                    failed++;
                    Console.WriteLine("FAILED " + name + ": " + e);
                    var save = Environment.GetEnvironmentVariable("CFTSSLTRACE_FUZZ_SAVE");
                    if (!string.IsNullOrEmpty(save))
                    {
                        Directory.CreateDirectory(save);
                        File.WriteAllBytes(Path.Combine(save, "failed-" + failed.ToString("D3")), bytes);
                    }
                }
                double ms = clock.Elapsed.TotalMilliseconds;
                // the process's first input pays for compiling the whole pipeline: reported apart
                if (count == 1) first = ms;
                else if (ms > slowest) { slowest = ms; slowestName = name; }
            }
            if (count == 1) { slowest = first; slowestName = "the only input"; }
            var p = Process.GetCurrentProcess();
            Console.WriteLine(count + " inputs, " + failed + " failed, slowest " + slowest.ToString("0.0") + " ms (" + slowestName + "; the first input, compilation included: "
                + first.ToString("0.0") + " ms), peak working set " + (p.PeakWorkingSet64 >> 20) + " MB");
            return failed == 0 ? 0 : 1;
        }
    }
}
