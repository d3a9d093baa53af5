using System.Globalization;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class ChangeHistoryTests
{
    [Fact]
    public void After_WhenGrownAndWrapped_ReturnsRetainedWindowInOrder()
    {
        var history = new ChangeHistory(capacity: 300);

        for (var version = 1L; version <= 700; version++)
        {
            history.Add(version, Change(version));
        }

        Assert.Equal(400, history.CompleteAfter);
        Assert.Equal(
            Enumerable.Range(551, 150).Select(v => v.ToString(CultureInfo.InvariantCulture)),
            history.After(550).Select(c => c.ResourceVersion));
        Assert.Equal(300, history.After(400).Count());
    }

    [Theory]
    [InlineData(300)]
    [InlineData(1_000)]
    [InlineData(5_000)]
    [InlineData(6_000)]
    public void After_AtEveryCountThroughEachGrowth_ReturnsTheLastChangesUpToTheCapacity(int capacity)
    {
        // Doubling from 256, then straight to the capacity past half of it: every step and the wrap are crossed.
        var history = new ChangeHistory(capacity);
        for (var version = 1L; version <= 3L * capacity; version++)
        {
            history.Add(version, Change(version));
            if (version % 97 == 0 || version == capacity || version == capacity + 1)
            {
                var retained = Math.Min(version, capacity);
                Assert.Equal(version - retained, history.CompleteAfter);
                Assert.Equal(
                    Enumerable.Range((int)(version - retained + 1), (int)retained).Select(v => v.ToString(CultureInfo.InvariantCulture)),
                    history.After(0).Select(c => c.ResourceVersion));
            }
        }
    }

    [Fact]
    public void Add_WhenCapacityZero_RetainsNothing()
    {
        var history = new ChangeHistory(capacity: 0);

        history.Add(5, Change(5));

        Assert.Equal(5, history.CompleteAfter);
        Assert.Empty(history.After(0));
    }

    private static ClusterChange Change(long version) =>
        new(ChangeType.Added, KindKey.Of<V1Pod>(), new V1Pod(), version.ToString(CultureInfo.InvariantCulture));
}
