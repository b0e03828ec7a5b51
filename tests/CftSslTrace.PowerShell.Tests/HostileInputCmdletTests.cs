using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using CftSslTrace.Sessions;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>Damaged logs through the cmdlets, as a user meets them: a bad field costs its line, never the read.</summary>
    public class HostileInputCmdletTests : IClassFixture<CmdletTests.HostFixture>, IDisposable
    {
        private readonly ModuleHost host;
        private readonly string dir = Path.Combine(Path.GetTempPath(), "cftssltrace-hostile-" + Guid.NewGuid().ToString("N"));
        public HostileInputCmdletTests(CmdletTests.HostFixture f) { host = f.Host; Directory.CreateDirectory(dir); }
        public void Dispose() { try { Directory.Delete(dir, true); } catch (IOException) { } }

        private static Dictionary<string, object> Vars(params (string, object)[] v) => v.ToDictionary(x => x.Item1, x => x.Item2);
        private static string Real => File.ReadAllText(ModuleHost.Fixture("real/tls12-ecdhe-rsa-mutual.client.log"), Encoding.Latin1);
        private int? realFrames, realSessionFrames;
        /// <summary>Frames of the undamaged fixture (Get-CftSslFrame: every record), and frames its session keeps.</summary>
        private int RealFrames => realFrames ??= (int)host.Run("@(Get-CftSslFrame $p).Count", Vars(("p", ModuleHost.Fixture("real/tls12-ecdhe-rsa-mutual.client.log")))).Output[0].BaseObject;
        private int RealSessionFrames => realSessionFrames ??= (int)host.Run("(Get-CftSslSession $p).Frames.Count", Vars(("p", ModuleHost.Fixture("real/tls12-ecdhe-rsa-mutual.client.log")))).Output[0].BaseObject;

        private string Write(string name, byte[] bytes) { var p = Path.Combine(dir, name); File.WriteAllBytes(p, bytes); return p; }

        [Theory]
        [InlineData("01/01/0000 10:00:00 ")]
        [InlineData("0000-11-24 10:00:00 ")]
        public void YearZero_InOnePrefix_DoesNotEndTheRead(string prefix)
        {
            var lines = Real.Split('\n');
            int i = Array.FindIndex(lines, l => l.Contains("CFTY02Z>>") && l.Contains("ndata"));
            lines[i] = prefix + lines[i].Substring(lines[i].IndexOf("CFTY", StringComparison.Ordinal));
            var p = Write("year0.log", Encoding.Latin1.GetBytes(string.Join("\n", lines)));
            var r = host.Run("Get-CftSslSession $p | ForEach-Object { $_.Result.ToString() + '|' + $_.Frames.Count }; @(Get-CftSslFrame $p).Count", Vars(("p", p)));
            Assert.Empty(r.Errors);
            Assert.Equal("Established|" + RealSessionFrames, r.Output[0].ToString());
            Assert.Equal(RealFrames, (int)r.Output[1].BaseObject);
        }

        [Fact]
        public void ExportPcap_OfASessionAtTheLastRepresentableInstant_Writes()
        {
            string text = string.Concat(Real.Split('\n').Where(l => l.Contains("CFTY")).Select(l => "9999-12-31 23:59:59.9999999 " + l.Substring(l.IndexOf("CFTY", StringComparison.Ordinal)) + "\n"));
            var p = Write("y9999.log", Encoding.ASCII.GetBytes(text));
            var pcap = Path.Combine(dir, "y9999.pcapng");
            var r = host.Run("Get-CftSslSession $p | Export-CftSslPcap -Path $o; Get-CftSslFrame $p | Export-CftSslPcap -Path ($o + '2')", Vars(("p", p), ("o", pcap)));
            Assert.Empty(r.Errors);
            Assert.True(new FileInfo(pcap).Length > 1000);
            Assert.True(new FileInfo(pcap + "2").Length > 1000);
        }

        [Fact]
        public void CrOnlyLineEnds_AreReadLikeGetContentReadsThem()
        {
            var p = Write("cr.log", Encoding.Latin1.GetBytes(Real.Replace("\n", "\r")));
            var r = host.Run("@(Get-CftSslFrame $p).Count; @([IO.File]::ReadAllLines($p) | Get-CftSslFrame).Count", Vars(("p", p)));
            Assert.Empty(r.Errors);
            Assert.Empty(r.Warnings);
            Assert.Equal(RealFrames, (int)r.Output[0].BaseObject);
            Assert.Equal(RealFrames, (int)r.Output[1].BaseObject);
        }

        [Fact]
        public void Utf16WithoutByteOrderMark_IsReadWithAWarningNamingTheFileAndTheParameter()
        {
            var p = Write("utf16.log", Encoding.Unicode.GetBytes(Real));
            var r = host.Run("@(Get-CftSslFrame $p).Count", Vars(("p", p)));
            Assert.Equal(RealFrames, (int)r.Output[0].BaseObject);
            var w = Assert.Single(r.Warnings);
            Assert.Contains("utf16.log", w);
            Assert.Contains("-Encoding", w);
            var told = host.Run("@(Get-CftSslFrame $p -Encoding Unicode).Count", Vars(("p", p)));
            Assert.Empty(told.Warnings);
            Assert.Equal(RealFrames, (int)told.Output[0].BaseObject);
        }

        [Theory]
        [InlineData("1252")]
        [InlineData("windows-1252")]
        public void Encoding_WindowsCodePage_ByNumberOrName(string encoding)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            var p = Write("cp1252.log", Encoding.GetEncoding(1252).GetBytes(Real.Replace("PARTNER", "PART€")));
            var r = host.Run("Get-CftSslSession $p -Encoding $e | ForEach-Object Partner", Vars(("p", p), ("e", encoding)));
            Assert.Empty(r.Errors);
            Assert.StartsWith("PART€", r.Output.Single().ToString());
        }

        [Fact]
        public void Ebcdic_WarnsWithTheParameter_AndIsReadWithIt()
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            var p = Write("zos.log", Encoding.GetEncoding("IBM037").GetBytes(Real));
            var r = host.Run("Get-CftSslSession $p", Vars(("p", p)));
            Assert.Empty(r.Output);
            Assert.Contains(r.Warnings, w => w.Contains("EBCDIC") && w.Contains("-Encoding IBM"));
            var told = host.Run("Get-CftSslSession $p -Encoding IBM037 | ForEach-Object { $_.Result.ToString() }", Vars(("p", p)));
            Assert.Equal("Established", told.Output.Single().ToString());
        }

        [Fact]
        public void BadEncodingName_IsAParameterError()
        {
            var r = host.Run("try { Get-CftSslSession -Path $p -Encoding no-such-encoding -ErrorAction Stop; 'bound' } catch { $_.FullyQualifiedErrorId }", Vars(("p", ModuleHost.Fixture("doc/doc-simple-auth-client.log"))));
            Assert.StartsWith("ParameterArgumentTransformationError", r.Output.Single().ToString());
        }
    }
}
