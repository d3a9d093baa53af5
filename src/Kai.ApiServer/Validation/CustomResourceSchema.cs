using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Kai.ApiServer.Validation;

/// <summary>
/// A custom resource's schema, from its CRD version: unknown fields are reported and pruned, nulls dropped and
/// defaults filled in as the API server does, and values are checked against the structural schema's keywords.
/// <c>metadata</c> is checked as ObjectMeta. CEL rules (<c>x-kubernetes-validations</c>) are not evaluated.
/// </summary>
internal sealed class CustomResourceSchema(SchemaNode root) : IObjectSchema
{
    /// <summary>The schema of the whole object.</summary>
    internal SchemaNode Root => root;

    public bool Walk(JsonObject body, List<string> unknownFields, bool normalize)
    {
        var changed = false;
        var path = new FieldPath();
        List<string>? removed = null;
        foreach (var (name, child) in body)
        {
            switch (name)
            {
                case "apiVersion" or "kind":
                    continue;
                case "metadata":
                    TypedSchema.WalkNode(child, typeof(V1ObjectMeta), path.Push(name), unknownFields);
                    path.Pop();
                    continue;
            }

            if (root.Properties?.TryGetValue(name, out var schema) == true)
            {
                if (child is null && normalize && !schema.Nullable)
                {
                    (removed ??= []).Add(name);
                    continue;
                }

                WalkNode(child, schema, path.Push(name), unknownFields, normalize, ref changed);
                path.Pop();
            }
            else if (!root.PreserveUnknownFields)
            {
                unknownFields.Add(name);
                if (normalize)
                {
                    (removed ??= []).Add(name);
                }
            }
        }

        changed |= Remove(body, removed);
        if (normalize)
        {
            changed |= ApplyDefaults(body, root);
        }

        return changed;
    }

    /// <summary>Whether <see cref="Walk"/> would leave the parsed body as sent and <see cref="Validate"/> pass it.</summary>
    public bool IsClean(JsonElement body) => CleanBodyCheck.IsClean(body, root);

    public IReadOnlyList<V1StatusCause> Validate(JsonObject body)
    {
        var causes = new List<V1StatusCause>();
        var path = new FieldPath();
        if (root.Properties is { } properties)
        {
            foreach (var (name, schema) in properties)
            {
                if (name is "apiVersion" or "kind" or "metadata")
                {
                    continue;
                }

                if (body.TryGetPropertyValue(name, out var child))
                {
                    ValidateNode(child, schema, path.Push(name), causes);
                    path.Pop();
                }
            }
        }

        foreach (var required in root.Required)
        {
            if (!body.ContainsKey(required))
            {
                causes.Add(Cause("FieldValueRequired", required, "Required value"));
            }
        }

        return causes;
    }

    private static void WalkNode(JsonNode? node, SchemaNode schema, FieldPath path, List<string> unknownFields, bool normalize, ref bool changed)
    {
        switch (node)
        {
            case JsonObject obj:
                WalkObject(obj, schema, path, unknownFields, normalize, ref changed);
                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    WalkNode(array[i], items, path.Push(i), unknownFields, normalize, ref changed);
                    path.Pop();
                }

                break;
        }
    }

    // Fields to prune are removed after the pass over the object (its enumerator must not see it change).
    private static void WalkObject(JsonObject obj, SchemaNode schema, FieldPath path, List<string> unknownFields, bool normalize, ref bool changed)
    {
        if (schema.EmbeddedResource && obj["metadata"] is JsonObject metadata)
        {
            TypedSchema.WalkNode(metadata, typeof(V1ObjectMeta), path.Push("metadata"), unknownFields);
            path.Pop();
        }

        List<string>? removed = null;
        foreach (var (name, child) in obj)
        {
            var childSchema = schema.Properties?.GetValueOrDefault(name) ?? schema.AdditionalProperties;
            if (childSchema is not null)
            {
                if (child is null && normalize && !childSchema.Nullable)
                {
                    (removed ??= []).Add(name);
                    continue;
                }

                WalkNode(child, childSchema, path.Push(name), unknownFields, normalize, ref changed);
                path.Pop();
            }
            else if (!(schema.AnyAdditional || schema.PreserveUnknownFields
                || (schema.EmbeddedResource && name is "apiVersion" or "kind" or "metadata")))
            {
                unknownFields.Add(path.Text(name));
                if (normalize)
                {
                    (removed ??= []).Add(name);
                }
            }
        }

        changed |= Remove(obj, removed);
        if (normalize)
        {
            changed |= ApplyDefaults(obj, schema);
        }
    }

    private static bool Remove(JsonObject obj, List<string>? names)
    {
        var changed = false;
        foreach (var name in names ?? [])
        {
            changed |= obj.Remove(name);
        }

        return changed;
    }

    private static bool ApplyDefaults(JsonObject obj, SchemaNode schema)
    {
        if (schema.Properties is null)
        {
            return false;
        }

        var applied = false;
        foreach (var (name, property) in schema.Properties)
        {
            if (property.Default is { } value && !obj.ContainsKey(name))
            {
                obj[name] = value.DeepClone();
                applied = true;
            }
        }

        return applied;
    }

    private static void ValidateNode(JsonNode? node, SchemaNode schema, FieldPath path, List<V1StatusCause> causes)
    {
        if (node is null)
        {
            if (!schema.Nullable && schema.Type is not null)
            {
                var at = path.Text();
                causes.Add(Cause("FieldValueTypeInvalid", at, $"Invalid value: \"null\": {at} in body must be of type {schema.Type}: \"null\""));
            }

            return;
        }

        var kind = node.GetValueKind();
        if (!TypeMatches(schema, kind, node))
        {
            var at = path.Text();
            causes.Add(Cause("FieldValueTypeInvalid", at, $"Invalid value: \"{JsonTypeName(kind)}\": {at} in body must be of type {schema.Type}: \"{JsonTypeName(kind)}\""));
            return;
        }

        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            var list = string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"));
            causes.Add(Cause("FieldValueNotSupported", path.Text(), $"Unsupported value: {node.ToJsonString()}: supported values: {list}"));
        }

        switch (node)
        {
            case JsonObject obj:
                ValidateObject(obj, schema, path, causes);
                break;
            case JsonArray array:
                ValidateArray(array, schema, path, causes);
                break;
            case JsonValue value when kind == JsonValueKind.String:
                ValidateString(value.GetValue<string>(), schema, path, causes);
                break;
            case JsonValue number when kind == JsonValueKind.Number:
                ValidateNumber(number, schema, path, causes);
                break;
        }
    }

    private static void ValidateObject(JsonObject obj, SchemaNode schema, FieldPath path, List<V1StatusCause> causes)
    {
        foreach (var required in schema.Required)
        {
            if (!obj.ContainsKey(required))
            {
                causes.Add(Cause("FieldValueRequired", path.Text(required), "Required value"));
            }
        }

        foreach (var (name, child) in obj)
        {
            var childSchema = schema.Properties?.GetValueOrDefault(name) ?? schema.AdditionalProperties;
            if (childSchema is not null)
            {
                ValidateNode(child, childSchema, path.Push(name), causes);
                path.Pop();
            }
        }
    }

    private static void ValidateArray(JsonArray array, SchemaNode schema, FieldPath path, List<V1StatusCause> causes)
    {
        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            causes.Add(Cause("FieldValueInvalid", path.Text(), $"Invalid value: {array.Count}: {path} in body should have at least {minItems} items"));
        }

        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            causes.Add(Cause("FieldValueTooMany", path.Text(), $"Too many: {array.Count}: must have at most {maxItems} items"));
        }

        if (schema.Items is { } items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                ValidateNode(array[i], items, path.Push(i), causes);
                path.Pop();
            }
        }
    }

    private static void ValidateString(string text, SchemaNode schema, FieldPath path, List<V1StatusCause> causes)
    {
        if (schema.MinLength is { } minLength && text.Length < minLength)
        {
            causes.Add(Cause("FieldValueInvalid", path.Text(), $"Invalid value: \"{text}\": {path} in body should be at least {minLength} chars long"));
        }

        if (schema.MaxLength is { } maxLength && text.Length > maxLength)
        {
            causes.Add(Cause("FieldValueTooLong", path.Text(), $"Too long: may not be more than {maxLength} bytes"));
        }

        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            causes.Add(Cause("FieldValueInvalid", path.Text(), $"Invalid value: \"{text}\": {path} in body should match '{schema.PatternText}'"));
        }
    }

    private static void ValidateNumber(JsonValue number, SchemaNode schema, FieldPath path, List<V1StatusCause> causes)
    {
        var n = double.Parse(number.ToJsonString(), CultureInfo.InvariantCulture);
        if (schema.Minimum is { } minimum && (n < minimum || (schema.ExclusiveMinimum && n == minimum)))
        {
            var relation = schema.ExclusiveMinimum ? "greater than" : "greater than or equal to";
            causes.Add(Cause("FieldValueInvalid", path.Text(), $"Invalid value: {number.ToJsonString()}: {path} in body should be {relation} {Format(minimum)}"));
        }

        if (schema.Maximum is { } maximum && (n > maximum || (schema.ExclusiveMaximum && n == maximum)))
        {
            var relation = schema.ExclusiveMaximum ? "less than" : "less than or equal to";
            causes.Add(Cause("FieldValueInvalid", path.Text(), $"Invalid value: {number.ToJsonString()}: {path} in body should be {relation} {Format(maximum)}"));
        }
    }

    private static bool TypeMatches(SchemaNode schema, JsonValueKind kind, JsonNode node) =>
        schema.AcceptsType(kind, kind == JsonValueKind.Number && schema.WantsWholeNumber && SchemaNode.IsWholeNumber(node.ToJsonString()));

    private static string JsonTypeName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static V1StatusCause Cause(string reason, string field, string message) =>
        new() { Reason = reason, Field = field, Message = message };
}
