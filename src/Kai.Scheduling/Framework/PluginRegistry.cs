using Kai.Scheduling.Configuration;
using Kai.Scheduling.Framework.Extensions;
using Kai.Scheduling.Model;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Plugins.Ordering;
using Kai.Scheduling.Plugins.Predicates;
using Kai.Scheduling.Plugins.Proportion;
using Kai.Scheduling.Plugins.Scoring;

namespace Kai.Scheduling.Framework;

/// <summary>
/// Maps plugin names to factories. A registry is a value: build one, add to it, hand it to the engine;
/// nothing is registered globally and order comes from configuration, not from registration.
/// </summary>
public sealed class PluginRegistry
{
    private readonly Dictionary<string, Func<SchedulerConfiguration, IEnumerable<ISchedulerPlugin>>> _factories = new(StringComparer.Ordinal);

    /// <summary>Every KAI plugin this engine implements, under KAI's names.</summary>
    public static PluginRegistry Default { get; } = CreateDefault();

    /// <summary>Registers a plugin factory; a name may be registered once.</summary>
    public PluginRegistry Add(string name, Func<SchedulerConfiguration, IEnumerable<ISchedulerPlugin>> factory)
    {
        if (!_factories.TryAdd(name, factory))
        {
            throw new ArgumentException($"Plugin '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    internal PluginPipeline Build(SchedulerConfiguration configuration)
    {
        var plugins = new List<ISchedulerPlugin>();
        foreach (var name in configuration.Plugins)
        {
            if (_factories.TryGetValue(name, out var factory))
            {
                plugins.AddRange(factory(configuration));
            }
        }

        return new PluginPipeline(plugins);
    }

    private static PluginRegistry CreateDefault()
    {
        var registry = new PluginRegistry();
        registry.Add(PluginNames.Predicates, _ =>
            [new NodeConditionPredicate(), new TaintTolerationPredicate(), new NodeSelectorPredicate(), new NodeAffinityPredicate(), new HostPortsPredicate()]);
        registry.Add(PluginNames.Proportion, c => [new ProportionPlugin(c.Proportion, c.AllowConsolidatingReclaim)]);
        registry.Add(PluginNames.MinRuntime, c => [new MinRuntimePlugin(c.MinRuntime)]);
        registry.Add(PluginNames.Priority, _ => [new PriorityPlugin()]);
        registry.Add(PluginNames.Elastic, _ => [new ElasticPlugin()]);
        registry.Add(PluginNames.Kubeflow, _ => [new RolePlugin(PluginNames.Kubeflow, PodRole.KubeflowLeader)]);
        registry.Add(PluginNames.Ray, _ => [new RolePlugin(PluginNames.Ray, PodRole.RayHead)]);
        registry.Add(PluginNames.PodOrder, _ => [new PodOrderLabelPlugin()]);
        registry.Add(PluginNames.NodeAvailability, _ => [new NodeAvailabilityPlugin()]);
        registry.Add(PluginNames.ResourceType, _ => [new ResourceTypePlugin()]);
        registry.Add(PluginNames.NodePlacement, c => [new NodePlacementPlugin(c.Placement)]);

        // Accepted so KAI configurations load unchanged; their behaviour lives elsewhere in this engine or is
        // not implemented yet (see docs/configuration.md): sub-group order is built into the allocation
        // quantum, and GPU sharing, DRA, topology and nominated-node scoring come with the features that need them.
        foreach (var name in new[]
                 {
                     PluginNames.SubGroupOrder, PluginNames.GpuPack, PluginNames.GpuSpread, PluginNames.GpuSharingOrder,
                     PluginNames.NominatedNode, PluginNames.DynamicResources, PluginNames.Topology,
                     PluginNames.Snapshot, PluginNames.PodAffinity,
                 })
        {
            registry.Add(name, _ => []);
        }

        return registry;
    }
}
