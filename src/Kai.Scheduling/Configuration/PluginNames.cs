namespace Kai.Scheduling.Configuration;

/// <summary>KAI's plugin names. Plugins are configured by these names, as in KAI's scheduler config.</summary>
public static class PluginNames
{
    public const string Predicates = "predicates";
    public const string Proportion = "proportion";
    public const string Priority = "priority";
    public const string Elastic = "elastic";
    public const string Kubeflow = "kubeflow";
    public const string Ray = "ray";

    /// <summary>KAI calls it "taskorder"; it orders the pods of a group by the label kai.scheduler/task-priority.</summary>
    public const string PodOrder = "taskorder";

    public const string SubGroupOrder = "subgrouporder";
    public const string NodeAvailability = "nodeavailability";
    public const string ResourceType = "resourcetype";
    public const string NodePlacement = "nodeplacement";
    public const string GpuPack = "gpupack";
    public const string GpuSpread = "gpuspread";
    public const string GpuSharingOrder = "gpusharingorder";
    public const string NominatedNode = "nominatednode";
    public const string MinRuntime = "minruntime";
    public const string Topology = "topology";
    public const string DynamicResources = "dynamicresources";
    public const string PodAffinity = "podaffinity";
    public const string Snapshot = "snapshot";

    /// <summary>KAI's built-in plugin list (a scheduler started without configuration).</summary>
    public static IReadOnlyList<string> Defaults { get; } =
    [
        Predicates, Proportion, Priority, Elastic, Kubeflow, Ray, NodeAvailability, GpuSharingOrder, GpuPack,
        ResourceType, SubGroupOrder, PodOrder, NominatedNode, DynamicResources, NodePlacement, MinRuntime, Topology,
        Snapshot,
    ];

    public static IReadOnlySet<string> Known { get; } = new HashSet<string>(
        [.. Defaults, GpuSpread, PodAffinity], StringComparer.Ordinal);
}
