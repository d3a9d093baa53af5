using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.Elastic;

/// <summary>
/// KAI's elastic plugin: gangs below their minimum go first, then gangs exactly at it, then elastic gangs growing
/// beyond it, so extra pods never take capacity that another gang needs to start.
/// </summary>
internal sealed class ElasticPlugin : IJobOrderPlugin
{
    public const string PluginName = "elastic";

    public string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new ElasticPlugin());

    public int CompareJobs(ISessionView session, int left, int right)
    {
        var gangs = session.Gangs;
        return gangs.GangState(left).CompareTo(gangs.GangState(right));
    }
}
