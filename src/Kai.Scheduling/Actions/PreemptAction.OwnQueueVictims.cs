using Kai.Scheduling.Framework;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Actions;

// What preempt's own rule makes of a leaf queue's evictable groups for one preemptor, without a victim walk (the part of
// PreemptAction that fails a search before it starts, FailureKnownBeforeSearch): a victim
// must be preemptible and of lower priority. Where no group of the leaf (the preemptor aside) passes that rule, the walk
// the search would take looks at every one of them and turns each down by that rule — the plugins' victim filters are
// asked only of groups the rule lets through — and gives no unit; this counts the same reasons the walk would.
internal sealed partial class PreemptAction
{
    /// <summary>The rule's reason for a group that is not preemptible (<see cref="CheckVictim"/>'s text).</summary>
    private const string NonPreemptible = "non-preemptible";

    /// <summary>The rule's reason for a preemptible group of the preemptor's priority or above.</summary>
    private const string EqualOrHigherPriority = "of equal or higher priority";

    /// <summary>
    /// Whether every evictable group of <paramref name="leaf"/> but the preemptor fails the rule; if so, how many fail it
    /// for either reason (else the counts are left unset). Stops at the first group that passes it: the catalog lists the
    /// lowest priorities first, so where victims exist this is mostly the first group looked at.
    /// </summary>
    private static bool NoneMayBeVictims(Session session, VictimCatalog catalog, int preemptor, int leaf, out int nonPreemptible, out int equalOrHigher)
    {
        var priority = session.Snapshot.Groups[preemptor].Priority;
        (nonPreemptible, equalOrHigher) = (0, 0);
        foreach (var group in catalog.InLeaf(leaf))
        {
            if (group == preemptor)
            {
                // The walk asks the preemptor too, and counts it nowhere.
                continue;
            }

            if (!session.IsPreemptible(group))
            {
                nonPreemptible++;
            }
            else if (session.Snapshot.Groups[group].Priority < priority)
            {
                return false;
            }
            else
            {
                equalOrHigher++;
            }
        }

        return true;
    }
}
