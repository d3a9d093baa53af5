using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Ordering;

/// <summary>
/// Label <c>kai.scheduler/task-priority</c>: labelled pods before unlabelled ones, higher values first; a
/// label that is not an integer ranks after every valid one.
/// </summary>
internal sealed class TaskOrderPlugin : IPodOrderPlugin
{
    public string Name => PluginNames.TaskOrder;

    public int ComparePods(Session session, int left, int right)
    {
        var l = session.Snapshot.Pods[left];
        var r = session.Snapshot.Pods[right];
        var lRank = l.TaskPriority.HasValue ? 0 : (l.HasInvalidTaskPriority ? 1 : 2);
        var rRank = r.TaskPriority.HasValue ? 0 : (r.HasInvalidTaskPriority ? 1 : 2);
        if (lRank != rRank)
        {
            return lRank.CompareTo(rRank);
        }

        return lRank == 0 ? r.TaskPriority!.Value.CompareTo(l.TaskPriority!.Value) : 0;
    }
}
