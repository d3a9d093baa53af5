using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Tests.Resources;

public sealed class ResourceVectorArithmeticTests
{
    [Fact]
    public void Add_WhenExtendedLengthsDiffer_SumsEveryDimension()
    {
        var a = new ResourceVector(1000, 2048, 500, 1, [3]);
        var b = new ResourceVector(250, 1024, 1500, 2, [0, 4]);

        var sum = a + b;

        Assert.Equal(new ResourceVector(1250, 3072, 2000, 3, [3, 4]), sum);
        Assert.Equal(3, sum.Extended(0));
        Assert.Equal(4, sum.Extended(1));
    }

    [Fact]
    public void Subtract_WhenOnlyLeftHasExtended_KeepsLeftExtended()
    {
        var a = new ResourceVector(1000, 0, 2000, 1, [7]);
        var b = new ResourceVector(400, 0, 1000, 1);

        var difference = a - b;

        Assert.Equal(new ResourceVector(600, 0, 1000, 0, [7]), difference);
    }

    [Fact]
    public void Subtract_WhenOnlyRightHasExtended_NegatesIt()
    {
        var a = new ResourceVector(1000, 0, 0, 1);
        var b = new ResourceVector(0, 0, 0, 0, [0, 5]);

        var difference = a - b;

        Assert.Equal(-5, difference.Extended(1));
        Assert.Equal(new ResourceVector(1000, 0, 0, 1, [0, -5]), difference);
    }

    [Fact]
    public void Subtract_WhenSubtractingItself_IsZeroWithoutExtended()
    {
        var a = new ResourceVector(1000, 2048, 500, 1, [3, 9]);

        var difference = a - a;

        Assert.True(difference.IsZero);
        Assert.False(difference.HasExtended);
        Assert.Equal(ResourceVector.Zero, difference);
    }

    [Fact]
    public void Max_TakesElementwiseMaximumIncludingExtended()
    {
        var a = new ResourceVector(1000, 10, 3000, 5, [1, 8]);
        var b = new ResourceVector(2000, 5, 1000, 7, [4]);

        var max = a.Max(b);

        Assert.Equal(new ResourceVector(2000, 10, 3000, 7, [4, 8]), max);
    }

    [Fact]
    public void QueueResources_KeepsCpuMemoryGpuOnly()
    {
        var a = new ResourceVector(1000, 2048, 500, 3, [3]);

        var queueResources = a.QueueResources;

        Assert.Equal(new ResourceVector(1000, 2048, 500), queueResources);
        Assert.Equal(0, queueResources.Pods);
        Assert.False(queueResources.HasExtended);
    }

    [Fact]
    public void Gpus_WhenFractional_ConvertsToMilliGpu()
    {
        var half = ResourceVector.Gpus(0.5);

        Assert.Equal(new ResourceVector(0, 0, 500), half);
    }

    [Fact]
    public void WithPodsAndWithGpu_ReplaceOnlyThatDimension()
    {
        var a = new ResourceVector(1000, 2048, 500, 1, [3]);

        var changed = a.WithPods(4).WithGpu(2000);

        Assert.Equal(new ResourceVector(1000, 2048, 2000, 4, [3]), changed);
    }

    [Fact]
    public void Constructor_WhenCallerMutatesExtendedArrayAfterwards_VectorIsUnchanged()
    {
        var extended = new long[] { 5 };
        var vector = new ResourceVector(0, 0, 0, 0, extended);

        extended[0] = 99;

        Assert.Equal(5, vector.Extended(0));
    }
}
