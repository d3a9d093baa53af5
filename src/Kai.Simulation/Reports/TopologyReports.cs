using Kai.Controllers.Scheduling;
using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Simulation.Reports;

/// <summary>
/// Where a pod group with topology constraints landed: for the group and each constrained sub-group, the domains of
/// its required and its preferred level that hold its pods with a node.
/// </summary>
internal static class TopologyReports
{
    public static IReadOnlyList<TopologyPlacementReport>? Build(CycleOutcome last, int group, IReadOnlyList<PodReport> groupPods)
    {
        var snapshot = last.Snapshot;
        if (group < 0 || snapshot.SubGroupTreeOf(group) is not { } tree)
        {
            return null;
        }

        var nodeOfPod = groupPods.Where(p => p.Node is not null).ToDictionary(p => p.Name, p => p.Node!, StringComparer.Ordinal);
        var reports = new GroupReports(snapshot, snapshot.PodSetsOf(group), nodeOfPod);
        reports.Walk(tree);
        return reports.Entries.Count == 0 ? null : reports.Entries;
    }

    /// <summary>The entries of one pod group, collected by walking its sub-group tree.</summary>
    private sealed class GroupReports(ClusterSnapshot snapshot, IReadOnlyList<PodSet> podSets, Dictionary<string, string> nodeOfPod)
    {
        public List<TopologyPlacementReport> Entries { get; } = [];

        /// <summary>The set's own constraint, its child sets' and each of its pod sets'.</summary>
        public void Walk(SubGroupSet set)
        {
            Add(set.IsRoot ? null : set.Name, set.Topology, set.AllPodSets);
            foreach (var child in set.Sets)
            {
                Walk(child);
            }

            foreach (var podSet in set.PodSets)
            {
                Add(podSets[podSet].Name, podSets[podSet].Topology, [podSet]);
            }
        }

        private void Add(string? subGroup, TopologyConstraint? constraint, int[] sets)
        {
            if (constraint is not null && snapshot.FindTopology(constraint.Topology) is { } topology)
            {
                AddLevel(subGroup, topology, constraint.RequiredLevel, required: true, sets);
                AddLevel(subGroup, topology, constraint.PreferredLevel, required: false, sets);
            }
        }

        /// <summary>The domains of the level that hold the sets' pods with a node; nothing when none does.</summary>
        private void AddLevel(string? subGroup, TopologyDomains topology, string? label, bool required, int[] sets)
        {
            var level = label is null ? -1 : topology.LevelOf(label);
            if (level < 0)
            {
                return;
            }

            var domains = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var pod in sets.SelectMany(s => podSets[s].Members))
            {
                if (nodeOfPod.TryGetValue(snapshot.Pods[pod].Name, out var nodeName)
                    && snapshot.FindNode(nodeName) is var node && node >= 0
                    && topology.DomainOf(node, level) is var domain && domain >= 0)
                {
                    domains.Add(topology.Id(domain));
                }
            }

            if (domains.Count > 0)
            {
                Entries.Add(new TopologyPlacementReport(subGroup, topology.Name, label!, required, [.. domains]));
            }
        }
    }
}
