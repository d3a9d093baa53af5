using Kai.Scheduling.Framework;
using Kai.Scheduling.Framework.Devices;
using Kai.Scheduling.Framework.Extensions;

namespace Kai.Scheduling.Plugins.GpuSharing;

/// <summary>
/// KAI's gpupack plugin: a pod that shares GPUs goes to the fullest shared GPU it fits (score = the group's used
/// memory ÷ device memory, releasing and pipelined sharers included; a whole free GPU scores 0), keeping whole GPUs
/// free for pods that need them.
/// </summary>
internal sealed class GpuPackPlugin : IGpuOrderPlugin
{
    public const string PluginName = "gpupack";

    public string Name => PluginName;

    public static void Register(PluginRegistryBuilder registry) => registry.AddPlugin(PluginName, _ => new GpuPackPlugin());

    public double ScoreGpu(ISessionView session, int pod, NodeState node, GpuGroup? group) =>
        group is null ? 0 : group.UsedMemory / (double)node.Node.GpuMemoryMiB;
}
