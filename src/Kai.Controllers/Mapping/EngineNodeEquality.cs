using Kai.Scheduling.Model;

namespace Kai.Controllers.Mapping;

/// <summary>
/// Whether two mappings of a node say the same to the engine: every property of <see cref="Node"/> compared by value.
/// A kubelet posts a node's status every few seconds to move its conditions' heartbeat times (and images, addresses),
/// none of which the mapper reads; the cache keeps the mapped node object when the new mapping equals it, so that
/// the next snapshot carries the node's books over instead of charging its pods again.
/// </summary>
/// <remarks>A property added to <see cref="Node"/> must be compared here: a test changes each property in turn.</remarks>
internal static class EngineNodeEquality
{
    public static bool Same(Node a, Node b) =>
        a.Name == b.Name
        && a.Allocatable == b.Allocatable
        && a.Unschedulable == b.Unschedulable
        && a.Ready == b.Ready
        && a.UnderPressure == b.UnderPressure
        && a.GpuCount == b.GpuCount
        && a.GpuMemoryMiB == b.GpuMemoryMiB
        && a.GpuMemorySynced == b.GpuMemorySynced
        && a.MigEnabled == b.MigEnabled
        && a.MigStrategy == b.MigStrategy
        && SameLabels(a.Labels, b.Labels)
        && a.Taints.SequenceEqual(b.Taints)
        && a.MigProfiles.SequenceEqual(b.MigProfiles)
        && a.DraDevices.SequenceEqual(b.DraDevices);

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
