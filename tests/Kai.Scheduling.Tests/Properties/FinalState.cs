using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Resources;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Tests.Properties;

/// <summary>
/// Pod statuses and nodes after a cycle, rebuilt from the snapshot and the cycle's decisions alone (bind =
/// allocated, pipeline = pipelined, evict = releasing), so the invariants are checked independently of the
/// engine's own books.
/// </summary>
internal sealed class FinalState
{
    private FinalState(ClusterSnapshot snapshot, PodStatus[] status, int[] node, bool[] placedNow)
    {
        Snapshot = snapshot;
        Status = status;
        Node = node;
        PlacedNow = placedNow;
    }

    public ClusterSnapshot Snapshot { get; }

    public PodStatus[] Status { get; }

    public int[] Node { get; }

    public bool[] PlacedNow { get; }

    public static FinalState Initial(ClusterSnapshot snapshot) => new(
        snapshot,
        [.. snapshot.Pods.Select(p => p.Status)],
        [.. Enumerable.Range(0, snapshot.Pods.Count).Select(snapshot.NodeOf)],
        new bool[snapshot.Pods.Count]);

    public static FinalState After(ClusterSnapshot snapshot, CycleResult result)
    {
        var state = Initial(snapshot);
        var byKey = Enumerable.Range(0, snapshot.Pods.Count).ToDictionary(p => snapshot.Pods[p].Key);
        foreach (var decision in result.Decisions)
        {
            var pod = byKey[decision.Pod];
            state.Status[pod] = decision.Kind switch
            {
                DecisionKind.Bind => PodStatus.Allocated,
                DecisionKind.Pipeline => PodStatus.Pipelined,
                _ => PodStatus.Releasing,
            };
            if (decision.Kind != DecisionKind.Evict)
            {
                state.Node[pod] = snapshot.FindNode(decision.Node!.Value);
                // A moved pod (evicted and pipelined elsewhere) was running before: not a new placement.
                state.PlacedNow[pod] = !snapshot.Pods[pod].Status.IsActiveAllocated();
            }
        }

        return state;
    }

    /// <summary>Sum of requests on <paramref name="node"/> of pods whose status passes <paramref name="counts"/>.</summary>
    public ResourceVector OnNode(int node, Func<PodStatus, bool> counts)
    {
        var sum = ResourceVector.Zero;
        for (var p = 0; p < Status.Length; p++)
        {
            if (Node[p] == node && counts(Status[p]))
            {
                sum += Snapshot.Pods[p].Request;
            }
        }

        return sum;
    }

    /// <summary>CPU, memory and GPU of active-allocated pods of groups in <paramref name="queue"/>'s subtree.</summary>
    public ResourceVector QueueAllocated(int queue)
    {
        var sum = ResourceVector.Zero;
        for (var p = 0; p < Status.Length; p++)
        {
            var group = Snapshot.GroupOf(p);
            if (group >= 0 && Snapshot.QueueOf(group) is var leaf and >= 0 && Snapshot.QueueAndAncestors(leaf).Contains(queue) && Status[p].IsActiveAllocated())
            {
                sum += Snapshot.Pods[p].Request.QueueResources;
            }
        }

        return sum;
    }
}
