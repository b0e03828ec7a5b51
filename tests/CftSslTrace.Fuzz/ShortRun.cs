using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CftSslTrace.Fuzz
{
    /// <summary>
    /// The inputs of the short, deterministic fuzz run the test suite makes: every input that ever failed
    /// (regressions/), the seeds, then COUNT mutants of them (same seed, same inputs, every run).
    /// </summary>
    public static class ShortRun
    {
        public static string Folder => Path.Combine(SeedCorpus.RepoRoot(), "tests", "CftSslTrace.Fuzz");

        /// <summary>The field-aware mutator with the project's dictionary (cft.dict), splicing within corpus.</summary>
        public static Mutator NewMutator(int seed, List<byte[]> corpus)
            => new Mutator(seed, Mutator.ReadDictionary(Path.Combine(Folder, "cft.dict")), corpus);

        public static IEnumerable<(string name, byte[] bytes)> Regressions()
        {
            var dir = Path.Combine(Folder, "regressions");
            if (!Directory.Exists(dir)) yield break;
            foreach (var f in Directory.GetFiles(dir).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal))
                yield return ("regressions/" + Path.GetFileName(f), File.ReadAllBytes(f));
        }

        public static IEnumerable<(string name, byte[] bytes)> Inputs(string repoRoot, int count, int seed)
        {
            foreach (var r in Regressions()) yield return r;
            var seeds = SeedCorpus.Build(repoRoot).ToList();
            foreach (var kv in seeds) yield return ("seed " + kv.Key, kv.Value);
            var corpus = seeds.Select(kv => kv.Value).ToList();
            var mutator = NewMutator(seed, corpus);
            var pick = new Random(seed);
            for (int i = 0; i < count; i++)
            {
                int from = pick.Next(seeds.Count);
                yield return ("mutant " + i + " of " + seeds[from].Key + " (seed " + seed + ")", mutator.Mutate(corpus[from]));
            }
        }
    }
}
