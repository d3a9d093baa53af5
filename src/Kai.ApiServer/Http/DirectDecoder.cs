using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using Kai.ApiServer.Resources;
using Kai.ApiServer.Validation;

namespace Kai.ApiServer.Http;

/// <summary>
/// The one-pass path from a request body to a typed object, for built-in kinds: the UTF-8 bytes are read straight
/// into the kind's type by a reader that refuses unknown and duplicate fields. That is the common case (a client
/// writing a well-formed object) and it skips the JSON tree, the unknown-field walk over it and the second parse that
/// deserialising a tree costs. Anything else — YAML, custom resources (pruned, defaulted and validated from their
/// schema), served views, unknown or duplicate fields, values of the wrong type, a wrong apiVersion or kind — is
/// declined, and the full path (<see cref="ObjectCodec.Decode"/>) decides with its own warnings and errors, so what a
/// client sees does not change.
/// </summary>
internal static class DirectDecoder
{
    private static readonly JsonSerializerOptions Strict = new(KubeJson.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
        PropertyNameCaseInsensitive = false,
    };

    private static readonly JsonDocumentOptions NoDuplicates = new() { AllowDuplicateProperties = false };

    /// <summary>
    /// Whether custom resources take the one-pass path too (on by default; off leaves them to the full path, for the
    /// test that proves both give the same object).
    /// </summary>
    internal static bool ReadsCustomResources { get; set; } = true;

    /// <summary>The object, or null when the body needs the full path.</summary>
    public static IKubernetesObject<V1ObjectMeta>? TryDecode(ApiResource resource, byte[] body, string? contentType)
    {
        if (resource.View is not null || !IsJsonObject(body, contentType))
        {
            return null;
        }

        if (resource.Schema is CustomResourceSchema schema)
        {
            return ReadsCustomResources ? TryDecodeCustom(resource, schema, body) : null;
        }

        if (resource.IsCustom || resource.Schema is not TypedSchema)
        {
            return null;
        }

        IKubernetesObject<V1ObjectMeta>? obj;
        try
        {
            obj = JsonSerializer.Deserialize(body, resource.WireType, Strict) as IKubernetesObject<V1ObjectMeta>;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return null;
        }

        if (obj is null || !Matches(obj.ApiVersion, resource.ApiVersion) || !Matches(obj.Kind, resource.Kind))
        {
            return null;
        }

        obj.ApiVersion = resource.ApiVersion;
        obj.Kind = resource.Kind;
        obj.Metadata ??= new V1ObjectMeta();
        return obj;
    }

    /// <summary>
    /// A custom resource's body that the schema walk would leave as sent and that passes validation
    /// (<see cref="CleanBodyCheck"/>), read from its bytes as the full path then reads it; null for the full path.
    /// </summary>
    private static IKubernetesObject<V1ObjectMeta>? TryDecodeCustom(ApiResource resource, CustomResourceSchema schema, byte[] body)
    {
        try
        {
            using (var document = JsonDocument.Parse(body, NoDuplicates))
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !TypeMetaMatches(root, "apiVersion", resource.ApiVersion)
                    || !TypeMetaMatches(root, "kind", resource.Kind) || !schema.IsClean(root))
                {
                    return null;
                }
            }

            var obj = KubeJson.Deserialize(body, resource);
            obj.Metadata ??= new V1ObjectMeta();
            return obj;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    // As the full path checks them: a string that is neither empty nor the expected value is an error there.
    private static bool TypeMetaMatches(JsonElement root, string name, string expected) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String || Matches(value.GetString(), expected);

    /// <summary>
    /// Reads a body whose unknown fields are ignored anyway (a Binding, an Eviction) straight from its bytes; null when
    /// it is not a plain JSON object of that type, for the full path to answer.
    /// </summary>
    public static T? TryRead<T>(byte[] body, string? contentType)
        where T : class
    {
        if (!IsJsonObject(body, contentType))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(body, KubeJson.Options);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    // Empty is the full path's "missing" (it then sets them), as the API server defaults them from the URL.
    private static bool Matches(string? given, string expected) => string.IsNullOrEmpty(given) || given == expected;

    /// <summary>JSON by its Content-Type (or none) and starting like an object, as <see cref="RequestBody.Parse"/> tells JSON from YAML.</summary>
    private static bool IsJsonObject(byte[] body, string? contentType)
    {
        var essence = MediaTypes.Essence(contentType);
        if (essence.Length > 0 && essence != MediaTypes.Json)
        {
            return false;
        }

        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }

            return b == (byte)'{';
        }

        return false;
    }
}
