using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.ApiServer.Patching;

/// <summary>
/// The patch strategy of the fields of built-in types, as Kubernetes declares it with
/// <c>patchStrategy</c>/<c>patchMergeKey</c> tags: which lists merge by a key (containers by name, conditions by
/// type, …) and which lists of strings merge as sets (finalizers); every other list is replaced. Field types come
/// from the KubernetesClient model by reflection, so a patch can be walked alongside the object's type.
/// </summary>
internal static class PatchMetadata
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Field>> FieldsByType = new();

    // (declaring type, JSON field) → merge key; an empty key means "merge as a set of primitives".
    private static readonly Dictionary<(Type, string), string> MergeKeys = new()
    {
        [(typeof(V1ObjectMeta), "finalizers")] = string.Empty,
        [(typeof(V1ObjectMeta), "ownerReferences")] = "uid",
        [(typeof(V1PodSpec), "containers")] = "name",
        [(typeof(V1PodSpec), "initContainers")] = "name",
        [(typeof(V1PodSpec), "ephemeralContainers")] = "name",
        [(typeof(V1PodSpec), "volumes")] = "name",
        [(typeof(V1PodSpec), "imagePullSecrets")] = "name",
        [(typeof(V1PodSpec), "hostAliases")] = "ip",
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = "topologyKey",
        [(typeof(V1PodSpec), "schedulingGates")] = "name",
        [(typeof(V1PodSpec), "resourceClaims")] = "name",
        [(typeof(V1Container), "ports")] = "containerPort",
        [(typeof(V1Container), "env")] = "name",
        [(typeof(V1Container), "volumeMounts")] = "mountPath",
        [(typeof(V1Container), "volumeDevices")] = "devicePath",
        [(typeof(V1EphemeralContainer), "ports")] = "containerPort",
        [(typeof(V1EphemeralContainer), "env")] = "name",
        [(typeof(V1EphemeralContainer), "volumeMounts")] = "mountPath",
        [(typeof(V1EphemeralContainer), "volumeDevices")] = "devicePath",
        [(typeof(V1PodStatus), "conditions")] = "type",
        [(typeof(V1PodStatus), "podIPs")] = "ip",
        [(typeof(V1PodStatus), "hostIPs")] = "ip",
        [(typeof(V1PodStatus), "resourceClaimStatuses")] = "name",
        [(typeof(V1NodeSpec), "podCIDRs")] = string.Empty,
        [(typeof(V1NodeStatus), "conditions")] = "type",
        [(typeof(V1NodeStatus), "addresses")] = "type",
        [(typeof(V1NamespaceStatus), "conditions")] = "type",
        [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = "type",
        [(typeof(V1CustomResourceDefinitionStatus), "conditions")] = "type",
    };

    /// <summary>The field named <paramref name="jsonName"/> of <paramref name="type"/>, or null when the type has none (or is not a class).</summary>
    public static Field? FieldOf(Type? type, string jsonName) =>
        type is null ? null : FieldsByType.GetOrAdd(type, Describe).GetValueOrDefault(jsonName);

    private static IReadOnlyDictionary<string, Field> Describe(Type type)
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        if (type.IsPrimitive || type == typeof(string) || type == typeof(object))
        {
            return fields;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var element = ElementType(propertyType);
            var isMap = propertyType.IsGenericType && propertyType.GetInterfaces().Append(propertyType)
                .Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
            var merge = MergeKeys.TryGetValue((type, name), out var key);
            fields[name] = new Field(isMap ? MapValueType(propertyType) : element ?? propertyType, element is not null && !isMap, isMap, merge, merge && !string.IsNullOrEmpty(key) ? key : null);
        }

        return fields;
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
    }

    private static Type MapValueType(Type type) =>
        type.GetInterfaces().Append(type).First(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>)).GetGenericArguments()[1];

    /// <summary>
    /// One field: its value type (the element type of a list, the value type of a map), whether it is a list or
    /// map, and for lists whether they merge and by which key (null key: a set of primitives).
    /// </summary>
    internal sealed record Field(Type ValueType, bool IsList, bool IsMap, bool Merges, string? MergeKey);
}
