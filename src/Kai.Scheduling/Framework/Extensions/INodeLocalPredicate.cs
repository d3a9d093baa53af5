namespace Kai.Scheduling.Framework.Extensions;

/// <summary>
/// Implemented by a dynamic <see cref="INodePredicatePlugin"/> that can tell, per pod, that its verdict on a node
/// depends only on that node: its fixed properties and the pods the session holds on it. A pod put on or taken off
/// one node then changes no other node's verdict for that pod, so the framework may keep per-node verdicts across
/// changes and re-check only the nodes whose books changed (explanations count the nodes that way). A dynamic
/// predicate that does not implement it is taken to read beyond the node (e.g. a topology domain's pods).
/// </summary>
/// <remarks>
/// Contract: pure and cheap (called once per verdict cache lookup); answer false when unsure. A node-local
/// predicate must never accept a node because of pods the session holds on it (fewer pods may only make it accept
/// more): the victim search's <see cref="Solvers.VictimNodeReach"/> relies on a node that evicts nothing not turning
/// from rejected to accepted.
/// </remarks>
public interface INodeLocalPredicate
{
    /// <summary>Whether, in this session, the verdict for <paramref name="pod"/> on a node reads nothing beyond that node.</summary>
    bool IsNodeLocal(ISessionView session, int pod);
}
