using System;
using System.Collections.Generic;

namespace CftSslTrace.Pictures
{
    /// <summary>
    /// The sessions of one partner as its chart will place them, gathered as they come: beyond <see cref="Limit"/>
    /// points, the sessions of one result that fall in the same 1/<see cref="Slots"/> of the time seen so far become one
    /// point that counts them (the chart draws one mark per two pixels anyway), so that a partner of a million sessions
    /// holds a few thousand points. Points with details in the report (kept) stay single.
    /// </summary>
    public sealed class PartnerPoints
    {
        /// <summary>Points held before they are merged.</summary>
        public const int Limit = 4000;

        /// <summary>Time slots a merge makes over the time seen (the chart is 700 pixels wide).</summary>
        public const int Slots = 700;

        private List<PartnerPoint> points = new List<PartnerPoint>();
        private int untimed, nextMerge = Limit;

        /// <summary>The points, in the order they came (merged ones at their first session).</summary>
        public IReadOnlyList<PartnerPoint> Points => points;

        /// <summary>The sessions they stand for.</summary>
        public long Sessions { get; private set; }

        /// <summary>Adds a session; keep: a point that must stay single (its session has details to link to).</summary>
        public void Add(PartnerPoint point, Func<PartnerPoint, bool> keep = null)
        {
            Sessions += point.Count;
            if (!point.Time.HasValue)
            {
                // the chart draws only timed sessions: untimed ones are counted, not held
                untimed += point.Count;
                return;
            }
            points.Add(point);
            if (points.Count > nextMerge) Merge(keep);
        }

        /// <summary>Sessions without a time (not drawn).</summary>
        public int Untimed => untimed;

        private void Merge(Func<PartnerPoint, bool> keep)
        {
            long first = long.MaxValue, last = long.MinValue;
            foreach (var p in points)
            {
                first = Math.Min(first, p.Time.Value.Ticks);
                last = Math.Max(last, (p.LastTime ?? p.Time.Value).Ticks);
            }
            long slot = Math.Max(1, (last - first) / Slots + 1);
            var merged = new List<PartnerPoint>();
            var bySlot = new Dictionary<(long, string), int>();
            foreach (var p in points)
            {
                if (keep != null && p.Count == 1 && keep(p)) { merged.Add(p); continue; }
                var key = ((p.Time.Value.Ticks - first) / slot, p.Result);
                if (!bySlot.TryGetValue(key, out int i)) { bySlot[key] = merged.Count; merged.Add(p); continue; }
                var m = merged[i];
                // a session's own point stays the caller's: the sessions of a slot become a new point
                if (m.Count == 1) merged[i] = m = new PartnerPoint { Time = m.Time, LastTime = m.LastTime ?? m.Time, Result = m.Result, Count = 1 };
                m.Count += p.Count;
                var end = p.LastTime ?? p.Time;
                if (end > m.LastTime) m.LastTime = end;
                if (p.Time < m.Time) m.Time = p.Time;
            }
            points = merged;
            // when a merge cannot make room (points kept single, or one a slot), the next waits for twice as many
            nextMerge = Math.Max(Limit, merged.Count * 2);
        }
    }
}
