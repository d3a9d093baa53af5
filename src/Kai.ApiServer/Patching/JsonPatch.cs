using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kai.ApiServer.Patching;

/// <summary>
/// JSON patch (RFC 6902): a list of add, remove, replace, move, copy and test operations on JSON pointers
/// (RFC 6901; "-" appends to an array). All operations apply or none: the caller applies them to a copy.
/// </summary>
internal static class JsonPatch
{
    /// <exception cref="PatchException">Malformed operations, or an operation that does not apply (a failed test, a missing path).</exception>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new PatchException("a JSON patch must be an array of operations", malformed: true);
        }

        foreach (var entry in operations)
        {
            if (entry is not JsonObject operation)
            {
                throw new PatchException("every JSON patch operation must be an object", malformed: true);
            }

            var op = Text(operation, "op");
            var path = Text(operation, "path");
            document = op switch
            {
                "add" => Add(document, Pointer(path), Value(operation)),
                "remove" => Remove(document, Pointer(path), out _),
                "replace" => Replace(document, Pointer(path), Value(operation)),
                "move" => Move(document, Pointer(Text(operation, "from")), Pointer(path)),
                "copy" => Add(document, Pointer(path), Get(document, Pointer(Text(operation, "from")))?.DeepClone()),
                "test" => Test(document, Pointer(path), Value(operation)),
                _ => throw new PatchException($"unexpected operation \"{op}\"", malformed: true),
            };
        }

        return document;
    }

    private static string Text(JsonObject operation, string name) =>
        operation[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new PatchException($"operation is missing \"{name}\"", malformed: true);

    private static JsonNode? Value(JsonObject operation) =>
        operation.TryGetPropertyValue("value", out var value)
            ? value?.DeepClone()
            : throw new PatchException("operation is missing \"value\"", malformed: true);

    private static string[] Pointer(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }

        if (pointer[0] != '/')
        {
            throw new PatchException($"JSON pointer \"{pointer}\" must start with '/'", malformed: true);
        }

        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode? document, string[] path)
    {
        var node = document;
        foreach (var token in path)
        {
            switch (node)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var value):
                    node = value;
                    break;
                case JsonArray array when Index(array, token, allowEnd: false) is var i && i < array.Count:
                    node = array[i];
                    break;
                default:
                    throw Missing(path);
            }
        }

        return node;
    }

    private static JsonNode? Add(JsonNode? document, string[] path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        var parent = Get(document, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array:
                var index = Index(array, last, allowEnd: true);
                array.Insert(index, value);
                break;
            default:
                throw Missing(path);
        }

        return document;
    }

    private static JsonNode? Remove(JsonNode? document, string[] path, out JsonNode? removed)
    {
        if (path.Length == 0)
        {
            throw new PatchException("cannot remove the whole document");
        }

        var parent = Get(document, path[..^1]);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                removed = obj[last];
                obj.Remove(last);
                break;
            case JsonArray array:
                var index = Index(array, last, allowEnd: false);
                if (index >= array.Count)
                {
                    throw Missing(path);
                }

                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw Missing(path);
        }

        return document;
    }

    private static JsonNode? Replace(JsonNode? document, string[] path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value;
        }

        Remove(document, path, out _);
        return Add(document, path, value);
    }

    private static JsonNode? Move(JsonNode? document, string[] from, string[] path)
    {
        document = Remove(document, from, out var value);
        return Add(document, path, value?.DeepClone());
    }

    private static JsonNode? Test(JsonNode? document, string[] path, JsonNode? expected)
    {
        var actual = Get(document, path);
        if (!JsonNode.DeepEquals(Normalize(actual), Normalize(expected)))
        {
            throw new PatchException($"testing value /{string.Join("/", path)} failed: test failed");
        }

        return document;
    }

    // A JSON null stored as a property value and a missing value compare equal to null.
    private static JsonNode? Normalize(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Null ? null : node;

    private static int Index(JsonArray array, string token, bool allowEnd)
    {
        if (allowEnd && token == "-")
        {
            return array.Count;
        }

        if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index > array.Count || (!allowEnd && index == array.Count))
        {
            throw new PatchException($"array index \"{token}\" is out of bounds (length {array.Count})");
        }

        return index;
    }

    private static PatchException Missing(string[] path) =>
        new($"doc is missing path: \"/{string.Join("/", path)}\": missing value");
}
