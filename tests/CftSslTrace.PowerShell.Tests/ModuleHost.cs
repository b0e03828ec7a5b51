using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

namespace CftSslTrace.PowerShell.Tests
{
    /// <summary>The real PowerShell engine, in process, with the module imported from the repository's manifest.</summary>
    public sealed class ModuleHost : IDisposable
    {
        public static string RepoRoot
        {
            get
            {
                var dir = new DirectoryInfo(AppContext.BaseDirectory);
                while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CftSslTrace.psd1"))) dir = dir.Parent;
                if (dir == null) throw new DirectoryNotFoundException("CftSslTrace.psd1 not found above " + AppContext.BaseDirectory);
                return dir.FullName;
            }
        }

        public static string Fixture(string relative) => Path.Combine(RepoRoot, "tests", "fixtures", relative);

        private readonly Runspace runspace;

        public ModuleHost() : this(Path.Combine(RepoRoot, "CftSslTrace.psd1")) { }

        public ModuleHost(string manifest, PSHost host = null)
        {
            var iss = InitialSessionState.CreateDefault2();
            runspace = host == null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            using (var ps = NewShell())
            {
                ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop");
                ps.Invoke();
            }
        }

        public System.Management.Automation.PowerShell NewShell()
        {
            var ps = System.Management.Automation.PowerShell.Create();
            ps.Runspace = runspace;
            return ps;
        }

        /// <summary>Runs a script; returns output, errors and warnings.</summary>
        public Result Run(string script, IDictionary<string, object> variables = null)
        {
            using (var ps = NewShell())
            {
                if (variables != null)
                    foreach (var kv in variables) runspace.SessionStateProxy.SetVariable(kv.Key, kv.Value);
                ps.AddScript(script);
                Collection<PSObject> output;
                output = ps.Invoke();
                return new Result
                {
                    Output = output.ToList(),
                    Errors = ps.Streams.Error.ToList(),
                    Warnings = ps.Streams.Warning.Select(w => w.Message).ToList(),
                    Verbose = ps.Streams.Verbose.Select(w => w.Message).ToList(),
                };
            }
        }

        public void Dispose() => runspace.Dispose();

        public sealed class Result
        {
            public List<PSObject> Output;
            public List<ErrorRecord> Errors;
            public List<string> Warnings;
            public List<string> Verbose;
            public List<T> As<T>() => Output.Select(o => (T)o.BaseObject).ToList();
        }
    }
}
