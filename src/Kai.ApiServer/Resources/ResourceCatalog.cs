using Kai.Cluster.Port;

namespace Kai.ApiServer.Resources;

/// <summary>
/// The resources the server serves right now: the built-ins plus those of each CustomResourceDefinition.
/// Lookups read an immutable snapshot without locking; a CRD change builds a new snapshot.
/// </summary>
internal sealed class ResourceCatalog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<ApiResource>> _byDefinition = new(StringComparer.Ordinal);
    private IReadOnlyList<ApiResource> _builtIns = [];
    private Snapshot _snapshot = Snapshot.Build([]);

    public IReadOnlyList<ApiResource> All => Volatile.Read(ref _snapshot).All;

    /// <summary>Groups in discovery order: core, the built-in groups, then custom groups by name.</summary>
    public IReadOnlyList<ApiGroup> Groups => Volatile.Read(ref _snapshot).Groups;

    public void SetBuiltIns(IReadOnlyList<ApiResource> resources)
    {
        lock (_gate)
        {
            _builtIns = resources;
            Rebuild();
        }
    }

    /// <summary>Serves <paramref name="resources"/> for the definition named <paramref name="definitionName"/>, replacing what it served before.</summary>
    public void SetDefinition(string definitionName, IReadOnlyList<ApiResource> resources)
    {
        lock (_gate)
        {
            _byDefinition[definitionName] = resources;
            Rebuild();
        }
    }

    public void RemoveDefinition(string definitionName)
    {
        lock (_gate)
        {
            if (_byDefinition.Remove(definitionName))
            {
                Rebuild();
            }
        }
    }

    public ApiResource? Find(string group, string version, string plural) =>
        Volatile.Read(ref _snapshot).ByPath.GetValueOrDefault((group, version, plural));

    /// <summary>The resource that serves objects stored as <paramref name="storage"/> in their own shape.</summary>
    public ApiResource? FindByStorage(KindInfo storage) =>
        Volatile.Read(ref _snapshot).All.FirstOrDefault(r => ReferenceEquals(r.Storage, storage) && r.View is null);

    public IReadOnlyList<ApiResource> ResourcesOf(string group, string version) =>
        Volatile.Read(ref _snapshot).All.Where(r => r.Group == group && r.Version == version).ToList();

    /// <summary>True when a built-in resource already serves <paramref name="group"/>/<paramref name="plural"/>.</summary>
    public bool IsBuiltIn(string group, string plural)
    {
        lock (_gate)
        {
            return _builtIns.Any(r => r.Group == group && r.Plural == plural);
        }
    }

    private void Rebuild() =>
        Volatile.Write(ref _snapshot, Snapshot.Build([.. _builtIns, .. _byDefinition.OrderBy(d => d.Key, StringComparer.Ordinal).SelectMany(d => d.Value)]));

    private sealed record Snapshot(
        IReadOnlyList<ApiResource> All,
        Dictionary<(string Group, string Version, string Plural), ApiResource> ByPath,
        IReadOnlyList<ApiGroup> Groups)
    {
        public static Snapshot Build(IReadOnlyList<ApiResource> all)
        {
            var byPath = new Dictionary<(string, string, string), ApiResource>();
            foreach (var resource in all)
            {
                byPath.TryAdd((resource.Group, resource.Version, resource.Plural), resource);
            }

            var groupNames = all.Select(r => r.Group).Distinct().ToList();
            var builtInCount = groupNames.FindIndex(g => all.First(r => r.Group == g).IsCustom);
            var ordered = builtInCount < 0
                ? groupNames
                : [.. groupNames.Take(builtInCount), .. groupNames.Skip(builtInCount).Order(StringComparer.Ordinal)];
            var groups = ordered
                .Select(g => new ApiGroup(g, [.. all.Where(r => r.Group == g).Select(r => r.Version).Distinct().Order(KubeVersionOrder.Instance)]))
                .ToList();
            return new Snapshot(all, byPath, groups);
        }
    }
}
