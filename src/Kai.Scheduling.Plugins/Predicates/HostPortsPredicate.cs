using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>A host port may be used by one pod per node (per protocol and address).</summary>
internal sealed class HostPortsPredicate : INodePredicatePlugin, INodeLocalPredicate
{
    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => false;

    /// <summary>Ports are taken per node: only the node's own pods matter.</summary>
    public bool IsNodeLocal(ISessionView session, int pod) => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var wanted = session.Snapshot.Pods[pod].Constraints.HostPorts;
        if (wanted.Count == 0)
        {
            return PluginStatus.Success;
        }

        foreach (var other in node.Pods)
        {
            if (other == pod)
            {
                continue;
            }

            foreach (var used in session.Snapshot.Pods[other].Constraints.HostPorts)
            {
                foreach (var port in wanted)
                {
                    if (port.ConflictsWith(used))
                    {
                        return PluginStatus.Unschedulable($"host port {port} in use", Name);
                    }
                }
            }
        }

        return PluginStatus.Success;
    }
}
