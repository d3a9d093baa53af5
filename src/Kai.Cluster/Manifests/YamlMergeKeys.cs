using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Expands YAML merge keys (<c>&lt;&lt;: *anchor</c>) the way kubectl does: keys written in the mapping win over merged
/// ones, and earlier sources in <c>&lt;&lt;: [*a, *b]</c> win over later ones. KubernetesYaml rejects the override as a
/// duplicate key, so the loader expands merges itself.
/// </summary>
internal static class YamlMergeKeys
{
    /// <summary>Expands every merge key under <paramref name="root"/>; true when anything changed.</summary>
    public static bool Expand(YamlNode root) => Expand(root, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));

    private static bool Expand(YamlNode node, HashSet<YamlNode> visited)
    {
        // Aliases share nodes, so each node is expanded once.
        if (!visited.Add(node))
        {
            return false;
        }

        var changed = false;
        if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children)
            {
                changed |= Expand(child, visited);
            }
        }
        else if (node is YamlMappingNode map)
        {
            foreach (var entry in map.Children.ToList())
            {
                changed |= Expand(entry.Value, visited);
            }

            changed |= MergeInto(map, visited);
        }

        return changed;
    }

    private static bool MergeInto(YamlMappingNode map, HashSet<YamlNode> visited)
    {
        var mergeEntries = map.Children.Where(e => IsMergeKey(e.Key)).ToList();
        if (mergeEntries.Count == 0)
        {
            return false;
        }

        var entries = map.Children.Where(e => !IsMergeKey(e.Key)).ToList();
        var present = new HashSet<string>(entries.Select(e => (e.Key as YamlScalarNode)?.Value ?? string.Empty), StringComparer.Ordinal);
        foreach (var merge in mergeEntries)
        {
            var sources = merge.Value switch
            {
                YamlMappingNode single => [single],
                YamlSequenceNode list => list.Children.OfType<YamlMappingNode>().ToList(),
                _ => [],
            };
            foreach (var source in sources)
            {
                Expand(source, visited);
                foreach (var entry in source.Children.Where(e => !IsMergeKey(e.Key) && e.Key is YamlScalarNode { Value: { } key } && present.Add(key)))
                {
                    entries.Add(entry);
                }
            }
        }

        map.Children.Clear();
        foreach (var entry in entries)
        {
            map.Children.Add(entry.Key, entry.Value);
        }

        return true;
    }

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain or ScalarStyle.Any };
}
