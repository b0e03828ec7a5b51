using System.Collections.Generic;
using CftSslTrace.Sessions;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// Each failed session against the last established session of the same partner, role and computer before it, as
    /// the sessions come (in the order they started: <see cref="FactsInStartOrder"/>): per partner, its last established
    /// session and the differences found, not its sessions.
    /// </summary>
    public sealed class FailureComparisons
    {
        private readonly bool includeEqual;
        private readonly System.Action<SessionDifference> found;
        private readonly Dictionary<(string, string, string), (SessionFacts LastGood, List<SessionDifference> Found)> partners
            = new Dictionary<(string, string, string), (SessionFacts, List<SessionDifference>)>();
        private readonly List<(string, string, string)> seen = new List<(string, string, string)>();

        /// <param name="found">Where each difference goes as it is found (in the order the failures started: a timeline); none: they are kept, and <see cref="All"/> returns them partner by partner.</param>
        public FailureComparisons(bool includeEqual = false, System.Action<SessionDifference> found = null)
        {
            this.includeEqual = includeEqual;
            this.found = found;
            Order = new FactsInStartOrder(Fold);
        }

        /// <summary>How the sessions were put in order (held, late, kept).</summary>
        public FactsInStartOrder Order { get; }

        /// <summary>Sessions compared (given to <see cref="Fold"/>).</summary>
        public long Sessions { get; private set; }

        /// <summary>A session's facts, with the session read in this process when there is one (see <see cref="FactsInStartOrder.Add"/>).</summary>
        public void Add(SessionFacts facts, CftSslSession readFrom = null) => Order.Add(facts, readFrom);

        /// <summary>The differences, partner after partner (in the order they first came), each partner's in time; with a <c>found</c> callback, the last ones go to it and none is returned.</summary>
        public List<SessionDifference> All()
        {
            Order.Finish();
            var result = new List<SessionDifference>();
            foreach (var key in seen) result.AddRange(partners[key].Found);
            return result;
        }

        /// <summary>One session, in order.</summary>
        internal void Fold(SessionFacts f)
        {
            Sessions++;
            var key = (f.Computer ?? "", f.Partner ?? "", f.Role ?? "");
            if (!partners.TryGetValue(key, out var p))
            {
                p = (null, new List<SessionDifference>());
                seen.Add(key);
            }
            if (f.Established) p.LastGood = f;
            else if (f.Failed && p.LastGood != null)
            {
                var differences = SessionComparer.Compare(p.LastGood, f, includeEqual);
                if (found == null) p.Found.AddRange(differences);
                else foreach (var d in differences) found(d);
            }
            partners[key] = p;
        }
    }
}
