using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.Common;

namespace Kai.Scheduling.Plugins.Ray;

/// <summary>KAI's ray plugin: a Ray cluster's head is placed before its workers.</summary>
internal sealed class RayPlugin() : LeaderFirstPodOrder(PodRole.RayHead)
{
    public const string PluginName = "ray";

    public override string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new RayPlugin());
}
