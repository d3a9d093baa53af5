using System.Runtime;
using Kai.Controllers.Scheduling;

namespace Kai.Controllers.Tests.Scheduling;

/// <summary>
/// The no-GC region is process-wide, so these tests run alone (<see cref="GcRegionCollection"/>): another test's
/// allocations would count against the budget.
/// </summary>
[Collection(GcRegionCollection.Name)]
public sealed class CycleGcRegionTests
{
    [Fact]
    public void Enter_WhenBudgetIsZero_DoesNothing()
    {
        var before = GC.CollectionCount(0);
        using var region = CycleGcRegion.Enter(0, runtimeGen0Budget: 0);

        Assert.False(region.Entered);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(before, GC.CollectionCount(0));
    }

    [Fact]
    public void Enter_WhenTheRuntimesFirstGenerationIsAsLarge_DoesNothing()
    {
        using var region = CycleGcRegion.Enter(64, runtimeGen0Budget: 64L * 1024 * 1024);

        Assert.False(region.Entered);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void RuntimeGen0Budget_IsWhatTheRuntimeReports()
    {
        // The runtime names its first generation's largest budget GCGen0MaxBudget; were it renamed, regions would be
        // entered whatever the host (the budget would read 0).
        Assert.True(CycleGcRegion.RuntimeGen0Budget > 0);
        Assert.Equal(Convert.ToInt64(GC.GetConfigurationVariables()["GCGen0MaxBudget"], System.Globalization.CultureInfo.InvariantCulture), CycleGcRegion.RuntimeGen0Budget);
    }

    [Fact]
    public void Dispose_WhenTheCycleStayedWithinTheBudget_EndsTheRegionAndCollectsOnce()
    {
        var region = CycleGcRegion.Enter(64, runtimeGen0Budget: 0);
        Assert.True(region.Entered);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var before = GC.CollectionCount(0);

        var kept = Allocate(megabytes: 8);
        Assert.Equal(before, GC.CollectionCount(0));
        region.Dispose();

        Assert.True(region.Held);
        Assert.True(region.Collected);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(before + 1, GC.CollectionCount(0));
        GC.KeepAlive(kept);
    }

    [Fact]
    public void Dispose_WhenTheCycleAllocatedLessThanTheRuntimesBudget_DoesNotCollect()
    {
        var region = CycleGcRegion.Enter(64, runtimeGen0Budget: 32L * 1024 * 1024);
        Assert.True(region.Entered);
        var before = GC.CollectionCount(0);

        var kept = Allocate(megabytes: 8);
        region.Dispose();

        Assert.True(region.Held);
        Assert.False(region.Collected);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(before, GC.CollectionCount(0));
        GC.KeepAlive(kept);
    }

    [Fact]
    public void Dispose_WhenTheCycleAllocatedMoreThanTheBudget_LeavesTheCollectorAsItIs()
    {
        var region = CycleGcRegion.Enter(16, runtimeGen0Budget: 0);
        Assert.True(region.Entered);

        var kept = Allocate(megabytes: 64);
        region.Dispose();

        Assert.False(region.Held);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        GC.KeepAlive(kept);
    }

    [Fact]
    public void Enter_WhenARegionIsOpen_DoesNotNestAndLeavesItOpen()
    {
        using var outer = CycleGcRegion.Enter(64, runtimeGen0Budget: 0);
        using (var inner = CycleGcRegion.Enter(64, runtimeGen0Budget: 0))
        {
            Assert.False(inner.Entered);
        }

        Assert.True(outer.Entered);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Enter_AfterTheRuntimeLeftAnotherInstancesRegion_WaitsForThatInstancesDispose()
    {
        // Two schedulers in one process: the first's cycle overran its budget, so the runtime left its region; a second
        // region entered now would be ended by the first's Dispose.
        var first = CycleGcRegion.Enter(16, runtimeGen0Budget: 0);
        Assert.True(first.Entered);
        var kept = Allocate(megabytes: 64);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        using (var second = CycleGcRegion.Enter(64, runtimeGen0Budget: 0))
        {
            Assert.False(second.Entered);
        }

        first.Dispose();
        using var third = CycleGcRegion.Enter(64, runtimeGen0Budget: 0);
        Assert.True(third.Entered);
        GC.KeepAlive(kept);
    }

    /// <summary>Many small arrays (small-object heap, as a cycle's objects are), all kept alive.</summary>
    private static List<byte[]> Allocate(int megabytes)
    {
        var kept = new List<byte[]>(megabytes * 256);
        for (var i = 0; i < megabytes * 256; i++)
        {
            kept.Add(new byte[4096 - 24]);
        }

        return kept;
    }
}

/// <summary>Tests that open no-GC regions run one at a time and apart from every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GcRegionCollection
{
    public const string Name = "No-GC regions";
}
