using System;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace FixtureGenerator
{
    internal static class Proc
    {
        /// <summary>Runs a command to completion (bounded in time); throws on failure.</summary>
        public static string Run(string file, string args, string dir, int timeoutSeconds)
        {
            var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using (var p = Process.Start(psi))
            {
                var err = new StringBuilder();
                p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (err) err.AppendLine(e.Data); };
                p.BeginErrorReadLine();
                string output = p.StandardOutput.ReadToEnd();
                if (!p.WaitForExit(timeoutSeconds * 1000)) { p.Kill(true); throw new TimeoutException(file + " " + args); }
                p.WaitForExit();
                if (p.ExitCode != 0) throw new InvalidOperationException(file + " " + args + " failed: " + err);
                return output;
            }
        }

        /// <summary>Starts a long-running process with its output collected.</summary>
        public static Process Start(string file, string args, string dir, StringBuilder output)
        {
            var psi = new ProcessStartInfo(file, args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            var p = Process.Start(psi);
            p.OutputDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.ErrorDataReceived += (s, e) => { if (e.Data != null) lock (output) output.AppendLine(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }

        public static bool WaitFor(StringBuilder output, string text, int timeoutMs)
        {
            var sw = Stopwatch.StartNew();
            while (sw.ElapsedMilliseconds < timeoutMs)
            {
                lock (output) if (output.ToString().Contains(text)) return true;
                Thread.Sleep(20);
            }
            return false;
        }

        public static void Stop(Process p, int timeoutMs)
        {
            try
            {
                if (!p.WaitForExit(timeoutMs)) p.Kill(true);
                p.WaitForExit();
            }
            catch (InvalidOperationException) { }
        }
    }
}
