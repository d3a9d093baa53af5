using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kai.ApiServer.Http;

/// <summary>
/// Request bodies in YAML, converted as the manifest loader converts them (<see cref="Kai.Cluster.Manifests.YamlJson"/>);
/// malformed YAML and non-scalar mapping keys are 400s.
/// </summary>
internal static class YamlJson
{
    /// <summary>Every non-empty document of <paramref name="text"/>.</summary>
    /// <exception cref="ApiException">400 for malformed YAML.</exception>
    public static IReadOnlyList<JsonNode> ParseAll(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest($"error converting YAML to JSON: {e.Message}");
        }

        return [.. stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonNode>()];
    }

    /// <summary>The single document of <paramref name="text"/>.</summary>
    public static JsonNode Parse(string text) =>
        ParseAll(text) switch
        {
            [var single] => single,
            [] => throw ApiException.BadRequest("the YAML body is empty"),
            _ => throw ApiException.BadRequest("the YAML body holds more than one document"),
        };

    private static JsonNode? Convert(YamlNode node) =>
        Kai.Cluster.Manifests.YamlJson.Convert(node, _ => throw ApiException.BadRequest("mapping keys must be scalars"));
}
