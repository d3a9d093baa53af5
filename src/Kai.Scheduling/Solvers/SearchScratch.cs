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
}
