using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Kai.ApiServer.Validation;

/// <summary>
/// The schema of a built-in kind, read from its KubernetesClient model type by reflection: a field is known when
/// the type (or a nested type) has a property of that JSON name. Used for strict field validation; the typed
/// deserialiser drops unknown fields by itself, and value validation is left to the type system.
/// </summary>
internal sealed class TypedSchema(Type type) : IObjectSchema
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    public bool Walk(JsonObject body, List<string> unknownFields, bool normalize)
    {
        WalkNode(body, type, new FieldPath(), unknownFields);
        return false;
    }

    public IReadOnlyList<V1StatusCause> Validate(JsonObject body) => [];

    /// <summary>Unknown fields below <paramref name="node"/>, read as <paramref name="nodeType"/>.</summary>
    internal static void WalkNode(JsonNode? node, Type nodeType, FieldPath path, List<string> unknownFields)
    {
        if (node is null)
        {
            return;
        }

        var shape = Shapes.GetOrAdd(nodeType, ShapeOf);
        switch (shape.Kind)
        {
            case ShapeKind.Object when node is JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (shape.Properties!.TryGetValue(name, out var propertyType))
                    {
                        WalkNode(child, propertyType, path.Push(name), unknownFields);
                        path.Pop();
                    }
                    else
                    {
                        unknownFields.Add(path.Text(name));
                    }
                }

                break;
            case ShapeKind.Map when node is JsonObject map:
                foreach (var (name, child) in map)
                {
                    WalkNode(child, shape.Element!, path.Push(name), unknownFields);
                    path.Pop();
                }

                break;
            case ShapeKind.List when node is JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    WalkNode(list[i], shape.Element!, path.Push(i), unknownFields);
                    path.Pop();
                }

                break;
        }
    }

    /// <summary>
    /// Whether <see cref="WalkNode"/> would report an unknown field below <paramref name="node"/>: the same walk over a
    /// parsed document, for bodies read without a JSON tree (see <see cref="CleanBodyCheck"/>).
    /// </summary>
    internal static bool HasUnknownFields(JsonElement node, Type nodeType)
    {
        var shape = Shapes.GetOrAdd(nodeType, ShapeOf);
        switch (shape.Kind)
        {
            case ShapeKind.Object when node.ValueKind == JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (!shape.Properties!.TryGetValue(property.Name, out var propertyType) || HasUnknownFields(property.Value, propertyType))
                    {
                        return true;
                    }
                }

                return false;
            case ShapeKind.Map when node.ValueKind == JsonValueKind.Object:
                foreach (var property in node.EnumerateObject())
                {
                    if (HasUnknownFields(property.Value, shape.Element!))
                    {
                        return true;
                    }
                }

                return false;
            case ShapeKind.List when node.ValueKind == JsonValueKind.Array:
                foreach (var item in node.EnumerateArray())
                {
                    if (HasUnknownFields(item, shape.Element!))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static Shape ShapeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(byte[])
            || type == typeof(ResourceQuantity) || type == typeof(IntOrString))
        {
            return new Shape(ShapeKind.Leaf, null, null);
        }

        if (type == typeof(object) || typeof(JsonNode).IsAssignableFrom(type) || type == typeof(JsonElement))
        {
            return new Shape(ShapeKind.Any, null, null);
        }

        if (Generic(type, typeof(IDictionary<,>)) is { } dictionary)
        {
            return new Shape(ShapeKind.Map, null, dictionary[1]);
        }

        if (type.IsArray)
        {
            return new Shape(ShapeKind.List, null, type.GetElementType());
        }

        if (Generic(type, typeof(IEnumerable<>)) is { } enumerable)
        {
            return new Shape(ShapeKind.List, null, enumerable[0]);
        }

        var properties = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            properties[name] = property.PropertyType;
        }

        return new Shape(ShapeKind.Object, properties, null);
    }

    private static Type[]? Generic(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type.GetGenericArguments();
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition)?.GetGenericArguments();
    }

    private enum ShapeKind
    {
        Leaf,
        Any,
        Object,
        Map,
        List,
    }

    private sealed record Shape(ShapeKind Kind, Dictionary<string, Type>? Properties, Type? Element);
}
