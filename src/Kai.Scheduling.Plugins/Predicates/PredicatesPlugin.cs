using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins.PodAffinity;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>
/// KAI's predicates plugin: node readiness and cordon, GPU resource type and MIG strategy, GPU memory published for
/// pods that ask for it, taints and tolerations, node selector, required node affinity (static: cached per
/// constraint signature, GPU kind and node), host ports and inter-pod affinity (dynamic). One name, eight parts.
/// </summary>
internal static class PredicatesPlugin
{
    public const string Name = "predicates";

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPluginSet(Name, NoOptions.Bind, (_, _) =>
            [new NodeConditionPredicate(), new GpuResourceTypePredicate(), new GpuMemorySyncedPredicate(), new TaintTolerationPredicate(), new NodeSelectorPredicate(), new NodeAffinityPredicate(), new HostPortsPredicate(), new InterPodAffinityPredicate()]);
}
