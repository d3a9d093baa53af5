using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Ordering;

/// <summary>Higher-priority pod groups are scheduled first.</summary>
internal sealed class PriorityPlugin : IJobOrderPlugin
{
    public string Name => PluginNames.Priority;

    public int CompareJobs(ISessionView session, int left, int right) =>
        session.Snapshot.Groups[right].Priority.CompareTo(session.Snapshot.Groups[left].Priority);
}
