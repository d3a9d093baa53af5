using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Scheduling.Plugins.Topology;

/// <summary>
/// Per-domain free capacity and room for one placement attempt, over one domain's subtree: each node's idle plus
/// releasing capacity is added to its lowest domain and summed up the tree, O(nodes + domains) of the subtree.
/// The arrays live for the session and are reused by every call (one thread).
/// </summary>
internal sealed class DomainBooks(TopologyDomains topology)
{
    private readonly ResourceVector[] _free = new ResourceVector[topology.DomainCount];
    private readonly int[] _room = new int[topology.DomainCount];
    private readonly double[] _ratio = new double[topology.DomainCount];

    public TopologyDomains Topology { get; } = topology;

    public ResourceVector Free(int domain) => _free[domain];

    /// <summary>Copies of the largest pod the domain has room for (meaningful for alike pods).</summary>
    public int Room(int domain) => _room[domain];

    /// <summary>The pods' share of the domain's free capacity (<see cref="PodsShape.Ratio"/>).</summary>
    public double Ratio(int domain) => _ratio[domain];

    public bool Fits(in PodsShape pods, int domain) => pods.FitsIn(_free[domain], _room[domain]);

    /// <summary>Counts the free capacity of <paramref name="top"/>'s subtree, nodes of <paramref name="within"/> only.</summary>
    public void Count(ISessionView session, int top, NodeSet within, in PodsShape pods)
    {
        var end = Topology.SubtreeEnd(top);
        Array.Fill(_free, ResourceVector.Zero, top, end - top);
        Array.Clear(_room, top, end - top);

        var deepest = Topology.LevelCount;
        var order = Topology.NodeOrder;
        var nodes = session.Nodes;
        for (var i = Topology.NodeStart(top); i < Topology.NodeEnd(top); i++)
        {
            var node = order[i];
            if (!within.Contains(node))
            {
                continue;
            }

            var free = nodes[node].Free;
            var leaf = Topology.DomainOf(node, deepest);
            _free[leaf] += free;
            if (pods.Alike)
            {
                _room[leaf] = (int)Math.Min((long)_room[leaf] + pods.CopiesFitting(free), int.MaxValue);
            }
        }

        // Pre-order: every child comes after its parent, so summing backwards reaches the top last.
        for (var d = end - 1; d > top; d--)
        {
            var parent = Topology.Parent(d);
            _free[parent] += _free[d];
            _room[parent] = (int)Math.Min((long)_room[parent] + _room[d], int.MaxValue);
        }

        for (var d = top; d < end; d++)
        {
            _ratio[d] = pods.Ratio(_free[d]);
        }
    }
}
