namespace Kai.Scheduling.Solvers;

/// <summary>
/// A first step that takes the units an earlier search of the same need took, in the same order, counts their tries as
/// that search counted them — every one failed by a proof — without its books, and fills the books from the record only
/// where the units part or the record ends (<see cref="ProofFailedUnits"/>).
/// </summary>
internal sealed partial class EvictionSolver
{
    /// <summary>
    /// Whether a search's first step replays the units of an earlier search of the same need whose tries a proof failed
    /// (<see cref="ProofFailedUnits"/>) instead of taking each into its books and trying it; every try is still counted, so
    /// the search stops where it did. Off only in tests that compare.
    /// </summary>
    internal bool ReplaysProofFailedUnits { get; init; } = true;

    /// <summary>Units a first step took as recorded, counting their tries without trying them (for tests and measurements).</summary>
    internal int UnitsReplayed { get; private set; }

    /// <summary>Tries counted for replayed units (for tests and measurements).</summary>
    internal int TriesReplayed { get; private set; }

    /// <summary>Replays that ended before their step did, their units then taken into the books (for tests and measurements).</summary>
    internal int ReplaysCaughtUp { get; private set; }

    private sealed partial class Search
    {
        /// <summary>A first step's record: replayed while its units are the step's, then written on.</summary>
        private sealed class Replay(ProofFailedUnits units, bool replays)
        {
            public ProofFailedUnits Units { get; } = units;

            /// <summary>Units replayed so far (while <see cref="Replaying"/>), or the record's length.</summary>
            public int At { get; set; }

            public bool Replaying { get; set; } = replays;

            /// <summary>Whether the step's units are still written down (until one has a try no proof failed).</summary>
            public bool Recording { get; set; } = true;

            public List<int> Pods { get; } = [];
        }

        /// <summary>The step's record, for a first step of one pod whose books the replay may skip (null: none).</summary>
        private Replay? StartReplay(int[] pods, List<int> recorded, bool booksMaySkip)
        {
            if (!solver.ReplaysProofFailedUnits || _scratch is null || !booksMaySkip || recorded.Count > 0 || pods.Length != 1
                || solver.CapCountsSimulatedTriesOnly || !solver.RememberVictimOrderAcrossTries || !solver.SkipProvenFailures
                || !ProofFailedUnits.MayRecord(_session, preemptor, pods[0]))
            {
                return null;
            }

            var (units, replays) = _scratch.ProofFailedUnitsFor(_session, preemptor, pods[0], PlaceableAlone(pods[0]));
            return new Replay(units, replays);
        }

        /// <summary>
        /// Whether the unit is the record's next one, its tries then counted (each failed by a proof, as recorded); when it
        /// is not, the replay ends: the units replayed are taken into the books as the reference took them.
        /// </summary>
        private bool Replayed(Replay replay, int group, List<int> fresh, RoomEstimate room, ScenarioVictims scenario)
        {
            if (!replay.Replaying)
            {
                return false;
            }

            if (replay.At < replay.Units.Count && replay.Units.Matches(replay.At, group, fresh))
            {
                var tries = replay.Units.TriesAt(replay.At++);
                solver._tries += tries.Tries;
                solver.ProofRejectedTries += tries.Tries;
                solver.TriesFailedByTheBound += tries.ByTheBound;
                solver.ProvenFailures += tries.Proven;
                solver.ProvenWithRoomAsItStands += tries.ProvenWithRoom;
                solver.UnitsReplayed++;
                solver.TriesReplayed += tries.Tries;
                Simulated |= tries.Tries > 0;
                return true;
            }

            CatchUp(replay, room, scenario);
            return false;
        }

        /// <summary>
        /// Takes the replayed units into the books, each as its turn did (the room checked after each); then records on. The
        /// bound needs nothing more: set up at the step's next try, it sums every unit taken before it, as at its first.
        /// </summary>
        private void CatchUp(Replay replay, RoomEstimate room, ScenarioVictims scenario)
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

            replay.Units.TruncateTo(replay.At);
        }

        /// <summary>A unit's counts before its tries, to tell what they were (<see cref="Record"/>).</summary>
        private (int Tries, int Rejected, int ByTheBound, int Proven, int ProvenWithRoom) Counts() =>
            (solver._tries, solver.ProofRejectedTries, solver.TriesFailedByTheBound, solver.ProvenFailures, solver.ProvenWithRoomAsItStands);

        /// <summary>Writes the unit down while every try so far was failed by a proof (it was, when the proofs rejected them all).</summary>
        private void Record(Replay? replay, int group, List<int> fresh, (int Tries, int Rejected, int ByTheBound, int Proven, int ProvenWithRoom) before)
        {
            if (replay is null || !replay.Recording)
            {
                return;
            }

            var tries = solver._tries - before.Tries;
            if (tries == solver.ProofRejectedTries - before.Rejected)
            {
                replay.Units.Add(group, fresh, new ProofFailedTries(tries, solver.TriesFailedByTheBound - before.ByTheBound, solver.ProvenFailures - before.Proven, solver.ProvenWithRoomAsItStands - before.ProvenWithRoom));
            }
            else
            {
                replay.Recording = false;
            }
        }
    }
}
