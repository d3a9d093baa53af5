using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;
using Kai.ApiServer.Validation;
using Kai.Cluster;

namespace Kai.ApiServer.Tests.Units;

/// <summary>
/// Custom resources read in one pass: on random bodies generated from KAI's CRD schemas (with unknown fields, nulls,
/// missing defaults and required fields, wrong types and out-of-range values mixed in), every body the one-pass path
/// takes is one the full path (tree, schema walk, validation) accepts without a warning, and both give the same object.
/// </summary>
public sealed class CustomResourceDirectDecodeTests
{
    // KAI's definitions, and one whose schema uses every keyword near the top (defaults, nullable, enums, patterns,
    // ranges, sizes, int-or-string, maps, embedded resources, kept unknown fields), where random bodies reach them.
    private static readonly IReadOnlyList<ApiResource> Resources =
        [.. CustomResourceDefinitions.Embedded().Append(CustomResourceDefinitions.Parse(Widgets, "widgets.yaml")).SelectMany(crd => CustomResources.Build(crd, KaiKinds.CreateRegistry()))];

    private const string Widgets = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                required: [spec]
                properties:
                  apiVersion: {type: string}
                  kind: {type: string}
                  metadata: {type: object}
                  spec:
                    type: object
                    required: [size]
                    properties:
                      size: {type: integer, minimum: 0, maximum: 8}
                      mode: {type: string, enum: [Fast, Slow], default: Fast}
                      ratio: {type: number, minimum: 0, exclusiveMinimum: true}
                      name: {type: string, pattern: '^[a-z-]+$', maxLength: 10, minLength: 1}
                      note: {type: string, nullable: true}
                      port: {x-kubernetes-int-or-string: true}
                      labels: {type: object, additionalProperties: {type: string}}
                      items:
                        type: array
                        maxItems: 2
                        items:
                          type: object
                          properties:
                            key: {type: string, default: k}
                            on: {type: boolean}
                      template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}
                      extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status:
                    type: object
                    properties:
                      phase: {type: string, enum: [Pending, Done]}
                      count: {type: integer, default: 0}
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TryDecode_OnRandomCustomResources_TakesOnlyWhatTheFullPathAcceptsUnchanged_AndReadsTheSameObject(int seed)
    {
        var random = new Random(seed);
        var (taken, declined) = (0, 0);
        for (var i = 0; i < 600; i++)
        {
            var resource = Resources[random.Next(Resources.Count)];
            var schema = ((CustomResourceSchema)resource.Schema).Root;
            var body = Encoding.UTF8.GetBytes(RandomObject(random, resource, schema).ToJsonString());

            var direct = DirectDecoder.TryDecode(resource, body, "application/json");
            if (direct is null)
            {
                declined++;
                continue;
            }

            taken++;
            var warnings = new List<string>();
            var full = ObjectCodec.Decode(resource, RequestBody.ParseObject(body, "application/json"), FieldValidation.Warn, warnings, body);
            Assert.Empty(warnings);
            Assert.Equal(KubernetesJson.Serialize(full), KubernetesJson.Serialize(direct));
        }

        // Both paths are exercised: most generated bodies are clean, many are not.
        Assert.True(taken > 100 && declined > 100, $"taken {taken}, declined {declined}");
    }

    private static JsonObject RandomObject(Random random, ApiResource resource, SchemaNode root)
    {
        var obj = new JsonObject();
        if (random.Next(20) != 0)
        {
            obj["apiVersion"] = random.Next(30) == 0 ? "v9" : resource.ApiVersion;
        }

        obj["kind"] = random.Next(30) == 0 ? "Other" : resource.Kind;
        var metadata = new JsonObject { ["name"] = "o" + random.Next(100) };
        if (random.Next(3) == 0)
        {
            metadata["labels"] = new JsonObject { ["a"] = "b" };
        }

        if (random.Next(25) == 0)
        {
            metadata["bogus"] = 1;
        }

        obj["metadata"] = metadata;
        foreach (var (name, property) in root.Properties ?? new Dictionary<string, SchemaNode>())
        {
            if (name is not ("apiVersion" or "kind" or "metadata") && (root.Required.Contains(name) ? random.Next(25) != 0 : random.Next(3) != 0))
            {
                obj[name] = RandomValue(random, property, 0);
            }
        }

        if (random.Next(25) == 0)
        {
            obj["bogus"] = "x";
        }

        return obj;
    }

    private static JsonNode? RandomValue(Random random, SchemaNode schema, int depth)
    {
        if (random.Next(40) == 0)
        {
            return random.Next(2) == 0 ? null : RandomScalar(random, schema.Type is "string" ? "integer" : "string");
        }

        if (schema.Enum is { Count: > 0 } values && random.Next(15) != 0)
        {
            return values[random.Next(values.Count)]?.DeepClone();
        }

        if (schema.IntOrString)
        {
            return random.Next(2) == 0 ? random.Next(0, 10) : "5%";
        }

        return schema.Type switch
        {
            "object" or null when schema.Properties is not null || schema.AdditionalProperties is not null => RandomChild(random, schema, depth),
            "array" => new JsonArray([.. Enumerable.Range(0, random.Next(4)).Select(_ => schema.Items is null ? RandomScalar(random, "string") : RandomValue(random, schema.Items, depth + 1))]),
            _ => RandomScalar(random, schema.Type),
        };
    }

    private static JsonObject RandomChild(Random random, SchemaNode schema, int depth)
    {
        var obj = new JsonObject();
        foreach (var (name, property) in schema.Properties ?? new Dictionary<string, SchemaNode>())
        {
            if (depth < 14 && (schema.Required.Contains(name) ? random.Next(25) != 0 : random.Next(2) == 0))
            {
                obj[name] = RandomValue(random, property, depth + 1);
            }
        }

        if (schema.AdditionalProperties is { } additional)
        {
            for (var i = random.Next(3); i > 0; i--)
            {
                obj["k" + i] = RandomValue(random, additional, depth + 1);
            }
        }

        if (random.Next(30) == 0)
        {
            obj["bogus"] = true;
        }

        return obj;
    }

    private static JsonNode? RandomScalar(Random random, string? type) => type switch
    {
        "integer" => random.Next(-3, 12),
        "number" => random.Next(2) == 0 ? random.Next(-3, 12) : random.NextDouble() * 10,
        "boolean" => random.Next(2) == 0,
        "string" => new[] { string.Empty, "a", "team-a", "GPU", "x.y/z", "1Gi", new string('n', 70) }[random.Next(7)],
        _ => random.Next(2) == 0 ? "s" : random.Next(5),
    };
}
