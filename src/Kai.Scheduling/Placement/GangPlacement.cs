using Kai.Scheduling.Framework;
using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Places one allocation quantum of a pod group inside a statement (KAI's AllocateJob): checks the queue's
/// capacity for the whole quantum, then finds a node for each pod in order; any pod without a node rolls the
/// attempt back, so a gang is placed whole or not at all. Used by allocate, and by the victim search to place
/// the preemptor and re-place victims in its simulations.
/// </summary>
internal static class GangPlacement
{
    /// <param name="session">The session.</param>
    /// <param name="statement">The statement the placements go into.</param>
    /// <param name="group">The pod group.</param>
    /// <param name="pipelineOnly">Pipeline every pod, even where it could bind now (used while simulating evictions).</param>
    /// <param name="explain">Record why it failed (off while simulating).</param>
    /// <returns>Whether every pod of the quantum got a node.</returns>
    public static bool TryAllocate(Session session, Statement statement, int group, bool pipelineOnly, bool explain = true) =>
        TryPlace(session, statement, group, session.Quantum.PodsToAllocate(group), pipelineOnly, explain);

    /// <summary>Places exactly <paramref name="pods"/> of <paramref name="group"/>, all or none.</summary>
    public static bool TryPlace(Session session, Statement statement, int group, int[] pods, bool pipelineOnly, bool explain)
    {
        if (pods.Length == 0)
        {
            return false;
        }

        if (!WithinCapacity(session, group, pods, explain))
        {
            return false;
        }

        // A pod group with a topology constraint somewhere is placed sub-group by sub-group, inside node sets.
        if (session.Plugins.NodeSets.Length > 0 && session.Snapshot.SubGroupTreeOf(group) is { } tree)
        {
            return NodeSetPlacement.TryPlace(session, statement, group, tree, pods, pipelineOnly, explain);
        }

        var checkpoint = statement.Checkpoint();
        var trail = NodeSearch.SearchTrail.None;
        for (var i = 0; i < pods.Length; i++)
        {
            if (!TryPlaceMember(session, statement, pods[i], pipelineOnly, ref trail))
            {
                if (explain)
                {
                    session.Explanations.RecordUnplaced(group, pods[i], i, pods.Length);
                }

                statement.Rollback(checkpoint);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <see cref="TryPlace"/> places pods pod by pod, each on the best node as the pods before it left the session
    /// (so placing the first k pods places them as placing more would): not for a group placed inside node sets.
    /// </summary>
    public static bool PlacesPodByPod(Session session, int group) =>
        session.Plugins.NodeSets.Length == 0 || session.Snapshot.SubGroupTreeOf(group) is null;

    /// <summary>Places one pod on the best node as the session stands (one step of <see cref="TryPlace"/>); false when no node takes it.</summary>
    public static bool TryPlaceMember(Session session, Statement statement, int pod, bool pipelineOnly)
    {
        var trail = NodeSearch.SearchTrail.None;
        return TryPlaceMember(session, statement, pod, pipelineOnly, ref trail);
    }

    /// <summary>
    /// As <see cref="TryPlaceMember(Session, Statement, int, bool)"/>, the search going on from the previous pod's
    /// (<paramref name="trail"/>: that pod was placed where it found and nothing else changed since).
    /// </summary>
    private static bool TryPlaceMember(Session session, Statement statement, int pod, bool pipelineOnly, ref NodeSearch.SearchTrail trail)
    {
        var placement = NodeSearch.Find(session, pod, ref trail);
        if (!placement.Found)
        {
            return false;
        }

        Take(session, statement, pod, placement, pipelineOnly);
        return true;
    }

    /// <summary>
    /// Records a found placement in the statement: pipelined (or bound where it can bind now), with the GPU groups a
    /// sharing pod takes on that node. Every placement path goes through here: a sharer recorded without its groups
    /// would leave the session's device books unknown.
    /// </summary>
    internal static void Take(Session session, Statement statement, int pod, NodeSearch.Placement placement, bool pipelineOnly)
    {
        var groups = placement.Gpus is { } gpus ? SharedGpuPlacement.Materialize(session, pod, session.NodeAt(placement.Node), gpus) : null;
        if (pipelineOnly || !placement.CanBind)
        {
            statement.Pipeline(pod, placement.Node, groups);
        }
        else
        {
            statement.Allocate(pod, placement.Node, groups);
        }
    }

    /// <summary>Whether the capacity plugin (queue quota and limits) lets the group take what these pods request.</summary>
    private static bool WithinCapacity(Session session, int group, int[] pods, bool explain)
    {
        if (session.Plugins.Capacity is null)
        {
            return true;
        }

        return WithinCapacity(session, group, QueueRequestOf(session, pods), explain);
    }

    /// <summary>What the pods request of their queue, summed: the amount <see cref="WithinCapacity(Session, int, in ResourceVector, bool)"/> is asked about.</summary>
    public static ResourceVector QueueRequestOf(Session session, ReadOnlySpan<int> pods)
    {
        var request = ResourceVector.Zero;
        foreach (var pod in pods)
        {
            request += session.QueueRequestOf(pod);
        }

        return request;
    }

    /// <summary>Whether the capacity plugin lets the group take <paramref name="request"/> (the sum of its pods' queue requests).</summary>
    public static bool WithinCapacity(Session session, int group, in ResourceVector request, bool explain)
    {
        if (session.Plugins.Capacity is not { } capacity)
        {
            return true;
        }

        var status = capacity.CheckJob(session, group, request);
        if (!status.IsSuccess && explain)
        {
            session.Explanations.RecordCapacity(group, status);
        }

        return status.IsSuccess;
    }
}
