using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Kai.Cluster.Port;

/// <summary>
/// An object of a kind the process has no C# type for (a custom resource registered at run time from its
/// CustomResourceDefinition): type and object metadata, and every other top-level field as JSON.
/// </summary>
/// <remarks>
/// <see cref="Fields"/> holds immutable <see cref="JsonElement"/>s; like every stored object, a generic object is
/// never mutated once written: build a new field map to change it. <see cref="KubernetesJson"/> writes the fields
/// after <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>, in map order.
/// </remarks>
public sealed class GenericObject : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set => field = value ?? new(); } = new();

    /// <summary>Every top-level field but apiVersion, kind and metadata: usually spec and status.</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement> Fields { get; set => field = value ?? new Dictionary<string, JsonElement>(StringComparer.Ordinal); } =
        new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>The value of a top-level field, or null when absent or JSON null.</summary>
    public JsonElement? Field(string name) =>
        Fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>A shallow copy whose field map is a private copy with <paramref name="name"/> set (null removes it).</summary>
    public GenericObject WithField(string name, JsonElement? value)
    {
        var fields = new Dictionary<string, JsonElement>(Fields, StringComparer.Ordinal);
        if (value is { } set)
        {
            fields[name] = set;
        }
        else
        {
            fields.Remove(name);
        }

        var copy = KubeObjects.ShallowCopy(this);
        copy.Fields = fields;
        return copy;
    }
}
