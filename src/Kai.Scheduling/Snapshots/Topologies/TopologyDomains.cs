using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots.Topologies;

/// <summary>
/// One <see cref="Model.Topology"/> laid over the snapshot's nodes: its domains as a tree, and each node's
/// domain at every level. Built once per snapshot; immutable.
/// </summary>
/// <remarks>
/// Levels are numbered from the root: level 0 is the root domain (every node of the topology), level
/// <c>i</c> is <see cref="Model.Topology.Levels"/>[<c>i - 1</c>]. A domain's id is its label values from the top
/// down to its level joined by dots ("zone1.rack2"), as KAI names them; the root's id is "root". A node that
/// lacks any level's label is outside the topology: in no domain, not even the root.
/// Domains are numbered in pre-order with children sorted by id, so a domain's subtree is the index range
/// [<c>d</c>, <see cref="SubtreeEnd"/>), and the nodes are laid out in the same order, so a domain's nodes are
/// the range [<see cref="NodeStart"/>, <see cref="NodeEnd"/>) of <see cref="NodeOrder"/>: both are ranges,
/// never lists to build.
/// </remarks>
public sealed class TopologyDomains
{
    public const string RootId = "root";

    private readonly int[] _level;
    private readonly string[] _id;
    private readonly int[] _parent;
    private readonly int[][] _children;
    private readonly int[] _subtreeEnd;
    private readonly int[] _nodeStart;
    private readonly int[] _nodeEnd;
    private readonly int[][] _domainsAt;
    private readonly int[][] _domainOfNode;
    private readonly int[] _nodeOrder;
    private readonly int[] _rank;

    internal TopologyDomains(Topology topology, int[] level, string[] id, int[] parent, int[][] children, int[] subtreeEnd, int[] nodeStart, int[] nodeEnd, int[][] domainOfNode, int[] nodeOrder, int[] rank)
    {
        Topology = topology;
        _level = level;
        _id = id;
        _parent = parent;
        _children = children;
        _subtreeEnd = subtreeEnd;
        _nodeStart = nodeStart;
        _nodeEnd = nodeEnd;
        _domainOfNode = domainOfNode;
        _nodeOrder = nodeOrder;
        _rank = rank;
        _domainsAt = new int[topology.Levels.Count + 1][];
        for (var l = 0; l < _domainsAt.Length; l++)
        {
            var atLevel = l;
            _domainsAt[l] = [.. Enumerable.Range(0, level.Length).Where(d => level[d] == atLevel)];
        }
    }

    public Topology Topology { get; }

    public string Name => Topology.Name;

    /// <summary>Number of levels below the root (the topology's levels).</summary>
    public int LevelCount => Topology.Levels.Count;

    public int DomainCount => _level.Length;

    /// <summary>The root domain (index 0): every node of the topology.</summary>
    public static int Root => 0;

    /// <summary>The level of a label key (1 = the top level), or -1 when the topology has no such level.</summary>
    public int LevelOf(string label)
    {
        for (var i = 0; i < Topology.Levels.Count; i++)
        {
            if (string.Equals(Topology.Levels[i], label, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>The label key of a level ("root" for level 0).</summary>
    public string LevelName(int level) => level == 0 ? RootId : Topology.Levels[level - 1];

    public int LevelOfDomain(int domain) => _level[domain];

    public string Id(int domain) => _id[domain];

    /// <summary>The parent domain, or -1 for the root.</summary>
    public int Parent(int domain) => _parent[domain];

    /// <summary>Child domains, sorted by id.</summary>
    public ReadOnlySpan<int> Children(int domain) => _children[domain];

    /// <summary>One past the last domain of <paramref name="domain"/>'s subtree (its subtree is [domain, SubtreeEnd)).</summary>
    public int SubtreeEnd(int domain) => _subtreeEnd[domain];

    /// <summary>Domains of a level, in domain (pre-)order.</summary>
    public ReadOnlySpan<int> DomainsAt(int level) => _domainsAt[level];

    /// <summary>The topology's nodes (snapshot indices), laid out so that every domain's nodes are contiguous.</summary>
    public ReadOnlySpan<int> NodeOrder => _nodeOrder;

    /// <summary>Start of the domain's nodes in <see cref="NodeOrder"/>.</summary>
    public int NodeStart(int domain) => _nodeStart[domain];

    /// <summary>End (exclusive) of the domain's nodes in <see cref="NodeOrder"/>.</summary>
    public int NodeEnd(int domain) => _nodeEnd[domain];

    /// <summary>The node's position in <see cref="NodeOrder"/>, or -1 when it is outside the topology.</summary>
    public int RankOf(int node) => _rank[node];

    /// <summary>The domain's nodes that are also in <paramref name="within"/>, as a node set named by the domain's id (nothing is copied).</summary>
    public NodeSet NodesOf(int domain, NodeSet within) =>
        NodeSet.Range(_id[domain], _nodeOrder, _rank, _nodeStart[domain], _nodeEnd[domain], within);

    /// <summary>The node's domain at <paramref name="level"/>, or -1 when the node is outside the topology.</summary>
    public int DomainOf(int node, int level) => _domainOfNode[level][node];

    /// <summary>Each node's domain at <paramref name="level"/> (-1 outside), indexed by snapshot node index; shared, do not change.</summary>
    public IReadOnlyList<int> DomainsOfNodesAt(int level) => _domainOfNode[level];

    /// <summary>The ancestor of <paramref name="domain"/> at <paramref name="level"/> (the domain itself at its own level), or -1 when the domain is above that level.</summary>
    public int AncestorAt(int domain, int level)
    {
        while (domain >= 0 && _level[domain] > level)
        {
            domain = _parent[domain];
        }

        return domain >= 0 && _level[domain] == level ? domain : -1;
    }

    public override string ToString() => $"{Name}: {DomainCount} domains, {_nodeOrder.Length} nodes";
}
