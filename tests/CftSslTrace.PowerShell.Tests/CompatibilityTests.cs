using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>One build for Windows PowerShell 5.1 and PowerShell 7: the shipped assemblies are netstandard2.0 and reference nothing else.</summary>
    public class CompatibilityTests
    {
        [Theory]
        [InlineData("CftSslTrace.Core.dll", new[] { "netstandard" })]
        [InlineData("CftSslTrace.PowerShell.dll", new[] { "netstandard", "System.Management.Automation", "CftSslTrace.Core" })]
        public void ShippedAssemblies_TargetNetStandard20_AndReferenceNothingElse(string file, string[] allowed)
        {
            using var pe = new PEReader(File.OpenRead(Path.Combine(ModuleHost.RepoRoot, "module", "bin", file)));
            var md = pe.GetMetadataReader();
            var refs = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList();
            Assert.All(refs, r => Assert.Contains(r, allowed));
            var sma = md.AssemblyReferences.Select(h => md.GetAssemblyReference(h)).Where(r => md.GetString(r.Name) == "System.Management.Automation").ToList();
            Assert.All(sma, r => Assert.Equal(new System.Version(3, 0, 0, 0), r.Version)); // PowerShell Standard 5.1: the SMA 3.0.0.0 of Windows PowerShell, which 7 unifies
            string tfm = md.CustomAttributes.Select(h => md.GetCustomAttribute(h))
                .Where(a => a.Constructor.Kind == HandleKind.MemberReference)
                .Select(a => (a, m: md.GetMemberReference((MemberReferenceHandle)a.Constructor)))
                .Where(x => x.m.Parent.Kind == HandleKind.TypeReference && md.GetString(md.GetTypeReference((TypeReferenceHandle)x.m.Parent).Name) == "TargetFrameworkAttribute")
                .Select(x => System.Text.Encoding.UTF8.GetString(md.GetBlobBytes(x.a.Value))).Single();
            Assert.Contains(".NETStandard,Version=v2.0", tfm);
        }
    }
}
