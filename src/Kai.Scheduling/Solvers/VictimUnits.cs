namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim units of one search, in victim order, shared by its steps: every step starts from the same session state
/// with the same eligibility, so its walk takes the same units in the same order as the step before it. The units come
/// from a walk the action's earlier preemptors may have written (<see cref="SharedVictimWalk"/>): each is taken as
/// written once this search's eligibility agrees with the verdicts asked while finding it; at the first that it does not,
/// the search goes on with another kept walk that agrees up to there, or — where the first unit's verdicts differ only
/// inside some top-level queues' subtrees — follows the same walk while it takes the units its own walk would
/// (<see cref="ContestedQueues"/>), or starts a walk of its own (the units before agree, so its walk takes them again, in
/// the same order).
/// </summary>
internal sealed class VictimUnits(SharedVictimWalk shared, VictimEligibility eligibility)
{
    private VictimWalkRecording? _walk;

    // Units of _walk whose verdicts this search's eligibility has given (the step's walk may take them as written).
    private int _agreed;

    // Set while this search follows _walk although their first unit's verdicts differ (only in contested subtrees).
    private ContestedQueues? _contested;
    private bool _contestTried;

    /// <summary>A fresh walk from the first unit, for one step.</summary>
    public Cursor Walk() => new(this);

    private bool TryAt(int index, out int group, out List<int> unit)
    {
        _walk ??= shared.Current(eligibility);
        while (_agreed <= index)
        {
            var own = ReferenceEquals(_walk.WalkingFor, eligibility);
            if (_agreed == _walk.Count && !_walk.Ended)
            {
                // Past the written end the walk goes on: asking this search's eligibility where it gave every written verdict
                // (the walk is then its own), else the one it walked with, its unit then checked as a written one.
                if (_contested is not null)
                {
                    _walk.WalkOn(_walk.WalkingFor);
                    continue;
                }

                if (!_walk.WalkOn(eligibility))
                {
                    (group, unit) = (-1, []);
                    return false;
                }

                _agreed++;
                continue;
            }

            if (!own && !Follows(_agreed))
            {
                _walk = OtherWalk(_walk);
                _agreed = ReferenceEquals(_walk.WalkingFor, eligibility) ? 0 : _agreed;
                continue;
            }

            if (_agreed == _walk.Count)
            {
                (group, unit) = (-1, []);
                return false;
            }

            if (!own)
            {
                shared.UnitsShared++;
                shared.UnitsFollowedAcrossContestedQueues += _contested is null ? 0 : 1;
            }

            _agreed++;
        }

        (group, unit) = _walk[index];
        return true;
    }

    /// <summary>Whether this search's own walk takes the written unit <paramref name="index"/> of <see cref="_walk"/> (or ends there with it).</summary>
    private bool Follows(int index) => _contested?.Follows(index) ?? _walk!.Agrees(eligibility, index);

    /// <summary>
    /// The walk to go on with once <paramref name="failed"/>'s unit <see cref="_agreed"/> is not this search's: another kept
    /// walk that agrees through it; else, at the first unit, the same walk followed across contested queues (once per
    /// search, <see cref="ContestedQueues"/>); else a walk of its own.
    /// </summary>
    private VictimWalkRecording OtherWalk(VictimWalkRecording failed)
    {
        _contested = null;
        if (shared.AgreeingThrough(eligibility, _agreed, failed) is { } agreeing)
        {
            return agreeing;
        }

        // A walk confined to one leaf has one top-level subtree: it would be contested.
        if (_agreed == 0 && !_contestTried && eligibility.OnlyLeaf is null && shared.FollowsAcrossContestedQueues)
        {
            _contestTried = true;
            _contested = shared.Contest(eligibility, failed);
            return failed;
        }

        return shared.Restart(eligibility);
    }

    /// <summary>One step's walk over the shared units.</summary>
    internal sealed class Cursor(VictimUnits units)
    {
        private int _next;

        public bool TryNext(out int group, out List<int> unit)
        {
            if (!units.TryAt(_next, out group, out unit))
            {
                return false;
            }

            _next++;
            return true;
        }
    }
}
