using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary><c>spec.nodeSelector</c>: every label must be present on the node with that value.</summary>
internal sealed class NodeSelectorPredicate : INodePredicatePlugin
{
    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        foreach (var (key, value) in session.Snapshot.Pods[pod].Constraints.NodeSelector)
        {
            if (!node.Node.Labels.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return PluginStatus.Unresolvable($"node selector {key}={value} not matched", Name);
            }
        }

        return PluginStatus.Success;
    }
}
