using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kai.ApiServer.Patching;

/// <summary>
/// Strategic merge patch for built-in kinds: a JSON merge patch in which lists that Kubernetes declares mergeable
/// (<see cref="PatchMetadata"/>) merge element by element on their key, with the directives kubectl sends —
/// <c>$patch: replace|delete|merge</c>, <c>$retainKeys</c>, <c>$setElementOrder/field</c> and
/// <c>$deleteFromPrimitiveList/field</c>. Also used, without null deletion, to merge a server-side apply
/// configuration into the live object.
/// </summary>
internal static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> (changed in place) whose shape is <paramref name="type"/>.</summary>
    /// <exception cref="PatchException">A malformed directive.</exception>
    public static JsonObject Apply(JsonObject target, JsonObject patch, Type type) =>
        MergeObject(target, patch, type) ?? [];

    private static JsonObject? MergeObject(JsonObject target, JsonObject patch, Type? type)
    {
        switch (Directive(patch))
        {
            case "replace":
                return Clean(patch);
            case "delete":
                return null;
        }

        foreach (var (name, value) in patch)
        {
            if (!name.StartsWith('$'))
            {
                MergeField(target, name, value, PatchMetadata.FieldOf(type, name));
            }
        }

        ApplyListDirectives(target, patch, type);
        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var name in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(name);
            }
        }

        return target;
    }

    /// <summary>One field of the patch: null deletes, objects merge, mergeable lists merge, anything else replaces.</summary>
    private static void MergeField(JsonObject target, string name, JsonNode? value, PatchMetadata.Field? field)
    {
        if (value is null)
        {
            target.Remove(name);
        }
        else if (value is JsonObject patchObject)
        {
            if (target[name] is JsonObject existing)
            {
                var merged = MergeObject(existing, patchObject, field?.ValueType);
                if (merged is null)
                {
                    target.Remove(name);
                }
                else if (!ReferenceEquals(merged, existing))
                {
                    target[name] = merged;
                }
            }
            else if (Directive(patchObject) != "delete")
            {
                target[name] = Clean(patchObject);
            }
        }
        else if (value is JsonArray patchArray && field is { IsList: true, Merges: true } && target[name] is JsonArray existingArray)
        {
            target[name] = field.MergeKey is null
                ? MergePrimitives(existingArray, patchArray)
                : MergeList(existingArray, patchArray, field.MergeKey, field.ValueType);
        }
        else
        {
            target[name] = Clean(value);
        }
    }

    /// <summary>The <c>$deleteFromPrimitiveList/</c> and <c>$setElementOrder/</c> directives of a patch.</summary>
    private static void ApplyListDirectives(JsonObject target, JsonObject patch, Type? type)
    {
        foreach (var (name, value) in patch)
        {
            if (name.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal) && target[name[DeleteFromPrimitiveList.Length..]] is JsonArray list && value is JsonArray remove)
            {
                foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(r, i))).ToList())
                {
                    list.Remove(item);
                }
            }
            else if (name.StartsWith(SetElementOrder, StringComparison.Ordinal) && value is JsonArray order)
            {
                var fieldName = name[SetElementOrder.Length..];
                if (target[fieldName] is JsonArray toOrder)
                {
                    target[fieldName] = Reorder(toOrder, order, PatchMetadata.FieldOf(type, fieldName)?.MergeKey);
                }
            }
        }
    }

    private static JsonArray MergeList(JsonArray target, JsonArray patch, string mergeKey, Type elementType)
    {
        if (patch.OfType<JsonObject>().Any(e => Directive(e) == "replace"))
        {
            return [.. patch.OfType<JsonObject>().Where(e => Directive(e) != "replace").Select(Clean)];
        }

        var result = new JsonArray([.. target.Select(e => e?.DeepClone())]);
        foreach (var element in patch)
        {
            if (element is not JsonObject patchElement)
            {
                throw new PatchException($"a list merged by \"{mergeKey}\" must hold objects", malformed: true);
            }

            var key = patchElement[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], key));
            if (Directive(patchElement) == "delete")
            {
                if (existing is not null)
                {
                    result.Remove(existing);
                }
            }
            else if (existing is not null)
            {
                var merged = MergeObject(existing, patchElement, elementType);
                if (merged is null)
                {
                    result.Remove(existing);
                }
                else if (!ReferenceEquals(merged, existing))
                {
                    result[result.IndexOf(existing)] = merged;
                }
            }
            else
            {
                result.Add(Clean(patchElement));
            }
        }

        return result;
    }

    private static JsonArray MergePrimitives(JsonArray target, JsonArray patch)
    {
        var result = new JsonArray([.. target.Select(e => e?.DeepClone())]);
        foreach (var value in patch)
        {
            if (!result.Any(e => JsonNode.DeepEquals(e, value)))
            {
                result.Add(value?.DeepClone());
            }
        }

        return result;
    }

    // Elements named by the order list come first, in its order; the rest keep their relative order after them.
    private static JsonArray Reorder(JsonArray list, JsonArray order, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? node) => mergeKey is null ? node : node?[mergeKey];
        var remaining = list.Select(e => e?.DeepClone()).ToList();
        var ordered = new JsonArray();
        foreach (var wanted in order)
        {
            var match = remaining.FindIndex(e => JsonNode.DeepEquals(KeyOf(e), KeyOf(wanted)));
            if (match >= 0)
            {
                ordered.Add(remaining[match]);
                remaining.RemoveAt(match);
            }
        }

        foreach (var rest in remaining)
        {
            ordered.Add(rest);
        }

        return ordered;
    }

    private static string? Directive(JsonObject obj) =>
        obj[PatchDirective] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>() switch
            {
                var d when d is "replace" or "delete" or "merge" => d,
                var other => throw new PatchException($"unknown patch type \"{other}\"", malformed: true),
            }
            : null;

    /// <summary>A copy without directives, for values added as they are.</summary>
    private static JsonNode? Clean(JsonNode? node) => node switch
    {
        JsonObject obj => Clean(obj),
        JsonArray array => new JsonArray([.. array.Select(Clean)]),
        _ => node?.DeepClone(),
    };

    private static JsonObject Clean(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in obj)
        {
            if (!name.StartsWith('$'))
            {
                copy[name] = Clean(value);
            }
        }

        return copy;
    }
}
