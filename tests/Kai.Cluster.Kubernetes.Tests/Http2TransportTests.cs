using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kai.Cluster.Crds;
using Kai.Cluster.Kubernetes.Tests.Harness;

namespace Kai.Cluster.Kubernetes.Tests;

/// <summary>
/// The backend over HTTP/2 with prior knowledge writes and reads exactly what it writes and reads over HTTP/1.1: the
/// same random objects created through both connections give the same answers and the same stored objects, as JSON.
/// </summary>
public sealed class Http2TransportTests
{
    [Fact]
    public async Task CreateAsync_OverHttp2AndHttp11_AnswersAndStoresTheSameObjects()
    {
        await using var api = await LiveApi.StartAsync(LiveApi.Load("tests/kai-examples/docs/quickstart/default-queues.yaml"), TimeProvider.System, http2: true);
        await using var http11 = KubernetesCluster.Connect(new KubernetesConnection { Server = api.Server.Address }, KaiKinds.CreateRegistry());
        var ct = LiveApi.Timeout();

        for (var i = 0; i < 40; i++)
        {
            // The same seed for both drafts: the same random object under two names.
            var seed = i;
            IKubernetesObject<V1ObjectMeta> Draft(string name) => seed % 2 == 0 ? RandomPod(new Random(seed), name) : RandomBindRequest(new Random(seed), name);
            var overHttp2 = await api.Cluster.CreateAsync(Draft($"h2-{i}"), ct);
            var overHttp11 = await http11.CreateAsync(Draft($"h1-{i}"), ct);
            var stored2 = api.Server.Cluster.Get(api.Server.Cluster.Kinds.Get(overHttp2.GetType()), "default", $"h2-{i}")!;
            var stored1 = api.Server.Cluster.Get(api.Server.Cluster.Kinds.Get(overHttp11.GetType()), "default", $"h1-{i}")!;

            Assert.Equal(Comparable(overHttp11), Comparable(overHttp2));
            Assert.Equal(Comparable(stored1), Comparable(stored2));
            Assert.Equal(Comparable(stored2), Comparable(overHttp2));
        }
    }

    /// <summary>The object as JSON without what differs between two creations of the same draft: name, uid, version, time.</summary>
    private static string Comparable(IKubernetesObject<V1ObjectMeta> obj)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        var metadata = node["metadata"]!.AsObject();
        foreach (var field in new[] { "name", "uid", "resourceVersion", "creationTimestamp", "managedFields" })
        {
            metadata.Remove(field);
        }

        return node.ToJsonString();
    }

    private static V1Pod RandomPod(Random random, string name) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = "default",
            Labels = Enumerable.Range(0, random.Next(4)).ToDictionary(k => $"l{k}", _ => $"v{random.Next(100)}"),
            Annotations = random.Next(2) == 0 ? null : new Dictionary<string, string> { ["pod-group-name"] = $"pg-{random.Next(9)}", ["note"] = "ü \" \\ ✓" },
        },
        Spec = new V1PodSpec
        {
            SchedulerName = "kai-scheduler",
            Containers = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(c => new V1Container
            {
                Name = $"c{c}",
                Image = $"img:{random.Next(5)}",
                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new($"{1 + random.Next(8)}00m"), ["memory"] = new($"{1 + random.Next(64)}Gi") } },
            })],
            Tolerations = random.Next(2) == 0 ? null : [new V1Toleration { Key = "gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }],
        },
    };

    private static BindRequest RandomBindRequest(Random random, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["pod-name"] = $"p{random.Next(50)}" } },
        Spec = new BindRequestSpec
        {
            PodName = $"p{random.Next(50)}",
            SelectedNode = $"node-{random.Next(20)}",
            ReceivedResourceType = random.Next(2) == 0 ? "Regular" : "Fraction",
            SelectedGPUGroups = random.Next(2) == 0 ? null : [$"g{random.Next(4)}"],
            BackoffLimit = random.Next(2) == 0 ? null : random.Next(1, 6),
        },
    };
}
