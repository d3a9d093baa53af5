using Kai.Controllers.Hosting;

namespace Kai.Controllers.Tests.Hosting;

/// <summary>The components kai run takes by name, and the Leases KAI's deployments elect their leaders on.</summary>
public sealed class ComponentsTests
{
    [Theory]
    [InlineData("scheduler", Component.Scheduler, "kai-scheduler")]
    [InlineData("binder", Component.Binder, "2ad35f9c.kai.scheduler")]
    [InlineData("pod-grouper", Component.PodGrouper, "54dff599.kai.scheduler")]
    [InlineData("podgroupcontroller", Component.PodGroupController, "o1x22tjj.kai.scheduler")]
    [InlineData("podgroup-controller", Component.PodGroupController, "o1x22tjj.kai.scheduler")]
    [InlineData("Queue-Controller", Component.QueueController, "ov3xj497.kai.scheduler")]
    public void TryParse_WhenGivenKaisNames_FindsTheComponentAndItsLease(string name, Component expected, string lease)
    {
        Assert.True(Components.TryParse(name, out var component));

        Assert.Equal(expected, component);
        Assert.Equal(lease, Components.LeaseNameOf(component, "kai-scheduler", partition: null));
    }

    [Fact]
    public void TryParse_WhenTheNameIsUnknown_Fails() => Assert.False(Components.TryParse("autoscaler", out _));
}
