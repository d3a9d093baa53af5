using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Finds the node a pod goes to: the highest-scoring node (scores summed over the score plugins, ties by
/// node name) among the nodes that fit and pass every predicate, as KAI does.
/// </summary>
/// <remarks>
/// When the score plugins' shapes compose into tiers (<see cref="NodeScoreTiers"/>; KAI's: 1000 a shared GPU fits
/// &gt; 100 fits on idle &gt; 10 CPU pod on CPU node &gt; 0–9 placement), the best node is the first fitting node of a
/// walk over the <see cref="NodeIndex"/>, tier combination by tier combination (bonuses earned first, the highest
/// tier deciding), each in the ordering score's order. Otherwise — or for a pod a selective score plugin scores
/// (<see cref="ISelectiveNodeScore"/>: affinity preferences, a nominated node) — every node is scored and sorted.
/// A property test checks that both give the same node.
/// <para>A pod that shares GPUs fits a node by its devices (<see cref="SharedGpuFit"/>): whole free GPUs, or open GPU
/// groups with room for its share. The walks for it read the index's room buckets (nodes with such a group) and the
/// GPU order from the bound of its devices in whole GPUs, so it never scans full nodes either. Its GPUs on the chosen
/// node come with the placement (<see cref="SharedGpuChoice"/>).</para>
/// </remarks>
internal static partial class NodeSearch
{
    /// <summary>The chosen node, whether the pod fits there on idle capacity (else it must be pipelined), and for a pod that shares GPUs the GPUs it takes.</summary>
    public readonly record struct Placement(int Node, bool FitsIdle, SharedGpuChoice? Gpus = null)
    {
        public static Placement None => new(-1, false);

        public bool Found => Node >= 0;

        /// <summary>Whether the pod binds now: it fits idle capacity and takes no releasing GPU share.</summary>
        public bool CanBind => FitsIdle && Gpus is not { Releasing: true };
    }

    public static Placement Find(Session session, int pod, bool forceFullScan = false) =>
        session.Plugins.ScoreTiers.Indexed && !forceFullScan && !session.Plugins.ScoresSelectively(session, pod)
            ? FindIndexed(session, pod, NodeFilter.None)
            : FindByScoringAll(session, pod);

    private static Placement FindIndexed(Session session, int pod, in NodeFilter filter)
    {
        var trail = SearchTrail.None;
        return FindIndexed(session, pod, filter, ref trail);
    }

    /// <summary>
    /// The indexed search, tier combination by tier combination. With a <paramref name="trail"/> left by the search for a
    /// pod of the same shape that was then placed on the node it found, the combinations before the one it found in and
    /// the part of that one's walk before the node are not walked again (see <see cref="SearchTrail"/>); the trail is
    /// set to this search's outcome.
    /// </summary>
    private static Placement FindIndexed(Session session, int pod, in NodeFilter filter, ref SearchTrail trail)
    {
        var plan = TierPlan.For(session, pod);
        var continues = trail.ContinuesTo(session, pod, plan);
        if (continues)
        {
            session.ContinuedNodeSearches++;
        }

        for (var earned = plan.FirstCombination; earned >= 0; earned--)
        {
            var walk = plan.WalkFor(pod, earned, filter);
            Placement found;
            var atHead = false;
            if (FitsIdleNowhere(session, walk, plan))
            {
                // Every node of the walk would turn the pod down: none has the idle capacity it must fit in.
                session.IdleWalksSkipped++;
                continue;
            }

            if (continues && earned > trail.Earned)
            {
                found = AcceptsFoundNodeAgain(session, walk, plan, trail);
            }
            else if (continues && earned == trail.Earned)
            {
                found = WalkOnFrom(session, walk, plan, trail);
            }
            else
            {
                found = plan.Shared
                    ? WalkShared(session, walk, plan.Strategy, plan.Mask, walk.Pattern, session.Plugins.ScoreTiers.HasSharedGpuTier)
                    : Walk(session, walk, plan.Order(session.NodeIndex, walk.Pattern), plan.Strategy, plan.Need, out atHead);
            }

            if (found.Found)
            {
                // A trail saves only the nodes walked before the one found: none when the first walk's first node took the
                // pod (then the next search is as short without it). A pod that sits on a node (an evicted pod placed again
                // in a simulation) leaves it when placed: two nodes change, so it leaves no trail.
                var worthKeeping = continues || earned != plan.FirstCombination || !atHead;
                trail = !worthKeeping || plan.Shared || session.NodeOf(pod) >= 0
                    ? SearchTrail.None
                    : new SearchTrail(pod, earned, session.NodeIndex.RankOf(plan.Resource, found.Node), plan);
                return found;
            }
        }

        trail = SearchTrail.None;
        return Placement.None;
    }

    /// <summary>
    /// Whether a walk that requires the pod to fit on idle capacity cannot find a node: the pod needs more of the placement
    /// resource than any node has idle (<see cref="NodeIndex.LargestIdle"/>), and <see cref="Accepts"/> compares its whole
    /// request with the node's idle capacity. Not for pods that share GPUs (they fit by their devices). On a nearly full
    /// cluster such walks read hundreds of nodes with enough free (idle plus releasing) capacity, each turned down.
    /// </summary>
    private static bool FitsIdleNowhere(Session session, in WalkRequest walk, in TierPlan plan)
    {
        if (!walk.RequireIdle || plan.Shared || !session.SkipsWalksWhereNothingFitsIdle)
        {
            return false;
        }

        var need = plan.Resource == PlacementResource.Gpu ? walk.Request.Gpu : walk.Request.Cpu;
        return need > session.NodeIndex.LargestIdle(plan.Resource);
    }

    /// <summary>
    /// The walk for a pod that shares GPUs. Nodes where it joins an open group come from the room buckets; nodes
    /// where it opens groups on whole free GPUs from the GPU order bounded below by its devices. With a shared-GPU
    /// tier, the nodes of the room buckets were all tried first (its combinations come first), so the other
    /// combinations need only the bounded order; without one, both are merged into one order.
    /// </summary>
    private static Placement WalkShared(Session session, in WalkRequest walk, PlacementStrategy strategy, int mask, int pattern, bool sharedTier)
    {
        var index = session.NodeIndex;
        var gpu = session.Snapshot.Pods[walk.Pod].Gpu;

        // A fraction of h hundredths fits a group exactly when the group's room bucket is h or more; memory depends
        // on each node's device memory, so every bucket is a candidate then.
        var hundredths = gpu.Kind == GpuRequestKind.Fraction ? (int)(gpu.PortionMilli / 10) : 0;
        var withRoom = Partition(index, index.WithSharedRoom(strategy, hundredths), mask, pattern);
        if (walk.RequireShared)
        {
            return Walk(session, walk, withRoom);
        }

        var wholeGpus = index.Ordered(PlacementResource.Gpu, strategy, mask, pattern);
        var need = gpu.Devices * ResourceVector.MilliPerGpu;
        return sharedTier
            ? Walk(session, walk, wholeGpus, strategy, need, out _)
            : Walk(session, walk, NodeRankMerge.Merge([Bounded(wholeGpus, strategy, need), withRoom], NodeRankComparer.For(strategy)));
    }

    private static IEnumerable<NodeRank> Partition(NodeIndex index, IEnumerable<NodeRank> nodes, int mask, int pattern)
    {
        foreach (var rank in nodes)
        {
            if (index.InPartition(rank.Node, mask, pattern))
            {
                yield return rank;
            }
        }
    }

    private static long Need(in ResourceVector request, PlacementResource resource) => resource == PlacementResource.Gpu ? request.Gpu : request.Cpu;

    /// <summary>
    /// Binpack order is by free amount, so nodes with less than the pod needs are skipped with a lower bound.
    /// (Ranks with Total 1 stand for "has the resource"; nodes without it sort after and cannot hold need &gt; 0.)
    /// </summary>
    private static IEnumerable<NodeRank> Bounded(NodeOrder nodes, PlacementStrategy strategy, long need) =>
        strategy == PlacementStrategy.Binpack && need > 0 ? nodes.Between(LowerBound(need), UpperBound) : nodes;

    private static NodeRank LowerBound(long need) => new(need, 1, int.MinValue);

    private static readonly NodeRank UpperBound = new(long.MaxValue, 1, int.MaxValue);

    /// <param name="atHead">Whether the walk's first node took the pod.</param>
    private static Placement Walk(Session session, in WalkRequest walk, NodeOrder nodes, PlacementStrategy strategy, long need, out bool atHead)
    {
        var bounded = strategy == PlacementStrategy.Binpack && need > 0;
        atHead = false;

        // The first candidate usually fits: found without an enumerator.
        var first = bounded ? nodes.FirstBetween(LowerBound(need), UpperBound) : nodes.Min;
        if (first is not { } head)
        {
            return Placement.None;
        }

        var found = Accepts(session, walk, head);
        if (found.Found)
        {
            atHead = true;
            return found;
        }

        if (session.WalksNodeOrdersWithCursors)
        {
            var cursor = bounded ? nodes.CursorBetween(LowerBound(need), UpperBound) : nodes.All();
            return WalkPast(session, walk, ref cursor, head.Node);
        }

        foreach (var rank in bounded ? nodes.Between(LowerBound(need), UpperBound) : nodes)
        {
            if (rank.Node != head.Node && Accepts(session, walk, rank) is { Found: true } placement)
            {
                return placement;
            }
        }

        return Placement.None;
    }

    /// <summary>The rest of <see cref="Walk(Session, in WalkRequest, NodeOrder, PlacementStrategy, long, out bool)"/> on a cursor: the first node other than the head's that takes the pod.</summary>
    private static Placement WalkPast(Session session, in WalkRequest walk, ref NodeOrder.Cursor cursor, int head)
    {
        while (cursor.MoveNext())
        {
            var rank = cursor.Current;
            if (rank.Node != head && Accepts(session, walk, rank) is { Found: true } placement)
            {
                return placement;
            }
        }

        return Placement.None;
    }

    private static Placement Walk(Session session, in WalkRequest walk, IEnumerable<NodeRank> nodes)
    {
        foreach (var rank in nodes)
        {
            if (Accepts(session, walk, rank) is { Found: true } placement)
            {
                return placement;
            }
        }

        return Placement.None;
    }

    private static Placement Accepts(Session session, in WalkRequest walk, NodeRank rank)
    {
        if (!walk.Filter.Admits(rank.Node))
        {
            return Placement.None;
        }

        var node = session.NodeAt(rank.Node);
        if (session.Snapshot.Pods[walk.Pod].Gpu.IsShared)
        {
            return AcceptsShared(session, walk.Pod, node, walk.RequireIdle, walk.RequireShared);
        }

        // Fit on idle + releasing first: idle alone can overstate what is free once pipelined pods reserved
        // releasing capacity here.
        var request = walk.Request;
        if (!request.FitsIn(node.Free))
        {
            return Placement.None;
        }

        // A pod whose claims would take devices still being released waits for them like for releasing capacity.
        var fitsIdle = request.FitsIn(node.Idle) && session.ClaimsFitIdle(walk.Pod, rank.Node);
        return (!walk.RequireIdle || fitsIdle) && PassesPredicates(session, walk.Pod, rank.Node)
            ? new Placement(rank.Node, fitsIdle)
            : Placement.None;
    }

    /// <summary>
    /// Whether a pod that shares GPUs may go to the node, and with which GPUs: it fits by its devices, gets them in
    /// GPU order, has a pod slot for itself and one per new group's reservation pod, and passes every predicate.
    /// </summary>
    private static Placement AcceptsShared(Session session, int pod, NodeState node, bool requireIdle, bool requireShared)
    {
        if (!SharedGpuFit.FitsFree(session, pod, node))
        {
            return Placement.None;
        }

        var fitsIdle = SharedGpuFit.FitsIdle(session, pod, node) && session.ClaimsFitIdle(pod, node.Index);
        if ((requireIdle && !fitsIdle) || (requireShared && !SharedGpuFit.FitsOpenGroup(session, pod, node)))
        {
            return Placement.None;
        }

        if (SharedGpuPlacement.Choose(session, pod, node, fitsIdle) is not { } choice
            || node.Free.Pods < session.RequestOf(pod).Pods + choice.NewGroups)
        {
            return Placement.None;
        }

        return PassesPredicates(session, pod, node.Index) ? new Placement(node.Index, fitsIdle, choice) : Placement.None;
    }

    private static Placement FindByScoringAll(Session session, int pod)
    {
        var request = session.RequestOf(pod);
        var context = ScoringContext(session, pod);
        var nodes = session.Nodes;
        var scored = new List<(double Score, int Node)>(nodes.Length);
        foreach (var node in nodes)
        {
            if (!session.FeasibilityCache.Check(pod, node.Index).IsSuccess)
            {
                continue;
            }

            var score = 0.0;
            foreach (var scorer in session.Plugins.Scorers)
            {
                score += scorer.Score(session, context, node);
            }

            scored.Add((score, node.Index));
        }

        scored.Sort((a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Node.CompareTo(b.Node));
        var shared = session.Snapshot.Pods[pod].Gpu.IsShared;
        foreach (var (_, n) in scored)
        {
            var node = nodes[n];
            if (shared)
            {
                if (AcceptsShared(session, pod, node, requireIdle: false, requireShared: false) is { Found: true } placement)
                {
                    return placement;
                }
            }
            else if (request.FitsIn(node.Free) && session.Plugins.CheckDynamic(session, pod, node).IsSuccess
                && PassesCapacityOnNode(session, pod, node))
            {
                return new Placement(n, request.FitsIn(node.Idle) && session.ClaimsFitIdle(pod, n));
            }
        }

        return Placement.None;
    }

    /// <summary>The pod's scoring context, with the range of free placement resource over the nodes that have it (binpack normalises over it).</summary>
    private static NodeScoringContext ScoringContext(Session session, int pod)
    {
        var context = NodeScoringContext.For(session, pod);
        var resource = context.Resource;
        long min = long.MaxValue, max = long.MinValue;
        foreach (var node in session.Nodes)
        {
            if (NodeAmounts.Total(node, resource) > 0)
            {
                var free = NodeAmounts.Free(node, resource);
                min = Math.Min(min, free);
                max = Math.Max(max, free);
            }
        }

        return context with { MinFree = min == long.MaxValue ? 0 : min, MaxFree = max == long.MinValue ? 0 : max };
    }

    private static bool PassesPredicates(Session session, int pod, int node) =>
        session.FeasibilityCache.Check(pod, node).IsSuccess && session.Plugins.CheckDynamic(session, pod, session.NodeAt(node)).IsSuccess
        && PassesCapacityOnNode(session, pod, session.NodeAt(node));

    /// <summary>
    /// KAI's capacity check per pod and node: a pod asking for GPU memory counts no GPUs in its group's queue check
    /// (that depends on the node), so here its queue's limits and non-preemptible quota are checked with the
    /// fraction it takes on this node. For every other pod the group's check already covered it.
    /// </summary>
    private static bool PassesCapacityOnNode(Session session, int pod, NodeState node)
    {
        var definition = session.Snapshot.Pods[pod];
        var group = session.Snapshot.GroupOf(pod);
        if (definition.Gpu.Kind != GpuRequestKind.Memory || session.Plugins.Capacity is not { } capacity || group < 0)
        {
            return true;
        }

        var accepted = GpuAccounting.Accepted(definition, node.Node.GpuMemoryMiB);
        return capacity.CheckJob(session, group, new ResourceVector(0, 0, accepted.Gpu)).IsSuccess;
    }

    internal readonly record struct WalkRequest(int Pod, ResourceVector Request, bool RequireIdle, bool RequireShared, NodeFilter Filter, int Pattern = 0);
}
