using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Tests.Resources;

public sealed class ResourceVectorFitTests
{
    private static readonly ResourceVector Capacity = new(4000, 8192, 2000, 10, [0, 3]);

    [Fact]
    public void FitsIn_WhenEveryDimensionIsAtMostCapacity_IsTrue()
    {
        var request = new ResourceVector(4000, 8192, 2000, 10, [0, 3]);

        Assert.True(request.FitsIn(Capacity));
        Assert.Null(request.FirstShortage(Capacity));
    }

    [Fact]
    public void FitsIn_WhenCapacityHasExtendedTheRequestDoesNotNeed_IsTrue()
    {
        var request = new ResourceVector(1000, 0, 0, 1);

        Assert.True(request.FitsIn(Capacity));
    }

    [Fact]
    public void FitsIn_WhenRequestNeedsExtendedBeyondCapacityLength_IsFalse()
    {
        var request = new ResourceVector(0, 0, 0, 1, [0, 0, 1]);

        Assert.False(request.FitsIn(Capacity));
        Assert.Equal(ResourceName.ExtendedAt(2), request.FirstShortage(Capacity));
    }

    [Fact]
    public void FitsIn_WhenPodSlotsRunOut_IsFalse()
    {
        var request = new ResourceVector(0, 0, 0, 11);

        Assert.False(request.FitsIn(Capacity));
        Assert.Equal(ResourceName.Pods, request.FirstShortage(Capacity));
    }

    [Fact]
    public void FirstShortage_WhenGpuAndCpuBothShort_NamesGpuFirst()
    {
        var request = new ResourceVector(5000, 9000, 3000, 1);

        var shortage = request.FirstShortage(Capacity);

        Assert.Equal(ResourceName.Gpu, shortage);
    }

    [Fact]
    public void FirstShortage_WhenCpuAndMemoryShort_NamesCpuBeforeMemory()
    {
        var request = new ResourceVector(5000, 9000, 0, 1);

        var shortage = request.FirstShortage(Capacity);

        Assert.Equal(ResourceName.Cpu, shortage);
    }

    [Fact]
    public void FirstShortage_WhenOnlyMemoryShort_NamesMemory()
    {
        var request = new ResourceVector(0, 9000, 0, 1);

        var shortage = request.FirstShortage(Capacity);

        Assert.Equal(ResourceName.Memory, shortage);
        Assert.Equal("memory", shortage!.Value.ToKubernetesName(new ResourceCatalog()));
    }

    [Fact]
    public void FirstShortage_WhenExtendedShort_NamesItThroughTheCatalog()
    {
        var catalog = new ResourceCatalog();
        var hugepages = catalog.IndexOf("hugepages-2Mi");
        var request = new ResourceVector(0, 0, 0, 0, [5]);

        var shortage = request.FirstShortage(new ResourceVector(0, 0, 0, 0, [4]));

        Assert.Equal(0, hugepages);
        Assert.Equal("hugepages-2Mi", shortage!.Value.ToKubernetesName(catalog));
    }
}
