using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>New pods go only to Ready nodes that are not cordoned (unless the pod tolerates the cordon taint).</summary>
internal sealed class NodeConditionPredicate : INodePredicatePlugin
{
    private static readonly Taint CordonTaint = new("node.kubernetes.io/unschedulable", null, TaintEffect.NoSchedule);

    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        if (!node.Node.Ready)
        {
            return PluginStatus.Unresolvable("node not ready", Name);
        }

        if (node.Node.Unschedulable && !session.Snapshot.Pods[pod].Constraints.Tolerations.Any(t => t.Tolerates(CordonTaint)))
        {
            return PluginStatus.Unresolvable("node unschedulable (cordoned)", Name);
        }

        return PluginStatus.Success;
    }
}
