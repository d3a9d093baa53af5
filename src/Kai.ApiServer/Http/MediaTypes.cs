namespace Kai.ApiServer.Http;

/// <summary>The media types of the Kubernetes API and how requests ask for them.</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string Yaml = "application/yaml";
    public const string JsonPatch = "application/json-patch+json";
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatchYaml = "application/apply-patch+yaml";
    public const string ApplyPatchCbor = "application/apply-patch+cbor";

    /// <summary>The media type without parameters, lower-case ("application/json; charset=utf-8" → "application/json").</summary>
    public static string Essence(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return string.Empty;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var essence = semicolon < 0 ? contentType : contentType[..semicolon];
        return essence.Trim().ToLowerInvariant();
    }

    /// <summary>
    /// True when the Accept header asks for a server-side Table (<c>application/json;as=Table;g=meta.k8s.io;v=v1</c>),
    /// as kubectl's human-readable output does.
    /// </summary>
    public static bool WantsTable(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// True when the Accept header admits JSON (or anything); false when it names only other encodings
    /// (protobuf, CBOR), which this server does not speak.
    /// </summary>
    public static bool AcceptsJson(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        foreach (var part in accept.Split(','))
        {
            var essence = Essence(part);
            if (essence is Json or "*/*" or "application/*" or Yaml || essence.Length == 0)
            {
                return true;
            }
        }

        return false;
    }
}
