using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots.Topologies;

/// <summary>Lays a topology over the snapshot's nodes: O(nodes × levels), one id string per domain.</summary>
internal static class TopologyDomainsBuilder
{
    public static TopologyDomains Build(Topology topology, Node[] nodes)
    {
        var depth = topology.Levels.Count;
        var tree = DiscoveredTree.Discover(topology.Levels, nodes);
        var layout = PreOrderLayout.Of(tree, nodes.Length);

        var count = tree.Level.Count;
        var newLevel = new int[count];
        var newId = new string[count];
        var newParent = new int[count];
        var newChildren = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var old = layout.Order[i];
            newLevel[i] = tree.Level[old];
            newId[i] = tree.Id[old];
            newParent[i] = tree.Parent[old] < 0 ? -1 : layout.Renumber[tree.Parent[old]];
            newChildren[i] = [.. tree.Children[old].Select(c => layout.Renumber[c])];
        }

        var domainOfNode = DomainsOfNodes(tree.PathOfNode, layout.Renumber, depth);
        var rank = new int[nodes.Length];
        Array.Fill(rank, -1);
        for (var i = 0; i < layout.NodeOrder.Count; i++)
        {
            rank[layout.NodeOrder[i]] = i;
        }

        return new TopologyDomains(topology, newLevel, newId, newParent, newChildren, layout.SubtreeEnd, layout.NodeStart, layout.NodeEnd, domainOfNode, [.. layout.NodeOrder], rank);
    }

    /// <summary>Per level, the (pre-order) domain of each node; -1 for a node without every level's label.</summary>
    private static int[][] DomainsOfNodes(int[]?[] pathOfNode, int[] renumber, int depth)
    {
        var domainOfNode = new int[depth + 1][];
        for (var l = 0; l <= depth; l++)
        {
            domainOfNode[l] = new int[pathOfNode.Length];
            Array.Fill(domainOfNode[l], -1);
        }

        for (var n = 0; n < pathOfNode.Length; n++)
        {
            if (pathOfNode[n] is not { } path)
            {
                continue;
            }

            for (var l = 0; l <= depth; l++)
            {
                domainOfNode[l][n] = renumber[path[l]];
            }
        }

        return domainOfNode;
    }

    /// <summary>The domains in the order nodes reveal them (0 is the root), with each node's path down the levels.</summary>
    private sealed class DiscoveredTree
    {
        public List<int> Level { get; } = [0];

        public List<string> Id { get; } = [TopologyDomains.RootId];

        public List<int> Parent { get; } = [-1];

        public List<List<int>> Children { get; } = [[]];

        /// <summary>The nodes of each lowest-level domain.</summary>
        public Dictionary<int, List<int>> LeafNodes { get; } = [];

        /// <summary>Per node, its domain at each level (index 0 the root), or null without every level's label.</summary>
        public required int[]?[] PathOfNode { get; init; }

        /// <summary>Each node walks down from the root, one label value per level.</summary>
        public static DiscoveredTree Discover(IReadOnlyList<string> levels, Node[] nodes)
        {
            var tree = new DiscoveredTree { PathOfNode = new int[nodes.Length][] };
            var byParentAndValue = new Dictionary<(int Parent, string Value), int>();
            for (var n = 0; n < nodes.Length; n++)
            {
                var labels = nodes[n].Labels;
                if (!levels.All(labels.ContainsKey))
                {
                    continue;
                }

                var path = new int[levels.Count + 1];
                var current = 0;
                for (var l = 1; l <= levels.Count; l++)
                {
                    var value = labels[levels[l - 1]];
                    if (!byParentAndValue.TryGetValue((current, value), out var child))
                    {
                        child = tree.Add(current, l, value);
                        byParentAndValue[(current, value)] = child;
                    }

                    current = child;
                    path[l] = current;
                }

                tree.PathOfNode[n] = path;
                if (!tree.LeafNodes.TryGetValue(current, out var list))
                {
                    tree.LeafNodes[current] = list = [];
                }

                list.Add(n);
            }

            return tree;
        }

        private int Add(int parent, int level, string value)
        {
            var child = Level.Count;
            Level.Add(level);
            Id.Add(parent == 0 ? value : $"{Id[parent]}.{value}");
            Parent.Add(parent);
            Children.Add([]);
            Children[parent].Add(child);
            return child;
        }
    }

    /// <summary>The domains numbered in pre-order (children by id) and the nodes laid out in the same order.</summary>
    private sealed class PreOrderLayout
    {
        private readonly DiscoveredTree _tree;

        private PreOrderLayout(DiscoveredTree tree, int nodeCount)
        {
            _tree = tree;
            var count = tree.Level.Count;
            Renumber = new int[count];
            Order = new List<int>(count);
            NodeOrder = new List<int>(nodeCount);
            NodeStart = new int[count];
            NodeEnd = new int[count];
            SubtreeEnd = new int[count];
        }

        /// <summary>Pre-order number of each discovered domain.</summary>
        public int[] Renumber { get; }

        /// <summary>The discovered domains in pre-order.</summary>
        public List<int> Order { get; }

        public List<int> NodeOrder { get; }

        public int[] NodeStart { get; }

        public int[] NodeEnd { get; }

        public int[] SubtreeEnd { get; }

        public static PreOrderLayout Of(DiscoveredTree tree, int nodeCount)
        {
            var layout = new PreOrderLayout(tree, nodeCount);
            layout.Visit(0);
            return layout;
        }

        private void Visit(int domain)
        {
            Renumber[domain] = Order.Count;
            Order.Add(domain);
            NodeStart[Renumber[domain]] = NodeOrder.Count;
            _tree.Children[domain].Sort((a, b) => string.CompareOrdinal(_tree.Id[a], _tree.Id[b]));
            foreach (var child in _tree.Children[domain])
            {
                Visit(child);
            }

            if (_tree.LeafNodes.TryGetValue(domain, out var members))
            {
                NodeOrder.AddRange(members);
            }

            NodeEnd[Renumber[domain]] = NodeOrder.Count;
            SubtreeEnd[Renumber[domain]] = Order.Count;
        }
    }
}
