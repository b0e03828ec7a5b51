using System;
using System.Collections.Generic;
using System.Linq;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// Shares what the facts of many sessions have in common: the lists of versions, suites, CAs, extensions, groups and
    /// signature algorithms a partner offers session after session, and its certificate chains, are kept once. The
    /// copies of sessions that Get-CftSslPartner and Compare-CftSslSession keep to the end (from another computer or a
    /// file: <see cref="FactsInStartOrder"/>) hold then little more than their names and times. The shared lists must
    /// not be changed.
    /// </summary>
    public sealed class FactsPool
    {
        private readonly Dictionary<string, List<string>> lists = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<CertificateFacts>> chains = new Dictionary<string, List<CertificateFacts>>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> strings = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The facts, their lists replaced by shared ones with the same content (the same object is returned).</summary>
        public SessionFacts Share(SessionFacts f)
        {
            if (f == null) return null;
            f.OfferedVersions = List(f.OfferedVersions);
            f.OfferedCipherSuites = List(f.OfferedCipherSuites);
            f.AcceptedClientCAs = List(f.AcceptedClientCAs);
            f.Extensions = List(f.Extensions);
            f.Groups = List(f.Groups);
            f.SignatureAlgorithms = List(f.SignatureAlgorithms);
            f.ServerChain = Chain(f.ServerChain);
            f.ClientChain = Chain(f.ClientChain);
            f.Computer = Text(f.Computer); f.Role = Text(f.Role); f.Result = Text(f.Result); f.Partner = Text(f.Partner); f.Protocol = Text(f.Protocol); f.RemoteHost = Text(f.RemoteHost); f.SslProfile = Text(f.SslProfile);
            f.Problem = Text(f.Problem); f.FailureSummary = Text(f.FailureSummary); f.ServerName = Text(f.ServerName); f.Alpn = Text(f.Alpn);
            f.Ja3 = Text(f.Ja3); f.Ja4 = Text(f.Ja4); f.Ja3s = Text(f.Ja3s); f.Version = Text(f.Version); f.Authentication = Text(f.Authentication);
            return f;
        }

        private string Text(string text)
        {
            if (text == null) return null;
            if (strings.TryGetValue(text, out var shared)) return shared;
            strings[text] = text;
            return text;
        }

        private List<string> List(List<string> list)
        {
            if (list == null) return null;
            string key = string.Join("\u0001", list) + "\u0002" + list.Count;
            if (lists.TryGetValue(key, out var shared)) return shared;
            lists[key] = list;
            return list;
        }

        private List<CertificateFacts> Chain(List<CertificateFacts> chain)
        {
            if (chain == null) return null;
            string key = string.Join("\u0001", chain.Select(c => (c.Thumbprint ?? "") + "|" + c.Subject + "|" + c.Issuer)) + "\u0002" + chain.Count;
            if (chains.TryGetValue(key, out var shared)) return shared;
            chains[key] = chain;
            return chain;
        }
    }
}
