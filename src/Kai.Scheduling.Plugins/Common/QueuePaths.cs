using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Plugins.Common;

/// <summary>Walks between queues of the tree.</summary>
internal static class QueuePaths
{
    /// <summary>
    /// The first ancestors (root-down) where the paths of two queues differ: siblings under their lowest common
    /// ancestor (or two top-level queues). Reclaim compares these "levelled" queues.
    /// </summary>
    public static (int Reclaimer, int Victim) Levelled(ClusterSnapshot snapshot, int reclaimerLeaf, int victimLeaf)
    {
        // Bring both to the same depth, then climb together until the parents are the same.
        int reclaimer = reclaimerLeaf, victim = victimLeaf;
        var reclaimerDepth = Depth(snapshot, reclaimer);
        var victimDepth = Depth(snapshot, victim);
        for (; reclaimerDepth > victimDepth; reclaimerDepth--)
        {
            reclaimer = snapshot.ParentOf(reclaimer);
        }

        for (; victimDepth > reclaimerDepth; victimDepth--)
        {
            victim = snapshot.ParentOf(victim);
        }

        if (reclaimer == victim)
        {
            // One is an ancestor of the other (only leaves hold jobs, so this is the same queue).
            return (reclaimer, victim);
        }

        while (snapshot.ParentOf(reclaimer) != snapshot.ParentOf(victim))
        {
            reclaimer = snapshot.ParentOf(reclaimer);
            victim = snapshot.ParentOf(victim);
        }

        return (reclaimer, victim);
    }

    private static int Depth(ClusterSnapshot snapshot, int queue)
    {
        var depth = 0;
        for (var q = snapshot.ParentOf(queue); q >= 0; q = snapshot.ParentOf(q))
        {
            depth++;
        }

        return depth;
    }
}
