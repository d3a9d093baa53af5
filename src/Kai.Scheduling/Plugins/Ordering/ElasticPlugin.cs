using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Ordering;

/// <summary>
/// Gangs below their minimum go first, then gangs exactly at it, then elastic gangs growing beyond it, so
/// extra pods never take capacity that another gang needs to start.
/// </summary>
internal sealed class ElasticPlugin : IJobOrderPlugin
{
    public string Name => PluginNames.Elastic;

    public int CompareJobs(ISessionView session, int left, int right) =>
        session.Gangs.GangState(left).CompareTo(session.Gangs.GangState(right));
}
