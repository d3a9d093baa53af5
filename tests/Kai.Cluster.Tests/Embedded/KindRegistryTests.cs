using k8s.Models;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

public sealed class KindRegistryTests
{
    [Fact]
    public void CreateWithBuiltIns_WhenQueried_DerivesKeysFromEntityAttributes()
    {
        var kinds = KindRegistry.CreateWithBuiltIns();

        var pod = kinds.Get<V1Pod>();
        var priority = kinds.Get<V1PriorityClass>();

        Assert.Equal((new KindKey("v1", "Pod"), "pods", true, true), (pod.Key, pod.Plural, pod.IsNamespaced, pod.HasStatusSubresource));
        Assert.Equal((new KindKey("scheduling.k8s.io/v1", "PriorityClass"), false, false), (priority.Key, priority.IsNamespaced, priority.HasStatusSubresource));
        Assert.False(kinds.Get<V1Node>().IsNamespaced);
        Assert.Same(pod, kinds.Get(new KindKey("v1", "Pod")));
    }

    [Fact]
    public void Register_WhenAlreadyRegistered_Throws()
    {
        var kinds = KindRegistry.CreateWithBuiltIns();

        Assert.Throws<ArgumentException>(() => kinds.Register<V1Pod>(KindScope.Namespaced));
    }

    [Fact]
    public void Register_WhenCustomType_UsesAttributeGroupAndPlural()
    {
        var kinds = new KindRegistry();

        var widget = kinds.Register<Widget>(KindScope.Namespaced);

        Assert.Equal(("test.kai.io", "widgets", true), (widget.Key.Group, widget.Plural, widget.HasStatusSubresource));
        Assert.Equal(widget.Key, KindKey.Of<Widget>());
    }

    [Fact]
    public void CreateRegistry_WhenAModelHasNoPluralName_DerivesItFromTheKindNotTheTypeName()
    {
        var kinds = KaiKinds.CreateRegistry();

        Assert.Equal("resourceclaims", kinds.Get<Resourcev1ResourceClaim>().Plural);
        Assert.Equal("resourceclaimtemplates", kinds.Get<V1ResourceClaimTemplate>().Plural);
        Assert.Equal("deviceclasses", kinds.Get<V1DeviceClass>().Plural);
        Assert.Equal("resourceslices", kinds.Get<V1ResourceSlice>().Plural);
    }

    [Theory]
    [InlineData("Policy", "policies")]
    [InlineData("Gateway", "gateways")]
    [InlineData("DeviceClass", "deviceclasses")]
    [InlineData("Box", "boxes")]
    [InlineData("Pod", "pods")]
    public void DefaultPlural_WhenGivenAKind_FollowsEnglishPlurals(string kind, string plural) =>
        Assert.Equal(plural, KindRegistry.DefaultPlural(kind));
}
