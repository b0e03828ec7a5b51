using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CftSslTrace.Registry;

namespace CftSslTrace.PowerShell
{
    /// <summary>Completes cipher suite names (IANA and OpenSSL).</summary>
    public sealed class CipherSuiteNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var p = Wildcards.ForCompletion(wordToComplete);
            var names = TlsRegistry.CipherSuites.Select(s => s.Name).Concat(TlsRegistry.CipherSuites.Where(s => s.OpenSslName != null).Select(s => s.OpenSslName));
            return names.Where(n => p.IsMatch(n)).OrderBy(n => n).Select(n => new CompletionResult(n, n, CompletionResultType.ParameterValue, n));
        }
    }

    /// <summary>Completes TLS alert names.</summary>
    public sealed class AlertNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var p = Wildcards.ForCompletion(wordToComplete);
            return TlsRegistry.AlertDefinitions.Where(a => p.IsMatch(a.Name)).Select(a => new CompletionResult(a.Name, a.Name, CompletionResultType.ParameterValue, a.Code + " " + a.Name));
        }
    }
}
