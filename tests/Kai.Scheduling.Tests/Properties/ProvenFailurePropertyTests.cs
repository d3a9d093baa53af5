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
/// The victim search fails the tries it can prove would fail without simulating them, and keeps the victim order's
/// walk across tries (queues ranked, next units remembered regardless of the ledger's versions), and ends exactly as
/// the search that simulates every try and looks at every queue again after each: the same victims evicted, the same pods placed on the same nodes, the same failure and
/// the same number of tries — on random clusters (half the gangs of one pod spec; or few GPUs, mostly held, and pending
/// gangs of several pods, so that some pods of a step fit as the session stands but not all), preemptors, victim filters
/// and limits on victim groups.
/// </summary>
public sealed class ProvenFailurePropertyTests
{
    private const int Iterations = 3000;

    [Fact]
    public void Solve_WithProvenFailuresSkipped_EndsAsTheSearchThatSimulatesEveryTry()
    {
        var proven = 0;
        var provenWithRoom = 0;

        CompareSearches(
            "simulating every try",
            "skipping proven failures",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { SkipProvenFailures = false, RememberVictimOrderAcrossTries = false },
            solver =>
            {
                Interlocked.Add(ref proven, solver.ProvenFailures);
                Interlocked.Add(ref provenWithRoom, solver.ProvenWithRoomAsItStands);
            },
            WithoutTheBound);

        // The proof must have decided tries, or this test shows nothing.
        Assert.True(proven > 300, $"only {proven} tries were failed by the proof");
        Assert.True(provenWithRoom > 50, $"only {provenWithRoom} tries of steps some pod of which fits as the session stands were failed by the proof ({proven} in all)");
    }

    [Fact]
    public void Solve_WithTryVictimsReadInPlace_EndsAsTheSearchThatListsEveryTrysVictims()
    {
        var proven = 0;

        CompareSearches(
            "listing every try's victims",
            "reading them in place",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { ProveTriesOnTheirGroups = false },
            solver => Interlocked.Add(ref proven, solver.ProvenFailures),
            WithoutTheBound);

        // Tries must have been failed by the proofs reading their victims in place, or this test shows nothing.
        Assert.True(proven > 300, $"only {proven} tries were failed by the proof");
    }

    [Fact]
    public void Solve_WithTryProofsOnLayersAndTriedSetsPerUnit_EndsAsTheSearchThatSumsEveryTrysVictimsAndKeysEverySet()
    {
        var proven = 0;

        CompareSearches(
            "summing every try's victims, keying every set",
            "layered proofs, sets told apart per unit",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { LayeredTryProofs = false, TriedSetsPerUnit = false },
            solver => Interlocked.Add(ref proven, solver.ProofRejectedTries));

        Assert.True(proven > 300, $"only {proven} tries were failed by a proof");
    }

    [Fact]
    public void Solve_WithTheCapCountingSimulatedTriesOnly_TheShortcutsStillEndAsTheSlowSearch()
    {
        var proven = 0;

        CompareSearches(
            "the shortcuts that keep the tries off",
            "every shortcut on",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order)
            {
                // Not SkipProvenFailures: a try it fails is a simulated one without it, and so counted here.
                CapCountsSimulatedTriesOnly = true, LayeredTryProofs = false, TriedSetsPerUnit = false, ProveTriesOnTheirGroups = false,
                RememberVictimOrderAcrossTries = false,
            },
            solver => Interlocked.Add(ref proven, solver.ProofRejectedTries),
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { CapCountsSimulatedTriesOnly = true });

        Assert.True(proven > 300, $"only {proven} tries were failed by a proof");
    }

    [Fact]
    public void Solve_WithTheCapCountingSimulatedTriesOnly_BelowTheCapEndsAsTheSearchThatCountsEveryTry_WithTheProofRejectedTriesLeftOut()
    {
        var proofRejected = 0;

        CompareSearches(
            "the cap counting every try",
            "the cap counting simulated tries",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { CapCountsSimulatedTriesOnly = false },
            solver => Interlocked.Add(ref proofRejected, solver.ProofRejectedTries),
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { CapCountsSimulatedTriesOnly = true },
            (reference, shortcut) => shortcut.Tries == reference.Tries - reference.ProofRejectedTries);

        Assert.True(proofRejected > 300, $"only {proofRejected} tries were failed by a proof");
    }

    [Fact]
    public void Solve_WithTriesBoundByEveryTakenVictim_EndsAsTheSearchThatProvesEveryTry()
    {
        var bounded = 0;

        CompareSearches(
            "proving every try",
            "failing tries by the bound over every taken victim",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { BoundTriesByEveryTakenVictim = false },
            solver => Interlocked.Add(ref bounded, solver.TriesFailedByTheBound));

        // The bound must have failed tries, or this test shows nothing.
        Assert.True(bounded > 100, $"only {bounded} tries were failed by the bound");
    }

    [Fact]
    public void Solve_WithTriesBoundByEveryTakenVictim_AndTheCapCountingSimulatedTriesOnly_FailsOnlyTriesAProofFails()
    {
        var bounded = 0;

        // With only simulated tries counted, a try the bound failed but a proof would have passed (and simulated) shows
        // as one try fewer, even where the simulation would have failed it.
        CompareSearches(
            "proving every try, the cap counting simulated tries",
            "failing tries by the bound, the cap counting simulated tries",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { BoundTriesByEveryTakenVictim = false, CapCountsSimulatedTriesOnly = true },
            solver => Interlocked.Add(ref bounded, solver.TriesFailedByTheBound),
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { CapCountsSimulatedTriesOnly = true });

        Assert.True(bounded > 100, $"only {bounded} tries were failed by the bound");
    }

    [Fact]
    public void Solve_WithTriesBoundByEveryTakenVictim_FailsNoTryBothProofsWouldPass()
    {
        var bounded = 0;

        // Try by try: each try the bound fails is given to both proofs too, and the search throws if they would pass it.
        CompareSearches(
            "proving every try",
            "failing tries by the bound, each checked against the proofs",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { BoundTriesByEveryTakenVictim = false },
            solver => Interlocked.Add(ref bounded, solver.TriesFailedByTheBound),
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { VerifiesTheBound = true });

        Assert.True(bounded > 100, $"only {bounded} tries were failed by the bound");
    }

    [Fact]
    public void Solve_WithCapacityRefusalsProvenBeforeSimulating_EndsAsTheSearchThatSimulatesThem()
    {
        var refused = 0;

        CompareSearches(
            "simulating every try the capacity refuses",
            "failing them with the victims evicted",
            (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order) { ProvesCapacityRefusals = false },
            solver => Interlocked.Add(ref refused, solver.CapacityRefusedTries));

        // Queue limits must have refused tries, or this test shows nothing (about 7,200 in 3,000 worlds).
        Assert.True(refused > 2000, $"only {refused} tries were refused by the queues' capacity");
    }

    /// <summary>The default search but for <see cref="EvictionSolver.BoundTriesByEveryTakenVictim"/>, whose tries the room proof would count otherwise.</summary>
    private static EvictionSolver WithoutTheBound(Session session, ActionKind action, VictimCatalog catalog, PendingOrder order) =>
        new(session, action, catalog, order) { BoundTriesByEveryTakenVictim = false };

    /// <summary>
    /// Runs one search per random world twice, with the plain solver <paramref name="reference"/> makes and with the
    /// default one, and requires the same outcome; <paramref name="tally"/> counts what the default one's shortcut did.
    /// </summary>
    private static void CompareSearches(
        string referenceName,
        string shortcutName,
        Func<Session, ActionKind, VictimCatalog, PendingOrder, EvictionSolver> reference,
        Action<EvictionSolver> tally,
        Func<Session, ActionKind, VictimCatalog, PendingOrder, EvictionSolver>? shortcut = null,
        Func<(int Tries, int ProofRejectedTries), (int Tries, int ProofRejectedTries), bool>? triesAgree = null)
    {
        shortcut ??= (session, action, catalog, order) => new EvictionSolver(session, action, catalog, order);
        var gen =
            from world in Gen.Frequency((1, RandomWorld.Gen(withReleasing: true, uniformGangs: true)), (2, RandomWorld.CrowdedGen()))
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

                var preemptor = pending[random.Next(pending.Count)];
                var action = random.Next(2) == 0 ? ActionKind.Reclaim : ActionKind.Preempt;
                var refused = seed % 7;
                var maxVictimJobs = random.Next(3) == 0 ? 1 + random.Next(3) : int.MaxValue;
                var catalog = new VictimCatalog(session);
                catalog.Sync();
                var pendingOrder = new PendingOrder(session);

                var slow = reference(session, action, catalog, pendingOrder);
                var expected = Outcome(session, slow, preemptor, refused, maxVictimJobs, out var slowTries);
                var solver = shortcut(session, action, catalog, pendingOrder);
                var outcome = Outcome(session, solver, preemptor, refused, maxVictimJobs, out var tries);
                tally(solver);
                if (triesAgree is not null)
                {
                    // Tries counted otherwise: compared apart, and the searches only where neither met the cap.
                    if (Math.Max(slowTries, tries) >= EvictionSolver.MaxTriesPerPreemptor)
                    {
                        return;
                    }

                    Assert.True(triesAgree((slowTries, slow.ProofRejectedTries), (tries, solver.ProofRejectedTries)), $"tries: {slowTries} ({slow.ProofRejectedTries} failed by a proof) against {tries}");
                    (expected, outcome) = (expected.Replace($"tries={slowTries} ", ""), outcome.Replace($"tries={tries} ", ""));
                }

                Assert.True(expected == outcome, $"{session.Snapshot.Groups[preemptor].Name}: {referenceName} gave\n{expected}\n{shortcutName} gave\n{outcome}\n{world}");
            },
            iter: Iterations);
    }

    /// <summary>What one search ends with; its open statement is discarded, so the session is as before for the next.</summary>
    private static string Outcome(Session session, EvictionSolver solver, int preemptor, int refused, int maxVictimJobs, out int tries)
    {
        // A victim filter that refuses some groups, the same for both searches.
        var eligibility = new VictimEligibility(preemptor, g => g % 7 == refused ? PluginStatus.Unschedulable("refused") : PluginStatus.Success);
        var solution = solver.Solve(preemptor, eligibility, maxVictimJobs, requireAllReplaced: false);
        var pods = Enumerable.Range(0, session.Snapshot.Pods.Count)
            .Where(p => session.StatusOf(p) is PodStatus.Releasing or PodStatus.Pipelined)
            .Select(p => $"{session.Snapshot.Pods[p].Name}:{session.StatusOf(p)}@{session.NodeOf(p)}");
        tries = solution.Tries;
        var text = $"failure={solution.Failure ?? "none"} tries={solution.Tries} eligibleSeen={eligibility.EligibleSeen}\n  {string.Join(", ", pods)}";
        solution.Statement?.Discard();
        return text;
    }
}
