using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// A quick necessary condition before simulating a scenario (KAI's cheap scenario filter): every resource of
/// the preemptor fits into what is free plus what the victims would free, and its GPU pods, largest first, fit
/// greedily into the nodes with the most free GPUs counting the victims', and the GPUs of each sub-group with a
/// required topology level fit greedily into that level's domains (<see cref="RequiredDomainRoom"/>). Pods that
/// share GPUs count as needing no whole GPU (they may join a shared GPU), and a victim sharing GPUs as freeing its
/// devices whole: both keep the estimate an upper bound of what a simulation could find. Kept incrementally as
/// victims are added, so a long search costs one pass over the nodes, not one per scenario.
/// </summary>
internal sealed class RoomEstimate
{
    private readonly Session _session;
    private ResourceVector _demand;
    private readonly List<long> _gpuPods;

    // Made when a victim first frees GPUs (a search builds an estimate per step and per chained pod count): null reads as empty.
    private Dictionary<int, long>? _freedGpuByNode;
    private readonly RequiredDomainRoom? _requiredDomains;
    private ResourceVector _available;

    // With the session at one state between checks: the free GPUs, counting the victims', of the N victim nodes with the
    // most (kept as victims are added: a node's count only grows), and of the N nodes without victims first in the node
    // index (looked up again only when a victim lands on one of them).
    private readonly List<(int Node, long Gpus)> _topFreed = [];
    private List<(int Node, long Gpus)>? _indexTop;

    // Reused by every check (a search checks once per unit): the kept nodes' free GPUs, the greedy fit's bins, and (reading
    // the nodes at every check) the N largest seen.
    private readonly List<long> _keptGpus = [];
    private long[]? _bins;
    private PriorityQueue<long, long>? _largest;

    /// <summary>
    /// Whether the session is at one and the same state whenever <see cref="CouldFit"/> is asked (the caller rolls every
    /// try back first), so the nodes' free GPUs are read once; off, every check reads them again.
    /// </summary>
    public bool SessionUnchangedBetweenChecks { get; init; }

    public RoomEstimate(Session session, int[] pods, ResourceVector demand)
    {
        _session = session;
        _demand = demand;
        _gpuPods = GpuRequestsLargestFirst(session, pods);
        _available = session.SchedulableFree;
        _requiredDomains = RequiredDomainRoom.For(session, pods);
    }

    /// <summary>The GPU requests of the pods that ask for GPUs, largest first.</summary>
    private static List<long> GpuRequestsLargestFirst(Session session, int[] pods)
    {
        var gpus = new List<long>(pods.Length);
        foreach (var pod in pods)
        {
            if (session.RequestOf(pod).Gpu is > 0 and var gpu)
            {
                gpus.Add(gpu);
            }
        }

        // Equal requests are alike, so the order among them does not matter.
        gpus.Sort();
        gpus.Reverse();
        return gpus;
    }

    /// <summary>
    /// Adds one pod to the preemptor's: the estimate then answers as a new one for the larger set of pods with the same
    /// victims freed would. Only for pods without a required-topology sub-group, and only where every check reads the
    /// nodes again (the kept top holds as many nodes as there were GPU pods).
    /// </summary>
    public void AddPod(int pod)
    {
        if (_requiredDomains is not null || SessionUnchangedBetweenChecks)
        {
            throw new InvalidOperationException("A pod is added only to an estimate without required domains that reads the nodes at every check.");
        }

        var request = _session.RequestOf(pod);
        _demand += request;
        if (request.Gpu > 0)
        {
            // Largest first, as the constructor orders them.
            var at = 0;
            while (at < _gpuPods.Count && _gpuPods[at] >= request.Gpu)
            {
                at++;
            }

            _gpuPods.Insert(at, request.Gpu);
        }
    }

    /// <summary>Counts what these victim pods hold as free.</summary>
    public void Free(List<int> victimPods)
    {
        foreach (var pod in victimPods)
        {
            var request = _session.RequestOf(pod);

            // A victim sharing GPUs frees at most the whole devices of its groups (all of them only if every sharer
            // goes): counting them whole keeps this a necessary condition.
            var gpu = _session.Snapshot.Pods[pod].Gpu;
            if (gpu.IsShared)
            {
                request = request.WithGpu(gpu.Devices * ResourceVector.MilliPerGpu);
            }

            _available += request;
            _requiredDomains?.Free(pod);
            var node = _session.NodeOf(pod);
            if (node >= 0 && request.Gpu > 0)
            {
                var freedGpuByNode = _freedGpuByNode ??= [];
                var freed = freedGpuByNode.GetValueOrDefault(node) + request.Gpu;
                freedGpuByNode[node] = freed;
                KeepTopFreed(node, _session.NodeAt(node).Free.Gpu + freed);
            }
        }
    }

    public bool CouldFit() =>
        _demand.FitsIn(_available)
        && (_gpuPods.Count == 0 || GpuPodsFitGreedily(SessionUnchangedBetweenChecks ? MostFreeGpusKept() : MostFreeGpus()))
        && (_requiredDomains?.CouldFit() ?? true);

    /// <summary>
    /// Keeps a victim node among the N with the most free GPUs counting the victims' (as <see cref="Offer"/> would).
    /// Counts only grow, so a node outside the N can only come in by its own growth, in place of the smallest.
    /// </summary>
    private void KeepTopFreed(int node, long gpus)
    {
        if (_indexTop is not null && IndexOf(_indexTop, node) >= 0)
        {
            _indexTop = null;
        }

        if (_gpuPods.Count == 0 || !_session.NodeAt(node).Node.IsSchedulable || gpus <= 0)
        {
            return;
        }

        var at = IndexOf(_topFreed, node);
        if (at < 0 && _topFreed.Count < _gpuPods.Count)
        {
            _topFreed.Add((node, gpus));
            return;
        }

        if (at < 0)
        {
            at = 0;
            for (var i = 1; i < _topFreed.Count; i++)
            {
                at = _topFreed[i].Gpus < _topFreed[at].Gpus ? i : at;
            }

            if (_topFreed[at].Gpus >= gpus)
            {
                return;
            }
        }

        _topFreed[at] = (node, gpus);
    }

    private static int IndexOf(List<(int Node, long Gpus)> nodes, int node)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Node == node)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary><see cref="MostFreeGpus"/> from the kept victim nodes and the node index's top, read once while no victim lands there.</summary>
    private Span<long> MostFreeGpusKept()
    {
        if (_indexTop is null)
        {
            _indexTop = [];
            foreach (var rank in _session.NodeIndex.Ordered(PlacementResource.Gpu, PlacementStrategy.Binpack).Reverse())
            {
                var node = _session.NodeAt(rank.Node);
                if (FreesGpus(rank.Node) || !node.Node.IsSchedulable)
                {
                    continue;
                }

                _indexTop.Add((rank.Node, node.Free.Gpu));
                if (_indexTop.Count == _gpuPods.Count)
                {
                    break;
                }
            }
        }

        _keptGpus.Clear();
        AddFree(_indexTop);
        AddFree(_topFreed);

        // The largest N, most first: sorted ascending, read from the end.
        _keptGpus.Sort();
        var bins = _bins ??= new long[_gpuPods.Count];
        var count = Math.Min(_keptGpus.Count, bins.Length);
        for (var i = 0; i < count; i++)
        {
            bins[i] = _keptGpus[_keptGpus.Count - 1 - i];
        }

        return bins.AsSpan(0, count);
    }

    private void AddFree(List<(int Node, long Gpus)> nodes)
    {
        foreach (var (_, free) in nodes)
        {
            if (free > 0)
            {
                _keptGpus.Add(free);
            }
        }
    }

    /// <summary>
    /// The free GPUs, counting the victims', of the N nodes with the most, N = number of GPU pods, most first:
    /// among the N nodes with the most free GPUs and the victims' nodes. The node index holds nodes by free GPUs
    /// in binpack order (the one placement uses by default), so its top end is read directly.
    /// </summary>
    private Span<long> MostFreeGpus()
    {
        var top = _largest ??= new PriorityQueue<long, long>(_gpuPods.Count + 1);
        top.Clear();
        var taken = 0;
        foreach (var rank in _session.NodeIndex.Ordered(PlacementResource.Gpu, PlacementStrategy.Binpack).Reverse())
        {
            var node = _session.NodeAt(rank.Node);
            if (FreesGpus(rank.Node) || !node.Node.IsSchedulable)
            {
                continue;
            }

            Offer(top, node);
            if (++taken == _gpuPods.Count)
            {
                break;
            }
        }

        if (_freedGpuByNode is not null)
        {
            foreach (var node in _freedGpuByNode.Keys)
            {
                Offer(top, _session.NodeAt(node));
            }
        }

        // Pods are only added (AddPod), so the bins are made again only when their number grew.
        if (_bins is null || _bins.Length < _gpuPods.Count)
        {
            _bins = new long[_gpuPods.Count];
        }

        var bins = _bins.AsSpan(0, top.Count);
        for (var i = bins.Length - 1; i >= 0; i--)
        {
            bins[i] = top.Dequeue();
        }

        return bins;
    }

    private bool FreesGpus(int node) => _freedGpuByNode?.ContainsKey(node) == true;

    /// <summary>Keeps the node's free GPUs (with the victims') among the N largest seen.</summary>
    private void Offer(PriorityQueue<long, long> top, NodeState node)
    {
        if (!node.Node.IsSchedulable)
        {
            return;
        }

        var gpus = node.Free.Gpu + (_freedGpuByNode?.GetValueOrDefault(node.Index) ?? 0);
        if (gpus <= 0)
        {
            return;
        }

        top.Enqueue(gpus, gpus);
        if (top.Count > _gpuPods.Count)
        {
            top.Dequeue();
        }
    }

    /// <summary>The GPU pods, largest first, each into the first node that still has room (first fit decreasing).</summary>
    private bool GpuPodsFitGreedily(Span<long> bins)
    {
        foreach (var gpus in _gpuPods)
        {
            var bin = 0;
            while (bin < bins.Length && bins[bin] < gpus)
            {
                bin++;
            }

            if (bin == bins.Length)
            {
                return false;
            }

            bins[bin] -= gpus;
        }

        return true;
    }
}
