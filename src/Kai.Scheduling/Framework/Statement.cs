using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Framework;

/// <summary>
/// A transaction over a <see cref="Session"/> (KAI's statement): operations apply at once to the session's
/// books, <see cref="Checkpoint"/> and <see cref="Rollback"/> undo back to a point, <see cref="Commit"/>
/// turns the net effect into decisions, and disposing without committing discards everything.
/// </summary>
/// <example><code>
/// using var statement = session.Begin(ActionKind.Allocate);
/// var checkpoint = statement.Checkpoint();
/// statement.Allocate(pod, node);
/// if (!gangSatisfied) statement.Rollback(checkpoint); else statement.Commit();
/// </code></example>
public sealed class Statement : IDisposable
{
    /// <summary>The operations of a closed statement: none, and none can be added (a closed statement refuses writes).</summary>
    private static readonly List<Operation> NoOperations = [];

    private readonly Session _session;

    // Lent by the session and given back when the statement closes, so that a cycle's thousands of statements
    // reuse a few lists instead of allocating one each.
    private List<Operation> _operations;
    private bool _closed;

    internal Statement(Session session, ActionKind action)
    {
        _session = session;
        Action = action;
        _operations = session.RentOperations();
        Start = Checkpoint();
    }

    /// <summary>The point the statement began at: rolling back to it undoes everything.</summary>
    public StatementCheckpoint Start { get; }

    /// <summary>The action the statement was opened for; its decisions are attributed to it.</summary>
    public ActionKind Action { get; }

    public int OperationCount => _operations.Count;

    /// <summary>Marks the current point for <see cref="Rollback"/>.</summary>
    public StatementCheckpoint Checkpoint() => new(_operations.Count, _session.GpuGroupSerial);

    /// <summary>Places a pod on a node; it is bound when the statement commits.</summary>
    /// <param name="pod">The pod.</param>
    /// <param name="node">The node.</param>
    /// <param name="gpuGroups">For a pod that shares GPUs: the GPU groups it takes there (see <see cref="Placement.SharedGpuChoice"/>).</param>
    public void Allocate(int pod, int node, GpuGroup[]? gpuGroups = null) => Record(pod, PodStatus.Allocated, node, gpuGroups);

    /// <summary>
    /// Places a pod on capacity still being released. A pod evicted in this statement and pipelined back onto
    /// the same node — and, if it shares GPUs, onto the same GPU groups — is un-evicted instead: it keeps running
    /// where it was (KAI: a shared-GPU pod changing GPU is a new placement).
    /// </summary>
    public void Pipeline(int pod, int node, GpuGroup[]? gpuGroups = null)
    {
        if (_session.StatusOf(pod) == PodStatus.Releasing && _session.NodeOf(pod) == node && OriginalOf(pod) is { } original
            && original.PreviousStatus.IsActiveAllocated() && original.PreviousNode == node
            && (gpuGroups is null || SameGroups(gpuGroups, original.PreviousGroups)))
        {
            Record(pod, original.PreviousStatus, node, original.PreviousGroups, original.PreviousVirtual);
            return;
        }

        Record(pod, PodStatus.Pipelined, node, gpuGroups);
    }

    /// <summary>Evicts a pod: it keeps its node's resources (and GPU groups) as releasing until it is gone.</summary>
    public void Evict(int pod) => Record(pod, PodStatus.Releasing, _session.NodeOf(pod), Current(pod));

    /// <summary>
    /// Undoes operations back to <paramref name="checkpoint"/>, newest first. The session's GPU group serial goes back
    /// too, so the ids of new GPU groups depend only on what was kept, never on how many placements were tried and
    /// undone (a search that proves a try fails without simulating it names groups as one that simulates it). Statements
    /// are used one at a time (a search discards each try before it opens the next), so no kept draw is set back.
    /// </summary>
    public void Rollback(StatementCheckpoint checkpoint)
    {
        for (var i = _operations.Count - 1; i >= checkpoint.Operations; i--)
        {
            var op = _operations[i];
            _session.Apply(op.Pod, op.PreviousStatus, op.PreviousNode, op.PreviousVirtual, op.PreviousGroups);
        }

        _operations.RemoveRange(checkpoint.Operations, _operations.Count - checkpoint.Operations);
        _session.GpuGroupSerial = checkpoint.GpuGroupSerial;
    }

    /// <summary>
    /// Undoes everything, runs <paramref name="atStart"/> on the session as the statement found it, and applies every
    /// operation again, in order, with the same outcome (the same nodes, GPU groups and group serial): a look back at the
    /// start that costs two applications per operation instead of the work that found them.
    /// </summary>
    internal void LookBack(Action atStart)
    {
        var operations = _operations.ToArray();
        var redo = new (int Node, bool IsVirtual, GpuGroup[]? Groups)[operations.Length];
        var laterOf = new Dictionary<int, int>();
        for (var i = operations.Length - 1; i >= 0; i--)
        {
            // Each operation left the pod as the next operation on it found it, or as it is now.
            var pod = operations[i].Pod;
            redo[i] = laterOf.TryGetValue(pod, out var later)
                ? (operations[later].PreviousNode, operations[later].PreviousVirtual, operations[later].PreviousGroups)
                : (_session.NodeOf(pod), _session.IsVirtual(pod), Current(pod));
            laterOf[pod] = i;
        }

        var serial = _session.GpuGroupSerial;
        Rollback(Start);
        atStart();
        for (var i = 0; i < operations.Length; i++)
        {
            Record(operations[i].Pod, operations[i].NewStatus, redo[i].Node, redo[i].Groups, redo[i].IsVirtual);
        }

        _session.GpuGroupSerial = serial;
    }

    /// <summary>
    /// Puts the statement's first operations — one eviction of each of <paramref name="pods"/>, in another order — in the
    /// order of <paramref name="pods"/>: what evicting them in that order would have recorded. Each eviction records only
    /// its own pod's earlier state, and the session ends the same whatever the order the pods were evicted in (a pod
    /// keeps its place on its node, <see cref="Session.KeepPlaceOnStatusChange"/>), so only the record changes.
    /// </summary>
    internal void ReorderEvictions(IReadOnlyList<int> pods)
    {
        var first = Start.Operations;
        var byPod = new Dictionary<int, Operation>(pods.Count);
        for (var i = first; i < first + pods.Count && i < _operations.Count; i++)
        {
            if (_operations[i].NewStatus != PodStatus.Releasing || !byPod.TryAdd(_operations[i].Pod, _operations[i]))
            {
                throw new InvalidOperationException($"operation {i} of the statement is not an eviction of a pod of its own: the statement does not start with the evictions to reorder");
            }
        }

        for (var i = 0; i < pods.Count; i++)
        {
            if (!byPod.TryGetValue(pods[i], out var operation))
            {
                throw new InvalidOperationException($"pod {pods[i]} is not among the statement's first {pods.Count} evictions");
            }

            _operations[first + i] = operation;
        }
    }

    /// <summary>Undoes everything.</summary>
    public void Discard()
    {
        Rollback(Start);
        Close();
    }

    /// <summary>Keeps the changes and records their net effect as decisions.</summary>
    /// <param name="preemptor">The pod group whose placement the statement's evictions make room for.</param>
    /// <param name="cause">Why the statement's evictions happen, when no preemptor does.</param>
    public IReadOnlyList<SchedulingDecision> Commit(PodGroupKey? preemptor = null, string? cause = null)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var touched = TouchedPods();
        var decisions = NetDecisions(touched, new EvictionReason(preemptor, cause));
        _session.AddDecisions(decisions, touched);
        Close();
        return decisions;
    }

    private void Close()
    {
        _closed = true;
        if (!ReferenceEquals(_operations, NoOperations))
        {
            _session.ReturnOperations(_operations);
            _operations = NoOperations;
        }
    }

    /// <summary>Each touched pod's node before the statement (<see cref="TouchedPods"/>' BeforeNode), into a dictionary the caller keeps.</summary>
    internal void NodesBefore(Dictionary<int, int> into)
    {
        into.Clear();
        foreach (var op in _operations)
        {
            into.TryAdd(op.Pod, op.PreviousNode);
        }
    }

    /// <summary>Pods this statement has touched, with their status and node before it, in first-touch order.</summary>
    internal List<(int Pod, PodStatus Before, int BeforeNode)> TouchedPods()
    {
        var touched = new List<(int Pod, PodStatus Before, int BeforeNode)>(_operations.Count);
        HashSet<int>? seen = _operations.Count > 32 ? [] : null;
        foreach (var op in _operations)
        {
            // Few operations: a linear look-back is cheaper than a set.
            var first = seen?.Add(op.Pod) ?? !Contains(touched, op.Pod);
            if (first)
            {
                touched.Add((op.Pod, op.PreviousStatus, op.PreviousNode));
            }
        }

        return touched;
    }

    private static bool Contains(List<(int Pod, PodStatus Before, int BeforeNode)> touched, int pod)
    {
        foreach (var t in touched)
        {
            if (t.Pod == pod)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        if (!_closed)
        {
            Discard();
        }
    }

    /// <summary>Turns every allocation of this statement into a pipelined placement (a gang that cannot all bind waits whole).</summary>
    public void ConvertAllocationsToPipelines()
    {
        for (var i = 0; i < _operations.Count; i++)
        {
            var op = _operations[i];
            if (_session.StatusOf(op.Pod) == PodStatus.Allocated && op.NewStatus == PodStatus.Allocated)
            {
                _session.Apply(op.Pod, PodStatus.Pipelined, _session.NodeOf(op.Pod), isVirtual: true, Current(op.Pod));
                _operations[i] = op with { NewStatus = PodStatus.Pipelined };
            }
        }
    }

    private void Record(int pod, PodStatus status, int node, GpuGroup[]? groups, bool isVirtual = true)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        _operations.Add(new Operation(pod, _session.StatusOf(pod), _session.NodeOf(pod), _session.IsVirtual(pod), Current(pod), status));
        _session.Apply(pod, status, node, isVirtual, groups);
    }

    /// <summary>The GPU groups the pod holds now (null when it shares none).</summary>
    private GpuGroup[]? Current(int pod) => _session.GroupsHeld(pod);

    private static bool SameGroups(GpuGroup[] chosen, GpuGroup[]? previous)
    {
        if (previous is null || previous.Length != chosen.Length)
        {
            return false;
        }

        foreach (var group in chosen)
        {
            if (Array.IndexOf(previous, group) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether a pod that shares GPUs holds other GPU groups now than before this statement.</summary>
    internal bool MovedGpus(int pod) =>
        OriginalOf(pod) is { PreviousGroups: { } before } && _session.GroupsHeld(pod) is { } now && !SameGroups(now, before);

    private Operation? OriginalOf(int pod)
    {
        foreach (var op in _operations)
        {
            if (op.Pod == pod)
            {
                return op;
            }
        }

        return null;
    }

    private List<SchedulingDecision> NetDecisions(List<(int Pod, PodStatus Before, int BeforeNode)> touched, EvictionReason cause)
    {
        var decisions = new List<SchedulingDecision>(touched.Count);
        foreach (var (pod, before, beforeNode) in touched)
        {
            var after = _session.StatusOf(pod);
            var node = _session.NodeOf(pod);
            var wasActive = before.IsActiveAllocated();
            if (after == PodStatus.Releasing && before != PodStatus.Releasing)
            {
                decisions.Add(Decision(pod, DecisionKind.Evict, beforeNode, cause));
            }
            else if (after == PodStatus.Pipelined && before != PodStatus.Pipelined)
            {
                if (wasActive && beforeNode >= 0 && (beforeNode != node || MovedGpus(pod)))
                {
                    // A running pod moved (to another node, or to other GPUs of its node): it is evicted where it
                    // runs and its replacement waits on the new node.
                    decisions.Add(Decision(pod, DecisionKind.Evict, beforeNode, cause));
                }

                decisions.Add(Decision(pod, DecisionKind.Pipeline, node, default));
            }
            else if (after == PodStatus.Allocated && before != PodStatus.Allocated)
            {
                decisions.Add(Decision(pod, DecisionKind.Bind, node, default));
            }
        }

        return decisions;
    }

    private SchedulingDecision Decision(int pod, DecisionKind kind, int node, EvictionReason reason)
    {
        var snapshot = _session.Snapshot;
        var p = snapshot.Pods[pod];
        var g = snapshot.GroupOf(pod);
        return new SchedulingDecision(
            Action,
            kind,
            p.Key,
            p.Uid,
            node >= 0 ? snapshot.Nodes[node].Key : null,
            g >= 0 ? snapshot.Groups[g].Key : new PodGroupKey(p.Namespace, string.Empty),
            kind == DecisionKind.Evict ? GpuGrant.None : Received(pod, node),
            reason.Preemptor,
            reason.Cause)
        {
            Claims = kind == DecisionKind.Bind && _session.DraDevices is { } devices ? devices.GrantsOf(_session, pod) : [],
        };
    }

    /// <summary>What the pod receives of GPUs on the node it is placed on (for its bind request and the report).</summary>
    private GpuGrant Received(int pod, int node)
    {
        var definition = _session.Snapshot.Pods[pod];
        var gpu = definition.Gpu;
        if (gpu.IsShared && _session.GroupsHeld(pod) is { } groups)
        {
            var memory = node >= 0 ? _session.Snapshot.Nodes[node].GpuMemoryMiB : Node.DefaultGpuMemoryMiB;
            return new GpuGrant(GpuGrantKind.Fraction, groups.Length, gpu.PortionMilliOn(memory), [.. groups.Select(g => g.Id)]);
        }

        return gpu.Kind == GpuRequestKind.Mig
            ? new GpuGrant(GpuGrantKind.MigInstance, 0, 0, [])
            : GpuGrant.Whole(definition.Request.Gpu);
    }

    private readonly record struct EvictionReason(PodGroupKey? Preemptor, string? Cause);

    internal readonly record struct Operation(int Pod, PodStatus PreviousStatus, int PreviousNode, bool PreviousVirtual, GpuGroup[]? PreviousGroups, PodStatus NewStatus);
}
