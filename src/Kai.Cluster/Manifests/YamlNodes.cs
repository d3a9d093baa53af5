using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Cluster.Manifests;

/// <summary>Navigation, path formatting and editing of YamlDotNet's representation model.</summary>
internal static class YamlNodes
{
    public static YamlNode? Get(this YamlMappingNode map, string key)
    {
        foreach (var entry in map.Children)
        {
            if (entry.Key is YamlScalarNode scalar && scalar.Value == key)
            {
                return entry.Value;
            }
        }

        return null;
    }

    public static YamlMappingNode? GetMapping(this YamlMappingNode map, string key) => map.Get(key) as YamlMappingNode;

    public static YamlSequenceNode? GetSequence(this YamlMappingNode map, string key) => map.Get(key) as YamlSequenceNode;

    /// <summary>The text of a scalar, or null for a missing node, a YAML null (~, null, empty) or a non-scalar.</summary>
    public static string? ScalarText(YamlNode? node)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null)
        {
            return null;
        }

        return scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL" ? null : scalar.Value;
    }

    /// <summary>The node at a path of string keys and int indices, or null when any step is missing.</summary>
    public static YamlNode? At(YamlNode root, IReadOnlyList<object> path)
    {
        var node = root;
        foreach (var segment in path)
        {
            node = (node, segment) switch
            {
                (YamlMappingNode map, string key) => map.Get(key),
                (YamlSequenceNode seq, int index) when index >= 0 && index < seq.Children.Count => seq.Children[index],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>
    /// The line of the key that holds <paramref name="path"/> (so "spec.foo" points at "foo:"); when part of the path
    /// is missing, the line of the deepest key or item that exists, so a report lands next to where the fix goes.
    /// </summary>
    public static int LineOf(YamlNode root, IReadOnlyList<object> path)
    {
        var line = (int)root.Start.Line;
        var node = root;
        foreach (var segment in path)
        {
            if (node is YamlMappingNode map && segment is string key &&
                map.Children.FirstOrDefault(e => e.Key is YamlScalarNode scalar && scalar.Value == key) is { Key: not null } entry)
            {
                line = (int)entry.Key.Start.Line;
                node = entry.Value;
            }
            else if (node is YamlSequenceNode sequence && segment is int index && index >= 0 && index < sequence.Children.Count)
            {
                node = sequence.Children[index];
                line = (int)node.Start.Line;
            }
            else
            {
                break;
            }
        }

        return line;
    }

    /// <summary>The path to the mapping entry whose key starts at <paramref name="mark"/> (where YamlDotNet reports unknown fields).</summary>
    public static IReadOnlyList<object>? FindKeyPath(YamlNode root, Mark mark)
    {
        var path = new List<object>();
        return Search(root, mark, path, keysOnly: true) ? path : null;
    }

    /// <summary>
    /// The path to the outermost value or sequence item that starts at <paramref name="mark"/> (where YamlDotNet
    /// reports a value it cannot convert), or to an entry whose key starts there; null when nothing starts there.
    /// </summary>
    public static IReadOnlyList<object>? FindValuePath(YamlNode root, Mark mark)
    {
        var path = new List<object>();
        return Search(root, mark, path, keysOnly: false) ? path : null;
    }

    private static bool Search(YamlNode node, Mark mark, List<object> path, bool keysOnly)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var entry in map.Children)
                {
                    path.Add(entry.Key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : string.Empty);

                    // A block mapping starts where its first key does, so values are matched before descending only
                    // when looking for values, and keys are matched before values only when looking for keys.
                    if (StartsAt(entry.Key, mark) || (!keysOnly && StartsAt(entry.Value, mark)) || Search(entry.Value, mark, path, keysOnly))
                    {
                        return true;
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return false;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    path.Add(i);
                    if ((!keysOnly && StartsAt(sequence.Children[i], mark)) || Search(sequence.Children[i], mark, path, keysOnly))
                    {
                        return true;
                    }

                    path.RemoveAt(path.Count - 1);
                }

                return false;
            default:
                return false;
        }
    }

    private static bool StartsAt(YamlNode node, Mark mark) => node.Start.Line == mark.Line && node.Start.Column == mark.Column;

    /// <summary>Removes the mapping entry at <paramref name="path"/>; false if the path does not end in one.</summary>
    public static bool Remove(YamlNode root, IReadOnlyList<object> path)
    {
        if (path.Count == 0 || path[^1] is not string key || At(root, path.Take(path.Count - 1).ToList()) is not YamlMappingNode parent)
        {
            return false;
        }

        foreach (var entry in parent.Children)
        {
            if (entry.Key is YamlScalarNode scalar && scalar.Value == key)
            {
                return parent.Children.Remove(entry.Key);
            }
        }

        return false;
    }

    /// <summary>"spec.containers[0].resources.limits[\"nvidia.com/gpu\"]".</summary>
    public static string FormatPath(IEnumerable<object> path)
    {
        var builder = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment is int index)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else if (segment is string key && key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                builder.Append(builder.Length == 0 ? string.Empty : ".").Append(key);
            }
            else
            {
                builder.Append("[\"").Append(segment).Append("\"]");
            }
        }

        return builder.ToString();
    }

    /// <summary>Writes a node back to YAML text, keeping scalar styles, so it can be handed to KubernetesYaml.</summary>
    public static string Emit(YamlNode node)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    /// <summary>Parses text that holds exactly one document (text produced by <see cref="Emit"/>).</summary>
    public static YamlNode ParseSingle(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => $"the value \"{scalar.Value}\"",
        _ => "an alias",
    };
}
