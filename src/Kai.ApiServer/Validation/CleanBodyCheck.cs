using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Kai.ApiServer.Validation;

/// <summary>
/// Whether a custom resource's body, read as a parsed document (pooled memory, no JSON tree), is one the schema walk
/// would leave exactly as sent and the validation would pass: no unknown field (at any depth, metadata included), no
/// null to drop, no default to fill in, and every value within its schema. Such a body can be read straight from its
/// bytes (<see cref="Http.DirectDecoder"/>); for any other the full path (tree, walk, validation) answers, with its
/// own warnings and errors. It mirrors <see cref="CustomResourceSchema"/> rule for rule and may only say "not clean"
/// where that one would change or refuse nothing: a property test compares the two on random bodies.
/// </summary>
internal static class CleanBodyCheck
{
    public static bool IsClean(JsonElement body, SchemaNode root)
    {
        foreach (var property in body.EnumerateObject())
        {
            switch (property.Name)
            {
                case "apiVersion" or "kind":
                    continue;
                case "metadata":
                    if (TypedSchema.HasUnknownFields(property.Value, typeof(V1ObjectMeta)))
                    {
                        return false;
                    }

                    continue;
            }

            if (root.Properties?.TryGetValue(property.Name, out var schema) != true)
            {
                // Unknown: reported (and pruned) unless the root keeps unknown fields.
                if (root.PreserveUnknownFields)
                {
                    continue;
                }

                return false;
            }

            if (!IsCleanNode(property.Value, schema!) || !IsValid(property.Value, schema!))
            {
                return false;
            }
        }

        return !MissesDefaultOrRequired(body, root);
    }

    // The walk: unknown fields, nulls that would be dropped, defaults that would be filled in.
    private static bool IsCleanNode(JsonElement node, SchemaNode schema)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Null:
                return schema.Nullable;
            case JsonValueKind.Object:
                return IsCleanObject(node, schema);
            case JsonValueKind.Array when schema.Items is { } items:
                foreach (var item in node.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Null && !IsCleanNode(item, items))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static bool IsCleanObject(JsonElement obj, SchemaNode schema)
    {
        if (schema.EmbeddedResource && obj.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            && TypedSchema.HasUnknownFields(metadata, typeof(V1ObjectMeta)))
        {
            return false;
        }

        foreach (var property in obj.EnumerateObject())
        {
            var childSchema = schema.Properties?.GetValueOrDefault(property.Name) ?? schema.AdditionalProperties;
            if (childSchema is null)
            {
                if (!(schema.AnyAdditional || schema.PreserveUnknownFields || (schema.EmbeddedResource && property.Name is "apiVersion" or "kind" or "metadata")))
                {
                    return false;
                }
            }
            else if (!IsCleanNode(property.Value, childSchema))
            {
                return false;
            }
        }

        return !HasMissingDefault(obj, schema);
    }

    private static bool HasMissingDefault(JsonElement obj, SchemaNode schema)
    {
        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, SchemaNode>())
        {
            if (property.Default is not null && !obj.TryGetProperty(name, out _))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MissesDefaultOrRequired(JsonElement body, SchemaNode root)
    {
        if (HasMissingDefault(body, root))
        {
            return true;
        }

        foreach (var required in root.Required)
        {
            if (!body.TryGetProperty(required, out _))
            {
                return true;
            }
        }

        return false;
    }

    // The validation: types, enums, required fields, sizes, patterns and ranges.
    private static bool IsValid(JsonElement node, SchemaNode schema)
    {
        var kind = node.ValueKind;
        if (kind == JsonValueKind.Null)
        {
            return schema.Nullable || schema.Type is null;
        }

        if (!TypeMatches(schema, node) || (schema.Enum is { } allowed && !IsAllowed(node, allowed)))
        {
            return false;
        }

        return kind switch
        {
            JsonValueKind.Object => IsValidObject(node, schema),
            JsonValueKind.Array => IsValidArray(node, schema),
            JsonValueKind.String => IsValidString(node.GetString()!, schema),
            JsonValueKind.Number => IsValidNumber(node, schema),
            _ => true,
        };
    }

    private static bool IsValidObject(JsonElement obj, SchemaNode schema)
    {
        foreach (var required in schema.Required)
        {
            if (!obj.TryGetProperty(required, out _))
            {
                return false;
            }
        }

        foreach (var property in obj.EnumerateObject())
        {
            var childSchema = schema.Properties?.GetValueOrDefault(property.Name) ?? schema.AdditionalProperties;
            if (childSchema is not null && !IsValid(property.Value, childSchema))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidArray(JsonElement array, SchemaNode schema)
    {
        var count = array.GetArrayLength();
        if ((schema.MinItems is { } minItems && count < minItems) || (schema.MaxItems is { } maxItems && count > maxItems))
        {
            return false;
        }

        if (schema.Items is { } items)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (!IsValid(item, items))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsValidString(string text, SchemaNode schema) =>
        !(schema.MinLength is { } minLength && text.Length < minLength)
        && !(schema.MaxLength is { } maxLength && text.Length > maxLength)
        && !(schema.Pattern is { } pattern && !pattern.IsMatch(text));

    private static bool IsValidNumber(JsonElement number, SchemaNode schema)
    {
        var n = double.Parse(number.GetRawText(), CultureInfo.InvariantCulture);
        return !(schema.Minimum is { } minimum && (n < minimum || (schema.ExclusiveMinimum && n == minimum)))
            && !(schema.Maximum is { } maximum && (n > maximum || (schema.ExclusiveMaximum && n == maximum)));
    }

    private static bool IsAllowed(JsonElement node, IReadOnlyList<JsonNode?> allowed)
    {
        var asNode = JsonNode.Parse(node.GetRawText());
        return allowed.Any(a => JsonNode.DeepEquals(a, asNode));
    }

    private static bool TypeMatches(SchemaNode schema, JsonElement node)
    {
        var kind = node.ValueKind;
        return schema.AcceptsType(kind, kind == JsonValueKind.Number && schema.WantsWholeNumber && SchemaNode.IsWholeNumber(node.GetRawText()));
    }
}
