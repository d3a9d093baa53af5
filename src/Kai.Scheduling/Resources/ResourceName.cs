namespace Kai.Scheduling.Resources;

/// <summary>Names one dimension of a <see cref="ResourceVector"/>.</summary>
public readonly record struct ResourceName
{
    private ResourceName(ResourceDimension dimension, int extendedIndex)
    {
        Dimension = dimension;
        ExtendedIndex = extendedIndex;
    }

    public static ResourceName Cpu { get; } = new(ResourceDimension.Cpu, -1);

    public static ResourceName Memory { get; } = new(ResourceDimension.Memory, -1);

    public static ResourceName Gpu { get; } = new(ResourceDimension.Gpu, -1);

    public static ResourceName Pods { get; } = new(ResourceDimension.Pods, -1);

    public ResourceDimension Dimension { get; }

    public int ExtendedIndex { get; }

    public static ResourceName ExtendedAt(int index) => new(ResourceDimension.Extended, index);

    /// <summary>The Kubernetes name of this resource, e.g. <c>nvidia.com/gpu</c>.</summary>
    public string ToKubernetesName(ResourceCatalog catalog) => Dimension switch
    {
        ResourceDimension.Cpu => "cpu",
        ResourceDimension.Memory => "memory",
        ResourceDimension.Gpu => ResourceCatalog.GpuResourceName,
        ResourceDimension.Pods => "pods",
        _ => catalog.NameOf(ExtendedIndex),
    };
}

public enum ResourceDimension
{
    Cpu,
    Memory,
    Gpu,
    Pods,
    Extended,
}
