using System;
using System.Diagnostics;
using System.IO;
using System.Xml.Linq;

namespace CftSslTrace.Tests.Wireshark
{
    /// <summary>Runs tshark (Wireshark's command-line decoder) on a capture and returns its PDML dissection.</summary>
    public static class Tshark
    {
        public static string Path
        {
            get
            {
                foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
                {
                    var p = System.IO.Path.Combine(dir, OperatingSystem.IsWindows() ? "tshark.exe" : "tshark");
                    if (File.Exists(p)) return p;
                }
                return null;
            }
        }

        public static string Version()
        {
            var psi = new ProcessStartInfo(Path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            string first = p.StandardOutput.ReadLine();
            p.WaitForExit(30000);
            return first;
        }

        public static XDocument Pdml(string capture, int port)
        {
            var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-r", capture, "-T", "pdml", "-o", "tls.desegment_ssl_records:TRUE", "-o", "tls.desegment_ssl_application_data:TRUE", "-d", "tcp.port==" + port + ",tls" })
                psi.ArgumentList.Add(a);
            psi.Environment["HOME"] = System.IO.Path.GetTempPath(); // no user profile with other preferences
            using var p = Process.Start(psi);
            p.ErrorDataReceived += (s, e) => { };
            p.BeginErrorReadLine();
            var xml = XDocument.Load(p.StandardOutput);
            if (!p.WaitForExit(120000)) { p.Kill(true); throw new TimeoutException("tshark " + capture); }
            if (p.ExitCode != 0) throw new InvalidOperationException("tshark exited with " + p.ExitCode + " on " + capture);
            return xml;
        }
    }
}
