using Kai.Scheduling.Resources;

namespace Kai.Scheduling.Tests.Resources;

public sealed class ResourceVectorEqualityTests
{
    [Fact]
    public void Equals_WhenExtendedDiffersOnlyByTrailingZeros_IsEqualWithEqualHash()
    {
        var shortForm = new ResourceVector(1, 2, 3, 4, [7]);
        var longForm = new ResourceVector(1, 2, 3, 4, [7, 0, 0]);

        Assert.True(shortForm == longForm);
        Assert.True(longForm.Equals(shortForm));
        Assert.Equal(shortForm.GetHashCode(), longForm.GetHashCode());
    }

    [Fact]
    public void Constructor_WhenExtendedIsAllZeros_HasNoExtended()
    {
        var vector = new ResourceVector(1, 2, 3, 4, [0, 0]);

        Assert.False(vector.HasExtended);
        Assert.Equal(0, vector.ExtendedCount);
        Assert.Equal(new ResourceVector(1, 2, 3, 4), vector);
    }

    [Fact]
    public void Equals_WhenAnExtendedValueDiffers_IsNotEqual()
    {
        var a = new ResourceVector(1, 2, 3, 4, [7, 1]);
        var b = new ResourceVector(1, 2, 3, 4, [7]);

        Assert.True(a != b);
        Assert.False(a.Equals((object)b));
    }

    [Fact]
    public void Equals_WhenPodsDiffer_IsNotEqual()
    {
        var a = new ResourceVector(1, 2, 3, 4);
        var b = new ResourceVector(1, 2, 3, 5);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Zero_IsZeroAndEqualsDefault()
    {
        var zero = ResourceVector.Zero;

        Assert.True(zero.IsZero);
        Assert.Equal(default, zero);
        Assert.Equal(new ResourceVector(0, 0, 0), zero);
    }
}
