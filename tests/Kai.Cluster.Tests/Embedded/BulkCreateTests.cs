using System.Globalization;
using CsCheck;
using k8s;
using k8s.Models;
using Kai.Cluster.Embedded;
using Kai.Cluster.Port;

namespace Kai.Cluster.Tests.Embedded;

/// <summary>
/// <see cref="EmbeddedCluster.CreateManyAsync{T}(IReadOnlyList{T}, CancellationToken)"/> against the same objects created one by one: the same stored objects,
/// uids, resource versions and refusals, the same changes on every feed (filtered or not, live or resumed from a
/// resource version), and the same garbage collection of owned objects afterwards.
/// </summary>
public sealed class BulkCreateTests
{
    private sealed record Item(bool IsWidget, int Name, bool Generated, bool Owned)
    {
        public override string ToString() => $"{(IsWidget ? "widget" : "pod")}/{(Generated ? "gen-" : "o")}{Name}{(Owned ? " owned" : string.Empty)}";
    }

    private static readonly Gen<Item> GenItem = Gen.Select(Gen.Bool, Gen.Int[0, 4], Gen.Bool, Gen.Bool, (w, n, g, o) => new Item(w, n, g, o));

    [Fact]
    public async Task CreateManyAsync_WhenRandomBatches_MatchesCreatesOneByOne()
    {
        await GenItem.Array[0, 30].SampleAsync(CompareAsync, iter: 200, threads: 1);
    }

    [Fact]
    public async Task CreateManyAsync_WhenHandedOver_StoresWhatCopiesStore()
    {
        await GenItem.Array[0, 30].SampleAsync(CompareHandedOverAsync, iter: 200, threads: 1);
    }

    [Fact]
    public async Task CreateManyAsync_WhenNameTaken_RefusesThatOneAndStoresTheOthers()
    {
        var cluster = TestCluster.Create();
        await cluster.CreateAsync(TestCluster.Pod("p1"));

        var outcomes = await cluster.CreateManyAsync([TestCluster.Pod("p0"), TestCluster.Pod("p1"), TestCluster.Pod("p2")]);

        Assert.Equal([true, false, true], outcomes.Select(o => o.Succeeded));
        Assert.Equal(ClusterErrorReason.AlreadyExists, outcomes[1].Error!.Reason);
        Assert.Equal(["2", "3"], new[] { outcomes[0], outcomes[2] }.Select(o => o.Created!.Metadata.ResourceVersion));
        Assert.Equal(3, (await cluster.ListAsync<V1Pod>()).Items.Count);
    }

    [Fact]
    public async Task CreateManyAsync_WhenBackendHasNoBatches_CreatesEachThroughCreateAsync()
    {
        var bulk = TestCluster.Create();
        var oneByOne = TestCluster.Create();
        IKubernetesObject<V1ObjectMeta>[] Batch() => [TestCluster.Pod("p0"), TestCluster.Widget("w0"), TestCluster.Pod("p0")];

        var expected = await bulk.CreateManyAsync(Batch());
        var actual = await ConcurrentWrites.CreateEachAsync(oneByOne, Batch(), CancellationToken.None);

        Assert.Equal(expected.Select(Describe), actual.Select(Describe));
    }

    private static async Task CompareAsync(Item[] items)
    {
        var (bulk, bulkOwner) = await SeededAsync();
        var (single, singleOwner) = await SeededAsync();
        using var bulkAll = await bulk.SubscribeAsync(new ChangeFeedOptions());
        using var bulkPods = await bulk.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()));
        using var singleAll = await single.SubscribeAsync(new ChangeFeedOptions());
        using var singlePods = await single.SubscribeAsync(ChangeFeedOptions.For(KindKey.Of<V1Pod>()));

        var bulkOutcomes = await bulk.CreateManyAsync(items.Select(i => Build(i, bulkOwner)).ToArray());
        var singleOutcomes = new List<string>();
        foreach (var item in items)
        {
            try
            {
                singleOutcomes.Add(Describe(await single.CreateAsync(Build(item, singleOwner))));
            }
            catch (ClusterException e)
            {
                singleOutcomes.Add(e.Reason.ToString());
            }
        }

        Assert.Equal(singleOutcomes, bulkOutcomes.Select(o => o.Created is { } c ? Describe(c) : o.Error!.Reason.ToString()));
        Assert.Equal(Changes(singleAll), Changes(bulkAll));
        Assert.Equal(Changes(singlePods), Changes(bulkPods));
        using var bulkResumed = await bulk.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "1" });
        using var singleResumed = await single.SubscribeAsync(new ChangeFeedOptions { ResourceVersion = "1" });
        Assert.Equal(Changes(singleResumed), Changes(bulkResumed));

        // Owned objects go with their owner: the owner index holds the same dependents either way.
        await bulk.DeleteAsync<V1Pod>("team-a", "owner", gracePeriodSeconds: 0);
        await single.DeleteAsync<V1Pod>("team-a", "owner", gracePeriodSeconds: 0);
        Assert.Equal(await NamesAsync(single), await NamesAsync(bulk));
    }

    /// <summary>Objects handed over are stored themselves: the same JSON, outcomes and changes as copies, and the stored objects are the caller's.</summary>
    private static async Task CompareHandedOverAsync(Item[] items)
    {
        var (handed, handedOwner) = await SeededAsync();
        var (copied, copiedOwner) = await SeededAsync();
        using var handedAll = await handed.SubscribeAsync(new ChangeFeedOptions());
        using var copiedAll = await copied.SubscribeAsync(new ChangeFeedOptions());
        var given = items.Select(i => Build(i, handedOwner)).ToArray();

        var handedOutcomes = await handed.CreateManyAsync(given, CreateOwnership.HandedOver);
        var copiedOutcomes = await copied.CreateManyAsync(items.Select(i => Build(i, copiedOwner)).ToArray(), CreateOwnership.Copied);

        Assert.Equal(copiedOutcomes.Select(Json), handedOutcomes.Select(Json));
        Assert.Equal(Changes(copiedAll), Changes(handedAll));
        Assert.Equal(await JsonAsync(copied), await JsonAsync(handed));
        Assert.All(handedOutcomes.Select((o, i) => (o, i)).Where(x => x.o.Succeeded), x => Assert.Same(given[x.i], x.o.Created));
    }

    private static string Json<T>(CreateOutcome<T> outcome)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        outcome.Created is { } created ? KubernetesJson.Serialize(created) : outcome.Error!.Reason.ToString();

    private static async Task<List<string>> JsonAsync(EmbeddedCluster cluster) =>
        [.. (await cluster.ListAsync<V1Pod>()).Items.Select(p => KubernetesJson.Serialize(p)), .. (await cluster.ListAsync<Widget>()).Items.Select(w => KubernetesJson.Serialize(w))];

    private static async Task<(EmbeddedCluster Cluster, V1Pod Owner)> SeededAsync()
    {
        var cluster = TestCluster.Create();
        return (cluster, await cluster.CreateAsync(TestCluster.Pod("owner")));
    }

    private static IKubernetesObject<V1ObjectMeta> Build(Item item, V1Pod owner)
    {
        var name = item.Name.ToString(CultureInfo.InvariantCulture);
        IKubernetesObject<V1ObjectMeta> obj = item.IsWidget ? TestCluster.Widget("o" + name, item.Name) : TestCluster.Pod("o" + name);
        if (item.Generated)
        {
            obj.Metadata.Name = null;
            obj.Metadata.GenerateName = "gen-" + name + "-";
        }

        if (item.Owned)
        {
            obj.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid }];
        }

        return obj;
    }

    private static string Describe<T>(CreateOutcome<T> outcome)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        outcome.Created is { } created ? Describe(created) : outcome.Error!.Reason.ToString();

    private static string Describe(IKubernetesObject<V1ObjectMeta> obj) =>
        $"{obj.Kind} {obj.Metadata.NamespaceProperty}/{obj.Metadata.Name} uid={obj.Metadata.Uid} rv={obj.Metadata.ResourceVersion} at {obj.Metadata.CreationTimestamp:O}";

    private static List<string> Changes(IChangeFeed feed) =>
        [.. TestCluster.Drain(feed).Select(c => $"{c.Type} {c.ResourceVersion} {Describe(c.Object)}")];

    private static async Task<List<string>> NamesAsync(EmbeddedCluster cluster) =>
        [.. (await cluster.ListAsync<V1Pod>()).Items.Select(Describe), .. (await cluster.ListAsync<Widget>()).Items.Select(Describe)];
}
