using System;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using CftSslTrace.Reading;
using CftSslTrace.Sessions;

namespace CftSslTrace.Benchmarks
{
    /// <summary>
    /// Throughput of the decoder on the committed busy log (real sessions, interleaved), in memory.
    /// Baseline: splitting the same bytes into lines and nothing else, the floor any reader pays.
    /// </summary>
    [MemoryDiagnoser]
    public class DecoderBenchmarks
    {
        private byte[] log;

        [GlobalSetup]
        public void Setup()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures"))) dir = dir.Parent;
            var busy = File.ReadAllBytes(Path.Combine(dir.FullName, "tests", "fixtures", "real", "busy.log"));
            // about 4 MB: the busy log repeated (sessions close, CTX values are reused)
            using var ms = new MemoryStream();
            while (ms.Length < 4 << 20) ms.Write(busy, 0, busy.Length);
            log = ms.ToArray();
        }

        [Benchmark(Baseline = true, Description = "split lines only")]
        public long SplitLines()
        {
            long n = 0;
            using var ms = new MemoryStream(log);
            var r = new LineReader(ms);
            while (r.Read()) n += r.LineLength;
            return n;
        }

        [Benchmark(Description = "decode sessions (full)")]
        public long DecodeSessions()
        {
            long frames = 0;
            using var ms = new MemoryStream(log);
            foreach (var s in new SessionReader("bench").ReadAll(ms)) frames += s.Frames.Count;
            return frames;
        }

        [Benchmark(Description = "decode frames (streamed)")]
        public long DecodeFrames()
        {
            long frames = 0;
            using var ms = new MemoryStream(log);
            var reader = new SessionReader("bench", new SessionReaderOptions { StreamFrames = true });
            var stream = new FrameStream(null, null, false, f => frames++);
            stream.Attach(reader);
            foreach (var s in reader.ReadAll(ms)) stream.OnSessionEnd(s);
            return frames;
        }

        public double MegaBytes => log.Length / 1048576.0;

        public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(DecoderBenchmarks).Assembly).Run(args);
    }
}
