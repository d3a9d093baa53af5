using System.Diagnostics;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// The process's memory after one phase of a benchmark run: its working set and the peak so far (the phase in which the
/// peak rose is the one to look at), the managed heap's size now, and what the last collection left committed and in the
/// large-object heap.
/// </summary>
public sealed record MemoryMark(string Phase, long WorkingSetBytes, long PeakWorkingSetBytes, long HeapBytes, long CommittedBytes, long LargeObjectHeapBytes, int Gen2Collections)
{
    /// <summary>Generation-0 collections so far (every collection counts here, whatever its generation).</summary>
    public int Gen0Collections { get; init; }

    /// <summary>Generation-1 collections so far (generation-2 ones count here too).</summary>
    public int Gen1Collections { get; init; }

    /// <summary>The collector's pauses so far, in milliseconds: the difference between two marks is what the phase between them paid.</summary>
    public double GcPauseMs { get; init; }

    /// <summary>What the last collection before the mark promoted, and its generation.</summary>
    public long LastPromotedBytes { get; init; }

    /// <summary>The generation of the last collection before the mark.</summary>
    public int LastCollectedGeneration { get; init; }
}

/// <summary>
/// Marks taken after the phases of a benchmark run (load, cache fill, each cycle's binder, kubelet, churn, cycle and
/// status): the peak working set is a transient, and the marks say when it is reached. A mark reads counters only; it
/// neither collects nor allocates more than a few objects.
/// </summary>
public sealed class MemoryTimeline
{
    private readonly List<MemoryMark> _marks = [];

    public IReadOnlyList<MemoryMark> Marks => _marks;

    public void Mark(string phase)
    {
        using var process = Process.GetCurrentProcess();
        var info = GC.GetGCMemoryInfo();
        var generations = info.GenerationInfo;
        var largeObjects = generations.Length > 3 ? generations[3].SizeAfterBytes : 0;
        _marks.Add(new MemoryMark(phase, process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(forceFullCollection: false), info.TotalCommittedBytes, largeObjects, GC.CollectionCount(2))
        {
            Gen0Collections = GC.CollectionCount(0),
            Gen1Collections = GC.CollectionCount(1),
            GcPauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
            LastPromotedBytes = info.PromotedBytes,
            LastCollectedGeneration = info.Generation,
        });
    }
}
