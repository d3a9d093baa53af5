using System.Diagnostics;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// The process's memory after one phase of a benchmark run: its working set and the peak so far (the phase in which the
/// peak rose is the one to look at), the managed heap's size now, and what the last collection left committed and in the
/// large-object heap.
/// </summary>
public sealed record MemoryMark(string Phase, long WorkingSetBytes, long PeakWorkingSetBytes, long HeapBytes, long CommittedBytes, long LargeObjectHeapBytes, int Gen2Collections);

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
        _marks.Add(new MemoryMark(phase, process.WorkingSet64, process.PeakWorkingSet64, GC.GetTotalMemory(forceFullCollection: false), info.TotalCommittedBytes, largeObjects, GC.CollectionCount(2)));
    }
}
