using System.Buffers;
using System.Runtime.CompilerServices;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Framework;

/// <summary>
/// A snapshot's pods charged to the session's books before anything is decided: each pod's status and node, each
/// node's idle, releasing and used resources and its pods, each gang's counts, each queue's allocation and request,
/// and the total the queues share. Built once per snapshot and kept with it; a snapshot carried over from the
/// previous one (<see cref="SnapshotCarryOver"/>) patches the previous snapshot's books with the pods that changed
/// instead of charging every pod again. Immutable: every session copies what it changes, so a cycle's statements
/// never reach the next cycle's books (only what the cluster then reports does, through the next snapshot).
/// </summary>
/// <remarks>
/// Shared GPUs are not here: their groups are mutable objects, so each session books its sharers (<see cref="Sharers"/>)
/// itself, in pod order, as a from-scratch session would.
/// </remarks>
internal sealed class StartingBooks
{
    private StartingBooks(ClusterSnapshot snapshot, PodFacts pods, NodeCharge[] nodeCharges, QueueCharges queues, long minGpuMemoryMiB)
    {
        Status = pods.Status;
        Node = pods.Node;
        SharesGpus = pods.SharesGpus;
        PodsWithClaims = pods.WithClaims;
        NodeCharges = nodeCharges;
        Queues = queues;
        MinGpuMemoryMiB = minGpuMemoryMiB;
        (NodePods, Sharers) = OccupantsOf(snapshot.Nodes.Count, Status, Node, SharesGpus);
        (GangOffsets, GangActiveAllocated, GangPending, GangVersions) = CountGangs(snapshot, Status);
    }

    /// <summary>Each pod's status as read from the cluster.</summary>
    public PodStatus[] Status { get; }

    /// <summary>Each pod's node (-1 for none, and for pending and gated pods).</summary>
    public int[] Node { get; }

    /// <summary>Whether each pod shares GPUs (kept so that patching reads only the pods that changed).</summary>
    public bool[] SharesGpus { get; }

    /// <summary>How many pods have DRA claims (the session keeps a DRA book only when some do).</summary>
    public int PodsWithClaims { get; }

    /// <summary>Each node's books without shared GPUs.</summary>
    public NodeCharge[] NodeCharges { get; }

    /// <summary>Each node's pods that occupy it (active-used), in pod order.</summary>
    public int[][] NodePods { get; }

    /// <summary>Pods that share GPUs and occupy a node, in pod order: each session books their GPU groups.</summary>
    public int[] Sharers { get; }

    public QueueCharges Queues { get; }

    /// <summary>Where each group's pod sets start in the flat gang counts (one more entry: the end).</summary>
    public int[] GangOffsets { get; }

    public int[] GangActiveAllocated { get; }

    public int[] GangPending { get; }

    /// <summary>Each group's gang version: one per member charged (what a from-scratch session counts).</summary>
    public int[] GangVersions { get; }

    /// <summary>The smallest per-GPU memory of the nodes that publish it (see <see cref="Session.MinGpuMemoryMiB"/>).</summary>
    public long MinGpuMemoryMiB { get; }

    /// <summary>The snapshot's books: kept with it, patched from the previous snapshot's when it was carried over from one that has them.</summary>
    public static StartingBooks Of(ClusterSnapshot snapshot)
    {
        lock (snapshot.BooksLock)
        {
            if (snapshot.Books is { } books)
            {
                return books;
            }

            var carry = snapshot.CarriedFrom;
            var changedNodes = carry is not null && carry.SameNodeNames(snapshot.Nodes) ? carry.ChangedNodes(snapshot.Nodes) : null;
            books = carry?.Previous.Books is { } previous && CanPatch(carry, snapshot, previous, changedNodes)
                ? Patch(previous, carry, snapshot, changedNodes)
                : Charge(snapshot);
            snapshot.Books = books;
            // The previous snapshot is no longer needed for this one (and must not be kept alive by it).
            carry?.Release();
            snapshot.CarriedFrom = null;
            return books;
        }
    }

    /// <summary>
    /// Patching needs the same nodes at the same indices (objects may differ: a node whose mapping changed has its
    /// pods charged again), the same smallest per-GPU memory (pending pods' requests read it) and the same queue tree
    /// (names and parents at the same indices; the books read nothing else of a queue, whose status changes every cycle).
    /// When more than a quarter of the nodes changed, charging every pod is cheaper than taking most of them off and
    /// charging them again.
    /// </summary>
    private static bool CanPatch(SnapshotCarryOver carry, ClusterSnapshot snapshot, StartingBooks previous, bool[]? changedNodes)
    {
        var before = carry.Previous;
        if (!carry.SameNodeNames(snapshot.Nodes) || before.Queues.Count != snapshot.Queues.Count
            || (changedNodes is not null && changedNodes.Count(c => c) * 4 > changedNodes.Length))
        {
            return false;
        }

        for (var q = 0; q < snapshot.Queues.Count; q++)
        {
            if (before.Queues[q].Name != snapshot.Queues[q].Name || before.ParentOf(q) != snapshot.ParentOf(q))
            {
                return false;
            }
        }

        return changedNodes is null || MinimumGpuMemory(snapshot) == previous.MinGpuMemoryMiB;
    }

    /// <summary>Charges every pod of the snapshot (the first snapshot, or one whose nodes or queues changed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static StartingBooks Charge(ClusterSnapshot snapshot)
    {
        var pods = new PodFacts(snapshot.Pods.Count);
        var nodeCharges = new NodeCharge[snapshot.Nodes.Count];
        for (var n = 0; n < nodeCharges.Length; n++)
        {
            nodeCharges[n] = NodeCharge.Empty(snapshot.Nodes[n]);
        }

        var queues = QueueCharges.Empty(snapshot);
        var minGpuMemory = MinimumGpuMemory(snapshot);
        for (var p = 0; p < pods.Status.Length; p++)
        {
            pods.Start(snapshot, p);
            pods.WithClaims += Add(snapshot, p, pods.Status[p], pods.Node[p], nodeCharges, queues, minGpuMemory, sign: 1);
        }

        return new StartingBooks(snapshot, pods, nodeCharges, queues, minGpuMemory);
    }

    /// <summary>
    /// The previous snapshot's books with the pods that left taken off and the pods that arrived (or changed, or
    /// whose group or node changed) charged: work in proportion to the changes, plus array passes over the pods.
    /// </summary>
    private static StartingBooks Patch(StartingBooks previous, SnapshotCarryOver carry, ClusterSnapshot snapshot, bool[]? changedNodes)
    {
        var pods = new PodFacts(snapshot.Pods.Count) { WithClaims = previous.PodsWithClaims };
        var nodeCharges = (NodeCharge[])previous.NodeCharges.Clone();
        var queues = previous.Queues.Copy();
        var (kept, from) = KeepUnchanged(previous, carry, snapshot, changedNodes, pods);
        try
        {
            Recharge(previous, carry, snapshot, changedNodes, (pods, kept, from), nodeCharges, queues);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(kept);
            ArrayPool<int>.Shared.Return(from);
        }

        // The same smallest GPU memory (CanPatch).
        return new StartingBooks(snapshot, pods, nodeCharges, queues, previous.MinGpuMemoryMiB);
    }

    /// <summary>
    /// Takes the previous pods that were not kept off the books, starts changed nodes' books again from their new
    /// capacity, and charges the pods that were not kept over.
    /// </summary>
    private static void Recharge(StartingBooks previous, SnapshotCarryOver carry, ClusterSnapshot snapshot, bool[]? changedNodes, (PodFacts Facts, bool[] Kept, int[] From) pods, NodeCharge[] nodeCharges, QueueCharges queues)
    {
        var before = carry.Previous;
        var minGpuMemory = previous.MinGpuMemoryMiB;
        var facts = pods.Facts;
        for (var o = 0; o < before.Pods.Count; o++)
        {
            if (!pods.Kept[o])
            {
                facts.WithClaims -= Add(before, o, previous.Status[o], previous.Node[o], nodeCharges, queues, minGpuMemory, sign: -1);
            }
        }

        // Every pod of a changed node was taken off above: its books start again from its new capacity.
        for (var n = 0; changedNodes is not null && n < changedNodes.Length; n++)
        {
            if (changedNodes[n])
            {
                nodeCharges[n] = NodeCharge.Empty(snapshot.Nodes[n]);
                queues.ReplaceNode(before.Nodes[n], snapshot.Nodes[n]);
            }
        }

        for (var p = 0; p < facts.Status.Length; p++)
        {
            if (pods.From[p] < 0)
            {
                facts.Start(snapshot, p);
                facts.WithClaims += Add(snapshot, p, facts.Status[p], facts.Node[p], nodeCharges, queues, minGpuMemory, sign: 1);
            }
        }
    }

    /// <summary>
    /// Takes each pod's facts over from the previous books when it is kept (<see cref="IsKept"/>, and not on a node
    /// whose mapping changed); returns which previous pods were kept and, per pod, its previous index (-1: charge it):
    /// pooled arrays, at least as long as the previous pods and the pods, for the caller to return.
    /// </summary>
    private static (bool[] Kept, int[] From) KeepUnchanged(StartingBooks previous, SnapshotCarryOver carry, ClusterSnapshot snapshot, bool[]? changedNodes, PodFacts pods)
    {
        var kept = ArrayPool<bool>.Shared.Rent(carry.Previous.Pods.Count);
        Array.Clear(kept, 0, carry.Previous.Pods.Count);
        var from = ArrayPool<int>.Shared.Rent(pods.Status.Length);
        for (var p = 0; p < pods.Status.Length; p++)
        {
            // The same pod object twice (a source's mistake) is charged twice, as from scratch: only one is kept.
            var o = IsKept(carry, snapshot, p);
            var onChangedNode = o >= 0 && changedNodes is not null && previous.Node[o] is var n and >= 0 && changedNodes[n];
            from[p] = o >= 0 && !kept[o] && !onChangedNode ? o : -1;
            if (from[p] >= 0)
            {
                kept[o] = true;
                pods.Status[p] = previous.Status[o];
                pods.Node[p] = previous.Node[o];
                pods.SharesGpus[p] = previous.SharesGpus[o];
            }
        }

        return (kept, from);
    }

    /// <summary>
    /// The previous index of pod <paramref name="pod"/> when everything its charges depend on is as then (the same pod
    /// object, in the same group object — whose queue and preemptibility it is charged by — on the same nodes), else -1.
    /// </summary>
    private static int IsKept(SnapshotCarryOver carry, ClusterSnapshot snapshot, int pod)
    {
        var o = carry.PodFrom[pod];
        if (o < 0)
        {
            return -1;
        }

        var before = carry.Previous;
        var group = snapshot.GroupOf(pod);
        var groupBefore = before.GroupOf(o);
        if (group < 0 || groupBefore < 0)
        {
            return group == groupBefore ? o : -1;
        }

        return carry.GroupMap[groupBefore] == group && ReferenceEquals(before.Groups[groupBefore], snapshot.Groups[group])
            && before.QueueOf(groupBefore) == snapshot.QueueOf(group) ? o : -1;
    }

    /// <summary>Per pod, what the books start from: status, node, whether it shares GPUs; and how many pods have DRA claims.</summary>
    private sealed class PodFacts(int pods)
    {
        public PodStatus[] Status { get; } = new PodStatus[pods];

        public int[] Node { get; } = new int[pods];

        public bool[] SharesGpus { get; } = new bool[pods];

        public int WithClaims { get; set; }

        /// <summary>Reads a pod's status and node as a session starts with them (no node while pending or gated).</summary>
        public void Start(ClusterSnapshot snapshot, int pod)
        {
            var definition = snapshot.Pods[pod];
            Status[pod] = definition.Status;
            Node[pod] = definition.Status is PodStatus.Pending or PodStatus.Gated ? -1 : snapshot.NodeOf(pod);
            SharesGpus[pod] = definition.Gpu.IsShared;
        }
    }

    /// <summary>
    /// Charges (<paramref name="sign"/> 1) or takes off (-1) what a pod of <paramref name="snapshot"/> counts: on its
    /// node, in its queue's allocation and request, and, for another scheduler's pod, against the queues' total.
    /// </summary>
    /// <returns>1 when the pod has DRA claims, else 0.</returns>
    private static int Add(ClusterSnapshot snapshot, int pod, PodStatus status, int node, NodeCharge[] nodeCharges, QueueCharges queues, long minGpuMemory, int sign)
    {
        var definition = snapshot.Pods[pod];
        if (status.IsActiveUsed() && node >= 0)
        {
            nodeCharges[node] = sign > 0 ? nodeCharges[node].With(definition.Request, status) : nodeCharges[node].Without(definition.Request, status);
        }

        var group = snapshot.GroupOf(pod);
        var queue = group >= 0 ? snapshot.QueueOf(group) : -1;
        var allocated = status.IsActiveAllocated();
        if (queue >= 0 && allocated)
        {
            var accepted = node >= 0 ? GpuAccounting.Accepted(definition, snapshot.Nodes[node].GpuMemoryMiB) : GpuAccounting.QueueRequest(definition);
            queues.Charge(snapshot, queue, accepted.QueueResources, nonPreemptible: !snapshot.Groups[group].Preemptible, sign);
        }
        else if (queue >= 0 && status == PodStatus.Pending)
        {
            queues.ChargeRequested(snapshot, queue, GpuAccounting.PendingQueueRequest(definition, minGpuMemory).QueueResources, sign);
        }

        if (node >= 0 && allocated && !definition.IsScheduledByUs && !definition.IsGpuReservation
            && snapshot.Nodes[node] is { IsSchedulable: true, UnderPressure: false })
        {
            queues.ChargeForeign(definition.Request.QueueResources, sign);
        }

        return definition.Claims.Count > 0 ? 1 : 0;
    }

    /// <summary>Each node's occupying pods in pod order, and the pods among them that share GPUs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[][] NodePods, int[] Sharers) OccupantsOf(int nodes, PodStatus[] status, int[] node, bool[] sharesGpus)
    {
        var counts = new int[nodes];
        for (var p = 0; p < status.Length; p++)
        {
            if (node[p] >= 0 && status[p].IsActiveUsed())
            {
                counts[node[p]]++;
            }
        }

        var nodePods = new int[counts.Length][];
        for (var n = 0; n < counts.Length; n++)
        {
            nodePods[n] = counts[n] == 0 ? [] : new int[counts[n]];
            counts[n] = 0;
        }

        var sharers = new List<int>();
        for (var p = 0; p < status.Length; p++)
        {
            if (node[p] >= 0 && status[p].IsActiveUsed())
            {
                nodePods[node[p]][counts[node[p]]++] = p;
                if (sharesGpus[p])
                {
                    sharers.Add(p);
                }
            }
        }

        return (nodePods, [.. sharers]);
    }

    /// <summary>Every group's counts per pod set, flat, from the pods' statuses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Offsets, int[] ActiveAllocated, int[] Pending, int[] Versions) CountGangs(ClusterSnapshot snapshot, PodStatus[] status)
    {
        var groups = snapshot.Groups.Count;
        var offsets = new int[groups + 1];
        for (var g = 0; g < groups; g++)
        {
            offsets[g + 1] = offsets[g] + snapshot.PodSetsOf(g).Count;
        }

        var activeAllocated = new int[offsets[groups]];
        var pending = new int[offsets[groups]];
        var versions = new int[groups];
        for (var p = 0; p < status.Length; p++)
        {
            var group = snapshot.GroupOf(p);
            if (group < 0)
            {
                continue;
            }

            var at = offsets[group] + snapshot.PodSetIndexOf(p);
            versions[group]++;
            activeAllocated[at] += status[p].IsActiveAllocated() ? 1 : 0;
            pending[at] += status[p] == PodStatus.Pending ? 1 : 0;
        }

        return (offsets, activeAllocated, pending, versions);
    }

    private static long MinimumGpuMemory(ClusterSnapshot snapshot)
    {
        var min = long.MaxValue;
        foreach (var node in snapshot.Nodes)
        {
            if (node.GpuMemorySynced && node.Allocatable.Gpu > 0)
            {
                min = Math.Min(min, node.GpuMemoryMiB);
            }
        }

        return min == long.MaxValue ? Model.Node.DefaultGpuMemoryMiB : min;
    }
}
