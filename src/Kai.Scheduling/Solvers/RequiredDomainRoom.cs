using Kai.Scheduling.Framework;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The topology part of the victim search's quick filter (KAI's topology-aware idle-GPU filter): for every
/// required level the preemptor's pod group and sub-groups name, their GPUs — largest first — must each fit
/// into one domain of that level, first fit over the domains with the most free GPUs, counting what the
/// victims free. Only sub-groups that hold sub-groups are checked (and the pod group), as KAI does. Kept
/// incrementally as victims are added.
/// </summary>
internal sealed class RequiredDomainRoom
{
    private readonly Session _session;
    private readonly List<Level> _levels;

    private RequiredDomainRoom(Session session, List<Level> levels)
    {
        _session = session;
        _levels = levels;
    }

    /// <summary>The filter for the preemptor these pods belong to, or null when it has no required topology level.</summary>
    public static RequiredDomainRoom? For(Session session, int[] pods)
    {
        var snapshot = session.Snapshot;
        var group = pods.Length > 0 ? snapshot.GroupOf(pods[0]) : -1;
        if (group < 0 || snapshot.SubGroupTreeOf(group) is not { } tree)
        {
            return null;
        }

        var levels = new List<Level>();
        Collect(session, tree, pods, levels);
        return levels.Count == 0 ? null : new RequiredDomainRoom(session, levels);
    }

    /// <summary>Counts the GPUs a victim pod holds as free in its domains.</summary>
    public void Free(int pod)
    {
        var node = _session.NodeOf(pod);
        var gpus = _session.RequestOf(pod).Gpu;
        if (node < 0 || gpus <= 0)
        {
            return;
        }

        foreach (var level in _levels)
        {
            var domain = level.Topology.DomainOf(node, level.Depth);
            if (domain >= 0)
            {
                level.Free[domain] += gpus;
            }
        }
    }

    public bool CouldFit() => _levels.TrueForAll(FitsGreedily);

    private static bool FitsGreedily(Level level)
    {
        var domains = level.Topology.DomainsAt(level.Depth).ToArray();
        var free = level.Free;
        Array.Sort(domains, (a, b) => free[b].CompareTo(free[a]));
        var taken = new Dictionary<int, long>();
        foreach (var needed in level.Requirements)
        {
            if (needed == 0)
            {
                return true;
            }

            var matched = false;
            foreach (var domain in domains)
            {
                if (free[domain] < needed)
                {
                    break;
                }

                if (free[domain] - taken.GetValueOrDefault(domain) >= needed)
                {
                    taken[domain] = taken.GetValueOrDefault(domain) + needed;
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return false;
            }
        }

        return true;
    }

    private static void Collect(Session session, SubGroupSet set, int[] pods, List<Level> levels)
    {
        if (set.Topology is { RequiredLevel: { } required } constraint
            && session.Snapshot.FindTopology(constraint.Topology) is { } topology
            && topology.LevelOf(required) is > 0 and var depth)
        {
            var level = levels.Find(l => ReferenceEquals(l.Topology, topology) && l.Depth == depth);
            if (level is null)
            {
                level = new Level(topology, depth, FreeGpus(session, topology, depth), []);
                levels.Add(level);
            }

            long gpus = 0;
            foreach (var pod in pods)
            {
                if (set.AllPodSets.Contains(session.Snapshot.PodSetIndexOf(pod)))
                {
                    gpus += session.RequestOf(pod).Gpu;
                }
            }

            level.Requirements.Add(gpus);
            level.Requirements.Sort((a, b) => b.CompareTo(a));
        }

        foreach (var child in set.Sets)
        {
            Collect(session, child, pods, levels);
        }
    }

    private static long[] FreeGpus(Session session, TopologyDomains topology, int depth)
    {
        var free = new long[topology.DomainCount];
        foreach (var node in topology.NodeOrder)
        {
            free[topology.DomainOf(node, depth)] += session.NodeAt(node).Free.Gpu;
        }

        return free;
    }

    private sealed record Level(TopologyDomains Topology, int Depth, long[] Free, List<long> Requirements);
}
