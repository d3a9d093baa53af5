namespace Kai.Cluster.Manifests;

/// <summary>Kubernetes' own PriorityClasses: every API server creates them, and names starting with <c>system-</c> are reserved for them.</summary>
public static class SystemPriorityClasses
{
    public const string Prefix = "system-";

    /// <summary>The classes and their values.</summary>
    public static IReadOnlyDictionary<string, int> Values { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["system-node-critical"] = 2_000_001_000,
        ["system-cluster-critical"] = 2_000_000_000,
    };
}
