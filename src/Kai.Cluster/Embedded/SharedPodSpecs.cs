using k8s.Models;

namespace Kai.Cluster.Embedded;

/// <summary>
/// One stored instance of each distinct pod spec. Pods made from one template (a gang's members, a job's replicas, the
/// pods bound to one node from one template) have equal specs; a pod spec has some forty fields, about 340 bytes an
/// instance, and the store kept one per pod: 47 MB of a 140,000-pod cluster's heap (docs/performance.md, "The
/// 140,000-pod peak, second look").
/// </summary>
/// <remarks>
/// Equal is the record's equality: the same scalars and strings, nested records equal field by field, and the very same
/// collection instances (lists and dictionaries are compared by reference), so two equal specs hold the same content.
/// The shared instance is a private shallow copy made by the store, never an instance a caller handed in: a caller that
/// mutates the spec it wrote (which the store's contract forbids) changes no stored pod. Stored objects are never
/// mutated — the store's writes replace a pod's spec (bind makes a new one) — so sharing changes nothing but memory.
/// Specs of pods that no longer exist are dropped when the set has grown to twice its size after the last clean-up.
/// </remarks>
internal sealed class SharedPodSpecs
{
    /// <summary>Fewest specs before a clean-up: a small cluster never pays for one.</summary>
    private const int MinimumBeforeCleanUp = 1024;

    private readonly HashSet<V1PodSpec> _specs = [];
    private int _cleanUpAt = MinimumBeforeCleanUp;

    /// <summary>Distinct specs held.</summary>
    public int Count => _specs.Count;

    /// <summary>Whether the set has grown enough since the last clean-up that specs of deleted pods may be dropped.</summary>
    public bool CleanUpDue => _specs.Count >= _cleanUpAt;

    /// <summary>The shared instance equal to <paramref name="spec"/>; the first time, a private copy of it becomes that instance.</summary>
    public V1PodSpec Share(V1PodSpec spec)
    {
        if (_specs.TryGetValue(spec, out var shared))
        {
            return shared;
        }

        shared = spec with { };
        _specs.Add(shared);
        return shared;
    }

    /// <summary>Keeps only the specs of <paramref name="pods"/> (the stored pods, whose specs are the shared instances).</summary>
    public void CleanUp(IEnumerable<V1Pod> pods)
    {
        _specs.Clear();
        foreach (var pod in pods)
        {
            if (pod.Spec is { } spec)
            {
                _specs.Add(spec);
            }
        }

        _specs.TrimExcess();
        _cleanUpAt = Math.Max(MinimumBeforeCleanUp, 2 * _specs.Count);
    }
}
