using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Xunit;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>Get-Help for every exported cmdlet, from the MAML help shipped with the module.</summary>
    public class HelpTests : IClassFixture<CmdletTests.HostFixture>
    {
        private readonly ModuleHost host;
        public HelpTests(CmdletTests.HostFixture f) { host = f.Host; }

        public static IEnumerable<object[]> Cmdlets() => new[] { "Get-CftSslSession", "Get-CftSslFrame", "Get-CftSslCertificate", "ConvertFrom-CftHexDump", "Get-CftCipherSuite", "Get-CftSslAlert", "Get-CftSslSecurityRating", "Export-CftSslPcap", "Export-CftSslCertificate" }.Select(c => new object[] { c });

        [Theory]
        [MemberData(nameof(Cmdlets))]
        public void Help_HasSynopsisDescriptionParametersAndExamples(string cmdlet)
        {
            var r = host.Run("Get-Help $c -Full", new Dictionary<string, object> { ["c"] = cmdlet });
            Assert.Empty(r.Errors);
            var help = r.Output.Single();
            string synopsis = help.Properties["Synopsis"].Value.ToString();
            Assert.DoesNotContain(cmdlet + " [", synopsis); // not the generated syntax stand-in
            Assert.True(synopsis.Length > 20, synopsis);
            var description = (object[])LanguagePrimitives.ConvertTo(help.Properties["description"].Value, typeof(object[]));
            Assert.NotEmpty(description);

            // every parameter of the cmdlet is described
            var declared = host.Run("(Get-Command $c).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }",
                new Dictionary<string, object> { ["c"] = cmdlet }).Output.Select(o => o.ToString()).ToList();
            var described = host.Run("(Get-Help $c -Full).parameters.parameter | ForEach-Object { $_.name + '|' + ($_.description | ForEach-Object Text) }",
                new Dictionary<string, object> { ["c"] = cmdlet }).Output.Select(o => o.ToString()).ToList();
            foreach (var p in declared)
                Assert.Contains(described, d => d.StartsWith(p + "|") && d.Length > p.Length + 20);

            // at least three examples, each of which parses
            var examples = host.Run("(Get-Help $c -Examples).examples.example | ForEach-Object code", new Dictionary<string, object> { ["c"] = cmdlet }).Output.Select(o => o.ToString()).ToList();
            Assert.True(examples.Count >= 3, cmdlet + " has " + examples.Count + " examples");
            foreach (var code in examples)
            {
                Parser.ParseInput(code, out _, out var errors);
                Assert.True(errors.Length == 0, code + ": " + string.Join("; ", errors.Select(e => e.Message)));
                Assert.Contains(cmdlet, code);
            }
        }
    }
}
