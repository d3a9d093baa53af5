using Kai.Scheduling.Configuration;
using Kai.Simulation.Benchmarks;

namespace Kai.Simulation.Tests.Benchmarks;

/// <summary>
/// The bench ends its setup with a young collection, after the full ones, so that the first cycle does not scan the card
/// table the setup left (docs/performance.md, "Twentieth pass"); it reports that collection's pause and decides the same.
/// Collection counts are process-wide, and a young collection asked for while another test asks for a full one is
/// served by the full one, so these tests run apart from every other test.
/// </summary>
[Collection(CollectionCountingCollection.Name)]
public sealed class CardCollectionTests
{
    [Fact]
    public async Task RunAsync_ByDefault_CollectsTheYoungGenerationBeforeTheFirstCycleAndReportsItsPause()
    {
        var spec = new BenchmarkSpec(Nodes: 12, PendingPods: 60, Seed: 3, RunningFill: 0.5);

        var cleared = await CycleBenchmark.RunAsync(spec, SchedulerConfiguration.Default);
        var left = await CycleBenchmark.RunAsync(spec with { ClearsCardsBeforeTheCycles = false }, SchedulerConfiguration.Default);

        Assert.True(cleared.CardCollectionPause > TimeSpan.Zero, $"{cleared.CardCollectionPause}");
        Assert.Equal(TimeSpan.Zero, left.CardCollectionPause);
        Assert.Equal(left.DecisionDigest, cleared.DecisionDigest);
        Assert.True(cleared.First.Evicted + cleared.First.Pipelined + cleared.First.Bound > 0, "the run decided nothing");

        // The collection is part of the setup: it is counted before the "collected" mark, not in the cycle.
        var components = cleared.MemoryTimeline.Single(m => m.Phase == "components");
        var collected = cleared.MemoryTimeline.Single(m => m.Phase == "collected");
        Assert.True(collected.Gen0Collections - components.Gen0Collections > collected.Gen2Collections - components.Gen2Collections);
    }
}

/// <summary>Tests that count the process's garbage collections run one at a time and apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CollectionCountingCollection
{
    public const string Name = "Garbage collection counts";
}
