using System.Text.RegularExpressions;
using Kai.Cluster.Crds;

namespace Kai.Cluster.Manifests;

/// <summary>Checks KAI's Topology CRD enforces: 1 to 16 unique, well-formed node labels, hostname only as the last level.</summary>
internal static partial class TopologyRules
{
    private const int MaxLevels = 16;
    private const int MaxLabelLength = 316;
    private const string Hostname = "kubernetes.io/hostname";

    public static void Validate(Topology topology, ValidationContext context)
    {
        var levels = topology.Spec.Levels;
        if (levels is null || levels.Count == 0)
        {
            context.Error(
                "spec.levels is missing or empty; list 1 to 16 node labels top-down, e.g. levels: [{nodeLabel: topology.kubernetes.io/zone}, {nodeLabel: kubernetes.io/hostname}]",
                "spec");
            return;
        }

        if (levels.Count > MaxLevels)
        {
            context.Error($"spec.levels has {levels.Count} levels; at most {MaxLevels} are allowed", "spec", "levels");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < levels.Count; i++)
        {
            var label = levels[i]?.NodeLabel;
            if (string.IsNullOrEmpty(label))
            {
                context.Error($"spec.levels[{i}].nodeLabel is missing; give a node label key such as topology.kubernetes.io/zone", "spec", "levels", i);
                continue;
            }

            if (label.Length > MaxLabelLength || !LabelKey().IsMatch(label))
            {
                context.Error(
                    $"spec.levels[{i}].nodeLabel \"{label}\" is not a valid label key; use an optional DNS prefix and a name, e.g. example.com/rack or rack",
                    "spec", "levels", i, "nodeLabel");
            }

            if (!seen.Add(label))
            {
                context.Error($"spec.levels[{i}].nodeLabel \"{label}\" appears twice; each level must be unique", "spec", "levels", i, "nodeLabel");
            }

            if (label == Hostname && i != levels.Count - 1)
            {
                context.Error($"spec.levels[{i}] is {Hostname}, which may only be the last (lowest) level", "spec", "levels", i, "nodeLabel");
            }
        }
    }

    // The pattern of KAI's CRD for nodeLabel: an optional DNS-subdomain prefix and a qualified name.
    [GeneratedRegex(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKey();
}
