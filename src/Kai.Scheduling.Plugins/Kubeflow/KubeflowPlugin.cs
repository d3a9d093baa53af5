using Kai.Scheduling.Framework;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.Common;

namespace Kai.Scheduling.Plugins.Kubeflow;

/// <summary>KAI's kubeflow plugin: a training job's master or launcher is placed before its workers.</summary>
internal sealed class KubeflowPlugin() : LeaderFirstPodOrder(PodRole.KubeflowLeader)
{
    public const string PluginName = "kubeflow";

    public override string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new KubeflowPlugin());
}
