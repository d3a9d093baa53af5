using System.Globalization;
using System.Text.Json;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Workloads;

/// <summary>
/// A read-only view of any object's fields as JSON, the way KAI reads owners (an <c>unstructured.Unstructured</c>):
/// a <see cref="GenericObject"/> is read in place, a typed object is serialised once. Paths name JSON fields
/// ("spec", "replicas"); a missing field, or one of another JSON type, reads as absent.
/// </summary>
public sealed class ObjectView
{
    private readonly IKubernetesObject<V1ObjectMeta> _object;
    private JsonElement? _typedBody;

    private ObjectView(IKubernetesObject<V1ObjectMeta> obj, KindKey kind)
    {
        _object = obj;
        Kind = kind;
    }

    public KindKey Kind { get; }

    public V1ObjectMeta Metadata => _object.Metadata;

    public string Name => _object.Metadata.Name;

    public string? Namespace => _object.Metadata.NamespaceProperty;

    public string Uid => _object.Metadata.Uid ?? string.Empty;

    public IDictionary<string, string> Labels => _object.Metadata.Labels ?? EmptyMap;

    public IDictionary<string, string> Annotations => _object.Metadata.Annotations ?? EmptyMap;

    /// <summary>The object itself.</summary>
    public IKubernetesObject<V1ObjectMeta> Object => _object;

    private static readonly IDictionary<string, string> EmptyMap = new Dictionary<string, string>(0);

    /// <summary>A view of <paramref name="obj"/>, whose kind is its registered kind (or the apiVersion and kind it carries).</summary>
    public static ObjectView Of(IKubernetesObject<V1ObjectMeta> obj, KindRegistry kinds) =>
        new(obj, obj is GenericObject generic
            ? new KindKey(generic.ApiVersion, generic.Kind)
            : kinds.TryGet(obj.GetType(), out var info) ? info.Key : new KindKey(obj.ApiVersion, obj.Kind));

    /// <summary>The value at <paramref name="path"/>, or null.</summary>
    public JsonElement? At(params ReadOnlySpan<string> path)
    {
        if (path.IsEmpty)
        {
            return null;
        }

        JsonElement? top;
        if (_object is GenericObject generic)
        {
            top = generic.Field(path[0]);
        }
        else
        {
            _typedBody ??= JsonDocument.Parse(KubernetesJson.Serialize(_object)).RootElement;
            top = _typedBody.Value.ValueKind == JsonValueKind.Object && _typedBody.Value.TryGetProperty(path[0], out var value) ? value : null;
        }

        return top is { } start ? Json.At(start, path[1..]) : null;
    }

    public long? Int64(params ReadOnlySpan<string> path) => At(path) is { } value ? Json.AsInt64(value) : null;

    public string? String(params ReadOnlySpan<string> path) => At(path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public bool? Boolean(params ReadOnlySpan<string> path) => At(path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    public override string ToString() => string.IsNullOrEmpty(Namespace) ? $"{Kind.Kind} {Name}" : $"{Kind.Kind} {Namespace}/{Name}";
}

/// <summary>Navigation of <see cref="JsonElement"/>s by field names.</summary>
public static class Json
{
    /// <summary>The value under <paramref name="path"/> in <paramref name="start"/>, or null when a field is missing or JSON null.</summary>
    public static JsonElement? At(JsonElement start, params ReadOnlySpan<string> path)
    {
        var current = start;
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Null ? null : current;
    }

    /// <summary>A whole number, as Kubernetes reads integers (also from a float without fraction); null otherwise.</summary>
    public static long? AsInt64(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number
            ? value.TryGetInt64(out var whole) ? whole
            : value.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) < 9e15 ? (long)real : null
            : null;

    public static long? Int64(JsonElement start, params ReadOnlySpan<string> path) => At(start, path) is { } value ? AsInt64(value) : null;

    public static string? String(JsonElement start, params ReadOnlySpan<string> path) =>
        At(start, path) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    public static bool? Boolean(JsonElement start, params ReadOnlySpan<string> path) =>
        At(start, path) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>The items of an array at <paramref name="path"/>; empty when absent or not an array.</summary>
    public static IReadOnlyList<JsonElement> Array(JsonElement start, params ReadOnlySpan<string> path) =>
        At(start, path) is { ValueKind: JsonValueKind.Array } array ? [.. array.EnumerateArray()] : [];

    /// <summary>The fields of an object at <paramref name="path"/>, in document order; empty when absent or not an object.</summary>
    public static IReadOnlyList<(string Name, JsonElement Value)> Fields(JsonElement start, params ReadOnlySpan<string> path) =>
        At(start, path) is { ValueKind: JsonValueKind.Object } obj ? [.. obj.EnumerateObject().Select(p => (p.Name, p.Value))] : [];

    /// <summary>Describes a JSON value's type in a message ("a string", "a list").</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "a mapping",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => "null",
    };

    /// <summary>Reads an object of a KubernetesClient type (e.g. a pod template) from JSON.</summary>
    public static T Read<T>(JsonElement value) => KubernetesJson.Deserialize<T>(value.GetRawText());

    /// <summary>A number's text for messages, invariant.</summary>
    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
