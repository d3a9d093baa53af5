using System.Buffers;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Snapshots;

/// <summary>
/// What a snapshot can take over from the previous one: where each of the previous snapshot's nodes and groups
/// is now (matched by name, in one merge of the two sorted lists), and which pods are the very same objects as
/// then (the source says at which index, <see cref="ClusterState.PreviousPodIndex"/>; the reference is checked).
/// Links of those pods are translated instead of looked up by name, and groups whose members are all such pods
/// at the same indices keep their pod sets.
/// </summary>
internal sealed class SnapshotCarryOver
{
    private SnapshotCarryOver(ClusterSnapshot previous, int[] nodeMap, int[] groupFrom, int[] groupMap, int[] podFrom)
    {
        Previous = previous;
        NodeMap = nodeMap;
        GroupFrom = groupFrom;
        GroupMap = groupMap;
        _podFrom = podFrom;
    }

    public ClusterSnapshot Previous { get; }

    /// <summary>Previous node index → node index now (-1: gone).</summary>
    public int[] NodeMap { get; }

    /// <summary>Previous group index → group index now (-1: gone).</summary>
    public int[] GroupMap { get; }

    /// <summary>Group index now → previous group index (-1: new).</summary>
    public int[] GroupFrom { get; }

    /// <summary>
    /// Pod index now → previous index of the same pod object (-1: new or changed). A pooled array, at least as long as
    /// the pods (read only the pods' indices), until <see cref="Release"/>.
    /// </summary>
    public int[] PodFrom => _podFrom ?? throw new InvalidOperationException("The carry-over was released: its snapshot's books are built.");

    private int[]? _podFrom;

    /// <summary>Gives the pooled array back once the snapshot's books are built (or the snapshot is passed by).</summary>
    public void Release()
    {
        if (_podFrom is { } array)
        {
            _podFrom = null;
            ArrayPool<int>.Shared.Return(array);
        }
    }

    /// <summary>
    /// The carry-over from <paramref name="previous"/>, or null when nothing can be carried (no previous snapshot,
    /// or a source that does not say where its pods were).
    /// </summary>
    public static SnapshotCarryOver? From(ClusterSnapshot? previous, ClusterState state, Node[] nodes, Pod[] pods, PodGroup[] groups, CoreSplit split)
    {
        if (previous is null || state.PreviousPodIndex is not { } previousIndex || previousIndex.Count != pods.Length)
        {
            return null;
        }

        var nodeMap = Match(previous.Nodes, nodes, static (a, b) => string.CompareOrdinal(a.Name, b.Name), out _);
        var groupMap = Match(previous.Groups, groups, SnapshotBuilder.CompareGroupKeys, out var groupFrom);
        // Rented: a per-pod array that lives only while the snapshot is built and its books patched.
        var podFrom = ArrayPool<int>.Shared.Rent(pods.Length);
        var previousPods = previous.Pods;
        split.For(pods.Length, (_, start, end) =>
        {
            for (var p = start; p < end; p++)
            {
                var o = previousIndex[p];
                podFrom[p] = o >= 0 && o < previousPods.Count && ReferenceEquals(previousPods[o], pods[p]) ? o : -1;
            }
        });

        return new SnapshotCarryOver(previous, nodeMap, groupFrom, groupMap, podFrom);
    }

    /// <summary>
    /// Whether the nodes have the same names in the same order as in the previous snapshot (the usual case), so that
    /// node indices mean the same in both; the node objects may differ (<see cref="ChangedNodes"/>).
    /// </summary>
    public bool SameNodeNames(IReadOnlyList<Node> nodes)
    {
        if (nodes.Count != Previous.Nodes.Count)
        {
            return false;
        }

        for (var n = 0; n < NodeMap.Length; n++)
        {
            if (NodeMap[n] != n)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// With <see cref="SameNodeNames"/>, which nodes are other objects than in the previous snapshot (the cache maps a
    /// node again only when something the engine reads of it changed); null when every node is the same object.
    /// </summary>
    public bool[]? ChangedNodes(IReadOnlyList<Node> nodes)
    {
        bool[]? changed = null;
        for (var n = 0; n < nodes.Count; n++)
        {
            if (!ReferenceEquals(nodes[n], Previous.Nodes[n]))
            {
                changed ??= new bool[nodes.Count];
                changed[n] = true;
            }
        }

        return changed;
    }

    /// <summary>
    /// Whether group <paramref name="group"/> is formed exactly as in the previous snapshot: the same group object,
    /// linked to the same pods, each the same object at the same index.
    /// </summary>
    public bool SameGang(int group, PodGroup[] groups, int[] members)
    {
        var o = GroupFrom[group];
        if (o < 0 || !ReferenceEquals(Previous.Groups[o], groups[group]))
        {
            return false;
        }

        var before = Previous.Links.LinkedMembers[o];
        if (before.Length != members.Length)
        {
            return false;
        }

        for (var i = 0; i < members.Length; i++)
        {
            if (members[i] != before[i] || PodFrom[members[i]] != members[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Matches two lists sorted by <paramref name="compare"/> (without duplicates) in one merge: the result maps a
    /// previous index to the current one (-1: gone), <paramref name="from"/> the other way (-1: new). Objects that
    /// are the same instance match without comparing names.
    /// </summary>
    private static int[] Match<T>(IReadOnlyList<T> before, T[] now, Comparison<T> compare, out int[] from)
        where T : class
    {
        var map = new int[before.Count];
        from = new int[now.Length];
        Array.Fill(map, -1);
        Array.Fill(from, -1);
        var i = 0;
        var j = 0;
        while (i < before.Count && j < now.Length)
        {
            var order = ReferenceEquals(before[i], now[j]) ? 0 : compare(before[i], now[j]);
            if (order == 0)
            {
                map[i] = j;
                from[j] = i;
                i++;
                j++;
            }
            else if (order < 0)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return map;
    }
}
