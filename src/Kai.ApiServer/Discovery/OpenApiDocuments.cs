using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kai.ApiServer.Http;
using Kai.ApiServer.Resources;

namespace Kai.ApiServer.Discovery;

/// <summary>
/// OpenAPI v3, as much as kubectl uses: the index at <c>/openapi/v3</c> and one document per group-version with a
/// path per resource whose PATCH operation names its kind (<c>x-kubernetes-group-version-kind</c>) and accepts the
/// <c>fieldValidation</c> parameter — which is how kubectl decides to validate on the server (<c>--validate=strict</c>)
/// — and a schema per kind: the CRD's own schema for custom resources (so <c>kubectl explain</c> works for them), a
/// kind stub for built-in kinds. Strategic merge patch is not advertised, so kubectl computes its patches for
/// built-in kinds from its compiled-in types and uses merge patches for custom resources, as with any server.
/// </summary>
internal static class OpenApiDocuments
{
    private static readonly string[] PatchTypes = [MediaTypes.JsonPatch, MediaTypes.MergePatch, MediaTypes.ApplyPatchYaml];

    public static JsonObject Index(ResourceCatalog catalog)
    {
        var paths = new JsonObject();
        foreach (var group in catalog.Groups)
        {
            foreach (var version in group.Versions)
            {
                var key = group.Name.Length == 0 ? $"api/{version}" : $"apis/{group.Name}/{version}";
                var hash = Convert.ToHexString(SHA256.HashData(KubeJson.Serialize(Document(catalog, group.Name, version)!)))[..32];
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={hash}" };
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject? Document(ResourceCatalog catalog, string group, string version)
    {
        var resources = catalog.ResourcesOf(group, version);
        if (resources.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var resource in resources)
        {
            var schemaName = SchemaName(resource);
            schemas[schemaName] = Schema(resource);
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = resource.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{resource.Plural}" : $"{prefix}/{resource.Plural}";
            paths[collection] = CollectionPath(resource, schemaName);
            paths[collection + "/{name}"] = ItemPath(resource, schemaName);
            if (resource.HasStatus)
            {
                paths[collection + "/{name}/status"] = ItemPath(resource, schemaName, status: true);
            }
        }

        schemas["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = new JsonObject { ["type"] = "object", ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body." };
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>"io.k8s.api.core.v1.Pod" for built-ins, "ai.run.scheduling.v2.Queue" (reversed group) for custom resources.</summary>
    private static string SchemaName(ApiResource resource)
    {
        if (resource.IsCustom)
        {
            return string.Join(".", resource.Group.Split('.').Reverse()) + "." + resource.Version + "." + resource.Kind;
        }

        var group = resource.Group.Length == 0 ? "core" : resource.Group.Split('.')[0];
        return $"io.k8s.api.{group}.{resource.Version}.{resource.Kind}";
    }

    private static JsonObject Schema(ApiResource resource)
    {
        var schema = resource.IsCustom && resource.DefinitionSchema is { } definition
            ? (JsonObject)definition.DeepClone()
            : new JsonObject { ["type"] = "object", ["description"] = $"{resource.Kind} ({resource.ApiVersion})." };
        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(resource));
        return schema;
    }

    private static JsonObject CollectionPath(ApiResource resource, string schemaName) => new()
    {
        ["get"] = Operation(resource, "list", schemaName),
        ["post"] = Operation(resource, "post", schemaName, body: [MediaTypes.Json, MediaTypes.Yaml], parameters: ["dryRun", "fieldManager", "fieldValidation"]),
        ["delete"] = Operation(resource, "deletecollection", schemaName),
        ["parameters"] = PathParameters(resource, item: false),
    };

    private static JsonObject ItemPath(ApiResource resource, string schemaName, bool status = false)
    {
        var path = new JsonObject
        {
            ["get"] = Operation(resource, "get", schemaName),
            ["put"] = Operation(resource, "put", schemaName, body: [MediaTypes.Json, MediaTypes.Yaml], parameters: ["dryRun", "fieldManager", "fieldValidation"]),
            ["patch"] = Operation(resource, "patch", schemaName, body: PatchTypes, parameters: ["dryRun", "fieldManager", "fieldValidation", "force"]),
        };
        if (!status)
        {
            path["delete"] = Operation(resource, "delete", schemaName);
        }

        path["parameters"] = PathParameters(resource, item: true);
        return path;
    }

    private static JsonObject Operation(ApiResource resource, string action, string schemaName, IReadOnlyList<string>? body = null, IReadOnlyList<string>? parameters = null)
    {
        var reference = new JsonObject { ["$ref"] = "#/components/schemas/" + (action == "patch" ? "io.k8s.apimachinery.pkg.apis.meta.v1.Patch" : schemaName) };
        var operation = new JsonObject
        {
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { [MediaTypes.Json] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + schemaName } } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(resource),
        };
        if (body is not null)
        {
            var content = new JsonObject();
            foreach (var type in body)
            {
                content[type] = new JsonObject { ["schema"] = reference.DeepClone() };
            }

            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }

        if (parameters is not null)
        {
            operation["parameters"] = new JsonArray([.. parameters.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = p == "force" ? "boolean" : "string", ["uniqueItems"] = true },
            })]);
        }

        return operation;
    }

    private static JsonArray PathParameters(ApiResource resource, bool item)
    {
        var parameters = new JsonArray();
        if (item)
        {
            parameters.Add(PathParameter("name"));
        }

        if (resource.Namespaced)
        {
            parameters.Add(PathParameter("namespace"));
        }

        return parameters;
    }

    private static JsonObject PathParameter(string name) => new()
    {
        ["name"] = name,
        ["in"] = "path",
        ["required"] = true,
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };

    private static JsonObject Gvk(ApiResource resource) => new()
    {
        ["group"] = resource.Group,
        ["kind"] = resource.Kind,
        ["version"] = resource.Version,
    };
}
