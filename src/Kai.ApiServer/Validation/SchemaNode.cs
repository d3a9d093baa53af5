using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kai.ApiServer.Validation;

/// <summary>
/// One node of a CRD's structural OpenAPI v3 schema, read from its JSON form: the keywords this server applies
/// (types, properties, items, additionalProperties, preserve-unknown-fields, embedded resources, int-or-string,
/// nullable, default, enum, ranges, lengths, patterns, item counts, required).
/// </summary>
internal sealed class SchemaNode
{
    public string? Type { get; private init; }

    public IReadOnlyDictionary<string, SchemaNode>? Properties { get; private init; }

    public SchemaNode? Items { get; private init; }

    /// <summary>The schema of keys not in <see cref="Properties"/>; null when not allowed (unless <see cref="AnyAdditional"/>).</summary>
    public SchemaNode? AdditionalProperties { get; private init; }

    /// <summary><c>additionalProperties: true</c>: any extra key with any value.</summary>
    public bool AnyAdditional { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool EmbeddedResource { get; private init; }

    public bool IntOrString { get; private init; }

    public bool Nullable { get; private init; }

    public JsonNode? Default { get; private init; }

    public IReadOnlyList<JsonNode?>? Enum { get; private init; }

    public double? Minimum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public double? Maximum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public Regex? Pattern { get; private init; }

    public string? PatternText { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    /// <summary>Whether a number here must be whole (int-or-string, integer): only then is a value's number text read.</summary>
    public bool WantsWholeNumber => IntOrString || Type == "integer";

    /// <summary>
    /// Whether a value of JSON kind <paramref name="kind"/> has this node's type; <paramref name="wholeNumber"/> says
    /// whether a number value is whole (read only where <see cref="WantsWholeNumber"/>). The one rule for every reader
    /// of a body (JSON tree or parsed document).
    /// </summary>
    public bool AcceptsType(JsonValueKind kind, bool wholeNumber)
    {
        if (IntOrString)
        {
            return kind is JsonValueKind.String || (kind is JsonValueKind.Number && wholeNumber);
        }

        return Type switch
        {
            null => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => kind == JsonValueKind.Number && wholeNumber,
            _ => true,
        };
    }

    /// <summary>Whether a JSON number's text is a whole number (1, 1.0, 1e3).</summary>
    public static bool IsWholeNumber(string numberText) =>
        double.TryParse(numberText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && Math.Floor(value) == value;

    /// <summary>Reads a schema from its JSON form (<c>openAPIV3Schema</c> as served).</summary>
    public static SchemaNode FromJson(JsonObject json)
    {
        var properties = json["properties"] is JsonObject props
            ? props.Where(p => p.Value is JsonObject).ToDictionary(p => p.Key, p => FromJson((JsonObject)p.Value!), StringComparer.Ordinal)
            : null;
        var additional = json["additionalProperties"];
        var pattern = json["pattern"]?.GetValue<string>();
        return new SchemaNode
        {
            Type = json["type"]?.GetValue<string>(),
            Properties = properties,
            Items = json["items"] is JsonObject items ? FromJson(items) : null,
            AdditionalProperties = additional is JsonObject additionalSchema ? FromJson(additionalSchema) : null,
            AnyAdditional = additional is JsonValue value && value.GetValueKind() == JsonValueKind.True,
            PreserveUnknownFields = Flag(json, "x-kubernetes-preserve-unknown-fields"),
            EmbeddedResource = Flag(json, "x-kubernetes-embedded-resource"),
            IntOrString = Flag(json, "x-kubernetes-int-or-string"),
            Nullable = Flag(json, "nullable"),
            Default = json["default"]?.DeepClone(),
            Enum = json["enum"] is JsonArray values ? [.. values.Select(v => v?.DeepClone())] : null,
            Minimum = Number(json, "minimum"),
            ExclusiveMinimum = Flag(json, "exclusiveMinimum"),
            Maximum = Number(json, "maximum"),
            ExclusiveMaximum = Flag(json, "exclusiveMaximum"),
            MinLength = (long?)Number(json, "minLength"),
            MaxLength = (long?)Number(json, "maxLength"),
            PatternText = pattern,
            Pattern = pattern is null ? null : new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
            MinItems = (long?)Number(json, "minItems"),
            MaxItems = (long?)Number(json, "maxItems"),
            Required = json["required"] is JsonArray required ? [.. required.Select(r => r!.GetValue<string>())] : [],
        };
    }

    private static bool Flag(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    private static double? Number(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)
            : null;
}
