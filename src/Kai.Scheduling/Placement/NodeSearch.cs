using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Plugins.NodePlacement;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Finds the node a pod goes to: the highest-scoring node (scores summed over the score plugins, ties by
/// node name) among the nodes that fit and pass every predicate, as KAI does.
/// </summary>
/// <remarks>
/// KAI's default scores are tiered: 100 (fits on idle) &gt; 10 (CPU pod on CPU node) &gt; 0–9 (placement), so the
/// best node is the first fitting node of a walk over the <see cref="NodeIndex"/> in tier order. That walk is
/// used whenever every enabled score plugin has a known tier; otherwise every node is scored and sorted. A
/// property test checks that both give the same node.
/// </remarks>
internal static class NodeSearch
{
    /// <summary>The chosen node and whether the pod fits there on idle capacity (else it must be pipelined).</summary>
    public readonly record struct Placement(int Node, bool FitsIdle)
    {
        public static Placement None => new(-1, false);

        public bool Found => Node >= 0;
    }

    public static Placement Find(Session session, int pod, bool forceFullScan = false) =>
        session.Plugins.IndexedNodeSearch && !forceFullScan ? FindIndexed(session, pod) : FindByScoringAll(session, pod);

    private static Placement FindIndexed(Session session, int pod)
    {
        var request = session.RequestOf(pod);
        var gpuPod = request.Gpu > 0;
        var index = session.NodeIndex;
        var availabilityTier = session.Plugins.HasAvailabilityTier;
        var resourceTypeTier = session.Plugins.HasResourceTypeTier;

        // Tier by tier: each walk returns the first node of that tier in placement order.
        if (availabilityTier && index.AnyReleasing)
        {
            var onIdle = WalkTiers(session, pod, gpuPod, resourceTypeTier, requireIdle: true);
            if (onIdle.Found)
            {
                return onIdle;
            }
        }

        return WalkTiers(session, pod, gpuPod, resourceTypeTier, requireIdle: false);
    }

    private static Placement WalkTiers(Session session, int pod, bool gpuPod, bool resourceTypeTier, bool requireIdle)
    {
        var index = session.NodeIndex;
        if (gpuPod)
        {
            return Walk(session, pod, index.GpuNodesByGpu, index.GpuStrategy, session.RequestOf(pod).Gpu, requireIdle, skipCpuOnly: false);
        }

        var need = session.RequestOf(pod).Cpu;
        if (!resourceTypeTier)
        {
            return Walk(session, pod, index.AllNodesByCpu, index.CpuStrategy, need, requireIdle, skipCpuOnly: false);
        }

        var cpuNode = Walk(session, pod, index.CpuOnlyNodesByCpu, index.CpuStrategy, need, requireIdle, skipCpuOnly: false);
        return cpuNode.Found ? cpuNode : Walk(session, pod, index.GpuNodesByCpu, index.CpuStrategy, need, requireIdle, skipCpuOnly: true);
    }

    private static Placement Walk(Session session, int pod, SortedSet<NodeKey> nodes, PlacementStrategy strategy, long need, bool requireIdle, bool skipCpuOnly)
    {
        if (nodes.Count == 0)
        {
            return Placement.None;
        }

        // Binpack order is by free amount, so nodes with less than the pod needs are skipped with a lower bound.
        // (Keys with Total 1 stand for "has the resource"; nodes without it sort after and cannot hold need > 0.)
        var bounded = strategy == PlacementStrategy.Binpack && need > 0;
        var walk = bounded
            ? nodes.GetViewBetween(new NodeKey(need, 1, int.MinValue), new NodeKey(long.MaxValue, 1, int.MaxValue))
            : nodes;

        // The first candidate usually fits; Min finds it without an enumerator. (A view's Count walks the whole
        // view, so an empty view shows as a Min below the lower bound instead: the default key.)
        var request = session.RequestOf(pod);
        var first = walk.Min;
        if (bounded && first.Free < need)
        {
            return Placement.None;
        }

        if (Accepts(session, pod, request, first, need, requireIdle, skipCpuOnly, out var fitsFirst))
        {
            return new Placement(first.Node, fitsFirst);
        }

        foreach (var key in walk)
        {
            if (key.Node != first.Node && Accepts(session, pod, request, key, need, requireIdle, skipCpuOnly, out var fitsIdle))
            {
                return new Placement(key.Node, fitsIdle);
            }
        }

        return Placement.None;
    }

    private static bool Accepts(Session session, int pod, in Resources.ResourceVector request, NodeKey key, long need, bool requireIdle, bool skipCpuOnly, out bool fitsIdle)
    {
        fitsIdle = false;
        if (key.Free < need)
        {
            return false;
        }

        // Fit on idle + releasing first: idle alone can overstate what is free once pipelined pods reserved
        // releasing capacity here.
        var node = session.Nodes[key.Node];
        if ((skipCpuOnly && node.Node.IsCpuOnly) || !request.FitsIn(node.Free))
        {
            return false;
        }

        fitsIdle = request.FitsIn(node.Idle);
        return (!requireIdle || fitsIdle) && PassesPredicates(session, pod, key.Node);
    }

    private static Placement FindByScoringAll(Session session, int pod)
    {
        var request = session.RequestOf(pod);
        var gpuPod = request.Gpu > 0;
        var nodes = session.Nodes;

        // Binpack normalises over the nodes that have the resource.
        long min = long.MaxValue, max = long.MinValue;
        foreach (var node in nodes)
        {
            if (NodePlacementPlugin.TotalAmount(node, gpuPod) > 0)
            {
                var free = NodePlacementPlugin.FreeAmount(node, gpuPod);
                min = Math.Min(min, free);
                max = Math.Max(max, free);
            }
        }

        var context = new NodeScoringContext(pod, gpuPod, min == long.MaxValue ? 0 : min, max == long.MinValue ? 0 : max);
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
        foreach (var (_, n) in scored)
        {
            var node = nodes[n];
            if (request.FitsIn(node.Free) && session.Plugins.CheckDynamic(session, pod, node).IsSuccess)
            {
                return new Placement(n, request.FitsIn(node.Idle));
            }
        }

        return Placement.None;
    }

    private static bool PassesPredicates(Session session, int pod, int node) =>
        session.FeasibilityCache.Check(pod, node).IsSuccess && session.Plugins.CheckDynamic(session, pod, session.Nodes[node]).IsSuccess;
}
