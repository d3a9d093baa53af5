using System.Text.Json.Nodes;

namespace Kai.ApiServer.Patching;

/// <summary>
/// JSON merge patch (RFC 7386): objects merge key by key, null removes a key, anything else replaces.
/// </summary>
internal static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/>, which the caller owns and which is changed in place when it is an object.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else if (value is JsonObject && result[name] is JsonObject existing)
            {
                Apply(existing, value);
            }
            else
            {
                result[name] = Apply(null, value);
            }
        }

        return result;
    }
}
