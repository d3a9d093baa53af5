using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Snapshots;

namespace Kai.Scheduling.Placement;

/// <summary>
/// Places a pod group that has a sub-group tree (a topology constraint somewhere) as KAI's AllocateJob does: for
/// the pod group, then for each sub-group inside the set being tried, the node-set plugins choose node sets, best
/// first; each is tried with a checkpoint and rolled back if the pods below cannot all be placed in it. Child
/// sub-groups that hold sub-groups go first (by name), then the pod sets (in the attempt's pod-set order), and
/// each pod goes to the best node of the innermost set, with the innermost preference added to its node scores.
/// </summary>
internal static class NodeSetPlacement
{
    public static bool TryPlace(Session session, Statement statement, int group, SubGroupSet tree, int[] pods, bool pipelineOnly, bool explain)
    {
        var attempt = new Attempt(session, statement, group, pods, pipelineOnly, explain);
        var checkpoint = statement.Checkpoint();
        if (attempt.PlaceSet(tree, NodeSet.All(session.Nodes.Length), null))
        {
            return true;
        }

        statement.Rollback(checkpoint);
        return false;
    }

    private sealed class Attempt(Session session, Statement statement, int group, int[] pods, bool pipelineOnly, bool explain)
    {
        private int _placed;

        /// <summary>Places the pods of a sub-group that holds sub-groups (the pod group at the root).</summary>
        public bool PlaceSet(SubGroupSet set, NodeSet within, NodePreference? inherited)
        {
            var under = PodsOf(set.AllPodSets);
            if (under.Count == 0)
            {
                return true;
            }

            var choice = Choose(set, -1, under, within);
            return TryEach(choice, inherited, (nodeSet, preference) => PlaceChildren(set, nodeSet, preference));
        }

        private bool PlaceChildren(SubGroupSet set, NodeSet within, NodePreference? preference)
        {
            foreach (var child in set.Sets)
            {
                if (!PlaceSet(child, within, preference))
                {
                    return false;
                }
            }

            foreach (var podSet in PodSetsInAttemptOrder(set))
            {
                var members = PodsOf([podSet]);
                var choice = Choose(set, podSet, members, within);
                if (!TryEach(choice, preference, (nodeSet, inner) => PlacePods(members, nodeSet, inner)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Tries each chosen set in turn with a checkpoint; explains when none works.</summary>
        private bool TryEach(NodeSetChoice choice, NodePreference? inherited, Func<NodeSet, NodePreference?, bool> place)
        {
            if (choice.Sets.Count == 0)
            {
                if (explain)
                {
                    session.Explanations.RecordPlacementFailure(group, choice.Failure);
                }

                return false;
            }

            var preference = choice.Preference ?? inherited;
            foreach (var nodeSet in choice.Sets)
            {
                var checkpoint = statement.Checkpoint();
                var placed = _placed;
                if (place(nodeSet, preference))
                {
                    return true;
                }

                statement.Rollback(checkpoint);
                _placed = placed;
            }

            if (explain && choice.Description is { } description)
            {
                session.Explanations.RecordTriedNodeSets(group, description, choice.Sets);
            }

            return false;
        }

        private bool PlacePods(List<int> members, NodeSet within, NodePreference? preference)
        {
            foreach (var pod in members)
            {
                var placement = NodeSearch.Find(session, pod, within, preference);
                if (!placement.Found)
                {
                    if (explain)
                    {
                        session.Explanations.RecordUnplaced(group, pod, _placed, pods.Length, within);
                    }

                    return false;
                }

                GangPlacement.Take(session, statement, pod, placement, pipelineOnly);
                _placed++;
            }

            return true;
        }

        /// <summary>Every node-set plugin in turn splits the sets the previous one chose.</summary>
        private NodeSetChoice Choose(SubGroupSet set, int podSet, List<int> members, NodeSet within)
        {
            var plugins = session.Plugins.NodeSets;
            if (plugins.Length == 0)
            {
                return NodeSetChoice.Unconstrained(within);
            }

            List<NodeSet> sets = [within];
            NodePreference? preference = null;
            string? description = null;
            var failure = PluginStatus.Success;
            foreach (var plugin in plugins)
            {
                var next = new List<NodeSet>(sets.Count);
                foreach (var nodeSet in sets)
                {
                    var choice = plugin.ChooseNodeSets(session, new(group, set, podSet, members, nodeSet));
                    if (choice.Sets.Count == 0)
                    {
                        failure = choice.Failure;
                        continue;
                    }

                    next.AddRange(choice.Sets);
                    preference = choice.Preference ?? preference;
                    description = choice.Description ?? description;
                }

                if (next.Count == 0)
                {
                    return NodeSetChoice.None(failure);
                }

                sets = next;
            }

            return description is null && preference is null && sets.Count == 1 && ReferenceEquals(sets[0], within)
                ? NodeSetChoice.Unconstrained(within)
                : NodeSetChoice.Of(sets, preference, description ?? "node set");
        }

        /// <summary>The attempt's pods in the given pod sets, in placement order.</summary>
        private List<int> PodsOf(IReadOnlyList<int> podSets)
        {
            var result = new List<int>();
            foreach (var pod in pods)
            {
                if (Contains(podSets, session.Snapshot.PodSetIndexOf(pod)))
                {
                    result.Add(pod);
                }
            }

            return result;
        }

        /// <summary>The set's own pod sets that have pods in this attempt, in the order the attempt takes them (KAI's pod-set order).</summary>
        private List<int> PodSetsInAttemptOrder(SubGroupSet set)
        {
            var order = new List<int>();
            foreach (var pod in pods)
            {
                var podSet = session.Snapshot.PodSetIndexOf(pod);
                if (Contains(set.PodSets, podSet) && !order.Contains(podSet))
                {
                    order.Add(podSet);
                }
            }

            return order;
        }

        private static bool Contains(IReadOnlyList<int> list, int value)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] == value)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
