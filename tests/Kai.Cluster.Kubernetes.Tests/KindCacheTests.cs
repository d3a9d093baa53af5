using k8s.Models;
using Kai.Cluster.Kubernetes.Reflection;
using Kai.Cluster.Port;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>Read-your-writes bookkeeping when a write's answer and the watch race each other.</summary>
public sealed class KindCacheTests
{
    private static readonly ObjectKey Key = new("default", "p");

    [Fact]
    public void RecordWrite_WhenTheWatchShowedTheDeletionBeforeTheDeleteAnswered_RemembersNothing()
    {
        var cache = NewCache();
        cache.Observed[Key] = Pod("10");
        cache.Observed.Remove(Key);
        cache.ObserveGone(Key, "12");

        cache.RecordWrite(Key, null, "10");

        Assert.Empty(cache.Written);
        Assert.Null(cache.Read(Key));
    }

    [Fact]
    public void RecordWrite_WhenTheCreatedObjectWasDeletedBeforeTheCreateAnswered_DoesNotBringItBack()
    {
        var cache = NewCache();
        cache.ObserveGone(Key, "21");

        cache.RecordWrite(Key, Pod("20"), "20");

        Assert.Empty(cache.Written);
        Assert.Empty(cache.ReadAll());
    }

    [Fact]
    public void RecordWrite_WhenTheObjectIsCreatedAgainAfterADeletion_RemembersTheNewObject()
    {
        var cache = NewCache();
        cache.ObserveGone(Key, "21");

        cache.RecordWrite(Key, Pod("30"), "30");

        Assert.Equal("30", cache.Read(Key)?.Metadata.ResourceVersion);
    }

    private static KindCache NewCache() => new(KindRegistry.CreateWithBuiltIns().Get<V1Pod>());

    private static V1Pod Pod(string resourceVersion) =>
        new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", ResourceVersion = resourceVersion } };
}
