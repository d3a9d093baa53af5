using CsCheck;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Ordering;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Solvers;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// The victim search goes on from the previous step's statement where the next step's recorded victims are that
/// statement's, and ends exactly as the search that simulates every step from the start: the same failure, the same
/// number of tries, the same operations in the open statement (so the same decisions once committed), and the same pods
/// releasing and pipelined on the same nodes and GPU groups — on random clusters (half the gangs of one pod spec),
/// every pending group as preemptor, reclaim, preempt and consolidation (whose victims move), victim filters and limits
/// on victim groups.
/// </summary>
public sealed class StepChainPropertyTests
{
    private const int Iterations = 2000;

    [Fact]
    public void Solve_WithStepsContinued_EndsAsTheSearchThatSimulatesEveryStep() =>
        CompareWithEveryStepSimulated(RandomWorld.Gen(withReleasing: true, uniformGangs: true), Iterations, minimumContinued: 300, minimumReordered: 5);

    /// <summary>
    /// The same on worlds made for chains (<see cref="RandomWorld.ChainGen"/>): victims placed back after the preemptor's
    /// turn, victims that move, and recorded victims in another order than the try's.
    /// </summary>
    [Fact]
    public void Solve_WithStepsContinuedInWorldsMadeForChains_EndsAsTheSearchThatSimulatesEveryStep() =>
        CompareWithEveryStepSimulated(RandomWorld.ChainGen(), ChainIterations, minimumContinued: 500, minimumReordered: MinimumReordered);

    // Continued steps whose recorded victims were the previous statement's in another order (62 and 98 seen; 15 and 27
    // on the other worlds).
    private const int MinimumReordered = 30;

    private const int ChainIterations = 2000;

    /// <summary>
    /// A chain started by a try other than scenario 0 takes its checks before the try instead of looking back at the start
    /// once the try succeeded: the searches end alike (on both kinds of worlds), and such chains occur. The checks only
    /// decide which steps may go on from a chain — a continuation that fails is decided again from the start — so the
    /// number of continuations the checks admitted is compared too: it differs wherever the checks answered otherwise.
    /// </summary>
    [Fact]
    public void Solve_WithChainChecksTakenBeforeTheTry_EndsAsTheSearchThatLooksBack()
    {
        var checkedBefore = 0;
        foreach (var worlds in new[] { RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen() })
        {
            CompareSearches(
                worlds,
                LookBackIterations,
                (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { CheckChainsBeforeTheirTry = false },
                solver => Interlocked.Add(ref checkedBefore, solver.ChainsCheckedBeforeTheirTry),
                alsoCompared: solver => $"continuations attempted: {solver.ContinuationsAttempted}");
        }

        Assert.True(checkedBefore > MinimumCheckedBefore, $"only {checkedBefore} chains from tries other than scenario 0 took their checks before the try");
        Console.WriteLine($"step chain: {checkedBefore} chains checked before their try");
    }

    private const int LookBackIterations = 1500;

    /// <summary>
    /// Chains that keep the preemptor's turn in the pending order's one kept mark, written again by every chain of every
    /// search, end as chains with marks of their own (on both kinds of worlds; the reference's searches run in between).
    /// </summary>
    [Fact]
    public void Solve_WithOrderMarksKeptInTheWorkspace_EndsAsWithMarksOfTheirOwn()
    {
        var kept = 0;
        var continued = 0;
        foreach (var worlds in new[] { RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen() })
        {
            CompareSearches(
                worlds,
                KeptMarkIterations,
                (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { KeepsOrderMarksInWorkspace = false },
                solver => Interlocked.Add(ref continued, solver.ContinuedSteps),
                countedOrder: order => Interlocked.Add(ref kept, order.Workspace.KeptMark.Serial));
        }

        Assert.True(kept > 2_000 && continued > 500, $"only {kept} marks kept in the workspace, {continued} steps continued");
        Console.WriteLine($"step chain: {kept} marks kept in the workspace, {continued} steps continued");
    }

    private const int KeptMarkIterations = 1000;

    /// <summary>
    /// Simulations that, once the preemptor's pods are placed, try each victim group still to come and skip the rest of the
    /// walk where none goes back, or only one and no other with it back — and chains that check so again at their next
    /// step instead of replaying the walk — end as simulations that always walk (on both kinds of worlds): the same
    /// outcome, and the same steps continued. Every side of the check must occur: walks skipped with none back and with one
    /// back, and walks taken because several victim groups went back.
    /// </summary>
    [Fact]
    public void Solve_SkippingTheWalkWhereNoVictimGoesBack_EndsAsTheSearchThatWalks()
    {
        var seen = new SkippedWalks();
        foreach (var worlds in new[] { RandomWorld.Gen(withReleasing: true, uniformGangs: true), RandomWorld.ChainGen() })
        {
            CompareSkippingWithWalking(worlds, SkippedWalkIterations, seen);
        }

        Assert.True(
            seen.Skipped > MinimumSkippedWalks && seen.Taken > MinimumTakenWalks && seen.Continued > MinimumContinuedWithoutWalk && seen.OneBack > MinimumOneBack,
            $"only {seen}");
        Console.WriteLine($"step chain: {seen}");
    }

    private const int SkippedWalkIterations = 1500;

    /// <summary>
    /// The same where victim groups require (or refuse) pods of other groups on their node or in their zone
    /// (<see cref="RandomWorld.AffinityChainGen"/>): there placing one victim group back can let another go back, so the
    /// check must try the others with the one that went back placed; and a preemptor's pod placed at a chain's next step
    /// could let a victim back that could not go back at the step before (victims that require a preemptor's pod in their
    /// zone), which is what a chain whose walk was skipped checks again for. Every side of the check must occur here too.
    /// </summary>
    [Fact]
    public void Solve_SkippingTheWalkWhereVictimsFollowOneAnother_EndsAsTheSearchThatWalks()
    {
        var seen = new SkippedWalks();
        CompareSkippingWithWalking(RandomWorld.AffinityChainGen(), AffinityIterations, seen);

        Assert.True(
            seen.Skipped > MinimumAffinitySkipped && seen.Taken > MinimumAffinityTaken && seen.Continued > MinimumAffinityContinued && seen.OneBack > MinimumAffinityOneBack,
            $"only {seen}");
        Console.WriteLine($"step chain with affinity: {seen}");
    }

    /// <summary>Searches that skip the walk where they can, compared with searches that always walk; what the skipping ones did is added to <paramref name="seen"/>.</summary>
    private static void CompareSkippingWithWalking(Gen<RandomWorld> worlds, int iterations, SkippedWalks seen) =>
        CompareSearches(
            worlds,
            iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { SkipsWalkWhereNothingGoesBack = false },
            solver =>
            {
                Interlocked.Add(ref seen.Skipped, solver.WalksSkipped);
                Interlocked.Add(ref seen.Taken, solver.WalksTakenAfterTheCheck);
                Interlocked.Add(ref seen.Continued, solver.ContinuationsWithoutWalk);
                Interlocked.Add(ref seen.OneBack, solver.WalksSkippedWithOneBack);
            },
            alsoCompared: solver => $"continued: {solver.ContinuedSteps} of {solver.ContinuationsAttempted}");

    /// <summary>What the skipping searches of a comparison did, summed over its worlds.</summary>
    private sealed class SkippedWalks
    {
        public int Skipped;
        public int Taken;
        public int Continued;
        public int OneBack;

        public override string ToString() =>
            $"{Skipped} walks after the preemptor's turn skipped ({Continued} in continued steps, {OneBack} with one group back), {Taken} taken after the check";
    }

    // Seen at 1,500 iterations: about 2,100-2,300 skipped, 340-440 in continued steps, 520-700 with one back, 165-280
    // taken. Walks taken because a second group followed the one back (the SkipsWalkWhereOneGoesBack guard) were 66 in
    // one run with a counter put in for the purpose: removing that guard fails this test.
    private const int AffinityIterations = 1500;

    private const int MinimumAffinitySkipped = 1_000;

    private const int MinimumAffinityTaken = 80;

    private const int MinimumAffinityContinued = 150;

    private const int MinimumAffinityOneBack = 250;

    private const int MinimumSkippedWalks = 2_000;

    private const int MinimumTakenWalks = 150;

    private const int MinimumContinuedWithoutWalk = 1_000;

    private const int MinimumOneBack = 500;

    private const int MinimumCheckedBefore = 100;

    private static void CompareWithEveryStepSimulated(Gen<RandomWorld> worlds, int iterations, int minimumContinued, int minimumReordered)
    {
        var continued = 0;
        var reordered = 0;
        CompareSearches(
            worlds,
            iterations,
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { ContinueSteps = false },
            solver =>
            {
                Interlocked.Add(ref continued, solver.ContinuedSteps);
                Interlocked.Add(ref reordered, solver.ReorderedSteps);
            });

        // Steps must have been continued, or this test shows nothing.
        Assert.True(continued > minimumContinued, $"only {continued} steps went on from the previous step's statement");
        Assert.True(reordered >= minimumReordered, $"only {reordered} steps went on with the previous statement's victims in another order");
        Console.WriteLine($"step chain: {continued} steps continued, {reordered} of them with the victims reordered");
    }

    /// <summary>
    /// Every pending group's search by <paramref name="referenceOf"/> and by the default solver, compared; the default
    /// solver is handed to <paramref name="counted"/> after each search. The reference reads its own pending order when
    /// <paramref name="referenceOrderOf"/> is given (for shortcuts of the order itself).
    /// </summary>
    internal static void CompareSearches(
        Gen<RandomWorld> worlds,
        int iterations,
        Func<Session, ActionKind, VictimCatalog, PendingOrder, EvictionSolver> referenceOf,
        Action<EvictionSolver> counted,
        Func<Session, PendingOrder>? referenceOrderOf = null,
        Action<PendingOrder>? countedOrder = null,
        Func<EvictionSolver, string>? alsoCompared = null)
    {
        var gen =
            from world in worlds
            from seed in Gen.Int[0, 1_000_000]
            select (world, seed);

        gen.Sample(
            sample =>
            {
                var (world, seed) = sample;
                var session = new SchedulingEngine(world.Configuration, KaiPlugins.Registry).OpenSession(SnapshotBuilder.Build(world.State));
                var random = new Random(seed);
                var pending = PendingGroups.WithPendingPods(session).ToList();
                if (pending.Count == 0)
                {
                    return;
                }

                // Consolidation's victims must all be placed again: they move after the preemptor's turn.
                var action = new[] { ActionKind.Reclaim, ActionKind.Preempt, ActionKind.Consolidation }[random.Next(3)];
                var refused = seed % 7;
                var maxVictimJobs = random.Next(3) == 0 ? 1 + random.Next(3) : int.MaxValue;
                var catalog = new VictimCatalog(session);
                catalog.Sync();
                var pendingOrder = new PendingOrder(session);
                var referenceOrder = referenceOrderOf?.Invoke(session) ?? pendingOrder;
                foreach (var preemptor in pending)
                {
                    var search = new Search(preemptor, refused, maxVictimJobs, action == ActionKind.Consolidation);
                    var referenceSolver = referenceOf(session, action, catalog, referenceOrder);
                    var reference = Outcome(session, referenceSolver, search) + alsoCompared?.Invoke(referenceSolver);
                    var solver = new EvictionSolver(session, action, catalog, pendingOrder);
                    var outcome = Outcome(session, solver, search) + alsoCompared?.Invoke(solver);
                    counted(solver);

                    Assert.True(reference == outcome, $"{session.Snapshot.Groups[preemptor].Name} ({action}): the reference search gave\n{reference}\nthe default search gave\n{outcome}\n{world}");
                }

                countedOrder?.Invoke(pendingOrder);
            },
            iter: iterations);
    }

    /// <summary>What one search ends with; its open statement is discarded, so the session is as before for the next.</summary>
    private static string Outcome(Session session, EvictionSolver solver, Search search)
    {
        // A victim filter that refuses some groups, the same for both searches.
        var eligibility = new VictimEligibility(search.Preemptor, g => g % 7 == search.Refused ? PluginStatus.Unschedulable("refused") : PluginStatus.Success);
        var solution = solver.Solve(search.Preemptor, eligibility, search.MaxVictimJobs, search.RequireAllReplaced);
        var pods = Enumerable.Range(0, session.Snapshot.Pods.Count)
            .Where(p => session.StatusOf(p) is PodStatus.Releasing or PodStatus.Pipelined)
            .Select(p => $"{session.Snapshot.Pods[p].Name}:{session.StatusOf(p)}@{session.NodeOf(p)}{Gpus(session, p)}");
        var operations = solution.Statement?.TouchedPods().Select(t => $"{session.Snapshot.Pods[t.Pod].Name}({t.Before}@{t.BeforeNode})") ?? [];
        var text = $"failure={solution.Failure ?? "none"} tries={solution.Tries} eligibleSeen={eligibility.EligibleSeen}\n  {string.Join(", ", pods)}\n  touched: {string.Join(", ", operations)}";
        solution.Statement?.Discard();
        return text;
    }

    private readonly record struct Search(int Preemptor, int Refused, int MaxVictimJobs, bool RequireAllReplaced);

    private static string Gpus(Session session, int pod) =>
        session.GroupsHeld(pod) is { } groups ? $"[{string.Join("+", groups.Select(g => g.Id))}]" : string.Empty;
}
