using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    public static ClusterSnapshot Build(ClusterState state) => Build(state, null);

    /// <summary>
    /// Builds the snapshot of <paramref name="state"/>, carrying over from <paramref name="previous"/> (the snapshot
    /// built from the same source's previous state) the links of every pod, group and pod set that did not change;
    /// the result equals <see cref="Build(ClusterState)"/>'s. Snapshots are immutable, so sharing their parts is safe.
    /// </summary>
    public static ClusterSnapshot Build(ClusterState state, ClusterSnapshot? previous) => Build(state, previous, CoreSplit.Default);

    /// <summary>
    /// <see cref="Build(ClusterState, ClusterSnapshot?)"/> with its per-pod and per-group loops split as
    /// <paramref name="split"/> says; the snapshot is the same whatever the split (each chunk writes only its own indices).
    /// </summary>
    public static ClusterSnapshot Build(ClusterState state, ClusterSnapshot? previous, CoreSplit split)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(split);
        var issues = new List<SnapshotIssue>();
        var nodes = (state.InSnapshotOrder ? [.. state.Nodes] : InOrder(state.Nodes, static (a, b) => string.CompareOrdinal(a.Name, b.Name)))
            ?? state.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        var queues = LinkQueues(state.Queues, issues, out var queueParent, out var queueChildren, out var topLevel, out var queueByName);
        var groups = (state.InSnapshotOrder ? [.. state.PodGroups] : InOrder(state.PodGroups, CompareGroupKeys))
            ?? state.PodGroups.OrderBy(g => g.Namespace, StringComparer.Ordinal).ThenBy(g => g.Name, StringComparer.Ordinal).ToArray();
        var groupQueue = LinkGroupsToQueues(groups, queues, queueByName, queueChildren, issues, split);
        // An immutable array is taken as it is (nothing writes to it); any other list is copied.
        var pods = state.Pods is ImmutableArray<Pod> { IsDefault: false } immutable ? ImmutableCollectionsMarshal.AsArray(immutable)! : state.Pods.ToArray();
        var carry = SnapshotCarryOver.From(previous, state, nodes, pods, groups, split);
        var nodeByName = carry is not null && carry.SameNodeNames(nodes) ? carry.Previous.Links.NodeByName : NodesByName(nodes);
        var podNode = new int[pods.Length];
        var podGroup = new int[pods.Length];
        var (groupByKey, podAffinity) = GroupIndexAndAffinity(pods, groups, carry, split);
        var linkedMembers = LinkPods(new PodLinks(pods, groups, nodeByName, carry, podNode, podGroup), groupByKey, issues, split);
        var podPodSet = new int[pods.Length];
        var gangs = FormGangs(groups, pods, linkedMembers, podPodSet, podGroup, carry, split);
        foreach (var groupIssues in gangs.Issues)
        {
            issues.AddRange(groupIssues ?? []);
        }

        var topologies = LayTopologies(state.Topologies, nodes, issues);
        var links = new SnapshotLinks
        {
            PodNode = podNode,
            PodGroup = podGroup,
            PodPodSet = podPodSet,
            GroupQueue = groupQueue,
            GroupPodSets = gangs.PodSets,
            GroupMembers = gangs.Members,
            QueueParent = queueParent,
            QueueChildren = queueChildren,
            TopLevelQueues = topLevel,
            NodeByName = nodeByName,
            QueueByName = queueByName,
            SortedGroups = groups,
            PodAffinity = podAffinity,
            AffinityCounts = AffinityFlags.Count(podAffinity),
            LinkedMembers = linkedMembers,
            GroupIssues = gangs.Issues,
            GroupTrees = gangs.Trees,
        };
        var snapshot = new ClusterSnapshot(state.Now, state.Catalog, nodes, pods, groups, queues, links, issues, topologies, state.NamespaceLabels);
        Chain(previous, snapshot, carry);
        return snapshot;
    }

    /// <summary>
    /// Lets the new snapshot's session patch the previous snapshot's starting books, and the previous snapshot let go
    /// of its own predecessor (so at most two snapshots are ever chained).
    /// </summary>
    private static void Chain(ClusterSnapshot? previous, ClusterSnapshot snapshot, SnapshotCarryOver? carry)
    {
        snapshot.CarriedFrom = carry;
        if (previous is not null)
        {
            lock (previous.BooksLock)
            {
                previous.CarriedFrom?.Release();
                previous.CarriedFrom = null;
            }
        }
    }

    /// <summary>
    /// The index of the first group of that key in <paramref name="sorted"/> (sorted by namespace, then name), or -1:
    /// a binary search, so that a snapshot keeps no index of its groups by key.
    /// </summary>
    internal static int FindGroup(PodGroup[] sorted, string @namespace, string name)
    {
        var low = 0;
        var high = sorted.Length;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            var order = string.CompareOrdinal(sorted[middle].Namespace, @namespace) is var ns and not 0 ? ns : string.CompareOrdinal(sorted[middle].Name, name);
            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low < sorted.Length && sorted[low].Namespace == @namespace && sorted[low].Name == name ? low : -1;
    }

    /// <summary>The snapshot's group order: by namespace, then name (not the ordinal order of <c>namespace/name</c> texts).</summary>
    internal static int CompareGroupKeys(PodGroup a, PodGroup b) =>
        string.CompareOrdinal(a.Namespace, b.Namespace) is var ns and not 0 ? ns : string.CompareOrdinal(a.Name, b.Name);

    private static Dictionary<string, int> NodesByName(Node[] nodes)
    {
        var nodeByName = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            nodeByName.TryAdd(nodes[i].Name, i);
        }

        return nodeByName;
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

    /// <summary>Each group's leaf queue (-1 when it does not exist or has children, with an issue).</summary>
    private static int[] LinkGroupsToQueues(PodGroup[] groups, Queue[] queues, Dictionary<string, int> queueByName, int[][] queueChildren, List<SnapshotIssue> issues, CoreSplit split)
    {
        var groupQueue = new int[groups.Length];
        var chunkIssues = new List<SnapshotIssue>?[split.ChunksOf(groups.Length)];
        split.For(groups.Length, (chunk, start, end) =>
        {
            for (var g = start; g < end; g++)
            {
                var q = queueByName.GetValueOrDefault(groups[g].QueueName, -1);
                if (q >= 0 && queueChildren[q].Length > 0)
                {
                    (chunkIssues[chunk] ??= []).Add(new("PodGroup", groups[g].Namespace, groups[g].Name,
                        $"queue '{groups[g].QueueName}' has child queues; only leaf queues run workloads. Use one of: {string.Join(", ", queueChildren[q].Select(c => queues[c].Name))}."));
                    q = -1;
                }

                groupQueue[g] = q;
            }
        });
        AddInOrder(issues, chunkIssues);
        return groupQueue;
    }

    /// <summary>The issues each chunk of a split loop found, in chunk order: the order the sequential loop finds them in.</summary>
    private static void AddInOrder(List<SnapshotIssue> issues, List<SnapshotIssue>?[] chunkIssues)
    {
        foreach (var found in chunkIssues)
        {
            issues.AddRange(found ?? []);
        }
    }

    /// <summary>
    /// Each pod's node and group (-1 when none or unknown, with an issue for a pending pod of ours); the members of each
    /// group, in pod order. A pod carried over from the previous snapshot has its links translated, not looked up.
    /// </summary>
    private static int[][] LinkPods(PodLinks links, Dictionary<PodGroupKey, int>? groupByKey, List<SnapshotIssue> issues, CoreSplit split)
    {
        var chunkIssues = new List<SnapshotIssue>?[split.ChunksOf(links.Pods.Length)];
        split.For(links.Pods.Length, (chunk, start, end) => LinkPodRange(links, groupByKey, start, end, ref chunkIssues[chunk]));
        AddInOrder(issues, chunkIssues);
        return MembersByGroup(links.PodGroup, links.Groups.Length, links.Carry);
    }

    /// <summary>What <see cref="LinkPods"/> reads and writes: the pods' node and group are written by pod index.</summary>
    private sealed record PodLinks(Pod[] Pods, PodGroup[] Groups, Dictionary<string, int> NodeByName, SnapshotCarryOver? Carry, int[] PodNode, int[] PodGroup);

    /// <summary>Links pods [<paramref name="start"/>, <paramref name="end"/>): writes only their indices, and their issues to <paramref name="issues"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LinkPodRange(PodLinks links, Dictionary<PodGroupKey, int>? groupByKey, int start, int end, ref List<SnapshotIssue>? issues)
    {
        var (pods, groups, nodeByName, carry, podNode, podGroup) = links;
        var previous = carry?.Previous.Links;
        for (var p = start; p < end; p++)
        {
            var pod = pods[p];
            var o = carry is null ? -1 : carry.PodFrom[p];
            var node = o >= 0 && previous!.PodNode[o] is var n and >= 0 ? carry!.NodeMap[n] : -1;
            podNode[p] = node >= 0 || pod.NodeName is null ? node : nodeByName.GetValueOrDefault(pod.NodeName, -1);
            // A pod let go of for naming an unknown sub-group has group -1 there, and is looked up again (rare).
            var group = o >= 0 && previous!.PodGroup[o] is var g and >= 0 ? carry!.GroupMap[g] : -1;
            if (group < 0 && pod.GroupName is { } groupName)
            {
                group = groupByKey is not null ? groupByKey.GetValueOrDefault(new PodGroupKey(pod.Namespace, groupName), -1) : FindGroup(groups, pod.Namespace, groupName);
                if (group < 0 && pod.IsScheduledByUs && pod.Status is PodStatus.Pending)
                {
                    (issues ??= []).Add(new("Pod", pod.Namespace, pod.Name,
                        $"names pod group '{groupName}' (annotation pod-group-name), which does not exist in namespace '{pod.Namespace}'; create the PodGroup or remove the annotation."));
                }
            }

            podGroup[p] = group;
        }
    }

    /// <summary>
    /// The groups by key when every pod is to be looked up (no previous snapshot; null otherwise: pods carried over are
    /// translated, the others found by binary search), and the pods' affinity flags. Without a previous snapshot both
    /// read every object once and neither needs the other: built side by side when the loops are split.
    /// </summary>
    private static (Dictionary<PodGroupKey, int>? GroupByKey, byte[] PodAffinity) GroupIndexAndAffinity(Pod[] pods, PodGroup[] groups, SnapshotCarryOver? carry, CoreSplit split)
    {
        if (carry is not null)
        {
            return (null, AffinityFlags.Of(pods, carry, split));
        }

        Dictionary<PodGroupKey, int> groupByKey = [];
        byte[] podAffinity = [];
        split.Both(pods.Length, () => groupByKey = GroupsByKey(groups), () => podAffinity = AffinityFlags.Of(pods, null, CoreSplit.Sequential));
        return (groupByKey, podAffinity);
    }

    private static Dictionary<PodGroupKey, int> GroupsByKey(PodGroup[] groups)
    {
        var groupByKey = new Dictionary<PodGroupKey, int>(groups.Length);
        for (var g = 0; g < groups.Length; g++)
        {
            groupByKey.TryAdd(groups[g].Key, g);
        }

        return groupByKey;
    }

    /// <summary>
    /// Each group's members in pod order, one exact array each (counted first, so no list grows). A group whose
    /// members are the previous snapshot's, at the same indices, keeps that array (most groups, from cycle to cycle).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[][] MembersByGroup(int[] podGroup, int groupCount, SnapshotCarryOver? carry)
    {
        var counts = new int[groupCount];
        foreach (var g in podGroup)
        {
            if (g >= 0)
            {
                counts[g]++;
            }
        }

        var membersByGroup = new int[counts.Length][];
        var kept = new bool[counts.Length];
        for (var g = 0; g < counts.Length; g++)
        {
            var before = carry is not null && carry.GroupFrom[g] is var o and >= 0 ? carry.Previous.Links.LinkedMembers[o] : null;
            kept[g] = before is not null && before.Length == counts[g];
            membersByGroup[g] = kept[g] ? before! : counts[g] == 0 ? [] : new int[counts[g]];
            counts[g] = 0;
        }

        for (var p = 0; p < podGroup.Length; p++)
        {
            if (podGroup[p] is not (var g and >= 0))
            {
                continue;
            }

            var at = counts[g]++;
            if (kept[g] && membersByGroup[g][at] == p)
            {
                continue;
            }

            if (kept[g])
            {
                // Not the same members after all: a fresh array, with the members so far (they matched).
                var fresh = new int[membersByGroup[g].Length];
                Array.Copy(membersByGroup[g], fresh, at);
                membersByGroup[g] = fresh;
                kept[g] = false;
            }

            membersByGroup[g][at] = p;
        }

        return membersByGroup;
    }

    /// <summary>Every group's pod sets, members, sub-group tree and issues (a group with some pods but too few for a minimum gets one).</summary>
    private static Gangs FormGangs(PodGroup[] groups, Pod[] pods, int[][] membersByGroup, int[] podPodSet, int[] podGroup, SnapshotCarryOver? carry, CoreSplit split)
    {
        var gangs = new Gangs(new PodSet[groups.Length][], new int[groups.Length][], new SubGroupSet?[groups.Length], new SnapshotIssue[]?[groups.Length]);
        // A group's members are its own pods (each pod is in one group at most), so chunks of groups write apart.
        split.For(groups.Length, (_, start, end) => FormGangRange(groups, pods, membersByGroup, podPodSet, podGroup, carry, gangs, start, end));
        return gangs;
    }

    /// <summary>Forms groups [<paramref name="start"/>, <paramref name="end"/>), writing only their entries and their members' pod sets.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FormGangRange(PodGroup[] groups, Pod[] pods, int[][] membersByGroup, int[] podPodSet, int[] podGroup, SnapshotCarryOver? carry, Gangs gangs, int start, int end)
    {
        var groupIssues = new List<SnapshotIssue>();
        for (var g = start; g < end; g++)
        {
            var members = membersByGroup[g];
            if (carry is not null && carry.SameGang(g, groups, members))
            {
                CarryGang(carry, g, members, gangs, podPodSet, podGroup);
                continue;
            }

            groupIssues.Clear();
            var podSets = FormPodSets(groups[g], members, pods, podPodSet, podGroup, groupIssues);
            gangs.PodSets[g] = podSets;
            // A pod that named an unknown sub-group has been let go of (group -1); it is no member either.
            gangs.Members[g] = StillMembers(members, podGroup, g);
            gangs.Trees[g] = SubGroupTree(groups[g], podSets);
            // A group with no pods at all (e.g. all evicted) is simply empty; one with some but too few can never start.
            foreach (var set in podSets)
            {
                if (set.Members.Length < set.MinAvailable && members.Length > 0)
                {
                    var where = podSets.Length > 1 ? $" in sub-group '{set.Name}'" : string.Empty;
                    groupIssues.Add(new("PodGroup", groups[g].Namespace, groups[g].Name,
                        $"needs {set.MinAvailable} pods{where} (minMember) but has {set.Members.Length}; it waits (NotReady) until enough pods exist. Lower minMember or add pods."));
                }
            }

            gangs.Issues[g] = groupIssues.Count == 0 ? null : [.. groupIssues];
        }
    }

    /// <summary>Takes a group formed exactly as before from the previous snapshot: its pod sets, members, tree and issues, and its pods' sets.</summary>
    private static void CarryGang(SnapshotCarryOver carry, int group, int[] members, Gangs gangs, int[] podPodSet, int[] podGroup)
    {
        var before = carry.Previous.Links;
        var o = carry.GroupFrom[group];
        gangs.PodSets[group] = before.GroupPodSets[o];
        gangs.Members[group] = before.GroupMembers[o];
        gangs.Trees[group] = before.GroupTrees[o];
        gangs.Issues[group] = before.GroupIssues[o];
        foreach (var p in members)
        {
            // Same pod at the same index: its set, and whether it named an unknown sub-group (group -1), are as before.
            podPodSet[p] = before.PodPodSet[p];
            podGroup[p] = before.PodGroup[p] < 0 ? -1 : group;
        }
    }

    /// <summary>What <see cref="FormGangs"/> forms, per group.</summary>
    private sealed record Gangs(PodSet[][] PodSets, int[][] Members, SubGroupSet?[] Trees, SnapshotIssue[]?[] Issues);

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
