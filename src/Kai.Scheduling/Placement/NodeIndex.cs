using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins.Scoring;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Nodes kept sorted by free capacity in the configured placement order, so "the best node that can take
/// 8 GPUs" is a walk from a lower bound, not a scan of every node. Updated in O(log n) whenever a node's books
/// change.
/// </summary>
/// <remarks>
/// Four orders: GPU nodes by free GPUs (GPU pods), CPU-only nodes, GPU nodes, and all nodes by free CPU
/// (CPU-only pods, with and without the resource-type preference). Free means idle plus releasing, which is
/// what the placement score uses.
/// </remarks>
internal sealed class NodeIndex
{
    private readonly Session _session;
    private readonly SortedSet<NodeKey> _gpuNodesByGpu;
    private readonly SortedSet<NodeKey> _cpuOnlyNodesByCpu;
    private readonly SortedSet<NodeKey> _gpuNodesByCpu;
    private readonly SortedSet<NodeKey> _allNodesByCpu;
    private readonly NodeKey[] _gpuKey;
    private readonly NodeKey[] _cpuKey;
    private int _nodesWithReleasing;
    private readonly bool[] _hasReleasing;

    public NodeIndex(Session session)
    {
        _session = session;
        var placement = session.Configuration.Placement;
        var gpuComparer = NodeKeyComparer.For(placement.Gpu);
        var cpuComparer = NodeKeyComparer.For(placement.Cpu);
        _gpuNodesByGpu = new SortedSet<NodeKey>(gpuComparer);
        _cpuOnlyNodesByCpu = new SortedSet<NodeKey>(cpuComparer);
        _gpuNodesByCpu = new SortedSet<NodeKey>(cpuComparer);
        _allNodesByCpu = new SortedSet<NodeKey>(cpuComparer);
        GpuStrategy = placement.Gpu;
        CpuStrategy = placement.Cpu;

        var count = session.Nodes.Length;
        _gpuKey = new NodeKey[count];
        _cpuKey = new NodeKey[count];
        _hasReleasing = new bool[count];
        for (var n = 0; n < count; n++)
        {
            Insert(n);
        }
    }

    public PlacementStrategy GpuStrategy { get; }

    public PlacementStrategy CpuStrategy { get; }

    /// <summary>Whether any node holds releasing capacity (if none, fitting on free means fitting on idle).</summary>
    public bool AnyReleasing => _nodesWithReleasing > 0;

    public SortedSet<NodeKey> GpuNodesByGpu => _gpuNodesByGpu;

    public SortedSet<NodeKey> CpuOnlyNodesByCpu => _cpuOnlyNodesByCpu;

    public SortedSet<NodeKey> GpuNodesByCpu => _gpuNodesByCpu;

    public SortedSet<NodeKey> AllNodesByCpu => _allNodesByCpu;

    public void Update(int node)
    {
        var isGpuNode = !_session.Nodes[node].Node.IsCpuOnly;
        if (isGpuNode)
        {
            _gpuNodesByGpu.Remove(_gpuKey[node]);
            _gpuNodesByCpu.Remove(_cpuKey[node]);
        }
        else
        {
            _cpuOnlyNodesByCpu.Remove(_cpuKey[node]);
        }

        _allNodesByCpu.Remove(_cpuKey[node]);
        if (_hasReleasing[node])
        {
            _nodesWithReleasing--;
        }

        Insert(node);
    }

    private void Insert(int node)
    {
        var state = _session.Nodes[node];
        _cpuKey[node] = new NodeKey(NodePlacementPlugin.FreeAmount(state, gpuPod: false), NodePlacementPlugin.TotalAmount(state, gpuPod: false), node);
        _allNodesByCpu.Add(_cpuKey[node]);
        if (state.Node.IsCpuOnly)
        {
            _cpuOnlyNodesByCpu.Add(_cpuKey[node]);
        }
        else
        {
            _gpuKey[node] = new NodeKey(NodePlacementPlugin.FreeAmount(state, gpuPod: true), NodePlacementPlugin.TotalAmount(state, gpuPod: true), node);
            _gpuNodesByGpu.Add(_gpuKey[node]);
            _gpuNodesByCpu.Add(_cpuKey[node]);
        }

        _hasReleasing[node] = !state.Releasing.IsZero;
        if (_hasReleasing[node])
        {
            _nodesWithReleasing++;
        }
    }
}

/// <summary>A node's position in one index: free and total amount of the ordering resource.</summary>
internal readonly record struct NodeKey(long Free, long Total, int Node);

/// <summary>
/// Binpack: least free first. Spread: highest free/total first (compared by cross-multiplication, exact).
/// Ties: node index, which is node-name order.
/// </summary>
internal sealed class NodeKeyComparer : IComparer<NodeKey>
{
    private static readonly NodeKeyComparer Binpack = new(PlacementStrategy.Binpack);
    private static readonly NodeKeyComparer Spread = new(PlacementStrategy.Spread);
    private readonly PlacementStrategy _strategy;

    private NodeKeyComparer(PlacementStrategy strategy) => _strategy = strategy;

    public static NodeKeyComparer For(PlacementStrategy strategy) => strategy == PlacementStrategy.Spread ? Spread : Binpack;

    public int Compare(NodeKey x, NodeKey y)
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

        return byFree != 0 ? byFree : x.Node.CompareTo(y.Node);
    }
}
