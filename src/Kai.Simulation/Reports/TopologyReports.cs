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
        var podSets = snapshot.PodSetsOf(group);
        var reports = new List<TopologyPlacementReport>();

        void Add(string? subGroup, TopologyConstraint? constraint, int[] sets)
        {
            if (constraint is not null && snapshot.FindTopology(constraint.Topology) is { } topology)
            {
                AddLevel(subGroup, topology, constraint.RequiredLevel, required: true, sets);
                AddLevel(subGroup, topology, constraint.PreferredLevel, required: false, sets);
            }
        }

        void AddLevel(string? subGroup, TopologyDomains topology, string? label, bool required, int[] sets)
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
                reports.Add(new TopologyPlacementReport(subGroup, topology.Name, label!, required, [.. domains]));
            }
        }

        void Walk(SubGroupSet set)
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

        Walk(tree);
        return reports.Count == 0 ? null : reports;
    }
}
