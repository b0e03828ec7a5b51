using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CftSslTrace.PowerShell
{
    /// <summary>Completes -ContentType with the TLS record content types.</summary>
    public sealed class ContentTypeCompleter : IArgumentCompleter
    {
        private static readonly string[] Types = { "Handshake", "ChangeCipherSpec", "Alert", "ApplicationData", "Heartbeat", "Unrecognized" };

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var pattern = Wildcards.ForCompletion(wordToComplete);
            foreach (var t in Types)
                if (pattern.IsMatch(t)) yield return new CompletionResult(t, t, CompletionResultType.ParameterValue, t);
        }
    }
}
