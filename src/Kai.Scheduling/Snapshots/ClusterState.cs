using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// The engine's input: every node, pod, pod group and queue the adapter knows, unlinked. The
/// <see cref="SnapshotBuilder"/> links them into a <see cref="ClusterSnapshot"/>.
/// </summary>
public sealed record ClusterState(
    IReadOnlyList<Node> Nodes,
    IReadOnlyList<Pod> Pods,
    IReadOnlyList<PodGroup> PodGroups,
    IReadOnlyList<Queue> Queues,
    DateTimeOffset Now,
    ResourceCatalog Catalog)
{
    /// <summary>
    /// Labels of the namespaces that exist as objects, by name (what affinity terms' namespace selectors read).
    /// A namespace without an object has only its <c>kubernetes.io/metadata.name</c> label.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> NamespaceLabels { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);

    /// <summary>KAI Topology objects (kai.scheduler/v1alpha1); pod groups name them in their topology constraints.</summary>
    public IReadOnlyList<Topology> Topologies { get; init; } = [];

    /// <summary>
    /// For each pod, its index in the previous state the same source produced when the pod is the very same object
    /// as then, else -1; null when the source does not know. Lets <see cref="SnapshotBuilder"/> carry the previous
    /// snapshot's links over instead of linking every pod again (it checks the reference, so a wrong index costs
    /// only time).
    /// </summary>
    public IReadOnlyList<int>? PreviousPodIndex { get; init; }

    /// <summary>
    /// The source keeps nodes sorted by name and pod groups by namespace, then name, without duplicates (a cache
    /// that keeps them so): the builder need not check the order.
    /// </summary>
    public bool InSnapshotOrder { get; init; }
}
