using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Solvers;

/// <summary>
/// A necessary condition for one try, on exactly its victims (<see cref="RoomEstimate"/> looks at every victim the
/// search has taken so far): each of the preemptor's pods needs one node with room for its CPU, memory and whole GPUs,
/// counting what the try's victims free there. A simulated pod only ever lands where the node's free resources plus
/// what the try evicted there cover it (victims placed back only take room), so a try that fails this check would fail
/// its simulation; it is counted as a try all the same, so the search takes the same steps and gives up at the same
/// point.
/// </summary>
/// <remarks>
/// Room is over-estimated wherever that is simpler, which keeps the check necessary: every node counts with its free
/// resources alone (whether one covers a need is looked up once per search and need: the session is the same in
/// every try), a victim sharing GPUs frees its devices whole, and a pod sharing GPUs needs none whole. (Representing
/// the nodes by the largest free amount of each resource taken separately let most failing first-pod tries of the
/// 140,000-pod benchmark through to a simulation.)
/// </remarks>
internal sealed class TryRoomCheck
{
    private readonly Session _session;
    private readonly Dictionary<int, ResourceVector> _freedByNode = [];
    private readonly Dictionary<(long Cpu, long Memory, long Gpu), bool> _fitsAsItIs = [];

    public TryRoomCheck(Session session)
    {
        _session = session;
    }

    /// <summary>Whether each pod could fit somewhere with <paramref name="victimPods"/> evicted (false: the try cannot place them).</summary>
    public bool EachPodCouldFit(int[] pods, List<int> victimPods)
    {
        _freedByNode.Clear();
        foreach (var victim in victimPods)
        {
            var node = _session.NodeOf(victim);
            if (node >= 0)
            {
                _freedByNode[node] = _freedByNode.GetValueOrDefault(node) + Freed(victim);
            }
        }

        foreach (var pod in pods)
        {
            if (!CouldFit(Need(pod)))
            {
                return false;
            }
        }

        return true;
    }

    private bool CouldFit((long Cpu, long Memory, long Gpu) need)
    {
        if (FitsSomeNodeAsItIs(need))
        {
            return true;
        }

        foreach (var (node, freed) in _freedByNode)
        {
            var room = _session.NodeAt(node).Free + freed;
            if (need.Cpu <= room.Cpu && need.Memory <= room.Memory && need.Gpu <= room.Gpu)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether some node's free resources alone cover the need (the session is the same in every try: remembered).</summary>
    private bool FitsSomeNodeAsItIs((long Cpu, long Memory, long Gpu) need)
    {
        if (_fitsAsItIs.TryGetValue(need, out var fits))
        {
            return fits;
        }

        for (var n = 0; n < _session.Snapshot.Nodes.Count && !fits; n++)
        {
            var free = _session.NodeAt(n).Free;
            fits = need.Cpu <= free.Cpu && need.Memory <= free.Memory && need.Gpu <= free.Gpu;
        }

        _fitsAsItIs[need] = fits;
        return fits;
    }

    private (long Cpu, long Memory, long Gpu) Need(int pod)
    {
        var request = _session.RequestOf(pod);
        return (request.Cpu, request.Memory, _session.Snapshot.Pods[pod].Gpu.IsShared ? 0 : request.Gpu);
    }

    private ResourceVector Freed(int victim)
    {
        var request = _session.RequestOf(victim);
        var gpu = _session.Snapshot.Pods[victim].Gpu;
        return gpu.IsShared ? request.WithGpu(Math.Max(request.Gpu, gpu.Devices * ResourceVector.MilliPerGpu)) : request;
    }
}
