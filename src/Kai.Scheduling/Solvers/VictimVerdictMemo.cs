namespace Kai.Scheduling.Solvers;

/// <summary>
/// One eligibility's verdicts, per group and per queue, kept by the action's shared walks and emptied for the next
/// search's (<see cref="VictimEligibility"/>). A follower of a walk asks the memo once per verdict written, hundreds of
/// thousands of times a cycle at 140,000 pods: in arrays indexed by group and queue (grown as ids are asked, emptied
/// through the list of what was written) a look is an index, where a dictionary hashed, probed and grew.
/// </summary>
/// <param name="inArrays">Whether the verdicts are kept in arrays (else in dictionaries).</param>
/// <param name="groups">The session's pod groups (the group array's size; 0: grown as ids are asked).</param>
/// <param name="queues">The session's queues (the queue array's size; 0: grown as ids are asked).</param>
internal sealed class VictimVerdictMemo(bool inArrays = true, int groups = 0, int queues = 0)
{
    // Array form: 0 unknown, 1 yes, 2 no; the ids written, to empty only those.
    private sbyte[] _groups = inArrays ? new sbyte[groups] : [];
    private sbyte[] _queues = inArrays ? new sbyte[queues] : [];
    private readonly List<int> _groupsWritten = [];
    private readonly List<int> _queuesWritten = [];

    // Dictionary form (the reference the arrays are compared with in tests).
    private readonly Dictionary<int, bool>? _groupsByKey = inArrays ? null : [];
    private readonly Dictionary<int, bool>? _queuesByKey = inArrays ? null : [];

    /// <summary>Whether the verdicts are kept in arrays (else in dictionaries).</summary>
    public bool InArrays => _groupsByKey is null;

    public bool TryGetGroup(int group, out bool eligible) => TryGet(_groupsByKey, _groups, group, out eligible);

    public void SetGroup(int group, bool eligible) => Set(_groupsByKey, ref _groups, _groupsWritten, group, eligible);

    public bool TryGetQueue(int queue, out bool may) => TryGet(_queuesByKey, _queues, queue, out may);

    public void SetQueue(int queue, bool may) => Set(_queuesByKey, ref _queues, _queuesWritten, queue, may);

    /// <summary>The memo with no verdict, for another search.</summary>
    public VictimVerdictMemo Emptied()
    {
        _groupsByKey?.Clear();
        _queuesByKey?.Clear();
        Clear(_groups, _groupsWritten);
        Clear(_queues, _queuesWritten);
        return this;
    }

    private static bool TryGet(Dictionary<int, bool>? byKey, sbyte[] byId, int id, out bool answer)
    {
        if (byKey is not null)
        {
            return byKey.TryGetValue(id, out answer);
        }

        var known = (uint)id < (uint)byId.Length ? byId[id] : (sbyte)0;
        answer = known == 1;
        return known != 0;
    }

    private static void Set(Dictionary<int, bool>? byKey, ref sbyte[] byId, List<int> written, int id, bool answer)
    {
        if (byKey is not null)
        {
            byKey[id] = answer;
            return;
        }

        if (id >= byId.Length)
        {
            Array.Resize(ref byId, Math.Max(id + 1, Math.Max(64, byId.Length * 2)));
        }

        if (byId[id] == 0)
        {
            written.Add(id);
        }

        byId[id] = answer ? (sbyte)1 : (sbyte)2;
    }

    private static void Clear(sbyte[] byId, List<int> written)
    {
        foreach (var id in written)
        {
            byId[id] = 0;
        }

        written.Clear();
    }
}
