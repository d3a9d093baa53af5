namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim units of one search, in victim order, shared by its steps: every step starts from the same session state
/// with the same eligibility, so its walk takes the same units in the same order as the step before it. The units taken
/// so far are kept; a step replays them and walks on only past them (<see cref="VictimQueue"/>).
/// </summary>
internal sealed class VictimUnits(VictimQueue queue)
{
    private readonly List<(int Group, List<int> Unit)> _taken = [];

    /// <summary>A fresh walk from the first unit, for one step.</summary>
    public Cursor Walk() => new(this);

    private bool TryAt(int index, out int group, out List<int> unit)
    {
        if (index == _taken.Count)
        {
            if (!queue.TryNext(out group, out unit))
            {
                return false;
            }

            _taken.Add((group, unit));
        }

        (group, unit) = _taken[index];
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
