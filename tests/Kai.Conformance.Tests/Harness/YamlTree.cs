using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.Conformance.Tests.Harness;

/// <summary>
/// Reading and editing manifests as YAML trees, the way the Python runner edits its dictionaries: values it does
/// not touch keep their exact text and style, so a rewritten round reads exactly like the runner's.
/// </summary>
internal static class YamlTree
{
    /// <summary>The documents of a multi-document YAML file; empty documents are dropped as PyYAML drops them.</summary>
    public static List<YamlMappingNode> LoadDocuments(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            switch (document.RootNode)
            {
                case YamlMappingNode mapping:
                    documents.Add(mapping);
                    break;
                case YamlScalarNode scalar when IsNull(scalar):
                    break;
                default:
                    throw new HarnessException($"{path}: a document that is not a mapping at line {document.RootNode.Start.Line}");
            }
        }

        return documents;
    }

    /// <summary>Writes the documents, each after a <c>---</c> line, under a one-line comment.</summary>
    public static void SaveDocuments(string path, IEnumerable<YamlMappingNode> documents, string header)
    {
        using var writer = new StreamWriter(path);
        writer.Write(header);
        foreach (var document in documents)
        {
            writer.WriteLine("---");
            new YamlStream(new YamlDocument(document)).Save(writer, assignAnchors: false);
        }
    }

    /// <summary>The value as PyYAML reads it: null for a missing key, <c>null</c>, <c>~</c> or nothing.</summary>
    public static YamlNode? Get(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !(value is YamlScalarNode scalar && IsNull(scalar)) ? value : null;

    public static YamlMappingNode? Mapping(this YamlMappingNode node, string key) => node.Get(key) as YamlMappingNode;

    public static YamlSequenceNode? Sequence(this YamlMappingNode node, string key) => node.Get(key) as YamlSequenceNode;

    /// <summary>A scalar's text (null when missing, null or not a scalar).</summary>
    public static string? Text(this YamlMappingNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    /// <summary>Python's truthiness of a value: present, not null, and not an empty string, mapping or list.</summary>
    public static bool IsSet(this YamlMappingNode node, string key) => node.Get(key) switch
    {
        null => false,
        YamlScalarNode scalar => !string.IsNullOrEmpty(scalar.Value) && !IsFalseOrZero(scalar),
        YamlMappingNode mapping => mapping.Children.Count > 0,
        YamlSequenceNode sequence => sequence.Children.Count > 0,
        _ => true,
    };

    /// <summary><c>node.setdefault(key, {})</c>.</summary>
    public static YamlMappingNode EnsureMapping(this YamlMappingNode node, string key)
    {
        if (node.Get(key) is YamlMappingNode existing)
        {
            return existing;
        }

        var created = new YamlMappingNode();
        node.Children[new YamlScalarNode(key)] = created;
        return created;
    }

    /// <summary><c>node.setdefault(key, [])</c>.</summary>
    public static YamlSequenceNode EnsureSequence(this YamlMappingNode node, string key)
    {
        if (node.Get(key) is YamlSequenceNode existing)
        {
            return existing;
        }

        var created = new YamlSequenceNode();
        node.Children[new YamlScalarNode(key)] = created;
        return created;
    }

    /// <summary>Sets a string value, quoted so that no YAML reader takes it for a number, a date or a boolean.</summary>
    public static void SetString(this YamlMappingNode node, string key, string value) =>
        node.Children[new YamlScalarNode(key)] = String(value);

    public static void SetInteger(this YamlMappingNode node, string key, long value) =>
        node.Children[new YamlScalarNode(key)] = new YamlScalarNode(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static void Set(this YamlMappingNode node, string key, YamlNode value) => node.Children[new YamlScalarNode(key)] = value;

    public static void Remove(this YamlMappingNode node, string key) => node.Children.Remove(new YamlScalarNode(key));

    public static YamlScalarNode String(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    /// <summary><c>metadata</c> of a document (created when missing, as the runner's <c>meta()</c> does).</summary>
    public static YamlMappingNode Metadata(this YamlMappingNode document) => document.EnsureMapping("metadata");

    /// <summary><c>namespace/name</c>, with the case's default namespace.</summary>
    public static string KeyOf(this YamlMappingNode document, string defaultNamespace)
    {
        var metadata = document.Mapping("metadata");
        var ns = metadata?.Text("namespace");
        return $"{(string.IsNullOrEmpty(ns) ? defaultNamespace : ns)}/{metadata?.Text("name") ?? "None"}";
    }

    public static string? Kind(this YamlMappingNode document) => document.Text("kind");

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static bool IsFalseOrZero(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is "false" or "False" or "FALSE" or "0";
}
