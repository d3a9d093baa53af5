using System.Diagnostics;
using System.Runtime;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// The process's processor time and its allocation and garbage collection counters (bytes allocated on every
/// thread, time paused, collections of each generation) and the JIT's (methods compiled, time compiling); the difference
/// of two readings is what happened between them.
/// </summary>
public sealed record ProcessCounters(TimeSpan ProcessorTime, long AllocatedBytes, TimeSpan Pause, int Gen0, int Gen1, int Gen2, long JitMethods, TimeSpan JitTime)
{
    /// <param name="preciseAllocation">Whether the allocated bytes are counted exactly (a short window) rather than to the last allocation context.</param>
    public static ProcessCounters Now(bool preciseAllocation = false)
    {
        using var process = Process.GetCurrentProcess();
        return new(process.TotalProcessorTime, GC.GetTotalAllocatedBytes(preciseAllocation), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime());
    }

    public static ProcessCounters operator -(ProcessCounters end, ProcessCounters start) =>
        new(end.ProcessorTime - start.ProcessorTime, end.AllocatedBytes - start.AllocatedBytes, end.Pause - start.Pause, end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2, end.JitMethods - start.JitMethods, end.JitTime - start.JitTime);
}
