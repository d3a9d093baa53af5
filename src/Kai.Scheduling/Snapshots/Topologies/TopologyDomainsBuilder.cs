using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots.Topologies;

/// <summary>Lays a topology over the snapshot's nodes: O(nodes × levels), one id string per domain.</summary>
internal static class TopologyDomainsBuilder
{
    public static TopologyDomains Build(Topology topology, Node[] nodes)
    {
        var levels = topology.Levels;
        var depth = levels.Count;

        // Discover the domains: each node walks down from the root, one label value per level.
        var level = new List<int> { 0 };
        var id = new List<string> { TopologyDomains.RootId };
        var parent = new List<int> { -1 };
        var children = new List<List<int>> { new() };
        var leafNodes = new Dictionary<int, List<int>>();
        var byParentAndValue = new Dictionary<(int Parent, string Value), int>();
        var discovered = new int[nodes.Length][];
        for (var n = 0; n < nodes.Length; n++)
        {
            var labels = nodes[n].Labels;
            if (!levels.All(labels.ContainsKey))
            {
                continue;
            }

            var path = new int[depth + 1];
            var current = 0;
            for (var l = 1; l <= depth; l++)
            {
                var value = labels[levels[l - 1]];
                if (!byParentAndValue.TryGetValue((current, value), out var child))
                {
                    child = level.Count;
                    byParentAndValue[(current, value)] = child;
                    level.Add(l);
                    id.Add(current == 0 ? value : $"{id[current]}.{value}");
                    parent.Add(current);
                    children.Add([]);
                    children[current].Add(child);
                }

                current = child;
                path[l] = current;
            }

            discovered[n] = path;
            if (!leafNodes.TryGetValue(current, out var list))
            {
                leafNodes[current] = list = [];
            }

            list.Add(n);
        }

        // Number the domains in pre-order, children by id, and lay the nodes out in the same order.
        var count = level.Count;
        var renumber = new int[count];
        var order = new List<int>(count);
        var nodeOrder = new List<int>(nodes.Length);
        var nodeStart = new int[count];
        var nodeEnd = new int[count];
        var subtreeEnd = new int[count];
        Visit(0);

        void Visit(int domain)
        {
            renumber[domain] = order.Count;
            order.Add(domain);
            nodeStart[renumber[domain]] = nodeOrder.Count;
            children[domain].Sort((a, b) => string.CompareOrdinal(id[a], id[b]));
            foreach (var child in children[domain])
            {
                Visit(child);
            }

            if (leafNodes.TryGetValue(domain, out var members))
            {
                nodeOrder.AddRange(members);
            }

            nodeEnd[renumber[domain]] = nodeOrder.Count;
            subtreeEnd[renumber[domain]] = order.Count;
        }

        var newLevel = new int[count];
        var newId = new string[count];
        var newParent = new int[count];
        var newChildren = new int[count][];
        for (var i = 0; i < count; i++)
        {
            var old = order[i];
            newLevel[i] = level[old];
            newId[i] = id[old];
            newParent[i] = parent[old] < 0 ? -1 : renumber[parent[old]];
            newChildren[i] = [.. children[old].Select(c => renumber[c])];
        }

        var domainOfNode = new int[depth + 1][];
        for (var l = 0; l <= depth; l++)
        {
            domainOfNode[l] = new int[nodes.Length];
            Array.Fill(domainOfNode[l], -1);
        }

        for (var n = 0; n < nodes.Length; n++)
        {
            if (discovered[n] is not { } path)
            {
                continue;
            }

            for (var l = 0; l <= depth; l++)
            {
                domainOfNode[l][n] = renumber[path[l]];
            }
        }

        var rank = new int[nodes.Length];
        Array.Fill(rank, -1);
        for (var i = 0; i < nodeOrder.Count; i++)
        {
            rank[nodeOrder[i]] = i;
        }

        return new TopologyDomains(topology, newLevel, newId, newParent, newChildren, subtreeEnd, nodeStart, nodeEnd, domainOfNode, [.. nodeOrder], rank);
    }
}
