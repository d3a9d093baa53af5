using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>Required node affinity: the node must match at least one node selector term.</summary>
internal sealed class NodeAffinityPredicate : INodePredicatePlugin
{
    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var terms = session.Snapshot.Pods[pod].Constraints.RequiredAffinityTerms;
        if (terms.Count == 0)
        {
            return PluginStatus.Success;
        }

        foreach (var term in terms)
        {
            if (term.Matches(node.Node))
            {
                return PluginStatus.Success;
            }
        }

        return PluginStatus.Unresolvable("required node affinity not matched", Name);
    }
}
