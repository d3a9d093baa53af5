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
