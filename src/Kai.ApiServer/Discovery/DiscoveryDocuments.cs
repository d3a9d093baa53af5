using System.Globalization;
using k8s.Models;
using Kai.ApiServer.Resources;

namespace Kai.ApiServer.Discovery;

/// <summary>
/// The discovery documents kubectl and client-go read to map kinds to resources: <c>/api</c> (APIVersions),
/// <c>/apis</c> (APIGroupList), <c>/apis/{group}</c> (APIGroup), <c>/api/v1</c> and <c>/apis/{group}/{version}</c>
/// (APIResourceList, with subresources) and <c>/version</c>. Served in the unaggregated form, which every client
/// falls back to when the aggregated form is not offered.
/// </summary>
internal static class DiscoveryDocuments
{
    public static V1APIVersions CoreVersions(string serverAddress) => new()
    {
        ApiVersion = "v1",
        Kind = "APIVersions",
        Versions = ["v1"],
        ServerAddressByClientCIDRs = [new V1ServerAddressByClientCIDR { ClientCIDR = "0.0.0.0/0", ServerAddress = serverAddress }],
    };

    public static V1APIGroupList Groups(ResourceCatalog catalog) => new()
    {
        ApiVersion = "v1",
        Kind = "APIGroupList",
        Groups = [.. catalog.Groups.Where(g => g.Name.Length > 0).Select(Group)],
    };

    public static V1APIGroup? Group(ResourceCatalog catalog, string name) =>
        catalog.Groups.FirstOrDefault(g => g.Name == name && name.Length > 0) is { } group ? Group(group) : null;

    public static V1APIResourceList? Resources(ResourceCatalog catalog, string group, string version)
    {
        var resources = catalog.ResourcesOf(group, version);
        if (resources.Count == 0)
        {
            return null;
        }

        var entries = new List<V1APIResource>();
        foreach (var resource in resources)
        {
            entries.Add(new V1APIResource
            {
                Name = resource.Plural,
                SingularName = resource.Singular,
                Namespaced = resource.Namespaced,
                Kind = resource.Kind,
                Verbs = [.. ApiResource.AllVerbs],
                ShortNames = resource.ShortNames.Count > 0 ? [.. resource.ShortNames] : null,
                Categories = resource.Categories.Count > 0 ? [.. resource.Categories] : null,
                StorageVersionHash = StorageVersionHash(resource),
            });
            if (resource.HasStatus)
            {
                entries.Add(Subresource(resource.Plural + "/status", resource.Namespaced, resource.Kind, ["get", "patch", "update"]));
            }

            if (resource.HasPodSubresources)
            {
                entries.Add(Subresource("pods/binding", true, "Binding", ["create"]));
                entries.Add(Subresource("pods/eviction", true, "Eviction", ["create"], "policy", "v1"));
            }
        }

        if (group.Length == 0 && version == "v1")
        {
            entries.Add(new V1APIResource { Name = "bindings", SingularName = "binding", Namespaced = true, Kind = "Binding", Verbs = ["create"] });
        }

        return new V1APIResourceList
        {
            ApiVersion = "v1",
            Kind = "APIResourceList",
            GroupVersion = ApiGroup.GroupVersion(group, version),
            Resources = entries,
        };
    }

    public static VersionInfo Version(string kubernetesVersion)
    {
        var numbers = kubernetesVersion.TrimStart('v').Split('.', '-', '+');
        return new VersionInfo
        {
            Major = numbers[0],
            Minor = numbers.Length > 1 ? numbers[1] : "0",
            GitVersion = kubernetesVersion + "+kai",
            GitCommit = string.Empty,
            GitTreeState = "clean",
            BuildDate = "2026-01-01T00:00:00Z",
            GoVersion = string.Empty,
            Compiler = "dotnet",
            Platform = "linux/amd64",
        };
    }

    private static V1APIGroup Group(ApiGroup group)
    {
        var versions = group.Versions.Select(v => new V1GroupVersionForDiscovery { GroupVersion = ApiGroup.GroupVersion(group.Name, v), Version = v }).ToList();
        return new V1APIGroup
        {
            ApiVersion = "v1",
            Kind = "APIGroup",
            Name = group.Name,
            Versions = versions,
            PreferredVersion = versions[0],
        };
    }

    private static V1APIResource Subresource(string name, bool namespaced, string kind, IList<string> verbs, string? group = null, string? version = null) =>
        new() { Name = name, SingularName = string.Empty, Namespaced = namespaced, Kind = kind, Verbs = verbs, Group = group, Version = version };

    // Clients compare it to notice a storage change; a short hash of group, version and kind is enough.
    private static string StorageVersionHash(ApiResource resource)
    {
        var text = resource.Storage.Key.ToString();
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return Convert.ToBase64String(hash, 0, 8).ToString(CultureInfo.InvariantCulture);
    }
}
