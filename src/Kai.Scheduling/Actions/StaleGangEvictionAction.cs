using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Actions;

/// <summary>
/// KAI's stale-gang eviction: a gang that has some pods running but fewer than its minimum (and none
/// finished) is stamped stale when first seen so; once the staleness grace period has passed it is evicted
/// whole, so its remaining pods stop holding resources that cannot be used. The grace period is the group's own
/// (<see cref="PodGroup.StalenessGracePeriod"/>), else the scheduler's; a negative one turns this off for the group.
/// Evictions here need no preemptor.
/// </summary>
internal sealed class StaleGangEvictionAction : ISchedulingAction
{
    public ActionKind Kind => ActionKind.StaleGangEviction;

    public void Execute(ActionContext context)
    {
        var session = context.Session;
        var defaultGrace = session.Configuration.StalenessGracePeriod;
        var snapshot = session.Snapshot;
        for (var g = 0; g < snapshot.Groups.Count; g++)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var group = snapshot.Groups[g];
            if (!MayBeStale(session, g) || !IsStale(session, g))
            {
                if (group.StaleSince is not null)
                {
                    context.Journal.SetStaleSince(g, null);
                }

                continue;
            }

            var since = group.StaleSince ?? session.Now;
            if (group.StaleSince is null)
            {
                context.Journal.SetStaleSince(g, since);
            }

            // A group another action changed this cycle (pods moved or placed) is evicted, if still stale, next cycle.
            var grace = group.StalenessGracePeriod ?? defaultGrace;
            if (grace < TimeSpan.Zero || session.IsBefore(since + grace) || snapshot.MembersOf(g).Any(session.IsVirtual))
            {
                continue;
            }

            using var statement = context.Begin();
            foreach (var pod in snapshot.MembersOf(g))
            {
                if (session.StatusOf(pod).IsActiveAllocated())
                {
                    statement.Evict(pod);
                }
            }

            statement.Commit(cause: $"stale since {since:yyyy-MM-ddTHH:mm:ssZ}: fewer than its minimum of pods running for longer than {grace.TotalSeconds:0}s");
            context.Journal.MarkStale(g);
        }
    }

    /// <summary>
    /// A cheap test from the gang book (no member read): a group whose every pod set has its minimum active-allocated
    /// has it active-used too (active-allocated pods are active-used), so it is not below its minimum; nor is an empty
    /// group stale.
    /// </summary>
    private static bool MayBeStale(Session session, int group) =>
        session.Snapshot.MembersOf(group).Length > 0 && !session.Gangs.IsSatisfied(group);

    /// <summary>No pod finished, some pod holds resources, and some pod set has fewer than its minimum holding them.</summary>
    internal static bool IsStale(Session session, int group)
    {
        var snapshot = session.Snapshot;
        var members = snapshot.MembersOf(group);
        if (members.Length == 0 || Array.Exists(members, p => session.StatusOf(p) == PodStatus.Succeeded))
        {
            return false;
        }

        var anyActive = false;
        var belowMinimum = false;
        foreach (var set in snapshot.PodSetsOf(group))
        {
            var active = 0;
            foreach (var pod in set.Members)
            {
                active += session.StatusOf(pod).IsActiveUsed() ? 1 : 0;
            }

            anyActive |= active > 0;
            belowMinimum |= active < set.MinAvailable;
        }

        return anyActive && belowMinimum;
    }
}
