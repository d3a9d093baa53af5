using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>New pods go only to Ready nodes that are not cordoned (unless the pod tolerates the cordon taint).</summary>
internal sealed class NodeConditionPredicate : INodePredicatePlugin
{
    private static readonly Taint CordonTaint = new("node.kubernetes.io/unschedulable", null, TaintEffect.NoSchedule);

    public string Name => PluginNames.Predicates;

    public bool IsStatic => true;

    public FitFailure? Check(Session session, int pod, NodeState node)
    {
        if (!node.Node.Ready)
        {
            return new FitFailure(FitFailureKind.NotReady, string.Empty);
        }

        if (node.Node.Unschedulable && !session.Snapshot.Pods[pod].Constraints.Tolerations.Any(t => t.Tolerates(CordonTaint)))
        {
            return new FitFailure(FitFailureKind.Unschedulable, string.Empty);
        }

        return null;
    }
}
