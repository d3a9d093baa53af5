using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>
/// KAI's resource-type predicate (PredicateByNodeResourcesType): a MIG pod needs a MIG node; on a MIG node with the
/// <c>single</c> strategy only whole-GPU pods run, with <c>mixed</c> only MIG pods. CPU-only pods go anywhere.
/// </summary>
internal sealed class GpuResourceTypePredicate : INodePredicatePlugin
{
    public string Name => PredicatesPlugin.Name;

    public bool IsStatic => true;

    public PluginStatus Check(ISessionView session, int pod, NodeState node)
    {
        var kind = session.Snapshot.Pods[pod].GpuKind;
        if (kind == GpuRequestKind.None)
        {
            return PluginStatus.Success;
        }

        var target = node.Node;
        if (!target.MigEnabled)
        {
            return kind == GpuRequestKind.Mig ? PluginStatus.Unresolvable("MIG pod on a node without MIG", Name) : PluginStatus.Success;
        }

        return target.MigStrategy switch
        {
            MigStrategy.Single when kind != GpuRequestKind.Whole => PluginStatus.Unresolvable("only whole-GPU pods run on a node with MIG strategy single", Name),
            MigStrategy.Mixed when kind != GpuRequestKind.Mig => PluginStatus.Unresolvable("only MIG pods run on a node with MIG strategy mixed", Name),
            _ => PluginStatus.Success,
        };
    }
}
