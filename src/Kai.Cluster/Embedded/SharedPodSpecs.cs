using k8s.Models;

namespace Kai.Cluster.Embedded;

/// <summary>
/// One stored instance of each distinct pod spec, counted by the stored pods that hold it. Pods made from one template
/// (a gang's members, a job's replicas, the pods bound to one node from one template) have equal specs; a pod spec has
/// some forty fields, about 340 bytes an instance, and the store kept one per pod: 47 MB of a 140,000-pod cluster's heap
/// (docs/performance.md, "The 140,000-pod peak, second look").
/// </summary>
/// <remarks>
/// Equal is the record's equality: the same scalars and strings, nested records equal field by field, and the very same
/// collection instances (lists and dictionaries are compared by reference), so two equal specs hold the same content.
/// The shared instance is a shallow copy made by the store: its top-level fields are the store's own, but its lists and
/// nested objects are those of the first writer (and a later writer's equal nested record is not kept). Stored objects
/// and what they reference are never mutated — the store's writes replace a pod's spec (bind makes a new one) — so
/// sharing changes nothing but memory. A spec is dropped when the last stored pod holding it is replaced or deleted.
/// </remarks>
internal sealed class SharedPodSpecs
{
    private readonly Dictionary<V1PodSpec, Holders> _specs = [];

    /// <summary>Distinct specs held.</summary>
    public int Count => _specs.Count;

    /// <summary>
    /// The spec a pod written over <paramref name="previous"/> (null when it is new) stores for <paramref name="spec"/>:
    /// the previous spec itself when the write kept it, else the shared instance equal to <paramref name="spec"/> (the
    /// first time, a copy of it becomes that instance), the previous spec's count released.
    /// </summary>
    public V1PodSpec Share(V1PodSpec spec, V1PodSpec? previous)
    {
        if (ReferenceEquals(spec, previous))
        {
            // Status writes, terminating deletes and kubelet writes keep the stored spec: no hash of forty fields.
            return spec;
        }

        if (!_specs.TryGetValue(spec, out var holders))
        {
            holders = new Holders(spec with { });
            _specs.Add(holders.Spec, holders);
        }

        holders.Count++;
        if (previous is not null)
        {
            Release(previous);
        }

        return holders.Spec;
    }

    /// <summary>One stored pod holding <paramref name="shared"/> (a shared instance) is gone.</summary>
    public void Release(V1PodSpec shared)
    {
        if (_specs.TryGetValue(shared, out var holders) && ReferenceEquals(holders.Spec, shared) && --holders.Count == 0)
        {
            _specs.Remove(shared);
        }
    }

    /// <summary>A shared spec and how many stored pods hold it.</summary>
    private sealed class Holders(V1PodSpec spec)
    {
        public V1PodSpec Spec { get; } = spec;

        public int Count { get; set; }
    }
}
