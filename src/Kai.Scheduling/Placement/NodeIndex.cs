using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Nodes kept sorted by free capacity of a placement resource in a placement order, so "the best node that can
/// take 8 GPUs" is a walk from a lower bound, not a scan of every node. Updated whenever a node's books change,
/// by moving the node between buckets of nodes that rank alike (<see cref="NodeOrder"/>).
/// </summary>
/// <remarks>
/// One order per placement resource (GPU or CPU), strategy (binpack or spread) and node-class partition:
/// the class bonuses that apply to a pod (its mask) split the nodes by which of those classes they are in (the
/// pattern), so each bonus tier is a separate walk. Each set is built the first time a pod needs it and kept up
/// to date from then on: a cycle of GPU pods never pays for the CPU orders. Free means idle plus releasing,
/// which is what the ordering score reads (<see cref="NodeAmounts"/>). GPU orders leave out nodes without GPUs (whole
/// or MIG): only pods that request GPUs are placed by them, and such a node can never take one.
/// <para>For pods that share GPUs there is one more family of orders: the nodes with an open GPU group, bucketed by
/// the most room such a group has (in hundredths of a device, <see cref="Framework.Devices.NodeGpuBook.MaxFreeHundredths"/>)
/// and each bucket in the GPU placement order — so "the best node where a 0.3 share joins a group" is a merge of the
/// buckets from 30 up, not a scan (<see cref="WithSharedRoom"/>).</para>
/// </remarks>
internal sealed class NodeIndex
{
    private const int Resources = 2;
    private const int Strategies = 2;

    private readonly Session _session;
    private readonly int _slots;
    private readonly int[] _classBits;
    private readonly NodeRank[][] _ranks;
    private readonly bool[] _hasReleasing;
    private readonly bool[] _hasGpus;
    private readonly int[] _sharedRoom;
    private readonly IdleMaximum[] _largestIdle;
    private readonly SortedSet<NodeRank>[]?[] _sharedBuckets = new SortedSet<NodeRank>[]?[Strategies];
    private readonly OrderedNodes?[] _ordered;
    private OrderedNodes[] _built = [];
    private int _nodesWithReleasing;

    // Nodes whose books changed since the index last moved them (Session.DefersNodeIndexMoves), each listed once.
    private readonly bool[] _stale;
    private readonly List<int> _staleNodes = [];

    /// <param name="session">The session whose books the index follows.</param>
    /// <param name="classTiers">The node-class bonuses the index partitions nodes by (tier i is bit i).</param>
    public NodeIndex(Session session, INodeClassScore[] classTiers)
    {
        _session = session;
        _slots = 1 << classTiers.Length;
        var count = session.Nodes.Length;
        _classBits = new int[count];
        _ranks = [new NodeRank[count], new NodeRank[count]];
        _largestIdle = [new IdleMaximum(count), new IdleMaximum(count)];
        _hasReleasing = new bool[count];
        _hasGpus = new bool[count];
        _sharedRoom = new int[count];
        _stale = new bool[count];
        _ordered = new OrderedNodes?[Resources * Strategies * _slots * _slots];
        for (var n = 0; n < count; n++)
        {
            _hasGpus[n] = session.NodeAt(n).Node.HasGpus;
            LargestAllocatable = LargestAllocatable.Max(session.NodeAt(n).Node.Allocatable);
            for (var t = 0; t < classTiers.Length; t++)
            {
                if (classTiers[t].InClass(session.NodeAt(n).Node))
                {
                    _classBits[n] |= 1 << t;
                }
            }

            Refresh(n);
        }
    }

    /// <summary>The largest allocatable amount of each resource over the nodes (taken separately): a bound on any node's free amount, free being part of allocatable.</summary>
    public ResourceVector LargestAllocatable { get; } = ResourceVector.Zero;

    /// <summary>
    /// The largest free amount (idle plus releasing, as <see cref="NodeAmounts.Free"/>) of <paramref name="resource"/> on any
    /// node, read from the top of its binpack order: the nodes without the resource rank last (read first here, they are
    /// few), then the most free. Nodes outside the GPU order have no GPUs to be free.
    /// </summary>
    public long LargestFree(PlacementResource resource)
    {
        MoveStale();
        long largest = 0;
        foreach (var rank in Ordered(resource, PlacementStrategy.Binpack).Reverse())
        {
            largest = Math.Max(largest, rank.Free);
            if (rank.Total > 0)
            {
                break;
            }
        }

        return largest;
    }

    /// <summary>
    /// The largest amount of <paramref name="resource"/> that is idle and free on one node (the less of the node's
    /// <see cref="NodeState.Idle"/> and <see cref="NodeState.Free"/>: pipelined pods may have reserved releasing capacity
    /// beyond what is releasing, so free can be below idle). A walk that requires fitting on idle checks both, so a pod
    /// that needs more fits on idle nowhere.
    /// </summary>
    public long LargestIdle(PlacementResource resource)
    {
        MoveStale();
        return _largestIdle[(int)resource].Largest;
    }

    /// <summary>Whether any node holds releasing capacity (if none, fitting on free means fitting on idle).</summary>
    public bool AnyReleasing
    {
        get
        {
            MoveStale();
            return _nodesWithReleasing > 0;
        }
    }

    /// <summary>
    /// The nodes whose class bits under <paramref name="mask"/> equal <paramref name="pattern"/>, ranked by
    /// <paramref name="resource"/> in <paramref name="strategy"/> order (do not change while enumerating).
    /// </summary>
    public NodeOrder Ordered(PlacementResource resource, PlacementStrategy strategy, int mask = 0, int pattern = 0)
    {
        MoveStale();
        var slot = ((((int)resource * Strategies) + (int)strategy) * _slots + mask) * _slots + pattern;
        return (_ordered[slot] ??= Build(resource, strategy, mask, pattern)).Nodes;
    }

    /// <summary>The node's rank in the orders of <paramref name="resource"/> as its books stand.</summary>
    public NodeRank RankOf(PlacementResource resource, int node)
    {
        MoveStale();
        return _ranks[(int)resource][node];
    }

    /// <summary>Whether the node's class bits under <paramref name="mask"/> equal <paramref name="pattern"/>.</summary>
    public bool InPartition(int node, int mask, int pattern) => (_classBits[node] & mask) == pattern;

    /// <summary>
    /// The nodes with an open GPU group that has room for at least <paramref name="hundredths"/> hundredths of a device,
    /// in the GPU placement order of <paramref name="strategy"/> (a merge of the room buckets; do not change the books
    /// while enumerating).
    /// </summary>
    public IEnumerable<NodeRank> WithSharedRoom(PlacementStrategy strategy, int hundredths)
    {
        MoveStale();
        var buckets = _sharedBuckets[(int)strategy] ??= BuildSharedBuckets(strategy);
        var sources = new List<SortedSet<NodeRank>>();
        for (var h = Math.Clamp(hundredths, 0, SharedRoomBuckets - 1); h < SharedRoomBuckets; h++)
        {
            if (buckets[h].Count > 0)
            {
                sources.Add(buckets[h]);
            }
        }

        return sources.Count switch
        {
            0 => [],
            1 => sources[0],
            _ => NodeRankMerge.Merge(sources, NodeRankComparer.For(strategy)),
        };
    }

    /// <summary>
    /// The node's books changed: it moves in every order now, or — <see cref="Session.DefersNodeIndexMoves"/> — when the
    /// index is next read. The orders are a function of the nodes' ranks alone (ties by node), so moving a node once
    /// from where it stood to where it stands now leaves them as every move between would.
    /// </summary>
    public void Update(int node)
    {
        if (!_session.DefersNodeIndexMoves)
        {
            MoveStale();
            Move(node);
        }
        else if (_stale[node])
        {
            MovesSaved++;
        }
        else
        {
            _stale[node] = true;
            _staleNodes.Add(node);
        }
    }

    /// <summary>Changes to a node that was still to be moved for an earlier change (for tests: the deferral took effect).</summary>
    internal int MovesSaved { get; private set; }

    /// <summary>Nodes that came back to their rank while overlaid in an order, so were not moved there (for tests: the overlay took effect).</summary>
    internal int OverlayReturns => _built.Sum(ordered => ordered.Nodes.OverlayReturns);

    /// <summary>Moves every node whose books changed since the index last moved it (before anything reads the index).</summary>
    private void MoveStale()
    {
        if (_staleNodes.Count == 0)
        {
            return;
        }

        foreach (var node in _staleNodes)
        {
            _stale[node] = false;
            Move(node);
        }

        _staleNodes.Clear();
    }

    /// <summary>Moves the node from the ranks the index holds to those its books give now.</summary>
    private void Move(int node)
    {
        var oldGpu = _ranks[(int)PlacementResource.Gpu][node];
        var oldCpu = _ranks[(int)PlacementResource.Cpu][node];
        var oldRoom = _sharedRoom[node];
        if (_hasReleasing[node])
        {
            _nodesWithReleasing--;
        }

        Refresh(node);
        var newGpu = _ranks[(int)PlacementResource.Gpu][node];
        for (var strategy = 0; strategy < Strategies; strategy++)
        {
            if (_sharedBuckets[strategy] is { } buckets && (oldRoom != _sharedRoom[node] || oldGpu != newGpu))
            {
                if (oldRoom >= 0)
                {
                    buckets[oldRoom].Remove(oldGpu);
                }

                if (_sharedRoom[node] >= 0)
                {
                    buckets[_sharedRoom[node]].Add(newGpu);
                }
            }
        }

        var built = _built;
        var lazily = _session.OverlaysNodeOrderMoves;
        for (var i = 0; i < built.Length; i++)
        {
            var ordered = built[i];
            if (Holds(ordered.Resource, ordered.Mask, ordered.Pattern, node))
            {
                var gpu = ordered.Resource == PlacementResource.Gpu;
                var from = gpu ? oldGpu : oldCpu;
                var to = gpu ? newGpu : _ranks[(int)PlacementResource.Cpu][node];
                if (lazily)
                {
                    ordered.Nodes.MoveLazily(from, to);
                }
                else
                {
                    ordered.Nodes.Move(from, to);
                }
            }
        }
    }

    /// <summary>Room buckets: 0 to 100 hundredths of a device.</summary>
    private const int SharedRoomBuckets = 101;

    /// <summary>Whether a set holds the node: its class pattern matches, and for GPU orders it has GPUs (fixed per node).</summary>
    private bool Holds(PlacementResource resource, int mask, int pattern, int node) =>
        (_classBits[node] & mask) == pattern && (resource != PlacementResource.Gpu || _hasGpus[node]);

    private SortedSet<NodeRank>[] BuildSharedBuckets(PlacementStrategy strategy)
    {
        var comparer = NodeRankComparer.For(strategy);
        var buckets = new SortedSet<NodeRank>[SharedRoomBuckets];
        for (var h = 0; h < buckets.Length; h++)
        {
            buckets[h] = new SortedSet<NodeRank>(comparer);
        }

        var ranks = _ranks[(int)PlacementResource.Gpu];
        for (var n = 0; n < ranks.Length; n++)
        {
            if (_sharedRoom[n] >= 0)
            {
                buckets[_sharedRoom[n]].Add(ranks[n]);
            }
        }

        return buckets;
    }

    private OrderedNodes Build(PlacementResource resource, PlacementStrategy strategy, int mask, int pattern)
    {
        var ranks = _ranks[(int)resource];
        var set = new NodeOrder(NodeRankComparer.For(strategy), ranks.Length);
        for (var n = 0; n < ranks.Length; n++)
        {
            if (Holds(resource, mask, pattern, n))
            {
                set.Add(ranks[n]);
            }
        }

        var ordered = new OrderedNodes(resource, mask, pattern, set);
        _built = [.. _built, ordered];
        return ordered;
    }

    private void Refresh(int node)
    {
        var state = _session.NodeAt(node);
        var free = state.Free;
        _largestIdle[(int)PlacementResource.Gpu].Set(node, Math.Min(state.Idle.Gpu, free.Gpu));
        _largestIdle[(int)PlacementResource.Cpu].Set(node, Math.Min(state.Idle.Cpu, free.Cpu));
        _ranks[(int)PlacementResource.Gpu][node] = new NodeRank(NodeAmounts.Free(state, PlacementResource.Gpu), NodeAmounts.Total(state, PlacementResource.Gpu), node);
        _ranks[(int)PlacementResource.Cpu][node] = new NodeRank(NodeAmounts.Free(state, PlacementResource.Cpu), NodeAmounts.Total(state, PlacementResource.Cpu), node);
        _hasReleasing[node] = !state.Releasing.IsZero;
        _sharedRoom[node] = state.SharedGpus.Count == 0 ? -1 : state.SharedGpuBook.MaxFreeHundredths();
        if (_hasReleasing[node])
        {
            _nodesWithReleasing++;
        }
    }

    /// <summary>One order of the index: which nodes it holds (resource, class mask and pattern) and the set.</summary>
    private sealed class OrderedNodes(PlacementResource resource, int mask, int pattern, NodeOrder nodes)
    {
        // Fields, not properties: read on every book change of every node.
        public readonly PlacementResource Resource = resource;
        public readonly int Mask = mask;
        public readonly int Pattern = pattern;
        public readonly NodeOrder Nodes = nodes;
    }
}

/// <summary>A node's position in one order of the index: its free and total amount of the placement resource.</summary>
internal readonly record struct NodeRank(long Free, long Total, int Node);

/// <summary>
/// Binpack: least free first. Spread: highest free/total first (compared by cross-multiplication, exact).
/// Nodes without the resource rank last (they score 0). Ties: node index, which is node-name order.
/// </summary>
internal sealed class NodeRankComparer : IComparer<NodeRank>
{
    private static readonly NodeRankComparer Binpack = new(PlacementStrategy.Binpack);
    private static readonly NodeRankComparer Spread = new(PlacementStrategy.Spread);
    private readonly PlacementStrategy _strategy;

    private NodeRankComparer(PlacementStrategy strategy) => _strategy = strategy;

    public static NodeRankComparer For(PlacementStrategy strategy) => strategy == PlacementStrategy.Spread ? Spread : Binpack;

    public int Compare(NodeRank x, NodeRank y)
    {
        var byFree = CompareIgnoringNode(x, y);
        return byFree != 0 ? byFree : x.Node.CompareTo(y.Node);
    }

    /// <summary>The order of two ranks by their amounts alone (zero: they tie and only the node tells them apart).</summary>
    public int CompareIgnoringNode(NodeRank x, NodeRank y)
    {
        int byFree;
        if (_strategy == PlacementStrategy.Binpack)
        {
            // A node without the resource scores 0, the lowest binpack score: after every node that has it.
            var xHas = x.Total > 0;
            if (xHas != (y.Total > 0))
            {
                return xHas ? -1 : 1;
            }

            byFree = x.Free.CompareTo(y.Free);
        }
        else
        {
            // Nodes without the resource score 0 in spread; compare ratios free/total descending.
            var xRatio = x.Total > 0 ? (Int128)x.Free * Math.Max(y.Total, 1) : 0;
            var yRatio = y.Total > 0 ? (Int128)y.Free * Math.Max(x.Total, 1) : 0;
            byFree = yRatio.CompareTo(xRatio);
        }

        return byFree;
    }
}
