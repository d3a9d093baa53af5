using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>Every NoSchedule and NoExecute taint of the node must be tolerated (PreferNoSchedule is only a preference).</summary>
internal sealed class TaintTolerationPredicate : INodePredicatePlugin
{
    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var tolerations = session.Snapshot.Pods[pod].Constraints.Tolerations;
        foreach (var taint in node.Node.Taints)
        {
            if (taint.Effect == TaintEffect.PreferNoSchedule)
            {
                continue;
            }

            var tolerated = false;
            foreach (var toleration in tolerations)
            {
                if (toleration.Tolerates(taint))
                {
                    tolerated = true;
                    break;
                }
            }

            if (!tolerated)
            {
                return PluginStatus.Unresolvable(taint.Value is null ? $"untolerated taint {taint.Key}" : $"untolerated taint {taint.Key}={taint.Value}", Name);
            }
        }

        return PluginStatus.Success;
    }
}
