using Kai.Scheduling;
using Kai.Scheduling.Resources;

namespace Kai.Simulation.Benchmarks;

/// <summary>
/// How far a cycle left queues below their fair share of GPUs, read from the engine's own queue figures after the cycle:
/// the leaf queues that still ask for GPUs they do not hold (their requested GPUs, pending pods' included, exceed their
/// allocated ones) and hold fewer than their GPU fair share, and the sum of what each lacks, in GPUs.
/// </summary>
/// <param name="Queues">Leaf queues with pending GPU requests below their GPU fair share.</param>
/// <param name="Gpus">What they lack of their fair shares together, in GPUs.</param>
public sealed record FairShareShortfall(int Queues, double Gpus)
{
    public static FairShareShortfall Of(IReadOnlyList<QueueFigures> queues)
    {
        // A leaf is a queue no other queue names as its parent.
        var parents = queues.Where(q => q.Parent is not null).Select(q => q.Parent!.Value).ToHashSet();
        var count = 0;
        var lackingMilli = 0L;
        foreach (var queue in queues)
        {
            var allocated = queue.Allocated.Gpu;
            if (!parents.Contains(queue.Queue) && queue.Requested.Gpu > allocated && allocated < queue.FairShare.Gpu)
            {
                count++;
                lackingMilli += queue.FairShare.Gpu - allocated;
            }
        }

        return new FairShareShortfall(count, (double)lackingMilli / ResourceVector.MilliPerGpu);
    }
}
