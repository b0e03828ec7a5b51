using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CftSslTrace.Sessions;

namespace CftSslTrace.Tests
{
    /// <summary>Locates the committed fixtures (tests/fixtures) from the test output folder.</summary>
    public static class Fixtures
    {
        public static string Root
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "fixtures"))) dir = dir.Parent;
                if (dir == null) throw new DirectoryNotFoundException("tests/fixtures not found above " + AppContext.BaseDirectory);
                return Path.Combine(dir.FullName, "tests", "fixtures");
            }
        }

        public static string PathOf(string relative) => Path.Combine(Root, relative);

        public static List<CftSslSession> Sessions(string relative, List<TraceDiagnostic> diagnostics = null)
            => SessionReader.ReadFile(PathOf(relative), d => diagnostics?.Add(d)).ToList();

        /// <summary>Every frame of a file as Get-CftSslFrame streams them (application data included).</summary>
        public static List<Tls.TlsFrame> Frames(string relative, List<TraceDiagnostic> diagnostics = null)
        {
            var frames = new List<Tls.TlsFrame>();
            var reader = new SessionReader(relative, new SessionReaderOptions { StreamFrames = true }) { Diagnostic = d => diagnostics?.Add(d) };
            var stream = new FrameStream(null, null, false, frames.Add);
            stream.Attach(reader);
            using (var fs = File.OpenRead(PathOf(relative)))
                foreach (var s in reader.ReadAll(fs)) stream.OnSessionEnd(s);
            return frames;
        }

        public static List<CftSslSession> SessionsFromText(string text, List<TraceDiagnostic> diagnostics = null)
            => SessionsFromText(text, null, diagnostics);

        public static List<CftSslSession> SessionsFromText(string text, SessionReaderOptions options, List<TraceDiagnostic> diagnostics = null)
        {
            var reader = new SessionReader("inline.log", options) { Diagnostic = d => diagnostics?.Add(d) };
            using (var ms = new MemoryStream(Encoding.UTF8.GetBytes(text)))
                return reader.ReadAll(ms).ToList();
        }
    }
}
