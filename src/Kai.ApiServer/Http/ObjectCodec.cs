using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.ApiServer.Resources;

namespace Kai.ApiServer.Http;

/// <summary>
/// Objects between the wire and the store: a request body becomes a stored object after the checks the API
/// server's decoder and registry make (apiVersion and kind, unknown fields per <c>fieldValidation</c>, pruning,
/// defaults and schema validation of custom resources); a stored object becomes response JSON.
/// </summary>
internal static class ObjectCodec
{
    /// <exception cref="ApiException">400 for a wrong kind, malformed body or (Strict) unknown fields; 422 for schema violations.</exception>
    public static IKubernetesObject<V1ObjectMeta> Decode(ApiResource resource, JsonObject body, FieldValidation validation, List<string> warnings, byte[]? json = null)
    {
        CheckTypeMeta(resource, body);
        var unknown = new List<string>();
        var normalized = resource.Schema.Walk(body, unknown, normalize: resource.IsCustom);
        if (unknown.Count > 0)
        {
            var described = string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
            switch (validation)
            {
                case FieldValidation.Strict:
                    throw ApiException.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: {described}");
                case FieldValidation.Warn:
                    warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                    break;
            }
        }

        var causes = resource.Schema.Validate(body);
        if (causes.Count > 0)
        {
            throw Invalid(resource, body["metadata"]?["name"]?.GetValue<string>(), causes);
        }

        IKubernetesObject<V1ObjectMeta> obj;
        try
        {
            // The body as sent, when the walk left it as it was, is read from its bytes: the tree would be written out
            // and parsed again.
            obj = json is not null && !normalized && unknown.Count == 0
                ? KubeJson.Deserialize(json, resource)
                : (IKubernetesObject<V1ObjectMeta>)KubeJson.Deserialize(body, resource.WireType);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw ApiException.BadRequest($"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: {e.Message}");
        }

        obj.Metadata ??= new V1ObjectMeta();
        return resource.View is { } view ? view.FromWire(obj) : obj;
    }

    /// <summary>The object as a response body: the shared cached bytes, or its served view's.</summary>
    public static byte[] Encode(ServerContext context, ApiResource resource, IKubernetesObject<V1ObjectMeta> stored) =>
        resource.View is { } view ? KubeJson.Serialize(view.ToWire(stored)) : context.Json.Full(stored);

    /// <summary>The object as a list item: built-in kinds without apiVersion and kind, custom resources with them.</summary>
    public static byte[] EncodeListItem(ServerContext context, ApiResource resource, IKubernetesObject<V1ObjectMeta> stored)
    {
        if (resource.View is { } view)
        {
            var wire = view.ToWire(stored);
            if (!resource.IsCustom)
            {
                wire.ApiVersion = null!;
                wire.Kind = null!;
            }

            return KubeJson.Serialize(wire);
        }

        return resource.IsCustom ? context.Json.Full(stored) : context.Json.ListItem(stored);
    }

    /// <summary>The object in its served shape as a mutable JSON tree (the base of a patch).</summary>
    public static JsonObject ToJson(ApiResource resource, IKubernetesObject<V1ObjectMeta> stored) =>
        KubeJson.ToNode(resource.View is { } view ? view.ToWire(stored) : stored);

    public static ApiException Invalid(ApiResource resource, string? name, IReadOnlyList<V1StatusCause> causes)
    {
        var fields = causes.Select(c => string.IsNullOrEmpty(c.Field) ? c.Message : $"{c.Field}: {c.Message}").ToList();
        var joined = fields.Count == 1 ? fields[0] : "[" + string.Join(", ", fields) + "]";
        var qualifiedKind = resource.Group.Length == 0 ? resource.Kind : resource.Kind + "." + resource.Group;
        return ApiException.Invalid(
            $"{qualifiedKind} \"{name}\" is invalid: {joined}",
            new V1StatusDetails { Name = name, Group = resource.Group.Length == 0 ? null : resource.Group, Kind = resource.Kind, Causes = [.. causes] });
    }

    private static void CheckTypeMeta(ApiResource resource, JsonObject body)
    {
        var apiVersion = body["apiVersion"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        var kind = body["kind"] is JsonValue k && k.GetValueKind() == JsonValueKind.String ? k.GetValue<string>() : null;
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != resource.ApiVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({resource.ApiVersion})");
        }

        if (!string.IsNullOrEmpty(kind) && kind != resource.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({resource.Kind})");
        }

        body["apiVersion"] = resource.ApiVersion;
        body["kind"] = resource.Kind;
    }
}
