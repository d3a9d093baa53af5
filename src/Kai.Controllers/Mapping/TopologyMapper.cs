using Kai.Cluster.Crds;
using EngineTopology = Kai.Scheduling.Model.Topology;
using EngineTopologyConstraint = Kai.Scheduling.Model.TopologyConstraint;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Turns KAI's Topology into the engine's (its level labels, top first), and topology constraints of pod groups
/// and sub-groups into the engine's: a constraint without a topology name is no constraint (KAI ignores it),
/// empty levels are absent.
/// </summary>
internal static class TopologyMapper
{
    public static EngineTopology Map(Topology topology, List<MappingIssue> issues)
    {
        var levels = (topology.Spec?.Levels ?? []).Select(l => l?.NodeLabel).ToList();
        if (levels.Count == 0 || levels.Exists(string.IsNullOrEmpty))
        {
            issues.Add(new MappingIssue("Topology", null, topology.Metadata.Name,
                "spec.levels must list 1 to 16 node labels, each with a nodeLabel; levels without one are left out, and a topology without levels holds no node."));
        }

        return new EngineTopology { Name = topology.Metadata.Name, Levels = [.. levels.Where(l => !string.IsNullOrEmpty(l)).Select(l => l!)] };
    }

    public static EngineTopologyConstraint? Map(TopologyConstraint? constraint) =>
        constraint is { Topology: { Length: > 0 } name }
            ? new EngineTopologyConstraint(name, NullIfEmpty(constraint.RequiredTopologyLevel), NullIfEmpty(constraint.PreferredTopologyLevel))
            : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
