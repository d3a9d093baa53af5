using System.Text.Json.Nodes;
using k8s.Models;
using Kai.ApiServer.Http;
using Kai.ApiServer.Tables;
using Kai.ApiServer.Validation;
using Kai.Cluster.Port;

namespace Kai.ApiServer.Resources;

/// <summary>
/// Turns a CustomResourceDefinition into the resources it serves, one per served version. The storage version's
/// kind is the one already registered (KAI's typed CRDs) or a new generic kind whose objects are stored as JSON;
/// other served versions of a generic kind are views of it (conversion strategy None).
/// </summary>
internal static class CustomResources
{
    /// <exception cref="ApiException">422 when the definition cannot be served (a kind registered with another scope, no storage version).</exception>
    public static IReadOnlyList<ApiResource> Build(V1CustomResourceDefinition crd, KindRegistry kinds)
    {
        var spec = crd.Spec;
        var names = spec.Names;
        var namespaced = spec.Scope == "Namespaced";
        var storageVersion = spec.Versions.FirstOrDefault(v => v.Storage)
            ?? throw Invalid(crd, "spec.versions", "must have exactly one version marked as storage version");
        var storageApiVersion = spec.Group + "/" + storageVersion.Name;
        var storageKey = new KindKey(storageApiVersion, names.Kind);
        if (kinds.TryGet(storageKey, out var storage))
        {
            if (storage.IsNamespaced != namespaced)
            {
                throw Invalid(crd, "spec.scope", $"{names.Kind} is already served with scope {storage.Scope}; restart the server to change it");
            }
        }
        else
        {
            storage = kinds.RegisterGeneric(storageKey, names.Plural, namespaced ? KindScope.Namespaced : KindScope.Cluster, storageVersion.Subresources?.Status is not null);
        }

        var resources = new List<ApiResource>();
        foreach (var version in spec.Versions.Where(v => v.Served))
        {
            ObjectView? view = null;
            if (version.Name != storageVersion.Name)
            {
                if (!storage.IsGeneric)
                {
                    continue; // a typed kind has one version; others would need a converter
                }

                view = new VersionView(spec.Group + "/" + version.Name, storageApiVersion);
            }

            resources.Add(new ApiResource
            {
                Group = spec.Group,
                Version = version.Name,
                Plural = names.Plural,
                Singular = string.IsNullOrEmpty(names.Singular) ? names.Kind.ToLowerInvariant() : names.Singular,
                Kind = names.Kind,
                ListKindName = string.IsNullOrEmpty(names.ListKind) ? null : names.ListKind,
                Namespaced = namespaced,
                ShortNames = [.. names.ShortNames ?? []],
                Categories = [.. names.Categories ?? []],
                Storage = storage,
                View = view,
                IsCustom = true,
                DefinitionName = crd.Metadata.Name,
                HasStatus = version.Subresources?.Status is not null,
                Fields = FieldsOf(version, namespaced),
                Table = new CustomColumnsTable(version.AdditionalPrinterColumns),
                Schema = SchemaOf(version),
                DefinitionSchema = version.Schema?.OpenAPIV3Schema is { } definition ? KubeJson.ToNode(definition) : null,
            });
        }

        return resources;
    }

    private static CustomResourceSchema SchemaOf(V1CustomResourceDefinitionVersion version)
    {
        var schema = version.Schema?.OpenAPIV3Schema is { } props
            ? KubeJson.ToNode(props)
            : new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        return new CustomResourceSchema(SchemaNode.FromJson(schema));
    }

    private static Dictionary<string, FieldAccessor> FieldsOf(V1CustomResourceDefinitionVersion version, bool namespaced)
    {
        var fields = Fields.Metadata(namespaced);
        foreach (var selectable in version.SelectableFields ?? [])
        {
            var path = CustomColumnsTable.Parse(selectable.JsonPath);
            fields[string.Join(".", path)] = obj => CustomColumnsTable.Find(KubeJson.ToNode(obj), path) switch
            {
                null => null,
                JsonValue value => value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString(),
                var other => other.ToJsonString(),
            };
        }

        return fields;
    }

    private static ApiException Invalid(V1CustomResourceDefinition crd, string field, string message) =>
        ApiException.Invalid(
            $"CustomResourceDefinition.apiextensions.k8s.io \"{crd.Metadata.Name}\" is invalid: {field}: {message}",
            new V1StatusDetails
            {
                Name = crd.Metadata.Name,
                Group = "apiextensions.k8s.io",
                Kind = "CustomResourceDefinition",
                Causes = [new V1StatusCause { Reason = "FieldValueInvalid", Field = field, Message = message }],
            });
}
