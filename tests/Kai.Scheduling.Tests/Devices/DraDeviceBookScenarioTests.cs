using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Tests.Builders;
using Kai.Scheduling.Tests.Disruption;

namespace Kai.Scheduling.Tests.Devices;

/// <summary>
/// DRA devices that are not GPUs (a node's NICs): a claim needs free devices of its class on the node — not held by a
/// claim allocated before, nor by one allocated earlier in the cycle — a shared claim takes its devices once, an
/// eviction frees a claim's devices for a pipelined placement, and bind decisions name the devices each claim gets.
/// </summary>
public sealed class DraDeviceBookScenarioTests
{
    private const string Nic = "nic.example.com";
    private static readonly SchedulerConfiguration AllocateOnly = SchedulerConfiguration.Default with { Actions = [ActionKind.Allocate] };

    [Fact]
    public void RunCycle_WhenTwoClaimsWantANodesOnlyNic_TheSecondWaitsWithTheReason()
    {
        var state = new Cluster()
            .With(A.Node("a").DraDevices(1, Nic))
            .With(A.PodGroup("p").InQueue("q").Created(A.MinutesAgo(2)).Pod("p-0", p => p.Claim("ns/c1", deviceClass: "nic", driver: Nic)))
            .With(A.PodGroup("r").InQueue("q").Created(A.MinutesAgo(1)).Pod("r-0", p => p.Claim("ns/c2", deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Equal(["allocate bind p-0@a"], result.Texts());
        Assert.Contains("node a has 0 free devices of class nic; resource claim ns/c2 needs 1", result.Explanation("r").FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenTwoClaimsWantOneNicAndTwoNodesHaveOne_TheyGoToDifferentNodes()
    {
        // Binpack would put both on the fuller node; the second claim finds no free NIC there.
        var state = new Cluster()
            .With(A.Node("a").DraDevices(1, Nic), A.Node("b").DraDevices(1, Nic))
            .With(A.PodGroup("p").InQueue("q").Created(A.MinutesAgo(2)).Pod("p-0", p => p.Claim("ns/c1", deviceClass: "nic", driver: Nic)))
            .With(A.PodGroup("r").InQueue("q").Created(A.MinutesAgo(1)).Pod("r-0", p => p.Claim("ns/c2", deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(AllocateOnly);

        var binds = result.Decisions.Where(d => d.Kind == DecisionKind.Bind).ToList();
        Assert.Equal(2, binds.Count);
        Assert.Equal(2, binds.Select(d => d.Node).Distinct().Count());
        Assert.Equal(["nic.example.com/a/0", "nic.example.com/b/0"], binds.SelectMany(d => d.Claims).SelectMany(g => g.Devices).Select(d => d.Device.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RunCycle_WhenARunningPodsClaimHoldsTheNic_ANewClaimWaits()
    {
        var state = new Cluster()
            .With(A.Node("a").DraDevices(1, Nic))
            .With(A.PodGroup("old").InQueue("q").Pod("old-0", p => p.Claim("ns/held", allocatedNode: "a", allocatedDevices: "nic.example.com/a/0").Running("a")))
            .With(A.PodGroup("p").InQueue("q").Pod("p-0", p => p.Claim("ns/c", deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Empty(result.Decisions);
        Assert.Contains("node a has 0 free devices of class nic; resource claim ns/c needs 1", result.Explanation("p").FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenAClaimAsksForTwoNicsAndOneIsFree_ItWaits()
    {
        var state = new Cluster()
            .With(A.Node("a").DraDevices(2, Nic))
            .With(A.PodGroup("old").InQueue("q").Pod("old-0", p => p.Claim("ns/held", allocatedNode: "a", allocatedDevices: "nic.example.com/a/1").Running("a")))
            .With(A.PodGroup("p").InQueue("q").Pod("p-0", p => p.Claim("ns/c", devices: 2, deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Empty(result.Decisions);
        Assert.Contains("node a has 1 free devices of class nic; resource claim ns/c needs 2", result.Explanation("p").FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenTwoPodsShareAClaimForTheOnlyNic_BothBindAndTheClaimHoldsItOnce()
    {
        var state = new Cluster()
            .With(A.Node("a").DraDevices(1, Nic))
            .With(A.PodGroup("g").InQueue("q").MinMember(2).Created(A.MinutesAgo(2))
                .Pod("g-0", p => p.Claim("ns/shared", deviceClass: "nic", driver: Nic))
                .Pod("g-1", p => p.Claim("ns/shared", deviceClass: "nic", driver: Nic)))
            .With(A.PodGroup("r").InQueue("q").Created(A.MinutesAgo(1)).Pod("r-0", p => p.Claim("ns/other", deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Equal(["allocate bind g-0@a", "allocate bind g-1@a"], result.Texts().Order(StringComparer.Ordinal));
        Assert.All(result.Decisions, d => Assert.Equal("ns/shared:nic.example.com/a/0", string.Join(",", d.Claims.Select(g => $"{g.Claim}:{string.Join("+", g.Devices.Select(x => x.Device))}"))));
        Assert.Contains("node a has 0 free devices of class nic; resource claim ns/other needs 1", result.Explanation("r").FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenTheClaimsClassNamesAnotherDriver_TheNodesOtherDevicesDoNotCount()
    {
        var state = new Cluster()
            .With(A.Node("a").Gpus(2).DraDevices(2, "gpu.example.com").DraDevices(1, Nic))
            .With(A.PodGroup("p").InQueue("q").Pod("p-0", p => p.Claim("ns/c", devices: 2, deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(AllocateOnly);

        Assert.Empty(result.Decisions);
        Assert.Contains("node a publishes 1 devices of class nic; resource claim ns/c needs 2", result.Explanation("p").FullMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RunCycle_WhenTheNicHoldersPodIsReclaimed_TheReclaimerIsPipelinedOntoTheReleasingNic()
    {
        // GPUs are plenty: only the NIC makes the reclaimer wait, so it is pipelined (not bound) until the claim is freed.
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(4).DraDevices(1, Nic))
            .With(A.Queue("qa").Gpu(quota: 2), A.Queue("qb").Gpu(quota: 0))
            .With(A.PodGroup("b").InQueue("qb").Created(A.MinutesAgo(60)).Pod("b-0", p => p.Gpu(1).Claim("ns/cb", allocatedNode: "n1", allocatedDevices: "nic.example.com/n1/0").Running("n1")))
            .With(A.PodGroup("a").InQueue("qa").Created(A.MinutesAgo(5)).Pod("a-0", p => p.Gpu(1).Claim("ns/ca", deviceClass: "nic", driver: Nic)))
            .State();

        var result = state.Run(SchedulerConfiguration.Default.WithoutConsolidation());

        Assert.Equal(["reclaim evict b-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
        Assert.All(result.Decisions, d => Assert.Empty(d.Claims));
    }
}
