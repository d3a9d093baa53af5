using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Priority;

/// <summary>KAI's priority plugin: higher-priority pod groups are scheduled first.</summary>
internal sealed class PriorityPlugin : IJobOrderPlugin
{
    public const string PluginName = "priority";

    public string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new PriorityPlugin());

    public int CompareJobs(ISessionView session, int left, int right)
    {
        var groups = session.Snapshot.Groups;
        return groups[right].Priority.CompareTo(groups[left].Priority);
    }
}
