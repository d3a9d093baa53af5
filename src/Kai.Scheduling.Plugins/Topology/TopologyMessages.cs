using System.Globalization;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Scheduling.Plugins.Topology;

/// <summary>Why a topology constraint leaves pods pending, in words a person can act on.</summary>
internal static class TopologyMessages
{
    private const int DomainsNamed = 3;

    public static string UnknownTopology(in Constrained who, IReadOnlyList<TopologyDomains> known) =>
        $"topology '{who.Constraint.Topology}' of {who} does not exist; create the Topology (kai.scheduler/v1alpha1) or name "
        + (known.Count == 0 ? "an existing one (there is none)" : $"one of: {string.Join(", ", known.Select(t => t.Name))}")
        + " in topologyConstraint.topology";

    public static string NoLevel(in Constrained who) =>
        $"the topology constraint of {who} names topology '{who.Constraint.Topology}' but neither a requiredTopologyLevel nor a preferredTopologyLevel; give one";

    public static string UnknownLevel(in Constrained who, TopologyDomains topology, string kind, string level) =>
        $"topology '{topology.Name}' has no level '{level}' ({kind} level of {who}); its levels are {string.Join(", ", topology.Topology.Levels)}";

    public static string PreferredAboveRequired(in Constrained who, TopologyDomains topology) =>
        $"the preferred level '{who.Constraint.PreferredLevel}' of {who} is above its required level '{who.Constraint.RequiredLevel}' in topology '{topology.Name}'; "
        + "the preferred level must be the required one or below it";

    public static string NoNodeInTopology(in Constrained who, TopologyDomains topology, NodeSet within) =>
        $"no node{(within.IsAll ? string.Empty : $" of {within.Name}")} is in topology '{topology.Name}' for {who}: a node belongs to it only with every level label ({string.Join(", ", topology.Topology.Levels)})";

    public static string NoRoomAtAll(in Constrained who, DomainBooks books, int top, in PodsShape pods) =>
        $"topology '{books.Topology.Name}': not enough free resources {(top == TopologyDomains.Root ? "in the cluster" : $"in {books.Topology.Id(top)}")} for the {Pods(pods.Count)} of {who}"
        + (pods.Alike ? $" (room for {books.Room(top)})" : string.Empty);

    public static string NoRoomInLevel(in Constrained who, DomainBooks books, List<int> domains, int level, in PodsShape pods, HashSet<int>? pinned)
    {
        var topology = books.Topology;
        var where = pinned is null
            ? string.Empty
            : $" among those holding its running pods ({string.Join(", ", pinned.Select(topology.Id).Order(StringComparer.Ordinal))})";
        var text = $"no {topology.LevelName(level)} domain of topology '{topology.Name}'{where} has room for the {Pods(pods.Count)} of {who}";
        if (!pods.Alike || domains.Count == 0)
        {
            return text;
        }

        // Domains with no room at all are named only when no domain has any.
        var candidates = domains.Where(d => pinned is null || pinned.Contains(d)).OrderByDescending(books.Room).ThenBy(topology.Id, StringComparer.Ordinal).ToList();
        var roomiest = candidates.Where(d => books.Room(d) > 0 || books.Room(candidates[0]) == 0).Take(DomainsNamed)
            .Select(d => $"{topology.Id(d)} {books.Room(d).ToString(CultureInfo.InvariantCulture)}").ToList();
        return roomiest.Count == 0 ? text : $"{text} (room for most: {string.Join(", ", roomiest)})";
    }

    private static string Pods(int count) => count == 1 ? "1 pod" : $"{count} pods";
}
