using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Plugins.Compatibility;

/// <summary>
/// KAI plugin names accepted so that KAI's configurations load unchanged, although no plugin stands behind them
/// here. Listing one in a configuration gives a warning that says exactly what it does (or does not do).
/// </summary>
internal static class KaiCompatibilityNames
{
    public const string SubGroupOrder = "subgrouporder";
    public const string Snapshot = "snapshot";

    private const string NotImplemented = "is accepted for compatibility with KAI but not implemented, so it has no effect";

    public static void Register(PluginRegistryBuilder registry) => registry
        .AddCompatibilityName(SubGroupOrder, "is accepted for compatibility with KAI; its ordering (unsatisfied sub-groups first, then the least satisfied) is built into the allocation quantum and always on, so listing it changes nothing.")
        .AddCompatibilityName(Snapshot, $"{NotImplemented}: KAI's snapshot plugin serves a debugging endpoint, which this scheduler does not have.");
}
