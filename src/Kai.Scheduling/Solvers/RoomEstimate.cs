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
        _available = session.SchedulableFree;
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

        // The N nodes with the most free GPUs counting the victims', N = number of GPU pods: among the N nodes
        // with the most free GPUs and the victims' nodes. With binpack the node index already holds nodes by
        // free GPUs, so its top end is read directly; otherwise every node is looked at.
        var top = new PriorityQueue<long, long>(_gpuPods.Length + 1);
        void Offer(NodeState node)
        {
            if (!node.Node.IsSchedulable)
            {
                return;
            }

            var gpus = node.Free.Gpu + _freedGpuByNode.GetValueOrDefault(node.Index);
            if (gpus <= 0)
            {
                return;
            }

            top.Enqueue(gpus, gpus);
            if (top.Count > _gpuPods.Length)
            {
                top.Dequeue();
            }
        }

        if (_session.NodeIndex.GpuStrategy == Configuration.PlacementStrategy.Binpack)
        {
            var taken = 0;
            foreach (var key in _session.NodeIndex.GpuNodesByGpu.Reverse())
            {
                var node = _session.Nodes[key.Node];
                if (_freedGpuByNode.ContainsKey(key.Node) || !node.Node.IsSchedulable)
                {
                    continue;
                }

                Offer(node);
                if (++taken == _gpuPods.Length)
                {
                    break;
                }
            }

            foreach (var node in _freedGpuByNode.Keys)
            {
                Offer(_session.Nodes[node]);
            }
        }
        else
        {
            foreach (var node in _session.Nodes)
            {
                Offer(node);
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
