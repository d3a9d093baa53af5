using System.Globalization;
using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;
using Microsoft.Extensions.Time.Testing;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>
/// Stored pods with equal specs share one stored spec instance, which no caller handed in and no write mutates: a
/// caller changing the spec it wrote, a bind of one of the pods, or a replace changes no other pod, and what the
/// store holds reads the same as without sharing.
/// </summary>
public sealed class SharedPodSpecsTests
{
    private static readonly IList<V1Container>[] Templates =
    [
        [new V1Container { Name = "main", Image = "trainer" }],
        [new V1Container { Name = "main", Image = "server" }],
        [new V1Container { Name = "main", Image = "builder" }],
    ];

    private static V1Pod PodFrom(string name, int template, string? node = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "team-a" },
        Spec = new V1PodSpec { SchedulerName = "kai-scheduler", Containers = Templates[template], NodeName = node },
    };

    [Fact]
    public async Task CreateAsync_PodsFromOneTemplate_ShareOneStoredSpec()
    {
        var cluster = TestCluster.Create();
        var a = await cluster.CreateAsync(PodFrom("a", 0));
        var b = await cluster.CreateAsync(PodFrom("b", 0));
        var other = await cluster.CreateAsync(PodFrom("c", 1));
        var placed = await cluster.CreateAsync(PodFrom("d", 0, node: "n0"));

        Assert.Same(a.Spec, b.Spec);
        Assert.Same(a.Spec, (await cluster.GetAsync<V1Pod>("team-a", "b"))!.Spec);
        Assert.NotSame(a.Spec, other.Spec);
        Assert.NotSame(a.Spec, placed.Spec);
        Assert.Equal(3, cluster.SharedPodSpecCount);
    }

    [Fact]
    public async Task CreateAsync_WithoutSharing_StoresEachSpecAsWritten()
    {
        var cluster = TestCluster.Create(options: new EmbeddedClusterOptions { SharePodSpecs = false });
        var a = await cluster.CreateAsync(PodFrom("a", 0));
        var b = await cluster.CreateAsync(PodFrom("b", 0));

        Assert.NotSame(a.Spec, b.Spec);
        Assert.Equal(0, cluster.SharedPodSpecCount);
    }

    [Fact]
    public async Task Load_PodsFromOneTemplate_ShareOneStoredSpec()
    {
        var cluster = TestCluster.Create();
        cluster.Load([PodFrom("a", 2, node: "n1"), PodFrom("b", 2, node: "n1")]);

        var pods = (await cluster.ListAsync<V1Pod>()).Items;
        Assert.Same(pods[0].Spec, pods[1].Spec);
    }

    [Fact]
    public async Task CreateAsync_CallerChangesTheSpecItWrote_NoStoredPodChanges()
    {
        var cluster = TestCluster.Create();
        var written = PodFrom("a", 0);
        await cluster.CreateAsync(written);
        await cluster.CreateAsync(PodFrom("b", 0));

        // Against the store's contract, but the shared instance is the store's own copy, not the caller's.
        written.Spec.NodeName = "n9";

        Assert.All((await cluster.ListAsync<V1Pod>()).Items, p => Assert.Null(p.Spec.NodeName));
    }

    [Fact]
    public async Task BindPodAsync_OneOfTwoPodsSharingASpec_LeavesTheOtherUnbound()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(PodFrom("a", 0));
        var b = await cluster.CreateAsync(PodFrom("b", 0));
        var c = await cluster.CreateAsync(PodFrom("c", 0));

        var boundA = await cluster.BindPodAsync("team-a", "a", "n0");
        var boundC = await cluster.BindPodAsync("team-a", "c", "n0");

        Assert.Equal("n0", boundA.Spec.NodeName);
        Assert.Null(b.Spec.NodeName);
        Assert.Null((await cluster.GetAsync<V1Pod>("team-a", "b"))!.Spec.NodeName);
        Assert.Null(c.Spec.NodeName);
        Assert.Same(boundA.Spec, boundC.Spec);
    }

    [Fact]
    public async Task DeleteAsync_ManyPodsWithDistinctSpecs_KeepsOnlyTheSpecsOfStoredPods()
    {
        var cluster = TestCluster.Create();
        for (var i = 0; i < 5000; i++)
        {
            await cluster.CreateAsync(PodFrom("p" + i.ToString(CultureInfo.InvariantCulture), i % 3, node: "n" + i.ToString(CultureInfo.InvariantCulture)));
            await cluster.DeleteAsync<V1Pod>("team-a", "p" + i.ToString(CultureInfo.InvariantCulture), gracePeriodSeconds: 0);
        }

        var kept = await cluster.CreateAsync(PodFrom("last", 0, node: "n4999"));

        Assert.Equal(1, cluster.SharedPodSpecCount);
        Assert.Equal("n4999", kept.Spec.NodeName);
    }

    private enum OpKind
    {
        Create,
        Bind,
        Status,
        Replace,
        Delete,
    }

    private sealed record Op(OpKind Kind, int Pod, int Template, int Node)
    {
        public override string ToString() => $"{Kind} p{Pod} t{Template} n{Node}";
    }

    private static readonly Gen<Op> GenOp = Gen.Select(Gen.Enum<OpKind>(), Gen.Int[0, 7], Gen.Int[0, 2], Gen.Int[0, 2], (kind, pod, template, node) => new Op(kind, pod, template, node));

    [Fact]
    public async Task Writes_WhenRandom_StoreTheSamePodsWithAndWithoutSharing()
    {
        await GenOp.Array[0, 60].SampleAsync(
            async ops =>
            {
                var shared = TestCluster.Create(new FakeTimeProvider(TestCluster.Epoch));
                var unshared = TestCluster.Create(new FakeTimeProvider(TestCluster.Epoch), new EmbeddedClusterOptions { SharePodSpecs = false });
                foreach (var op in ops)
                {
                    var outcomes = new[] { await ApplyAsync(shared, op), await ApplyAsync(unshared, op) };
                    Assert.Equal(outcomes[1], outcomes[0]);
                    await AssertHoldsExactlyTheStoredSpecsAsync(shared);
                }

                Assert.Equal(await PodsJsonAsync(unshared), await PodsJsonAsync(shared));
            },
            iter: 200,
            threads: 1);
    }

    /// <summary>Applies <paramref name="op"/>; returns what happened (the error's kind when it failed).</summary>
    private static async Task<string> ApplyAsync(EmbeddedCluster cluster, Op op)
    {
        var name = "p" + op.Pod.ToString(CultureInfo.InvariantCulture);
        var node = "n" + op.Node.ToString(CultureInfo.InvariantCulture);
        try
        {
            switch (op.Kind)
            {
                case OpKind.Create:
                    await cluster.CreateAsync(PodFrom(name, op.Template, op.Node == 0 ? null : node));
                    break;
                case OpKind.Bind:
                    await cluster.BindPodAsync("team-a", name, node);
                    break;
                case OpKind.Status:
                    var current = await cluster.GetAsync<V1Pod>("team-a", name) ?? throw ClusterException.Invalid("gone");
                    await cluster.ReplaceStatusAsync(current with { Status = new V1PodStatus { Phase = op.Template == 0 ? "Running" : "Succeeded" } });
                    break;
                case OpKind.Replace:
                    var existing = await cluster.GetAsync<V1Pod>("team-a", name) ?? throw ClusterException.Invalid("gone");
                    await cluster.ReplaceAsync(existing with { Spec = existing.Spec with { Containers = Templates[op.Template] } });
                    break;
                default:
                    await cluster.DeleteAsync<V1Pod>("team-a", name, gracePeriodSeconds: 0);
                    break;
            }

            return "ok";
        }
        catch (ClusterException e)
        {
            return e.GetType().Name + " " + e.Message;
        }
    }

    /// <summary>Pods with equal specs hold one instance, and the store counts exactly the instances stored pods hold.</summary>
    private static async Task AssertHoldsExactlyTheStoredSpecsAsync(EmbeddedCluster cluster)
    {
        var specs = (await cluster.ListAsync<V1Pod>()).Items.Select(p => p.Spec).ToList();
        var instances = specs.Distinct(ReferenceEqualityComparer.Instance).Count();
        Assert.Equal(specs.Distinct().Count(), instances);
        Assert.Equal(instances, cluster.SharedPodSpecCount);
    }

    private static async Task<string> PodsJsonAsync(EmbeddedCluster cluster) =>
        KubernetesJson.Serialize((await cluster.ListAsync<V1Pod>()).Items);
}
