using Kai.Cluster;
using Kai.Cluster.Embedded;
using Kai.Controllers.Cache;
using Kai.Scheduling;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Plugins;
using Kai.Scheduling.Snapshots;
using Kai.Simulation.Benchmarks;
using Kai.Simulation.Time;

namespace Kai.Benchmarks;

/// <summary>The two generated clusters the benchmarks run on.</summary>
public enum ClusterShape
{
    /// <summary>No pod running; 10 pending pods per node (80 % more GPU demand than supply): the allocate case.</summary>
    Empty,

    /// <summary>Every GPU held by running gangs, mostly of a third of the teams; 5 pending pods per node: the disruptive case.</summary>
    Full,
}

/// <summary>Sizes, seed and clock shared by every benchmark, so all of them describe the same clusters.</summary>
public static class Workload
{
    /// <summary>Seed of <see cref="SyntheticCluster.Generate"/>; the same seed as <c>kai bench</c>'s default.</summary>
    public const int Seed = 1;

    /// <summary>Environment variable that overrides the node counts (set by <c>--nodes</c>; children inherit it).</summary>
    public const string NodesVariable = "KAI_BENCH_NODES";

    /// <summary>The cycle's clock: an hour after the generator's pods were created, two after the running ones started.</summary>
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Node counts of every benchmark.</summary>
    public static IEnumerable<int> Nodes => Override() ?? [1000, 5000];

    public static int PendingPods(ClusterShape shape, int nodes) => shape == ClusterShape.Empty ? 10 * nodes : 5 * nodes;

    public static double RunningFill(ClusterShape shape) => shape == ClusterShape.Empty ? 0 : 1;

    private static int[]? Override()
    {
        var text = Environment.GetEnvironmentVariable(NodesVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
    }
}

/// <summary>A generated cluster loaded into the embedded cluster and the scheduler's cache, as in a real cycle.</summary>
internal sealed class LoadedCluster : IDisposable
{
    private LoadedCluster(EmbeddedCluster cluster, SchedulerCache cache)
    {
        Cluster = cluster;
        Cache = cache;
    }

    public EmbeddedCluster Cluster { get; }

    public SchedulerCache Cache { get; }

    public static async Task<LoadedCluster> LoadAsync(ClusterShape shape, int nodes)
    {
        var objects = SyntheticCluster.Generate(nodes, Workload.PendingPods(shape, nodes), Workload.Seed, Workload.RunningFill(shape));
        var cluster = new EmbeddedCluster(new SimulatedClock(Workload.Now), KaiKinds.CreateRegistry());
        cluster.Load(objects);
        var cache = await SchedulerCache.CreateAsync(cluster).ConfigureAwait(false);
        return new LoadedCluster(cluster, cache);
    }

    /// <summary>The engine's input for a cycle at <see cref="Workload.Now"/>; a new state each call.</summary>
    public ClusterState BuildState() => Cache.BuildState(Workload.Now);

    public void Dispose() => Cache.Dispose();
}

/// <summary>
/// An engine with chosen actions and a ready snapshot: <see cref="Run"/> is one cycle and nothing else (the
/// session is opened inside the cycle; the snapshot is immutable, so every run starts from the same cluster).
/// </summary>
internal sealed class CycleRunner
{
    private readonly SchedulingEngine _engine;
    private readonly ClusterSnapshot _snapshot;

    private CycleRunner(SchedulingEngine engine, ClusterSnapshot snapshot)
    {
        _engine = engine;
        _snapshot = snapshot;
    }

    /// <param name="actions">Actions of the cycle; null for the default list.</param>
    public static async Task<CycleRunner> CreateAsync(ClusterShape shape, int nodes, IReadOnlyList<ActionKind>? actions)
    {
        ClusterSnapshot snapshot;
        using (var loaded = await LoadedCluster.LoadAsync(shape, nodes).ConfigureAwait(false))
        {
            snapshot = SnapshotBuilder.Build(loaded.BuildState());
        }

        var configuration = actions is null ? SchedulerConfiguration.Default : SchedulerConfiguration.Default with { Actions = actions };
        var runner = new CycleRunner(new SchedulingEngine(configuration, KaiPlugins.Registry), snapshot);

        // One cycle outside the measurement: says in the log what the measured cycle decides, so a benchmark that
        // silently stopped doing work (0 decisions) is visible, and a digest of the decisions and explanations shows
        // whether two runs (or two engine versions) did the same work.
        var result = runner.Run();
        Console.WriteLine($"// {shape} cluster, {nodes} nodes, {snapshot.Pods.Count} pods, {snapshot.Groups.Count} pod groups, actions [{string.Join(", ", configuration.Actions.Select(ActionNames.Of))}]: {Describe(result)}");
        return runner;
    }

    public CycleResult Run() => _engine.RunCycle(_snapshot);

    private static string Describe(CycleResult result)
    {
        var counts = result.Decisions.CountBy(d => d.Kind).ToDictionary(p => p.Key, p => p.Value);
        var digest = Fnv(result.Decisions.Select(d => d.ToString()).Concat(result.Explanations.Select(e => $"{e.Group} {e.Reason} {e.FullMessage}")));
        return $"{counts.GetValueOrDefault(DecisionKind.Bind)} bind, {counts.GetValueOrDefault(DecisionKind.Pipeline)} pipeline, "
            + $"{counts.GetValueOrDefault(DecisionKind.Evict)} evict decisions, {result.Explanations.Count} explanations, digest {digest:x16}";
    }

    /// <summary>FNV-1a over the texts: unlike string.GetHashCode, the same in every process, so runs can be compared.</summary>
    private static ulong Fnv(IEnumerable<string> texts)
    {
        var hash = 14695981039346656037UL;
        foreach (var text in texts)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ '\n') * 1099511628211UL;
        }

        return hash;
    }
}
