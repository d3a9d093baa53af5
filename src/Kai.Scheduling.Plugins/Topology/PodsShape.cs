using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Plugins.Topology;

/// <summary>
/// What the pods to place ask of a domain, as KAI's topology plugin measures it: their summed request, and when
/// they are alike (all or none use GPUs, and every extended resource is asked by all or none) the largest pod, so
/// that a node's room is counted in copies of it.
/// </summary>
internal readonly struct PodsShape
{
    /// <summary>Ratio for a resource the domain has none of (KAI's constant).</summary>
    private const double MissingResourceRatio = 1000;

    private PodsShape(int count, ResourceVector total, ResourceVector largest, bool alike)
    {
        Count = count;
        Total = total;
        Largest = largest;
        Alike = alike;
    }

    public int Count { get; }

    public ResourceVector Total { get; }

    public ResourceVector Largest { get; }

    /// <summary>Whether a domain's room is counted in pods (copies of <see cref="Largest"/>) rather than by <see cref="Ratio"/>.</summary>
    public bool Alike { get; }

    public static PodsShape Of(IReadOnlyList<ResourceVector> requests)
    {
        var total = ResourceVector.Zero;
        var largest = ResourceVector.Zero;
        var gpuPods = 0;
        var extended = 0;
        foreach (var request in requests)
        {
            total += request;
            largest = largest.Max(request);
            gpuPods += request.Gpu > 0 ? 1 : 0;
            extended = Math.Max(extended, request.ExtendedCount);
        }

        var alike = gpuPods == 0 || gpuPods == requests.Count;
        for (var i = 0; alike && i < extended; i++)
        {
            var asking = 0;
            foreach (var request in requests)
            {
                asking += request.Extended(i) > 0 ? 1 : 0;
            }

            alike = asking == 0 || asking == requests.Count;
        }

        return new PodsShape(requests.Count, total, largest, alike);
    }

    /// <summary>How many copies of the largest pod fit the node's free capacity (at most <see cref="Count"/>; all of them when the pods ask for nothing but a pod slot).</summary>
    public int CopiesFitting(in ResourceVector free)
    {
        var largest = Largest;
        if (largest.Cpu <= 0 && largest.Memory <= 0 && largest.Gpu <= 0 && !largest.HasExtended)
        {
            return Count;
        }

        long copies = Count;
        copies = Math.Min(copies, Copies(free.Cpu, largest.Cpu));
        copies = Math.Min(copies, Copies(free.Memory, largest.Memory));
        copies = Math.Min(copies, Copies(free.Gpu, largest.Gpu));
        copies = Math.Min(copies, Copies(free.Pods, largest.Pods));
        for (var i = 0; i < largest.ExtendedCount; i++)
        {
            copies = Math.Min(copies, Copies(free.Extended(i), largest.Extended(i)));
        }

        return (int)copies;
    }

    /// <summary>
    /// The largest share of a free resource the pods would take (KAI's job-to-free ratio; above 1 they cannot fit):
    /// GPUs exactly (infinite when the domain has none free), CPU in whole cores rounded up, memory and extended
    /// resources as counted; pod slots are not compared; a resource the domain has none of counts 1000.
    /// </summary>
    public double Ratio(in ResourceVector free)
    {
        var total = Total;
        var ratio = 0.0;
        if (total.Gpu > 0)
        {
            ratio = total.Gpu / (double)Math.Max(free.Gpu, 0);
        }

        ratio = Math.Max(ratio, Share(CeilCores(total.Cpu), CeilCores(free.Cpu)));
        ratio = Math.Max(ratio, Share(total.Memory, free.Memory));
        for (var i = 0; i < total.ExtendedCount; i++)
        {
            ratio = Math.Max(ratio, Share(total.Extended(i), free.Extended(i)));
        }

        return ratio;
    }

    /// <summary>Whether a domain with this much free capacity and room for <paramref name="copies"/> pods can take them all.</summary>
    public bool FitsIn(in ResourceVector free, int copies) => Alike ? copies >= Count : Ratio(free) <= 1;

    private static long Copies(long free, long each) => each <= 0 ? long.MaxValue : Math.Max(free, 0) / each;

    private static double Share(long asked, long free) => asked <= 0 ? 0 : free <= 0 ? MissingResourceRatio : asked / (double)free;

    private static long CeilCores(long milli) => milli <= 0 ? 0 : (milli + 999) / 1000;
}
