using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.GpuSharing;

/// <summary>
/// KAI's gpuspread plugin: a pod that shares GPUs prefers a whole free GPU (score 1), else the emptiest shared GPU it
/// fits (1 − used memory ÷ device memory), spreading sharers over devices.
/// </summary>
internal sealed class GpuSpreadPlugin : IGpuOrderPlugin
{
    public const string PluginName = "gpuspread";

    public string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new GpuSpreadPlugin());

    public double ScoreGpu(ISessionView session, int pod, NodeState node, GpuGroup? group) =>
        group is null ? 1 : 1 - (group.UsedMemory / (double)node.Node.GpuMemoryMiB);
}
