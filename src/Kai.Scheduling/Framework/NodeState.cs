using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Framework;

/// <summary>
/// A node's books during one session (KAI's node accounting): <see cref="Idle"/> is what no pod holds,
/// <see cref="Releasing"/> what terminating pods still hold and pipelined pods have reserved against, and
/// <see cref="Used"/> what every pod on the node requests.
/// </summary>
/// <remarks>
/// A releasing pod moves its request from Idle to Releasing; a pipelined pod consumes Releasing; every other
/// active pod consumes Idle. So Idle + Releasing is what a pipelined placement may use, and Idle what a
/// binding placement may use. GPUs here are whole devices: a shared GPU (<see cref="GpuGroup"/>) takes one whole GPU
/// out of these books while pods hold it (<see cref="SharedGpus"/>), and its sharers' memory is booked on the group.
/// </remarks>
public sealed class NodeState
{
    private readonly List<int> _pods;
    private NodeGpuBook? _sharedGpus;

    /// <param name="node">The node.</param>
    /// <param name="index">Its index in the snapshot.</param>
    /// <param name="pods">Pods the snapshot puts on it: room for them up front, so the books do not grow pod by pod.</param>
    internal NodeState(Node node, int index, int pods = 0)
    {
        Node = node;
        Index = index;
        _pods = new List<int>(pods);
        Idle = node.Allocatable;
    }

    /// <param name="node">The node.</param>
    /// <param name="index">Its index in the snapshot.</param>
    /// <param name="charge">What the snapshot's pods hold of it (shared GPUs apart: see <see cref="BookSharer"/>).</param>
    /// <param name="pods">Those pods, in pod order (copied: the session changes its own list).</param>
    internal NodeState(Node node, int index, in NodeCharge charge, int[] pods)
    {
        Node = node;
        Index = index;
        _pods = new List<int>(pods);
        Idle = charge.Idle;
        Releasing = charge.Releasing;
        Used = charge.Used;
    }

    public Node Node { get; }

    public int Index { get; }

    public ResourceVector Idle { get; private set; }

    public ResourceVector Releasing { get; private set; }

    public ResourceVector Used { get; private set; }

    /// <summary>What a pipelined placement may use: idle plus still-releasing capacity.</summary>
    public ResourceVector Free => Releasing.IsZero ? Idle : Idle + Releasing;

    /// <summary>Snapshot indices of the pods occupying this node (active-used statuses).</summary>
    public IReadOnlyList<int> Pods => _pods;

    /// <summary>The node's shared GPUs (GPU groups) held by pods, by id.</summary>
    public IReadOnlyList<GpuGroup> SharedGpus => _sharedGpus?.Groups ?? [];

    /// <summary>The book of the node's shared GPUs (created when a first pod shares a GPU here).</summary>
    public NodeGpuBook SharedGpuBook => _sharedGpus ??= new NodeGpuBook(Node, Index);

    /// <summary>Whole GPUs (milli) neither held by whole-GPU pods nor by a shared GPU, now or once releasing pods are gone.</summary>
    public long FreeWholeGpus => Idle.Gpu + Releasing.Gpu;

    public override string ToString() => $"{Node.Name}: idle {Idle}, releasing {Releasing}";

    internal void Add(int pod, in ResourceVector request, PodStatus status)
    {
        Charge(request, status);
        _pods.Add(pod);
    }

    private void Charge(in ResourceVector request, PodStatus status)
    {
        switch (status)
        {
            case PodStatus.Releasing:
                Idle -= request;
                Releasing += request;
                break;
            case PodStatus.Pipelined:
                Releasing -= request;
                break;
            default:
                Idle -= request;
                break;
        }

        Used += request;
    }

    /// <summary>Adds a pod that shares GPUs: its other resources as any pod's, its memory on each of its groups.</summary>
    internal void AddShared(int pod, in ResourceVector request, PodStatus status, GpuGroup[] groups, long memory)
    {
        Add(pod, request, status);
        ApplyCharge(SharedGpuBook.Add(groups, memory, status));
    }

    /// <summary>Books the GPU groups of a pod the node's books already hold (a sharer of the snapshot, at session start).</summary>
    internal void BookSharer(GpuGroup[] groups, long memory, PodStatus status) => ApplyCharge(SharedGpuBook.Add(groups, memory, status));

    internal void RemoveShared(int pod, in ResourceVector request, PodStatus status, GpuGroup[] groups, long memory)
    {
        Remove(pod, request, status);
        ApplyCharge(SharedGpuBook.Remove(groups, memory, status));
    }

    private void ApplyCharge(GpuCharge charge)
    {
        if (charge != default)
        {
            Idle = Idle.WithGpu(Idle.Gpu + charge.Idle);
            Releasing = Releasing.WithGpu(Releasing.Gpu + charge.Releasing);
            Used = Used.WithGpu(Used.Gpu + charge.Used);
        }
    }

    internal void Remove(int pod, in ResourceVector request, PodStatus status)
    {
        Release(request, status);
        _pods.Remove(pod);
    }

    /// <summary>
    /// A pod that stays on the node changes status (evicted: releasing; rolled back: running again): the books move
    /// as a removal then an addition would move them, but the pod keeps its place in <see cref="Pods"/>, so the
    /// list's order does not depend on the order pods on it were evicted and put back in. (A pod moved to another node
    /// and back is still appended: that is a removal and an addition.)
    /// </summary>
    internal void ChangeStatus(in ResourceVector request, PodStatus before, PodStatus after)
    {
        Release(request, before);
        Charge(request, after);
    }

    /// <summary>As <see cref="ChangeStatus"/> for a pod that shares GPUs: its memory leaves its old groups and joins its new ones.</summary>
    internal void ChangeSharedStatus(in ResourceVector request, PodStatus before, GpuGroup[] groupsBefore, PodStatus after, GpuGroup[] groupsAfter, long memory)
    {
        Release(request, before);
        ApplyCharge(SharedGpuBook.Remove(groupsBefore, memory, before));
        Charge(request, after);
        ApplyCharge(SharedGpuBook.Add(groupsAfter, memory, after));
    }

    private void Release(in ResourceVector request, PodStatus status)
    {
        switch (status)
        {
            case PodStatus.Releasing:
                Idle += request;
                Releasing -= request;
                break;
            case PodStatus.Pipelined:
                Releasing += request;
                break;
            default:
                Idle += request;
                break;
        }

        Used -= request;
    }
}
