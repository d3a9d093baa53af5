using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// A search following a victim walk written for another preemptor although their verdicts differ at its first unit —
/// but only inside some top-level queues' subtrees, the contested ones (a reclaimer's own queue and department, say).
/// The walk looks at each top-level subtree on its own (what a subtree offers depends only on the verdicts asked inside
/// it), so the search's own walk gives every other subtree the same candidate; and it takes the same unit as the written
/// walk while that unit comes from an uncontested subtree that would be served after (ranks before) what each contested
/// subtree offers in the search's own eyes. Nothing is taken from a contested subtree meanwhile, so what it offers stays
/// as first looked at. Checked unit by unit; at the first unit that is not so, the search walks on its own.
/// </summary>
/// <remarks>
/// Every verdict asked is one the search's own walk asks: the written verdicts outside contested subtrees (its own walk
/// asks the same there), and inside each contested subtree those of its own first look at it, with the same counts
/// (<see cref="VictimQueue.FirstCandidateOf"/>). A written verdict of a later unit is asked only outside contested
/// subtrees, and must agree.
/// </remarks>
internal sealed class ContestedQueues
{
    private readonly Session _session;
    private readonly VictimEligibility _eligibility;
    private readonly VictimWalkRecording _walk;
    private readonly int[] _topOf;
    private readonly List<int> _contested = [];
    private readonly List<QueueCandidate> _candidates = [];
    private readonly bool _hopeless;

    /// <param name="session">The session, at the state the walk was written in.</param>
    /// <param name="eligibility">The search's own victim filters.</param>
    /// <param name="walk">The written walk, whose first unit's verdicts differ from <paramref name="eligibility"/>'s.</param>
    /// <param name="topOf">Each queue's top-level ancestor (itself at the top).</param>
    /// <param name="ownWalk">Makes a new walk of the search's own, to look at the contested subtrees with (not walked).</param>
    /// <param name="handBack">Takes that walk's books back once looked.</param>
    public ContestedQueues(Session session, VictimEligibility eligibility, VictimWalkRecording walk, int[] topOf, Func<VictimQueue> ownWalk, Action<VictimQueueBooks> handBack)
    {
        _session = session;
        _eligibility = eligibility;
        _walk = walk;
        _topOf = topOf;
        foreach (var verdict in walk.VerdictsOf(0))
        {
            var top = TopOf(verdict);
            if (!_contested.Contains(top) && !verdict.AgreesWith(eligibility))
            {
                _contested.Add(top);
            }
        }

        // The written first unit from a contested subtree: nothing to follow (its own walk asks every verdict asked so far).
        if (walk.Count > 0 && _contested.Contains(walk.TopCandidate(0).Queue))
        {
            _hopeless = true;
            return;
        }

        // What each contested subtree offers in this search's own eyes, looked at as its own walk's first unit would.
        var own = ownWalk();
        foreach (var top in _contested)
        {
            if (own.FirstCandidateOf(top) is { } candidate)
            {
                _candidates.Add(candidate);
            }
        }

        handBack(own.Books);
    }

    /// <summary>
    /// Whether the search's own walk takes the written unit <paramref name="index"/> too (at the written end, once the walk
    /// ended: whether its own walk ends there too). Asks the unit's verdicts (not for the first unit: asked when built).
    /// </summary>
    public bool Follows(int index)
    {
        if (_hopeless)
        {
            return false;
        }

        if (index > 0)
        {
            foreach (var verdict in _walk.VerdictsOf(index))
            {
                if (_contested.Contains(TopOf(verdict)) || !verdict.AgreesWith(_eligibility))
                {
                    return false;
                }
            }
        }

        if (index == _walk.Count)
        {
            return _candidates.Count == 0;
        }

        // The written unit's top-level queue must be ranked first (served last) in this search's ranking too.
        var chosen = _walk.TopCandidate(index);
        if (_contested.Contains(chosen.Queue))
        {
            return false;
        }

        foreach (var candidate in _candidates)
        {
            if (_session.Plugins.CompareQueues(_session, candidate, chosen) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private int TopOf(in VictimVerdict verdict) => _topOf[verdict.IsQueue ? verdict.Id : _session.Snapshot.QueueOf(verdict.Id)];
}
