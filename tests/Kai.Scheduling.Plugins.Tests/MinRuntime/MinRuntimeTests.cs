using Kai.Scheduling.Configuration;
using Kai.Scheduling.Plugins.MinRuntime;
using Kai.Scheduling.Snapshots;
using Kai.Scheduling.Tests.Builders;
using Kai.Scheduling.Tests.Disruption;

namespace Kai.Scheduling.Plugins.Tests.MinRuntime;

/// <summary>
/// Min-runtime protection (spec §11): preempt resolves the victim queue's preemptMinRuntime (else the nearest
/// ancestor's, else the default); reclaim resolves reclaimMinRuntime from one level below the lowest common
/// ancestor (lca) or from the victim's leaf (queue); protected elastic victims may lose only pods above min.
/// </summary>
public sealed class MinRuntimeTests
{
    private static readonly SchedulerConfiguration Config = SchedulerConfiguration.Default.WithoutConsolidation();
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    [Fact]
    public void RunCycle_WhenVictimsStartedWithinTheirQueuesPreemptMinRuntime_PreemptLeavesThemAndSaysWhy()
    {
        var state = PreemptCluster().State()
            .MinRuntimes("q", preempt: TenMinutes, reclaim: null)
            .StartedAt(A.MinutesAgo(1), "v0", "v1");

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 within their min-runtime"], result.Notes("hi", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenTheMinRuntimeHasPassed_PreemptEvicts()
    {
        var state = PreemptCluster().State()
            .MinRuntimes("q", preempt: TenMinutes, reclaim: null)
            .StartedAt(A.MinutesAgo(10), "v0", "v1");

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v1-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenOnlyTheDefaultPreemptMinRuntimeIsSet_ItProtects()
    {
        var state = PreemptCluster().State().StartedAt(A.MinutesAgo(1), "v0", "v1");
        var config = Config.WithMinRuntime(new MinRuntimeOptions { PreemptMinRuntime = TenMinutes });

        var result = state.Run(config);

        Assert.Empty(result.Decisions);
    }

    [Fact]
    public void RunCycle_WhenTheLeafHasNoPreemptMinRuntime_ItInheritsTheParents()
    {
        var state = PreemptCluster(inDepartment: true).State()
            .MinRuntimes("dept", preempt: TenMinutes, reclaim: null)
            .StartedAt(A.MinutesAgo(1), "v0", "v1");

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 2 within their min-runtime"], result.Notes("hi", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenTheLeafSetsAZeroPreemptMinRuntime_ItOverridesTheParents()
    {
        var state = PreemptCluster(inDepartment: true).State()
            .MinRuntimes("dept", preempt: TenMinutes, reclaim: null)
            .MinRuntimes("q", preempt: TimeSpan.Zero, reclaim: null)
            .StartedAt(A.MinutesAgo(1), "v0", "v1");

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v1-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenResolvingByLcaAcrossDepartments_TheVictimDepartmentsReclaimMinRuntimeProtects()
    {
        // la (in dA) reclaims from lb (in dB): lca resolution starts at dB (10 min), not at lb (0).
        var state = WithCrossDepartmentRuntimes(CrossDepartmentReclaim().State());

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["no running pod group may be evicted: 4 within their min-runtime"], result.Notes("a", ActionKind.Reclaim));
    }

    [Fact]
    public void RunCycle_WhenResolvingByQueueAcrossDepartments_TheVictimLeafsReclaimMinRuntimeApplies()
    {
        var state = WithCrossDepartmentRuntimes(CrossDepartmentReclaim().State());
        var config = Config.WithMinRuntime(new MinRuntimeOptions { ReclaimResolveMethod = MinRuntimeResolveMethod.Queue });

        var result = state.Run(config);

        Assert.Equal(["reclaim evict b3-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenResolvingByLcaBetweenSiblingLeaves_TheVictimLeafsReclaimMinRuntimeApplies()
    {
        // la and lb share the department d (10 min); one level below the lca is lb itself (0).
        var state = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(4))
            .With(A.Queue("d"), A.Queue("la").Parent("d").Gpu(quota: 1), A.Queue("lb").Parent("d").Gpu(quota: 1))
            .With(Workloads.RunningSingles("b", 4, "lb", "n1"))
            .With(Workloads.Pending("a", "la"))
            .State()
            .MinRuntimes("d", preempt: null, reclaim: TenMinutes)
            .MinRuntimes("lb", preempt: null, reclaim: TimeSpan.Zero)
            .StartedAt(A.MinutesAgo(1), "b0", "b1", "b2", "b3");

        var result = state.Run(Config);

        Assert.Equal(["reclaim evict b3-0@n1 for ns/a", "reclaim pipeline a-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAProtectedElasticVictimHasPodsAboveItsMinimum_PreemptMayTakeThose()
    {
        var state = ElasticVictim(preemptorGpus: 2);

        var result = state.Run(Config);

        Assert.Equal(["preempt evict e-3@n1 for ns/hi", "preempt evict e-2@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    [Fact]
    public void RunCycle_WhenAProtectedElasticVictimWouldDropBelowItsMinimum_PreemptIsRefused()
    {
        var state = ElasticVictim(preemptorGpus: 3);

        var result = state.Run(Config);

        Assert.Empty(result.Decisions);
        Assert.Equal(["pod group ns/e is within its min-runtime and would drop below its minimum"], result.Notes("hi", ActionKind.Preempt));
    }

    [Fact]
    public void RunCycle_WhenAVictimNeverStarted_MinRuntimeDoesNotProtectIt()
    {
        // No last-start stamp: not protected, whatever the min-runtime.
        var state = PreemptCluster().State().MinRuntimes("q", preempt: TenMinutes, reclaim: null);

        var result = state.Run(Config);

        Assert.Equal(["preempt evict v1-0@n1 for ns/hi", "preempt pipeline hi-0@n1"], result.Texts());
    }

    /// <summary>n1 (2 GPUs) holds v0, v1 (priority 50) in q; hi (75) wants 1 GPU.</summary>
    private static Cluster PreemptCluster(bool inDepartment = false)
    {
        var cluster = new Cluster().WithoutDefaultQueue()
            .With(A.Node("n1").Gpus(2))
            .With(Workloads.RunningSingles("v", 2, "q", "n1"))
            .With(Workloads.Pending("hi", "q", priority: 75));
        return inDepartment ? cluster.With(A.Queue("dept"), A.Queue("q").Parent("dept")) : cluster.With(A.Queue("q"));
    }

    /// <summary>dA (quota 2) &gt; la, dB (quota 2) &gt; lb; lb holds 4 GPUs started a minute ago; dB reclaim min-runtime 10m, lb 0.</summary>
    private static Cluster CrossDepartmentReclaim() => new Cluster().WithoutDefaultQueue()
        .With(A.Node("n1").Gpus(4))
        .With(A.Queue("dA").Gpu(quota: 2), A.Queue("dB").Gpu(quota: 2), A.Queue("la").Parent("dA"), A.Queue("lb").Parent("dB"))
        .With(Workloads.RunningSingles("b", 4, "lb", "n1"))
        .With(Workloads.Pending("a", "la"));

    private static ClusterState WithCrossDepartmentRuntimes(ClusterState state) => state
        .MinRuntimes("dB", preempt: null, reclaim: TenMinutes)
        .MinRuntimes("lb", preempt: null, reclaim: TimeSpan.Zero)
        .StartedAt(A.MinutesAgo(1), "b0", "b1", "b2", "b3");

    /// <summary>e: minimum 2, 4 pods on n1 (4 GPUs), started a minute ago, q protects 10 min; hi (75) wants GPUs.</summary>
    private static ClusterState ElasticVictim(double preemptorGpus) => new Cluster()
        .With(A.Node("n1").Gpus(4))
        .With(A.PodGroup("e").MinMember(2).Created(A.MinutesAgo(30)).Members(4, gpu: 1, with: p => p.Running("n1")))
        .With(Workloads.Pending("hi", "q", gpu: preemptorGpus, priority: 75))
        .State()
        .MinRuntimes("q", preempt: TenMinutes, reclaim: null)
        .StartedAt(A.MinutesAgo(1), "e");
}
