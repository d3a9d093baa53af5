using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// A quick necessary condition before simulating a scenario (KAI's cheap scenario filter): every resource of
/// the preemptor fits into what is free plus what the victims would free, and its GPU pods, largest first, fit
/// greedily into the nodes with the most free GPUs counting the victims'. Kept incrementally as victims are
/// added, so a long search costs one pass over the nodes, not one per scenario.
/// </summary>
internal sealed class RoomEstimate
{
    private readonly Session _session;
    private readonly ResourceVector _demand;
    private readonly long[] _gpuPods;
    private readonly Dictionary<int, long> _freedGpuByNode = [];
    private ResourceVector _available;

    public RoomEstimate(Session session, int[] pods, ResourceVector demand)
    {
        _session = session;
        _demand = demand;
        _gpuPods = [.. pods.Select(p => session.RequestOf(p).Gpu).Where(g => g > 0).OrderDescending()];
        foreach (var node in session.Nodes)
        {
            if (node.Node.IsSchedulable)
            {
                _available += node.Free;
            }
        }
    }

    /// <summary>Counts what these victim pods hold as free.</summary>
    public void Free(IEnumerable<int> victimPods)
    {
        foreach (var pod in victimPods)
        {
            var request = _session.RequestOf(pod);
            _available += request;
            var node = _session.NodeOf(pod);
            if (node >= 0 && request.Gpu > 0)
            {
                _freedGpuByNode[node] = _freedGpuByNode.GetValueOrDefault(node) + request.Gpu;
            }
        }
    }

    public bool CouldFit()
    {
        if (!_demand.FitsIn(_available))
        {
            return false;
        }

        if (_gpuPods.Length == 0)
        {
            return true;
        }

        // The N nodes with the most free GPUs, N = number of GPU pods: a top-N selection, not a full sort.
        var top = new PriorityQueue<long, long>(_gpuPods.Length + 1);
        foreach (var node in _session.Nodes)
        {
            if (!node.Node.IsSchedulable)
            {
                continue;
            }

            var gpus = node.Free.Gpu + _freedGpuByNode.GetValueOrDefault(node.Index);
            if (gpus <= 0)
            {
                continue;
            }

            top.Enqueue(gpus, gpus);
            if (top.Count > _gpuPods.Length)
            {
                top.Dequeue();
            }
        }

        var bins = new long[top.Count];
        for (var i = bins.Length - 1; i >= 0; i--)
        {
            bins[i] = top.Dequeue();
        }

        foreach (var gpus in _gpuPods)
        {
            var bin = Array.FindIndex(bins, b => b >= gpus);
            if (bin < 0)
            {
                return false;
            }

            bins[bin] -= gpus;
        }

        return true;
    }
}
