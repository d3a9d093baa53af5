namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim units of one search, in victim order, shared by its steps: every step starts from the same session state
/// with the same eligibility, so its walk takes the same units in the same order as the step before it. The units come
/// from a walk the action's earlier preemptors may have written (<see cref="SharedVictimWalk"/>): each is taken as
/// written once this search's eligibility agrees with the verdicts asked while finding it; at the first that it does not,
/// the search goes on with another kept walk that agrees up to there, or starts a walk of its own (the units before agree,
/// so its walk takes them again, in the same order).
/// </summary>
internal sealed class VictimUnits(SharedVictimWalk shared, VictimEligibility eligibility)
{
    private VictimWalkRecording? _walk;

    // Units of _walk whose verdicts this search's eligibility has given (the step's walk may take them as written).
    private int _agreed;

    /// <summary>A fresh walk from the first unit, for one step.</summary>
    public Cursor Walk() => new(this);

    private bool TryAt(int index, out int group, out List<int> unit)
    {
        _walk ??= shared.Current(eligibility);
        while (_agreed <= index)
        {
            if (_agreed < _walk.Count || _walk.Ended)
            {
                if (!ReferenceEquals(_walk.WalkingFor, eligibility) && !_walk.Agrees(eligibility, _agreed))
                {
                    _walk = shared.AgreeingThrough(eligibility, _agreed, _walk) ?? shared.Restart(eligibility);
                    _agreed = ReferenceEquals(_walk.WalkingFor, eligibility) ? 0 : _agreed;
                    continue;
                }

                if (_agreed == _walk.Count)
                {
                    (group, unit) = (-1, []);
                    return false;
                }

                shared.UnitsShared += ReferenceEquals(_walk.WalkingFor, eligibility) ? 0 : 1;
                _agreed++;
                continue;
            }

            if (!_walk.WalkOn(eligibility))
            {
                (group, unit) = (-1, []);
                return false;
            }

            _agreed++;
        }

        (group, unit) = _walk[index];
        return true;
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
