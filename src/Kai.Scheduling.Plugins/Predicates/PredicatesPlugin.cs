using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins.PodAffinity;

namespace Kai.Scheduling.Plugins.Predicates;

/// <summary>
/// KAI's predicates plugin: node readiness and cordon, taints and tolerations, node selector, required node
/// affinity (static: cached per constraint signature and node), host ports and inter-pod affinity (dynamic).
/// One name, six parts.
/// </summary>
internal static class PredicatesPlugin
{
    public const string Name = "predicates";

    public static void Register(PluginRegistryBuilder registry) =>
        registry.AddPluginSet(Name, NoOptions.Bind, (_, _) =>
            [new NodeConditionPredicate(), new TaintTolerationPredicate(), new NodeSelectorPredicate(), new NodeAffinityPredicate(), new HostPortsPredicate(), new InterPodAffinityPredicate()]);
}
