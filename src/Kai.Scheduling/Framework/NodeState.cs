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
/// binding placement may use.
/// </remarks>
public sealed class NodeState
{
    private readonly List<int> _pods = [];

    internal NodeState(Node node, int index)
    {
        Node = node;
        Index = index;
        Idle = node.Allocatable;
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

    public override string ToString() => $"{Node.Name}: idle {Idle}, releasing {Releasing}";

    internal void Add(int pod, in ResourceVector request, PodStatus status)
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
        _pods.Add(pod);
    }

    internal void Remove(int pod, in ResourceVector request, PodStatus status)
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
        _pods.Remove(pod);
    }
}
