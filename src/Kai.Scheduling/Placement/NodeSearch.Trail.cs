using System.Collections.Frozen;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Placement;

/// <summary>
/// One node search shared by the pods of one shape placed one after another (a gang's members mostly ask alike): the
/// search for the next pod goes on from where the previous one stopped instead of walking the index from its start.
/// </summary>
/// <remarks>
/// Why the node found is the one the full search would find. The previous pod P, of the same shape (request, GPU
/// request, constraints, labels, namespace, no claims, not sharing GPUs), found node N at tier combination c after every
/// node walked before it — in earlier combinations and before N in c's walk — rejected P; then P was placed on N and
/// nothing else changed. Every other node's books are as they were, and with predicates that read only their node
/// (<see cref="INodeLocalPredicate"/>) every other node rejects the next pod where it rejected P, and keeps its place in
/// each walk (the order compares amounts, then node numbers). Only N's rank moved. So the first accepting node of the
/// full search is, in the earlier combinations, N or none; in c, N at its new rank if that is not after its old one,
/// else the first accepting node ranked after N's old rank (N included if it moved there); then the later combinations
/// walked as usual. A pod that sat on a node before it was placed (an evicted pod placed again in a victim search's
/// simulation) changed two nodes and leaves no trail. <c>NodeSearchTrailPropertyTests</c> compares the outcomes of whole allocations with the trail and
/// without (<see cref="Session.ContinuesNodeSearches"/>).
/// </remarks>
internal static partial class NodeSearch
{
    /// <summary>
    /// The best node for the pod as <see cref="Find(Session, int, bool)"/> finds it, going on from <paramref name="trail"/>
    /// (the previous search in the same run of placements; the caller placed that pod on the node found and changed
    /// nothing else since) and leaving this search's trail in it.
    /// </summary>
    public static Placement Find(Session session, int pod, ref SearchTrail trail)
    {
        if (!session.Plugins.ScoreTiers.Indexed || session.Plugins.ScoresSelectively(session, pod))
        {
            trail = SearchTrail.None;
            return FindByScoringAll(session, pod);
        }

        return FindIndexed(session, pod, NodeFilter.None, ref trail);
    }

    /// <summary>In a combination before the trail's: every node but the one found rejected the pod's shape there, so only it can accept now.</summary>
    private static Placement AcceptsFoundNodeAgain(Session session, in WalkRequest walk, in TierPlan plan, in SearchTrail trail)
    {
        var index = session.NodeIndex;
        var node = trail.Found.Node;
        if (!index.InPartition(node, plan.Mask, walk.Pattern))
        {
            return Placement.None;
        }

        var now = index.RankOf(plan.Resource, node);
        return plan.InWalk(now) ? Accepts(session, walk, now) : Placement.None;
    }

    /// <summary>
    /// In the trail's combination: the found node at its new rank when that is not after its old one (every node ranked
    /// before its old rank rejected the shape; a pod that asks nothing of the order's resource leaves the rank as it was),
    /// then the nodes ranked after its old rank, as the walk would meet them.
    /// </summary>
    private static Placement WalkOnFrom(Session session, in WalkRequest walk, in TierPlan plan, in SearchTrail trail)
    {
        var index = session.NodeIndex;
        var comparer = NodeRankComparer.For(plan.Strategy);
        var now = index.RankOf(plan.Resource, trail.Found.Node);
        if (comparer.Compare(now, trail.Found) <= 0 && plan.InWalk(now) && Accepts(session, walk, now) is { Found: true } again)
        {
            return again;
        }

        if (session.WalksNodeOrdersWithCursors)
        {
            var cursor = plan.Order(index, walk.Pattern).CursorAfter(trail.Found);
            return WalkOnAfter(session, walk, plan, ref cursor);
        }

        foreach (var rank in plan.Order(index, walk.Pattern).After(trail.Found))
        {
            if (!plan.InWalk(rank))
            {
                // Past the walk's upper bound (nodes without the resource): the walk stops there.
                break;
            }

            if (Accepts(session, walk, rank) is { Found: true } placement)
            {
                return placement;
            }
        }

        return Placement.None;
    }

    /// <summary>The nodes after the trail's on a cursor, as <see cref="WalkOnFrom"/> walks them with the iterator.</summary>
    private static Placement WalkOnAfter(Session session, in WalkRequest walk, in TierPlan plan, ref NodeOrder.Cursor cursor)
    {
        while (cursor.MoveNext())
        {
            var rank = cursor.Current;
            if (!plan.InWalk(rank))
            {
                // Past the walk's upper bound (nodes without the resource): the walk stops there.
                break;
            }

            if (Accepts(session, walk, rank) is { Found: true } placement)
            {
                return placement;
            }
        }

        return Placement.None;
    }

    /// <summary>Whether two pods are of one shape for the search: every verdict of an unchanged node is the same for both.</summary>
    private static bool SameShape(Session session, int left, int right)
    {
        var l = session.Snapshot.Pods[left];
        var r = session.Snapshot.Pods[right];
        return l.Request == r.Request && l.Gpu == r.Gpu && l.GpuKind == r.GpuKind && !l.Gpu.IsShared
            && l.Claims.Count == 0 && r.Claims.Count == 0 && l.Namespace == r.Namespace
            && (ReferenceEquals(l.Constraints, r.Constraints) || l.Constraints.Signature == r.Constraints.Signature)
            && SameLabels(l.Labels, r.Labels);
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Count != right.Count)
        {
            return false;
        }

        // The usual dictionaries enumerated without boxing their enumerator: this is asked for every member a trail goes on to.
        return left switch
        {
            Dictionary<string, string> dictionary => SameLabelsIn(dictionary, right),
            FrozenDictionary<string, string> frozen => SameLabelsIn(frozen, right),
            _ => SameLabelsIn(left, right),
        };
    }

    private static bool SameLabelsIn(Dictionary<string, string> left, IReadOnlyDictionary<string, string> right)
    {
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameLabelsIn(FrozenDictionary<string, string> left, IReadOnlyDictionary<string, string> right)
    {
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameLabelsIn(IReadOnlyDictionary<string, string> left, IReadOnlyDictionary<string, string> right)
    {
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Where an indexed search found its node: the pod, the tier combination, and the node's rank when found (before the pod was placed there).</summary>
    internal readonly struct SearchTrail
    {
        private readonly TierPlan _plan;

        public SearchTrail(int pod, int earned, NodeRank found, in TierPlan plan)
        {
            Pod = pod;
            Earned = earned;
            Found = found;
            _plan = plan;
        }

        public static SearchTrail None => new(-1, -1, default, default);

        public int Pod { get; }

        public int Earned { get; }

        public NodeRank Found { get; }

        /// <summary>
        /// Whether a search for <paramref name="pod"/> may go on from this trail: sharing on, same shape, same walks,
        /// predicates that read their node only, and the pod on no node (a pod that sits on a node, e.g. evicted and
        /// releasing there, is not counted against itself by that node's predicates, so the node may accept it where it
        /// rejected the trail's pod).
        /// </summary>
        public bool ContinuesTo(Session session, int pod, in TierPlan plan) =>
            Pod >= 0 && Pod != pod && session.NodeOf(pod) < 0 && session.ContinuesNodeSearches && !plan.Shared && plan.SameWalksAs(_plan)
            && SameShape(session, Pod, pod) && session.Plugins.DynamicChecksAreNodeLocal(session, pod);
    }

    /// <summary>
    /// The walks a pod's indexed search makes: the bonus tiers it can earn (packed, highest first), so the combinations;
    /// the index order's resource and strategy; and the amount that bounds a binpack walk.
    /// </summary>
    internal readonly struct TierPlan
    {
        private const int BitsPerTier = 3;

        private readonly long _live;

        private TierPlan(ResourceVector request, PlacementResource resource, PlacementStrategy strategy, bool shared, long live, int count, int mask)
        {
            Request = request;
            Resource = resource;
            Strategy = strategy;
            Shared = shared;
            _live = live;
            Count = count;
            Mask = mask;
            Need = resource == PlacementResource.Gpu ? request.Gpu : request.Cpu;
        }

        public ResourceVector Request { get; }

        public PlacementResource Resource { get; }

        public PlacementStrategy Strategy { get; }

        public bool Shared { get; }

        /// <summary>How many bonus tiers the pod can earn.</summary>
        public int Count { get; }

        /// <summary>The node-class bits of those tiers.</summary>
        public int Mask { get; }

        public long Need { get; }

        /// <summary>The first combination of earned tiers (all of them); the search counts down to 0 (none).</summary>
        public int FirstCombination => (1 << Count) - 1;

        private bool Bounded => Strategy == PlacementStrategy.Binpack && Need > 0;

        /// <summary>
        /// The tiers this pod can earn: class bonuses that apply to it, fitting on idle while some node has releasing
        /// capacity (without any, every node that fits fits on idle, so that tier decides nothing), and a shared GPU that
        /// fits, for pods that share GPUs.
        /// </summary>
        public static TierPlan For(Session session, int pod)
        {
            var tiers = session.Plugins.ScoreTiers;
            var definition = session.Snapshot.Pods[pod];
            var shared = definition.Gpu.IsShared;
            var context = NodeScoringContext.For(session, pod);
            long live = 0;
            var count = 0;
            var mask = 0;
            foreach (var tier in tiers.Bonuses)
            {
                var applies = tier switch
                {
                    NodeScoreTiers.FitsOnIdleTier => session.NodeIndex.AnyReleasing,
                    NodeScoreTiers.FitsSharedGpuTier => shared,
                    _ => tiers.ClassTiers[tier].AppliesTo(context),
                };
                if (applies)
                {
                    live |= (long)(tier - NodeScoreTiers.FitsSharedGpuTier) << (BitsPerTier * count++);
                    mask |= tier >= 0 ? 1 << tier : 0;
                }
            }

            return new TierPlan(definition.Request, context.Resource, tiers.Ordering!.StrategyFor(context), shared, live, count, mask);
        }

        /// <summary>The walk of one combination: the highest tier is the most significant bit of <paramref name="earned"/>.</summary>
        public WalkRequest WalkFor(int pod, int earned, in NodeFilter filter)
        {
            var requireIdle = false;
            var requireShared = false;
            var pattern = 0;
            for (var i = 0; i < Count; i++)
            {
                if ((earned & (1 << (Count - 1 - i))) != 0)
                {
                    var tier = (int)((_live >> (BitsPerTier * i)) & ((1 << BitsPerTier) - 1)) + NodeScoreTiers.FitsSharedGpuTier;
                    requireIdle |= tier == NodeScoreTiers.FitsOnIdleTier;
                    requireShared |= tier == NodeScoreTiers.FitsSharedGpuTier;
                    pattern |= tier >= 0 ? 1 << tier : 0;
                }
            }

            return new WalkRequest(pod, Request, requireIdle, requireShared, filter, pattern);
        }

        public NodeOrder Order(NodeIndex index, int pattern) => index.Ordered(Resource, Strategy, Mask, pattern);

        /// <summary>Whether a node of this rank is in the walk: a binpack walk skips nodes with less free than the pod needs and stops before nodes without the resource.</summary>
        public bool InWalk(NodeRank rank) =>
            !Bounded || (NodeRankComparer.For(Strategy).Compare(rank, LowerBound(Need)) >= 0 && NodeRankComparer.For(Strategy).Compare(rank, UpperBound) <= 0);

        /// <summary>Whether both plans make the same walks in the same order.</summary>
        public bool SameWalksAs(in TierPlan other) =>
            Resource == other.Resource && Strategy == other.Strategy && Shared == other.Shared && _live == other._live
            && Count == other.Count && Mask == other.Mask && Need == other.Need;
    }
}
