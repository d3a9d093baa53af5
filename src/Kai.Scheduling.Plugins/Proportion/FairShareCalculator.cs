using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.Proportion.Fairness;

namespace Kai.Scheduling.Plugins.Proportion;

/// <summary>
/// Hierarchical fair share: top-level queues divide the cluster total, and every queue's children divide
/// their parent's fair share, per resource, with <see cref="FairShareDivision"/>.
/// </summary>
internal static class FairShareCalculator
{
    public static void Compute(ISessionView session, SessionSetup setup, double kValue)
    {
        var snapshot = session.Snapshot;
        var ledger = session.Queues;
        foreach (var resource in QueueResourceValues.All)
        {
            var unit = QueueResourceValues.Unit(resource);
            Divide(session, setup, snapshot.TopLevelQueues, QueueResourceValues.Of(ledger.Total, resource), resource, unit, kValue);

            // Parents come before children in a breadth-first walk, so each parent's share is known when divided.
            var frontier = new Queue<int>(snapshot.TopLevelQueues);
            while (frontier.TryDequeue(out var queue))
            {
                var children = snapshot.ChildrenOf(queue);
                if (children.Length == 0)
                {
                    continue;
                }

                Divide(session, setup, children, QueueResourceValues.Of(ledger.FairShare[queue], resource), resource, unit, kValue);
                foreach (var child in children)
                {
                    frontier.Enqueue(child);
                }
            }
        }
    }

    private static void Divide(ISessionView session, SessionSetup setup, int[] siblings, long total, QueueResource resource, long unit, double kValue)
    {
        if (siblings.Length == 0)
        {
            return;
        }

        var snapshot = session.Snapshot;
        var claims = new FairShareClaim[siblings.Length];
        for (var i = 0; i < siblings.Length; i++)
        {
            var queue = snapshot.Queues[siblings[i]];
            var settings = queue[resource];
            claims[i] = new FairShareClaim(
                settings.Quota,
                settings.Limit,
                QueueResourceValues.Of(session.Queues.Requested[siblings[i]], resource),
                settings.OverQuotaWeight,
                queue.Priority,
                Usage: 0,
                queue.CreationTimestamp,
                queue.Name);
        }

        var shares = FairShareDivision.Divide(total, claims, unit, kValue);
        for (var i = 0; i < siblings.Length; i++)
        {
            var q = siblings[i];
            setup.SetFairShare(q, QueueResourceValues.With(session.Queues.FairShare[q], resource, shares[i]));
        }
    }
}
