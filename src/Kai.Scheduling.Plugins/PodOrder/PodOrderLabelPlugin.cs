using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.PodOrder;

/// <summary>
/// KAI's "taskorder" plugin. Label <c>kai.scheduler/task-priority</c>: labelled pods before unlabelled ones, higher
/// values first; a label that is not an integer ranks after every valid one.
/// </summary>
internal sealed class PodOrderLabelPlugin : IPodOrderPlugin
{
    /// <summary>KAI's name (it calls pods tasks).</summary>
    public const string PluginName = "taskorder";

    public string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new PodOrderLabelPlugin());

    public int ComparePods(ISessionView session, int left, int right)
    {
        var pods = session.Snapshot.Pods;
        var l = pods[left];
        var r = pods[right];
        var lRank = l.OrderPriority.HasValue ? 0 : (l.HasInvalidOrderPriority ? 1 : 2);
        var rRank = r.OrderPriority.HasValue ? 0 : (r.HasInvalidOrderPriority ? 1 : 2);
        if (lRank != rRank)
        {
            return lRank.CompareTo(rRank);
        }

        return lRank == 0 ? r.OrderPriority!.Value.CompareTo(l.OrderPriority!.Value) : 0;
    }
}
