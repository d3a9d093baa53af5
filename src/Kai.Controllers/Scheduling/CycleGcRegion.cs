using System.Runtime;

namespace Kai.Controllers.Scheduling;

/// <summary>
/// A no-GC region around one scheduling cycle (the configuration's <c>cycleGcBudgetMiB</c>): the collector makes room for the budget when the cycle starts and does not collect until
/// the cycle ends or allocates more than that. Most of what a cycle allocates survives it (snapshot links, decisions,
/// bind requests and the store's copies), so a collection inside the cycle mostly copies live objects into the older
/// generations; with none, the cycle runs without pauses and the next collection, between cycles, finds the cycle's
/// garbage already dead. The region is the runtime's supported way to get that (the first generation's size itself is
/// only an unsupported environment setting).
/// </summary>
/// <remarks>
/// The region is process-wide: other threads' allocations count against the budget too. When the budget runs out, the
/// collector collects as usual and leaves the region by itself; <see cref="Dispose"/> then has nothing to end. The region
/// is entered only when its budget is larger than the runtime's own first generation (<see cref="RuntimeGen0Budget"/>):
/// it pays where that budget, which .NET derives from the processor's cache size, is small compared with what a cycle
/// allocates, and costs where it is not. Off unless configured (docs/performance.md, "The 5,000-node cycle, fifth look").
/// </remarks>
internal sealed class CycleGcRegion : IDisposable
{
    // Whether some instance holds the process's region (1) or none does (0). The region and the latency mode that shows it
    // are process-wide: with two schedulers in one process, one whose region the runtime ended must not end the other's.
    private static int s_taken;

    private readonly long _runtimeGen0Budget;
    private readonly long _allocatedBefore;
    private bool _open;

    private CycleGcRegion(bool open, long runtimeGen0Budget = 0)
    {
        _open = open;
        Entered = open;
        _runtimeGen0Budget = runtimeGen0Budget;
        _allocatedBefore = open ? GC.GetTotalAllocatedBytes(precise: false) : 0;
    }

    /// <summary>Whether the region was entered (false: the budget was 0 or within the runtime's own, the runtime refused it, or a region was already open).</summary>
    public bool Entered { get; }

    /// <summary>Whether the region held until <see cref="Dispose"/> (the cycle allocated less than the budget).</summary>
    public bool Held { get; private set; }

    /// <summary>Whether ending the region collected the first generation (the cycle allocated at least the runtime's own budget).</summary>
    public bool Collected { get; private set; }

    /// <summary>
    /// The runtime's own first-generation budget (its largest, which .NET derives from the processor's cache size unless
    /// configured), or 0 when the runtime does not say.
    /// </summary>
    public static long RuntimeGen0Budget { get; } = ReadRuntimeGen0Budget();

    /// <summary>
    /// Enters a region of <paramref name="budgetMiB"/> mebibytes when that is more than the runtime's own first generation
    /// (<see cref="RuntimeGen0Budget"/>); otherwise, or when it cannot be entered, a region that does nothing.
    /// </summary>
    public static CycleGcRegion Enter(int budgetMiB) => Enter(budgetMiB, RuntimeGen0Budget);

    /// <param name="budgetMiB">The budget; 0 is off.</param>
    /// <param name="runtimeGen0Budget">
    /// The runtime's first-generation budget: a region no larger would not spare the cycle a collection, only add the
    /// one that ends it (measured: on a host whose first generation is 80 MB, the 140,000-pod steady cycle's processor
    /// time tripled with a 64 MB region).
    /// </param>
    internal static CycleGcRegion Enter(int budgetMiB, long runtimeGen0Budget)
    {
        var budget = budgetMiB * 1024L * 1024L;
        if (budget <= 0 || budget <= runtimeGen0Budget || GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
        {
            return new CycleGcRegion(open: false);
        }

        if (Interlocked.CompareExchange(ref s_taken, 1, 0) != 0)
        {
            return new CycleGcRegion(open: false);
        }

        try
        {
            // disallowFullBlockingGC: making room with a gen1 collection at most — a full blocking collection of a large
            // cluster's heap would cost more than the region saves; without room the region is simply not entered.
            if (GC.TryStartNoGCRegion(budget, disallowFullBlockingGC: true))
            {
                return new CycleGcRegion(open: true, runtimeGen0Budget);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // More than this runtime's heap lets a region reserve.
        }
        catch (InvalidOperationException)
        {
            // Another region is open (only a host's own code could have opened it).
        }

        Volatile.Write(ref s_taken, 0);
        return new CycleGcRegion(open: false);
    }

    public void Dispose()
    {
        if (!_open)
        {
            return;
        }

        _open = false;
        try
        {
            if (!EndRegion())
            {
                return;
            }
        }
        finally
        {
            Volatile.Write(ref s_taken, 0);
        }

        // What the cycle allocated in the region does not count against the first generation's budget, so without a
        // collection now it would pile up under the next cycle's: measured, the 140,000-pod bench's peak working set
        // grew by 60-70 MB. One first-generation collection here is the one the cycle would have had — unless it
        // allocated less than the runtime's budget and so would have had none (measured: 20 ms more at 1,000 nodes).
        if (GC.GetTotalAllocatedBytes(precise: false) - _allocatedBefore >= _runtimeGen0Budget)
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            Collected = true;
        }
    }

    /// <summary>Ends the region if it still holds; false when the runtime already left it.</summary>
    private bool EndRegion()
    {
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
        {
            // The cycle allocated more than the budget: the collector collected and left the region itself.
            return false;
        }

        try
        {
            GC.EndNoGCRegion();
            Held = true;
            return true;
        }
        catch (InvalidOperationException)
        {
            // The region ended between the check and the call (another thread's allocation exhausted it).
            return false;
        }
    }

    private static long ReadRuntimeGen0Budget() =>
        GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var value) ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
}
