using System;
using System.Collections.Generic;
using System.Linq;
using CftSslTrace.Sessions;

namespace CftSslTrace.Analysis
{
    /// <summary>
    /// Hands the facts of sessions to a fold in the order the sessions started, as they come. Sessions read in this
    /// process (given with the session) go through a <see cref="StartOrder{T}"/> per history read: the reader returns
    /// them as they end, and only those that ended before an older one are held. Sessions known by their facts alone
    /// (copies from another computer or a file) are kept and folded at the end, by start time (those without last).
    /// </summary>
    public sealed class FactsInStartOrder
    {
        private readonly Action<SessionFacts> fold;
        private readonly Dictionary<object, StartOrder<SessionFacts>> reads = new Dictionary<object, StartOrder<SessionFacts>>();
        private readonly List<SessionFacts> copies = new List<SessionFacts>();
        private readonly FactsPool pool = new FactsPool();

        public FactsInStartOrder(Action<SessionFacts> fold) => this.fold = fold ?? throw new ArgumentNullException(nameof(fold));

        /// <summary>Sessions held for their order now, in every history read.</summary>
        public int Held => reads.Values.Sum(r => r.Held);

        /// <summary>The most sessions held at once by one history read.</summary>
        public int MostHeld => reads.Count == 0 ? 0 : reads.Values.Max(r => r.MostHeld);

        /// <summary>Sessions folded where they came, not where they started: they came after a later one of their history (a re-sorted pipeline).</summary>
        public long Late => reads.Values.Sum(r => r.Late);

        /// <summary>Copies kept until the end (sessions known by their facts alone).</summary>
        public int Kept => copies.Count;

        /// <summary>
        /// A session's facts; with the session it was read from in this process, folded in start order (at once when no
        /// older session of its history is still to come); without (a copy), kept and folded at the end by start time.
        /// </summary>
        public void Add(SessionFacts facts, CftSslSession readFrom = null)
        {
            if (facts == null) return;
            if (readFrom?.Sources == null || readFrom.ReturnFloor == 0)
            {
                copies.Add(pool.Share(facts));
                return;
            }
            if (!reads.TryGetValue(readFrom.Sources, out var order)) reads[readFrom.Sources] = order = new StartOrder<SessionFacts>(fold);
            order.Add(readFrom.FirstPosition, readFrom.ReturnFloor, facts);
        }

        /// <summary>Folds every session held or kept (the end of the input).</summary>
        public void Finish()
        {
            foreach (var r in reads.Values) r.Flush();
            if (copies.Count == 0) return;
            foreach (var f in PartnerHistory.Ordered(copies)) fold(f);
            copies.Clear();
        }

        /// <summary>What the ordering held, for -Verbose.</summary>
        public string Describe()
            => MostHeld + " session(s) held at most to fold them in the order they started"
                + (Late > 0 ? "; " + Late + " folded as they came, after a later one (the pipeline re-sorted them)" : "")
                + (Kept > 0 ? "; " + Kept + " copies folded by start time" : "");
    }
}
