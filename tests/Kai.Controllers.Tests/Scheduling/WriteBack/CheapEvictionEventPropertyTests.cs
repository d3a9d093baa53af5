using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster.Port;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;
using Microsoft.Extensions.Time.Testing;
using PodGroup = Kai.Cluster.Crds.PodGroup;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

/// <summary>
/// The Evict event written the cheap way (its message in one string, one reference per group object) against the way
/// before (formatted in parts, a reference per event): on random runs of evictions — gangs' pods one after another,
/// groups written between two of their evictions, groups that are gone, repeats of the same event — every change the
/// store makes is the same, object for object as JSON, so the events people read are too.
/// </summary>
public sealed class CheapEvictionEventPropertyTests
{
    private const string Namespace = "team-a";
    private const int Groups = 4;

    /// <summary>One step: evict pod <c>Pod</c> of group <c>Group</c> (a group index of <see cref="Groups"/> is one that does not exist), or write the group.</summary>
    private sealed record Step(bool WritesGroup, int Group, int Pod, int Why, ActionKind Action);

    private static readonly Gen<Step> GenStep =
        Gen.Select(Gen.Int[0, 9].Select(i => i == 0), Gen.Int[0, Groups], Gen.Int[0, 5], Gen.Int[0, 2], Gen.Enum<ActionKind>())
            .Select((writes, group, pod, why, action) => new Step(writes, group, pod, why, action));

    [Fact]
    public async Task EvictedAsync_WrittenCheaply_StoresWhatTheWriterBeforeStored()
    {
        var sharedReferences = 0;
        await GenStep.Array[1, 60].SampleAsync(
            async steps =>
            {
                var before = await RunAsync(steps, cheaply: false);
                var cheap = await RunAsync(steps, cheaply: true);
                Assert.Equal(before, cheap);
                sharedReferences += steps.Zip(steps.Skip(1)).Count(p => !p.First.WritesGroup && !p.Second.WritesGroup && p.First.Group == p.Second.Group && p.First.Group < Groups);
            },
            iter: 200,
            threads: 1);

        // The comparison means something only if a gang's evictions came one after another, so one reference served them.
        Assert.True(sharedReferences >= 200, $"only {sharedReferences} evictions followed one of the same group");
    }

    [Fact]
    public void EvictedMessage_IsKaisText()
    {
        var pod = new PodKey(Namespace, "p0");
        var group = new PodGroupKey(Namespace, "g");
        SchedulingDecision Evict(PodGroupKey? preemptor, string? cause) =>
            new(ActionKind.Reclaim, DecisionKind.Evict, pod, "uid", null, group, GpuGrant.None, preemptor, cause);

        Assert.Equal("Pod team-a/p0 was evicted by reclaim to make room for pod group team-b/big.", SchedulingEventWriter.EvictedMessage(Evict(new PodGroupKey("team-b", "big"), null)));
        Assert.Equal("Pod team-a/p0 was evicted by reclaim: gang is stale.", SchedulingEventWriter.EvictedMessage(Evict(null, "gang is stale")));
        Assert.Equal("Pod team-a/p0 was evicted by reclaim.", SchedulingEventWriter.EvictedMessage(Evict(null, null)));
    }

    /// <summary>Runs the steps on a fresh cluster; returns every change the store made after its load, as text.</summary>
    private static async Task<List<string>> RunAsync(Step[] steps, bool cheaply)
    {
        var cluster = TestCluster.Create(new FakeTimeProvider(TestCluster.Epoch));
        for (var g = 0; g < Groups; g++)
        {
            await cluster.CreateAsync(new PodGroup { Metadata = new V1ObjectMeta { Name = $"g{g}", NamespaceProperty = Namespace } });
        }

        using var feed = await cluster.SubscribeAsync(new ChangeFeedOptions());
        var writer = new SchedulingEventWriter(cluster) { WritesEvictionsCheaply = cheaply };
        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            if (step.WritesGroup && step.Group < Groups)
            {
                var group = (await cluster.GetAsync<PodGroup>(Namespace, $"g{step.Group}"))!;
                await cluster.ReplaceAsync(new PodGroup
                {
                    Metadata = new V1ObjectMeta { Name = group.Metadata.Name, NamespaceProperty = Namespace, ResourceVersion = group.Metadata.ResourceVersion, Annotations = new Dictionary<string, string> { ["step"] = $"{i}" } },
                });
                continue;
            }

            await writer.EvictedAsync(Evict(step), default);
        }

        var changes = new List<string>();
        while (feed.Changes.TryRead(out var change))
        {
            changes.Add($"{change.Type} {change.Kind} {change.ResourceVersion} {KubernetesJson.Serialize(change.Object)}");
        }

        return changes;
    }

    private static SchedulingDecision Evict(Step step) =>
        new(
            step.Action,
            DecisionKind.Evict,
            new PodKey(Namespace, $"p{step.Pod}"),
            $"uid-{step.Pod}",
            null,
            new PodGroupKey(Namespace, $"g{step.Group}"),
            GpuGrant.None,
            step.Why == 0 ? new PodGroupKey("team-b", $"preemptor{step.Pod % 2}") : null,
            step.Why == 1 ? "its gang is stale" : null);
}
