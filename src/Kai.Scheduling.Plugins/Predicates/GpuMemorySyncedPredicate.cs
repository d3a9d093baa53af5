using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>
/// A pod asking for GPU memory goes only to nodes that publish their GPUs' memory (label <c>nvidia.com/gpu.memory</c>):
/// elsewhere its share of a device is unknown (KAI: "the gpu memory count on the node was not synced yet").
/// </summary>
internal sealed class GpuMemorySyncedPredicate : INodePredicatePlugin
{
    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node) =>
        session.Snapshot.Pods[pod].GpuKind == GpuRequestKind.Memory && !node.Node.GpuMemorySynced
            ? PluginStatus.Unresolvable("GPU memory of the node unknown (no nvidia.com/gpu.memory label)", Name)
            : PluginStatus.Success;
}
