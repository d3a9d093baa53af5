using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Port;
using Kai.Controllers.Scheduling.WriteBack;
using Kai.Scheduling.Configuration;
using Kai.Scheduling.Decisions;
using Kai.Scheduling.Model;

namespace Kai.Controllers.Tests.Scheduling.WriteBack;

/// <summary>
/// The compact write-back (a batch's bind requests share their selected-node labels and received GPUs and are handed
/// over to the embedded cluster instead of copied) against the plain one, on random batches: every stored request
/// (as JSON: everything a reader, kubectl or a watch can see), every change on the feeds, and the requests after one of
/// them is edited through the API are the same.
/// </summary>
public sealed class CompactBindRequestPropertyTests
{
    private static readonly string[] Namespaces = ["team-a", "team-b"];

    private sealed record Bind(int Pod, int Namespace, int Node, int Grant, bool Claims, bool Earlier)
    {
        public override string ToString() => $"{Namespaces[Namespace]}/p{Pod}@n{Node} grant{Grant}{(Claims ? " claims" : string.Empty)}{(Earlier ? " earlier" : string.Empty)}";
    }

    private static readonly Gen<Bind> GenBind = Gen.Select(Gen.Int[0, 12], Gen.Int[0, 1], Gen.Int[0, 4], Gen.Int[0, 6], Gen.Bool, Gen.Int[0, 4])
        .Select(t => new Bind(t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6 == 0));

    [Fact]
    public async Task WriteManyAsync_WhenCompact_StoresWhatThePlainWriterStores()
    {
        await GenBind.Array[0, 40].Select(Gen.Int[0, 40]).SampleAsync(async sample => await CompareAsync(sample.Item1, sample.Item2), iter: 150, threads: 1);
    }

    private static async Task CompareAsync(Bind[] binds, int edited)
    {
        // One decision per pod, as a cycle makes.
        var decisions = binds.DistinctBy(b => (b.Pod, b.Namespace)).ToArray();
        var compact = await WriteAsync(decisions, compact: true, edited);
        var plain = await WriteAsync(decisions, compact: false, edited);

        Assert.Equal(plain.Stored, compact.Stored);
        Assert.Equal(plain.Changes, compact.Changes);
        Assert.Equal(plain.Refused, compact.Refused);
    }

    private static async Task<(List<string> Stored, List<string> Changes, List<string> Refused)> WriteAsync(Bind[] binds, bool compact, int edited)
    {
        var (cluster, _) = await WriteBackCluster.CreateAsync();
        foreach (var earlier in binds.Where(b => b.Earlier))
        {
            await new BindRequestWriter(cluster).WriteAsync(DecisionFor(earlier with { Grant = 0 }), claims: null, default);
        }

        using var all = await cluster.SubscribeAsync(new ChangeFeedOptions());
        using var requests = await cluster.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<BindRequest>()));
        var refused = new List<string>();
        var decisions = binds.Select(DecisionFor).ToArray();
        await new BindRequestWriter(cluster, compact).WriteManyAsync(
            decisions,
            d => binds.First(b => b.Pod.ToString(System.Globalization.CultureInfo.InvariantCulture) == d.Pod.Name[1..] && Namespaces[b.Namespace] == d.Pod.Namespace).Claims ? ClaimsOf(d) : null,
            (d, e) => refused.Add($"{d.Pod} {e.Reason}"),
            default);

        // An edit through the API (a label changed on one request) must leave every other request as it was.
        var stored = (await cluster.ListAsync<BindRequest>()).Items;
        if (stored.Count > 0)
        {
            var target = stored[edited % stored.Count];
            await cluster.ReplaceAsync(KubeObjects.WithEditedMetadata(target, m => m.Labels["selected-node"] = "edited"));
        }

        List<string> changes = [.. Drain(all), .. Drain(requests)];
        return ([.. (await cluster.ListAsync<BindRequest>()).Items.Select(r => KubernetesJson.Serialize(r))], changes, refused);
    }

    private static SchedulingDecision DecisionFor(Bind bind)
    {
        var pod = $"p{bind.Pod}";
        var grant = bind.Grant switch
        {
            0 => GpuGrant.Whole(1000),
            1 => GpuGrant.Whole(2000),
            2 => GpuGrant.None,
            3 => new GpuGrant(GpuGrantKind.Fraction, 1, 500, [$"group-{bind.Node}"]),
            4 => new GpuGrant(GpuGrantKind.Fraction, 2, 250, ["group-a", "group-b"]),
            5 => new GpuGrant(GpuGrantKind.Fraction, 1, 500, ["group-b"]),
            _ => new GpuGrant(GpuGrantKind.MigInstance, 1, 1000, []),
        };
        return new SchedulingDecision(ActionKind.Allocate, DecisionKind.Bind, new PodKey(Namespaces[bind.Namespace], pod), $"uid-{bind.Namespace}-{pod}", new NodeName($"n{bind.Node}"), WriteBackCluster.Group, grant);
    }

    private static List<ResourceClaimAllocation> ClaimsOf(SchedulingDecision decision) =>
        [new ResourceClaimAllocation { Name = "claim", Allocation = new V1AllocationResult { Devices = new V1DeviceAllocationResult { Results = [new V1DeviceRequestAllocationResult { Device = "gpu-0", Driver = "gpu.example.com", Pool = decision.Node!.Value.Value, Request = "gpu" }] } } }];

    private static List<string> Drain(IChangeFeed feed)
    {
        var changes = new List<string>();
        while (feed.Changes.TryRead(out var change))
        {
            changes.Add($"{change.Type} {change.ResourceVersion} {KubernetesJson.Serialize(change.Object)}");
        }

        return changes;
    }
}
