using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Placement;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// The victim search shared by reclaim, preempt and consolidation (KAI's job solver and by-pod solver).
/// The preemptor's pods are placed one more at a time: for the first k pods, the victims recorded for k-1 are
/// evicted (scenario 0), then victim units are taken in victim order, and for each new unit every node it runs
/// on is tried — evicting the recorded victims plus every pod taken so far of each group that has one on that
/// node, wherever the group's pods run (so a gang taken whole is evicted whole). Each try is simulated
/// in a statement: every victim group and the preemptor in normal scheduling order, victims placed back where
/// they fit (back on their own node is an un-eviction), the preemptor pipelined. The first try that places the
/// k pods and passes every validator is recorded; after the last pod its statement is returned open for the
/// action to commit.
/// </summary>
/// <remarks>
/// No eviction survives unless the preemptor's whole quantum is placed in the same statement, and no victim
/// group loses part of a unit: a gang at its minimum is one unit, so it is never split below its minimum.
/// Trying victims node by node finds room where it can be made — on one node — without evicting a long prefix
/// of the victim order, so the work per try stays small however large the cluster. A victim set already
/// simulated is not simulated again, and a step whose recorded victims are the previous step's own goes on from
/// that step's statement instead of simulating from the start (<c>EvictionSolver.StepChain.cs</c>).
/// </remarks>
internal sealed partial class EvictionSolver(Session session, ActionKind action, VictimCatalog catalog, PendingOrder pendingOrder, SharedVictimWalk? victimWalks = null)
{
    /// <summary>Most tries per preemptor (see <see cref="CapCountsSimulatedTriesOnly"/>); beyond it the search gives up (it is then explained).</summary>
    internal const int MaxTriesPerPreemptor = 512;

    /// <summary>The failure of a search that simulated nothing: no eligible victims' room would place even its first pod.</summary>
    internal const string NothingToFree = "evicting every eligible victim would still not free enough resources";

    private int _tries;

    /// <summary>
    /// Whether <see cref="MaxTriesPerPreemptor"/> counts only the tries that reach a simulation (and steps that go on from the
    /// previous step's statement); off, it counts every try, those a cheap proof fails without simulating too.
    /// </summary>
    /// <remarks>
    /// Off by default: on, the search reaches KAI's outcome on full clusters (a proof-rejected try is free), but walks up to
    /// every victim unit for a preemptor that cannot be placed; on the 140,000-pod bench its first cycle costs some 21 times
    /// today's processor time (<c>docs/performance.md</c>, "Eleventh pass").
    /// </remarks>
    internal bool CapCountsSimulatedTriesOnly { get; init; }

    /// <summary>
    /// Whether tries proven to fail are failed without simulating them (<see cref="VictimNodeReach"/>); off only in tests
    /// that check the search's outcome is the same either way.
    /// </summary>
    internal bool SkipProvenFailures { get; init; } = true;

    /// <summary>
    /// Whether the victim order's walk and the room estimate remember what they read of the session across tries
    /// (<see cref="VictimQueue.SessionUnchangedBetweenUnits"/>, <see cref="RoomEstimate.SessionUnchangedBetweenChecks"/>);
    /// off only in tests that check the outcome is the same either way.
    /// </summary>
    internal bool RememberVictimOrderAcrossTries { get; init; } = true;

    /// <summary>Tries failed by a proof instead of a simulation (for tests).</summary>
    internal int ProvenFailures { get; private set; }

    /// <summary>Tries failed by either cheap proof (<see cref="TryRoomCheck"/> or <see cref="VictimNodeReach"/>) without simulating them (for tests).</summary>
    internal int ProofRejectedTries { get; private set; }

    /// <summary>Of <see cref="ProvenFailures"/>, those of steps some pod of which fits somewhere as the session stands (for tests).</summary>
    internal int ProvenWithRoomAsItStands { get; private set; }

    /// <summary>
    /// Whether a step whose recorded victims are the previous step's goes on from the previous step's statement instead of
    /// simulating again from the start (<see cref="Search"/>'s step chain); off only in tests that check the search's
    /// outcome is the same either way.
    /// </summary>
    internal bool ContinueSteps { get; init; } = true;

    /// <summary>
    /// A step may go on from the previous step's statement when its recorded victims are that statement's in another order
    /// (on by default; needs <see cref="Session.KeepPlaceOnStatusChange"/>). Off, only the same order goes on: the slow
    /// path the property tests compare with.
    /// </summary>
    internal bool ContinueReordered { get; init; } = true;

    /// <summary>Continued steps whose statement's evictions were put in the recorded victims' order (for tests).</summary>
    internal int ReorderedSteps { get; private set; }

    /// <summary>
    /// Whether a try's proofs read its victims from the search's taken groups on the node (<see cref="TryVictims"/>) and
    /// only a simulated try builds their list; off only in tests that check the outcome is the same either way.
    /// </summary>
    internal bool ProveTriesOnTheirGroups { get; init; } = true;

    /// <summary>
    /// Whether a try read in place is proven on the step's recorded victims' per-node sums, taken once per step, plus its
    /// own pods' nodes (<see cref="TryFreedLayers"/>) instead of summing every victim at every try; off only in tests that
    /// check the outcome is the same either way.
    /// </summary>
    internal bool LayeredTryProofs { get; init; } = true;

    /// <summary>
    /// Whether a try's victim set is told apart from the sets already tried only within its unit (a set with the new
    /// unit's pods cannot have been tried at an earlier unit: see <see cref="Search"/>'s <c>IsNewSet</c>) instead of by a
    /// key of every set the step tried; off only in tests that check the outcome is the same either way.
    /// </summary>
    internal bool TriedSetsPerUnit { get; init; } = true;

    /// <summary>
    /// Whether a try's books (the nodes its pods stood on, the groups it acted on and disrupted) are sets kept by the search
    /// and cleared for each try rather than new ones; off only in tests that compare.
    /// </summary>
    internal bool ReusesTryBooks { get; init; } = true;

    /// <summary>
    /// Whether each step's proof reads the search's standing room in place (<see cref="VictimNodeReach.SharesStandingHolds"/>)
    /// instead of a copy capped at its number of pods; off only in tests that compare.
    /// </summary>
    internal bool ShareStandingHolds { get; init; } = true;

    /// <summary>Steps decided by going on from the previous step's statement (for tests).</summary>
    internal int ContinuedSteps { get; private set; }

    /// <summary>
    /// Whether a step's tries are failed without their proofs where a proof would fail them because no node they evict from
    /// could help even with every victim taken there gone (<see cref="StepProofBound"/>); each is still counted, so the
    /// search stops where it did. Off only in tests that compare.
    /// </summary>
    internal bool BoundTriesByEveryTakenVictim { get; init; } = true;

    /// <summary>
    /// For tests: every try the bound fails is also given to both proofs, and a try they would both pass throws — the
    /// bound checked try by try rather than only by the search's outcome.
    /// </summary>
    internal bool VerifiesTheBound { get; init; }

    /// <summary>
    /// Whether a search's books of taken units and of the bound on its tries are kept for the action's next search and step,
    /// emptied (<see cref="SearchScratch"/>), instead of new ones per step; off only in tests that compare.
    /// </summary>
    internal bool ReusesSearchScratch { get; init; } = true;

    /// <summary>
    /// Whether a search's start (<see cref="VictimSearchStart"/>) takes the queue allocations' copies of the action's previous
    /// search where they hold the same values, instead of copying them again; off only in tests that compare.
    /// </summary>
    internal bool ReusesSearchStart { get; init; } = true;

    /// <summary>
    /// Whether a try the queues' capacity refuses with its victims evicted is failed without its simulation (whose
    /// preemptor's turn would be refused: <c>Search.CapacityRefusesWithVictimsGone</c>); still counted as a simulated
    /// try, so the search stops where it did. Off only in tests that compare.
    /// </summary>
    internal bool ProvesCapacityRefusals { get; init; } = true;

    /// <summary>
    /// Whether a simulation, once the preemptor's pods are placed, first tries to place back each victim group still to come
    /// and skips the rest of the order walk when none goes back (<c>Search.PlacedBackInAnyOrder</c>): a placement that fails
    /// leaves the session as it was, so each would fail in the walk's order too (and see <see cref="SkipsWalkWhereOneGoesBack"/>).
    /// Otherwise what went back is rolled back and the walk taken. A chain whose walk was skipped checks again at its next
    /// step instead of replaying the walk. Off only in tests that compare.
    /// </summary>
    internal bool SkipsWalkWhereNothingGoesBack { get; init; } = true;

    /// <summary>
    /// Whether the walk is skipped also where only one victim group still to come goes back as the session stands and, with
    /// it back, no other does (every order then ends alike); off, only where none goes back. Off only in tests that compare.
    /// </summary>
    internal bool SkipsWalkWhereOneGoesBack { get; init; } = true;

    /// <summary>Walks after the preemptor's turn skipped because no victim group to come went back, or only one (for tests).</summary>
    internal int WalksSkipped { get; private set; }

    /// <summary>Of <see cref="WalksSkipped"/>, those where one victim group went back (for tests).</summary>
    internal int WalksSkippedWithOneBack { get; private set; }

    /// <summary>Continued steps that skipped the walk after the preemptor's turn, as their chain's try had (for tests).</summary>
    internal int ContinuationsWithoutWalk { get; private set; }

    /// <summary>Walks after the preemptor's turn taken because the check placed some victim group back (for tests).</summary>
    internal int WalksTakenAfterTheCheck { get; private set; }

    /// <summary>Tries failed because the queues' capacity refuses the pods with the victims evicted (for tests).</summary>
    internal int CapacityRefusedTries { get; private set; }

    /// <summary>Searches whose start took the previous search's copies (for tests).</summary>
    internal int StartsReused { get; private set; }

    /// <summary>Of <see cref="ProofRejectedTries"/>, those failed by <see cref="StepProofBound"/> without their own proofs (for tests).</summary>
    internal int TriesFailedByTheBound { get; private set; }

    /// <summary>Outcome of a search: an open statement holding the solution, or why there is none; and how many scenarios it simulated.</summary>
    public readonly record struct Solution(Statement? Statement, string? Failure, int Tries);

    /// <param name="preemptor">The pending pod group to place.</param>
    /// <param name="victims">Which running groups may give up pods (decided lazily as the search reaches them).</param>
    /// <param name="maxVictimJobs">Most victim groups a solution may touch.</param>
    /// <param name="requireAllReplaced">Every victim must be placed again (consolidation).</param>
    public Solution Solve(int preemptor, VictimEligibility victims, int maxVictimJobs, bool requireAllReplaced)
    {
        var pods = session.Quantum.PodsToAllocate(preemptor);
        if (pods.Length == 0)
        {
            return new Solution(null, "no pending pods to place", 0);
        }

        var search = new Search(this, preemptor, victims, maxVictimJobs, requireAllReplaced, SearchStart(preemptor), pods);
        List<int> recorded = [];
        Statement? solution = null;
        for (var k = 1; k <= pods.Length; k++)
        {
            solution = search.Step(k, recorded, solution);
            if (solution is null)
            {
                break;
            }

            recorded = search.LastVictims;
        }

        if (solution is not null && session.Gangs.IsSatisfied(preemptor))
        {
            return new Solution(solution, null, _tries);
        }

        solution?.Discard();
        var reason = search.LastValidationFailure
            ?? (_tries >= MaxTriesPerPreemptor
                ? $"the search stopped after {MaxTriesPerPreemptor} tries without making room"
                : search.Simulated
                    ? "no set of eligible victims makes room for the whole pod group"
                    : NothingToFree);
        return new Solution(null, reason, _tries);
    }

    /// <summary>The search for one preemptor, kept across its growing partial placements.</summary>
    private sealed partial class Search(EvictionSolver solver, int preemptor, VictimEligibility eligibility, int maxVictimJobs, bool requireAllReplaced, VictimSearchStart start, int[] allPods)
    {
        private readonly Session _session = solver.Session;

        // Every try starts from the search's session state with its own victims evicted: the walk up to the preemptor
        // without them is taken once, at the first try, and a try whose victims cannot change it takes it as it is.
        private SimulationOrder.FirstPhase? _firstPhase;
        private TryRoomCheck? _roomCheck;
        private StepProofBound? _bound;
        private readonly SearchScratch? _scratch = solver.ReusesSearchScratch ? solver.VictimWalks?.Scratch ?? new SearchScratch(solver.Session) : null;

        // The proof for each step (by its number of pods), decided when a try first needs it; and which pods could be
        // placed as the session stands (the same at every try of the search).
        private readonly Dictionary<int, VictimNodeReach?> _reach = [];
        private readonly Dictionary<int, bool> _placeableAlone = [];
        private Func<int, bool>? _isPlaceableAlone;
        private VictimNodeReach.PlainTryBooks? _plainTryBooks;
        private StandingRoom? _standingRoom;
        private VictimUnits? _units;

        // The nodes of the unit being tried, and its pods not recorded (reused: every try of a unit is over before the
        // next unit is taken, and the scenario keeps its own copy of the pods).
        private readonly List<int> _unitNodes = [];
        private readonly List<int> _fresh = [];

        // Books of one try, cleared by the next (Describe, Recorded, Simulate; the simulation order copies the acted groups).
        private readonly Dictionary<int, int> _nodesBefore = [];
        private readonly HashSet<int> _disrupted = [];
        private readonly HashSet<int> _listed = [];
        private readonly HashSet<int> _acted = [];
        private readonly List<int> _cameOut = [];
        private readonly List<int> _afterPreemptor = [];

        // Books of one step (Place), cleared by the next: the recorded victims, and the groups the step's victims come from.
        private readonly HashSet<int> _recordedSet = [];
        private readonly HashSet<int> _groupsTaken = [];

        public List<int> LastVictims { get; private set; } = [];

        public string? LastValidationFailure { get; private set; }

        public bool Simulated { get; private set; }

        /// <summary>Places exactly <paramref name="pods"/>, evicting <paramref name="recorded"/> and what else it takes.</summary>
        public Statement? Place(int[] pods, List<int> recorded)
        {
            var demand = ResourceVector.Zero;
            foreach (var pod in pods)
            {
                demand += _session.RequestOf(pod);
            }

            var room = new RoomEstimate(_session, pods, demand) { SessionUnchangedBetweenChecks = solver.RememberVictimOrderAcrossTries };
            room.Free(recorded);

            // Scenario 0: the victims recorded for the previous pods (simulated only if they could make room).
            if (room.CouldFit() && Try(pods, new TryVictims(recorded), scenarioZero: true) is { } withRecorded)
            {
                return withRecorded;
            }

            var (recordedSet, groups) = StepSets(recorded);
            var scenario = NewScenario();
            var bound = StartBound(pods, recorded, scenario);
            var tried = solver.TriedSetsPerUnit ? null : new HashSet<long[]>(ScenarioVictims.KeyComparer);
            var victims = VictimWalk();
            var replay = StartReplay(pods, recorded, groups is null && tried is null && bound is not null);
            while (victims.TryNext(out var group, out var unit))
            {
                if (solver._tries >= MaxTriesPerPreemptor)
                {
                    return null;
                }

                if (groups is not null && groups.Add(group) && groups.Count > maxVictimJobs)
                {
                    return null;
                }

                var fresh = recordedSet.Count == 0 ? unit : NotRecorded(unit, recordedSet);
                if (replay is not null && Replayed(replay, group, fresh, room, scenario))
                {
                    continue;
                }

                room.Free(fresh);
                scenario.Add(group, fresh);
                bound?.Take(group, fresh);
                var before = Counts();
                if (room.CouldFit() && TryNodesOf(fresh, pods, recorded, scenario, tried) is { } statement)
                {
                    return statement;
                }

                Record(replay, group, fresh, before);
            }

            return null;
        }

        /// <summary>The step's recorded victims as a set, and the groups they come from, counted only against a limit (reclaim and preempt have none: no count can exceed it).</summary>
        private (HashSet<int> RecordedSet, HashSet<int>? Groups) StepSets(List<int> recorded)
        {
            var (recordedSet, groups) = (_recordedSet, maxVictimJobs < int.MaxValue ? _groupsTaken : null);
            recordedSet.Clear();
            groups?.Clear();
            foreach (var pod in recorded)
            {
                recordedSet.Add(pod);
                groups?.Add(_session.Snapshot.GroupOf(pod));
            }

            return (recordedSet, groups);
        }

        /// <summary>The step's bound on its tries' proofs, over its recorded victims so far (null when switched off).</summary>
        private StepProofBound? StartBound(int[] pods, List<int> recorded, ScenarioVictims scenario)
        {
            if (!solver.BoundTriesByEveryTakenVictim)
            {
                return null;
            }

            _bound = _scratch?.Bound ?? _bound ?? new StepProofBound(_session);
            _bound.Start(pods, recorded, scenario, RoomCheck, () => Reach(pods));
            return _bound;
        }

        /// <summary>Empty books for the step's taken units: the action's, emptied, where they are reused.</summary>
        private ScenarioVictims NewScenario()
        {
            if (_scratch is null)
            {
                return new ScenarioVictims(_session);
            }

            _scratch.Scenario.Reset();
            return _scratch.Scenario;
        }

        private TryRoomCheck RoomCheck => _roomCheck ??= new TryRoomCheck(_session, _scratch?.RoomCheckLayers) { Layered = solver.LayeredTryProofs };

        /// <summary>
        /// The victim units in victim order. Every try is discarded before the next unit is taken, and every step starts
        /// from the search's session state: the walk goes on at one state, and the steps share it — and so do the
        /// action's later preemptors while nothing is committed, where their victim filters agree (<see cref="SharedVictimWalk"/>).
        /// </summary>
        private VictimUnits.Cursor VictimWalk()
        {
            if (_units is null || !solver.RememberVictimOrderAcrossTries)
            {
                // The action's earlier preemptors' walks only where the session stays at one state between units.
                var walks = solver.RememberVictimOrderAcrossTries && solver.VictimWalks is { } shared
                    ? shared
                    : new SharedVictimWalk(_session, solver.Catalog, solver.RememberVictimOrderAcrossTries);
                _units = walks.For(eligibility);
            }

            return _units.Walk();
        }

        /// <summary>
        /// Tries each node the new unit runs on, with every scenario victim of the groups there — all of each such
        /// group's pods taken so far, wherever they run, so a gang taken whole is evicted whole.
        /// </summary>
        private Statement? TryNodesOf(List<int> fresh, int[] pods, List<int> recorded, ScenarioVictims scenario, HashSet<long[]>? tried)
        {
            var nodes = DistinctNodesOf(fresh);
            for (var i = 0; i < nodes.Count; i++)
            {
                var node = nodes[i];
                var isNew = tried is null ? IsNewSet(scenario, nodes, i) : tried.Add(scenario.KeyOfGroupsOn(node));
                if (isNew && Try(pods, VictimsOf(recorded, scenario, node), node: node) is { } statement)
                {
                    return statement;
                }
            }

            return null;
        }

        /// <summary>
        /// Whether the try on the unit's <paramref name="at"/>-th node evicts a set no earlier try of the step did. Every try
        /// of the unit evicts the unit's group with all its pods taken so far, a count of that group no earlier unit's try
        /// saw (a group's taken pods only grow, and the unit added some); so only the unit's earlier nodes may have had
        /// the same set — those with the same groups (each group's count is the same within the unit).
        /// </summary>
        private static bool IsNewSet(ScenarioVictims scenario, List<int> nodes, int at)
        {
            for (var earlier = 0; earlier < at; earlier++)
            {
                if (scenario.SameGroupsOn(nodes[earlier], nodes[at]))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The unit's pods not among the recorded victims (a list of the search's own: the unit belongs to the shared walk).</summary>
        private List<int> NotRecorded(List<int> unit, HashSet<int> recordedSet)
        {
            var fresh = _fresh;
            fresh.Clear();
            foreach (var pod in unit)
            {
                if (!recordedSet.Contains(pod))
                {
                    fresh.Add(pod);
                }
            }

            return fresh;
        }

        /// <summary>The nodes the pods run on, each once, in the order first met (a unit is one pod or one gang: a short list).</summary>
        private List<int> DistinctNodesOf(List<int> pods)
        {
            _unitNodes.Clear();
            foreach (var pod in pods)
            {
                var node = _session.NodeOf(pod);
                if (!_unitNodes.Contains(node))
                {
                    _unitNodes.Add(node);
                }
            }

            return _unitNodes;
        }

        /// <summary>A try's victims: read in place by its proofs, or (for tests) listed up front as they once were.</summary>
        private TryVictims VictimsOf(List<int> recorded, ScenarioVictims scenario, int node) =>
            solver.ProveTriesOnTheirGroups ? new TryVictims(recorded, scenario, node) : new TryVictims(new TryVictims(recorded, scenario, node).ToList());

        private Statement? Try(int[] pods, TryVictims victims, bool scenarioZero = false, int node = -1)
        {
            solver._tries += solver.CapCountsSimulatedTriesOnly ? 0 : 1;
            Simulated = true;
            if (node >= 0 && solver.BoundTriesByEveryTakenVictim && _bound!.FailsTryOn(node))
            {
                // None of the nodes the try evicts from could help even with every victim taken there gone: a proof fails it.
                if (solver.VerifiesTheBound && RoomCheck.EachPodCouldFit(pods, victims) && (Reach(pods) is not { } proof || proof.VictimNodesCouldTake(victims)))
                {
                    throw new InvalidOperationException($"The bound failed a try on node {node} that both proofs pass.");
                }

                solver.ProofRejectedTries++;
                solver.TriesFailedByTheBound++;
                return null;
            }

            if (!RoomCheck.EachPodCouldFit(pods, victims))
            {
                // The simulation could not place them: a failed try, without simulating it.
                solver.ProofRejectedTries++;
                return null;
            }

            if (Reach(pods) is { } reach && !reach.VictimNodesCouldTake(victims))
            {
                solver.ProofRejectedTries++;
                solver.ProvenFailures++;
                solver.ProvenWithRoomAsItStands += reach.CountsRoomAsItStands ? 1 : 0;
                return null;
            }

            solver._tries += solver.CapCountsSimulatedTriesOnly ? 1 : 0;

            // No statement is open here (every earlier try was discarded): the session is as the search found it.
            // Only a simulated try builds its victims' list.
            var victimPods = victims.ToList();
            if (solver.ProvesCapacityRefusals && CapacityRefusesWithVictimsGone(pods, victimPods))
            {
                // The simulation would fail at the preemptor's turn: counted as the simulated try it stands for.
                solver.CapacityRefusedTries++;
                return null;
            }

            var chain = StartChain(pods.Length, victimPods, scenarioZero);
            _firstPhase ??= SimulationOrder.RecordFirstPhase(_session, solver.PendingOrder, preemptor);
            var statement = _session.Begin(solver.Action);
            foreach (var victim in victimPods)
            {
                statement.Evict(victim);
            }

            if (!Simulate(statement, pods, victimPods, chain))
            {
                statement.Discard();
                return null;
            }

            return Conclude(statement, victimPods, chain);
        }

        /// <summary>
        /// Whether the queues' capacity refuses the step's pods with the try's victims evicted and nothing else changed. At
        /// the preemptor's turn in the simulation the victims before it are placed back, which only adds to the queues'
        /// allocations, and a capacity check refuses more the more is allocated (a limit or a quota below allocated plus
        /// requested): so the preemptor's placement would be refused there too, and the try fail.
        /// </summary>
        private bool CapacityRefusesWithVictimsGone(int[] pods, List<int> victimPods)
        {
            if (_session.Plugins.Capacity is null)
            {
                return false;
            }

            // The same sum the simulation's placement asks the capacity about.
            var request = GangPlacement.QueueRequestOf(_session, pods);

            // Evicting only lowers the queues' allocations, so what the capacity allows now it allows with the victims
            // gone: most tries of a reclaim that is not capacity-bound end here, without a statement.
            if (GangPlacement.WithinCapacity(_session, preemptor, request, explain: false))
            {
                return false;
            }

            var statement = _session.Begin(solver.Action);
            foreach (var victim in victimPods)
            {
                statement.Evict(victim);
            }

            var refuses = !GangPlacement.WithinCapacity(_session, preemptor, request, explain: false);
            statement.Discard();
            return refuses;
        }

        /// <summary>A simulated try that placed its pods: validated, and its victims recorded for the next step; null when a validator refuses it.</summary>
        private Statement? Conclude(Statement statement, List<int> victimPods, StepChain? chain)
        {
            var scenario = Describe(statement, victimPods);
            var failure = requireAllReplaced && scenario.EvictedPods.Count > 0
                ? "moving the running pods would not place all of them again"
                : solver.Validate(scenario);
            if (failure is not null)
            {
                LastValidationFailure = failure;
                statement.Discard();
                return null;
            }

            LastVictims = Recorded(scenario, victimPods);
            _chain = Hold(chain, statement);
            return statement;
        }

        /// <summary>The proof for this step's pods, if it applies (the session is as the search found it whenever a try starts).</summary>
        private VictimNodeReach? Reach(ReadOnlySpan<int> pods)
        {
            if (!_reach.TryGetValue(pods.Length, out var reach))
            {
                reach = solver.SkipProvenFailures
                    ? VictimNodeReach.For(_session, preemptor, pods, _isPlaceableAlone ??= PlaceableAlone, ref _standingRoom, solver.LayeredTryProofs, solver.ShareStandingHolds, _plainTryBooks ??= new())
                    : null;
                _reach[pods.Length] = reach;
            }

            return reach;
        }

        /// <summary><see cref="Reach"/> for the search's first <paramref name="count"/> pods (read in place, not copied).</summary>
        private VictimNodeReach? ReachOfFirst(int count) =>
            _reach.TryGetValue(count, out var reach) ? reach : Reach(allPods.AsSpan(0, count));

        private bool PlaceableAlone(int pod)
        {
            if (!_placeableAlone.TryGetValue(pod, out var placeable))
            {
                placeable = NodeSearch.Find(_session, pod).Found;
                _placeableAlone[pod] = placeable;
            }

            return placeable;
        }

        /// <summary>
        /// The victims the next, larger partial placement starts from (KAI's recorded victims): the pods evicted or
        /// moved, and with them every pod taken in this try from the same groups that went back where it ran — so
        /// evicting the recorded victims again takes a gang whole, and the simulation may put it back whole.
        /// </summary>
        private List<int> Recorded(EvictionScenario scenario, List<int> victimPods)
        {
            var recorded = new List<int>(scenario.EvictedPods.Count + scenario.MovedPods.Count);
            recorded.AddRange(scenario.EvictedPods);
            recorded.AddRange(scenario.MovedPods);
            var (disrupted, listed) = solver.ReusesTryBooks ? (_disrupted, _listed) : ([], []);
            disrupted.Clear();
            listed.Clear();
            foreach (var pod in recorded)
            {
                disrupted.Add(_session.Snapshot.GroupOf(pod));
                listed.Add(pod);
            }

            foreach (var pod in victimPods)
            {
                if (disrupted.Contains(_session.Snapshot.GroupOf(pod)) && listed.Add(pod))
                {
                    recorded.Add(pod);
                }
            }

            return recorded;
        }

        /// <summary>
        /// Places victims back and the preemptor's pods, in normal scheduling order; true when the pods are placed.
        /// As in KAI, the order is that of every pod group with pending pods as well as the victims and the
        /// preemptor: the others are passed over, but while they wait they are their queue's best job, and so decide
        /// when that queue's turn comes (a queue whose next job asks for much may go after the victims' queue).
        /// </summary>
        private bool Simulate(Statement statement, int[] pods, List<int> victimPods, StepChain? chain)
        {
            var acted = solver.ReusesTryBooks ? _acted : [];
            acted.Clear();
            foreach (var pod in victimPods)
            {
                acted.Add(_session.Snapshot.GroupOf(pod));
            }

            acted.Add(preemptor);

            var order = new SimulationOrder(_session, solver.PendingOrder, acted, _firstPhase);
            _cameOut.Clear();
            while (order.TryNext(out var group))
            {
                if (group != preemptor)
                {
                    PlaceBack(statement, group);
                    chain?.PlacedBack(group, LeafAllocated(group));
                    _cameOut.Add(group);
                    continue;
                }

                chain?.AtPreemptor(order, CapacityAllowsThrough(pods.Length), !order.TakesPart(_session.Snapshot.QueueOf(preemptor)));
                if (!GangPlacement.TryPlace(_session, statement, preemptor, pods, pipelineOnly: true, explain: false))
                {
                    return false;
                }

                chain?.PodsPlaced(statement.Checkpoint());
                if (solver.SkipsWalkWhereNothingGoesBack && PlacedBackInAnyOrder(statement, StillToComeOut(acted)))
                {
                    chain?.WalkSkipped(_afterPreemptor);
                    break;
                }
            }

            return Array.TrueForAll(pods, p => _session.StatusOf(p) == PodStatus.Pipelined);
        }

        /// <summary>
        /// The acted groups the walk has still to give at the preemptor's turn: those in a leaf queue (the walk gives no
        /// other) that did not come out before it (a list of the search's own, filled again at each try).
        /// </summary>
        private List<int> StillToComeOut(HashSet<int> acted)
        {
            _afterPreemptor.Clear();
            foreach (var group in acted)
            {
                if (group != preemptor && _session.Snapshot.QueueOf(group) >= 0 && !_cameOut.Contains(group))
                {
                    _afterPreemptor.Add(group);
                }
            }

            return _afterPreemptor;
        }

        /// <summary>
        /// Places back <paramref name="groups"/> (the victim groups still to come at the preemptor's turn) where how they end
        /// cannot depend on the walk's order, and says so; else leaves the statement as it found it (false: the walk decides).
        /// A placement that fails changes nothing. So where none goes back as the session stands, each fails in any order;
        /// and where only one goes back as the session stands and, with it back, none of the others does, every order ends
        /// with that one back and no other: those before it fail on the session as it stands, those after it on the session
        /// with it back.
        /// </summary>
        private bool PlacedBackInAnyOrder(Statement statement, List<int> groups)
        {
            var checkpoint = statement.Checkpoint();
            var back = -1;
            foreach (var group in groups)
            {
                if (GoesBack(statement, group))
                {
                    statement.Rollback(checkpoint);
                    if (back >= 0 || !solver.SkipsWalkWhereOneGoesBack)
                    {
                        solver.WalksTakenAfterTheCheck++;
                        return false;
                    }

                    back = group;
                }
            }

            if (back < 0)
            {
                solver.WalksSkipped += groups.Count > 0 ? 1 : 0;
                return true;
            }

            // On the same session it goes back as it did just now; then none of the others may.
            var again = GoesBack(statement, back);
            foreach (var group in groups)
            {
                if (!again || (group != back && GoesBack(statement, group)))
                {
                    statement.Rollback(checkpoint);
                    solver.WalksTakenAfterTheCheck++;
                    return false;
                }
            }

            solver.WalksSkipped++;
            solver.WalksSkippedWithOneBack++;
            return true;
        }

        /// <summary>Places back the group's evicted pods where they fit, all or none; true when they went back.</summary>
        private bool GoesBack(Statement statement, int group)
        {
            var evicted = _session.Quantum.EvictedPodsToReplace(group);
            return evicted.Length > 0 && GangPlacement.TryPlace(_session, statement, group, evicted, pipelineOnly: true, explain: false);
        }

        /// <summary>A victim group's turn in the simulation: its evicted pods are placed back where they fit, all or none.</summary>
        private void PlaceBack(Statement statement, int group)
        {
            var evicted = _session.Quantum.EvictedPodsToReplace(group);
            if (evicted.Length > 0)
            {
                GangPlacement.TryPlace(_session, statement, group, evicted, pipelineOnly: true, explain: false);
            }
        }

        private EvictionScenario Describe(Statement statement, List<int> victimPods)
        {
            var before = _nodesBefore;
            if (solver.ReusesTryBooks)
            {
                statement.NodesBefore(before);
            }
            else
            {
                before = statement.TouchedPods().ToDictionary(t => t.Pod, t => t.BeforeNode);
            }

            var evicted = new List<int>();
            var moved = new List<int>();
            foreach (var pod in victimPods)
            {
                var status = _session.StatusOf(pod);
                if (status == PodStatus.Releasing)
                {
                    evicted.Add(pod);
                }
                else if (status == PodStatus.Pipelined && before.TryGetValue(pod, out var node) && (node != _session.NodeOf(pod) || statement.MovedGpus(pod)))
                {
                    moved.Add(pod);
                }
            }

            return new EvictionScenario(preemptor, evicted, moved, start);
        }
    }

    private Session Session => session;

    private ActionKind Action => action;

    private VictimCatalog Catalog => catalog;

    private SharedVictimWalk? VictimWalks => victimWalks;

    private PendingOrder PendingOrder => pendingOrder;

    private string? Validate(EvictionScenario scenario)
    {
        foreach (var validator in session.Plugins.ScenarioValidators)
        {
            var status = validator.Validate(session, action, scenario);
            if (!status.IsSuccess)
            {
                return status.Reason ?? status.Code.ToString();
            }
        }

        return null;
    }

    /// <summary>
    /// What validators compare scenarios with: queue allocations and the quantum before any try. The allocations' copies of
    /// the action's previous search are taken again where they hold the same values (a failed search leaves the session as
    /// it found it, so between commits they do; each is some 4 KB on a cluster of 50 queues).
    /// </summary>
    private VictimSearchStart SearchStart(int preemptor)
    {
        if (session.Plugins.ScenarioValidators.Length == 0)
        {
            return NoValidators;
        }

        var request = session.Quantum.InitRequest(preemptor).QueueResources;
        var scratch = ReusesSearchStart ? victimWalks?.Scratch : null;
        if (scratch?.Start is { } last
            && last.QueueAllocated.AsSpan().SequenceEqual(session.Queues.Allocated)
            && last.QueueAllocatedNonPreemptible.AsSpan().SequenceEqual(session.Queues.AllocatedNonPreemptible))
        {
            StartsReused++;
            return last.PreemptorRequest == request ? last : last with { PreemptorRequest = request };
        }

        var start = new VictimSearchStart([.. session.Queues.Allocated], [.. session.Queues.AllocatedNonPreemptible], request);
        if (scratch is not null)
        {
            scratch.Start = start;
        }

        return start;
    }

    private static readonly VictimSearchStart NoValidators = new([], [], ResourceVector.Zero);
}
