using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// One cycle's immutable, linked view of the cluster. Objects are addressed by dense indices (nodes sorted
/// by name, so index order is name order); the session keeps its mutable state in arrays of the same size.
/// </summary>
public sealed class ClusterSnapshot
{
    internal ClusterSnapshot(
        DateTimeOffset now,
        ResourceCatalog catalog,
        Node[] nodes,
        Pod[] pods,
        PodGroup[] groups,
        Queue[] queues,
        SnapshotLinks links,
        IReadOnlyList<SnapshotIssue> issues,
        TopologyDomains[]? topologies = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? namespaceLabels = null)
    {
        Topologies = topologies ?? [];
        _namespaceLabels = namespaceLabels ?? new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        Now = now;
        Catalog = catalog;
        Nodes = nodes;
        Pods = pods;
        Groups = groups;
        Queues = queues;
        Links = links;
        Issues = issues;
    }

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _namespaceLabels;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _implicitNamespaceLabels = new(StringComparer.Ordinal);

    public DateTimeOffset Now { get; }

    public ResourceCatalog Catalog { get; }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<Pod> Pods { get; }

    public IReadOnlyList<PodGroup> Groups { get; }

    /// <summary>Valid queues only (a queue with a missing parent or in a cycle is left out, see <see cref="Issues"/>).</summary>
    public IReadOnlyList<Queue> Queues { get; }

    public IReadOnlyList<SnapshotIssue> Issues { get; }

    /// <summary>The cluster's topologies laid over its nodes, by name.</summary>
    public IReadOnlyList<TopologyDomains> Topologies { get; }

    internal SnapshotLinks Links { get; }

    /// <summary>Guards <see cref="Books"/> and <see cref="CarriedFrom"/> (sessions over one snapshot may start on several threads).</summary>
    internal object BooksLock { get; } = new();

    /// <summary>The session's starting books of this snapshot, once a session computed them (then kept for the next snapshot).</summary>
    internal Framework.StartingBooks? Books { get; set; }

    /// <summary>The previous snapshot this one carried links over from, until its books are computed (then let go).</summary>
    internal SnapshotCarryOver? CarriedFrom { get; set; }

    /// <summary>Whether some pod has inter-pod affinity terms that score other pods' nodes (required affinity, or preferred terms).</summary>
    public bool AnyPodScoresOthers => Links.AffinityCounts.ScoringOthers > 0;

    /// <summary>Whether some pod has required anti-affinity terms.</summary>
    public bool AnyPodRequiresAntiAffinity => Links.AffinityCounts.RequiringAntiAffinity > 0;

    /// <summary>Node index of a pod, or -1.</summary>
    public int NodeOf(int pod) => Links.PodNode[pod];

    /// <summary>Group index of a pod, or -1 when it belongs to no known group.</summary>
    public int GroupOf(int pod) => Links.PodGroup[pod];

    /// <summary>Leaf queue index of a group, or -1 when the queue does not exist or is not a leaf.</summary>
    public int QueueOf(int group) => Links.GroupQueue[group];

    public IReadOnlyList<PodSet> PodSetsOf(int group) => Links.GroupPodSets[group];

    public int PodSetIndexOf(int pod) => Links.PodPodSet[pod];

    /// <summary>The group's sub-group tree, or null when neither the group nor any sub-group has a topology constraint.</summary>
    public SubGroupSet? SubGroupTreeOf(int group) => Links.GroupTrees[group];

    /// <summary>The topology of that name, or null.</summary>
    public TopologyDomains? FindTopology(string name)
    {
        foreach (var topology in Topologies)
        {
            if (string.Equals(topology.Name, name, StringComparison.Ordinal))
            {
                return topology;
            }
        }

        return null;
    }

    public int[] MembersOf(int group) => Links.GroupMembers[group];

    /// <summary>Parent queue index, or -1 for a top-level queue.</summary>
    public int ParentOf(int queue) => Links.QueueParent[queue];

    /// <summary>The top-level queue <paramref name="queue"/> is under (itself when it is one).</summary>
    public int TopLevelOf(int queue)
    {
        var parents = Links.QueueParent;
        while (parents[queue] >= 0)
        {
            queue = parents[queue];
        }

        return queue;
    }

    public int[] ChildrenOf(int queue) => Links.QueueChildren[queue];

    public int[] TopLevelQueues => Links.TopLevelQueues;

    public bool IsLeaf(int queue) => Links.QueueChildren[queue].Length == 0;

    public int FindNode(string name) => Links.NodeByName.GetValueOrDefault(name, -1);

    public int FindQueue(string name) => Links.QueueByName.GetValueOrDefault(name, -1);

    public int FindNode(NodeName name) => FindNode(name.Value);

    public int FindQueue(QueueKey queue) => FindQueue(queue.Name);

    /// <summary>The group's index, or -1 (a binary search: groups are sorted by namespace, then name; the first of equal keys).</summary>
    public int FindGroup(PodGroupKey group) => SnapshotBuilder.FindGroup(Links.SortedGroups, group.Namespace, group.Name);

    public int FindGroup(string @namespace, string name) => FindGroup(new PodGroupKey(@namespace, name));

    /// <summary>
    /// A namespace's labels: those of its object, else only <c>kubernetes.io/metadata.name</c> (which Kubernetes
    /// gives every namespace). Not thread-safe for namespaces without an object (their sets are made on first use).
    /// </summary>
    public IReadOnlyDictionary<string, string> NamespaceLabelsOf(string @namespace)
    {
        if (_namespaceLabels.TryGetValue(@namespace, out var labels))
        {
            return labels;
        }

        if (!_implicitNamespaceLabels.TryGetValue(@namespace, out labels))
        {
            labels = new Dictionary<string, string>(StringComparer.Ordinal) { [NamespaceNameLabel] = @namespace };
            _implicitNamespaceLabels[@namespace] = labels;
        }

        return labels;
    }

    /// <summary>The label Kubernetes sets on every namespace to its name.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    /// <summary>The queue and its ancestors, leaf first (a struct enumerable: walking it allocates nothing).</summary>
    public QueuePath QueueAndAncestors(int queue) => new(Links.QueueParent, queue);
}

/// <summary>Index arrays that link a snapshot's objects.</summary>
internal sealed class SnapshotLinks
{
    public required int[] PodNode { get; init; }

    public required int[] PodGroup { get; init; }

    public required int[] PodPodSet { get; init; }

    public required int[] GroupQueue { get; init; }

    public required PodSet[][] GroupPodSets { get; init; }

    public required int[][] GroupMembers { get; init; }

    public required int[] QueueParent { get; init; }

    public required int[][] QueueChildren { get; init; }

    public required int[] TopLevelQueues { get; init; }

    public required Dictionary<string, int> NodeByName { get; init; }

    public required Dictionary<string, int> QueueByName { get; init; }

    /// <summary>Per pod, <see cref="AffinityFlags"/> (carried over with the pod, so that no cycle reads every pod for them).</summary>
    public required byte[] PodAffinity { get; init; }

    public required (int ScoringOthers, int RequiringAntiAffinity) AffinityCounts { get; init; }

    /// <summary>The groups, sorted by namespace and name (the snapshot's group order).</summary>
    public required PodGroup[] SortedGroups { get; init; }

    /// <summary>Each group's pods by name, in pod order, before sub-groups are formed (what the next snapshot compares).</summary>
    public required int[][] LinkedMembers { get; init; }

    /// <summary>Issues found while forming each group's pod sets (null: none), kept for a next snapshot that carries the group over.</summary>
    public required SnapshotIssue[]?[] GroupIssues { get; init; }

    public required SubGroupSet?[] GroupTrees { get; init; }
}
