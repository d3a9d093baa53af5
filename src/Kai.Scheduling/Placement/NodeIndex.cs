using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins.NodePlacement;

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
    private readonly NodeKeyComparer _gpuComparer;
    private readonly NodeKeyComparer _cpuComparer;
    private readonly NodeKey[] _gpuKey;
    private readonly NodeKey[] _cpuKey;
    private readonly bool[] _hasReleasing;
    private SortedSet<NodeKey>? _gpuNodesByGpu;
    private SortedSet<NodeKey>? _cpuOnlyNodesByCpu;
    private SortedSet<NodeKey>? _gpuNodesByCpu;
    private SortedSet<NodeKey>? _allNodesByCpu;
    private int _nodesWithReleasing;

    public NodeIndex(Session session)
    {
        _session = session;
        var placement = session.Plugins.Placement;
        _gpuComparer = NodeKeyComparer.For(placement.Gpu);
        _cpuComparer = NodeKeyComparer.For(placement.Cpu);
        GpuStrategy = placement.Gpu;
        CpuStrategy = placement.Cpu;

        var count = session.Nodes.Length;
        _gpuKey = new NodeKey[count];
        _cpuKey = new NodeKey[count];
        _hasReleasing = new bool[count];
        for (var n = 0; n < count; n++)
        {
            Refresh(n);
        }
    }

    public PlacementStrategy GpuStrategy { get; }

    public PlacementStrategy CpuStrategy { get; }

    /// <summary>Whether any node holds releasing capacity (if none, fitting on free means fitting on idle).</summary>
    public bool AnyReleasing => _nodesWithReleasing > 0;

    // Each order is built the first time a pod needs it and kept up to date from then on: a cycle of GPU pods
    // never pays for the CPU orders.
    public SortedSet<NodeKey> GpuNodesByGpu => _gpuNodesByGpu ??= Build(_gpuComparer, n => !_session.Nodes[n].Node.IsCpuOnly, _gpuKey);

    public SortedSet<NodeKey> CpuOnlyNodesByCpu => _cpuOnlyNodesByCpu ??= Build(_cpuComparer, n => _session.Nodes[n].Node.IsCpuOnly, _cpuKey);

    public SortedSet<NodeKey> GpuNodesByCpu => _gpuNodesByCpu ??= Build(_cpuComparer, n => !_session.Nodes[n].Node.IsCpuOnly, _cpuKey);

    public SortedSet<NodeKey> AllNodesByCpu => _allNodesByCpu ??= Build(_cpuComparer, _ => true, _cpuKey);

    public void Update(int node)
    {
        var isGpuNode = !_session.Nodes[node].Node.IsCpuOnly;
        var oldGpuKey = _gpuKey[node];
        var oldCpuKey = _cpuKey[node];
        if (_hasReleasing[node])
        {
            _nodesWithReleasing--;
        }

        Refresh(node);
        if (isGpuNode)
        {
            Move(_gpuNodesByGpu, oldGpuKey, _gpuKey[node]);
            Move(_gpuNodesByCpu, oldCpuKey, _cpuKey[node]);
        }
        else
        {
            Move(_cpuOnlyNodesByCpu, oldCpuKey, _cpuKey[node]);
        }

        Move(_allNodesByCpu, oldCpuKey, _cpuKey[node]);
    }

    private static void Move(SortedSet<NodeKey>? set, NodeKey from, NodeKey to)
    {
        if (set is null || from == to)
        {
            return;
        }

        set.Remove(from);
        set.Add(to);
    }

    private static SortedSet<NodeKey> Build(NodeKeyComparer comparer, Func<int, bool> include, NodeKey[] keys)
    {
        var set = new SortedSet<NodeKey>(comparer);
        for (var n = 0; n < keys.Length; n++)
        {
            if (include(n))
            {
                set.Add(keys[n]);
            }
        }

        return set;
    }

    private void Refresh(int node)
    {
        var state = _session.Nodes[node];
        _cpuKey[node] = new NodeKey(NodePlacementPlugin.FreeAmount(state, gpuPod: false), NodePlacementPlugin.TotalAmount(state, gpuPod: false), node);
        if (!state.Node.IsCpuOnly)
        {
            _gpuKey[node] = new NodeKey(NodePlacementPlugin.FreeAmount(state, gpuPod: true), NodePlacementPlugin.TotalAmount(state, gpuPod: true), node);
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
