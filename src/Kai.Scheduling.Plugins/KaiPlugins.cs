using Kai.Scheduling.Framework;
using Kai.Scheduling.Plugins.Compatibility;
using Kai.Scheduling.Plugins.DynamicResources;
using Kai.Scheduling.Plugins.Elastic;
using Kai.Scheduling.Plugins.GpuSharing;
using Kai.Scheduling.Plugins.Kubeflow;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Plugins.NominatedNode;
using Kai.Scheduling.Plugins.NodeAvailability;
using Kai.Scheduling.Plugins.NodePlacement;
using Kai.Scheduling.Plugins.PodAffinity;
using Kai.Scheduling.Plugins.PodOrder;
using Kai.Scheduling.Plugins.Predicates;
using Kai.Scheduling.Plugins.Priority;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Plugins.Ray;
using Kai.Scheduling.Plugins.ResourceType;
using Kai.Scheduling.Plugins.Topology;

namespace Kai.Scheduling.Plugins;

/// <summary>KAI's plugins under KAI's names, and KAI's default plugin list.</summary>
public static class KaiPlugins
{
    /// <summary>
    /// KAI's built-in plugin list (a scheduler started without configuration), in KAI's order, with podaffinity after
    /// resourcetype as KAI's operator deploys it (so preferred inter-pod affinity is scored, as on a KAI install).
    /// </summary>
    public static IReadOnlyList<string> DefaultPlugins { get; } =
    [
        PredicatesPlugin.Name, ProportionPlugin.PluginName, PriorityPlugin.PluginName, ElasticPlugin.PluginName, KubeflowPlugin.PluginName,
        RayPlugin.PluginName, NodeAvailabilityPlugin.PluginName, GpuSharingOrderPlugin.PluginName, GpuPackPlugin.PluginName,
        ResourceTypePlugin.PluginName, PodAffinityPlugin.PluginName, KaiCompatibilityNames.SubGroupOrder, PodOrderLabelPlugin.PluginName, NominatedNodePlugin.PluginName,
        DynamicResourcesPlugin.PluginName, NodePlacementPlugin.PluginName, MinRuntimePlugin.PluginName, TopologyPlugin.PluginName,
        KaiCompatibilityNames.Snapshot,
    ];

    /// <summary>A registry of KAI's plugins and nothing else (declared after the list it uses: static initialisers run in order).</summary>
    public static PluginRegistry Registry { get; } = PluginRegistry.CreateBuilder().AddKaiPlugins().Build();

    /// <summary>Registers every KAI plugin name (implemented or accepted for compatibility) and KAI's default list.</summary>
    public static PluginRegistryBuilder AddKaiPlugins(this PluginRegistryBuilder registry)
    {
        PredicatesPlugin.Register(registry);
        ProportionPlugin.Register(registry);
        PriorityPlugin.Register(registry);
        ElasticPlugin.Register(registry);
        KubeflowPlugin.Register(registry);
        RayPlugin.Register(registry);
        PodOrderLabelPlugin.Register(registry);
        NodeAvailabilityPlugin.Register(registry);
        ResourceTypePlugin.Register(registry);
        NodePlacementPlugin.Register(registry);
        GpuPackPlugin.Register(registry);
        GpuSpreadPlugin.Register(registry);
        GpuSharingOrderPlugin.Register(registry);
        MinRuntimePlugin.Register(registry);
        PodAffinityPlugin.Register(registry);
        NominatedNodePlugin.Register(registry);
        TopologyPlugin.Register(registry);
        DynamicResourcesPlugin.Register(registry);
        KaiCompatibilityNames.Register(registry);
        return registry.UseDefaultPlugins(DefaultPlugins);
    }
}
