namespace Kai.Scheduling.Solvers;

/// <summary>
/// A first step that takes the units an earlier search of the same need took, in the same order, counts their tries as
/// that search counted them — every one failed by the bound — without its books, and fills the books from the record only
/// where the units part or the record ends (<see cref="BoundFailedUnits"/>).
/// </summary>
internal sealed partial class EvictionSolver
{
    /// <summary>
    /// Whether a search's first step replays the units of an earlier search of the same need whose tries the bound failed
    /// (<see cref="BoundFailedUnits"/>) instead of taking each into its books and trying it; every try is still counted, so
    /// the search stops where it did. Off only in tests that compare.
    /// </summary>
    internal bool ReplaysBoundFailedUnits { get; init; } = true;

    /// <summary>Units a first step took as recorded, counting their tries without trying them (for tests and measurements).</summary>
    internal int UnitsReplayed { get; private set; }

    /// <summary>Tries counted for replayed units (for tests and measurements).</summary>
    internal int TriesReplayed { get; private set; }

    /// <summary>Replays that ended before their step did, their units then taken into the books (for tests and measurements).</summary>
    internal int ReplaysCaughtUp { get; private set; }

    private sealed partial class Search
    {
        /// <summary>A first step's record: replayed while its units are the step's, then written on.</summary>
        private sealed class Replay(BoundFailedUnits units, bool replays)
        {
            public BoundFailedUnits Units { get; } = units;

            /// <summary>Units replayed so far (while <see cref="Replaying"/>), or the record's length.</summary>
            public int At { get; set; }

            public bool Replaying { get; set; } = replays;

            /// <summary>Whether the step's units are still written down (until one has a try the bound did not fail).</summary>
            public bool Recording { get; set; } = true;

            public int TriesReplayed { get; set; }

            public List<int> Pods { get; } = [];
        }

        /// <summary>The step's record, for a first step of one pod whose books the replay may skip (null: none).</summary>
        private Replay? StartReplay(int[] pods, List<int> recorded, bool booksMaySkip)
        {
            if (!solver.ReplaysBoundFailedUnits || _scratch is null || !booksMaySkip || recorded.Count > 0 || pods.Length != 1
                || solver.CapCountsSimulatedTriesOnly || !solver.RememberVictimOrderAcrossTries || !solver.SkipProvenFailures
                || !BoundFailedUnits.MayRecord(_session, preemptor, pods[0]))
            {
                return null;
            }

            var (units, replays) = _scratch.BoundFailedUnitsFor(_session, preemptor, pods[0], PlaceableAlone(pods[0]));
            return new Replay(units, replays);
        }

        /// <summary>
        /// Whether the unit is the record's next one, its tries then counted (each failed by the bound, as recorded); when it
        /// is not, the replay ends: the units replayed are taken into the books as the reference took them.
        /// </summary>
        private bool Replayed(Replay replay, int group, List<int> fresh, RoomEstimate room, ScenarioVictims scenario, StepProofBound bound)
        {
            if (!replay.Replaying)
            {
                return false;
            }

            if (replay.At < replay.Units.Count && replay.Units.Matches(replay.At, group, fresh))
            {
                var tries = replay.Units.TriesAt(replay.At++);
                solver._tries += tries;
                solver.ProofRejectedTries += tries;
                solver.TriesFailedByTheBound += tries;
                solver.UnitsReplayed++;
                solver.TriesReplayed += tries;
                replay.TriesReplayed += tries;
                Simulated |= tries > 0;
                return true;
            }

            CatchUp(replay, room, scenario, bound);
            return false;
        }

        /// <summary>Takes the replayed units into the books, each as its turn did (the room checked after each); then records on.</summary>
        private void CatchUp(Replay replay, RoomEstimate room, ScenarioVictims scenario, StepProofBound bound)
        {
            replay.Replaying = false;
            solver.ReplaysCaughtUp += replay.At > 0 ? 1 : 0;
            for (var i = 0; i < replay.At; i++)
            {
                var group = replay.Units.Unit(i, replay.Pods);
                room.Free(replay.Pods);
                scenario.Add(group, replay.Pods);
                room.CouldFit();
            }

            // The bound was set up by the first try counted (it sums every unit taken before it: the books are now those).
            if (replay.TriesReplayed > 0)
            {
                bound.SetUpNow();
            }

            replay.Units.TruncateTo(replay.At);
        }

        /// <summary>Writes the unit down while every try so far was failed by the bound (it was, when it is the whole count).</summary>
        private static void Record(Replay? replay, int group, List<int> fresh, int tries, int failedByTheBound)
        {
            if (replay is null || !replay.Recording)
            {
                return;
            }

            if (tries == failedByTheBound)
            {
                replay.Units.Add(group, fresh, tries);
            }
            else
            {
                replay.Recording = false;
            }
        }
    }
}
