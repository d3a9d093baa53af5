using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using Kai.Cluster.Crds;

namespace Kai.Cluster.Manifests;

/// <summary>"Did you mean" hints for unknown fields, from the wire names of the type KubernetesClient was filling.</summary>
internal static class FieldSuggestions
{
    public static string? Suggest(string unknownField, string? typeName)
    {
        var type = typeName is null ? null : typeof(V1Pod).Assembly.GetType(typeName) ?? typeof(Queue).Assembly.GetType(typeName);
        if (type is null)
        {
            return null;
        }

        var names = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name)
            .OfType<string>()
            .ToList();
        var caseInsensitive = names.Find(n => string.Equals(n, unknownField, StringComparison.OrdinalIgnoreCase));
        if (caseInsensitive is not null)
        {
            return caseInsensitive;
        }

        var closest = names
            .Select(n => (Name: n, Distance: NameSuggestions.Distance(n.ToLowerInvariant(), unknownField.ToLowerInvariant())))
            .Where(c => c.Distance <= 2)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        return closest.Count > 0 ? closest[0].Name : null;
    }
}
