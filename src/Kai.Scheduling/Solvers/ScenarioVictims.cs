using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim units a search has taken so far, by group and by the nodes their pods run on: trying a node
/// evicts every taken pod of each group that has one there (KAI's victims "from nodes" are whole victim groups
/// as far as they were taken, not only their pods on that node).
/// </summary>
internal sealed class ScenarioVictims(Session session)
{
    private readonly Dictionary<int, List<int>> _podsByGroup = [];

    // The groups with a taken pod on each node, read through the node's stamp (a node's list is kept for the next step,
    // emptied when first touched again): a try reads its node's groups, the bound and the set check read them per unit.
    // Indexed by node + 1: a taken pod on no node (-1) has its groups too, as the dictionary this replaced had.
    private readonly List<int>?[] _groupsByNode = new List<int>?[session.Snapshot.Nodes.Count + 1];
    private readonly int[] _nodeGeneration = new int[session.Snapshot.Nodes.Count + 1];

    // Lists of an earlier step's books, cleared, for the next (a search's steps, and an action's searches, reuse one).
    private readonly Stack<List<int>> _spare = [];

    /// <summary>Bumped by <see cref="Reset"/>: what was read of the taken units before it is stale (the same object holds others).</summary>
    public int Generation { get; private set; } = 1;

    /// <summary>Forgets every taken unit, keeping the books' room for the next step.</summary>
    public void Reset()
    {
        foreach (var pods in _podsByGroup.Values)
        {
            pods.Clear();
            _spare.Push(pods);
        }

        _podsByGroup.Clear();
        Generation++;
    }

    private List<int> NewList() => _spare.TryPop(out var list) ? list : [];

    public void Add(int group, List<int> pods)
    {
        if (pods.Count == 0)
        {
            return;
        }

        if (!_podsByGroup.TryGetValue(group, out var taken))
        {
            _podsByGroup[group] = taken = NewList();
        }

        taken.AddRange(pods);
        foreach (var pod in pods)
        {
            var groups = GroupsAddedTo(session.NodeOf(pod));
            if (!groups.Contains(group))
            {
                groups.Add(group);
            }
        }
    }

    /// <summary>The node's list of groups, emptied at its first touch since <see cref="Reset"/>.</summary>
    private List<int> GroupsAddedTo(int node)
    {
        var groups = _groupsByNode[node + 1] ??= [];
        if (_nodeGeneration[node + 1] != Generation)
        {
            _nodeGeneration[node + 1] = Generation;
            groups.Clear();
        }

        return groups;
    }

    /// <summary>Every group's taken pods.</summary>
    public Dictionary<int, List<int>> TakenByGroup => _podsByGroup;

    /// <summary>The groups with a taken pod on the node, in the order first taken there (null: none).</summary>
    public List<int>? GroupsOn(int node) => _nodeGeneration[node + 1] == Generation ? _groupsByNode[node + 1] : null;

    /// <summary>Whether the same groups have a taken pod on both nodes.</summary>
    public bool SameGroupsOn(int node, int other)
    {
        var groups = GroupsOn(node);
        var others = GroupsOn(other);
        if (groups is null || others is null)
        {
            return groups is null && others is null;
        }

        return groups.Count == others.Count && groups.TrueForAll(others.Contains);
    }

    /// <summary>The group's taken pods, in the order taken.</summary>
    public List<int> PodsTakenOf(int group) => _podsByGroup[group];

    /// <summary>Every taken pod of the groups with a taken pod on the node, in the order taken, group by group.</summary>
    public List<int> OfGroupsOn(int node)
    {
        var pods = new List<int>();
        if (GroupsOn(node) is { } groups)
        {
            foreach (var group in groups)
            {
                pods.AddRange(_podsByGroup[group]);
            }
        }

        return pods;
    }

    /// <summary>
    /// A key of <see cref="OfGroupsOn"/>'s victim set without building it, so the same set is simulated once (compare
    /// keys with <see cref="KeyComparer"/>): the groups with a taken pod on the node and how many pods each has taken,
    /// in group order. A group's taken pods only grow, in the order taken, so the counts name the set exactly.
    /// </summary>
    public long[] KeyOfGroupsOn(int node)
    {
        if (GroupsOn(node) is not { } groups)
        {
            return [];
        }

        var key = new long[groups.Count];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = ((long)groups[i] << 32) | (uint)_podsByGroup[groups[i]].Count;
        }

        Array.Sort(key);
        return key;
    }

    /// <summary>Compares <see cref="KeyOfGroupsOn"/> keys by content.</summary>
    public static IEqualityComparer<long[]> KeyComparer { get; } = new ContentComparer();

    private sealed class ContentComparer : IEqualityComparer<long[]>
    {
        public bool Equals(long[]? x, long[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(long[] key)
        {
            var hash = new HashCode();
            foreach (var part in key)
            {
                hash.Add(part);
            }

            return hash.ToHashCode();
        }
    }
}
