using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

internal sealed partial class EvictionSolver
{
    /// <summary>
    /// Whether a chain started by a try other than scenario 0 takes its checks before the try's statement begins, while
    /// the session is as the search found it, instead of looking back at the start once the try succeeded
    /// (<see cref="Statement.LookBack"/>, which undoes and applies again every operation). The checks read the victims as
    /// a set, and the chain goes on only with the same set recorded, so they answer alike; off only in tests that compare.
    /// </summary>
    internal bool CheckChainsBeforeTheirTry { get; init; } = true;

    /// <summary>Chains started by a try other than scenario 0 whose checks were taken before the try (for tests).</summary>
    internal int ChainsCheckedBeforeTheirTry { get; private set; }

    /// <summary>
    /// Whether a chain's checks grow one room estimate pod by pod (<see cref="RoomEstimate.AddPod"/>) where the preemptor has
    /// no sub-groups, instead of building one for every further pod; off only in tests that compare.
    /// </summary>
    internal bool GrowChainRoomEstimate { get; init; } = true;

    /// <summary>
    /// Whether a chain keeps the walk's position at the preemptor's turn in the pending order's one kept mark
    /// (<see cref="SimulationOrder.MarkInWorkspace"/>) instead of new arrays per chain (2.5 MB a cycle at 4,000 nodes). Only
    /// the chain a search holds is ever walked on, and a search's chains are taken one after another, as are an action's
    /// searches; a chain that finds the mark taken since throws. Off only in tests that compare.
    /// </summary>
    internal bool KeepsOrderMarksInWorkspace { get; init; } = true;

    /// <summary>Steps that went on from a chain its checks admitted, whether or not the continuation placed them (for tests).</summary>
    internal int ContinuationsAttempted { get; private set; }

    /// <summary>
    /// Steps decided by going on from the previous step's statement. Step k + 1's scenario 0 evicts the victims recorded
    /// for step k; where they are exactly the victims step k's statement evicted (in the same order), step k + 1's
    /// simulation is step k's up to the preemptor's turn — the same evictions, the same walk, the same victims placed
    /// back before it — and its first k pods land where step k put them (pods are placed one by one, each on the best node
    /// as the pods before it left the session). So the statement is rolled back only to just after the preemptor's pods,
    /// the walk is put back to the preemptor's turn, one more pod is placed and the walk goes on from there. The checks
    /// that decide whether scenario 0 is tried at all read the session as the search found it; they are taken for every
    /// later step when the chain starts, and the queue's capacity for the larger quanta at the preemptor's turn.
    /// </summary>
    private sealed partial class Search
    {
        private StepChain? _chain;

        /// <summary>Decides step <paramref name="k"/> (the first k pods), going on from <paramref name="previous"/> where that gives the same result.</summary>
        public Statement? Step(int k, List<int> recorded, Statement? previous)
        {
            var chain = _chain;
            _chain = null;
            if (previous is not null && chain is not null && ReferenceEquals(chain.Statement, previous))
            {
                if (Continue(chain, k, recorded) is { } continued)
                {
                    return continued;
                }
            }
            else
            {
                previous?.Discard();
            }

            return Place(allPods[..k], recorded);
        }

        /// <summary>Step k as a continuation of the chain's statement; null (the statement discarded, no try counted) when the slow path must decide it.</summary>
        private Statement? Continue(StepChain chain, int k, List<int> recorded)
        {
            var statement = chain.Statement!;
            if (k > chain.AdmittedThrough || !SameVictims(recorded, chain.Victims))
            {
                statement.Discard();
                return null;
            }

            solver.ContinuationsAttempted++;
            if (!recorded.SequenceEqual(chain.Victims))
            {
                // The same victims in another order: the statement records them as scenario 0 would evict them.
                statement.ReorderEvictions(recorded);
                chain.Victims = recorded;
                solver.ReorderedSteps++;
            }

            statement.Rollback(chain.AfterPods);
            var placed = GangPlacement.TryPlaceMember(_session, statement, allPods[k - 1], pipelineOnly: true);
            if (placed)
            {
                chain.PodsPlaced(statement.Checkpoint());
            }

            if (!placed || !WalkOn(statement, chain, k))
            {
                statement.Discard();
            }
            else if (Conclude(statement, chain.Victims, chain) is { } concluded)
            {
                // The try scenario 0 would count.
                solver._tries++;
                solver.ContinuedSteps++;
                return concluded;
            }

            // Not placed or refused: the slow path decides this step again from the start and counts its try itself.
            return null;
        }

        /// <summary>
        /// The rest of a simulation after the preemptor's turn: without the walk where the chain's walk was skipped and its
        /// victims still end alike in any order, else the victims that come after it placed back, in the order the
        /// chain's last walk gave them where that order cannot have changed, else walked again from the preemptor's turn;
        /// true when the first <paramref name="k"/> pods are placed (read in place: no copy of them per continuation).
        /// </summary>
        private bool WalkOn(Statement statement, StepChain chain, int k)
        {
            // A chain whose walk was skipped checks again whether the victims after the preemptor's turn end alike in any order
            // now; where they may not, or its walk was taken, the walk decides as before.
            var skipped = chain.SkippedWalk is { } after && PlacedBackInAnyOrder(statement, after);
            solver.ContinuationsWithoutWalk += skipped ? 1 : 0;
            if (!skipped && (chain.SkippedWalk is not null || !chain.ReplaysWalk || !Rewalk(statement, chain)))
            {
                chain.WalkTaken();
                statement.Rollback(chain.AfterPods);
                chain.Order.Resume(chain.PreemptorTurn);
                chain.WalkAgain();
                while (chain.Order.TryNext(out var group))
                {
                    PlaceBack(statement, group);
                    chain.PlacedBack(group, LeafAllocated(group));
                }
            }

            foreach (var pod in allPods.AsSpan(0, k))
            {
                if (_session.StatusOf(pod) != PodStatus.Pipelined)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Places back the victims in the order of the chain's last walk after the preemptor; false at the first that ends
        /// differently (its queue allocated otherwise). The preemptor's queues take no part in that walk (no acted group
        /// left under them or their ancestors), so its order reads only the victims' queues, which change only as the
        /// victims go back: while every victim ends as it did, the walk yields what it yielded.
        /// </summary>
        private bool Rewalk(Statement statement, StepChain chain)
        {
            foreach (var (group, allocated) in chain.WalkAfter)
            {
                PlaceBack(statement, group);
                if (LeafAllocated(group) != allocated)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Whether a step evicting <paramref name="recorded"/> may go on from a statement that evicted <paramref name="evicted"/>:
        /// the same pods in the same order, or — where a pod keeps its place on its node whatever the order pods changed
        /// status in, so the session after the evictions is the same — the same pods in any order.
        /// </summary>
        private bool SameVictims(List<int> recorded, List<int> evicted)
        {
            if (recorded.Count != evicted.Count)
            {
                return false;
            }

            if (recorded.SequenceEqual(evicted))
            {
                return true;
            }

            if (!_session.KeepPlaceOnStatusChange || !solver.ContinueReordered)
            {
                return false;
            }

            var set = new HashSet<int>(evicted);
            return set.Count == evicted.Count && set.SetEquals(recorded);
        }

        private ResourceVector LeafAllocated(int group) =>
            _session.Snapshot.QueueOf(group) is var leaf and >= 0 ? _session.Queues.Allocated[leaf] : ResourceVector.Zero;

        /// <summary>
        /// A chain for a try of the first <paramref name="k"/> pods, or null when no later step can go on from it. Which later
        /// steps would try scenario 0 with these victims and pass the try's checks is taken now (the session is as the search
        /// found it; at full clusters such tries nearly always succeed, and their victims are recorded as they were evicted);
        /// without <see cref="CheckChainsBeforeTheirTry"/>, for a try other than scenario 0 only once it succeeded with its
        /// victims recorded as they are, by a look back at the start (<see cref="Hold"/>).
        /// </summary>
        private StepChain? StartChain(int k, List<int> victims, bool scenarioZero)
        {
            if (!solver.ContinueSteps || k >= allPods.Length || !GangPlacement.PlacesPodByPod(_session, preemptor))
            {
                return null;
            }

            if (!scenarioZero && !solver.CheckChainsBeforeTheirTry)
            {
                return new StepChain(victims, allPods.Length, solver.KeepsOrderMarksInWorkspace, lookBackAt: k);
            }

            // Any try: the session is as the search found it until the try's statement begins.
            var admitted = AdmittedThrough(k, victims);
            if (admitted <= k)
            {
                return null;
            }

            solver.ChainsCheckedBeforeTheirTry += scenarioZero ? 0 : 1;
            return new StepChain(victims, admitted, solver.KeepsOrderMarksInWorkspace);
        }

        /// <summary>
        /// The chain, holding the statement of its step that just succeeded; null when no later step can go on from it.
        /// A chain started by a try other than scenario 0 takes its checks now, looking back at the session as the search
        /// found it — worth it only when the next step's scenario 0 evicts exactly this try's victims.
        /// </summary>
        private StepChain? Hold(StepChain? chain, Statement statement)
        {
            if (chain is { LookBackAt: > 0 and var k })
            {
                if (!SameVictims(LastVictims, chain.Victims))
                {
                    return null;
                }

                // The checks as the next step's scenario 0 takes them: with its victims, in its order.
                var admitted = k;
                var next = LastVictims;
                statement.LookBack(() => admitted = AdmittedThrough(k, next));
                chain.LookedBack(admitted);
                if (admitted <= k)
                {
                    return null;
                }
            }

            return chain?.Holding(statement);
        }

        /// <summary>
        /// The largest number of pods, from <paramref name="k"/> up, whose every step would try scenario 0 with
        /// <paramref name="victims"/> and pass the try's checks; the session must be as the search found it, and the first
        /// <paramref name="k"/> pods must have passed the room check with these victims (their try did). Each larger step
        /// adds one pod: the room check reads each pod on its own, so only the new one is checked.
        /// </summary>
        private int AdmittedThrough(int k, List<int> victims)
        {
            _roomCheck!.Evicting(victims);
            if (solver.GrowChainRoomEstimate && _session.Snapshot.SubGroupTreeOf(preemptor) is null)
            {
                return AdmittedThroughGrowing(k, victims);
            }

            var demand = ResourceVector.Zero;
            for (var i = 0; i < k; i++)
            {
                demand += _session.RequestOf(allPods[i]);
            }

            var admitted = k;
            while (admitted < allPods.Length)
            {
                demand += _session.RequestOf(allPods[admitted]);
                var pods = allPods[..(admitted + 1)];
                var room = new RoomEstimate(_session, pods, demand);
                room.Free(victims);
                if (!room.CouldFit() || !_roomCheck.PodCouldFit(allPods[admitted]) || (Reach(pods) is { } reach && !reach.VictimNodesCouldTake(victims)))
                {
                    break;
                }

                admitted++;
            }

            return admitted;
        }

        /// <summary>
        /// <see cref="AdmittedThrough"/> with one room estimate grown pod by pod (<see cref="RoomEstimate.AddPod"/>) instead of
        /// a new one, with the victims summed again, for every further pod: a gang without sub-groups has no required domains.
        /// </summary>
        private int AdmittedThroughGrowing(int k, List<int> victims)
        {
            var demand = ResourceVector.Zero;
            for (var i = 0; i < k; i++)
            {
                demand += _session.RequestOf(allPods[i]);
            }

            var room = new RoomEstimate(_session, allPods[..k], demand);
            room.Free(victims);
            var admitted = k;
            while (admitted < allPods.Length)
            {
                room.AddPod(allPods[admitted]);
                if (!room.CouldFit() || !_roomCheck!.PodCouldFit(allPods[admitted]) || (ReachOfFirst(admitted + 1) is { } reach && !reach.VictimNodesCouldTake(victims)))
                {
                    break;
                }

                admitted++;
            }

            return admitted;
        }

        /// <summary>The largest quantum, from <paramref name="k"/> pods up, whose every step the queue's capacity allows at the preemptor's turn.</summary>
        private int CapacityAllowsThrough(int k)
        {
            if (_session.Plugins.Capacity is null)
            {
                return allPods.Length;
            }

            var request = ResourceVector.Zero;
            for (var i = 0; i < k; i++)
            {
                request += _session.QueueRequestOf(allPods[i]);
            }

            var allowed = k;
            while (allowed < allPods.Length)
            {
                request += _session.QueueRequestOf(allPods[allowed]);
                if (!GangPlacement.WithinCapacity(_session, preemptor, request, explain: false))
                {
                    break;
                }

                allowed++;
            }

            return allowed;
        }
    }

    /// <summary>
    /// What a later step needs to go on from a step's statement: the victims evicted, the last step it may decide, the
    /// walk's position at the preemptor's turn and the statement's point just after the preemptor's pods.
    /// </summary>
    private sealed class StepChain(List<int> victims, int admittedThrough, bool keptMark, int lookBackAt = 0)
    {
        private SimulationOrder.OrderMark? _preemptorTurn;
        private int _markSerial;

        /// <summary>The victims the statement evicted, in the order it records them.</summary>
        public List<int> Victims { get; set; } = victims;

        /// <summary>The largest number of pods whose step may go on from this chain.</summary>
        public int AdmittedThrough { get; private set; } = admittedThrough;

        public Statement? Statement { get; private set; }

        public SimulationOrder Order { get; private set; } = null!;

        /// <summary>The walk's position at the preemptor's turn.</summary>
        public SimulationOrder.OrderMark PreemptorTurn =>
            _preemptorTurn is { } mark && mark.Serial == _markSerial
                ? mark
                : throw new InvalidOperationException("The chain's mark of the preemptor's turn was taken by another order since.");

        public StatementCheckpoint AfterPods { get; private set; }

        /// <summary>Whether the walk after the preemptor's turn may be taken in the order of <see cref="WalkAfter"/> (its queues take no part in it).</summary>
        public bool ReplaysWalk { get; private set; }

        /// <summary>The victim groups the last walk gave after the preemptor's turn, each with its leaf queue's allocation after it was placed back or not.</summary>
        public List<(int Group, ResourceVector Allocated)> WalkAfter { get; } = [];

        /// <summary>For a chain whose checks are still to be taken (a try other than scenario 0): its step's number of pods; else 0.</summary>
        public int LookBackAt { get; private set; } = lookBackAt;

        /// <summary>The checks were taken: steps up to <paramref name="admitted"/> pods may go on from the chain.</summary>
        public void LookedBack(int admitted)
        {
            AdmittedThrough = Math.Min(AdmittedThrough, admitted);
            LookBackAt = 0;
        }

        /// <summary>The preemptor came out of the walk (nothing of it placed yet).</summary>
        public void AtPreemptor(SimulationOrder order, int capacityAllowsThrough, bool replaysWalk)
        {
            Order = order;
            _preemptorTurn = keptMark ? order.MarkInWorkspace() : order.Mark();
            _markSerial = _preemptorTurn.Serial;
            AdmittedThrough = Math.Min(AdmittedThrough, capacityAllowsThrough);
            ReplaysWalk = replaysWalk;
        }

        /// <summary>A victim group's turn ended; recorded when it came after the preemptor's.</summary>
        public void PlacedBack(int group, ResourceVector leafAllocated)
        {
            if (Order is not null)
            {
                WalkAfter.Add((group, leafAllocated));
            }
        }

        /// <summary>
        /// The victim groups still to come out at the preemptor's turn, where the walk after it was skipped because they end
        /// alike in any order (<see cref="WalkSkipped"/>); null once a walk was taken. <see cref="WalkAfter"/> is then empty.
        /// </summary>
        public List<int>? SkippedWalk { get; private set; }

        /// <summary>The walk after the preemptor's turn was skipped: <paramref name="after"/> end alike in any order (copied: the list is the search's).</summary>
        public void WalkSkipped(List<int> after) => SkippedWalk = [.. after];

        /// <summary>The walk after the preemptor's turn is taken (from the mark): what it gives is recorded in <see cref="WalkAfter"/> again.</summary>
        public void WalkTaken() => SkippedWalk = null;

        /// <summary>The walk after the preemptor is taken again from its turn: what it gives is recorded anew.</summary>
        public void WalkAgain() => WalkAfter.Clear();

        public void PodsPlaced(StatementCheckpoint checkpoint) => AfterPods = checkpoint;

        /// <summary>The chain, now holding the step's statement.</summary>
        public StepChain Holding(Statement statement)
        {
            Statement = statement;
            return this;
        }
    }
}
