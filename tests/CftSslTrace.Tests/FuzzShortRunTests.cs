using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using CftSslTrace.Fuzz;
using Xunit;
using Xunit.Abstractions;

namespace CftSslTrace.Tests
{
    /// <summary>
    /// The short fuzz run: the fuzz target (tests/CftSslTrace.Fuzz, the one AFL++ drives in the long run) over every
    /// input that ever failed, the seeds, and a fixed sequence of structure-aware mutations. Deterministic: the same
    /// inputs every run. CFTSSLTRACE_FUZZ_COUNT sets the number of mutants (default 5,000: about 15 s here).
    /// </summary>
    public class FuzzShortRunTests
    {
        private readonly ITestOutputHelper output;
        public FuzzShortRunTests(ITestOutputHelper output) { this.output = output; }

        private static int Count => int.TryParse(Environment.GetEnvironmentVariable("CFTSSLTRACE_FUZZ_COUNT"), out int n) ? n : 5000;

        [Fact]
        public void EveryInputThatEverFailed_NowPasses()
        {
            var regressions = ShortRun.Regressions().ToList();
            Assert.True(regressions.Count >= 3, "regressions/ holds " + regressions.Count + " inputs");
            foreach (var (name, bytes) in regressions)
                FuzzTarget.Run(bytes); // throws with the finding
        }

        [Fact]
        public void SeedsAndMutants_NeitherThrowNorReadDifferentlyByThreadsOrFromText()
        {
            var failures = new List<string>();
            int inputs = 0;
            var slowest = (ms: 0.0, name: "");
            var clock = new Stopwatch();
            foreach (var (name, bytes) in ShortRun.Inputs(SeedCorpus.RepoRoot(), Count, 20261201))
            {
                inputs++;
                clock.Restart();
                try { FuzzTarget.Run(bytes); }
                catch (Exception e) { failures.Add(name + ": " + e.GetType().Name + ": " + e.Message); }
                if (clock.Elapsed.TotalMilliseconds > slowest.ms) slowest = (clock.Elapsed.TotalMilliseconds, name);
            }
            output.WriteLine(inputs + " inputs, " + failures.Count + " failed, slowest " + slowest.ms.ToString("0") + " ms (" + slowest.name + ")");
            Assert.True(inputs > Count, "only " + inputs + " inputs");
            Assert.True(failures.Count == 0, string.Join("\n", failures.Take(5)));
        }

        [Fact]
        public void Mutator_IsDeterministic_AndChangesItsInput()
        {
            var seeds = SeedCorpus.Build(SeedCorpus.RepoRoot()).Select(kv => kv.Value).ToList();
            var a = ShortRun.Inputs(SeedCorpus.RepoRoot(), 50, 7).Skip(seeds.Count).Select(x => x.bytes).ToList();
            var b = ShortRun.Inputs(SeedCorpus.RepoRoot(), 50, 7).Skip(seeds.Count).Select(x => x.bytes).ToList();
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++) Assert.Equal(a[i], b[i]);
            Assert.True(a.Count(m => !seeds.Any(s => s.AsSpan().SequenceEqual(m))) > 45);
        }
    }
}
