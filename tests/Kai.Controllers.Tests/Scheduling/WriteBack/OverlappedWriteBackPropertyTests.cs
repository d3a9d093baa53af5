using System.Globalization;
using CsCheck;
using k8s;
using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Kai.Controllers.Binding;
using Kai.Controllers.Scheduling;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;
using Kai.Simulation.Benchmarks;
using Kai.Simulation.Kubelet;
using Kai.Simulation.Time;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

/// <summary>
/// The overlapped write-back (each action's committed decisions written on another thread while the later actions
/// run) against the sequential one (everything after the last action), on random clusters over several cycles with
/// the binder, the kubelet and pod churn between them: every change the store made — its type, resource version and
/// the object as JSON, in order — is the same, so the store's contents, resource versions and events are too.
/// </summary>
public sealed class OverlappedWriteBackPropertyTests
{
    private const int Cycles = 3;

    /// <summary>A random world: a synthetic cluster (gangs in a queue tree, some of it running) or a mixed one.</summary>
    private sealed record World(bool Mixed, int Nodes, int Pods, int Pending, double Fill, double Fractional, int Seed)
    {
        public override string ToString() =>
            string.Create(CultureInfo.InvariantCulture, $"{(Mixed ? "mixed" : "synthetic")} nodes={Nodes} pods={Pods} pending={Pending} fill={Fill} fractional={Fractional} seed={Seed}");
    }

    private static readonly double[] FillChoices = [0.0, 0.5, 0.9, 1.0];

    private static readonly Gen<World> GenWorld =
        Gen.Select(Gen.Bool, Gen.Int[2, 10], Gen.Int[20, 160], Gen.Int[4, 60], Gen.Int[0, 3].Select(i => FillChoices[i]), Gen.Int[0, 2].Select(i => i == 2 ? 0.3 : 0.0), Gen.Int[0, 100_000])
            .Select((mixed, nodes, pods, pending, fill, fractional, seed) => new World(mixed, nodes, pods, pending, fill, fractional, seed));

    [Fact]
    public async Task RunCycleAsync_WhenWriteBackOverlapsTheActions_StoresWhatTheSequentialWriteBackStores()
    {
        var overlappedCycles = 0;
        var decisions = 0;
        await GenWorld.SampleAsync(
            async world =>
            {
                var sequential = await RunAsync(world, overlaps: false);
                var overlapped = await RunAsync(world, overlaps: true);
                Assert.Equal(sequential.Decisions, overlapped.Decisions);
                Assert.Equal(sequential.Changes.Count, overlapped.Changes.Count);
                for (var i = 0; i < sequential.Changes.Count; i++)
                {
                    Assert.Equal(sequential.Changes[i], overlapped.Changes[i]);
                }

                Assert.Equal(sequential.Stored, overlapped.Stored);
                Interlocked.Add(ref overlappedCycles, overlapped.OverlappedCycles);
                Interlocked.Add(ref decisions, overlapped.Decisions.Count);
            },
            iter: 120,
            threads: 1);

        // The comparison means something only if decisions were written while later actions ran.
        Assert.True(overlappedCycles >= 60, $"only {overlappedCycles} cycles overlapped their write-back");
        Assert.True(decisions >= 2_000, $"only {decisions} decisions");
    }

    [Fact]
    public async Task RunCycleAsync_WhenTheWriterTakesDecisionsWhileAnActionCommits_StoresWhatTheSequentialWriteBackStores()
    {
        // Chunks of two decisions: the small worlds' actions then hand over several chunks each while they run.
        var cyclesWithChunksInActions = 0;
        var chunksInActions = 0;
        await GenWorld.SampleAsync(
            async world =>
            {
                var sequential = await RunAsync(world, overlaps: false);
                var overlapped = await RunAsync(world, overlaps: true, commitChunk: 2);
                Assert.Equal(sequential.Decisions, overlapped.Decisions);
                Assert.Equal(sequential.Changes, overlapped.Changes);
                Assert.Equal(sequential.Stored, overlapped.Stored);
                Interlocked.Add(ref cyclesWithChunksInActions, overlapped.CyclesWithSeveralChunksInActions);
                Interlocked.Add(ref chunksInActions, overlapped.ChunksInActions);
            },
            iter: 100,
            threads: 1);

        Assert.True(cyclesWithChunksInActions >= 25, $"only {cyclesWithChunksInActions} cycles handed over several chunks while an action ran");
        Assert.True(chunksInActions >= 100, $"only {chunksInActions} chunks handed over while an action ran");
    }

    [Fact]
    public async Task OnCommitted_HandsOverOnceAChunkOfDecisionsCame_HoldingBackATrailingRunOfBinds()
    {
        var cluster = new EmbeddedCluster(TimeProvider.System, KaiKinds.CreateRegistry());
        var writer = new DecisionWriter(cluster, TimeProvider.System);
        var overlapped = OverlappedWriteBack.Start(writer, SnapshotOf([Pod("p", claims: false)]), default, commitChunk: 3);
        var pipeline = Decision(DecisionKind.Pipeline);
        var bind = Decision(DecisionKind.Bind);
        List<SchedulingDecision> committed = [pipeline, pipeline];

        overlapped.OnCommitted(committed);
        Assert.Equal((0, 0), (overlapped.Handed, overlapped.ChunksWithinActions));

        committed.AddRange([pipeline, bind]);
        overlapped.OnCommitted(committed);
        Assert.Equal((3, 1), (overlapped.Handed, overlapped.ChunksWithinActions));

        // Three binds make a chunk, but a trailing run of binds is held back; the next look comes a chunk later.
        committed.AddRange([bind, bind, bind]);
        overlapped.OnCommitted(committed);
        Assert.Equal((3, 1), (overlapped.Handed, overlapped.ChunksWithinActions));
        committed.Add(pipeline);
        overlapped.OnCommitted(committed);
        Assert.Equal((3, 1), (overlapped.Handed, overlapped.ChunksWithinActions));
        committed.AddRange([pipeline, pipeline]);
        overlapped.OnCommitted(committed);
        Assert.Equal((10, 2), (overlapped.Handed, overlapped.ChunksWithinActions));

        await overlapped.AbandonAsync();
    }

    [Fact]
    public void SettledEnd_HoldsBackATrailingRunOfBindsOnly()
    {
        var bind = Decision(DecisionKind.Bind);
        var evict = Decision(DecisionKind.Evict);
        var pipeline = Decision(DecisionKind.Pipeline);

        Assert.Equal(0, OverlappedWriteBack.SettledEnd([], 0));
        Assert.Equal(0, OverlappedWriteBack.SettledEnd([bind, bind], 0));
        Assert.Equal(1, OverlappedWriteBack.SettledEnd([evict, bind, bind], 0));
        Assert.Equal(3, OverlappedWriteBack.SettledEnd([bind, bind, evict], 0));
        Assert.Equal(4, OverlappedWriteBack.SettledEnd([bind, evict, bind, pipeline], 1));
        Assert.Equal(2, OverlappedWriteBack.SettledEnd([bind, evict, bind], 2));
    }

    [Fact]
    public void Start_WhenAPodHasDraClaims_LeavesTheWriteBackAfterTheCycle()
    {
        var writer = new DecisionWriter(new EmbeddedCluster(TimeProvider.System, KaiKinds.CreateRegistry()), TimeProvider.System);

        Assert.True(OverlappedWriteBack.Start(writer, SnapshotOf([Pod("a", claims: false), Pod("b", claims: false)]), default).WritesEarly);
        Assert.False(OverlappedWriteBack.Start(writer, SnapshotOf([Pod("a", claims: false), Pod("b", claims: true)]), default).WritesEarly);
    }

    [Fact]
    public async Task AbandonAsync_AfterAnEvictionWasWrittenEarly_RestartsItsGroupsPreemptionDelay()
    {
        // A cycle whose later action fails keeps what its earlier actions wrote; an evicted group must then carry its
        // last-eviction stamp, as after a whole cycle, or the next cycle would let it be preempted again at once.
        var cluster = new EmbeddedCluster(TimeProvider.System, KaiKinds.CreateRegistry());
        cluster.Load(
        [
            new Kai.Cluster.Crds.PodGroup { Metadata = new k8s.Models.V1ObjectMeta { Name = "g", NamespaceProperty = "ns" } },
            new Kai.Cluster.Crds.PodGroup { Metadata = new k8s.Models.V1ObjectMeta { Name = "other", NamespaceProperty = "ns" } },
            new k8s.Models.V1Pod { Metadata = new k8s.Models.V1ObjectMeta { Name = "p", NamespaceProperty = "ns", Uid = "uid" } },
        ]);
        var writer = new DecisionWriter(cluster, TimeProvider.System);
        var overlapped = OverlappedWriteBack.Start(writer, SnapshotOf([Pod("p", claims: false)]), default);

        overlapped.Offer([Decision(DecisionKind.Evict)]);
        await overlapped.AbandonAsync();

        Assert.Null(await cluster.GetAsync<k8s.Models.V1Pod>("ns", "p"));
        var evicted = await cluster.GetAsync<Kai.Cluster.Crds.PodGroup>("ns", "g");
        Assert.Contains(KaiConventionsLastEviction, evicted!.Metadata.Annotations?.Keys ?? []);
        var untouched = await cluster.GetAsync<Kai.Cluster.Crds.PodGroup>("ns", "other");
        Assert.DoesNotContain(KaiConventionsLastEviction, untouched!.Metadata.Annotations?.Keys ?? []);
    }

    private const string KaiConventionsLastEviction = Kai.Controllers.Conventions.KaiConventions.LastEvictionTimestampAnnotation;

    private static ClusterSnapshot SnapshotOf(Pod[] pods) =>
        SnapshotBuilder.Build(new ClusterState([], pods, [], [], DateTimeOffset.UnixEpoch, new ResourceCatalog()));

    private static Pod Pod(string name, bool claims) =>
        new() { Uid = name, Namespace = "ns", Name = name, Claims = claims ? [new PodClaim($"ns/{name}-claim", null, 1)] : [] };

    private static SchedulingDecision Decision(DecisionKind kind) =>
        new(ActionKind.Allocate, kind, new PodKey("ns", "p"), "uid", kind == DecisionKind.Evict ? null : new NodeName("n"), new PodGroupKey("ns", "g"), GpuGrant.None);

    private sealed record Run(List<string> Decisions, List<string> Changes, List<string> Stored, int OverlappedCycles, int CyclesWithSeveralChunksInActions, int ChunksInActions);

    /// <summary>Runs <see cref="Cycles"/> cycles on the world; returns every decision, every change of the store and what it holds at the end.</summary>
    private static async Task<Run> RunAsync(World world, bool overlaps, int commitChunk = 0)
    {
        var clock = new SimulatedClock(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
        var cluster = new EmbeddedCluster(clock, KaiKinds.CreateRegistry());
        cluster.Load(world.Mixed
            ? MixedCluster.Generate(world.Nodes, world.Pods, Math.Min(world.Pending, world.Pods), world.Seed).Objects
            : SyntheticCluster.Generate(world.Nodes, world.Pending, world.Seed, world.Fill, departments: 2, teamsPerDepartment: 3, fractional: world.Fractional));
        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions());
        using var scheduler = await Scheduler.CreateAsync(cluster, SchedulerConfiguration.Default, clock);
        scheduler.OverlapsWriteBack = overlaps;
        scheduler.OverlapCommitChunk = commitChunk;
        await using var binder = await Binder.CreateAsync(cluster);
        var kubelet = new SimulatedKubelet(cluster, clock);
        var churn = await PodChurn.CreateAsync(cluster, world.Seed);

        var decisions = new List<string>();
        var changes = new List<string>();
        var overlappedCycles = 0;
        var severalInActions = 0;
        var chunksInActions = 0;
        for (var c = 0; c < Cycles; c++)
        {
            if (c > 0)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await binder.RunOnceAsync();
                await kubelet.RunOnceAsync();
                await churn.RunOnceAsync(world.Pods / 10, clock.GetUtcNow().UtcDateTime);
            }

            var outcome = await scheduler.RunCycleAsync();
            await scheduler.FlushStatusAsync();
            decisions.AddRange(outcome.Result.Decisions.Select(d => $"{c} {d.Action} {d.Kind} {d.Pod} {d.Node} {d.Preemptor}"));
            overlappedCycles += scheduler.LastOverlappedChunks > 0 ? 1 : 0;
            severalInActions += scheduler.LastChunksWithinActions > 1 ? 1 : 0;
            chunksInActions += scheduler.LastChunksWithinActions;
            while (feed.Changes.TryRead(out var change))
            {
                changes.Add($"{change.Type} {change.Kind} {change.ResourceVersion} {KubernetesJson.Serialize(change.Object)}");
            }
        }

        return new Run(decisions, changes, await StoredAsync(cluster), overlappedCycles, severalInActions, chunksInActions);
    }

    private static async Task<List<string>> StoredAsync(EmbeddedCluster cluster)
    {
        var stored = new List<string>();
        stored.AddRange((await cluster.ListAsync<k8s.Models.V1Pod>()).Items.Select(o => KubernetesJson.Serialize(o)));
        stored.AddRange((await cluster.ListAsync<Kai.Cluster.Crds.BindRequest>()).Items.Select(o => KubernetesJson.Serialize(o)));
        stored.AddRange((await cluster.ListAsync<Kai.Cluster.Crds.PodGroup>()).Items.Select(o => KubernetesJson.Serialize(o)));
        stored.AddRange((await cluster.ListAsync<k8s.Models.Corev1Event>()).Items.Select(o => KubernetesJson.Serialize(o)));
        stored.Add(cluster.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        return stored;
    }
}
