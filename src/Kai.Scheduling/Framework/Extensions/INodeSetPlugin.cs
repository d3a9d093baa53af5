namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// Chooses the node sets a pod group or sub-group may be placed on, best first (KAI's SubsetNodes): gang placement
/// tries them in turn, each with a checkpoint, and the sub-groups and pods below are placed inside the set that
/// is being tried. Topology-aware placement is one: a domain of the required level per set.
/// </summary>
/// <remarks>
/// Contract: called by gang placement for the pod group (the root <see cref="Snapshots.SubGroupSet"/>), then for
/// every sub-group inside the set being tried, only for pod groups that have a sub-group tree
/// (<see cref="Snapshots.ClusterSnapshot.SubGroupTreeOf"/>, i.e. a topology constraint somewhere) and only with
/// pods to place. It reads the session's books as they are at the call (earlier sub-groups' placements
/// included) and changes nothing; one thread, one call at a time. Several plugins chain: each splits every set
/// the previous returned.
/// </remarks>
public interface INodeSetPlugin : ISchedulerPlugin
{
    NodeSetChoice ChooseNodeSets(ISessionView session, in NodeSetRequest request);
}

/// <summary>
/// What gang placement asks a node-set plugin: where the <paramref name="Pods"/> of <paramref name="Group"/>'s
/// sub-group <paramref name="SubGroup"/> (or of one of its pod sets, <paramref name="PodSet"/> ≥ 0) may go,
/// within <paramref name="Within"/>.
/// </summary>
/// <param name="Group">The pod group (snapshot index).</param>
/// <param name="SubGroup">The sub-group set being placed, or the one that holds <paramref name="PodSet"/>.</param>
/// <param name="PodSet">The pod set being placed (index into <see cref="Snapshots.ClusterSnapshot.PodSetsOf"/>), or -1 when placing <paramref name="SubGroup"/>.</param>
/// <param name="Pods">The pods of this attempt under it, in placement order.</param>
/// <param name="Within">The nodes the enclosing set allows.</param>
public readonly record struct NodeSetRequest(int Group, Snapshots.SubGroupSet SubGroup, int PodSet, IReadOnlyList<int> Pods, NodeSet Within);

/// <summary>
/// A node-set plugin's answer: the sets to try, best first, and optionally a score for the nodes (inherited by
/// the sub-groups below that do not set their own); or no set, with the reason.
/// </summary>
public sealed class NodeSetChoice
{
    private NodeSetChoice(IReadOnlyList<NodeSet> sets, NodePreference? preference, PluginStatus failure, string? description)
    {
        Sets = sets;
        Preference = preference;
        Failure = failure;
        Description = description;
    }

    /// <summary>The sets to try, best first; empty when none can hold the pods.</summary>
    public IReadOnlyList<NodeSet> Sets { get; }

    /// <summary>Scores added to the node scores of the pods placed in these sets (and below), or null to keep the enclosing one.</summary>
    public NodePreference? Preference { get; }

    /// <summary>Why there is no set (when <see cref="Sets"/> is empty).</summary>
    public PluginStatus Failure { get; }

    /// <summary>What one set is, for explanations ("domain of topology 'cluster'"), or null.</summary>
    public string? Description { get; }

    /// <summary>No restriction: the enclosing set, as is.</summary>
    public static NodeSetChoice Unconstrained(NodeSet within) => new([within], null, PluginStatus.Success, null);

    public static NodeSetChoice Of(IReadOnlyList<NodeSet> sets, NodePreference? preference, string description) =>
        sets.Count == 0 ? throw new ArgumentException("Give at least one set, or use None.", nameof(sets)) : new(sets, preference, PluginStatus.Success, description);

    public static NodeSetChoice None(PluginStatus failure) =>
        failure.IsSuccess ? throw new ArgumentException("None needs the reason.", nameof(failure)) : new([], null, failure, null);
}
