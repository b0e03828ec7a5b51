using System;
using System.Collections.Generic;
using System.Linq;
using CftSslTrace.Sessions;
using CftSslTrace.Tls;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// Builds partners session by session, holding per partner what its history needs (counts, the values last seen,
    /// its certificates, its changes) rather than its sessions, fed in the order the sessions started (<see cref="FactsInStartOrder"/>).
    /// Memory: the partners, and the sessions that ended while an older one was open, whatever the number of sessions.
    /// </summary>
    public sealed class PartnerHistoryBuilder
    {
        private readonly Dictionary<(string, string, string), PartnerState> partners = new Dictionary<(string, string, string), PartnerState>();
        private readonly FactsInStartOrder order;

        public PartnerHistoryBuilder() => order = new FactsInStartOrder(Fold);

        /// <summary>How the sessions were put in order (held, late, kept).</summary>
        public FactsInStartOrder Order => order;

        /// <summary>
        /// A session's facts; with the session it was read from in this process, folded in start order (at once when no
        /// older session of its history is still to come); without (a copy), kept and folded at the end by start time.
        /// </summary>
        public void Add(SessionFacts facts, CftSslSession readFrom = null) => order.Add(facts, readFrom);

        /// <summary>Folds every session held or kept, and returns the partners, the interesting ones first.</summary>
        public List<CftSslPartner> Partners()
        {
            order.Finish();
            foreach (var state in partners.Values) state.Finish();
            return PartnerHistory.Sorted(partners.Values.Select(s => s.Partner));
        }

        /// <summary>The facts of the last failed session of a partner and of the last established one before it (null when there is none).</summary>
        internal (SessionFacts Established, SessionFacts Failed) LastFailure(CftSslPartner p)
            => partners.TryGetValue((p.Computer ?? "", p.Partner ?? "", p.Role ?? ""), out var s) ? (s.GoodBeforeFailure, s.LastFailed) : (null, null);

        /// <summary>Folds one session into its partner (sessions in order).</summary>
        internal void Fold(SessionFacts f)
        {
            var key = (f.Computer ?? "", f.Partner ?? "", f.Role ?? "");
            if (!partners.TryGetValue(key, out var state))
                partners[key] = state = new PartnerState(key.Item1.Length == 0 ? null : key.Item1, key.Item2, key.Item3);
            state.Add(f);
        }

        /// <summary>A partner's history so far.</summary>
        private sealed class PartnerState
        {
            public readonly CftSslPartner Partner;
            private readonly Dictionary<string, PartnerCertificate> certificates = new Dictionary<string, PartnerCertificate>(StringComparer.OrdinalIgnoreCase);
            private readonly Dictionary<string, string> known = new Dictionary<string, string>(StringComparer.Ordinal);
            private DateTime? firstFailureAfterSuccess;
            private bool lastEstablished, lastFailed;
            private SessionFacts lastGood;
            public SessionFacts GoodBeforeFailure, LastFailed;

            public PartnerState(string computer, string partner, string role)
                => Partner = new CftSslPartner { Computer = computer, Partner = partner, Role = role };

            public void Add(SessionFacts f)
            {
                var p = Partner;
                p.Sessions++;
                if (f.StartTime.HasValue)
                {
                    if (p.FirstSeen == null || f.StartTime < p.FirstSeen) p.FirstSeen = f.StartTime;
                    if (p.LastSeen == null || f.StartTime > p.LastSeen) p.LastSeen = f.StartTime;
                }
                lastEstablished = f.Established;
                lastFailed = f.Failed;
                if (f.Established)
                {
                    p.Established++;
                    p.LastEstablished = f.StartTime ?? p.LastEstablished;
                    p.LastEstablishedSession = f.SessionId;
                    firstFailureAfterSuccess = null;
                    lastGood = f;
                }
                else if (f.Failed)
                {
                    p.Failed++;
                    p.LastFailure = f.StartTime ?? p.LastFailure;
                    p.LastProblem = f.Problem;
                    p.LastFailedSession = f.SessionId;
                    if (firstFailureAfterSuccess == null) firstFailureAfterSuccess = f.StartTime ?? DateTime.MinValue;
                    GoodBeforeFailure = lastGood;
                    LastFailed = f;
                }
                else p.Incomplete++;
                AddDistinct(p.Versions, f.Version);
                AddDistinct(p.CipherSuites, f.CipherSuiteName);
                AddDistinct(p.Ja4, f.Ja4);
                AddDistinct(p.RemoteHosts, f.RemoteHost);
                AddDistinct(p.SslProfiles, f.SslProfile);
                foreach (var c in f.PartnerChain) See(c, "Partner", f);
                foreach (var c in f.CftChain) See(c, "CFT", f);
                foreach (var (aspect, read) in PartnerHistory.Aspects)
                {
                    string value = read(f);
                    if (value == null) continue;
                    value = Shared(value);
                    if (known.TryGetValue(aspect, out var before) && !string.Equals(before, value, StringComparison.Ordinal))
                        p.Changes.Add(new PartnerChange { Computer = p.Computer, Partner = p.Partner, Role = p.Role, Time = f.StartTime, Aspect = aspect, From = before, To = value, SessionId = f.SessionId, Result = f.Result });
                    known[aspect] = value;
                }
            }

            // the values its changes name, one string each: a partner whose aspects flap (many clients behind one server
            // partner) has a change or more a session, each naming the same few values
            private readonly Dictionary<string, string> values = new Dictionary<string, string>(StringComparer.Ordinal);
            private const int MaxSharedValues = 4096;

            private string Shared(string value)
            {
                if (values.TryGetValue(value, out var shared)) return shared;
                if (values.Count < MaxSharedValues) values[value] = value;
                return value;
            }

            /// <summary>Its status from its last session.</summary>
            public void Finish()
            {
                var p = Partner;
                if (lastFailed)
                {
                    p.Status = "Failing";
                    p.FailingSince = firstFailureAfterSuccess == DateTime.MinValue ? null : firstFailureAfterSuccess;
                }
                else if (lastEstablished) p.Status = p.Failed > 0 ? "Recovered" : "Established";
                else p.Status = "Incomplete";
            }

            private void See(CertificateFacts c, string owner, SessionFacts f)
            {
                string key = c.Thumbprint ?? (c.Subject + "|" + c.Issuer);
                if (!certificates.TryGetValue(key, out var pc))
                {
                    certificates[key] = pc = new PartnerCertificate { Owner = owner, Thumbprint = c.Thumbprint, Subject = c.Subject, Issuer = c.Issuer, NotAfter = c.NotAfter };
                    Partner.Certificates.Add(pc);
                }
                pc.Sessions++;
                if (f.StartTime.HasValue)
                {
                    if (pc.FirstSeen == null || f.StartTime < pc.FirstSeen) pc.FirstSeen = f.StartTime;
                    if (pc.LastSeen == null || f.StartTime > pc.LastSeen) pc.LastSeen = f.StartTime;
                }
            }

            private static void AddDistinct(NamedList<string> list, string value)
            {
                if (string.IsNullOrEmpty(value) || list.Contains(value)) return;
                list.Add(value);
            }
        }
    }
}
