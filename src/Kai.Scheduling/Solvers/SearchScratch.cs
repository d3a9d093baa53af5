using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// Books a victim search fills step after step and empties at the next (the taken units, the bound on the tries'
/// proofs), kept for an action's searches one after another so that each step does not grow new ones from nothing: on a
/// full cluster a failing search takes some 500 units, and new books for each were a third of what the searches allocated.
/// </summary>
internal sealed class SearchScratch(Session session)
{
    /// <summary>The taken units of the step under way (<see cref="ScenarioVictims.Reset"/> at each step).</summary>
    public ScenarioVictims Scenario { get; } = new(session);

    /// <summary>The room check's layers of what a try frees (<see cref="TryRoomCheck.LayersFor"/>): their group sums keep their room.</summary>
    public TryFreedLayers RoomCheckLayers { get; } = TryRoomCheck.LayersFor(session);

    /// <summary>The bound on the tries' proofs of the step under way.</summary>
    public StepProofBound Bound { get; } = new(session);

    /// <summary>The last search's start, whose queue allocations' copies the next search takes while they hold.</summary>
    public VictimSearchStart? Start { get; set; }

    /// <summary>Most first steps' units kept for the next searches of the same need (<see cref="ProofFailedUnits"/>).</summary>
    internal const int ProofFailedUnitsKept = 4;

    // The latest first.
    private readonly List<ProofFailedUnits> _records = [];

    /// <summary>
    /// The first step's units recorded for a need like this search's, to replay; else the oldest record (or a new one),
    /// restarted for this search to record (the latest first in both cases).
    /// </summary>
    public (ProofFailedUnits Units, bool Replays) ProofFailedUnitsFor(Session session, int group, int pod, bool placeableAlone)
    {
        var at = _records.FindIndex(units => units.SameNeed(session, group, pod, placeableAlone));
        var replays = at >= 0;
        if (!replays)
        {
            at = _records.Count < ProofFailedUnitsKept ? _records.Count : _records.Count - 1;
            if (at == _records.Count)
            {
                _records.Add(new ProofFailedUnits());
            }

            _records[at].Restart(session, group, pod, placeableAlone);
        }

        var units = _records[at];
        _records.RemoveAt(at);
        _records.Insert(0, units);
        return (units, replays);
    }
}
