using Kai.Scheduling.Framework;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The units an action's search took at its first step, in order, up to the first with a try no proof failed (the bound,
/// <see cref="StepProofBound"/>, or a try's own proofs), with how many tries each made: what the next search of the same need on the same
/// session takes from the walk, and how its tries end, as long as its units are the same.
/// </summary>
/// <remarks>
/// A failing reclaim search takes some 500 units and counts 512 tries, nearly all failed by the bound, and a failed search
/// leaves the session as it found it. A first step's books (the room estimate, the taken units, the bound) and its tries'
/// verdicts are a function of the session, the step's one pod and its group's placement, and the units in order: so a
/// later search whose pod is placed alike (<see cref="SameNeed"/>) and whose walk gives the same units again has the same
/// tries, each failed by the same proof, until the units differ or this record ends. Only then does it need its books; it fills
/// them from the record (<c>EvictionSolver.Search</c>'s catch-up) and goes on as the reference would.
/// </remarks>
internal sealed class ProofFailedUnits
{
    private readonly List<int> _groups = [];
    private readonly List<int> _podsEnd = [];
    private readonly List<int> _pods = [];
    private readonly List<ProofFailedTries> _tries = [];

    // The need recorded: the session's commits when it was, the searching group and its first pod, whether that pod could be
    // placed as the session stood (the room proof counts untouched nodes only then).
    private int _commitCount = -1;
    private int _group = -1;
    private int _pod = -1;
    private bool _placeableAlone;

    /// <summary>Units recorded.</summary>
    public int Count => _groups.Count;

    /// <summary>Forgets every unit and records for a new need.</summary>
    public void Restart(Session session, int group, int pod, bool placeableAlone)
    {
        (_commitCount, _group, _pod, _placeableAlone) = (session.CommitCount, group, pod, placeableAlone);
        TruncateTo(0);
    }

    /// <summary>
    /// Whether a first step of <paramref name="group"/> placing <paramref name="pod"/> on the session as it stands takes the
    /// same books and verdicts from the same units as the one recorded: nothing committed since, and a pod of the same
    /// request, GPU request, constraints and static verdicts, whose dynamic checks read only the node it is checked on
    /// (so neither its labels nor its namespace matter), in a group without topology or sub-groups.
    /// </summary>
    public bool SameNeed(Session session, int group, int pod, bool placeableAlone) =>
        _pod >= 0 && _commitCount == session.CommitCount && placeableAlone == _placeableAlone
        && (pod == _pod || SamePlacement(session, _group, _pod, group, pod));

    /// <summary>Whether a first step of <paramref name="group"/> for <paramref name="pod"/> may be recorded at all.</summary>
    public static bool MayRecord(Session session, int group, int pod)
    {
        var definition = session.Snapshot.Pods[pod];
        return session.Snapshot.Groups[group].Topology is null && session.Snapshot.SubGroupTreeOf(group) is null
            && definition.Claims.Count == 0 && definition.GpuGroups.Count == 0 && session.Plugins.DynamicChecksAreNodeLocal(session, pod);
    }

    private static bool SamePlacement(Session session, int group, int pod, int otherGroup, int other)
    {
        var (one, two) = (session.Snapshot.Pods[pod], session.Snapshot.Pods[other]);
        return MayRecord(session, group, pod) && MayRecord(session, otherGroup, other)
            && one.Request == two.Request && one.Gpu == two.Gpu && one.IsGpuReservation == two.IsGpuReservation
            && session.RequestOf(pod) == session.RequestOf(other)
            && (ReferenceEquals(one.Constraints, two.Constraints) || string.Equals(one.Constraints.Signature, two.Constraints.Signature, StringComparison.Ordinal))
            && ReferenceEquals(session.FeasibilityCache.ResultsFor(pod), session.FeasibilityCache.ResultsFor(other));
    }

    /// <summary>Whether unit <paramref name="index"/> is <paramref name="group"/>'s <paramref name="pods"/>, in the same order.</summary>
    public bool Matches(int index, int group, List<int> pods)
    {
        if (_groups[index] != group)
        {
            return false;
        }

        var from = index == 0 ? 0 : _podsEnd[index - 1];
        if (_podsEnd[index] - from != pods.Count)
        {
            return false;
        }

        for (var i = 0; i < pods.Count; i++)
        {
            if (_pods[from + i] != pods[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The tries unit <paramref name="index"/> made, every one failed by a proof, and by which.</summary>
    public ProofFailedTries TriesAt(int index) => _tries[index];

    /// <summary>Unit <paramref name="index"/>'s group, its pods written into <paramref name="pods"/>.</summary>
    public int Unit(int index, List<int> pods)
    {
        pods.Clear();
        var from = index == 0 ? 0 : _podsEnd[index - 1];
        for (var i = from; i < _podsEnd[index]; i++)
        {
            pods.Add(_pods[i]);
        }

        return _groups[index];
    }

    /// <summary>Appends a unit whose every try a proof failed.</summary>
    public void Add(int group, List<int> pods, ProofFailedTries tries)
    {
        _groups.Add(group);
        _pods.AddRange(pods);
        _podsEnd.Add(_pods.Count);
        _tries.Add(tries);
    }

    /// <summary>Keeps the first <paramref name="count"/> units (the rest is recorded again by the search that differs there).</summary>
    public void TruncateTo(int count)
    {
        if (count >= _groups.Count)
        {
            return;
        }

        var podsEnd = count == 0 ? 0 : _podsEnd[count - 1];
        _pods.RemoveRange(podsEnd, _pods.Count - podsEnd);
        _groups.RemoveRange(count, _groups.Count - count);
        _podsEnd.RemoveRange(count, _podsEnd.Count - count);
        _tries.RemoveRange(count, _tries.Count - count);
    }
}

/// <summary>A unit's tries, every one failed by a proof: how many, and of them those the bound failed, those the room proof failed, and of these those that counted untouched nodes' room.</summary>
internal readonly record struct ProofFailedTries(int Tries, int ByTheBound, int Proven, int ProvenWithRoom);
