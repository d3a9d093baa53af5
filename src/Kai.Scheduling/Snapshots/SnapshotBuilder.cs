using Kai.Scheduling.Model;
using Kai.Scheduling.Snapshots.Topologies;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// Links a <see cref="ClusterState"/> into a <see cref="ClusterSnapshot"/>: sorts for determinism, resolves
/// names to indices, forms pod sets, and drops what cannot be scheduled (queues with missing parents or in
/// cycles) with an issue saying why. Cost is linear in the number of objects; nothing is parsed here.
/// </summary>
public static class SnapshotBuilder
{
    public const string DefaultPodSetName = "default";

    public static ClusterSnapshot Build(ClusterState state)
    {
        var issues = new List<SnapshotIssue>();

        var nodes = InOrder(state.Nodes, static (a, b) => string.CompareOrdinal(a.Name, b.Name))
            ?? state.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        var nodeByName = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            nodeByName.TryAdd(nodes[i].Name, i);
        }

        var queues = LinkQueues(state.Queues, issues, out var queueParent, out var queueChildren, out var topLevel, out var queueByName);
        var groups = InOrder(state.PodGroups, static (a, b) => string.CompareOrdinal(a.Namespace, b.Namespace) is var ns and not 0 ? ns : string.CompareOrdinal(a.Name, b.Name))
            ?? state.PodGroups.OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal).ToArray();
        var groupByKey = new Dictionary<PodGroupKey, int>(groups.Length);
        var groupQueue = LinkGroupsToQueues(groups, queues, queueByName, queueChildren, groupByKey, issues);
        var pods = state.Pods.ToArray();
        var podNode = new int[pods.Length];
        var podGroup = new int[pods.Length];
        var membersByGroup = LinkPods(pods, groups.Length, nodeByName, groupByKey, podNode, podGroup, issues);
        var podPodSet = new int[pods.Length];
        var (groupPodSets, groupMembers) = FormGangs(groups, pods, membersByGroup, podPodSet, podGroup, issues);
        var groupTrees = new SubGroupSet?[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            groupTrees[g] = SubGroupTree(groups[g], groupPodSets[g]);
        }

        var topologies = LayTopologies(state.Topologies, nodes, issues);

        var links = new SnapshotLinks
        {
            PodNode = podNode,
            PodGroup = podGroup,
            PodPodSet = podPodSet,
            GroupQueue = groupQueue,
            GroupPodSets = groupPodSets,
            GroupMembers = groupMembers,
            QueueParent = queueParent,
            QueueChildren = queueChildren,
            TopLevelQueues = topLevel,
            NodeByName = nodeByName,
            QueueByName = queueByName,
            GroupByKey = groupByKey,
            GroupTrees = groupTrees,
        };
        return new ClusterSnapshot(state.Now, state.Catalog, nodes, pods, groups, queues, links, issues, topologies, state.NamespaceLabels);
    }

    /// <summary>
    /// A copy of <paramref name="items"/> when they are already in order (a cache that keeps them sorted: one
    /// comparison each instead of a sort), else null.
    /// </summary>
    private static T[]? InOrder<T>(IReadOnlyList<T> items, Comparison<T> compare)
    {
        for (var i = 1; i < items.Count; i++)
        {
            if (compare(items[i - 1], items[i]) > 0)
            {
                return null;
            }
        }

        return [.. items];
    }

    /// <summary>Each topology laid over the nodes, by name; a second topology of the same name is left out with an issue.</summary>
    private static TopologyDomains[] LayTopologies(IReadOnlyList<Topology> topologies, Node[] nodes, List<SnapshotIssue> issues)
    {
        var result = new List<TopologyDomains>(topologies.Count);
        foreach (var topology in topologies.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (result.Count > 0 && result[^1].Name == topology.Name)
            {
                issues.Add(new("Topology", null, topology.Name, "is defined twice; the first definition is used."));
                continue;
            }

            if (topology.Levels.Count == 0)
            {
                issues.Add(new("Topology", null, topology.Name, "has no levels, so no node is in it; list 1 to 16 node labels in spec.levels."));
            }

            result.Add(TopologyDomainsBuilder.Build(topology, nodes));
        }

        return [.. result];
    }

    /// <summary>
    /// The group's sub-group tree (pod group, sub-groups that hold sub-groups, pod sets), built only when a
    /// topology constraint appears somewhere in it: placement walks it then, and only then.
    /// </summary>
    private static SubGroupSet? SubGroupTree(PodGroup group, PodSet[] podSets)
    {
        if (group.Topology is null && group.SubGroups.All(s => s.Topology is null))
        {
            return null;
        }

        var root = new SubGroupSet(string.Empty, group.Topology, null);
        if (group.SubGroups.Count == 0)
        {
            root.Add(0);
            root.Complete(podSets);
            return root;
        }

        // Sub-groups that are another's parent hold sub-groups; the others are the pod sets (same rule as FormPodSets).
        var byName = group.SubGroups.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var leafNames = new HashSet<string>(LeafSubGroups(group).Select(s => s.Name), StringComparer.Ordinal);
        var sets = new Dictionary<string, SubGroupSet>(StringComparer.Ordinal);
        SubGroupSet SetOf(string name, HashSet<string> visiting)
        {
            if (sets.TryGetValue(name, out var known))
            {
                return known;
            }

            // A parent that is missing or in a cycle (the API server's webhook rejects both) hangs the sub-group under the root.
            var parentName = ParentOf(byName[name]);
            var parent = parentName is not null && !leafNames.Contains(parentName) && visiting.Add(parentName) ? SetOf(parentName, visiting) : root;
            var set = new SubGroupSet(name, byName[name].Topology, parent);
            sets[name] = set;
            parent.Add(set);
            return set;
        }

        string? ParentOf(SubGroup subGroup) =>
            subGroup.Parent is { } p ? byName.Keys.FirstOrDefault(n => string.Equals(n, p, StringComparison.OrdinalIgnoreCase)) : null;

        foreach (var name in byName.Keys.Where(n => !leafNames.Contains(n)).Order(StringComparer.Ordinal))
        {
            SetOf(name, new HashSet<string>(StringComparer.Ordinal) { name });
        }

        for (var s = 0; s < podSets.Length; s++)
        {
            var parentName = byName.TryGetValue(podSets[s].Name, out var subGroup) && leafNames.Contains(subGroup.Name) ? ParentOf(subGroup) : null;
            (parentName is not null && sets.TryGetValue(parentName, out var parent) ? parent : root).Add(s);
        }

        root.Complete(podSets);
        return root;
    }

    /// <summary>Each group's leaf queue (-1 when it does not exist or has children, with an issue), and the groups by key.</summary>
    private static int[] LinkGroupsToQueues(PodGroup[] groups, Queue[] queues, Dictionary<string, int> queueByName, int[][] queueChildren, Dictionary<PodGroupKey, int> groupByKey, List<SnapshotIssue> issues)
    {
        var groupQueue = new int[groups.Length];
        for (var g = 0; g < groups.Length; g++)
        {
            groupByKey.TryAdd(groups[g].Key, g);
            var q = queueByName.GetValueOrDefault(groups[g].QueueName, -1);
            if (q >= 0 && queueChildren[q].Length > 0)
            {
                issues.Add(new("PodGroup", groups[g].Namespace, groups[g].Name,
                    $"queue '{groups[g].QueueName}' has child queues; only leaf queues run workloads. Use one of: {string.Join(", ", queueChildren[q].Select(c => queues[c].Name))}."));
                q = -1;
            }

            groupQueue[g] = q;
        }

        return groupQueue;
    }

    /// <summary>Each pod's node and group (-1 when none or unknown, with an issue for a pending pod of ours); the members of each group, in pod order.</summary>
    private static int[][] LinkPods(Pod[] pods, int groupCount, Dictionary<string, int> nodeByName, Dictionary<PodGroupKey, int> groupByKey, int[] podNode, int[] podGroup, List<SnapshotIssue> issues)
    {
        // Two passes, counting then filling, so each group's members are one exact array (no growing lists).
        var counts = new int[groupCount];
        for (var p = 0; p < pods.Length; p++)
        {
            var pod = pods[p];
            podNode[p] = pod.NodeName is { } nodeName ? nodeByName.GetValueOrDefault(nodeName, -1) : -1;
            podGroup[p] = -1;
            if (pod.GroupName is not { } groupName)
            {
                continue;
            }

            if (groupByKey.TryGetValue(new PodGroupKey(pod.Namespace, groupName), out var g))
            {
                podGroup[p] = g;
                counts[g]++;
            }
            else if (pod.IsScheduledByUs && pod.Status is PodStatus.Pending)
            {
                issues.Add(new("Pod", pod.Namespace, pod.Name,
                    $"names pod group '{groupName}' (annotation pod-group-name), which does not exist in namespace '{pod.Namespace}'; create the PodGroup or remove the annotation."));
            }
        }

        var membersByGroup = new int[groupCount][];
        for (var g = 0; g < groupCount; g++)
        {
            membersByGroup[g] = counts[g] == 0 ? [] : new int[counts[g]];
            counts[g] = 0;
        }

        for (var p = 0; p < pods.Length; p++)
        {
            if (podGroup[p] is var g and >= 0)
            {
                membersByGroup[g][counts[g]++] = p;
            }
        }

        return membersByGroup;
    }

    /// <summary>Every group's pod sets and members; a group with some pods but too few for a minimum gets an issue.</summary>
    private static (PodSet[][] PodSets, int[][] Members) FormGangs(PodGroup[] groups, Pod[] pods, int[][] membersByGroup, int[] podPodSet, int[] podGroup, List<SnapshotIssue> issues)
    {
        var groupPodSets = new PodSet[groups.Length][];
        var groupMembers = new int[groups.Length][];
        for (var g = 0; g < groups.Length; g++)
        {
            var members = membersByGroup[g];
            groupPodSets[g] = FormPodSets(groups[g], members, pods, podPodSet, podGroup, issues);
            // A pod that named an unknown sub-group has been let go of (group -1); it is no member either.
            groupMembers[g] = StillMembers(members, podGroup, g);
            // A group with no pods at all (e.g. all evicted) is simply empty; one with some but too few can never start.
            foreach (var set in groupPodSets[g])
            {
                if (set.Members.Length < set.MinAvailable && members.Length > 0)
                {
                    var where = groupPodSets[g].Length > 1 ? $" in sub-group '{set.Name}'" : string.Empty;
                    issues.Add(new("PodGroup", groups[g].Namespace, groups[g].Name,
                        $"needs {set.MinAvailable} pods{where} (minMember) but has {set.Members.Length}; it waits (NotReady) until enough pods exist. Lower minMember or add pods."));
                }
            }
        }

        return (groupPodSets, groupMembers);
    }

    /// <summary>The members still in <paramref name="group"/>: the same array when none left (the usual case).</summary>
    private static int[] StillMembers(int[] members, int[] podGroup, int group)
    {
        foreach (var p in members)
        {
            if (podGroup[p] != group)
            {
                return Array.FindAll(members, m => podGroup[m] == group);
            }
        }

        return members;
    }

    private static PodSet[] FormPodSets(PodGroup group, int[] members, Pod[] pods, int[] podPodSet, int[] podGroup, List<SnapshotIssue> issues)
    {
        if (group.SubGroups.Count == 0)
        {
            foreach (var p in members)
            {
                podPodSet[p] = 0;
            }

            return [new PodSet(DefaultPodSetName, Math.Max(group.MinMember, 0), members)];
        }

        var leaves = LeafSubGroups(group);
        var setMembers = JoinSubGroups(group, leaves, members, pods, podPodSet, podGroup, issues, out var unlabelled);
        var sets = new List<PodSet>();
        for (var s = 0; s < leaves.Count; s++)
        {
            sets.Add(new PodSet(leaves[s].Name, Math.Max(leaves[s].MinMember, 0), [.. setMembers[s]], leaves[s].Topology));
        }

        if (unlabelled is not null)
        {
            // Pods without a sub-group label run as optional extras once the sub-groups are satisfied.
            foreach (var p in unlabelled)
            {
                podPodSet[p] = sets.Count;
            }

            sets.Add(new PodSet(DefaultPodSetName, 0, [.. unlabelled]));
        }

        return [.. sets];
    }

    /// <summary>The sub-groups pods join, by name: a sub-group that is another's parent only structures the tree.</summary>
    private static List<SubGroup> LeafSubGroups(PodGroup group)
    {
        var parents = new HashSet<string>(group.SubGroups.Where(s => s.Parent is not null).Select(s => s.Parent!.ToLowerInvariant()), StringComparer.Ordinal);
        return [.. group.SubGroups.Where(s => !parents.Contains(s.Name.ToLowerInvariant())).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>The members of each leaf sub-group; pods without a sub-group label come back apart, and a pod naming an unknown one leaves the group.</summary>
    private static List<List<int>> JoinSubGroups(PodGroup group, List<SubGroup> leaves, int[] members, Pod[] pods, int[] podPodSet, int[] podGroup, List<SnapshotIssue> issues, out List<int>? unlabelled)
    {
        var setIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var setMembers = new List<List<int>>();
        foreach (var leaf in leaves)
        {
            setIndex[leaf.Name] = setMembers.Count;
            setMembers.Add([]);
        }

        unlabelled = null;
        foreach (var p in members)
        {
            var name = pods[p].SubGroupName;
            if (name is null)
            {
                (unlabelled ??= []).Add(p);
            }
            else if (setIndex.TryGetValue(name, out var s))
            {
                setMembers[s].Add(p);
                podPodSet[p] = s;
            }
            else
            {
                // KAI ignores a pod whose sub-group is unknown; say so instead of silently dropping it.
                podGroup[p] = -1;
                issues.Add(new("Pod", pods[p].Namespace, pods[p].Name,
                    $"names sub-group '{name}' (label kai.scheduler/subgroup-name), which pod group '{group.Name}' does not define; known leaf sub-groups: {string.Join(", ", setIndex.Keys)}."));
            }
        }

        return setMembers;
    }

    private static Queue[] LinkQueues(
        IReadOnlyList<Queue> input,
        List<SnapshotIssue> issues,
        out int[] parentOf,
        out int[][] childrenOf,
        out int[] topLevel,
        out Dictionary<string, int> byName)
    {
        var all = input.GroupBy(q => q.Name, StringComparer.Ordinal).Select(g => g.First()).ToDictionary(q => q.Name, StringComparer.Ordinal);

        // A queue is valid when following parents reaches a top-level queue without a cycle or a missing name.
        var valid = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in all.Keys.Order(StringComparer.Ordinal))
        {
            Validate(name, all, valid, issues);
        }

        var queues = all.Values.Where(q => valid[q.Name]).OrderBy(q => q.Name, StringComparer.Ordinal).ToArray();
        byName = new Dictionary<string, int>(queues.Length, StringComparer.Ordinal);
        for (var i = 0; i < queues.Length; i++)
        {
            byName[queues[i].Name] = i;
        }

        parentOf = new int[queues.Length];
        var children = new List<int>[queues.Length];
        var tops = new List<int>();
        for (var i = 0; i < queues.Length; i++)
        {
            children[i] = [];
        }

        for (var i = 0; i < queues.Length; i++)
        {
            var parent = queues[i].ParentName is { Length: > 0 } p ? byName[p] : -1;
            parentOf[i] = parent;
            if (parent < 0)
            {
                tops.Add(i);
            }
            else
            {
                children[parent].Add(i);
            }
        }

        childrenOf = children.Select(c => c.ToArray()).ToArray();
        topLevel = [.. tops];
        return queues;
    }

    /// <summary>Judges the queues of a parent cycle (the path from <paramref name="at"/> on) invalid, and takes them off the path.</summary>
    private static void MarkCycle(List<string> path, int at, string current, Dictionary<string, bool> valid, List<SnapshotIssue> issues)
    {
        var cycle = path.Skip(at).ToList();
        var text = string.Join(" -> ", cycle.Append(current));
        foreach (var member in cycle)
        {
            valid[member] = false;
            issues.Add(new("Queue", null, member, $"is in a parent cycle ({text}); give one of these queues another spec.parentQueue, or none. The cycle and its descendants are not scheduled."));
        }

        path.RemoveRange(at, path.Count - at);
    }

    /// <summary>
    /// Follows parents from <paramref name="name"/> until a top-level queue, a queue already judged, a missing
    /// parent or a cycle, and judges every queue on the way, with an issue for each invalid one.
    /// </summary>
    private static void Validate(string name, Dictionary<string, Queue> all, Dictionary<string, bool> valid, List<SnapshotIssue> issues)
    {
        var path = new List<string>();
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        var current = name;
        bool ok;
        string? invalidAncestor = null;
        while (true)
        {
            if (valid.TryGetValue(current, out var known))
            {
                ok = known;
                invalidAncestor = known ? null : current;
                break;
            }

            if (positions.TryGetValue(current, out var at))
            {
                ok = false;
                invalidAncestor = path[at];
                MarkCycle(path, at, current, valid, issues);
                break;
            }

            positions[current] = path.Count;
            path.Add(current);
            var parent = all[current].ParentName;
            if (string.IsNullOrEmpty(parent))
            {
                ok = true;
                break;
            }

            if (!all.ContainsKey(parent))
            {
                valid[current] = false;
                issues.Add(new("Queue", null, current, $"names parent queue '{parent}', which does not exist; create it or remove spec.parentQueue. The queue and its descendants are not scheduled."));
                ok = false;
                invalidAncestor = current;
                path.RemoveAt(path.Count - 1);
                break;
            }

            current = parent;
        }

        // What is left on the path are descendants of where the walk stopped.
        foreach (var queue in path)
        {
            valid[queue] = ok;
            if (!ok)
            {
                issues.Add(new("Queue", null, queue, $"has an invalid ancestor ('{invalidAncestor}'), so it is not scheduled; fix that queue first."));
            }
        }
    }
}
