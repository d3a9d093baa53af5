using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Plugins;

/// <summary>Walks between queues of the tree.</summary>
internal static class QueuePaths
{
    /// <summary>
    /// The first ancestors (root-down) where the paths of two queues differ: siblings under their lowest common
    /// ancestor (or two top-level queues). Reclaim compares these "levelled" queues.
    /// </summary>
    public static (int Reclaimer, int Victim) Levelled(ClusterSnapshot snapshot, int reclaimerLeaf, int victimLeaf)
    {
        var reclaimerPath = snapshot.QueueAndAncestors(reclaimerLeaf).Reverse().ToList();
        var victimPath = snapshot.QueueAndAncestors(victimLeaf).Reverse().ToList();
        var depth = Math.Min(reclaimerPath.Count, victimPath.Count);
        int reclaimer = reclaimerPath[0], victim = victimPath[0];
        for (var i = 0; i < depth; i++)
        {
            reclaimer = reclaimerPath[i];
            victim = victimPath[i];
            if (reclaimer != victim)
            {
                break;
            }
        }

        return (reclaimer, victim);
    }
}
