using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CftSslTrace.Analysis;
using CftSslTrace.Sessions;

namespace CftSslTrace.PowerShell
{
    /// <summary>
    /// Sessions as they come down a pipeline: read here (CftSslSession), or copies from another computer or a file
    /// (Invoke-Command, Receive-Job, Import-Clixml: property bags whose nested objects are one level deep), read into
    /// the same facts either way.
    /// </summary>
    internal static class SessionCopy
    {
        public const string DeserializedTypeName = "Deserialized.CftSslTrace.Sessions.CftSslSession";

        /// <summary>A copy of a session (its type names say so).</summary>
        public static bool IsSession(PSObject o) => o != null && o.TypeNames.Contains(DeserializedTypeName);

        /// <summary>A session read here, or a copy: its facts, with the computer it came from (PSComputerName).</summary>
        public static SessionFacts Facts(PSObject o)
        {
            string computer = o.Properties["PSComputerName"]?.Value as string;
            if (o.BaseObject is CftSslSession s) return SessionFacts.Of(s, computer);
            return SessionFacts.FromProperties(Get, Items, o, computer);
        }

        /// <summary>The facts of anything that is a session, or null.</summary>
        public static SessionFacts TryFacts(PSObject o)
            => o?.BaseObject is CftSslSession || IsSession(o) ? Facts(o) : null;

        private static object Get(object owner, string name)
        {
            if (owner == null) return null;
            var p = owner as PSObject ?? PSObject.AsPSObject(owner);
            return p.Properties[name]?.Value;
        }

        private static IEnumerable<object> Items(object value)
        {
            var v = value is PSObject p ? p.BaseObject : value;
            if (v is string || !(v is IEnumerable e)) return Enumerable.Empty<object>();
            return e.Cast<object>();
        }
    }
}
