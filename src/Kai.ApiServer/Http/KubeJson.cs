using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kai.ApiServer.Http;

/// <summary>
/// Kubernetes JSON exactly as <see cref="KubernetesJson"/> writes it (its options, its converters), but to and
/// from UTF-8 bytes and <see cref="JsonNode"/>s without going through strings.
/// </summary>
internal static class KubeJson
{
    /// <summary>KubernetesJson's own serializer options, captured once; never modified here.</summary>
    public static JsonSerializerOptions Options { get; } = CaptureOptions();

    public static byte[] Serialize(object value) =>
        value is V1Status status ? StatusJson.Serialize(status) : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Options);

    public static JsonObject ToNode(object value) =>
        JsonSerializer.SerializeToNode(value, value.GetType(), Options) as JsonObject
        ?? throw new InvalidOperationException($"{value.GetType()} did not serialise to a JSON object.");

    /// <exception cref="JsonException">The JSON does not fit <paramref name="type"/>.</exception>
    public static object Deserialize(JsonNode node, Type type) =>
        node.Deserialize(type, Options) ?? throw new JsonException($"expected an object of type {type.Name}, got null");

    /// <summary>A JSON body of <paramref name="resource"/>'s wire type, with its apiVersion and kind.</summary>
    /// <exception cref="JsonException">The JSON does not fit the type.</exception>
    public static IKubernetesObject<V1ObjectMeta> Deserialize(byte[] json, Resources.ApiResource resource)
    {
        var obj = JsonSerializer.Deserialize(json, resource.WireType, Options) as IKubernetesObject<V1ObjectMeta>
            ?? throw new JsonException($"expected an object of type {resource.WireType.Name}, got null");
        obj.ApiVersion = resource.ApiVersion;
        obj.Kind = resource.Kind;
        return obj;
    }

    public static T Deserialize<T>(JsonNode node)
        where T : class =>
        (T)Deserialize(node, typeof(T));

    private static JsonSerializerOptions CaptureOptions()
    {
        JsonSerializerOptions? captured = null;
        KubernetesJson.AddJsonOptions(options => captured = options);
        return captured ?? throw new InvalidOperationException("KubernetesJson did not expose its serializer options.");
    }
}
