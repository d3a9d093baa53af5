using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>
/// Guards against YAML that would crash or hang the process instead of failing: nesting deep enough to overflow
/// YamlDotNet's recursive parser (a stack overflow cannot be caught), aliases that point into their own node, and
/// aliases that expand to an enormous object (the "billion laughs").
/// </summary>
internal static class YamlSafety
{
    // Real manifests nest a few dozen levels and expand to a few thousand nodes.
    private const int MaxDepth = 1000;
    private const long MaxExpandedNodes = 1_000_000;

    /// <summary>
    /// Rejects text that may nest more than <see cref="MaxDepth"/> levels. The estimate per line (indentation, plus
    /// "- " and "? " indicators, plus open flow brackets) never undercounts real nesting.
    /// </summary>
    public static bool TryCheckDepth(string text, out int line, out string error)
    {
        var flowDepth = 0;
        line = 0;
        foreach (var content in text.Split('\n'))
        {
            line++;
            var indent = content.Length - content.TrimStart(' ').Length;
            var indicators = 0;
            for (var i = 0; i < content.Length; i++)
            {
                switch (content[i])
                {
                    case '[' or '{':
                        flowDepth++;
                        break;
                    case ']' or '}':
                        flowDepth = Math.Max(0, flowDepth - 1);
                        break;
                    case '-' or '?' when i + 1 < content.Length && content[i + 1] == ' ':
                        indicators++;
                        break;
                    default:
                        break;
                }

                // Checked at every character: brackets opened and closed on one line nest just as deep.
                if (indent + indicators + flowDepth > MaxDepth)
                {
                    error = $"the YAML nests more than {MaxDepth} levels deep here; no manifest needs that, so this document was skipped";
                    return false;
                }
            }
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Rejects alias cycles and alias expansions beyond <see cref="MaxExpandedNodes"/> nodes.</summary>
    public static bool TryCheckAliases(YamlNode root, out string error)
    {
        var size = ExpandedSize(root, new Dictionary<YamlNode, long>(ReferenceEqualityComparer.Instance), new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));
        error = size switch
        {
            < 0 => "an alias (*name) refers to a node that contains it, which makes the document infinitely deep; this document was skipped",
            > MaxExpandedNodes => $"aliases (*name) expand this document to more than {MaxExpandedNodes} values; this document was skipped",
            _ => string.Empty,
        };
        return error.Length == 0;
    }

    // The node count with every alias expanded, saturating just above the limit; -1 on a cycle.
    private static long ExpandedSize(YamlNode node, Dictionary<YamlNode, long> sizes, HashSet<YamlNode> ancestors)
    {
        if (sizes.TryGetValue(node, out var known))
        {
            return known;
        }

        if (!ancestors.Add(node))
        {
            return -1;
        }

        var children = node switch
        {
            YamlMappingNode map => map.Children.SelectMany(e => new[] { e.Key, e.Value }),
            YamlSequenceNode sequence => sequence.Children,
            _ => [],
        };
        var total = 1L;
        foreach (var child in children)
        {
            var size = ExpandedSize(child, sizes, ancestors);
            if (size < 0)
            {
                return -1;
            }

            total = Math.Min(total + size, MaxExpandedNodes + 1);
        }

        ancestors.Remove(node);
        sizes[node] = total;
        return total;
    }
}
